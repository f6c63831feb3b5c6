"""The common clock: every strategy judged at the same dates, and draws that do not depend on
the horizon. These are the checks behind "is the difference the strategy's or the calendar's?".
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from conftest import make_scenario, one_phase

from sim import experiments, load_scenario, resolve_scenario
from sim.model.measures import MONTHLY, is_common_clock, is_strategy_relative
from sim.model.replication import Replication, run_replication

STAFF_FLOWS = [MONTHLY.index(c) for c in ("headcount", "vacancies", "agency", "starters")]


@pytest.fixture(scope="module")
def camden():
    return load_scenario(resolve_scenario("camden"))


def test_phase_2_timing_cannot_move_coverage_on_the_common_clock(camden):
    """Camden's Phase 2 supplies nothing that trains anyone, so moving it by 0, 6, 12 or 24
    months must leave every common-clock coverage measure unchanged, replication by
    replication; the strategy-relative ones (judged after each strategy's own phases) may
    move, and do, which is why they never lead a comparison.
    """
    delays = (0, 6, 12, 24)
    strategies = {
        f"gap{d}": camden.with_changes(
            {"programme.phases.1.start_after_months": d, "programme.phases.1.months": 12}
        )
        for d in delays
    }
    result = experiments.compare(strategies, reps=12, seed=3, workers=1)
    summary = result.summary
    coverage = [c for c in summary.columns if is_common_clock(c) and c.startswith("coverage")]
    assert len(coverage) == 6, f"common-clock coverage columns {coverage}"
    base = summary[summary["strategy"] == "gap0"].set_index("rep")
    for name in strategies:
        other = summary[summary["strategy"] == name].set_index("rep")
        for column in [*coverage, "coverage_months", "total_completed"]:
            assert (other[column] == base[column]).all(), (
                f"{name} moved {column}: {other[column].tolist()} vs {base[column].tolist()}"
            )
    gap = summary.groupby("strategy")["min_coverage_gap_1"].mean()
    assert math.isnan(gap["gap0"]), f"no gap at a delay of 0, so no gap measure: {gap}"
    assert gap["gap24"] < gap["gap12"] < gap["gap6"], f"the gap's low point falls: {gap}"


def test_measures_are_labelled_common_clock_or_strategy_relative(camden):
    from sim.model.measures import summary_columns

    names = summary_columns(camden)
    common = [n for n in names if is_common_clock(n)]
    relative = [n for n in names if is_strategy_relative(n)]
    assert common == [f"coverage_m{m}" for m in range(12, 73, 12)] + [
        f"practising_share_m{m}" for m in range(12, 73, 12)
    ], f"common clock {common}"
    assert set(relative) == {
        "coverage_end_phase_1",
        "coverage_end_phase_2",
        "practising_share_end_phase_1",
        "practising_share_end_phase_2",
        "min_coverage_gap_1",
        "sustained",
    }, f"strategy-relative {relative}"
    assert names.index(common[0]) == 0, "the common clock leads the summary's columns"


def test_common_clock_reads_the_row_m_months_after_the_start(camden):
    """coverage_m12 is the state 12 months after 1 Nov 2015: the end of month index 11."""
    result = run_replication(camden, 1, 0)
    coverage = result.monthly[:, MONTHLY.index("coverage")]
    for m in (12, 36, 72):
        assert result.summary[f"coverage_m{m}"] == coverage[m - 1], f"coverage_m{m}"
    assert result.summary["coverage_m72"] == result.summary["coverage_horizon"]


def test_at_months_are_checked_against_the_horizon(camden):
    from sim.scenario import ScenarioError

    with pytest.raises(ScenarioError) as caught:
        camden.with_changes({"measures.at_months": [6, 84]})
    assert any("measures.at_months" in line and "84" in line for line in caught.value.lines), (
        caught.value.lines
    )
    with pytest.raises(ScenarioError) as caught:
        camden.with_changes({"measures.at_months": [24, 12]})
    assert any("increase" in line for line in caught.value.lines), caught.value.lines
    chosen = camden.with_changes({"measures.at_months": [6, 30]})
    summary = run_replication(chosen, 1, 0).summary
    assert "coverage_m6" in summary, sorted(summary)
    assert "practising_share_m30" in summary, sorted(summary)
    assert "coverage_m12" not in summary, "only the months asked for"


def test_no_gap_means_no_gap_measure():
    """Two phases that adjoin have no gap: the lowest coverage 'in the gap' is empty, not the
    coverage at the first phase's end.
    """
    phases = [
        {"name": "A", "start": date(2020, 1, 1), "end": date(2020, 6, 30), "supplies": []},
        {"name": "B", "start": date(2020, 7, 1), "end": date(2020, 12, 31), "supplies": []},
    ]
    summary = run_replication(make_scenario(programme__phases=phases), 1, 0).summary
    assert math.isnan(summary["min_coverage_gap_1"]), summary["min_coverage_gap_1"]
    assert not math.isnan(summary["coverage_end_phase_1"]), "the phase end still exists"


def test_first_months_do_not_depend_on_the_horizon(camden):
    """Replication r with a 72- and a 96-month horizon: the first 72 months are the same,
    byte for byte, staff flows and everything the programme did.
    """
    longer = camden.with_changes({"scenario.horizon_months": 96})
    for rep in (0, 5):
        short = run_replication(camden, 4, rep).monthly
        long = run_replication(longer, 4, rep).monthly
        assert np.array_equal(short[:, STAFF_FLOWS], long[:72, STAFF_FLOWS]), f"rep {rep} flows"
        differs = [MONTHLY[i] for i in np.nonzero((short != long[:72]).any(axis=0))[0]]
        assert differs == [], f"rep {rep}: columns differing in the first 72 months {differs}"


def test_a_phase_starting_mid_month_meets_from_the_next_month_start():
    """A bi-monthly group in a phase from 15 January meets on 1 February, 1 April, ... (not
    first on 1 March, which counting from January's month would give).
    """
    data = make_scenario(
        workforce__initial_trained_fraction=1.0,
        programme__groups={"everyone": {"roles": ["worker"], "interval_months": 2}},
        programme__phases=one_phase(date(2020, 1, 15), date(2020, 12, 31), ["everyone"]),
    )
    result = Replication(data, 1, 0, trace=True).run()
    days = sorted({e.day for e in result.trace if e.kind == "group_session"})
    month_starts = [date(2020, m, 1) for m in (2, 4, 6, 8, 10, 12)]
    assert days == [(d - date(2020, 1, 1)).days for d in month_starts], f"sessions on {days}"
