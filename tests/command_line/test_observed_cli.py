"""What happened beside what was planned: ``rollout run --observed`` and its words.

The words are checked on bands built by hand (so where each observation falls is known), the
command on a tiny Camden run; bad observed files end with one line, exit 2, nothing written.
"""

from __future__ import annotations

import csv
import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
from conftest import REPO, run_main

from sim.outputs.observed import check_observations, observed_lines
from sim.scenario.loading import load_scenario, resolve_scenario
from sim.scenario.observed import Observation, read_observed

EXAMPLE = REPO / "docs" / "examples" / "observed.csv"


def seen(measure, value, month=3):
    return Observation(2, date(2016, 3, 31), month, measure, value, 0.05)


@pytest.fixture
def bands():
    # 20 futures, each flat over 6 months: coverage 0.40 to 0.59, so 5th-95th near 0.41-0.58
    values = np.repeat(np.linspace(0.40, 0.59, 20)[:, None], 6, axis=1)
    return {"coverage": values, "vacancies": values * 100}


@pytest.mark.parametrize(
    ("value", "where", "words"),
    [
        (0.50, "inside", "on track"),
        (0.20, "below", "the plan is running behind"),
        (0.90, "above", "the plan is running ahead"),
    ],
)
def test_coverage_inside_below_above(bands, value, where, words):
    check = check_observations([seen("coverage", value)], bands)
    assert check["where"].tolist() == [where], f"{value}: {check.to_dict('records')}"
    lines = observed_lines(check, None, "seen.csv", "camden")
    said = " ".join(" ".join(lines).split())
    assert words in said, f"{value}: no {words!r} in {lines}"
    assert "March 2016" in said, f"the month is not in words: {lines}"
    assert "coverage" not in said.replace("(coverage)", ""), f"a raw key: {lines}"
    assert all(len(line) <= 100 for line in lines), f"a line over 100 columns: {lines}"


def test_less_is_better_reads_the_other_way(bands):
    check = check_observations([seen("vacancies", 90.0)], bands)
    said = " ".join(" ".join(observed_lines(check, None, "seen.csv", "camden")).split())
    assert "worse than the plan expected" in said, f"more vacancies than the band: {said}"


def test_calibrate_is_offered(bands):
    check = check_observations([seen("coverage", 0.2)], bands)
    said = " ".join(observed_lines(check, None, "my figures.csv", "plan:Our plan"))
    assert "rollout calibrate 'plan:Our plan' --observed 'my figures.csv'" in said, said


def test_shipped_example_fits_camden_and_names_its_sources():
    camden = load_scenario(resolve_scenario("camden"))
    found = read_observed(EXAMPLE, camden)
    assert found, "docs/examples/observed.csv holds no observations"
    with EXAMPLE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows = [row for row in rows if not row["date"].lstrip().startswith("#")]  # comments
    assert len(rows) == len(found), f"{len(rows)} rows but {len(found)} observations read"
    missing = [row["date"] for row in rows if "seed" not in row.get("source", "").lower()]
    assert not missing, f"rows without a seed source: {missing}"


def test_run_with_observed_writes_the_check(tmp_path, monkeypatch, capsys):
    (tmp_path / "seen.csv").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run_main(
        ["run", "camden", "--reps", "2", "--out", "r", "--observed", "seen.csv"],
        tmp_path,
        monkeypatch,
        capsys,
    )
    assert code == 0, f"exit {code}: {err}"
    check = pd.read_csv(tmp_path / "r" / "observed_check.csv")
    shipped = len(read_observed(EXAMPLE, load_scenario(resolve_scenario("camden"))))
    assert len(check) == shipped, f"{len(check)} rows in observed_check.csv, not {shipped}"
    for column in ("date", "measure", "value", "p5", "p95", "where"):
        assert column in check.columns, f"no {column}: {list(check.columns)}"
    assert set(check["where"]) <= {"inside", "below", "above"}, f"{set(check['where'])}"
    files = json.loads((tmp_path / "r" / "manifest.json").read_text(encoding="utf-8"))["files"]
    for name in ("observed_check.csv", "observed.png", "coverage.png"):
        assert name in files, f"{name} not in the manifest's files {files}"
    assert "9 futures in 10" in out, f"no words on the observations: {out}"
    assert "rollout calibrate camden --observed seen.csv" in out, f"calibrate not offered: {out}"
    code, _, err = run_main(["report", "r"], tmp_path, monkeypatch, capsys)
    assert code == 0, f"report: exit {code}: {err}"
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "What happened, against the plan" in page, "the report has no observed section"
    assert "in September 2017 was" in page, "the report does not say the observations in words"


def test_report_without_observations_has_no_such_section(tmp_path, monkeypatch, capsys):
    run_main(["run", "camden", "--reps", "1", "--out", "r"], tmp_path, monkeypatch, capsys)
    code, _, err = run_main(["report", "r"], tmp_path, monkeypatch, capsys)
    assert code == 0, f"report: exit {code}: {err}"
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "What happened, against the plan" not in page, "an observed section with no figures"


def test_plan_run_uses_its_attached_figures(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("ROLLOUT_PLANS", raising=False)
    (tmp_path / "seen.csv").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    run_main(
        ["plans", "save", "p", "camden", "--observed", "seen.csv"], tmp_path, monkeypatch, capsys
    )
    code, out, err = run_main(
        ["run", "plan:p", "--reps", "2", "--out", "r"], tmp_path, monkeypatch, capsys
    )
    assert code == 0, f"exit {code}: {err}"
    assert (tmp_path / "r" / "observed_check.csv").is_file(), "the attached figures were not used"


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("date,measure,value,sd\n2016-13-01,coverage,0.3,0.05\n", "date"),
        ("date,measure,value,sd\n2030-01-31,coverage,0.3,0.05\n", "outside the run"),
        ("date,value,sd\n2016-03-31,0.3,0.05\n", "measure"),
    ],
)
def test_bad_observed_file_is_one_line_and_writes_nothing(
    tmp_path, monkeypatch, capsys, text, word
):
    (tmp_path / "seen.csv").write_text(text, encoding="utf-8")
    code, out, err = run_main(
        ["run", "camden", "--reps", "1", "--observed", "seen.csv"], tmp_path, monkeypatch, capsys
    )
    lines = err.strip().splitlines()
    assert code == 2, f"exit {code}: {err}"
    assert len(lines) == 1, f"{len(lines)} lines: {err}"
    assert word in lines[0], f"no {word!r} in {lines[0]}"
    assert "seen.csv" in lines[0], f"the file is not named: {lines[0]}"
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["seen.csv"], f"written: {written}"


def test_observed_template_has_the_columns_and_the_scenarios_dates(tmp_path, monkeypatch, capsys):
    code, out, err = run_main(
        ["new", "--observed-template", "camden", "-o", "seen.csv"], tmp_path, monkeypatch, capsys
    )
    assert code == 0, f"exit {code}: {err}"
    with (tmp_path / "seen.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows, "the template has no rows"
    assert list(rows[0]) == ["date", "measure", "value", "sd", "source"], f"{list(rows[0])}"
    camden = load_scenario(resolve_scenario("camden"))
    start, horizon = camden.scenario.start, camden.scenario.horizon_months
    dates = sorted({date.fromisoformat(row["date"]) for row in rows})
    assert len(dates) == len(camden.clock_months()), f"dates {dates}"
    assert start < dates[0], f"first date {dates[0]} not after the start {start}"
    assert (dates[-1] - start).days < horizon * 31, f"last date {dates[-1]} beyond the run"
    rows[0]["value"], rows[0]["sd"] = "0.5", "0.05"
    with (tmp_path / "seen.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    found = read_observed(tmp_path / "seen.csv", camden)
    assert len(found) == 1, f"one row filled in, {len(found)} read"


def test_observed_template_never_overwrites(tmp_path, monkeypatch, capsys):
    (tmp_path / "seen.csv").write_text("mine", encoding="utf-8")
    code, out, err = run_main(
        ["new", "--observed-template", "camden", "-o", "seen.csv"], tmp_path, monkeypatch, capsys
    )
    assert code == 2, f"exit {code}: {err}"
    assert len(err.strip().splitlines()) == 1, f"stderr: {err}"
    assert (tmp_path / "seen.csv").read_text(encoding="utf-8") == "mine", "overwritten"


def test_calibrate_without_figures_is_one_line(tmp_path, monkeypatch, capsys):
    code, out, err = run_main(["calibrate", "camden"], tmp_path, monkeypatch, capsys)
    lines = err.strip().splitlines()
    assert code == 2, f"exit {code}: {err}"
    assert len(lines) == 1, f"{len(lines)} lines: {err}"
    assert "--observed" in lines[0], f"the flag is not named: {lines[0]}"
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "something was written"


def test_calibrate_a_plan_uses_its_attached_figures(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("ROLLOUT_PLANS", raising=False)
    (tmp_path / "seen.csv").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    run_main(
        ["plans", "save", "p", "camden", "--observed", "seen.csv"], tmp_path, monkeypatch, capsys
    )
    args = ["calibrate", "plan:p", "--draws", "4", "--accept", "0.5", "--reps", "1", "--out", "k"]
    code, out, err = run_main(args, tmp_path, monkeypatch, capsys)
    assert code == 0, f"exit {code}: {err}"
    assert (tmp_path / "k" / "posterior.csv").is_file(), "no posterior written"
    shipped = len(read_observed(EXAMPLE, load_scenario(resolve_scenario("camden"))))
    said = " ".join(out.split())
    assert f"against {shipped} observation" in said, f"not the plan's {shipped} figures: {out}"


def test_observed_values_from_a_run_in_memory():
    from conftest import make_scenario

    from sim.experiments.runs import run
    from sim.outputs.observed import observed_values

    scenario = make_scenario()
    result = run(scenario, reps=3, seed=1, keep_timeseries=True)
    seen = [
        Observation(2, date(2020, 6, 30), 5, "headcount", 5.0, 1.0),
        Observation(3, date(2020, 6, 30), 5, "coverage", 0.5, 0.1),
    ]
    values = observed_values(result, seen)
    rows = result.timeseries
    month5 = rows[rows["month"] == 5].sort_values("rep")["headcount"].to_numpy()
    assert values["headcount"].shape == (3, 24), f"shape {values['headcount'].shape}"
    assert (values["headcount"][:, 5] == month5).all(), f"{values['headcount'][:, 5]} vs {month5}"
    assert "coverage" in values, f"coverage (a band column) missing: {sorted(values)}"
