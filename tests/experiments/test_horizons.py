"""Both ranges and the horizon: p5/p95 beside every interval, horizons.csv, discounting.

- summary_stats, comparison and differences carry the range of futures (p5, p95): numpy's
  5th and 95th percentiles of the values (of the paired differences for differences);
- horizons.csv: each total's paired difference accumulated to the end of each year; its
  last year equals the whole-run figure in differences.csv (and net_benefit.csv);
- measures.discount_rate: month t weighs (1 + r)^(-t/12); discounted totals carry their
  own names and equal the hand-discounted monthly values;
- a sign change within the horizon is found and said in one sentence.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from expkit import cohort_scenario

from sim import experiments, outputs
from sim.experiments import horizons
from sim.experiments.display import with_range
from sim.outputs import account

TOTALS = ("practising_person_months", "coverage_months", "total_cost")


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """Two strategies, the second's phase later, on the same 12 futures, written out."""
    early = cohort_scenario(4, horizon_months=30)
    late = early.with_changes(
        {"programme.phases.0.start": date(2020, 7, 1), "programme.phases.0.end": date(2021, 6, 30)}
    )
    out = tmp_path_factory.mktemp("pair") / "c"
    result = experiments.compare(
        {"early": early, "late": late},
        reps=12,
        seed=3,
        workers=1,
        out=out,
        value_per_practising_month=150.0,
    )
    outputs.draw(result)
    return result


def test_comparison_and_differences_carry_the_range_of_futures(pair):
    summary = pair.summary
    comparison = pair.comparison.set_index(["strategy", "measure"])
    differences = pair.differences.set_index(["strategy", "measure"])
    for m in TOTALS:
        early = summary[summary["strategy"] == "early"].sort_values("rep")[m].to_numpy(float)
        late = summary[summary["strategy"] == "late"].sort_values("rep")[m].to_numpy(float)
        row = comparison.loc[("late", m)]
        want = np.percentile(late, (5, 95))
        assert (row["p5"], row["p95"]) == pytest.approx(want), f"{m}: range {row[['p5', 'p95']]}"
        diff = differences.loc[("late", m)]
        want = np.percentile(late - early, (5, 95))
        assert (diff["p5"], diff["p95"]) == pytest.approx(want), f"{m}: {diff[['p5', 'p95']]}"
        # The range of futures is wider than the interval of the mean (12 futures that vary).
        assert diff["p95"] - diff["p5"] >= diff["ci_high"] - diff["ci_low"] - 1e-9 or (
            diff["sd"] == 0
        ), f"{m}: range {diff['p5']}..{diff['p95']} vs interval {diff['ci_low']}..{diff['ci_high']}"
    written = pd.read_csv(pair.folder / "differences.csv")
    assert {"p5", "p95"} <= set(written.columns), f"differences.csv columns {list(written)}"
    written = pd.read_csv(pair.folder / "comparison.csv")
    assert {"p5", "p95"} <= set(written.columns), f"comparison.csv columns {list(written)}"


def test_summary_stats_carry_the_range_of_futures():
    result = experiments.run(cohort_scenario(4), reps=11, seed=2, workers=1)
    stats = result.summary_stats.set_index("measure")
    x = result.summary["practising_person_months"].to_numpy(float)
    row = stats.loc["practising_person_months"]
    assert (row["p5"], row["p95"]) == pytest.approx(np.percentile(x, (5, 95))), f"{row}"


def test_horizons_last_year_equals_the_whole_run_difference(pair):
    table = pd.read_csv(pair.folder / "horizons.csv")
    assert set(table["measure"]) == {*TOTALS, "net_benefit"}, f"{set(table['measure'])}"
    assert list(table.loc[table["measure"] == "total_cost", "months"]) == [12, 24, 30], (
        f"months {list(table['months'])}"
    )
    differences = pair.differences.set_index(["strategy", "measure"])
    for m in TOTALS:
        last = table[table["measure"] == m].sort_values("year").iloc[-1]
        whole = differences.loc[("late", m)]
        for column in ("mean_difference", "ci_low", "ci_high", "p5", "p95", "share_better"):
            assert last[column] == pytest.approx(whole[column], rel=1e-9, abs=1e-9), (
                f"{m} {column}: horizons {last[column]}, differences {whole[column]}"
            )
    net = pair.net_benefit.set_index("strategy").loc["late"]
    last = table[table["measure"] == "net_benefit"].sort_values("year").iloc[-1]
    assert last["mean_difference"] == pytest.approx(net["difference_from_first"], rel=1e-9), (
        f"net benefit: horizons {last['mean_difference']}, net_benefit.csv {net}"
    )
    assert (pair.folder / "horizons.png").stat().st_size > 0, "no horizons.png"


def test_accumulated_years_add_the_monthly_values():
    monthly = {
        "practising": np.arange(30, dtype=float).reshape(1, 30),
        "coverage": np.full((1, 30), 0.5),
        "cost": np.ones((1, 30)),
    }
    rows = horizons.accumulated(monthly, 0.0)
    assert rows["practising_person_months"][0, 11] == sum(range(12)), f"{rows}"
    assert horizons.year_ends(30) == [12, 24, 30], f"{horizons.year_ends(30)}"
    assert horizons.year_ends(24) == [12, 24], f"{horizons.year_ends(24)}"


def test_discount_weighs_month_t_by_the_yearly_rate():
    w = horizons.weights(25, 0.035)
    assert w[0] == 1.0, f"weights {w[[0, 12]]}"
    assert w[12] == pytest.approx(1 / 1.035), f"weights {w[[0, 12]]}"
    assert w[24] == pytest.approx(1 / 1.035**2), f"weight of month 24 {w[24]}"


def test_discounted_totals_have_their_own_names_and_values(tmp_path):
    early = cohort_scenario(4, horizon_months=30).with_changes({"measures.discount_rate": 0.035})
    late = early.with_changes({"programme.phases.0.start": date(2020, 7, 1)})
    result = experiments.compare(
        {"early": early, "late": late},
        reps=4,
        seed=1,
        workers=1,
        out=tmp_path / "d",
        keep_timeseries=True,
    )
    names = set(result.differences["measure"])
    assert {f"{m}_discounted" for m in TOTALS} <= names, f"measures {sorted(names)}"
    assert "practising_person_months" in names, "the plain total must stay"
    table = pd.read_csv(tmp_path / "d" / "horizons.csv")
    assert set(table["measure"]) == {f"{m}_discounted" for m in TOTALS}, f"{set(table.measure)}"
    assert (table["discount_rate"] == 0.035).all(), "discount rate not recorded"
    rows = result.timeseries[result.timeseries["strategy"] == "early"]
    by_hand = np.mean(
        [
            (part.sort_values("month")["practising"].to_numpy() * horizons.weights(30, 0.035)).sum()
            for _, part in rows.groupby("rep")
        ]
    )
    by = result.comparison.set_index(["strategy", "measure"])
    plain = by.loc[("early", "practising_person_months"), "mean"]
    discounted = by.loc[("early", "practising_person_months_discounted"), "mean"]
    assert discounted == pytest.approx(by_hand, rel=1e-12), f"{discounted} vs by hand {by_hand}"
    assert 0 < discounted < plain, f"discounted {discounted} vs plain {plain}"
    lines = account.horizon_lines(result.horizons, result.strategies)
    assert any("discounted at 3.5% a year" in line for line in lines), f"{lines}"


def test_a_sign_change_is_found_and_said():
    rows = [
        {
            "strategy": "later",
            "measure": "practising_person_months",
            "year": y,
            "mean_difference": d,
        }  # noqa: E501
        for y, d in enumerate([0.0, -2.0, -180.0, -350.0, -65.0, 240.0], start=1)
    ]
    rows += [
        {"strategy": "later", "measure": "total_cost", "year": y, "mean_difference": d}
        for y, d in enumerate([5.0, 6.0, 7.0], start=1)
    ]
    changes = horizons.sign_changes(pd.DataFrame(rows))
    assert list(changes["measure"]) == ["practising_person_months"], f"{changes}"
    segments = changes.iloc[0]["segments"]
    assert segments == [(2, 5, -1), (6, 6, 1)], f"segments {segments}"
    text = horizons.sign_sentence("later", "now", "Practising person-months", segments, False)
    assert "less practising person-months than now in years 2 to 5 and more from year 6" in text, (
        text
    )


def test_both_ranges_named_in_words():
    row = {"mean": 0.10, "ci_low": 0.07, "ci_high": 0.13, "n": 20, "p5": 0.01, "p95": 0.24}
    words = with_range("practising_share_m72", row, words=True)
    assert words == "on average 10% (7% to 13%); in 9 futures of 10 between 1% and 24%", words
    cell = with_range("practising_share_m72", row)
    assert cell == "10% (7% to 13%); 9 in 10: 1% to 24%", cell
    few = with_range("practising_share_m72", {**row, "n": 5})
    assert "9 in 10" not in few, f"from 5 futures: {few}"
    assert "too few" in few, f"from 5 futures: {few}"


def test_a_sweep_compares_its_points_year_by_year(tmp_path):
    scenario = cohort_scenario(4, horizon_months=30)
    result = experiments.sweep(
        scenario,
        {"programme.foundation.cohort_size": [2, 6]},
        reps=10,
        seed=4,
        workers=1,
        out=tmp_path / "s",
    )
    table = pd.read_csv(tmp_path / "s" / "horizons.csv")
    assert set(table["point"]) == {1}, f"points {set(table['point'])} (the first is the base)"
    assert set(table["programme.foundation.cohort_size"]) == {6}, f"{table.columns}"
    last = table[table["measure"] == "practising_person_months"].sort_values("year").iloc[-1]
    reps = result.replications
    a = reps[reps["point"] == 0].sort_values("rep")["practising_person_months"].to_numpy()
    b = reps[reps["point"] == 1].sort_values("rep")["practising_person_months"].to_numpy()
    assert last["mean_difference"] == pytest.approx((b - a).mean()), f"{last}"


def test_own_dates_measures_get_no_verdict(pair):
    rows = pair.differences.set_index(["strategy", "measure"])
    own = rows.loc[("late", "sustained")]
    assert np.isnan(own["share_better"]), f"{own}"
    assert np.isnan(own["share_worse"]), f"{own}"
    assert np.isfinite(own["mean_difference"]), "the difference itself is still shown"
    best = pair.comparison.set_index(["strategy", "measure"])["probability_best"]
    assert np.isnan(best.loc[("late", "sustained")]), "an own-dates measure scored as best"
    assert np.isfinite(best.loc[("late", "practising_person_months")]), "common clock lost"


def test_a_run_with_a_discount_rate_says_so():
    scenario = cohort_scenario(4, horizon_months=30).with_changes({"measures.discount_rate": 0.035})
    result = experiments.run(scenario, reps=3, seed=1, workers=1)
    lines = " ".join(account.describe(scenario, result.summary, 1, result.monthly))
    assert "Discounted at 3.5% a year (measures.discount_rate" in lines, lines
    plain = " ".join(account.describe(cohort_scenario(4, horizon_months=30), result.summary, 1))
    assert "Discounted" not in plain, "a rate of 0 is not shown as discounting"
