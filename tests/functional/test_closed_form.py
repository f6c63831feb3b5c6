"""Closed-form checks: the model against answers worked out by hand.

Every expected value here is derived from the model's definitions (MODEL.md sections 2-3:
turnover is a constant hazard in leavers per person-year, hiring delays are exponential
with the given mean, durations given in months use the average month of 365.25 / 12 days,
each month's row is taken at the month's end), from calendar arithmetic done with
``datetime`` here, or from an extreme parameter value. None is copied from a model run.

Stochastic checks compare a mean over replications with its closed form using the spread
seen across replications: |mean - expected| <= 4 standard errors. Seeds are fixed, so each
check is deterministic; 4 standard errors leaves room for any seed a correct model meets.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import base_data, make_scenario, one_phase

from sim.runner import run

DAYS_PER_YEAR = 365.25  # the DfE rate is per person-year; MODEL.md: average-month durations
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
START = date(2021, 1, 1)  # a non-leap start: one calendar year is 365 days


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, day.day)


def row_day(start: date, month: int) -> int:
    """Days from ``start`` to the instant month ``month``'s row is taken (its end)."""
    return (add_months(start, month + 1) - start).days


def month_containing(start: date, day: float) -> int:
    """The reporting month (0 = the start month) holding model day ``day``."""
    month = 0
    while (add_months(start, month + 1) - start).days <= day:
        month += 1
    return month


def one_role(posts: int, turnover: float, hiring_delay_months: float = 0.0, **role: Any) -> dict:
    """Scenario data with a single role of ``posts`` posts and no teams, starting at START."""
    data = base_data()
    data["scenario"]["start"] = START
    data["workforce"]["supervisor_role"] = None
    data["workforce"]["roles"] = {
        "worker": {
            "posts": posts,
            "turnover": turnover,
            "hiring_delay_months": hiring_delay_months,
            "team_member": False,
            **role,
        }
    }
    return data


def per_rep(ts: pd.DataFrame, name: str) -> np.ndarray:
    """A monthly column as a (replications x months) array."""
    return ts.pivot(index="rep", columns="month", values=name).to_numpy(dtype=float)


def within_se(values: np.ndarray, expected: float, what: str, k: float = 4.0) -> None:
    """Assert the mean of per-replication ``values`` is within k standard errors of ``expected``."""
    mean = float(np.mean(values))
    se = float(np.std(values, ddof=1) / math.sqrt(len(values)))
    assert se > 0, f"{what}: no spread across {len(values)} replications (values {values[:5]})"
    assert abs(mean - expected) <= k * se, (
        f"{what}: mean {mean:.5f} over {len(values)} replications, expected {expected:.5f} "
        f"(off by {abs(mean - expected) / se:.1f} standard errors of {se:.5f})"
    )


# --------------------------------------------------------------------------- 1. cohorts


def cohort_scenario(cohorts: int, allocation: str):
    """Ten staff (2 supervisors, 8 workers), no turnover, one phase of foundation cohorts
    of 3 places every 2 months, one 1-day session, everyone attends, everyone engages."""
    return make_scenario(
        workforce__roles__supervisor__posts=2,
        workforce__roles__worker__posts=8,
        practice__uptake=1.0,
        programme__phases=one_phase(date(2020, 1, 1), date(2021, 12, 31), ["foundation"]),
        programme__foundation__cohorts=cohorts,
        programme__foundation__cohort_size=3,
        programme__foundation__interval_months=2,
        programme__foundation__attendance=1.0,
        programme__foundation__sessions=[{"after_months": 0, "days": 1}],
        programme__foundation__allocation=allocation,
    )


@pytest.mark.parametrize("allocation", ["random", "mixed", "senior_first", "whole_teams"])
@pytest.mark.parametrize("cohorts", [3, 4])
def test_coverage_steps_up_by_one_cohort_at_a_time(cohorts, allocation):
    """Coverage after the j-th cohort completes is exactly min(1, j x places / staff).

    Cohort j starts (and, with its single session, completes) on day (j-1) x 2 average
    months from 2020-01-01: days 0, 60.9, 121.8, 182.6, which fall in months 0, 2, 4, 6
    (2020 is a leap year: 1 March is day 60, 1 May day 121, 1 July day 182).
    """
    staff, places = 10, 3
    scenario = cohort_scenario(cohorts, allocation)
    start = scenario.scenario.start
    horizon = scenario.scenario.horizon_months
    starts = [(j - 1) * 2 * DAYS_PER_MONTH for j in range(1, cohorts + 1)]
    done_by = np.array([month_containing(start, d) for d in starts])
    assert list(done_by) == [0, 2, 4, 6][:cohorts], f"calendar helper gave months {done_by}"

    ts = run(scenario, reps=3, seed=11).timeseries
    for name, expected_each in (("headcount", staff), ("vacancies", 0), ("agency", 0)):
        observed = per_rep(ts, name)
        assert (observed == expected_each).all(), f"{name} not {expected_each}: {observed}"
    trained = per_rep(ts, "trained")
    coverage = per_rep(ts, "coverage")
    for month in range(horizon):
        j = int((done_by <= month).sum())
        want = min(staff, j * places)
        assert (trained[:, month] == want).all(), (
            f"{cohorts} cohorts, {allocation}: month {month} trained {trained[:, month]}, "
            f"expected {want} after {j} cohort(s)"
        )
        assert np.allclose(coverage[:, month], min(1.0, j * places / staff), atol=1e-12), (
            f"{cohorts} cohorts, {allocation}: month {month} coverage {coverage[:, month]}, "
            f"expected min(1, {j} x {places} / {staff})"
        )


@pytest.mark.parametrize("cohorts", [3, 4])
def test_cohort_training_days_waiting_and_provider_days(cohorts):
    """One training day per trained person; a cohort with anyone in it costs 1 day x 2
    trainers; untrained staff wait only while a later cohort is still to start."""
    staff, places = 10, 3
    scenario = cohort_scenario(cohorts, "random")
    start = scenario.scenario.start
    horizon = scenario.scenario.horizon_months
    last_start = (cohorts - 1) * 2 * DAYS_PER_MONTH
    res = run(scenario, reps=2, seed=5)
    ts, summary = res.timeseries, res.summary
    trained_total = min(staff, cohorts * places)
    days = summary["total_training_days"].to_numpy()
    assert (days == trained_total).all(), f"training days {days}, expected {trained_total}"
    provider = summary["total_provider_days"].to_numpy()
    assert (provider == 2.0 * cohorts).all(), f"provider days {provider}, expected {2 * cohorts}"
    waiting = per_rep(ts, "waiting")
    trained = per_rep(ts, "trained")
    for month in range(horizon):
        route_open = row_day(start, month) < last_start
        want = staff - trained[:, month] if route_open else np.zeros(len(trained))
        assert (waiting[:, month] == want).all(), (
            f"month {month}: waiting {waiting[:, month]}, expected {want} "
            f"(a later cohort {'is' if route_open else 'is not'} still to start)"
        )


# --------------------------------------------------------------------------- 2. turnover


def test_trained_share_decays_as_exp_minus_turnover_times_t():
    """Everyone trained at the start, refilled at once by untrained recruits: the trained
    share after t years is the share of initial holders still in post, exp(-lambda t)."""
    posts, rate, reps = 200, 0.3, 60
    scenario = make_scenario(
        one_role(posts, rate), workforce__initial_trained_fraction=1.0, scenario__horizon_months=36
    )
    ts = run(scenario, reps=reps, seed=2024).timeseries

    headcount = per_rep(ts, "headcount")
    assert (headcount == posts).all(), f"headcount left {posts}: {np.unique(headcount)}"
    vacancies = per_rep(ts, "vacancies")
    assert (vacancies == 0).all(), f"vacancies with no hiring delay: {np.unique(vacancies)}"
    starters, leavers = per_rep(ts, "starters"), per_rep(ts, "leavers")
    assert (starters == leavers).all(), (
        f"refilled at once, but starters != leavers in {(starters != leavers).sum()} rep-months"
    )

    coverage = per_rep(ts, "coverage")
    for years in (1, 2, 3):
        month = 12 * years - 1  # the row taken at the end of year ``years``
        t = row_day(START, month) / DAYS_PER_YEAR
        expected = math.exp(-rate * t)
        within_se(coverage[:, month], expected, f"coverage after {years} year(s)")
    # Posts keep or lose their first holder independently: binomial spread across reps.
    p = math.exp(-rate * row_day(START, 11) / DAYS_PER_YEAR)
    ratio = np.var(coverage[:, 11], ddof=1) / (p * (1 - p) / posts)
    assert 0.4 <= ratio <= 1.7, f"variance of year-1 coverage is {ratio:.2f} x binomial"


# --------------------------------------------------------------------------- 3. vacancies


@pytest.mark.parametrize(
    ("rate", "delay_months", "horizon", "settled_from"),
    [(1.0, 6.0, 48, 24), (0.2, 15.2, 96, 48)],
)
def test_long_run_vacancy_share_and_agency_cover(rate, delay_months, horizon, settled_from):
    """Each post alternates holder spells (mean 1/lambda years) and vacancies (mean D years):
    an alternating renewal process vacant a share D / (1/lambda + D) = lambda D / (1 + lambda D)
    of the time. Each vacancy is covered by agency with probability c, whatever its length,
    so agency / vacancies -> c. ``settled_from`` is at least 4 / (lambda + 1/D) years in."""
    posts, cover, reps = 200, 0.7, 40
    scenario = make_scenario(
        one_role(posts, rate, delay_months),
        workforce__agency_cover=cover,
        scenario__horizon_months=horizon,
    )
    ts = run(scenario, reps=reps, seed=77).timeseries
    d_years = delay_months / 12
    expected = rate * d_years / (1 + rate * d_years)
    vacancies = per_rep(ts, "vacancies")[:, settled_from:]
    agency = per_rep(ts, "agency")[:, settled_from:]
    within_se(vacancies.mean(axis=1) / posts, expected, f"vacancy share (lambda {rate}, D {d_years:.3f} y)")
    within_se(agency.sum(axis=1) / vacancies.sum(axis=1), cover, "share of vacancies covered by agency")
    assert (agency <= vacancies).all(), "more agency workers than vacancies"


@pytest.mark.parametrize("cover", [0.0, 1.0])
def test_agency_cover_extremes(cover):
    """Cover 0: never an agency worker. Cover 1: every vacancy, initial ones too, covered."""
    scenario = make_scenario(
        one_role(60, 0.5, 9.0, initial_vacancies=12),
        workforce__agency_cover=cover,
        scenario__horizon_months=36,
    )
    ts = run(scenario, reps=3, seed=3).timeseries
    vacancies, agency = per_rep(ts, "vacancies"), per_rep(ts, "agency")
    assert vacancies.sum() > 0, "the scenario should have vacancies"
    want = vacancies * cover
    assert (agency == want).all(), (
        f"cover {cover}: agency {agency[0, :12]} vs vacancies {vacancies[0, :12]} (rep 0)"
    )


# --------------------------------------------------------------------------- 4. leavers


def test_leavers_with_immediate_refill_are_poisson():
    """Refilled at once, each post's leaving times form a Poisson process of rate lambda,
    so total leavers over the horizon ~ Poisson(lambda x posts x years x reps)."""
    posts, rate, reps = 200, 0.3, 30
    scenario = make_scenario(one_role(posts, rate), scenario__horizon_months=36)
    ts = run(scenario, reps=reps, seed=9).timeseries
    years = row_day(START, 35) / DAYS_PER_YEAR
    expected = rate * posts * years * reps
    observed = int(ts["leavers"].sum())
    assert abs(observed - expected) <= 4 * math.sqrt(expected), (
        f"{observed} leavers, expected {expected:.0f} +/- {4 * math.sqrt(expected):.0f}"
    )


@pytest.mark.parametrize("delay_months", [0.0, 6.0])
def test_leavers_per_person_year_equal_turnover(delay_months):
    """Sum of leavers / sum of headcount-years is the turnover rate (the DfE definition)."""
    posts, rate, reps = 150, 0.4, 30
    scenario = make_scenario(one_role(posts, rate, delay_months), scenario__horizon_months=48)
    ts = run(scenario, reps=reps, seed=31).timeseries
    month_years = np.array(
        [(row_day(START, m) - (row_day(START, m - 1) if m else 0)) / DAYS_PER_YEAR for m in range(48)]
    )
    person_years = per_rep(ts, "headcount") @ month_years
    leavers = per_rep(ts, "leavers").sum(axis=1)
    assert person_years.min() > 0, f"no person-years: {person_years}"
    within_se(leavers / person_years, rate, f"leavers per person-year (delay {delay_months} months)")


# --------------------------------------------------------------------------- 5. decay


@pytest.mark.parametrize(
    ("half_life", "threshold"),
    [(10.0, 0.4), (6.0, 0.5), (3.0, 0.1), (4.0, 0.8)],
)
def test_practice_lapses_exactly_at_half_life_times_log2_one_over_threshold(half_life, threshold):
    """Trained at day 0, level 1 halving every h months, nothing reinforcing: the level
    falls to the threshold after h log2(1/theta) average months; the person practises
    before that and never after."""
    posts = 7
    scenario = make_scenario(
        one_role(posts, 0.0),
        workforce__initial_trained_fraction=1.0,
        practice__uptake=1.0,
        practice__half_life_months=half_life,
        practice__half_life_spread=0.0,
        practice__threshold=threshold,
        scenario__horizon_months=30,
    )
    lapse_day = half_life * math.log2(1 / threshold) * DAYS_PER_MONTH
    ts = run(scenario, reps=2, seed=4).timeseries
    practising = per_rep(ts, "practising")
    trained = per_rep(ts, "trained")
    assert (trained == posts).all(), f"trained should stay {posts}: {np.unique(trained)}"
    expected = np.array([posts if row_day(START, m) < lapse_day else 0 for m in range(30)])
    assert 0 < (expected > 0).sum() < 30, "the lapse should fall inside the horizon"
    for rep_row in practising:
        assert (rep_row == expected).all(), (
            f"h={half_life}, theta={threshold}: lapse at day {lapse_day:.2f}; "
            f"practising {rep_row.astype(int).tolist()}, expected {expected.tolist()}"
        )
