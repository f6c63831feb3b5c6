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

from sim.experiments.replications import replicate as run
from sim.model import Replication
from sim.model.measures import MONTHLY

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
    of 3 places every 2 months, one 1-day session, everyone attends, everyone engages.
    """
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
    trainers; untrained staff wait only while a later cohort is still to start.
    """
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
    starts = [(j - 1) * 2 * DAYS_PER_MONTH for j in range(1, cohorts + 1)]
    for month in range(horizon):
        route_open = row_day(start, month) < last_start
        done = sum(d < row_day(start, month) for d in starts)
        want = staff - min(staff, done * places) if route_open else 0
        assert (waiting[:, month] == want).all(), (
            f"month {month}: waiting {waiting[:, month]}, expected {want} "
            f"(a later cohort {'is' if route_open else 'is not'} still to start)"
        )


# --------------------------------------------------------------------------- 2. turnover


def test_trained_share_decays_as_exp_minus_turnover_times_t():
    """Everyone trained at the start, refilled at once by untrained recruits: the trained
    share after t years is the share of initial holders still in post, exp(-lambda t).
    """
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
    # The sample variance over 60 reps is chi-squared(59) / 59 times the binomial variance;
    # [0.42, 1.91] is its central 1 - 6e-5 range (scipy.stats.chi2).
    p = math.exp(-rate * row_day(START, 11) / DAYS_PER_YEAR)
    ratio = np.var(coverage[:, 11], ddof=1) / (p * (1 - p) / posts)
    assert 0.42 <= ratio <= 1.91, f"variance of year-1 coverage is {ratio:.2f} x binomial"


# --------------------------------------------------------------------------- 3. vacancies


@pytest.mark.parametrize(
    ("rate", "delay_months", "horizon", "settled_from"),
    [(1.0, 6.0, 48, 24), (0.2, 15.2, 96, 48)],
)
def test_long_run_vacancy_share_and_agency_cover(rate, delay_months, horizon, settled_from):
    """Each post alternates holder spells (mean 1/lambda years) and vacancies (mean D years):
    an alternating renewal process vacant a share D / (1/lambda + D) = lambda D / (1 + lambda D)
    of the time. Each vacancy is covered by agency with probability c, whatever its length,
    so agency / vacancies -> c. ``settled_from`` is at least 4 / (lambda + 1/D) years in.
    """
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
    within_se(
        vacancies.mean(axis=1) / posts,
        expected,
        f"vacancy share (lambda {rate}, D {d_years:.3f} y)",
    )
    within_se(
        agency.sum(axis=1) / vacancies.sum(axis=1), cover, "share of vacancies covered by agency"
    )
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
    so total leavers over the horizon ~ Poisson(lambda x posts x years x reps).
    """
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
        [
            (row_day(START, m) - (row_day(START, m - 1) if m else 0)) / DAYS_PER_YEAR
            for m in range(48)
        ]
    )
    person_years = per_rep(ts, "headcount") @ month_years
    leavers = per_rep(ts, "leavers").sum(axis=1)
    assert person_years.min() > 0, f"no person-years: {person_years}"
    within_se(
        leavers / person_years, rate, f"leavers per person-year (delay {delay_months} months)"
    )


# --------------------------------------------------------------------------- 5. decay


@pytest.mark.parametrize(
    ("half_life", "threshold"),
    [(10.0, 0.4), (6.0, 0.5), (3.0, 0.1), (4.0, 0.8)],
)
def test_practice_lapses_exactly_at_half_life_times_log2_one_over_threshold(half_life, threshold):
    """Trained at day 0, level 1 halving every h months, nothing reinforcing: the level
    falls to the threshold after h log2(1/theta) average months; the person practises
    before that and never after.
    """
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


# --------------------------------------------------------------------------- more cohorts


def test_trainer_capacity_delays_cohorts_and_staff_wait_for_them():
    """One trainer team, cohorts every month but each lasting two months (sessions at 0 and
    2 months): cohort j can only start when cohort j-1 finishes, on day (j-1) x 2 average
    months (0, 60.9, 121.8, 182.6 from 2020-01-01), and finishes 2 months later. Untrained
    staff are waiting for a place until the last cohort actually starts.
    """
    staff, places, cohorts = 10, 3, 4
    scenario = make_scenario(
        workforce__roles__supervisor__posts=2,
        workforce__roles__worker__posts=8,
        programme__phases=one_phase(date(2020, 1, 1), date(2021, 12, 31), ["foundation"]),
        programme__foundation__cohorts=cohorts,
        programme__foundation__cohort_size=places,
        programme__foundation__interval_months=1,
        programme__foundation__attendance=1.0,
        programme__foundation__sessions=[
            {"after_months": 0, "days": 1},
            {"after_months": 2, "days": 1},
        ],
        programme__foundation__allocation="random",
        programme__foundation__max_concurrent_cohorts=1,
    )
    start = scenario.scenario.start
    two_months = 2 * DAYS_PER_MONTH
    begins = [(j - 1) * two_months for j in range(1, cohorts + 1)]
    ends = [b + two_months for b in begins]
    ts = run(scenario, reps=2, seed=6).timeseries
    trained, in_training = per_rep(ts, "trained"), per_rep(ts, "in_training")
    waiting = per_rep(ts, "waiting")
    for month in range(12):
        day = row_day(start, month)
        done = sum(e <= day for e in ends)
        running = sum(b <= day < e for b, e in zip(begins, ends, strict=True))
        want_trained = min(staff, done * places)
        want_training = min(staff - want_trained, running * places)
        still_to_start = any(b > day for b in begins)
        want_waiting = staff - want_trained - want_training if still_to_start else 0
        observed = (trained[:, month], in_training[:, month], waiting[:, month])
        assert (trained[:, month] == want_trained).all(), (
            f"month {month}: trained {observed[0]}, expected {want_trained}"
        )
        assert (in_training[:, month] == want_training).all(), (
            f"month {month}: in training {observed[1]}, expected {want_training}"
        )
        assert (waiting[:, month] == want_waiting).all(), (
            f"month {month} (day {day}): waiting {observed[2]}, expected {want_waiting}: "
            f"cohorts start on days {[round(b, 1) for b in begins]}, so "
            f"{'a cohort is still to start' if still_to_start else 'none is still to start'}"
        )


@pytest.mark.parametrize(("min_days", "completes"), [(None, False), (1.0, True)])
def test_sessions_after_the_phase_end_are_cancelled(min_days, completes):
    """Sessions at 0 and 3 months, phase only 2 months long: the second session never runs,
    so only a one-day completion rule lets the cohort finish.
    """
    places = 4
    changes = dict(
        programme__phases=one_phase(date(2020, 1, 1), date(2020, 2, 29), ["foundation"]),
        programme__foundation__cohorts=1,
        programme__foundation__cohort_size=places,
        programme__foundation__attendance=1.0,
        programme__foundation__sessions=[
            {"after_months": 0, "days": 1},
            {"after_months": 3, "days": 1},
        ],
    )
    if min_days is not None:
        changes["programme__foundation__min_days_to_complete"] = min_days
    res = run(make_scenario(**changes), reps=2, seed=1)
    final = per_rep(res.timeseries, "trained")[:, -1]
    want = places if completes else 0
    assert (final == want).all(), f"min days {min_days}: trained at horizon {final}, want {want}"
    days = res.summary["total_training_days"].to_numpy()
    assert (days == places).all(), f"training days {days}, expected {places} (one session)"


@pytest.mark.parametrize(("min_days", "sessions_needed"), [(None, 2), (1.0, 1)])
def test_attendance_and_uptake_binomial(min_days, sessions_needed):
    """One cohort of 100 places for 100 staff, two 1-day sessions, attendance p, uptake u.
    A place completes if the person attends at least ``sessions_needed`` of 2 sessions:
    probability p^2 (both) or 1 - (1-p)^2 (one); training days average 2 p per place; the
    share of the trained who practise right after is u.
    """
    staff, p, u, reps = 100, 0.8, 0.4, 40
    changes = dict(
        programme__phases=one_phase(date(2020, 1, 1), date(2021, 12, 31), ["foundation"]),
        programme__foundation__cohorts=1,
        programme__foundation__cohort_size=staff,
        programme__foundation__attendance=p,
        programme__foundation__sessions=[
            {"after_months": 0, "days": 1},
            {"after_months": 1, "days": 1},
        ],
        practice__uptake=u,
        practice__half_life_months=60.0,
        scenario__horizon_months=4,
    )
    if min_days is not None:
        changes["programme__foundation__min_days_to_complete"] = min_days
    data = one_role(staff, 0.0)
    data["scenario"]["start"] = date(2020, 1, 1)
    res = run(make_scenario(data, **changes), reps=reps, seed=12)
    trained = per_rep(res.timeseries, "trained")[:, -1]
    practising = per_rep(res.timeseries, "practising")[:, -1]
    complete = p**2 if sessions_needed == 2 else 1 - (1 - p) ** 2
    within_se(trained / staff, complete, f"completion share (need {sessions_needed} sessions)")
    within_se(practising / trained, u, "practising share of the trained (uptake)")
    days = res.summary["total_training_days"].to_numpy()
    within_se(days / staff, 2 * p, "training days per place")


def test_recruits_trained_fraction_sets_the_long_run_coverage():
    """Refilled at once: the initial holders (a share f0 trained) are replaced at rate lambda
    by recruits of whom a share r arrive trained, so coverage(t) = r + (f0 - r) exp(-lambda t).
    """
    posts, rate, f0, r, reps = 200, 0.5, 0.2, 0.6, 40
    scenario = make_scenario(
        one_role(posts, rate),
        workforce__initial_trained_fraction=f0,
        workforce__recruits_trained_fraction=r,
        scenario__horizon_months=36,
    )
    coverage = per_rep(run(scenario, reps=reps, seed=21).timeseries, "coverage")
    assert (coverage[:, 0] >= 0).all(), "coverage below 0"
    for month in (0, 11, 23, 35):
        t = row_day(START, month) / DAYS_PER_YEAR
        expected = r + (f0 - r) * math.exp(-rate * t)
        within_se(coverage[:, month], expected, f"coverage at month {month}")


# --------------------------------------------------------------------------- reinforcement


def test_mentoring_and_group_supervision_timeline():
    """Two supervisors (trained at the start, mentored from month 0 in one group) are
    reinforced at the start of months 0-11 (supported for 12 months); each month a practising
    mentored supervisor runs group supervision, reinforcing their team. Reinforcement
    restores the full level, which then lapses h log2(1/theta) later. So supervisors lapse
    T after the start of month 11; teams get one more session in the first month that
    begins before that, and lapse T after it. Provider days: 6 monthly sessions of one group
    (1 day each) plus 0.5 a day per supervisor for each supported month after mentoring.
    """
    h, theta = 2.0, 0.5
    lapse = h * math.log2(1 / theta) * DAYS_PER_MONTH
    scenario = make_scenario(
        workforce__roles__supervisor__posts=2,
        workforce__roles__worker__posts=8,
        workforce__initial_trained_fraction=1.0,
        practice__half_life_months=h,
        practice__threshold=theta,
        programme__phases=one_phase(date(2020, 1, 1), date(2021, 12, 31), ["mentoring"]),
        programme__mentoring__group_size=6,
        programme__mentoring__months=6,
        programme__mentoring__supported_months=12,
        programme__mentoring__provider_days_per_session=1.0,
        programme__mentoring__provider_days_per_supported_team_month=0.5,
    )
    start = scenario.scenario.start
    month_start = [(add_months(start, m) - start).days for m in range(25)]
    supervisor_lapse = month_start[11] + lapse
    last_team_session = max(d for d in month_start if d < supervisor_lapse)
    member_lapse = last_team_session + lapse
    res = run(scenario, reps=2, seed=3)
    ts = res.timeseries
    practising = per_rep(ts, "practising")
    teams = per_rep(ts, "teams_supervising")
    for month in range(24):
        day = row_day(start, month)
        want_teams = 2 if day < supervisor_lapse else 0
        want = want_teams + (8 if day < member_lapse else 0)
        assert (teams[:, month] == want_teams).all(), (
            f"month {month}: teams supervising {teams[:, month]}, expected {want_teams} "
            f"(supervisors lapse on day {supervisor_lapse:.1f})"
        )
        assert (practising[:, month] == want).all(), (
            f"month {month}: practising {practising[:, month]}, expected {want} "
            f"(supervisors lapse day {supervisor_lapse:.1f}, members {member_lapse:.1f})"
        )
    provider = res.summary["total_provider_days"].to_numpy()
    want_days = 6 * 1.0 + 2 * 6 * 0.5
    assert (provider == want_days).all(), f"provider days {provider}, expected {want_days}"


def test_provider_group_sessions_reinforce_at_their_interval():
    """A provider group of every role meets every 3 months from the phase start (months
    0, 3, 6, 9 of a 12-month phase); each session restores everyone's level, which lapses
    h log2(1/theta) later. Provider days: 4 sessions x 1.5.
    """
    h, theta = 2.5, 0.5
    lapse = h * math.log2(1 / theta) * DAYS_PER_MONTH
    scenario = make_scenario(
        workforce__initial_trained_fraction=1.0,
        practice__half_life_months=h,
        practice__threshold=theta,
        programme__groups={
            "everyone": {
                "roles": ["supervisor", "worker"],
                "interval_months": 3,
                "provider_days_per_session": 1.5,
            }
        },
        programme__phases=one_phase(date(2020, 1, 1), date(2020, 12, 31), ["everyone"]),
    )
    start = scenario.scenario.start
    sessions = [(add_months(start, m) - start).days for m in (0, 3, 6, 9)]
    res = run(scenario, reps=1, seed=1)
    practising = per_rep(res.timeseries, "practising")[0]
    for month in range(24):
        day = row_day(start, month)
        last = max(s for s in sessions if s < day)  # the row is taken before the session
        want = 5 if day < last + lapse else 0
        assert practising[month] == want, (
            f"month {month} (day {day}): practising {practising[month]}, expected {want} "
            f"(last session day {last}, lapse {lapse:.1f} days after)"
        )
    provider = res.summary["total_provider_days"].iloc[0]
    assert provider == 6.0, f"provider days {provider}, expected 4 sessions x 1.5 = 6"


# --------------------------------------------------------------------------- champions


def champion_scenario(replacement: str, supervised: bool, rate: float, target: int = 100):
    """150 staff, all trained and practising for years, no turnover; champions meet monthly
    (a group of one suffices), stepping down at ``rate`` a year.
    """
    data = one_role(150, 0.0)
    changes = dict(
        workforce__initial_trained_fraction=1.0,
        practice__half_life_months=600.0,
        champions__target=target,
        champions__min_group_size=1,
        champions__replacement=replacement,
        champions__dropout_supported=rate if supervised else 9.0,
        champions__dropout_unsupported=9.0 if supervised else rate,
        scenario__horizon_months=36,
    )
    if supervised:
        changes["programme__phases"] = one_phase(START, date(2030, 1, 1), ["champion_supervision"])
    return make_scenario(data, **changes)


@pytest.mark.parametrize("supervised", [False, True])
def test_champion_group_shrinks_at_the_dropout_rate(supervised):
    """No turnover, no replacement: each champion steps down at a constant hazard (per
    champion-year) from appointment on day 0, so target x exp(-rate t) remain at day t; the
    supported rate applies while a phase supplies champion supervision, else the
    unsupported one (the other rate is set absurdly high to show which is used).
    """
    target, rate, reps = 100, 0.6, 150
    ts = run(champion_scenario("none", supervised, rate, target), reps=reps, seed=8).timeseries
    champions = per_rep(ts, "champions")
    assert (champions[:, 0] <= target).all(), f"more than {target} champions"
    for month in (5, 11, 23):
        t = row_day(START, month) / DAYS_PER_YEAR
        within_se(
            champions[:, month],
            target * math.exp(-rate * t),
            f"champions at month {month} ({'supported' if supervised else 'unsupported'})",
        )


def test_champions_replaced_at_once_or_yearly():
    """No turnover and plenty of practising candidates. 'at_once' replaces every champion who
    steps down straight away, so every month-end count is the target. 'yearly' tops the group
    up to the target only in the appointment month and on each anniversary: the champions
    active just after that month's appointments (those at the previous month's end, as no one
    leaves the service, plus those appointed) number exactly the target.
    """
    target = 10
    at_once = per_rep(
        run(champion_scenario("at_once", False, 3.0, target), reps=2, seed=4).timeseries,
        "champions",
    )
    assert (at_once == target).all(), f"at_once: champions {at_once[0].tolist()}"
    scenario = champion_scenario("yearly", False, 3.0, target)
    for replication in range(2):
        result = Replication(scenario, seed=4, replication=replication, trace=True).run()
        champions = result.monthly[:, MONTHLY.index("champions")]
        starts = [(add_months(START, m) - START).days for m in range(36)]
        appointed = np.array(
            [
                sum(1 for e in result.trace if e.kind == "champion_appointed" and e.day == d)
                for d in starts
            ]
        )
        before = np.concatenate([[0.0], champions[:-1]])
        for month in (0, 12, 24):
            assert before[month] + appointed[month] == target, (
                f"yearly, month {month}: {before[month]} active + {appointed[month]} appointed"
            )
        others = [m for m in range(36) if m % 12]
        assert appointed[others].sum() == 0, f"yearly appointments {appointed.tolist()}"
        assert champions[11] < target, f"yearly: no loss by month 11: {champions[11]}"


def test_champion_time_workshops_and_supervision_are_costed():
    """'at_once' keeps 10 champions; each month each spends 1 day (day cost 100) = 1000.
    Three workshops a year fall in months 3, 7 and 11 of each year after appointment (evenly
    spread: the n-th in the month where n x 12 / 3 is passed); each takes 20 trained staff
    for half a day (1000). Champion supervision every 2 months from the phase start costs
    1 provider day at 500 and a quarter day of each champion's time (250). The monthly
    meeting takes a quarter day of each champion's time (250).
    """
    target, places = 10, 20
    data = one_role(150, 0.0, day_cost=100.0)
    scenario = make_scenario(
        data,
        workforce__initial_trained_fraction=1.0,
        practice__half_life_months=600.0,
        champions__target=target,
        champions__min_group_size=1,
        champions__replacement="at_once",
        champions__days_per_month=1.0,
        champions__workshops_per_year=3,
        champions__workshop_places=places,
        champions__workshop_days=0.5,
        programme__phases=one_phase(START, date(2021, 12, 31), ["champion_supervision"]),
        programme__champion_supervision__interval_months=2,
        programme__champion_supervision__provider_days_per_session=1.0,
        costs__provider_day_rate=500.0,
        scenario__horizon_months=24,
    )
    ts = run(scenario, reps=2, seed=2).timeseries
    workshop = np.array([m % 12 in (3, 7, 11) for m in range(24)])
    supervision = np.array([m < 12 and m % 2 == 0 for m in range(24)])
    want_days = workshop * places * 0.5
    want_provider = supervision * 1.0
    meeting = target * 0.25 * 100
    want_cost = target * 1.0 * 100 + meeting + want_days * 100 + want_provider * (500 + meeting)
    for rep_days, rep_provider, rep_cost in zip(
        per_rep(ts, "training_days"), per_rep(ts, "provider_days"), per_rep(ts, "cost"), strict=True
    ):
        assert (rep_days == want_days).all(), f"training days {rep_days.tolist()}"
        assert (rep_provider == want_provider).all(), f"provider days {rep_provider.tolist()}"
        assert np.allclose(rep_cost, want_cost), (
            f"cost {rep_cost.tolist()}, expected {want_cost.tolist()}"
        )


def test_champion_inductions_at_their_capacity():
    """60 staff in post trained at the start; 40 vacancies filled within hours of day 0 by
    new starters. 4 champions x 0.75 places a month = 3 inductions at the start of each month
    from month 1 (in month 0 nobody is waiting yet, and whole places do not carry over), so
    inducted = min(40, 3 m) at the end of month m, each costing one induction day, and the
    new starters still untrained are all waiting.
    """
    data = one_role(100, 0.0, 0.01, initial_vacancies=40)
    scenario = make_scenario(
        data,
        workforce__initial_trained_fraction=1.0,
        practice__half_life_months=600.0,
        champions__target=4,
        champions__min_group_size=1,
        champions__dropout_unsupported=0.0,
        champions__induction_places_per_champion_per_month=0.75,
        champions__induction_days=1.0,
        champions__days_per_month=0.0,
        scenario__horizon_months=18,
    )
    ts = run(scenario, reps=2, seed=5).timeseries
    inducted, trained = per_rep(ts, "inducted"), per_rep(ts, "trained")
    waiting, days = per_rep(ts, "waiting"), per_rep(ts, "training_days")
    assert (per_rep(ts, "headcount") == 100).all(), "the 40 vacancies should fill in month 0"
    for month in range(18):
        want = min(40, 3 * month)
        got = (inducted[:, month], trained[:, month], waiting[:, month])
        assert (inducted[:, month] == want).all(), f"month {month}: inducted {got[0]}, want {want}"
        assert (trained[:, month] == 60 + want).all(), f"month {month}: trained {got[1]}"
        assert (waiting[:, month] == 40 - want).all(), f"month {month}: waiting {got[2]}"
        step = want - min(40, 3 * (month - 1)) if month else 0
        assert (days[:, month] == step).all(), f"month {month}: training days {days[:, month]}"


def test_personal_half_lives_are_gamma_distributed():
    """With half-life spread s (coefficient of variation), each person's half-life H is
    gamma with mean h and shape 1/s^2. Trained at day 0 with threshold 1/2, a person
    practises until day H, so the practising share at day t is P(H > t).
    """
    from scipy.stats import gamma

    staff, h, s, reps = 400, 12.0, 0.5, 20
    scenario = make_scenario(
        one_role(staff, 0.0),
        workforce__initial_trained_fraction=1.0,
        practice__half_life_months=h,
        practice__half_life_spread=s,
        practice__threshold=0.5,
        scenario__horizon_months=30,
    )
    share = per_rep(run(scenario, reps=reps, seed=13).timeseries, "practising_share")
    for month in (2, 8, 11, 17, 29):
        day = row_day(START, month)
        expected = float(gamma.sf(day, a=1 / s**2, scale=s**2 * h * DAYS_PER_MONTH))
        within_se(share[:, month], expected, f"practising share at month {month}")


@pytest.mark.parametrize("boost", [1.0, 0.5, 0.2])
def test_partial_reinforcement_restores_a_share_of_the_gap(boost):
    """Trained at day 0 (level 1). A provider group meets at the start of months 0 and 3
    (every 3 months in a 4-month phase). At day d = 1 April 2020 the level is
    L = 2^(-d / H); the session lifts it to L + b (1 - L), from which it lapses to theta
    after a further H log2(level / theta) days.
    """
    h, theta = 3.0, 0.45
    half_life = h * DAYS_PER_MONTH
    scenario = make_scenario(
        workforce__initial_trained_fraction=1.0,
        practice__half_life_months=h,
        practice__threshold=theta,
        practice__reinforcement=boost,
        programme__groups={"all": {"roles": ["supervisor", "worker"], "interval_months": 3}},
        programme__phases=one_phase(date(2020, 1, 1), date(2020, 4, 30), ["all"]),
    )
    start = scenario.scenario.start
    d = (date(2020, 4, 1) - start).days
    level = 2 ** (-d / half_life)
    assert level > theta, "the session must come before the first lapse"
    lifted = level + boost * (1 - level)
    lapse = d + half_life * math.log2(lifted / theta)
    practising = per_rep(run(scenario, reps=1, seed=1).timeseries, "practising")[0]
    expected = np.array([5 if row_day(start, m) < lapse else 0 for m in range(24)])
    assert (practising == expected).all(), (
        f"boost {boost}: level {level:.3f} -> {lifted:.3f} on day {d}, lapse day {lapse:.1f}; "
        f"practising {practising.astype(int).tolist()}"
    )


def test_consultation_keeps_team_members_practising():
    """Two clinicians x 4 consultations a month = 8 a month, enough for all 8 team members:
    each is reinforced at the start of every month of the phase and lapses
    h log2(1/theta) after the last one. Everyone else lapses that long after day 0.
    """
    h, theta = 1.5, 0.5
    lapse = h * math.log2(1 / theta) * DAYS_PER_MONTH
    data = base_data()
    data["workforce"]["roles"]["clinician"] = {"posts": 2, "turnover": 0.0}
    scenario = make_scenario(
        data,
        workforce__roles__worker__posts=8,
        workforce__initial_trained_fraction=1.0,
        practice__half_life_months=h,
        practice__threshold=theta,
        programme__consultation__clinician_role="clinician",
        programme__consultation__sessions_per_clinician_per_month=4.0,
        programme__phases=one_phase(date(2020, 1, 1), date(2020, 6, 30), ["consultation"]),
    )
    start = scenario.scenario.start
    last = (date(2020, 6, 1) - start).days
    practising = per_rep(run(scenario, reps=2, seed=1).timeseries, "practising")
    for month in range(24):
        day = row_day(start, month)
        want = (8 if day < last + lapse else 0) + (3 if day < lapse else 0)
        assert (practising[:, month] == want).all(), (
            f"month {month} (day {day}): practising {practising[:, month]}, expected {want}"
        )
