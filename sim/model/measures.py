"""Measures: the monthly state of the service and the per-replication summary.

Names are defined here once and shared by the tables, the pictures, the report and the
tests. Each month's row is taken at the month's end; flows (training days, provider days,
cost, starters, leavers) are totals over the month. Coverage and practising share are
fractions of permanent staff in post (the DfE headcount); they are 0 when nobody is in post.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..scenario.clock import DAYS_PER_MONTH
from ..scenario.schema import Scenario

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
    "cost",  # GBP this month: provider days, staff training days, champion time
)
_COL = {name: i for i, name in enumerate(MONTHLY)}

# Per-replication measures whose names do not depend on the phases. months_to_X_coverage
# counts months to the first month-end at or above X % (1 = by the end of the first month;
# empty if never). New starters are permanent staff who joined after the first phase began.
SUMMARY = (
    "coverage_horizon",
    "practising_share_horizon",
    "months_to_50_coverage",
    "months_to_80_coverage",
    "coverage_months",
    "practising_share_months",
    "sustained",
    "champions_alive_horizon",
    "new_starters",
    "new_starters_offered_place",
    "mean_wait_new_starters_months",
    "total_training_days",
    "total_provider_days",
    "total_cost",
    "cost_per_practising_month",
)
BOOLEAN_SUMMARY = ("sustained", "champions_alive_horizon")


def summary_columns(scenario: Scenario) -> list[str]:
    """All per-replication measure names for a scenario, phase and gap measures first."""
    phases = len(scenario.programme.phases)
    names: list[str] = []
    for i in range(1, phases + 1):
        names += [f"coverage_end_phase_{i}", f"practising_share_end_phase_{i}"]
    names += [f"min_coverage_gap_{i}" for i in range(1, phases)]
    return names + list(SUMMARY)


def _share(part: float, whole: float) -> float:
    return part / whole if whole > 0 else 0.0


def snapshot(rep: ServiceState, month: int, day: float) -> np.ndarray:
    """The row for ``month``, taken at its end (``day``)."""
    practice = rep.practice
    present = rep.in_post(day)
    permanent = present & rep.permanent
    headcount = np.count_nonzero(permanent)
    trained = permanent & practice.trained
    practising = permanent & practice.practising(day)

    row = np.empty(len(MONTHLY))
    row[_COL["headcount"]] = headcount
    row[_COL["vacancies"]] = rep.establishment.n_posts - headcount
    row[_COL["agency"]] = np.count_nonzero(present & rep.plan.is_agency)
    row[_COL["starters"]] = rep.starters_by_month[month]
    row[_COL["leavers"]] = rep.leavers_by_month[month]
    row[_COL["trained"]] = np.count_nonzero(trained)
    row[_COL["inducted"]] = np.count_nonzero(trained & practice.inducted)
    row[_COL["coverage"]] = _share(row[_COL["trained"]], headcount)
    row[_COL["practising"]] = np.count_nonzero(practising)
    row[_COL["practising_share"]] = _share(row[_COL["practising"]], headcount)
    row[_COL["teams_supervising"]] = len(rep.running_supervisors(day))
    row[_COL["champions"]] = len(rep.active_champions(day))
    row[_COL["waiting"]] = np.count_nonzero(waiting(rep, day))
    row[_COL["in_training"]] = np.count_nonzero(present & practice.in_training)
    row[_COL["training_days"]] = rep.flows[0]
    row[_COL["provider_days"]] = rep.flows[1]
    row[_COL["cost"]] = rep.flows[2]
    return row


def waiting(rep: ServiceState, day: float) -> np.ndarray:
    """Permanent staff in post, untrained and not in training, for whom a route is open.

    A route is open to someone who joined before the programme while a cohort is still to
    start; to a new starter while a cohort that offers them a place is still to start, or
    while the champion group is alive and inducts.
    """
    practice = rep.practice
    untrained = rep.in_post(day) & rep.permanent & ~practice.trained & ~practice.in_training
    inducting = rep.champions_induct() and rep.champion_group_alive(day)
    open_for_new = rep.place_still_to_come(new_starter=True) or inducting
    open_for_others = rep.place_still_to_come(new_starter=False)
    return untrained & np.where(rep.new_starter, open_for_new, open_for_others)


def summarise(rep: ServiceState, monthly: np.ndarray) -> dict[str, float]:
    """The per-replication measures of MODEL.md §3, from the monthly rows and a few facts."""
    scenario = rep.scenario
    clock = rep.clock
    horizon = clock.horizon_months
    coverage = monthly[:, _COL["coverage"]]
    share = monthly[:, _COL["practising_share"]]
    out: dict[str, float] = {}

    boundaries = clock.month_start_days[1:]  # the day each month's row is taken
    for span in rep.calendar.spans:
        month = clock.month_of(span.end_day - 1.0)  # the month holding the phase's last day
        inside = 0 <= month < horizon
        out[f"coverage_end_phase_{span.index + 1}"] = coverage[month] if inside else np.nan
        out[f"practising_share_end_phase_{span.index + 1}"] = share[month] if inside else np.nan
    for before, after in zip(rep.calendar.spans, rep.calendar.spans[1:], strict=False):
        in_gap = (boundaries >= before.end_day) & (boundaries <= after.start_day)
        out[f"min_coverage_gap_{before.index + 1}"] = (
            coverage[in_gap].min() if in_gap.any() else np.nan
        )

    out["coverage_horizon"] = coverage[-1]
    out["practising_share_horizon"] = share[-1]
    for level in (50, 80):
        reached = np.nonzero(coverage >= level / 100)[0]
        out[f"months_to_{level}_coverage"] = reached[0] + 1.0 if len(reached) else np.nan
    out["coverage_months"] = coverage.sum()
    out["practising_share_months"] = share.sum()

    measures = scenario.measures
    last_end = rep.calendar.last_end_day
    last_month = -1 if last_end is None else clock.month_of(last_end - 1.0)
    judged = max(last_month + measures.sustain_after_months, 0)
    out["sustained"] = (
        float(coverage[judged] >= measures.sustain_target) if judged < horizon else np.nan
    )
    champions = monthly[-1, _COL["champions"]]
    out["champions_alive_horizon"] = float(
        scenario.champions.target > 0 and champions >= scenario.champions.min_group_size
    )

    new = rep.new_starter & (rep.plan.start < clock.end_day)
    offered = new & ~np.isnan(rep.offered_day)
    out["new_starters"] = float(new.sum())
    out["new_starters_offered_place"] = float(offered.sum())
    waits = (rep.offered_day[offered] - rep.plan.start[offered]) / DAYS_PER_MONTH
    out["mean_wait_new_starters_months"] = waits.mean() if len(waits) else np.nan

    out["total_training_days"] = monthly[:, _COL["training_days"]].sum()
    out["total_provider_days"] = monthly[:, _COL["provider_days"]].sum()
    out["total_cost"] = monthly[:, _COL["cost"]].sum()
    practising_months = monthly[:, _COL["practising"]].sum()
    out["cost_per_practising_month"] = (
        out["total_cost"] / practising_months if practising_months > 0 else np.nan
    )
    return {name: float(out[name]) for name in summary_columns(scenario)}


def staffing_events(rep: ServiceState) -> list[tuple]:
    """Joins and leaves within the horizon, as trace records."""
    plan = rep.plan
    names = rep.establishment.role_names
    events = []
    for person in range(plan.n_people):
        role = names[rep.role[person]]
        agency = bool(plan.is_agency[person])
        if plan.start[person] < rep.clock.end_day:
            kind = "agency_start" if agency else "join"
            events.append((round(float(plan.start[person]), 6), kind, person, role))
        if plan.end[person] < rep.clock.end_day:
            kind = "agency_end" if agency else "leave"
            events.append((round(float(plan.end[person]), 6), kind, person, role))
    return events
