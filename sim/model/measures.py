"""Measures: the monthly state of the service and the per-replication summary, computed.

Their names, words, order and directions are defined once in :mod:`sim.model.registry`
and shared by the tables, the pictures, the report and the tests; this module computes
the values (each registry entry says which function here computes it). Each month's row
is taken at the month's end; flows (training days, activity days, provider days, cost,
completions, starters, leavers) are totals over the month. Coverage and practising share
are fractions of permanent staff in post (the DfE headcount); they are 0 when nobody is
in post.

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
from .registry import CLOCK, REGISTRY, WAIT_MONTHS

if TYPE_CHECKING:  # the measures read a replication's state; its names need no SimPy
    from .state import ServiceState

# Every name, order and direction comes from the registry (sim.model.registry), which also
# says where each value is computed: snapshot() (monthly), summarise() and _waits().
MONTHLY = REGISTRY.monthly
_COL = {name: i for i, name in enumerate(MONTHLY)}

# Per-replication measures whose names do not depend on the scenario.
SUMMARY = REGISTRY.summary
BOOLEAN_SUMMARY = REGISTRY.yes_no


def is_measure(name: str) -> bool:
    """Whether ``name`` is a per-replication measure (not a label such as ``rep``)."""
    return REGISTRY.summary_entry(name) is not None


def direction(measure: str) -> int:
    """+1 if a higher value of ``measure`` is better, -1 if lower is better, 0 if neither.

    Higher is better for coverage, practising share, people trained, sustained, an alive
    champion group, coverage-months and practising person-months, and for new starters
    offered a place; lower is better for costs, days, waits and months to reach a coverage.
    """
    entry = REGISTRY.summary_entry(measure)
    return entry.direction if entry else 0


def is_strategy_relative(measure: str) -> bool:
    """Whether ``measure`` is judged at a date that moves with the strategy's phases."""
    entry = REGISTRY.summary_entry(measure)
    return bool(entry and entry.own_dates)


def is_common_clock(measure: str) -> bool:
    """Whether ``measure`` is a share at a fixed month of the common clock."""
    entry = REGISTRY.summary_entry(measure)
    return bool(entry and entry.per == CLOCK)


def clock_columns(scenario: Scenario) -> list[str]:
    """``coverage_m{M}`` then ``practising_share_m{M}`` for the scenario's common clock."""
    months = scenario.clock_months()
    return [f"coverage_m{m}" for m in months] + [f"practising_share_m{m}" for m in months]


def summary_columns(scenario: Scenario) -> list[str]:
    """All per-replication column names: the common clock and totals first, then the
    completions per phase, the strategy-relative measures, and last the drawn value of
    every key of the ``[uncertainty]`` table (named by its dotted path).
    """
    names = REGISTRY.summary_columns(scenario.clock_months(), len(scenario.programme.phases))
    return [*names, *scenario.uncertainty]


def _share(part: float, whole: float) -> float:
    return part / whole if whole > 0 else 0.0


def snapshot(state: ServiceState, month: int, day: float) -> list[float]:
    """The row for ``month``, taken at its end (``day``), in :data:`MONTHLY` order.

    Counts run over the people in post only (never over everyone who ever held a post),
    and the day's lists of who is in post are shared with the month's work that follows
    at the same instant. A plain list: the replication stacks its rows once at the end.
    """
    practice = state.practice
    present = state.people_in_post(day)
    permanent = state.in_post_among(day, "permanent")
    headcount = len(permanent)
    trained = practice.trained[permanent]
    trained_count = int(np.count_nonzero(trained))
    # A lapse day after ``day`` implies trained and engaged (PracticeState.practising).
    practises = practice.lapse_day[permanent] > day
    practising = int(np.count_nonzero(practises))
    flows = state.flows
    return [
        headcount,  # headcount
        state.plan.posts_at(day, permanent) - headcount,  # vacancies (posts change on a path)
        len(present) - headcount,  # agency
        state.starters_by_month[month],  # starters
        state.leavers_by_month[month],  # leavers
        trained_count,  # trained
        (  # inducted
            np.count_nonzero(trained & practice.inducted[permanent]) if practice.any_inducted else 0
        ),
        _share(trained_count, headcount),  # coverage
        practising,  # practising
        _share(practising, headcount),  # practising_share
        len(state.running_supervisors(day)),  # teams_supervising
        len(state.active_champions(day)),  # champions
        count_waiting(state, day),  # waiting
        (  # in_training
            np.count_nonzero(practice.in_training[present]) if practice.in_training_count else 0
        ),
        flows[FLOW_TRAINING_DAYS],  # training_days
        flows[FLOW_PROVIDER_DAYS],  # provider_days
        flows[FLOW_COST],  # cost
        flows[FLOW_COMPLETED],  # completed
        flows[FLOW_ACTIVITY_DAYS],  # activity_days
        (  # practising_untrained: learned in the team, never trained or inducted
            np.count_nonzero(practises & ~trained) if practice.any_learned else 0
        ),
    ]


# The order snapshot() writes its row in, one value a line (the row stays a plain list:
# this is hot code, ~13 % of a replication). A monthly measure added to the registry is
# added here and in the row together; the import fails until both agree.
SNAPSHOT_ORDER = (
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
)
assert SNAPSHOT_ORDER == MONTHLY, "snapshot() writes the registry's monthly measures in order"


def _open_routes(state: ServiceState, day: float) -> tuple[bool, bool]:
    """Whether a route to a place is open (to new starters, to everyone else) at ``day``.

    A route is open to someone who joined before the programme while a cohort is still to
    start; to a new starter while a cohort that offers them a place is still to start, or
    while the champion group is alive and inducts.
    """
    inducting = state.champions_induct() and state.champion_group_alive(day)
    open_for_new = state.place_still_to_come(new_starter=True) or inducting
    return open_for_new, state.place_still_to_come(new_starter=False)


def _untrained_in_post(state: ServiceState, day: float) -> np.ndarray:
    """Permanent staff in post, untrained and not in training, in increasing order."""
    practice = state.practice
    permanent = state.in_post_among(day, "permanent")
    untrained = ~practice.trained[permanent]
    if practice.in_training_count:
        untrained &= ~practice.in_training[permanent]
    return permanent[untrained]


def count_waiting(state: ServiceState, day: float) -> int:
    """How many permanent staff in post, untrained and not in training, have a route to a
    place open to them (:func:`_open_routes`): the ``waiting`` measure.
    """
    open_for_new, open_for_others = _open_routes(state, day)
    if not (open_for_new or open_for_others):
        return 0
    untrained = _untrained_in_post(state, day)
    if open_for_new and open_for_others:
        return len(untrained)
    new = np.count_nonzero(state.new_starter[untrained])
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


def _waits(state: ServiceState) -> dict[str, float]:
    """Measures of new starters' waits for a place, counting those never offered one."""
    end = state.clock.end_day
    new = np.nonzero(state.new_starter & (state.plan.start < end))[0]
    start = state.plan.start[new]
    offer = state.offered_day[new]
    offered = ~np.isnan(offer)
    followed_to = np.minimum(state.plan.end[new], end)
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


def summarise(state: ServiceState, monthly: np.ndarray) -> dict[str, float]:
    """The per-replication measures of MODEL.md §3, from the monthly rows and a few facts."""
    scenario = state.scenario
    clock = state.clock
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
    out.update(_waits(state))
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
    for span in state.calendar.spans:
        i = span.index + 1
        out[f"completed_phase_{i}"] = float(state.completed_by_phase[span.index])
        month = clock.month_of(span.end_day - 1.0)  # the month holding the phase's last day
        inside = 0 <= month < horizon
        out[f"coverage_end_phase_{i}"] = coverage[month] if inside else np.nan
        out[f"practising_share_end_phase_{i}"] = share[month] if inside else np.nan
    for before, after in zip(state.calendar.spans, state.calendar.spans[1:], strict=False):
        # The month ends from the last day of one phase to the first of the next; none when
        # the phases adjoin (no gap) or no month ends inside a short gap.
        in_gap = (boundaries >= before.end_day) & (boundaries <= after.start_day)
        has_gap = after.start_day > before.end_day and in_gap.any()
        out[f"min_coverage_gap_{before.index + 1}"] = coverage[in_gap].min() if has_gap else np.nan
    measures = scenario.measures
    last_end = state.calendar.last_end_day
    last_month = -1 if last_end is None else clock.month_of(last_end - 1.0)
    judged = max(last_month + measures.sustain_after_months, 0)
    out["sustained"] = (
        float(coverage[judged] >= measures.sustain_target) if judged < horizon else np.nan
    )
    return {name: float(out[name]) for name in summary_columns(scenario)}
