"""Closed-form cases of the programme: champions' induction capacity, the champion group's
shrinkage, and uptake with attendance (the workforce and practice cases are in
:mod:`~sim.validation.closed_form`).
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np

from ..experiments.replications import replicate as run
from ..scenario.schema import Scenario
from .core import (
    DAYS_PER_YEAR,
    START,
    Case,
    Check,
    Picture,
    month_start_day,
    per_rep,
    phase,
    role,
    row_day,
    scenario,
)

# --------------------------------------------------------------------------- 6. champion capacity

CHAMP_POSTS, CHAMP_RATE, CHAMP_HORIZON = 200, 0.6, 36


def induction_scenario(target: int, places: float) -> Scenario:
    """A scenario in which only champions induct: ``target`` champions, ``places`` each a month."""
    return scenario(
        {"worker": role(CHAMP_POSTS, CHAMP_RATE)},
        CHAMP_HORIZON,
        workforce={"initial_trained_fraction": 1.0},
        champions={
            "target": target,
            "min_group_size": 1,
            "replacement": "at_once",
            "dropout_supported": 0.0,
            "dropout_unsupported": 0.0,
            "induction_places_per_champion_per_month": places,
            "induction_days": 1.0,
            "days_per_month": 0.0,
        },
    )


CAP_CHAMPIONS, CAP_PLACES = 4, 0.5  # capacity c = 2 a month, against ~10 starters a month


def _capacity_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    ts = run(induction_scenario(CAP_CHAMPIONS, CAP_PLACES), reps, seed).timeseries
    window = slice(12, 36)
    return {
        "inductions in months 12-35": per_rep(ts, "training_days")[:, window].sum(axis=1),
        "starters in months 12-35": per_rep(ts, "starters")[:, window].sum(axis=1),
    }


def _capacity_picture(reps: int, seed: int) -> Picture:
    ts = run(induction_scenario(CAP_CHAMPIONS, CAP_PLACES), reps, seed).timeseries
    months = np.arange(CHAMP_HORIZON)
    done = np.cumsum(per_rep(ts, "training_days"), axis=1)
    c = CAP_CHAMPIONS * CAP_PLACES
    return Picture(
        "Champion capacity below the inflow: cumulative inductions",
        "inductions so far",
        months + 1,
        done,
        np.maximum(0, months) * c,  # none in month 0: nobody is waiting yet
        "c per month from month 1",
    )


_C = CAP_CHAMPIONS * CAP_PLACES
CAPACITY = Case(
    name="champion_capacity",
    title="Champion capacity c below the inflow s: 12c inductions a year",
    kind="closed form",
    mechanism="champions: induct waiting new starters, up to induction places per champion "
    "per month",
    derivation=(
        f"{CHAMP_POSTS} posts, λ = {CHAMP_RATE}/year refilled at once, so starters arrive as a "
        f"Poisson stream of s = λN/12 = {CHAMP_RATE * CHAMP_POSTS / 12:g} a month. "
        f"{CAP_CHAMPIONS} champions replaced at once, no dropout, {CAP_PLACES} places each: "
        f"c = {_C:g} a month < s. The queue grows by about s − c a month, so from month 1 "
        "every place is used: 24·c inductions in months 12-35 (each one induction day, the "
        "only training, so training days count them); starters in those months: "
        "λN·(730 days)/365.25."
    ),
    rule="Inductions: exact (the queue cannot empty: it holds hundreds by month 12). "
    "Starters: the verdict interval must contain λN·730/365.25; tolerance 0.",
    checks=(
        Check("inductions in months 12-35", 24 * _C, "exact"),
        Check(
            "starters in months 12-35",
            CHAMP_RATE * CHAMP_POSTS * (row_day(35) - month_start_day(12)) / DAYS_PER_YEAR,
            "interval",
        ),
    ),
    simulate=_capacity_simulate,
    reps=50,
    picture=_capacity_picture,
)


# --------------------------------------------------------------------------- 8. champion shrinkage

SHRINK_TARGET, SHRINK_UNSUPPORTED, SHRINK_SUPPORTED = 100, 0.6, 0.2


def _shrink_scenario(supported: bool) -> Scenario:
    # The rate that should not apply is set absurdly high, to show which one is used.
    return scenario(
        {"worker": role(150)},
        24,
        workforce={"initial_trained_fraction": 1.0},
        champions={
            "target": SHRINK_TARGET,
            "min_group_size": 1,
            "replacement": "none",
            "dropout_supported": SHRINK_SUPPORTED if supported else 9.0,
            "dropout_unsupported": 9.0 if supported else SHRINK_UNSUPPORTED,
        },
        programme={
            "phases": phase(START, date(2023, 12, 31), ["champion_supervision"])
            if supported
            else []
        },
    )


def _shrink_expected(rate: float, month: int) -> float:
    return SHRINK_TARGET * math.exp(-rate * row_day(month) / DAYS_PER_YEAR)


def _shrink_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    out = {}
    for supported, rate in ((False, SHRINK_UNSUPPORTED), (True, SHRINK_SUPPORTED)):
        champions = per_rep(run(_shrink_scenario(supported), reps, seed).timeseries, "champions")
        for month in (11, 23):
            out[_shrink_label(supported, rate, month)] = champions[:, month]
    return out


def _shrink_label(supported: bool, rate: float, month: int) -> str:
    kind = "supported" if supported else "unsupported"
    return f"champions at the end of month {month}, {kind} (r = {rate:g})"


def _shrink_picture(reps: int, seed: int) -> Picture:
    champions = per_rep(run(_shrink_scenario(False), reps, seed).timeseries, "champions")
    months = np.arange(24)
    return Picture(
        "Champion group without replacement (unsupported)",
        "active champions",
        months + 1,
        champions,
        np.array([_shrink_expected(SHRINK_UNSUPPORTED, m) for m in months]),
        "target·exp(−rt)",
    )


SHRINKAGE = Case(
    name="champion_shrinkage",
    title="Champion group without replacement shrinks as target·exp(−rt)",
    kind="closed form",
    mechanism="champions: stepping down at a constant hazard per champion-year, higher "
    "without external supervision; replacement 'none'",
    derivation=(
        f"{SHRINK_TARGET} champions appointed on day 0 from 150 trained staff, no turnover. "
        "Each month a champion steps down with probability 1 − exp(−r·days/365.25), so the "
        "chance of still serving at a month-end row is exp(−r·t) with t the row day / 365.25: "
        "target·exp(−rt), with r the unsupported rate without a phase and the supported rate "
        "while a phase supplies champion supervision."
    ),
    rule="The verdict interval must contain target·exp(−rt); tolerance 0.",
    checks=tuple(
        Check(_shrink_label(s, r, m), _shrink_expected(r, m), "interval")
        for s, r in ((False, SHRINK_UNSUPPORTED), (True, SHRINK_SUPPORTED))
        for m in (11, 23)
    ),
    simulate=_shrink_simulate,
    picture=_shrink_picture,
)


# --------------------------------------------------------------------------- 9. uptake, attendance

UPTAKE_STAFF, UPTAKE_P, UPTAKE_U = 200, 0.8, 0.4


def _uptake_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    s = scenario(
        {"worker": role(UPTAKE_STAFF)},
        4,
        practice={"uptake": UPTAKE_U},
        programme={
            "phases": phase(START, date(2021, 12, 31), ["foundation"]),
            "foundation": {
                "cohorts": 1,
                "cohort_size": UPTAKE_STAFF,
                "attendance": UPTAKE_P,
                "sessions": [{"after_months": 0, "days": 1}, {"after_months": 1, "days": 1}],
            },
        },
    )
    ts = run(s, reps, seed).timeseries
    trained = per_rep(ts, "trained")[:, -1]
    practising = per_rep(ts, "practising")[:, -1]
    return {
        "completion share (both sessions needed)": trained / UPTAKE_STAFF,
        "practising / trained (uptake)": practising / trained,
    }


UPTAKE = Case(
    name="attendance_uptake",
    title="Attendance and uptake: completion p², practising share of the trained u",
    kind="closed form",
    mechanism="foundation attendance (each session attended with probability p) and uptake "
    "(each trained person engages with probability u)",
    derivation=(
        f"One cohort of {UPTAKE_STAFF} places for {UPTAKE_STAFF} staff, two 1-day sessions, "
        f"all days needed: a place completes with probability p² = {UPTAKE_P**2:g}. Engagement "
        f"is drawn independently, so the practising share of the trained is u = {UPTAKE_U} "
        "(half-life 600 months: nobody lapses in 4 months)."
    ),
    rule="The verdict interval must contain the expected share; tolerance 0.",
    checks=(
        Check("completion share (both sessions needed)", UPTAKE_P**2, "interval"),
        Check("practising / trained (uptake)", UPTAKE_U, "interval"),
    ),
    simulate=_uptake_simulate,
)
