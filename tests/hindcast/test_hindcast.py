"""``rollout hindcast`` (sim/national/hindcast.py): councils built from their 2017-2020
figures, run on with no programme, set against the DfE figures for 2021-2025. A small
version: two small councils and a few futures.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import run_main as call

from sim import experiments
from sim.councils.names import find_council
from sim.national import hindcast as floor

COUNCILS = ["Rutland", "Hartlepool"]
FIT, CHECK = tuple(range(2017, 2021)), tuple(range(2021, 2026))
SHORT = {"reps": 4, "seed": 3, "workers": 1}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("hindcast") / "run"
    cli = Path(__file__).resolve().parents[2] / "cli.py"
    args = [sys.executable, str(cli), "hindcast", "--reps", "4", "--workers", "1"]
    args += [word for name in COUNCILS for word in ("--council", name)]
    done = subprocess.run([*args, "--out", str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return out, done.stdout


def test_every_output_is_written(folder):
    out, said = folder
    for name in ("hindcast.csv", "coverage.csv", "hindcast.png", "hindcast.md", "manifest.json"):
        assert (out / name).is_file(), (
            f"{name} missing from {sorted(p.name for p in out.iterdir())}"
        )
    assert "council-years inside" in said, said
    for measure in floor.MEASURES:
        assert f"  {floor.label(measure)}: " in said, f"{measure} not said: {said}"
    assert "_" not in said.split("Results:")[0], f"a raw key on screen: {said}"
    assert "with 4 futures the band is their lowest to their highest" in said, said
    assert (out / "hindcast.md").read_text(encoding="utf-8").startswith("Hindcast: 2 councils")


def test_a_row_for_every_council_year_and_measure(folder):
    out, _ = folder
    table = pd.read_csv(out / "hindcast.csv")
    assert list(table.columns) == list(floor.COLUMNS), list(table.columns)
    got = set(zip(table["council"], table["year"], table["measure"], strict=True))
    wanted = {(c, y, m) for c in COUNCILS for y in CHECK for m in floor.MEASURES}
    assert got == wanted, sorted(wanted - got)
    assert len(table) == len(wanted), len(table)


def test_the_observed_figures_and_naive_forecast_are_the_dfes(folder):
    out, _ = folder
    table = pd.read_csv(out / "hindcast.csv").set_index(["council", "year", "measure"])
    figures = find_council("Rutland").figures
    row = table.loc[("Rutland", 2023, "inpost_fte")]
    assert row["observed"] == pytest.approx(figures[2023]["inpost_fte"]), row
    assert row["naive"] == pytest.approx(figures[2020]["inpost_fte"]), row
    vacancy = table.loc[("Rutland", 2022, "vacancy_rate")]
    assert vacancy["observed"] == pytest.approx(figures[2022]["vacancy_rate_fte"] / 100), vacancy
    inside = vacancy["band_low"] <= vacancy["observed"] <= vacancy["band_high"]
    assert bool(vacancy["inside_band"]) == inside, vacancy


def test_coverage_is_the_share_of_rows_inside(folder):
    out, _ = folder
    table = pd.read_csv(out / "hindcast.csv")
    coverage = pd.read_csv(out / "coverage.csv").set_index("measure")
    assert list(coverage.index) == list(floor.MEASURES), list(coverage.index)
    part = table[table["measure"] == "vacancy_rate"]
    share = part["inside_band"].astype(bool).mean()
    assert coverage.loc["vacancy_rate", "inside_band"] == pytest.approx(share), coverage
    assert coverage.loc["vacancy_rate", "council_years"] == len(part), coverage
    median = part["naive_error"].median()
    assert coverage.loc["vacancy_rate", "naive_median_error"] == pytest.approx(median), coverage


def test_a_band_is_the_spread_of_the_futures_not_one_value(folder):
    out, _ = folder
    table = pd.read_csv(out / "hindcast.csv")
    counts = table[table["measure"] == "inpost_fte"]
    assert (counts["band_high"] > counts["band_low"]).all(), counts
    assert (counts["band_low"] <= counts["mean"]).all(), counts
    assert (counts["mean"] <= counts["band_high"]).all(), counts


BAD = {
    "unknown council": (["--council", "Nowhereshire"], "--council"),
    "fit after check": (["--fit", "2021:2024", "--check", "2019:2020"], "--check 2019:2020"),
    "years outside the data": (["--fit", "2012:2015"], "--fit 2012:2015"),
    "check outside the data": (["--check", "2021:2031"], "--check 2021:2031"),
    "one fitted year": (["--fit", "2020"], "--fit 2020"),
    "not years": (["--fit", "soon"], "--fit soon"),
    "a --set that does not apply": (["--set", "champions.target=-1"], "champions.target"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_exits_2_with_one_line_and_writes_nothing(case, tmp_path, monkeypatch, capsys):
    extra, fragment = BAD[case]
    args = ["hindcast", "--reps", "2", "--council", "Rutland", *extra]
    code, out, err = call(args, tmp_path, monkeypatch, capsys)
    assert code == 2, f"exit {code}; stderr {err!r}"
    lines = err.splitlines()
    assert len(lines) == 1, f"stderr {lines}"
    assert lines[0].startswith("rollout: "), lines
    assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"
    assert out == "", f"stdout {out!r}"
    assert list(tmp_path.iterdir()) == [], f"written: {list(tmp_path.iterdir())}"


def test_resume_skips_finished_councils_and_gives_the_same_table(tmp_path):
    built, skipped = floor.build(FIT, CHECK, COUNCILS)
    whole = floor.hindcast(built, skipped, FIT, CHECK, out=tmp_path / "whole", **SHORT)
    calls = {"n": -1}

    def stop_after_one(done: int, total: int) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyboardInterrupt

    with pytest.raises(experiments.Interrupted):
        floor.hindcast(
            built, skipped, FIT, CHECK, out=tmp_path / "part", progress=stop_after_one, **SHORT
        )
    assert not (tmp_path / "part" / "hindcast.csv").exists(), "hindcast.csv before the end"
    seen = []
    resumed = floor.hindcast(
        built,
        skipped,
        FIT,
        CHECK,
        out=tmp_path / "part",
        resume=True,
        progress=lambda done, total: seen.append(done),
        **SHORT,
    )
    assert seen[0] > 0, f"nothing skipped on resuming: progress {seen}"
    for name in ("hindcast.csv", "coverage.csv"):
        same = (whole.folder / name).read_bytes() == (resumed.folder / name).read_bytes()
        assert same, f"{name} differs after resuming"


def test_councils_that_cannot_be_built_are_left_out_with_national_s_reason():
    built, skipped = floor.build(FIT, CHECK, ["Rutland", "Northamptonshire", "Cumberland"])
    assert [c.name for c in built] == ["Rutland"], [c.name for c in built]
    assert "2021-2025 to check against" in skipped["Northamptonshire"], skipped
    assert "no figures before 2023" in skipped["Cumberland"], skipped


# Camden's posts were cut by 2020 and Kent's grew: the two ways the start's posts differ
# from the pooled ones.
@pytest.mark.parametrize("name", ["Camden", "Kent"])
def test_the_hindcast_runs_the_scenario_rollout_new_writes(name, tmp_path, monkeypatch, capsys):
    """The validation must test what users run (issue 23's review). The file ``rollout new
    --council`` writes for the fitted years, from the hindcast's start, with the programme
    taken out as the hindcast takes it out, must be the hindcast's scenario: the same posts,
    rates, vacancies at the start and path. Only the run's length and what depends on it
    differ (the hindcast runs to its last checked year, and each projected spread is that
    of the years run, :mod:`sim.councils.projected_path`); with that length given,
    :func:`sim.councils.builder.new_scenario`, which ``rollout new`` calls, builds it whole.
    """
    from sim.councils.builder import new_scenario
    from sim.scenario.loading import scenario_from_text

    (built,), _ = floor.build(FIT, CHECK, [name])
    out = tmp_path / "new.toml"
    args = ["new", "--council", name, "--years", "2017:2020", "--start", "2020-10-01"]
    code, _, err = call([*args, "-o", str(out)], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    users = scenario_from_text(out.read_text(), str(out), list(floor.NO_PROGRAMME)).model_dump()
    checked = built.scenario.model_dump()
    assert users["workforce"] == checked["workforce"], name
    starting = [r["initial_vacancies"] for r in checked["workforce"]["roles"].values()]
    assert sum(starting) > 0, starting
    horizon = {"horizon_months"}
    assert {k: v for k, v in users["scenario"].items() if k not in horizon} == {
        k: v for k, v in checked["scenario"].items() if k not in horizon
    }, name
    for part in ("programme", "practice", "champions", "costs", "measures"):
        assert users[part] == checked[part], part
    assert users["uncertainty"].keys() == checked["uncertainty"].keys(), name
    made = new_scenario(
        name,
        years=(2017, 2020),
        start=floor.start_of(FIT),
        horizon_months=floor.horizon_of(FIT, CHECK),
    ).text
    whole = scenario_from_text(made, "<new>", list(floor.NO_PROGRAMME)).model_dump()
    assert whole == checked, name
