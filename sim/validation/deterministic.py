"""Deterministic cases: runs with nothing random in the checked quantity, counted by hand."""

from __future__ import annotations

import math
from datetime import date

import numpy as np

from ..experiments.replications import replicate as run
from ..scenario.schema import Scenario
from .core import (
    DAYS_PER_MONTH,
    START,
    Case,
    Check,
    Picture,
    month_holding,
    per_rep,
    phase,
    role,
    scenario,
)

# --------------------------------------------------------------------------- 3. cohorts

COHORT_STAFF, COHORT_PLACES, COHORT_COUNT, COHORT_INTERVAL = 40, 12, 4, 2.0


def _cohort_months() -> list[int]:
    """The month each cohort completes: its one session is on its start day."""
    return [month_holding(j * COHORT_INTERVAL * DAYS_PER_MONTH) for j in range(COHORT_COUNT)]


def _cohort_scenario() -> Scenario:
    return scenario(
        {"supervisor": role(4), "worker": role(COHORT_STAFF - 4, team_member=True)},
        12,
        supervisor="supervisor",
        programme={
            "phases": phase(START, date(2022, 12, 31), ["foundation"]),
            "foundation": {
                "cohorts": COHORT_COUNT,
                "cohort_size": COHORT_PLACES,
                "interval_months": COHORT_INTERVAL,
                "attendance": 1.0,
                "sessions": [{"after_months": 0, "days": 1}],
                "allocation": "mixed",
            },
        },
    )


def _cohort_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    coverage = per_rep(run(_cohort_scenario(), reps, seed).timeseries, "coverage")
    return {
        f"coverage at the end of month {m} ({k} cohort(s))": coverage[:, m]
        for k, m in enumerate(_cohort_months(), start=1)
    }


def _cohort_picture(reps: int, seed: int) -> Picture:
    coverage = per_rep(run(_cohort_scenario(), reps, seed).timeseries, "coverage")
    months = np.arange(12)
    done = np.array(_cohort_months())
    expected = [
        min(COHORT_STAFF, int((done <= m).sum()) * COHORT_PLACES) / COHORT_STAFF for m in months
    ]
    return Picture(
        "Cohort capacity: coverage after k cohorts",
        "coverage",
        months + 1,
        coverage,
        np.array(expected),
        "min(1, k·places/staff)",
    )


COHORTS = Case(
    name="cohort_capacity",
    title="Cohort capacity: coverage after k cohorts = min(1, k·places/staff)",
    kind="deterministic",
    mechanism="foundation cohorts: places filled from untrained staff; completion at the last "
    "session",
    derivation=(
        f"{COHORT_STAFF} staff (4 teams), no turnover, full attendance, {COHORT_COUNT} cohorts "
        f"of {COHORT_PLACES} places every {COHORT_INTERVAL:g} months, one 1-day session. "
        "Each cohort takes untrained staff only, so after k cohorts min(staff, k·places) are "
        "trained. Cohort j starts (and completes) on day j·2·30.44, in months "
        f"{_cohort_months()}."
    ),
    rule="exact: every replication equals min(staff, k·places)/staff (nothing random "
    "affects the count).",
    checks=tuple(
        Check(
            f"coverage at the end of month {m} ({k} cohort(s))",
            min(COHORT_STAFF, k * COHORT_PLACES) / COHORT_STAFF,
            "exact",
        )
        for k, m in enumerate(_cohort_months(), start=1)
    ),
    simulate=_cohort_simulate,
    reps=5,
    picture=_cohort_picture,
)


# --------------------------------------------------------------------------- 7. mentoring groups

MENT_SUPERVISORS, MENT_GROUP, MENT_MONTHS, MENT_SUPPORTED = 14, 6, 6, 12
MENT_DAYS_SESSION, MENT_DAYS_SUPPORTED = 1.5, 0.25


def _mentoring_scenario() -> Scenario:
    return scenario(
        {
            "supervisor": role(MENT_SUPERVISORS),
            "worker": role(2 * MENT_SUPERVISORS, team_member=True),
        },
        24,
        supervisor="supervisor",
        workforce={"initial_trained_fraction": 1.0},
        programme={
            "phases": phase(START, date(2022, 12, 31), ["mentoring"]),
            "mentoring": {
                "group_size": MENT_GROUP,
                "months": MENT_MONTHS,
                "supported_months": MENT_SUPPORTED,
                "provider_days_per_session": MENT_DAYS_SESSION,
                "provider_days_per_supported_team_month": MENT_DAYS_SUPPORTED,
            },
        },
    )


def _mentoring_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    res = run(_mentoring_scenario(), reps, seed)
    provider = per_rep(res.timeseries, "provider_days")
    teams = per_rep(res.timeseries, "teams_supervising")
    return {
        "provider days in month 0": provider[:, 0],
        "total provider days": res.summary["total_provider_days"].to_numpy(),
        "teams supervising at the end of month 11": teams[:, 11],
    }


_GROUPS = math.ceil(MENT_SUPERVISORS / MENT_GROUP)
MENTORING = Case(
    name="mentoring_groups",
    title="Mentoring groups: ceil(n/group size) groups, provider days = groups × months × days",
    kind="deterministic",
    mechanism="mentoring: trained supervisors formed into groups meeting monthly, then "
    "supported supervision until the support period ends",
    derivation=(
        f"{MENT_SUPERVISORS} trained supervisors, groups of {MENT_GROUP}: ceil(14/6) = "
        f"{_GROUPS} groups, each {MENT_MONTHS} monthly sessions at {MENT_DAYS_SESSION:g} "
        f"provider days: {_GROUPS}·{MENT_MONTHS}·{MENT_DAYS_SESSION:g} = "
        f"{_GROUPS * MENT_MONTHS * MENT_DAYS_SESSION:g} days; then each supervisor's "
        f"supported supervision for the remaining {MENT_SUPPORTED - MENT_MONTHS} months at "
        f"{MENT_DAYS_SUPPORTED:g} a month: "
        f"{MENT_SUPERVISORS}·{MENT_SUPPORTED - MENT_MONTHS}·{MENT_DAYS_SUPPORTED:g} = "
        f"{MENT_SUPERVISORS * (MENT_SUPPORTED - MENT_MONTHS) * MENT_DAYS_SUPPORTED:g} days. "
        "Month 0 holds only the groups' first sessions. Every team supervises while its "
        "supervisor is supported (no turnover, long half-life)."
    ),
    rule="exact (no randomness reaches these counts).",
    checks=(
        Check("provider days in month 0", _GROUPS * MENT_DAYS_SESSION, "exact"),
        Check(
            "total provider days",
            _GROUPS * MENT_MONTHS * MENT_DAYS_SESSION
            + MENT_SUPERVISORS * (MENT_SUPPORTED - MENT_MONTHS) * MENT_DAYS_SUPPORTED,
            "exact",
        ),
        Check("teams supervising at the end of month 11", float(MENT_SUPERVISORS), "exact"),
    ),
    simulate=_mentoring_simulate,
    reps=3,
)


# --------------------------------------------------------------------------- 10. costs

COST_RATE, COST_DAYS = 1000.0, (1.0, 2.0, 2.0)
COST_ROLES = {"manager": (8, 256.0), "worker": (32, 128.0)}  # posts, day cost (GBP)


def _cost_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    s = scenario(
        {name: role(posts, day_cost=cost) for name, (posts, cost) in COST_ROLES.items()},
        12,
        costs={"provider_day_rate": COST_RATE},
        programme={
            "phases": phase(START, date(2021, 12, 31), ["foundation"]),
            "foundation": {
                "cohorts": 1,
                "cohort_size": 40,
                "attendance": 1.0,
                "trainers_per_session": 2.0,
                "sessions": [
                    {"after_months": a, "days": d}
                    for a, d in zip((0.0, 0.5, 3.5), COST_DAYS, strict=True)
                ],
            },
        },
    )
    summary = run(s, reps, seed).summary
    return {
        "total training days": summary["total_training_days"].to_numpy(),
        "total provider days": summary["total_provider_days"].to_numpy(),
        "total cost (GBP)": summary["total_cost"].to_numpy(),
    }


_STAFF_DAY_COST = sum(posts * cost for posts, cost in COST_ROLES.values())
COSTS = Case(
    name="costs",
    title="A programme's days and cost by hand",
    kind="deterministic",
    mechanism="costs: provider days at a day rate, staff days at each role's day cost",
    derivation=(
        "40 staff (8 at £256 a day, 32 at £128), no turnover, one cohort of 40 places, "
        "sessions of 1, 2 and 2 days, full attendance, 2 trainers per training day, provider "
        f"day £{COST_RATE:g}. Training days 40·5 = 200; provider days 5·2 = 10; cost "
        f"10·1000 + 5·(8·256 + 32·128) = {10 * COST_RATE + 5 * _STAFF_DAY_COST:g}."
    ),
    rule="exact.",
    checks=(
        Check("total training days", 40 * sum(COST_DAYS), "exact"),
        Check("total provider days", 2 * sum(COST_DAYS), "exact"),
        Check("total cost (GBP)", 2 * sum(COST_DAYS) * COST_RATE + 5 * _STAFF_DAY_COST, "exact"),
    ),
    simulate=_cost_simulate,
    reps=3,
)
