"""Extreme-value cases: parameters at their limits, where the answer is obvious."""

from __future__ import annotations

import math
from datetime import date

import numpy as np

from ..experiments.replications import replicate as run
from .closed_form_programme import CHAMP_HORIZON, CHAMP_POSTS, CHAMP_RATE, induction_scenario
from .core import (
    DAYS_PER_YEAR,
    START,
    Case,
    Check,
    month_length,
    per_rep,
    phase,
    role,
    row_day,
    scenario,
)

# --------------------------------------------------------------------------- extreme values


def _no_turnover_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    s = scenario(
        {"worker": role(40, 0.0, 6.0)},
        36,
        programme={
            "phases": phase(START, date(2021, 12, 31), ["foundation"]),
            "foundation": {"cohorts": 2, "cohort_size": 20, "interval_months": 3},
        },
    )
    res = run(s, reps, seed)
    ts = res.timeseries
    return {
        "leavers over 36 months": per_rep(ts, "leavers").sum(axis=1),
        "lowest headcount": per_rep(ts, "headcount").min(axis=1),
        "coverage at the horizon": res.summary["coverage_horizon"].to_numpy(),
    }


NO_TURNOVER = Case(
    name="no_turnover",
    title="No turnover: nobody leaves, no post falls vacant, training is never lost",
    kind="extreme value",
    mechanism="workforce with turnover 0 (hiring delay 6 months, which must then never act)",
    derivation="40 posts, turnover 0: no leavers, headcount 40 throughout; two cohorts of 20 "
    "train everyone, and coverage stays 1 to the horizon.",
    rule="exact.",
    checks=(
        Check("leavers over 36 months", 0.0, "exact"),
        Check("lowest headcount", 40.0, "exact"),
        Check("coverage at the horizon", 1.0, "exact"),
    ),
    simulate=_no_turnover_simulate,
    reps=3,
)

HIGH_RATE = 50.0


def _high_turnover_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    s = scenario(
        {"worker": role(100, HIGH_RATE)},
        24,
        workforce={"initial_trained_fraction": 1.0},
    )
    ts = run(s, reps, seed).timeseries
    years = np.array([month_length(m) for m in range(24)]) / DAYS_PER_YEAR
    return {
        "highest coverage from month 11 on": per_rep(ts, "coverage")[:, 11:].max(axis=1),
        "leavers per person-year": per_rep(ts, "leavers").sum(axis=1)
        / (per_rep(ts, "headcount") @ years),
    }


HIGH_TURNOVER = Case(
    name="high_turnover",
    title="Turnover so high nobody stays a year: the initial training is gone",
    kind="extreme value",
    mechanism="workforce with turnover 50 a year (mean stay about a week), refilled at once",
    derivation=(
        "100 posts, everyone trained at the start, no programme. The chance that any initial "
        "holder is still in post after a year is below 100·exp(−50) ≈ 2·10⁻²⁰, so coverage is 0 "
        "at every month-end from month 11; leavers per person-year equal λ = 50 (headcount "
        "stays 100 with immediate refill)."
    ),
    rule="Coverage: exact. Leavers per person-year: the verdict interval must contain 50; "
    "tolerance 0.",
    checks=(
        Check("highest coverage from month 11 on", 0.0, "exact"),
        Check("leavers per person-year", HIGH_RATE, "interval"),
    ),
    simulate=_high_turnover_simulate,
    reps=20,
)


def _places_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    s = scenario(
        {"worker": role(40)},
        12,
        programme={
            "phases": phase(START, date(2021, 12, 31), ["foundation"]),
            "foundation": {
                "cohorts": 3,
                "cohort_size": 100,
                "interval_months": 2,
                "trainers_per_session": 2.0,
                "sessions": [{"after_months": 0, "days": 1}],
            },
        },
    )
    res = run(s, reps, seed)
    return {
        "coverage at the end of month 0": per_rep(res.timeseries, "coverage")[:, 0],
        "total training days": res.summary["total_training_days"].to_numpy(),
        "total provider days": res.summary["total_provider_days"].to_numpy(),
    }


MORE_PLACES = Case(
    name="more_places_than_staff",
    title="More places than staff: everyone trained at once; empty cohorts cost nothing",
    kind="extreme value",
    mechanism="foundation cohorts with 100 places for 40 staff",
    derivation="Three cohorts of 100 places, one 1-day session each, 40 untrained staff: the "
    "first cohort takes all 40 (coverage 1 at the end of month 0, 40 training days); the "
    "later two find nobody left to train, so only the first costs provider days "
    "(1 day × 2 trainers = 2).",
    rule="exact.",
    checks=(
        Check("coverage at the end of month 0", 1.0, "exact"),
        Check("total training days", 40.0, "exact"),
        Check("total provider days", 2.0, "exact"),
    ),
    simulate=_places_simulate,
    reps=3,
)


def _no_champions_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    ts = run(induction_scenario(0, 1000.0), reps, seed).timeseries
    return {
        "champions, most in any month": per_rep(ts, "champions").max(axis=1),
        "inducted, most in any month": per_rep(ts, "inducted").max(axis=1),
        "waiting, most in any month": per_rep(ts, "waiting").max(axis=1),
        "coverage at the end of month 35": per_rep(ts, "coverage")[:, 35],
    }


NO_CHAMPIONS = Case(
    name="no_champions",
    title="No champions: no inductions, nobody waiting, coverage falls as exp(−λt)",
    kind="extreme value",
    mechanism="champions target 0 (induction places set high, which must then never act)",
    derivation=(
        f"The capacity scenario ({CHAMP_POSTS} posts, λ = {CHAMP_RATE}) with no champions: no "
        "one is inducted, no route to training is open so no one counts as waiting, and "
        "coverage is the initial holders' survival exp(−λt)."
    ),
    rule="Counts: exact. Coverage: the verdict interval must contain exp(−λt); tolerance 0.",
    checks=(
        Check("champions, most in any month", 0.0, "exact"),
        Check("inducted, most in any month", 0.0, "exact"),
        Check("waiting, most in any month", 0.0, "exact"),
        Check(
            "coverage at the end of month 35",
            math.exp(-CHAMP_RATE * row_day(35) / DAYS_PER_YEAR),
            "interval",
        ),
    ),
    simulate=_no_champions_simulate,
    reps=50,
)


def _unlimited_expected_coverage() -> float:
    # Only holders who joined since the month's induction day (its first day) are untrained.
    return float(
        np.mean(
            [math.exp(-CHAMP_RATE * month_length(m) / DAYS_PER_YEAR) for m in range(CHAMP_HORIZON)]
        )
    )


def _unlimited_expected_wait() -> float:
    """Mean months from joining to induction, among new starters inducted by the horizon.

    Arrivals are uniform in time; one arriving w before the next month start waits w and is
    inducted only if still in post then (probability exp(−λw)). Months 0-34 count (those
    joining in month 35 are inducted after the horizon).
    """
    lam = CHAMP_RATE
    num = den = 0.0
    for m in range(CHAMP_HORIZON - 1):
        length = month_length(m) / DAYS_PER_YEAR
        survive = math.exp(-lam * length)
        den += (1 - survive) / lam
        num += (1 - survive * (1 + lam * length)) / lam**2
    return num / den * 12  # years → average months of 365.25 / 12 days


def _unlimited_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    res = run(induction_scenario(2, 1000.0), reps, seed)
    return {
        "mean month-end coverage, months 0-35": per_rep(res.timeseries, "coverage").mean(axis=1),
        "mean wait of new starters (months)": res.summary[
            "mean_wait_offered_months"  # everyone is offered a place here
        ].to_numpy(),
    }


UNLIMITED = Case(
    name="unlimited_champions",
    title="Champions with unlimited capacity: untrained only until the next month starts",
    kind="extreme value",
    mechanism="champion inductions with capacity (2000 a month) far above the inflow "
    "(about 10 a month)",
    derivation=(
        f"The capacity scenario ({CHAMP_POSTS} posts, λ = {CHAMP_RATE}) with 2 champions of "
        "1000 places each. Everyone waiting is inducted on the first day of each month, so "
        "at a month-end the untrained are exactly the holders who joined during that month: "
        "coverage exp(−λ·days in the month/365.25), averaged over months 0-35. A new starter "
        "waits until the next month starts; among those still in post then (probability "
        "exp(−λw) after a wait w), the mean wait is "
        "Σ∫₀ᴸ w·e^(−λw)dw / Σ∫₀ᴸ e^(−λw)dw over months 0-34 of length L."
    ),
    rule="The verdict interval must contain the expected value; tolerance 0.",
    checks=(
        Check("mean month-end coverage, months 0-35", _unlimited_expected_coverage(), "interval"),
        Check("mean wait of new starters (months)", _unlimited_expected_wait(), "interval"),
    ),
    simulate=_unlimited_simulate,
    reps=50,
)
