"""Measures: the monthly state of the service and the per-replication summary.

Names are defined here once and shared by the tables, the pictures, the report and the
tests. Each month's row is taken at the month's end; flows (training days, activity days,
provider days, cost, completions, starters, leavers) are totals over the month. Coverage and
practising share are fractions of permanent staff in post (the DfE headcount); they are 0
when nobody is in post.

**The common clock.** Strategies differ in when their phases end, so a measure judged "at
the end of a phase", "in the gap" or "N months after the last phase" is taken at a different
date for each strategy, and its difference mixes the strategy's effect with the mere passing
of time. The measures on the common clock are taken at the same calendar points for every
strategy: coverage and practising share M months after the start (``coverage_m{M}``,
``practising_share_m{M}`` for M in ``measures.at_months``) and totals over the whole
horizon. They lead every comparison. The *strategy-relative* measures
(:func:`is_strategy_relative`) stay available and say so wherever they are shown. A measure
that does not exist for a scenario (no gap between two phases, a date past the horizon) is
empty, never a copy of another.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from ..scenario.clock import DAYS_PER_MONTH
from ..scenario.schema import Scenario
from .flows import (
    FLOW_ACTIVITY_DAYS,
    FLOW_COMPLETED,
    FLOW_COST,
    FLOW_PROVIDER_DAYS,
    FLOW_TRAINING_DAYS,
)

if TYPE_CHECKING:  # the measures read a replication's state; its names need no SimPy
    from .state import ServiceState

MONTHLY = (
    "headcount",  # permanent staff in post
    "vacancies",  # posts without a permanent holder (covered by agency or not)
    "agency",  # agency workers covering vacancies
    "starters",  # permanent staff who joined this month
    "leavers",  # permanent staff who left this month
    "trained",  # permanent staff in post trained by a cohort or a champion induction
    "inducted",  # of whom trained by a champion induction
    "coverage",  # trained / headcount
    "practising",  # permanent staff in post whose practice level is above the threshold
    "practising_share",  # practising / headcount
    "teams_supervising",  # teams whose supervisor is in post, mentored and practising
    "champions",  # active champions
    "waiting",  # staff waiting for a training or induction place
    "in_training",  # staff in a cohort that has not finished
    "training_days",  # staff days spent in training this month
    "provider_days",  # external provider days this month
    "cost",  # GBP this month: provider days and every staff day of the programme
    "completed",  # people who completed foundation training this month (even if they leave)
    "activity_days",  # staff days in mentoring, supervision, groups, consultation, champions
    "practising_untrained",  # permanent staff in post practising without foundation training
)
_COL = {name: i for i, name in enumerate(MONTHLY)}

# Waits of new starters (permanent staff who joined after the first phase began) for a
# training or induction place: the share offered one within these many months.
WAIT_MONTHS = (3, 6, 12)

# Per-replication measures whose names do not depend on the scenario. months_to_X_coverage
# counts months to the first month-end at or above X % (1 = by the end of the first month;
# empty if never).
SUMMARY = (
    "coverage_horizon",
    "practising_share_horizon",
    "coverage_months",
    "practising_share_months",
    "practising_person_months",
    "months_to_50_coverage",
    "months_to_80_coverage",
    "champions_alive_horizon",
    "new_starters",
    "new_starters_offered_place",
    "new_starters_never_offered",
    *(f"new_starters_offered_within_{m}_months" for m in WAIT_MONTHS),
    "median_wait_new_starters_months",
    "mean_wait_offered_months",
    "total_completed",
    "total_training_days",
    "total_activity_days",
    "total_provider_days",
    "total_cost",
    "cost_per_practising_month",
)
BOOLEAN_SUMMARY = ("sustained", "champions_alive_horizon")

# Measures taken at a date that depends on the strategy's own phases.
_STRATEGY_RELATIVE = re.compile(
    r"coverage_end_phase_\d+|practising_share_end_phase_\d+|min_coverage_gap_\d+|sustained"
)
_COMMON_CLOCK = re.compile(r"(coverage|practising_share)_m\d+")


# +1: higher is better; -1: lower is better; 0: neither (not a result of the strategy).
_DIRECTIONS = {
    "coverage_horizon": +1,
    "practising_share_horizon": +1,
    "coverage_months": +1,
    "practising_share_months": +1,
    "practising_person_months": +1,
    "months_to_50_coverage": -1,
    "months_to_80_coverage": -1,
    "champions_alive_horizon": +1,
    "new_starters": 0,  # set by turnover, the same for every strategy on common seeds
    "new_starters_offered_place": +1,
    "new_starters_never_offered": -1,
    **{f"new_starters_offered_within_{m}_months": +1 for m in WAIT_MONTHS},
    "median_wait_new_starters_months": -1,
    "mean_wait_offered_months": -1,
    "total_completed": +1,
    "total_training_days": -1,
    "total_activity_days": -1,
    "total_provider_days": -1,
    "total_cost": -1,
    "cost_per_practising_month": -1,
    "sustained": +1,
}
_PATTERN_DIRECTIONS = (
    (re.compile(r"(coverage|practising_share)_m\d+"), +1),
    (re.compile(r"completed_phase_\d+"), +1),
    (re.compile(r"(coverage|practising_share)_end_phase_\d+"), +1),
    (re.compile(r"min_coverage_gap_\d+"), +1),
)
assert set(_DIRECTIONS) == {*SUMMARY, "sustained"}, "every summary measure needs a direction"


def is_measure(name: str) -> bool:
    """Whether ``name`` is a per-replication measure (not a label such as ``rep``)."""
    return name in _DIRECTIONS or any(p.fullmatch(name) for p, _ in _PATTERN_DIRECTIONS)


def direction(measure: str) -> int:
    """+1 if a higher value of ``measure`` is better, -1 if lower is better, 0 if neither.

    Higher is better for coverage, practising share, people trained, sustained, an alive
    champion group, coverage-months and practising person-months, and for new starters
    offered a place; lower is better for costs, days, waits and months to reach a coverage.
    """
    if measure in _DIRECTIONS:
        return _DIRECTIONS[measure]
    for pattern, sign in _PATTERN_DIRECTIONS:
        if pattern.fullmatch(measure):
            return sign
    return 0


def is_strategy_relative(measure: str) -> bool:
    """Whether ``measure`` is judged at a date that moves with the strategy's phases."""
    return bool(_STRATEGY_RELATIVE.fullmatch(measure))


def is_common_clock(measure: str) -> bool:
    """Whether ``measure`` is a share at a fixed month of the common clock."""
    return bool(_COMMON_CLOCK.fullmatch(measure))


def clock_columns(scenario: Scenario) -> list[str]:
    """``coverage_m{M}`` then ``practising_share_m{M}`` for the scenario's common clock."""
    months = scenario.clock_months()
    return [f"coverage_m{m}" for m in months] + [f"practising_share_m{m}" for m in months]


def summary_columns(scenario: Scenario) -> list[str]:
    """All per-replication column names: the common clock and totals first, then the
    completions per phase, the strategy-relative measures, and last the drawn value of
    every key of the ``[uncertainty]`` table (named by its dotted path)."""
    phases = len(scenario.programme.phases)
    names = clock_columns(scenario) + list(SUMMARY)
    names += [f"completed_phase_{i}" for i in range(1, phases + 1)]
    for i in range(1, phases + 1):
        names += [f"coverage_end_phase_{i}", f"practising_share_end_phase_{i}"]
    names += [f"min_coverage_gap_{i}" for i in range(1, phases)]
    return [*names, "sustained", *scenario.uncertainty]


def _share(part: float, whole: float) -> float:
    return part / whole if whole > 0 else 0.0


def snapshot(rep: ServiceState, month: int, day: float) -> list[float]:
    """The row for ``month``, taken at its end (``day``), in :data:`MONTHLY` order.

    Counts run over the people in post only (never over everyone who ever held a post),
    and the day's lists of who is in post are shared with the month's work that follows
    at the same instant. A plain list: the replication stacks its rows once at the end.
    """
    practice = rep.practice
    present = rep.people_in_post(day)
    permanent = rep.in_post_among(day, "permanent")
    headcount = len(permanent)
    trained = practice.trained[permanent]
    trained_count = int(np.count_nonzero(trained))
    # A lapse day after ``day`` implies trained and engaged (PracticeState.practising).
    practising = int(np.count_nonzero(practice.lapse_day[permanent] > day))
    flows = rep.flows
    return [
        headcount,  # headcount
        rep.establishment.n_posts - headcount,  # vacancies
        len(present) - headcount,  # agency
        rep.starters_by_month[month],  # starters
        rep.leavers_by_month[month],  # leavers
        trained_count,  # trained
        (  # inducted
            np.count_nonzero(trained & practice.inducted[permanent]) if practice.any_inducted else 0
        ),
        _share(trained_count, headcount),  # coverage
        practising,  # practising
        _share(practising, headcount),  # practising_share
        len(rep.running_supervisors(day)),  # teams_supervising
        len(rep.active_champions(day)),  # champions
        count_waiting(rep, day),  # waiting
        (  # in_training
            np.count_nonzero(practice.in_training[present]) if practice.in_training_count else 0
        ),
        flows[FLOW_TRAINING_DAYS],  # training_days
        flows[FLOW_PROVIDER_DAYS],  # provider_days
        flows[FLOW_COST],  # cost
        flows[FLOW_COMPLETED],  # completed
        flows[FLOW_ACTIVITY_DAYS],  # activity_days
        (  # practising_untrained: learned in the team, never trained or inducted
            np.count_nonzero((practice.lapse_day[permanent] > day) & ~trained)
            if practice.any_learned
            else 0
        ),
    ]


# The order snapshot() writes its row in: change both together.
assert MONTHLY == (
    "headcount",
    "vacancies",
    "agency",
    "starters",
    "leavers",
    "trained",
    "inducted",
    "coverage",
    "practising",
    "practising_share",
    "teams_supervising",
    "champions",
    "waiting",
    "in_training",
    "training_days",
    "provider_days",
    "cost",
    "completed",
    "activity_days",
    "practising_untrained",
), "snapshot() writes the monthly row in MONTHLY order"


def _open_routes(rep: ServiceState, day: float) -> tuple[bool, bool]:
    """Whether a route to a place is open (to new starters, to everyone else) at ``day``.

    A route is open to someone who joined before the programme while a cohort is still to
    start; to a new starter while a cohort that offers them a place is still to start, or
    while the champion group is alive and inducts.
    """
    inducting = rep.champions_induct() and rep.champion_group_alive(day)
    open_for_new = rep.place_still_to_come(new_starter=True) or inducting
    return open_for_new, rep.place_still_to_come(new_starter=False)


def _untrained_in_post(rep: ServiceState, day: float) -> np.ndarray:
    """Permanent staff in post, untrained and not in training, in increasing order."""
    practice = rep.practice
    permanent = rep.in_post_among(day, "permanent")
    untrained = ~practice.trained[permanent]
    if practice.in_training_count:
        untrained &= ~practice.in_training[permanent]
    return permanent[untrained]


def count_waiting(rep: ServiceState, day: float) -> int:
    """How many permanent staff in post, untrained and not in training, have a route to a
    place open to them (:func:`_open_routes`): the ``waiting`` measure."""
    open_for_new, open_for_others = _open_routes(rep, day)
    if not (open_for_new or open_for_others):
        return 0
    untrained = _untrained_in_post(rep, day)
    if open_for_new and open_for_others:
        return len(untrained)
    new = np.count_nonzero(rep.new_starter[untrained])
    return new if open_for_new else len(untrained) - new


def waiting_times(waited: np.ndarray, offered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan-Meier estimate of the time to an offer: event times and the share still waiting.

    ``waited`` is each new starter's months from joining to their offer, or to the end of
    their follow-up (leaving, or the horizon) when ``offered`` is false (censored). Those
    never offered a place count as waiting for as long as they were followed, not as absent.
    """
    times, events = np.unique(waited[offered], return_counts=True)
    # At risk at time t: everyone whose wait (or follow-up) lasted at least t.
    at_risk = len(waited) - np.searchsorted(np.sort(waited), times, side="left")
    # The product taken in order, one factor per event time (multiply.accumulate runs left
    # to right), as the step-by-step estimate has it.
    still = np.multiply.accumulate(1.0 - events / at_risk)
    return times, still


def _waits(rep: ServiceState) -> dict[str, float]:
    """Measures of new starters' waits for a place, counting those never offered one."""
    end = rep.clock.end_day
    new = np.nonzero(rep.new_starter & (rep.plan.start < end))[0]
    start = rep.plan.start[new]
    offer = rep.offered_day[new]
    offered = ~np.isnan(offer)
    followed_to = np.minimum(rep.plan.end[new], end)
    waited = (np.where(offered, offer, followed_to) - start) / DAYS_PER_MONTH
    out = {
        "new_starters": float(len(new)),
        "new_starters_offered_place": float(offered.sum()),
        "new_starters_never_offered": float(np.mean(~offered)) if len(new) else np.nan,
        "mean_wait_offered_months": waited[offered].mean() if offered.any() else np.nan,
    }
    times, still = waiting_times(waited, offered)
    for months in WAIT_MONTHS:
        before = still[times <= months]
        out[f"new_starters_offered_within_{months}_months"] = (
            (1.0 - (before[-1] if len(before) else 1.0)) if len(new) else np.nan
        )
    reached = np.nonzero(still <= 0.5)[0]
    out["median_wait_new_starters_months"] = times[reached[0]] if len(reached) else np.nan
    return out


def summarise(rep: ServiceState, monthly: np.ndarray) -> dict[str, float]:
    """The per-replication measures of MODEL.md §3, from the monthly rows and a few facts."""
    scenario = rep.scenario
    clock = rep.clock
    horizon = clock.horizon_months
    coverage = monthly[:, _COL["coverage"]]
    share = monthly[:, _COL["practising_share"]]
    out: dict[str, float] = {}

    # The common clock: the row M - 1 holds the state M months after the start.
    for m in scenario.clock_months():
        out[f"coverage_m{m}"] = coverage[m - 1] if m <= horizon else np.nan
        out[f"practising_share_m{m}"] = share[m - 1] if m <= horizon else np.nan
    out["coverage_horizon"] = coverage[-1]
    out["practising_share_horizon"] = share[-1]
    out["coverage_months"] = coverage.sum()
    out["practising_share_months"] = share.sum()
    out["practising_person_months"] = monthly[:, _COL["practising"]].sum()
    for level in (50, 80):
        reached = np.nonzero(coverage >= level / 100)[0]
        out[f"months_to_{level}_coverage"] = reached[0] + 1.0 if len(reached) else np.nan
    champions = monthly[-1, _COL["champions"]]
    out["champions_alive_horizon"] = float(
        scenario.champions.target > 0 and champions >= scenario.champions.min_group_size
    )
    out.update(_waits(rep))
    out["total_completed"] = monthly[:, _COL["completed"]].sum()
    out["total_training_days"] = monthly[:, _COL["training_days"]].sum()
    out["total_activity_days"] = monthly[:, _COL["activity_days"]].sum()
    out["total_provider_days"] = monthly[:, _COL["provider_days"]].sum()
    out["total_cost"] = monthly[:, _COL["cost"]].sum()
    practising_months = out["practising_person_months"]
    out["cost_per_practising_month"] = (
        out["total_cost"] / practising_months if practising_months > 0 else np.nan
    )

    # Strategy-relative: dates that move with the strategy's own phases.
    boundaries = clock.month_start_days[1:]  # the day each month's row is taken
    for span in rep.calendar.spans:
        i = span.index + 1
        out[f"completed_phase_{i}"] = float(rep.completed_by_phase[span.index])
        month = clock.month_of(span.end_day - 1.0)  # the month holding the phase's last day
        inside = 0 <= month < horizon
        out[f"coverage_end_phase_{i}"] = coverage[month] if inside else np.nan
        out[f"practising_share_end_phase_{i}"] = share[month] if inside else np.nan
    for before, after in zip(rep.calendar.spans, rep.calendar.spans[1:], strict=False):
        # The month ends from the last day of one phase to the first of the next; none when
        # the phases adjoin (no gap) or no month ends inside a short gap.
        in_gap = (boundaries >= before.end_day) & (boundaries <= after.start_day)
        has_gap = after.start_day > before.end_day and in_gap.any()
        out[f"min_coverage_gap_{before.index + 1}"] = coverage[in_gap].min() if has_gap else np.nan
    measures = scenario.measures
    last_end = rep.calendar.last_end_day
    last_month = -1 if last_end is None else clock.month_of(last_end - 1.0)
    judged = max(last_month + measures.sustain_after_months, 0)
    out["sustained"] = (
        float(coverage[judged] >= measures.sustain_target) if judged < horizon else np.nan
    )
    return {name: float(out[name]) for name in summary_columns(scenario)}
