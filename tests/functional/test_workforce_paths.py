"""Workforce paths and shocks: closed forms, common random numbers, direction of effect.

Expected values come from the definitions in docs/model.md ("Workforce over time"):
posts × factor rounded to whole posts; turnover + N points is a hazard of
``turnover + N / 100`` leavers per person-year; with no hiring delay a post is refilled
the instant it falls vacant, so every post is a Poisson process of leavers and the
leavers of ``P`` posts over ``T`` days have mean ``P × λ × T / 365.25``. None is copied
from a model run. Month ``m``'s row is taken at the instant month ``m + 1`` begins, so a
change dated the first of month ``m + 1`` shows from row ``m``.
"""

from __future__ import annotations

import copy
import math
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import REPO, base_data, make_scenario

from sim.experiments.replications import replicate as run
from sim.model.state import ServiceState
from sim.scenario import ScenarioError, load_scenario

DAYS_PER_YEAR = 365.25
START = date(2021, 1, 1)  # 2021 and 2022 have 365 days each


def one_role(posts: int, turnover: float, delay: float = 0.0, months: int = 24) -> dict:
    """One role of ``posts`` posts, no teams, no programme, from START."""
    data = base_data()
    data["scenario"]["start"] = START
    data["scenario"]["horizon_months"] = months
    data["workforce"]["supervisor_role"] = None
    data["workforce"]["roles"] = {
        "worker": {"posts": posts, "turnover": turnover, "hiring_delay_months": delay}
    }
    return data


def with_path(data: dict, points: list[dict], **table: Any) -> dict:
    data = copy.deepcopy(data)
    data["workforce"]["over_time"] = {"points": points, **table}
    return data


def per_rep(ts: pd.DataFrame, name: str) -> np.ndarray:
    return ts.pivot(index="rep", columns="month", values=name).to_numpy(dtype=float)


def test_posts_times_1_1_raise_the_establishment_then_the_headcount():
    """50 posts × 1.1 from month 12: 55 posts from then on; filled after the hiring delay."""
    points = [{"date": date(2022, 1, 1), "posts_factor": 1.1}]
    ts = run(make_scenario(with_path(one_role(50, 0.0, delay=1.0), points)), reps=3, seed=4)
    ts = ts.timeseries
    posts = per_rep(ts, "headcount") + per_rep(ts, "vacancies")
    assert (posts[:, :11] == 50).all(), f"posts before the date: {np.unique(posts[:, :11])}"
    assert (posts[:, 11:] == 55).all(), f"posts from the date: {np.unique(posts[:, 11:])}"
    headcount = per_rep(ts, "headcount")
    assert (headcount[:, :11] == 50).all(), f"headcount before: {np.unique(headcount[:, :11])}"
    # Five vacancies of mean 1 month each: all filled within 12 months but for e^-12 odds.
    assert (headcount[:, -1] == 55).all(), f"headcount at the end: {headcount[:, -1]}"
    assert (headcount[:, 12] < 55).any(), f"new posts filled at once: {headcount[:, 12]}"


def test_growth_filled_at_once_without_a_hiring_delay():
    data = with_path(one_role(40, 0.0), [{"date": date(2021, 7, 1), "posts_factor": 1.1}])
    headcount = per_rep(run(make_scenario(data), reps=2, seed=1).timeseries, "headcount")
    assert (headcount[:, :5] == 40).all(), f"before: {np.unique(headcount[:, :5])}"
    assert (headcount[:, 5:] == 44).all(), f"after: {np.unique(headcount[:, 5:])}"


def test_a_cut_at_once_removes_holders_on_the_day():
    data = with_path(
        one_role(50, 0.0),
        [{"date": date(2022, 1, 1), "posts_factor": 0.8}],
        cut_posts="at_once",
    )
    ts = run(make_scenario(data), reps=2, seed=2).timeseries
    headcount, vacancies = per_rep(ts, "headcount"), per_rep(ts, "vacancies")
    assert (headcount[:, :11] == 50).all(), f"headcount before: {np.unique(headcount[:, :11])}"
    assert (headcount[:, 11:] == 40).all(), f"headcount after: {np.unique(headcount[:, 11:])}"
    assert (vacancies == 0).all(), f"vacancies: {np.unique(vacancies)}"
    leavers = per_rep(ts, "leavers")
    assert (leavers[:, 11] == 10).all(), f"leavers as the cut begins: {leavers[:, 11]}"
    assert (leavers.sum(axis=1) == 10).all(), f"leavers in all: {leavers.sum(axis=1)}"


def test_a_cut_by_attrition_waits_for_the_holders_to_leave():
    """Without turnover nobody leaves, so the cut posts stay held; with high turnover and
    no hiring delay the headcount falls to the new posts and never below them.
    """
    points = [{"date": date(2022, 1, 1), "posts_factor": 0.8}]
    still = run(make_scenario(with_path(one_role(50, 0.0), points)), reps=2, seed=3).timeseries
    held = per_rep(still, "headcount")
    assert (held == 50).all(), f"headcount without leavers: {np.unique(held)}"
    assert (per_rep(still, "vacancies") == 0).all(), "held cut posts counted as vacant"
    moving = make_scenario(with_path(one_role(50, 2.0, months=120), points))
    headcount = per_rep(run(moving, reps=2, seed=3).timeseries, "headcount")
    assert (headcount[:, 11:] >= 40).all(), f"below the new posts: {headcount[:, 12:].min()}"
    # Each of the 10 cut posts closes at its holder's next leaving (2 a year): all within
    # nine years but for odds of 10 × e^-18.
    assert (headcount[:, -1] == 40).all(), f"headcount at the end: {headcount[:, -1]}"


def test_turnover_points_move_the_leavers_rate_by_that_many_points():
    """0.10 a year, then +5 points from month 12: leavers of 200 posts (refilled at once)
    over each year are Poisson with means 200 × 0.10 × 365 / 365.25 and 200 × 0.15 × 365 / 365.25.
    """
    data = with_path(one_role(200, 0.10), [{"date": date(2022, 1, 1), "turnover_points": 5.0}])
    leavers = per_rep(run(make_scenario(data), reps=40, seed=9).timeseries, "leavers")
    for months, rate in ((slice(0, 12), 0.10), (slice(12, 24), 0.15)):
        per_year = leavers[:, months].sum(axis=1)
        expected = 200 * rate * 365 / DAYS_PER_YEAR
        se = math.sqrt(expected / len(per_year))  # Poisson: variance = mean
        mean = float(per_year.mean())
        assert abs(mean - expected) <= 4 * se, (
            f"turnover {rate}: mean leavers {mean:.2f} a year, "
            f"expected {expected:.2f} ± {4 * se:.2f}"
        )


def test_a_shock_keeps_the_same_leavers_before_it_starts():
    """Two strategies differing only in a shock share every staffing draw: before the shock
    begins the same people leave on the same days.
    """
    data = one_role(60, 0.3, delay=2.0, months=36)
    plain = make_scenario(data)
    shock = copy.deepcopy(data)
    shock["workforce"]["shock"] = {
        "start_after_months": 12, "months": 12, "turnover_points": 20.0, "hiring_freeze": True
    }  # fmt: skip
    shocked = make_scenario(shock)
    begins = 12 * DAYS_PER_YEAR / 12
    for rep in range(3):
        a = ServiceState(plain, 5, rep).plan
        b = ServiceState(shocked, 5, rep).plan
        left_a = np.sort(a.end[(a.end < begins) & ~a.is_agency])
        left_b = np.sort(b.end[(b.end < begins) & ~b.is_agency])
        assert np.array_equal(left_a, left_b), (
            f"rep {rep}: {len(left_a)} leavers before the shock without it, {len(left_b)} with"
        )
        assert len(left_a) > 0, f"rep {rep}: no leavers before the shock to compare"


def test_a_path_keeps_the_first_months_of_a_longer_horizon():
    points = [{"date": date(2021, 7, 1), "posts_factor": 1.2, "turnover_points": 10.0}]
    short = make_scenario(with_path(one_role(30, 0.4, delay=1.0, months=24), points))
    long = make_scenario(with_path(one_role(30, 0.4, delay=1.0, months=48), points))
    a = run(short, reps=2, seed=6).timeseries
    b = run(long, reps=2, seed=6).timeseries
    b = b[b.month < 24].reset_index(drop=True)
    for name in ("headcount", "vacancies", "agency", "leavers", "starters"):
        assert a[name].tolist() == b[name].tolist(), f"{name}: the first 24 months differ"


def test_a_freeze_leaves_posts_empty_until_it_ends():
    """No hiring delay: refilled at once, except while the freeze lasts; at its end every
    post is filled on the day.
    """
    data = one_role(50, 1.0, months=36)
    data["workforce"]["shock"] = {"start_after_months": 12, "months": 12, "hiring_freeze": True}
    headcount = per_rep(run(make_scenario(data), reps=2, seed=8).timeseries, "headcount")
    assert (headcount[:, :12] == 50).all(), f"before: {np.unique(headcount[:, :12])}"
    assert (headcount[:, 22] < 40).all(), f"a year of freeze at 1.0 a year: {headcount[:, 22]}"
    assert (headcount[:, 24:] == 50).all(), f"after: {np.unique(headcount[:, 24:])}"


def test_turnover_points_below_the_rate_mean_no_leavers():
    data = with_path(one_role(20, 0.2), [{"date": START, "turnover_points": -100.0}])
    leavers = per_rep(run(make_scenario(data), reps=2, seed=1).timeseries, "leavers")
    assert (leavers == 0).all(), f"leavers with a rate below 0: {leavers.sum()}"


def test_posts_factor_zero_closes_every_post():
    data = with_path(
        one_role(20, 0.2, delay=1.0),
        [{"date": date(2021, 7, 1), "posts_factor": 0.0}],
        cut_posts="at_once",
    )
    ts = run(make_scenario(data), reps=2, seed=1).timeseries
    for name in ("headcount", "vacancies", "agency"):
        after = per_rep(ts, name)[:, 5:]
        assert (after == 0).all(), f"{name} after every post closed: {np.unique(after)}"


def test_a_turnover_shock_lowers_coverage_and_practice_then_leavers_return():
    """The back-test service under +40 points of turnover in months 6-17: fewer trained
    and practising at its end (paired over the same futures); after it, leavers a month
    come back to the unshocked level.
    """
    scenario = load_scenario(REPO / "tests" / "backtest" / "scenario.toml")
    shocked = scenario.with_changes(
        {"workforce.shock.start_after_months": 6, "workforce.shock.months": 12,
         "workforce.shock.turnover_points": 40.0}
    )  # fmt: skip
    a = run(scenario.without_uncertainty(), reps=12, seed=3).timeseries
    b = run(shocked.without_uncertainty(), reps=12, seed=3).timeseries
    for name in ("coverage", "practising_share"):
        drop = per_rep(b, name)[:, 17] - per_rep(a, name)[:, 17]
        assert drop.mean() < 0, f"{name} at the shock's end moved by {drop.mean():+.3f}"
    during = per_rep(b, "leavers")[:, 6:18].sum(axis=1) - per_rep(a, "leavers")[:, 6:18].sum(axis=1)
    assert during.mean() > 0, f"leavers during the shock moved by {during.mean():+.2f}"
    after = per_rep(b, "leavers")[:, 24:].mean(axis=1) - per_rep(a, "leavers")[:, 24:].mean(axis=1)
    se = after.std(ddof=1) / math.sqrt(len(after))
    assert abs(after.mean()) <= 4 * se + 0.25, (
        f"leavers a month after the shock differ by {after.mean():+.3f} (se {se:.3f})"
    )


def test_linear_posts_move_month_by_month_between_points():
    """Posts × 1 on 2021-03-01 to × 2 on 2022-01-01 (306 days), linear: in each month
    between, round(20 × the factor on its first day); no leavers, refilled at once.
    """
    points = [
        {"date": date(2021, 3, 1), "posts_factor": 1.0},
        {"date": date(2022, 1, 1), "posts_factor": 2.0},
    ]
    data = with_path(one_role(20, 0.0), points, interpolation="linear")
    headcount = per_rep(run(make_scenario(data), reps=1, seed=1).timeseries, "headcount")[0]
    first, last = (date(2021, 3, 1) - START).days, (date(2022, 1, 1) - START).days
    for month in range(2, 12):  # row m is taken as month m + 1 begins
        begins = date(2021 + (month + 1) // 12, (month + 1) % 12 + 1, 1)
        day = (begins - START).days
        factor = 1.0 + (day - first) / (last - first) if day < last else 2.0
        want = round(20 * factor)
        assert headcount[month] == want, f"month {month}: {headcount[month]} posts, want {want}"


def test_a_shock_cut_restored_at_its_end():
    """Half the posts cut at once for 12 months, then restored vacant and refilled at once."""
    data = one_role(40, 0.0, months=36)
    data["workforce"]["over_time"] = {"cut_posts": "at_once"}
    data["workforce"]["shock"] = {
        "start_after_months": 12, "months": 12, "posts_cut": 0.5, "restore": True
    }  # fmt: skip
    headcount = per_rep(run(make_scenario(data), reps=1, seed=1).timeseries, "headcount")[0]
    assert (headcount[:12] == 40).all(), f"before: {headcount[:12]}"
    assert (headcount[12:23] == 20).all(), f"during: {headcount[12:23]}"
    assert (headcount[24:] == 40).all(), f"after: {headcount[24:]}"


def test_agency_cover_factor_caps_cover_at_one():
    """Cover 0.5 × 3 = every vacancy covered from the date (capped at 1)."""
    data = one_role(60, 0.5, delay=1.0, months=36)
    data["workforce"]["agency_cover"] = 0.5
    data = with_path(data, [{"date": date(2021, 7, 1), "agency_cover_factor": 3.0}])
    ts = run(make_scenario(data), reps=2, seed=5).timeseries
    vacancies, agency = per_rep(ts, "vacancies"), per_rep(ts, "agency")
    # By month 18 every vacancy open began after the date (one open on it lasting 11
    # months more: odds e^-11 at a mean of 1 month): each has its agency worker.
    late = slice(18, None)
    assert (agency[:, late] == vacancies[:, late]).all(), (
        f"uncovered vacancies: {(vacancies - agency)[:, late].max()}"
    )
    assert (vacancies[:, late] > 0).any(), "no vacancies to cover"


def test_hiring_delay_factor_zero_refills_at_once():
    data = with_path(
        one_role(60, 0.5, delay=1.0), [{"date": date(2021, 7, 1), "hiring_delay_factor": 0.0}]
    )
    vacancies = per_rep(run(make_scenario(data), reps=2, seed=5).timeseries, "vacancies")
    # Vacancies open on the date wait out their draw (mean 1 month: past month 16, odds
    # e^-10 each); any later one is filled at once.
    assert (vacancies[:, 16:] == 0).all(), f"vacancies late on: {vacancies[:, 16:].max()}"
    assert (vacancies[:, :5] > 0).any(), "no vacancies before the date"


def test_a_points_value_can_be_uncertain():
    """An [uncertainty] entry on a point's posts factor: each future draws its own growth,
    written in summary.csv, and the posts follow the draw.
    """
    data = with_path(one_role(50, 0.0), [{"date": date(2021, 7, 1), "posts_factor": 1.2}])
    key = "workforce.over_time.points.0.posts_factor"
    data["uncertainty"] = {
        key: {"distribution": "uniform", "low": 1.0, "high": 2.0, "source": "test"}
    }
    results = run(make_scenario(data), reps=6, seed=2)
    drawn = results.summary.set_index("rep")[key]
    assert drawn.nunique() == 6, f"draws: {drawn.tolist()}"
    headcount = per_rep(results.timeseries, "headcount")
    for rep, factor in drawn.items():
        want = round(50 * factor)
        assert headcount[rep, -1] == want, f"rep {rep}: {headcount[rep, -1]} for × {factor:.3f}"


def test_an_uncertain_point_beyond_its_limit_is_refused():
    data = with_path(one_role(50, 0.0), [{"date": date(2021, 7, 1)}])
    key = "workforce.over_time.points.0.posts_factor"
    data["uncertainty"] = {
        key: {"distribution": "uniform", "low": 1.0, "high": 20.0, "source": "test"}
    }
    with pytest.raises(ScenarioError) as caught:
        make_scenario(data)
    assert any(key in line for line in caught.value.lines), f"lines: {caught.value.lines}"


def test_a_freeze_from_day_0_keeps_the_holders_in_post():
    data = one_role(30, 0.0, delay=1.0)
    data["workforce"]["roles"]["worker"]["initial_vacancies"] = 5
    data["workforce"]["shock"] = {"start_after_months": 0, "months": 6, "hiring_freeze": True}
    headcount = per_rep(run(make_scenario(data), reps=2, seed=1).timeseries, "headcount")
    assert (headcount[:, :5] == 25).all(), f"during the freeze: {np.unique(headcount[:, :5])}"
    assert (headcount[:, -1] == 30).all(), f"at the end: {headcount[:, -1]}"
