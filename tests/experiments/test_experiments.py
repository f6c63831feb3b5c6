"""Experiments end to end on small scenarios.

- a run keeps the MODEL.md section 5 files byte for byte as the plain runner writes them;
- compare uses common random numbers: the same staff flows in every strategy, replication
  by replication; more cohort places give higher coverage in every replication; pairing
  narrows the interval when the strategies move together;
- any number of workers gives the same files; an interrupted experiment, resumed, gives the
  same files as an uninterrupted one, byte for byte;
- monthly rows are kept only when asked.
"""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
from expkit import cohort_scenario, files

from sim import experiments, outputs
from sim.experiments.replications import replicate as plain_run
from sim.experiments.targets import Target
from sim.outputs.account import sweep_answers
from sim.scenario import BadInput

STAFF_FLOWS = ["headcount", "vacancies", "agency", "starters", "leavers"]


def test_run_files_are_those_of_the_plain_runner(tmp_path):
    scenario = cohort_scenario(4)
    result = experiments.run(scenario, reps=5, seed=9, workers=1, out=tmp_path / "r")
    outputs.draw(result)
    plain = plain_run(scenario, reps=5, seed=9)
    folder = tmp_path / "r"
    assert (folder / "timeseries.csv").read_text() == plain.timeseries.to_csv(index=False), (
        "timeseries.csv differs from the plain runner's"
    )
    assert (folder / "summary.csv").read_text() == plain.summary.to_csv(index=False), (
        "summary.csv differs from the plain runner's"
    )
    pd.testing.assert_frame_equal(result.summary, plain.summary, obj="returned summary")
    names = sorted(p.name for p in folder.iterdir())
    want = sorted(
        ["timeseries.csv", "summary.csv", "summary_stats.csv", "bands.csv", "coverage.png"]
        + ["fan.png", "manifest.json"]
    )
    assert names == want, f"files {names}"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "complete", f"status {manifest['status']}"


@pytest.fixture(scope="module")
def small_vs_large():
    strategies = {"small": cohort_scenario(2), "large": cohort_scenario(8)}
    return experiments.compare(strategies, reps=12, seed=4, workers=1, keep_timeseries=True)


def test_compare_gives_every_strategy_the_same_staff_flows(small_vs_large):
    ts = small_vs_large.timeseries
    small = ts[ts["strategy"] == "small"].set_index(["rep", "month"])[STAFF_FLOWS]
    large = ts[ts["strategy"] == "large"].set_index(["rep", "month"])[STAFF_FLOWS]
    assert len(small) == 12 * 24, f"rows of small {len(small)}"
    pd.testing.assert_frame_equal(small, large, obj="staff flows, small vs large")
    # and the strategies do differ in what they train
    differ = (
        ts[ts["strategy"] == "small"]["trained"].to_numpy()
        != ts[ts["strategy"] == "large"]["trained"].to_numpy()
    ).any()
    assert differ, "trained identical: the strategies did not differ"


def test_more_places_beat_fewer_in_every_replication(small_vs_large):
    # 16 places instead of 4 among 20 staff: at the end of the phase (month 12, on the common
    # clock) more are trained in every future, whoever left. The same date judged as "the end
    # of the phase" is an own-dates measure: shown, never scored.
    own = small_vs_large.differences.set_index("measure").loc["coverage_end_phase_1"]
    assert np.isnan(own["share_better"]), f"own-dates measure scored: {own['share_better']}"
    d = small_vs_large.differences.set_index("measure").loc["coverage_m12"]
    assert d["share_better"] == 1.0, f"large better than small in {d['share_better']:.0%}"
    assert d["share_worse"] == 0.0, f"large worse than small in {d['share_worse']:.0%}"
    assert d["ci_low"] > 0, f"difference interval {d['ci_low']}..{d['ci_high']}"
    summary = small_vs_large.summary
    per_rep = (
        summary.pivot(index="rep", columns="strategy", values="coverage_end_phase_1")
        .eval("large - small")
        .to_numpy()
    )
    assert (per_rep > 0).all(), f"per-replication differences {per_rep}"
    assert d["mean_difference"] == pytest.approx(per_rep.mean()), f"mean {d['mean_difference']}"


def test_pairing_narrows_the_interval_when_strategies_move_together():
    # One cohort trains all 20 staff, in January or in April: afterwards both strategies
    # lose the same trained people on the same days, so their coverage moves together and
    # the paired difference varies far less than either strategy does.
    strategies = {
        "january": cohort_scenario(20, cohorts=1),
        "april": cohort_scenario(20, cohorts=1, phase_start=date(2020, 4, 1)),
    }
    result = experiments.compare(strategies, reps=8, seed=4, workers=1)
    wide = result.summary.pivot(index="rep", columns="strategy", values="coverage_months")
    r = np.corrcoef(wide["january"], wide["april"])[0, 1]
    assert r > 0.5, f"premise: coverage-months of the two strategies correlate, r = {r:.2f}"
    d = result.differences.set_index("measure").loc["coverage_months"]
    paired = d["ci_high"] - d["ci_low"]
    unpaired = d["unpaired_ci_high"] - d["unpaired_ci_low"]
    assert paired < unpaired, f"paired width {paired:.3f}, unpaired {unpaired:.3f}"
    assert d["width_ratio"] == pytest.approx(paired / unpaired), f"ratio {d['width_ratio']}"
    assert d["share_worse"] == 1.0, f"april worse than january in {d['share_worse']:.0%}"


def test_comparison_table_has_each_measure_per_strategy(small_vs_large):
    table = small_vs_large.comparison
    counts = table.groupby("strategy").size().to_dict()
    n_measures = len([c for c in small_vs_large.summary.columns if c not in ("strategy", "rep")])
    assert counts == {"small": n_measures, "large": n_measures}, f"rows per strategy {counts}"
    row = table.set_index(["strategy", "measure"]).loc[("large", "coverage_horizon")]
    values = small_vs_large.summary.query("strategy == 'large'")["coverage_horizon"]
    assert row["mean"] == pytest.approx(values.mean()), f"mean {row['mean']} vs {values.mean()}"


def _sweep(tmp_path, name, workers, **kwargs):
    return experiments.sweep(
        cohort_scenario(4, horizon_months=12),
        {"programme.foundation.cohort_size": [2, 6], "practice.uptake": [0.5, 1.0]},
        metric="coverage_horizon",
        target=Target("coverage_horizon", ">=", 0.3),
        probability=0.8,
        reps=4,
        seed=2,
        workers=workers,
        out=tmp_path / name,
        **kwargs,
    )


def test_workers_do_not_change_results(tmp_path):
    one = _sweep(tmp_path, "one", workers=1)
    two = _sweep(tmp_path, "two", workers=2)
    a, b = files(tmp_path / "one"), files(tmp_path / "two")
    assert sorted(a) == sorted(b), f"files {sorted(a)} vs {sorted(b)}"
    for name in a:
        if name.endswith(".csv"):
            assert a[name] == b[name], f"{name} differs between 1 and 2 workers"
    assert sweep_answers(one) == sweep_answers(two), "answers differ between 1 and 2 workers"
    r1 = experiments.run(cohort_scenario(4), reps=6, seed=1, workers=1, out=tmp_path / "r1")
    r2 = experiments.run(cohort_scenario(4), reps=6, seed=1, workers=2, out=tmp_path / "r2")
    for name in ("timeseries.csv", "summary.csv", "summary_stats.csv", "bands.csv"):
        same = (r1.folder / name).read_bytes() == (r2.folder / name).read_bytes()
        assert same, f"run {name} differs between 1 and 2 workers"


def _stop_after(batches: int):
    """A progress callback that presses Ctrl-C once ``batches`` batches are saved."""
    calls = {"n": -1}  # the first call reports the work already done, before any batch

    def progress(done: int, total: int) -> None:
        calls["n"] += 1
        if calls["n"] == batches:
            raise KeyboardInterrupt

    return progress


@pytest.mark.parametrize("workers", [1, 2])
def test_resume_gives_the_files_of_an_uninterrupted_sweep(tmp_path, workers):
    whole = _sweep(tmp_path, "whole", workers=workers)
    with pytest.raises(experiments.Interrupted) as stopped:
        _sweep(tmp_path, "part", workers=workers, progress=_stop_after(2))
    folder = tmp_path / "part"
    assert stopped.value.folder == folder, f"interrupted folder {stopped.value.folder}"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "interrupted", f"status {manifest['status']}"
    saved = sorted(p.name for p in (folder / "batches").glob("*.summary.csv"))
    assert 2 <= len(saved) < 16, f"batches saved before the stop: {saved}"
    assert not list(folder.glob("*.csv")), f"final files written: {list(folder.glob('*.csv'))}"
    resumed = _sweep(tmp_path, "part", workers=workers, resume=True)
    a, b = files(whole.folder), files(resumed.folder)
    assert sorted(a) == sorted(b), f"files {sorted(a)} vs {sorted(b)}"
    for name in a:
        if name != "manifest.json":
            assert a[name] == b[name], f"{name} differs after resuming"
    assert json.loads(b["manifest.json"])["status"] == "complete", "resumed run not complete"


def test_resume_of_a_run_reruns_only_missing_batches(tmp_path):
    scenario = cohort_scenario(4)
    with pytest.raises(experiments.Interrupted):
        experiments.run(
            scenario, reps=5, seed=3, workers=1, out=tmp_path / "r", progress=_stop_after(3)
        )
    seen = []
    experiments.run(
        scenario,
        reps=5,
        seed=3,
        workers=1,
        out=tmp_path / "r",
        resume=True,
        progress=lambda done, total: seen.append(done),
    )
    assert seen == [3, 4, 5], f"progress while resuming: {seen} (3 of 5 were saved)"
    plain = plain_run(scenario, reps=5, seed=3)
    text = (tmp_path / "r" / "timeseries.csv").read_text()
    assert text == plain.timeseries.to_csv(index=False), "resumed timeseries.csv differs"


def test_resume_refuses_a_different_command(tmp_path):
    with pytest.raises(experiments.Interrupted):
        experiments.run(
            cohort_scenario(4),
            reps=4,
            seed=3,
            workers=1,
            out=tmp_path / "r",
            progress=_stop_after(1),
        )
    before = files(tmp_path / "r")
    with pytest.raises(BadInput) as err:
        experiments.run(
            cohort_scenario(4), reps=4, seed=99, workers=1, out=tmp_path / "r", resume=True
        )
    assert "different command" in err.value.lines[0], f"{err.value.lines}"
    assert files(tmp_path / "r") == before, "the folder changed"


def test_keep_timeseries(tmp_path):
    strategies = {"a": cohort_scenario(2, 12), "b": cohort_scenario(6, 12)}
    lean = experiments.compare(strategies, reps=3, workers=1, out=tmp_path / "lean")
    assert lean.timeseries is None, "timeseries returned without keep_timeseries"
    assert not (tmp_path / "lean" / "timeseries.csv").exists(), "timeseries.csv without asking"
    kept = experiments.compare(
        strategies, reps=3, workers=1, out=tmp_path / "kept", keep_timeseries=True
    )
    ts = pd.read_csv(tmp_path / "kept" / "timeseries.csv")
    assert len(ts) == 2 * 3 * 12, f"rows {len(ts)}, expected 2 strategies x 3 reps x 12 months"
    assert list(ts.columns[:4]) == ["strategy", "rep", "month", "date"], f"{list(ts.columns)}"
    assert len(kept.timeseries) == len(ts), f"returned rows {len(kept.timeseries)}"
    pd.testing.assert_frame_equal(lean.summary, kept.summary, obj="summary with/without rows")


def test_sweep_table_and_target(tmp_path):
    result = _sweep(tmp_path, "s", workers=1)
    table = result.sweep
    assert len(result.replications) == 4 * 4, f"replication rows {len(result.replications)}"
    points = table[["programme.foundation.cohort_size", "practice.uptake"]].drop_duplicates()
    assert points.values.tolist() == [[2, 0.5], [2, 1.0], [6, 0.5], [6, 1.0]], f"{points}"
    # the target's share recomputed from the per-replication rows
    reps = result.replications
    for _, row in result.target.iterrows():
        part = reps[reps["point"] == row["point"]]["coverage_horizon"]
        want = (part >= 0.3).mean()
        assert row["share_met"] == pytest.approx(want), f"point {row['point']}: {row['share_met']}"
    answers = sweep_answers(result)
    assert len(answers) == 2, f"one answer per row of the grid: {answers}"
    assert all(a.startswith("With Places per cohort = ") for a in answers), f"answers {answers}"
    assert outputs.draw(result) == ["sweep.png"], "draw lists the sweep picture"
    assert (tmp_path / "s" / "sweep.png").is_file(), "no sweep.png"
