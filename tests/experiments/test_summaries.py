"""Summaries across replications, checked against numpy/scipy on hand-made or run tables.

- summary_stats: mean, sd, t interval and n equal numpy/scipy on the same summary column;
  n = 1 gives no interval, zero spread gives an interval of width zero;
- percentile bands equal numpy's percentiles of the kept monthly rows;
- paired differences: Welch interval equals scipy's; who beats whom, with ties and never-
  reached values; the direction table covers every measure;
- the target search reads a hand-made table the way a person would.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from expkit import cohort_scenario
from scipy import stats

from sim import experiments
from sim.experiments.tables import beats, direction, summary_stats, welch_interval
from sim.experiments.targets import Target, search_target
from sim.model import measures as metrics


@pytest.fixture(scope="module")
def result():
    return experiments.run(cohort_scenario(4), reps=7, seed=5, workers=1, keep_timeseries=True)


@pytest.mark.parametrize("measure", ["coverage_end_phase_1", "coverage_months"])
def test_summary_stats_match_numpy_and_scipy(result, measure):
    x = result.summary[measure].astype(float).to_numpy()
    row = result.summary_stats.set_index("measure").loc[measure]
    n = len(x)
    mean, sd = x.mean(), x.std(ddof=1)
    low, high = (
        stats.t.interval(0.95, n - 1, loc=mean, scale=sd / np.sqrt(n))
        if sd > 0
        else (
            mean,
            mean,
        )
    )
    assert row["n"] == n, f"{measure}: n {row['n']}, expected {n}"
    assert row["mean"] == pytest.approx(mean, rel=1e-12), f"{measure}: mean {row['mean']}"
    assert row["sd"] == pytest.approx(sd, rel=1e-12, abs=1e-15), f"{measure}: sd {row['sd']}"
    assert row["ci_low"] == pytest.approx(low, rel=1e-9), f"{measure}: ci_low {row['ci_low']}"
    assert row["ci_high"] == pytest.approx(high, rel=1e-9), f"{measure}: ci_high {row['ci_high']}"


def test_summary_stats_cover_every_measure_of_summary_csv(result):
    listed = list(result.summary_stats["measure"])
    wanted = [c for c in result.summary.columns if c != "rep"]
    assert listed == wanted, f"summary_stats measures {listed}, summary columns {wanted}"


def test_yes_no_measure_gets_the_wilson_interval_of_scipy(result):
    x = result.summary["sustained"].astype(float).to_numpy()
    row = result.summary_stats.set_index("measure").loc["sustained"]
    k, n = int(x.sum()), len(x)
    want = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert row["mean"] == pytest.approx(k / n), f"share {row['mean']}, expected {k}/{n}"
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((want.low, want.high), rel=1e-9), (
        f"interval {row['ci_low']}..{row['ci_high']}, scipy's Wilson {want.low}..{want.high}"
    )


@pytest.mark.parametrize("k", [0, 20])
def test_unanimous_yes_no_measure_still_has_an_interval(k):
    # 20 of 20 (or 0 of 20) futures: not certainty, and not outside [0, 1].
    table = pd.DataFrame({"rep": range(20), "sustained": [True] * k + [False] * (20 - k)})
    row = summary_stats(table).set_index("measure").loc["sustained"]
    want = stats.binomtest(k, 20).proportion_ci(confidence_level=0.95, method="wilson")
    assert 0.0 <= row["ci_low"] < row["ci_high"] <= 1.0, (
        f"{k}/20 gave {row['ci_low']}..{row['ci_high']}"
    )
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((want.low, want.high), rel=1e-9), (
        f"{k}/20 gave {row['ci_low']}..{row['ci_high']}, scipy {want.low}..{want.high}"
    )


def test_interval_with_one_value_and_with_no_spread():
    table = pd.DataFrame(
        {
            "rep": [0, 1, 2],
            "coverage_horizon": [0.4, np.nan, np.nan],  # one known value
            "total_cost": [100.0, 100.0, 100.0],  # no spread
        }
    )
    out = summary_stats(table).set_index("measure")
    one = out.loc["coverage_horizon"]
    assert one["n"] == 1, f"n {one['n']}, missing {one['n_missing']}"
    assert one["n_missing"] == 2, f"n {one['n']}, missing {one['n_missing']}"
    assert one["mean"] == 0.4, f"mean of one value {one['mean']}"
    assert np.isnan(one["ci_low"]), (
        f"one value gave sd {one['sd']}, interval {one['ci_low']}..{one['ci_high']}"
    )
    assert np.isnan(one["ci_high"]), (
        f"one value gave sd {one['sd']}, interval {one['ci_low']}..{one['ci_high']}"
    )
    assert np.isnan(one["sd"]), (
        f"one value gave sd {one['sd']}, interval {one['ci_low']}..{one['ci_high']}"
    )
    flat = out.loc["total_cost"]
    assert (flat["sd"], flat["ci_low"], flat["ci_high"]) == (0.0, 100.0, 100.0), (
        f"no spread gave sd {flat['sd']}, interval {flat['ci_low']}..{flat['ci_high']}"
    )


def test_bands_are_numpy_percentiles_of_the_monthly_rows(result):
    ts = result.timeseries
    for measure in ("coverage", "practising_share"):
        values = ts.pivot(index="rep", columns="month", values=measure).to_numpy()
        want = np.percentile(values, [5, 25, 50, 75, 95], axis=0)
        got = result.bands[result.bands["measure"] == measure].sort_values("month")
        for i, p in enumerate((5, 25, 50, 75, 95)):
            observed = got[f"p{p}"].to_numpy()
            assert np.allclose(observed, want[i]), f"{measure} p{p}: {observed} vs {want[i]}"


def test_welch_interval_matches_scipy():
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, 9), rng.normal(0.5, 2, 13)
    want = stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
    got = welch_interval(a, b)
    assert got == pytest.approx((want.low, want.high), rel=1e-9), f"{got} vs {want}"


def test_beats_counts_better_worse_and_ties():
    base = np.array([0.5, 0.5, 0.5, 0.5])
    cand = np.array([0.6, 0.4, 0.5, 0.7])
    assert beats(cand, base, +1) == (0.5, 0.25), f"higher is better: {beats(cand, base, +1)}"
    assert beats(cand, base, -1) == (0.25, 0.5), f"lower is better: {beats(cand, base, -1)}"
    # months to 80 %: reaching it (any month) beats never reaching it; never vs never ties.
    never = np.nan
    base = np.array([never, 10.0, never, 12.0])
    cand = np.array([20.0, never, never, 11.0])
    assert beats(cand, base, -1) == (0.5, 0.25), f"months with never: {beats(cand, base, -1)}"


def test_direction_table():
    for name in metrics.SUMMARY:
        assert direction(name) in (-1, 0, 1), f"{name}: {direction(name)}"
    expected = {
        "coverage_horizon": 1,
        "coverage_end_phase_2": 1,
        "min_coverage_gap_1": 1,
        "sustained": 1,
        "champions_alive_horizon": 1,
        "coverage_months": 1,
        "months_to_80_coverage": -1,
        "total_cost": -1,
        "mean_wait_offered_months": -1,
        "median_wait_new_starters_months": -1,
        "new_starters_never_offered": -1,
        "practising_share_m36": 1,
        "completed_phase_1": 1,
        "new_starters": 0,
    }
    got = {k: direction(k) for k in expected}
    assert got == expected, f"directions {got}"


@pytest.mark.parametrize(
    ("shares", "kind", "value", "values"),
    [
        ([1.0, 0.95, 0.9, 0.7, 0.4], "up_to", 6, (0, 3, 6)),  # met while the delay is short
        ([0.2, 0.5, 0.9, 0.95, 1.0], "at_least", 6, (6, 9, 12)),  # met from 6 champions up
        ([0.9, 0.9, 0.9, 0.9, 0.9], "all", 12, (0, 3, 6, 9, 12)),
        ([0.1, 0.2, 0.3, 0.89, 0.5], "none", None, ()),
        ([0.95, 0.5, 0.95, 0.5, 0.5], "some", None, (0, 6)),
    ],
)
def test_target_search_on_a_hand_made_table(shares, kind, value, values):
    answer = search_target([0, 3, 6, 9, 12], shares, 0.9)
    assert (answer.kind, answer.value, answer.values) == (kind, value, values), f"{answer}"


def test_target_never_met_by_an_empty_value():
    target = Target("months_to_80_coverage", "<=", 12)
    met = target.met(np.array([10.0, 12.0, 13.0, np.nan]))
    assert list(met) == [True, True, False, False], f"met {list(met)}"
