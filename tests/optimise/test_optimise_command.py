"""``rollout optimise`` from the command line: a tiny search writes every file, the report
reads its folder, and each bad input is one line, exit 2, nothing written.
"""

from __future__ import annotations

import json

import optkit
import pandas as pd
import pytest
from conftest import run_main

TARGET = "coverage_horizon>=0.2"


def _tiny(path, out, *more):
    return [
        "optimise",
        str(path),
        "--lever",
        optkit.LEVERS[0],
        "--lever",
        optkit.LEVERS[1],
        "--target",
        TARGET,
        "--probability",
        "0.6",
        "--budget",
        "6",
        "--reps",
        "4",
        "--workers",
        "1",
        "--out",
        str(out),
        *more,
    ]


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    """The tiny search, run once for the module's tests: (code, out, err, folder, path)."""
    import contextlib
    import io

    import cli

    folder = tmp_path_factory.mktemp("tiny")
    path = optkit.small_file(folder)
    err, out = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.chdir(folder)
        monkeypatch.setattr("sys.argv", ["rollout", *_tiny(path, folder / "run")])
        code = 0
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                cli.main()
            except SystemExit as stop:
                code = stop.code or 0
    return code, out.getvalue(), err.getvalue(), folder / "run", path


def test_the_tiny_search_succeeds(searched):
    code, out, err, _, _ = searched
    assert code == 0, err
    assert "Chosen:" in out or "No plan" in out, out


def test_the_tiny_search_writes_every_file(searched):
    folder = searched[3]
    for name in ("candidates.csv", "front.csv", "front.png", "choice.md", "search.journal"):
        assert (folder / name).is_file(), f"{name} written"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete", manifest["status"]
    assert manifest["kind"] == "optimise", manifest["kind"]


def test_candidates_has_the_status_quo_and_every_plan(searched):
    table = pd.read_csv(searched[3] / "candidates.csv")
    assert list(table["candidate"]) == list(range(7)), "the status quo and six plans"
    assert table.loc[0, "origin"] == "status quo", table.loc[0, "origin"]
    for column in ("total_cost_mean", "total_cost_ci_low", "total_cost_p95", "share_met"):
        assert column in table.columns, column
    assert table["chosen"].sum() <= 1, "at most one plan chosen"


def test_the_feasible_column_follows_the_share(searched):
    table = pd.read_csv(searched[3] / "candidates.csv")
    assert (table["feasible"] == (table["share_met"] >= 0.6)).all(), "feasible: share ≥ P"


def test_front_marks_the_status_quo(searched):
    front = pd.read_csv(searched[3] / "front.csv")
    assert front["status_quo"].sum() == 1, "the status quo is on the front's table once"
    assert "the scenario as given" in set(front["plan"]), set(front["plan"])


def test_choice_words(searched):
    text = (searched[3] / "choice.md").read_text(encoding="utf-8")
    assert text.startswith("# The plan chosen"), text[:40]
    assert "with probability at least 0.95" in text, "the guarantee is stated"
    assert "coverage_horizon" not in text, "no raw measure key on a planner's page"
    assert (
        "Against the scenario as given" in text
        or "Keep the scenario" in text
        or ("No plan" in text)
    ), "the plan is read against the status quo"


def test_report_accepts_the_folder(searched, tmp_path, monkeypatch, capsys):
    out = tmp_path / "page.html"
    code, _, err = run_main(
        ["report", str(searched[3]), "-o", str(out)], tmp_path, monkeypatch, capsys
    )
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert "The plan chosen" in page, "the choice is on the page"
    assert "data:image/png;base64" in page, "the front picture is on the page"
    # The front's table names its two measures in words, and every column has a heading.
    from sim.model.vocabulary import measure_label

    manifest = json.loads((searched[3] / "manifest.json").read_text(encoding="utf-8"))
    for measure in (manifest["objective"], manifest["benefit"]):
        assert f"<th>{measure_label(measure)}</th>" in page, f"no heading for {measure}"
    assert "<th></th>" not in page, "a column of the front's table has no heading"


def test_resume_of_a_complete_search_is_refused(searched, tmp_path, monkeypatch, capsys):
    path, folder = searched[4], searched[3]
    args = _tiny(path, folder)
    i = args.index("--out")
    args[i] = "--resume"
    before = sorted(p.name for p in folder.iterdir())
    code, _, err = run_main(args, tmp_path, monkeypatch, capsys)
    assert code == 2, err
    assert "already complete" in err, err
    assert sorted(p.name for p in folder.iterdir()) == before, "nothing written"


BAD = {
    "unknown lever": (["--lever", "programme.foundation.colours=1:3"], "not a lever"),
    "empty range": (["--lever", "programme.foundation.cohorts=5:3"], "empty range"),
    "one choice": (["--lever", "champions.replacement=none"], "empty choice"),
    "unknown measure": (["--target", "no_such_measure>=3"], "unknown measure"),
    "probability 1": (["--probability", "1"], "--probability 1: must be above 0"),
    "probability 0": (["--probability", "0"], "--probability 0: must be above 0"),
    "budget below levers": (["--budget", "1"], "--budget 1: below the number of levers"),
    "minimise unknown": (["--minimise", "happiness"], "--minimise happiness: unknown measure"),
    "pareto of one": (["--pareto", "total_cost"], "expected COST,BENEFIT"),
    "pareto unknown": (["--pareto", "total_cost,joy"], "--pareto joy: unknown measure"),
    "lever twice": (["--lever", "champions.target=6:18:2"], "given twice"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_one_line_exit_2_nothing_written(case, tmp_path, monkeypatch, capsys):
    more, words = BAD[case]
    args = [
        "optimise",
        "camden",
        "--lever",
        "programme.foundation.cohort_size=20:40:5",
        "--lever",
        "champions.target=6:18:2",
        "--target",
        "practising_share_m48>=0.4",
        "--out",
        str(tmp_path / "never"),
    ]
    if more[0] == "--lever" and "champions.target" in more[1]:
        args += more
    elif more[0] == "--lever":
        args[args.index("--lever") + 1] = more[1]
    elif more[0] == "--target":
        args[args.index("--target") + 1] = more[1]
    else:
        args += more
    code, out, err = run_main(args, tmp_path, monkeypatch, capsys)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert words in lines[0], lines[0]
    assert not (tmp_path / "never").exists(), "no folder made"
    assert not (tmp_path / "outputs").exists(), "nothing written under outputs/"


def test_a_killed_search_resumes_from_the_command_line(tmp_path, monkeypatch, capsys):
    import sim.optimise.search as search_module
    from sim.optimise.search import GENERATION

    path = optkit.small_file(tmp_path)
    budget = str(GENERATION + 2)
    unbroken = _tiny(path, tmp_path / "unbroken", "--indifference", "100")
    unbroken[unbroken.index("--budget") + 1] = budget
    code, _, err = run_main(unbroken, tmp_path, monkeypatch, capsys)
    assert code == 0, err

    real = search_module.run_futures
    calls = {"n": 0}

    def killed(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the second generation of the search
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    broken = [w if w != str(tmp_path / "unbroken") else str(tmp_path / "broken") for w in unbroken]
    monkeypatch.setattr(search_module, "run_futures", killed)
    code, _, err = run_main(broken, tmp_path, monkeypatch, capsys)
    assert code == 130, err
    assert "--resume" in err, "says how to carry on"
    manifest = json.loads((tmp_path / "broken" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "interrupted", manifest["status"]

    monkeypatch.setattr(search_module, "run_futures", real)
    resumed = [w if w != "--out" else "--resume" for w in broken]
    code, _, err = run_main(resumed, tmp_path, monkeypatch, capsys)
    assert code == 0, err
    one = (tmp_path / "unbroken" / "candidates.csv").read_bytes()
    two = (tmp_path / "broken" / "candidates.csv").read_bytes()
    assert one == two, "the resumed search's candidates are the unbroken one's, byte for byte"


def test_a_front_without_a_target(tmp_path, monkeypatch, capsys):
    path = optkit.small_file(tmp_path)
    args = [
        "optimise",
        str(path),
        "--lever",
        optkit.LEVERS[0],
        "--lever",
        optkit.LEVERS[1],
        "--pareto",
        "total_cost,practising_person_months",
        "--budget",
        "4",
        "--reps",
        "3",
        "--workers",
        "1",
        "--out",
        str(tmp_path / "front"),
    ]
    code, out, err = run_main(args, tmp_path, monkeypatch, capsys)
    assert code == 0, err
    front = pd.read_csv(tmp_path / "front" / "front.csv")
    on = front[front["on_front"]].sort_values("cost")
    assert on["benefit"].is_monotonic_increasing, "along the front, dearer plans practise more"
    text = (tmp_path / "front" / "choice.md").read_text(encoding="utf-8")
    assert "at least the scenario as given's" in text, "without a target: at least the status quo"


def test_workers_do_not_change_the_files(tmp_path, monkeypatch, capsys):
    path = optkit.small_file(tmp_path)
    made = {}
    for workers in ("1", "2"):
        args = _tiny(path, tmp_path / f"w{workers}", "--indifference", "100")
        args[args.index("--workers") + 1] = workers
        args[args.index("--budget") + 1] = "4"
        code, _, err = run_main(args, tmp_path, monkeypatch, capsys)
        assert code == 0, err
        made[workers] = {
            name: (tmp_path / f"w{workers}" / name).read_bytes()
            for name in ("candidates.csv", "front.csv", "choice.md")
        }
    for name in made["1"]:
        assert made["1"][name] == made["2"][name], f"{name}: the same at 1 and 2 workers"
