"""Closed-form cases: expected values derived from what each mechanism implies.

Turnover, hiring delays, decay and reinforcement here; champions' capacity and shrinkage
and uptake in :mod:`~sim.validation.closed_form_programme`.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np

from ..experiments.replications import replicate as run
from ..model.replication import Replication
from ..scenario.schema import Scenario
from .core import (
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    START,
    Case,
    Check,
    Picture,
    month_length,
    month_start_day,
    per_rep,
    phase,
    role,
    row_day,
    scenario,
)

# --------------------------------------------------------------------------- 1. turnover

TURNOVER_POSTS, TURNOVER_RATE, TURNOVER_HORIZON = 200, 0.3, 36


def _turnover_scenario() -> Scenario:
    return scenario(
        {"worker": role(TURNOVER_POSTS, TURNOVER_RATE)},
        TURNOVER_HORIZON,
        workforce={"initial_trained_fraction": 1.0},
    )


def _turnover_expected(month: int) -> float:
    return math.exp(-TURNOVER_RATE * row_day(month) / DAYS_PER_YEAR)


def _turnover_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    coverage = per_rep(run(_turnover_scenario(), reps, seed).timeseries, "coverage")
    return {f"coverage after {m // 12 + 1} year(s)": coverage[:, m] for m in (11, 23, 35)}


def _turnover_picture(reps: int, seed: int) -> Picture:
    coverage = per_rep(run(_turnover_scenario(), reps, seed).timeseries, "coverage")
    months = np.arange(TURNOVER_HORIZON)
    return Picture(
        "Turnover: trained share of an initially trained workforce",
        "coverage",
        months + 1,
        coverage,
        np.array([_turnover_expected(m) for m in months]),
        "exp(−λt)",
    )


TURNOVER = Case(
    name="turnover",
    title="Turnover erodes an initially trained workforce as exp(−λt)",
    kind="closed form",
    mechanism="workforce: constant leaving hazard λ per person-year; a leaver's post is "
    "refilled at once by an untrained recruit",
    derivation=(
        f"{TURNOVER_POSTS} posts, λ = {TURNOVER_RATE}/year, everyone trained at the start, no "
        "programme. A post is still held by its first (trained) holder at time t with "
        "probability exp(−λt), and every later holder is untrained, so the expected coverage "
        "is exp(−λt), t being the exact day of the month-end row / 365.25."
    ),
    rule="The verdict interval of the mean coverage must contain exp(−λt); tolerance 0 (t is the "
    "exact row day, so there is no discretisation).",
    checks=tuple(
        Check(f"coverage after {m // 12 + 1} year(s)", _turnover_expected(m), "interval")
        for m in (11, 23, 35)
    ),
    simulate=_turnover_simulate,
    picture=_turnover_picture,
)


# --------------------------------------------------------------------------- 2. hiring delays

VAC_POSTS, VAC_RATE, VAC_DELAY_MONTHS, VAC_COVER, VAC_HORIZON, VAC_FROM = 200, 1.0, 6.0, 0.7, 48, 24


def _vacancy_expected(month: int) -> float:
    """P(a post is vacant at the row of ``month``), starting filled: a two-state Markov chain."""
    rate = VAC_RATE  # filled -> vacant, per year
    refill = 12.0 / VAC_DELAY_MONTHS  # vacant -> filled, per year
    t = row_day(month) / DAYS_PER_YEAR
    return rate / (rate + refill) * (1.0 - math.exp(-(rate + refill) * t))


def _vacancy_scenario() -> Scenario:
    return scenario(
        {"worker": role(VAC_POSTS, VAC_RATE, VAC_DELAY_MONTHS)},
        VAC_HORIZON,
        workforce={"agency_cover": VAC_COVER},
    )


def _vacancy_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    ts = run(_vacancy_scenario(), reps, seed).timeseries
    window = slice(VAC_FROM, VAC_HORIZON)
    vacancies = per_rep(ts, "vacancies")[:, window]
    agency = per_rep(ts, "agency")[:, window]
    headcount = per_rep(ts, "headcount")[:, window]
    leavers = per_rep(ts, "leavers")[:, window]
    years = np.array([month_length(m) for m in range(VAC_FROM, VAC_HORIZON)]) / DAYS_PER_YEAR
    return {
        "vacancy share, months 24-47": vacancies.mean(axis=1) / VAC_POSTS,
        "agency / vacancies, months 24-47": agency.sum(axis=1) / vacancies.sum(axis=1),
        "leavers per person-year, months 24-47": leavers.sum(axis=1) / (headcount @ years),
    }


def _vacancy_picture(reps: int, seed: int) -> Picture:
    ts = run(_vacancy_scenario(), reps, seed).timeseries
    months = np.arange(VAC_HORIZON)
    return Picture(
        "Hiring delays: vacancy share from a fully staffed start",
        "vacancies / posts",
        months + 1,
        per_rep(ts, "vacancies") / VAC_POSTS,
        np.array([_vacancy_expected(m) for m in months]),
        "λD/(1+λD)·(1 − exp(−(λ+1/D)t))",
    )


_D = VAC_DELAY_MONTHS / 12  # years
LONG_RUN_VACANCY_SHARE = VAC_RATE * _D / (1 + VAC_RATE * _D)
HIRING = Case(
    name="hiring_delays",
    title="Hiring delays: long-run vacancy share λD/(1+λD), agency cover c, leavers = λ",
    kind="closed form",
    mechanism="workforce: holder spells exponential (mean 1/λ), vacancies exponential "
    "(mean D), each vacancy covered by an agency worker with probability c",
    derivation=(
        f"{VAC_POSTS} posts, λ = {VAC_RATE}/year, D = {VAC_DELAY_MONTHS:g} months, c = "
        f"{VAC_COVER}. Each post alternates filled and vacant spells (an alternating renewal "
        "process, here a two-state Markov chain), vacant a long-run share "
        f"D/(1/λ + D) = λD/(1+λD) = {LONG_RUN_VACANCY_SHARE:.4f}; from a filled start the "
        "share at t is λD/(1+λD)·(1 − exp(−(λ + 1/D)t)), averaged over the month-end rows of "
        "months 24-47 (the transient, included, is by then under 0.3 % of the share). "
        "Agency cover is decided per vacancy, independently of its length, so "
        "agency / vacancies → c. Leavers per person-year is λ (the DfE definition) in the "
        "settled window."
    ),
    rule="The verdict interval must contain the expected value. Tolerance 0 for the vacancy share "
    "and the agency ratio; 0.01 for leavers per person-year, whose denominator uses the "
    "month-end headcount for the whole month (a discretisation).",
    checks=(
        Check(
            "vacancy share, months 24-47",
            float(np.mean([_vacancy_expected(m) for m in range(VAC_FROM, VAC_HORIZON)])),
            "interval",
        ),
        Check("agency / vacancies, months 24-47", VAC_COVER, "interval"),
        Check("leavers per person-year, months 24-47", VAC_RATE, "interval", 0.01),
    ),
    simulate=_vacancy_simulate,
    picture=_vacancy_picture,
)


# --------------------------------------------------------------------------- 4. decay

DECAY_SETS = ((10.0, 0.4), (3.0, 0.1), (6.0, 0.8))  # (half-life months, threshold)


def _decay_scenario(half_life: float, threshold: float) -> Scenario:
    return scenario(
        {"worker": role(20)},
        36,
        workforce={"initial_trained_fraction": 1.0},
        practice={"half_life_months": half_life, "threshold": threshold},
    )


def _decay_lapse_day(half_life: float, threshold: float) -> float:
    return half_life * math.log2(1.0 / threshold) * DAYS_PER_MONTH


def _decay_label(half_life: float, threshold: float) -> str:
    lapse = _decay_lapse_day(half_life, threshold) / DAYS_PER_MONTH
    return f"month-ends practising, h = {half_life:g}, θ = {threshold:g} (lapse {lapse:.2f} mo)"


def _decay_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    out = {}
    for h, theta in DECAY_SETS:
        summary = run(_decay_scenario(h, theta), reps, seed).summary
        out[_decay_label(h, theta)] = summary["practising_share_months"].to_numpy()
    return out


DECAY = Case(
    name="decay",
    title="Decay: practice lapses h·log2(1/θ) months after the last reinforcement",
    kind="closed form",
    mechanism="practice: level 1 after training, halving every h months, practising while "
    "above the threshold θ",
    derivation=(
        "20 staff trained on day 0, no turnover, nothing reinforcing. The level 2^(−t/h) "
        "reaches θ at t = h·log2(1/θ) months, so everyone practises at exactly the month-end "
        "rows before that day and at none after; the summed practising share over the rows "
        "is the number of month-end rows (days from the calendar) before the lapse day."
    ),
    rule="exact: the count of month-ends with everyone practising, in every replication.",
    checks=tuple(
        Check(
            _decay_label(h, theta),
            float(sum(row_day(m) < _decay_lapse_day(h, theta) for m in range(36))),
            "exact",
        )
        for h, theta in DECAY_SETS
    ),
    simulate=_decay_simulate,
    reps=3,
)


# --------------------------------------------------------------------------- 5. reinforcement

REINF_HALF_LIFE, REINF_BOOST, REINF_HORIZON, REINF_TEAMS = 6.0, 0.3, 48, 4


def settled_level(decay: float, boost: float) -> float:
    """Pre-session level L with L = d·(L + b(1 − L)): L = d·b / (1 − d(1 − b))."""
    return decay * boost / (1.0 - decay * (1.0 - boost))


def _monthly_decay(days: float) -> float:
    return 0.5 ** (days / (REINF_HALF_LIFE * DAYS_PER_MONTH))


REINF_LEVEL = settled_level(0.5 ** (1 / REINF_HALF_LIFE), REINF_BOOST)
# Months are 28-31 days, not the average month: the pre-session level moves between the
# fixed points for the longest and shortest months (the recursion is a contraction).
REINF_LOW = settled_level(_monthly_decay(31), REINF_BOOST)
REINF_HIGH = settled_level(_monthly_decay(28), REINF_BOOST)
REINF_TOLERANCE = max(REINF_LEVEL - REINF_LOW, REINF_HIGH - REINF_LEVEL)
REINF_THETA_KEEPS = round(REINF_LOW - 0.05, 3)
REINF_THETA_LAPSES = round(REINF_HIGH + 0.05, 3)
REINF_SUPPORTED = 12  # months 0-11: supervision supported, the supervisor restored to 1


def recursion_levels(horizon: int) -> np.ndarray:
    """The level before the session of months 1..horizon, stepped through the real calendar.

    Up to month 11 each month's supported supervision restores the level to 1; from month 12
    the supervisor's own session lifts L to L + b(1 − L). Between sessions the level decays
    over the month's actual length: L_next = (level after the session)·0.5^(days / h days).
    """
    levels = []
    after = 1.0  # the level just after month 0's session
    for month in range(horizon):
        before_next = after * _monthly_decay(month_length(month))
        levels.append(before_next)
        supported = month + 1 < REINF_SUPPORTED
        after = 1.0 if supported else before_next + REINF_BOOST * (1.0 - before_next)
    return np.array(levels)


def _reinforcement_scenario(threshold: float, horizon: int = REINF_HORIZON) -> Scenario:
    return scenario(
        {"supervisor": role(REINF_TEAMS), "worker": role(2 * REINF_TEAMS, team_member=True)},
        horizon,
        supervisor="supervisor",
        workforce={"initial_trained_fraction": 1.0},
        practice={"half_life_months": REINF_HALF_LIFE, "threshold": threshold},
        programme={
            "phases": phase(START, date(2021, 12, 31), ["mentoring"]),
            "mentoring": {"group_size": 6, "months": 6, "supported_months": 12},
            "group_supervision": {
                "interval_months": 1,
                "supervisor_reinforcement": REINF_BOOST,
            },
        },
    )


def _pre_session_levels(scenario_: Scenario, seed: int, replication: int) -> np.ndarray:
    """Supervisors' levels at the horizon: just before the session that would come next."""
    rep = Replication(scenario_, seed, replication)
    rep.run()
    people = rep.supervisor_people
    return rep.practice.level(float(month_start_day(scenario_.scenario.horizon_months)), people)


def _reinforcement_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    level = _reinforcement_scenario(0.5)
    levels = [_pre_session_levels(level, seed, r).mean() for r in range(reps)]
    keeps = run(_reinforcement_scenario(REINF_THETA_KEEPS), reps, seed).timeseries
    lapses = run(_reinforcement_scenario(REINF_THETA_LAPSES), reps, seed).timeseries
    return {
        "supervisors' pre-session level at month 48 (θ = 0.5)": np.array(levels),
        "the same level against the recursion on calendar months": np.array(levels),
        f"teams supervising at month 47, θ = {REINF_THETA_KEEPS} < L": per_rep(
            keeps, "teams_supervising"
        )[:, -1],
        f"teams supervising at month 47, θ = {REINF_THETA_LAPSES} > L": per_rep(
            lapses, "teams_supervising"
        )[:, -1],
    }


def _reinforcement_picture(reps: int, seed: int) -> Picture:
    # The level before each month's session, read from runs ending at that month.
    months = np.arange(1, REINF_HORIZON + 1)
    levels = np.array(
        [
            [_pre_session_levels(_reinforcement_scenario(0.5, int(h)), seed, 0).mean()]
            for h in months
        ]
    ).T
    return Picture(
        "Reinforcement: supervisors' level before each session",
        "practice level",
        months,
        levels,
        recursion_levels(REINF_HORIZON),
        "L' = d·(L + b(1 − L)) on calendar months",
        xlabel="session month (support ends after month 11)",
        reference=REINF_LEVEL,
        reference_label="fixed point d·b/(1 − d(1 − b))",
    )


REINFORCEMENT = Case(
    name="reinforcement",
    title="Decay and reinforcement: a supervisor's level settles at d·b/(1 − d(1 − b))",
    kind="closed form",
    mechanism="mentoring and group supervision: after support ends, a mentored supervisor "
    "who is practising at a session's start runs it and is reinforced by b",
    derivation=(
        f"{REINF_TEAMS} supervisors trained on day 0, mentored and supported for 12 months "
        f"(reinforced fully each month), then alone: monthly group supervision with "
        f"supervisor_reinforcement b = {REINF_BOOST}, half-life h = {REINF_HALF_LIFE:g} months. "
        "The level before a session obeys L' = d·(L + b(1 − L)), d = 0.5^(1/h), whose fixed "
        f"point is L = d·b/(1 − d(1 − b)) = {REINF_LEVEL:.4f}. So with θ below L the teams "
        "keep their supervision for ever; with θ above L the supervisors lapse and every "
        "team loses it. Stepping the same recursion through the calendar's actual month "
        "lengths by hand gives the level at month 48 to rounding."
    ),
    rule=(
        "Level: the verdict interval must contain L widened by "
        f"{REINF_TOLERANCE:.4f}, the most the fixed point moves when a month has 28 or 31 "
        f"days instead of the average 30.44 (the fixed points are {REINF_LOW:.4f} and "
        f"{REINF_HIGH:.4f}); it must contain the calendar recursion's value widened by 1e-9 "
        "(floating-point rounding: the model stores a lapse day, not a level). The "
        "thresholds are 0.05 beyond those bounds, and the team counts must equal all teams "
        "or none exactly."
    ),
    checks=(
        Check(
            "supervisors' pre-session level at month 48 (θ = 0.5)",
            REINF_LEVEL,
            "interval",
            REINF_TOLERANCE,
        ),
        Check(
            "the same level against the recursion on calendar months",
            float(recursion_levels(REINF_HORIZON)[-1]),
            "interval",
            1e-9,
        ),
        Check(
            f"teams supervising at month 47, θ = {REINF_THETA_KEEPS} < L",
            float(REINF_TEAMS),
            "exact",
        ),
        Check(f"teams supervising at month 47, θ = {REINF_THETA_LAPSES} > L", 0.0, "exact"),
    ),
    simulate=_reinforcement_simulate,
    reps=5,
    picture=_reinforcement_picture,
)
