"""Invariants that every monthly row and every summary must satisfy, whatever the strategy.

Run on the bundled Camden scenario and on variants that switch on the mechanisms Camden
leaves off (champion inductions with replacement, places for new starters, whole-team and
senior-first allocation, trainer limits, agency places, staff trained at the start, the
do-nothing strategy). Each invariant follows from the definitions in MODEL.md section 3.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from conftest import make_scenario

from sim import load_scenario
from sim.experiments.replications import replicate as run

REPS = 4
SEED = 20240601

VARIANTS: dict[str, dict] = {
    "camden": {},
    "champions_inducting": {
        "champions.induction_places_per_champion_per_month": 0.25,
        "champions.replacement": "at_once",
        "champions.target": 20,
    },
    "champions_yearly": {
        "champions.induction_places_per_champion_per_month": 0.5,
        "champions.replacement": "yearly",
        "champions.appoint_from": "2016-03-01",
    },
    "new_starters_offered": {"programme.foundation.offer_new_starters": True},
    "whole_teams": {"programme.foundation.allocation": "whole_teams"},
    "senior_first_one_trainer_team": {
        "programme.foundation.allocation": "senior_first",
        "programme.foundation.max_concurrent_cohorts": 1,
    },
    "agency_offered_some_trained": {
        "programme.foundation.offer_agency": True,
        "workforce.initial_trained_fraction": 0.3,
        "workforce.recruits_trained_fraction": 0.2,
    },
    "do_nothing": {"programme.phases": []},
}


@pytest.fixture(scope="module")
def camden(camden_path):
    return load_scenario(camden_path)


@pytest.fixture(scope="module", params=list(VARIANTS))
def variant(request, camden):
    """(name, scenario, results) for each variant, run once per module."""
    changes = VARIANTS[request.param]
    scenario = camden.with_changes(changes) if changes else camden
    return request.param, scenario, run(scenario, reps=REPS, seed=SEED)


SHOWN = ["headcount", "vacancies", "agency", "trained", "inducted", "coverage", "practising"]
SHOWN += ["champions", "waiting", "in_training", "teams_supervising", "starters", "leavers"]


def _bad(ts: pd.DataFrame, mask: pd.Series) -> str:
    """The first offending rows, for the assertion message."""
    return ts.loc[mask, ["rep", "month", *SHOWN]].head(5).to_string(index=False)


def test_monthly_rows_satisfy_invariants(variant):
    name, scenario, results = variant
    ts = results.timeseries
    roles = scenario.workforce.roles
    posts = sum(r.posts for r in roles.values())
    teams = roles[scenario.workforce.supervisor_role].posts
    assert len(ts) == REPS * scenario.scenario.horizon_months, f"{name}: {len(ts)} rows"

    checks = {
        "0 <= coverage <= 1": (ts.coverage >= 0) & (ts.coverage <= 1),
        "0 <= practising_share <= 1": (ts.practising_share >= 0) & (ts.practising_share <= 1),
        "trained <= headcount <= posts": (ts.trained <= ts.headcount) & (ts.headcount <= posts),
        "practising <= trained": ts.practising <= ts.trained,
        "champions <= trained": ts.champions <= ts.trained,
        "champions <= target": ts.champions <= scenario.champions.target,
        "inducted <= trained": ts.inducted <= ts.trained,
        "waiting >= 0": ts.waiting >= 0,
        "waiting + trained <= headcount": ts.waiting + ts.trained <= ts.headcount,
        "waiting + trained + in_training <= headcount + agency": (
            ts.waiting + ts.trained + ts.in_training <= ts.headcount + ts.agency
        ),
        "waiting + trained + in_training <= headcount (no agency places)": (
            ts.waiting + ts.trained + ts.in_training <= ts.headcount
        )
        | scenario.programme.foundation.offer_agency,
        "vacancies = posts - headcount": ts.vacancies == posts - ts.headcount,
        "0 <= agency <= vacancies": (ts.agency >= 0) & (ts.agency <= ts.vacancies),
        "teams_supervising <= teams": ts.teams_supervising <= teams,
        "starters, leavers >= 0": (ts.starters >= 0) & (ts.leavers >= 0),
        "flows >= 0": (ts.training_days >= 0) & (ts.provider_days >= 0) & (ts.cost >= 0),
    }
    for label, ok in checks.items():
        assert ok.all(), f"{name}: {label} fails in {(~ok).sum()} rows:\n{_bad(ts, ~ok)}"

    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = np.where(ts.headcount > 0, ts.trained / ts.headcount, 0.0)
        share = np.where(ts.headcount > 0, ts.practising / ts.headcount, 0.0)
    ok = np.isclose(ts.coverage, coverage)
    assert ok.all(), f"{name}: coverage != trained / headcount:\n{_bad(ts, ~ok)}"
    ok = np.isclose(ts.practising_share, share)
    assert ok.all(), f"{name}: practising_share != practising / headcount:\n{_bad(ts, ~ok)}"


def test_headcount_changes_by_starters_minus_leavers(variant):
    """headcount[m] - headcount[m-1] = starters[m] - leavers[m]; month 0 starts from the
    posts less the initial vacancies (every role here has a hiring delay).
    """
    name, scenario, results = variant
    ts = results.timeseries
    roles = scenario.workforce.roles.values()
    assert all(r.hiring_delay_months > 0 for r in roles), "the month-0 check needs delays"
    initial = sum(r.posts - r.initial_vacancies for r in roles)
    for rep, rows in ts.groupby("rep"):
        rows = rows.sort_values("month")
        headcount = rows.headcount.to_numpy()
        net = (rows.starters - rows.leavers).to_numpy()
        change = np.diff(headcount, prepend=initial)
        bad = np.flatnonzero(change != net)
        assert len(bad) == 0, (
            f"{name} rep {rep}: months {bad[:5].tolist()} change {change[bad[:5]].tolist()} "
            f"but starters - leavers {net[bad[:5]].tolist()} (initial headcount {initial})"
        )


def test_summary_agrees_with_timeseries(variant):
    name, scenario, results = variant
    ts, summary = results.timeseries, results.summary
    assert len(summary) == REPS, f"{name}: {len(summary)} summary rows"
    for _, row in summary.iterrows():
        rows = ts[ts.rep == row.rep].sort_values("month")
        coverage = rows.coverage.to_numpy()
        assert row.coverage_horizon == pytest.approx(coverage[-1]), (
            f"{name} rep {row.rep}: coverage_horizon {row.coverage_horizon} vs {coverage[-1]}"
        )
        assert row.coverage_months == pytest.approx(coverage.sum()), (
            f"{name} rep {row.rep}: coverage_months {row.coverage_months} vs {coverage.sum()}"
        )
        for level in (50, 80):
            reached = np.flatnonzero(coverage >= level / 100)
            got = row[f"months_to_{level}_coverage"]
            if len(reached):
                assert got == reached[0] + 1, f"{name}: months_to_{level} {got}, first {reached[0]}"
            else:
                assert np.isnan(got), f"{name}: months_to_{level} {got} but never reached"
        for column, total in (
            ("total_training_days", rows.training_days.sum()),
            ("total_provider_days", rows.provider_days.sum()),
            ("total_cost", rows.cost.sum()),
        ):
            assert row[column] == pytest.approx(total), f"{name}: {column} {row[column]} vs {total}"
        offered, starters = row.new_starters_offered_place, row.new_starters
        assert 0 <= offered <= starters, f"{name}: {offered} offered of {starters} new starters"
        alive = scenario.champions.target > 0 and (
            rows.champions.iloc[-1] >= scenario.champions.min_group_size
        )
        assert bool(row.champions_alive_horizon) == alive, (
            f"{name}: champions_alive_horizon {row.champions_alive_horizon}, "
            f"{rows.champions.iloc[-1]} champions at the horizon"
        )
        phase_rows(scenario, row, coverage, name)


def month_index(start: date, when: date) -> int:
    return (when.year - start.year) * 12 + when.month - start.month


def phase_rows(scenario, row, coverage: np.ndarray, name: str) -> None:
    """Phase-end, gap and 'sustained' measures read the rows their dates point to: the row
    of the month holding a phase's last day; the rows taken between one phase's end and the
    next one's start; the row N months after the month the last phase ends.
    """
    start = scenario.scenario.start
    phases = scenario.phase_dates()  # (first day, last day) of each phase
    for i, (_, end) in enumerate(phases, start=1):
        month = month_index(start, end)
        got = row[f"coverage_end_phase_{i}"]
        assert got == pytest.approx(coverage[month]), (
            f"{name}: coverage_end_phase_{i} {got}, row {month} has {coverage[month]}"
        )
    for i, (before, after) in enumerate(zip(phases, phases[1:], strict=False), start=1):
        gap_start = before[1] + timedelta(days=1)
        rows = [
            m for m in range(len(coverage)) if gap_start <= add_months(start, m + 1) <= after[0]
        ]
        got = row[f"min_coverage_gap_{i}"]
        assert got == pytest.approx(coverage[rows].min()), (
            f"{name}: min_coverage_gap_{i} {got}, rows {rows} have {coverage[rows]}"
        )
    if phases:
        judged = month_index(start, phases[-1][1]) + scenario.measures.sustain_after_months
        if judged < len(coverage):
            want = coverage[judged] >= scenario.measures.sustain_target
            assert bool(row.sustained) == want, (
                f"{name}: sustained {row.sustained}, coverage {coverage[judged]} at row {judged}"
            )


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, day.day)


def test_variant_exercises_its_mechanism(variant):
    """Guard: each variant really switches on what it is meant to test."""
    name, scenario, results = variant
    ts, summary = results.timeseries, results.summary
    if name.startswith("champions_"):
        assert ts.inducted.max() > 0, f"{name}: nobody inducted"
    if name == "camden":
        assert (ts.inducted == 0).all(), f"{name}: inductions without induction places"
        assert ts.champions.max() > 0, f"{name}: no champions appointed"
    if name == "new_starters_offered":
        offered = summary.new_starters_offered_place
        assert (offered > 0).all(), f"{name}: new starters offered places {offered.tolist()}"
    if name == "senior_first_one_trainer_team":
        size = scenario.programme.foundation.cohort_size
        assert ts.in_training.max() <= size, (
            f"{name}: one cohort at a time, but {ts.in_training.max()} in training (size {size})"
        )
    if name != "do_nothing":
        assert ts.trained.max() > 0, f"{name}: nobody trained"


def test_do_nothing_has_no_training_and_no_provider():
    """Extreme: no phases, nobody trained at the start, no champions -> nothing happens."""
    scenario = make_scenario(
        workforce__roles__worker__turnover=0.3,
        workforce__roles__worker__hiring_delay_months=3.0,
        champions__target=0,
    )
    results = run(scenario, reps=3, seed=1)
    ts = results.timeseries
    for column in (
        "trained",
        "practising",
        "in_training",
        "waiting",
        "champions",
        "training_days",
        "provider_days",
        "cost",
        "teams_supervising",
    ):
        assert (ts[column] == 0).all(), f"{column} should be 0: {ts[column].unique()}"
