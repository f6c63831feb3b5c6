"""``rollout plans`` (list, save, delete) and ``plan:NAME`` wherever a scenario goes.

Through ``main()`` in-process (:func:`conftest.run_main`), so exit codes and stderr are the
installed command's; the working directory is ``tmp_path``, so the default ``./plans``
folder lands where the test can see it.
"""

from __future__ import annotations

import pytest
from conftest import run_main

OBSERVED = "date,measure,value,sd\n2016-03-31,coverage,0.3,0.05\n"


@pytest.fixture(autouse=True)
def no_plans_variable(monkeypatch):
    monkeypatch.delenv("ROLLOUT_PLANS", raising=False)


def files_under(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_save_list_run_delete_round_trip(tmp_path, monkeypatch, capsys):
    (tmp_path / "seen.csv").write_text(OBSERVED, encoding="utf-8")
    code, out, err = run_main(
        ["plans", "save", "Our plan", "camden", "--by", "Ann Smith", "--observed", "seen.csv"],
        tmp_path,
        monkeypatch,
        capsys,
    )
    assert code == 0, f"save: exit {code}: {err}"
    assert (tmp_path / "plans" / "Our plan.toml").is_file(), f"files: {files_under(tmp_path)}"
    assert "'plan:Our plan'" in out, f"save does not say how to run it (quoted): {out}"
    code, out, err = run_main(["plans"], tmp_path, monkeypatch, capsys)
    assert code == 0, f"list: exit {code}: {err}"
    row = next((line for line in out.splitlines() if line.startswith("Our plan")), "")
    assert "Ann Smith" in row, f"list row does not say who saved it: {out}"
    assert "observed figures attached" in row, f"list row does not say figures are attached: {out}"
    assert " UTC" in row, f"list row does not say when: {out}"
    code, out, err = run_main(
        ["run", "plan:Our plan", "--reps", "1", "--out", "r"], tmp_path, monkeypatch, capsys
    )
    assert code == 0, f"run plan:Our plan: exit {code}: {err}"
    assert (tmp_path / "r" / "summary.csv").is_file(), f"run wrote {files_under(tmp_path / 'r')}"
    code, out, err = run_main(["plans", "delete", "Our plan"], tmp_path, monkeypatch, capsys)
    assert code == 0, f"delete: exit {code}: {err}"
    assert not (tmp_path / "plans" / "Our plan.toml").exists(), "the plan is still there"
    kept = list((tmp_path / "plans" / "previous").glob("Our plan.*.toml"))
    assert kept, f"no copy kept: {files_under(tmp_path / 'plans')}"


def test_folder_flag_and_environment(tmp_path, monkeypatch, capsys):
    code, _, err = run_main(
        ["plans", "--folder", "shared", "save", "a", "camden"], tmp_path, monkeypatch, capsys
    )
    assert code == 0, f"exit {code}: {err}"
    assert (tmp_path / "shared" / "a.toml").is_file(), f"files: {files_under(tmp_path)}"
    monkeypatch.setenv("ROLLOUT_PLANS", str(tmp_path / "shared"))
    code, out, err = run_main(["plans"], tmp_path, monkeypatch, capsys)
    assert code == 0, f"exit {code}: {err}"
    assert any(line.startswith("a ") for line in out.splitlines()), f"$ROLLOUT_PLANS: {out}"
    code, out, err = run_main(["validate", "plan:a"], tmp_path, monkeypatch, capsys)
    assert code == 0, f"validate plan:a from $ROLLOUT_PLANS: exit {code}: {err}"
    assert not (tmp_path / "plans").exists(), "./plans was made though $ROLLOUT_PLANS is set"


def bad(args, tmp_path, monkeypatch, capsys):
    code, out, err = run_main(args, tmp_path, monkeypatch, capsys)
    lines = err.strip().splitlines()
    assert code == 2, f"{args}: exit {code}, stderr {err!r}"
    assert len(lines) == 1, f"{args}: {len(lines)} lines: {err!r}"
    assert "Traceback" not in err, f"{args}: a traceback: {err}"
    return lines[0]


def test_unknown_plan_is_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys):
    line = bad(["run", "plan:nope", "--reps", "1"], tmp_path, monkeypatch, capsys)
    assert "plan:nope" in line, f"the plan is not named: {line}"
    assert "no such plan" in line, f"does not say there is no such plan: {line}"
    assert files_under(tmp_path) == [], f"written: {files_under(tmp_path)}"


def test_bad_name_is_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys):
    line = bad(["plans", "save", "../up", "camden"], tmp_path, monkeypatch, capsys)
    assert "'../up'" in line, f"the name is not given: {line}"
    assert files_under(tmp_path) == [], f"written: {files_under(tmp_path)}"


def test_save_over_needs_replace(tmp_path, monkeypatch, capsys):
    run_main(["plans", "save", "p", "camden", "--by", "first"], tmp_path, monkeypatch, capsys)
    before = (tmp_path / "plans" / "p.toml").read_bytes()
    line = bad(["plans", "save", "p", "havering"], tmp_path, monkeypatch, capsys)
    assert "--replace" in line, f"does not say how to save over it: {line}"
    assert (tmp_path / "plans" / "p.toml").read_bytes() == before, "the plan changed"
    assert not (tmp_path / "plans" / "previous").exists(), "a copy was kept for no change"
    code, out, err = run_main(
        ["plans", "save", "p", "havering", "--replace"], tmp_path, monkeypatch, capsys
    )
    assert code == 0, f"--replace: exit {code}: {err}"
    assert (tmp_path / "plans" / "p.toml").read_bytes() != before, "--replace changed nothing"
    assert "kept in" in out, f"does not say where the old one is kept: {out}"


@pytest.mark.parametrize(
    ("csv", "word"),
    [
        ("date,measure,value,sd\n31/03/2016,coverage,0.3,0.05\n", "date"),
        ("date,measure,value,sd\n2016-03-31,nope,0.3,0.05\n", "measure"),
        ("day,measure,value,sd\n2016-03-31,coverage,0.3,0.05\n", "date"),
    ],
)
def test_bad_observed_file_is_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys, csv, word):
    (tmp_path / "seen.csv").write_text(csv, encoding="utf-8")
    line = bad(
        ["plans", "save", "p", "camden", "--observed", "seen.csv"], tmp_path, monkeypatch, capsys
    )
    assert word in line, f"the {word} is not named: {line}"
    assert files_under(tmp_path) == ["seen.csv"], f"written: {files_under(tmp_path)}"


def test_compare_against_the_plan_we_run(tmp_path, monkeypatch, capsys):
    run_main(["plans", "save", "current", "camden"], tmp_path, monkeypatch, capsys)
    code, out, err = run_main(
        [
            "compare",
            "plan:current",
            "--variant",
            "more",
            "champions.target=30",
            "--reps",
            "2",
            "--out",
            "c",
        ],
        tmp_path,
        monkeypatch,
        capsys,
    )
    assert code == 0, f"exit {code}: {err}"
    assert "against the plan we run (current)" in out, f"the baseline is not named: {out}"
    code, _, err = run_main(["report", "c"], tmp_path, monkeypatch, capsys)
    assert code == 0, f"report: exit {code}: {err}"
    page = (tmp_path / "c" / "report.html").read_text(encoding="utf-8")
    assert "than the plan we run (current)" in page, "the report does not name the plan we run"


def test_a_plan_saved_from_a_plan_has_one_head(tmp_path, monkeypatch, capsys):
    run_main(["plans", "save", "a", "camden", "--by", "first"], tmp_path, monkeypatch, capsys)
    code, _, err = run_main(
        ["plans", "save", "b", "plan:a", "--by", "second"], tmp_path, monkeypatch, capsys
    )
    assert code == 0, f"exit {code}: {err}"
    text = (tmp_path / "plans" / "b.toml").read_text(encoding="utf-8")
    assert text.count("# rollout plan") == 1, f"two heads in the copy: {text[:300]}"
    assert "# saved by: second" in text, f"not saved by the second: {text[:200]}"
    assert "# saved by: first" not in text, f"the first's head is kept: {text[:300]}"


def test_delete_an_unknown_plan_is_one_line(tmp_path, monkeypatch, capsys):
    run_main(["plans", "save", "kept", "camden"], tmp_path, monkeypatch, capsys)
    before = files_under(tmp_path)
    line = bad(["plans", "delete", "gone"], tmp_path, monkeypatch, capsys)
    assert "'gone'" in line, f"the plan is not named: {line}"
    assert "kept" in line, f"the plans that exist are not listed: {line}"
    assert files_under(tmp_path) == before, f"files changed: {files_under(tmp_path)}"


def test_a_plans_folder_that_is_a_file_is_one_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "plans").write_text("not a folder", encoding="utf-8")
    line = bad(["plans", "save", "p", "camden"], tmp_path, monkeypatch, capsys)
    assert "plans" in line, f"the folder is not named: {line}"
    assert files_under(tmp_path) == ["plans"], f"written: {files_under(tmp_path)}"
