"""Foundation cohorts: places, the session pattern, attendance and completion.

Every phase that supplies ``foundation`` starts its cohorts at the phase start and then
every ``interval_months``, as long as the start falls inside the phase. A cohort waits for
a trainer team when ``max_concurrent_cohorts`` are already running (a SimPy resource).
Places are filled at the cohort's start from the eligible pool: permanent staff in post who
are untrained and not in training (agency workers too if offered; staff who joined after the
programme began only if offered). Each participant attends each session with the
attendance probability; those who attended at least ``days_to_complete`` days and are still
in post at the last session are trained, with the days they attended as their dose
(:mod:`.practice`).
Sessions after the phase's end are cancelled and the cohort ends with the last session held.
Those who do not complete return to the pool.
"""

from __future__ import annotations

import numpy as np
import simpy

from ..scenario.clock import DAYS_PER_MONTH
from ..scenario.phase_calendar import PhaseSpan, cohort_start_days
from ..scenario.programme_schema import Foundation
from .allocation import allocate
from .state import ServiceState


def start_cohorts(state: ServiceState) -> None:
    """Create the cohort processes of every phase that supplies foundation training."""
    for span in state.calendar.spans:
        if "foundation" not in span.phase.supplies:
            continue
        design = state.scenario.programme.foundation_for(span.phase)
        trainers = None
        if design.max_concurrent_cohorts is not None:
            trainers = simpy.Resource(state.env, capacity=design.max_concurrent_cohorts)
        for number, day in enumerate(cohort_start_days(span, design), start=1):
            state.cohorts_to_start[design.offer_new_starters] += 1
            state.env.process(_cohort(state, span, design, number, day, trainers))


def eligible_pool(state: ServiceState, design: Foundation, day: float) -> np.ndarray:
    """People who may take a place in a cohort starting at ``day``."""
    practice = state.practice
    people = (
        state.people_in_post(day) if design.offer_agency else state.in_post_among(day, "permanent")
    )
    ok = ~practice.trained[people]
    if practice.in_training_count:
        ok &= ~practice.in_training[people]
    if not design.offer_new_starters:
        ok &= ~state.new_starter[people]
    return people[ok]


def _cohort(
    state: ServiceState,
    span: PhaseSpan,
    design: Foundation,
    number: int,
    start_day: float,
    trainers,
):
    """A cohort's process: wait for its start (and a trainer team, when they are limited),
    then run its sessions.
    """
    yield state.env.timeout(start_day - state.env.now)
    if trainers is None:
        yield from _run_cohort(state, span, design, number)
        return
    # The trainer team is held from the cohort's start to its end (or its cancellation),
    # and handed back by the context manager however the cohort ends.
    with trainers.request() as request:
        yield request
        yield from _run_cohort(state, span, design, number)


def _run_cohort(state: ServiceState, span: PhaseSpan, design: Foundation, number: int):
    env = state.env
    facts = {"phase": span.phase.name, "cohort": number}
    state.cohorts_to_start[design.offer_new_starters] -= 1
    if env.now >= span.end_day:
        state.log(env.now, "cohort_cancelled", **facts)
        return
    pool = eligible_pool(state, design, env.now)
    members = allocate(
        design.allocation,
        pool,
        design.cohort_size,
        state.role[pool],
        state.team[pool],
        state.streams["allocation"],
    )
    state.practice.start_training(members)
    unset = np.isnan(state.offered_day[members])
    state.offered_day[members[unset]] = env.now
    state.log(env.now, "cohort_start", **facts)
    state.log_many(env.now, "place", members, **facts)

    attended = np.zeros(len(members))
    cohort_start = env.now
    for session in design.sessions:
        day = cohort_start + session.after_months * DAYS_PER_MONTH
        if day >= span.end_day:
            # The phase has ended: this and later sessions are cancelled, and the
            # cohort ends with the last session held.
            state.log(day, "session_cancelled", **facts)
            break
        yield env.timeout(day - env.now)
        shows = state.streams["attendance"].random(len(members)) < design.attendance
        # Drawn for every place, present or not, so the stream's use does not depend
        # on who has left.
        present = shows & state.in_post(day)[members]
        attended += present * session.days
        who = members[present]
        state.add_training_days(who, session.days)
        if len(who):
            state.add_provider_days(session.days * design.trainers_per_session)
        state.log_many(day, "attend", who, days=float(session.days), **facts)

    done = state.in_post(env.now)[members] & (attended >= design.days_to_complete - 1e-9)
    completers = members[done]
    state.practice.complete_training(completers, env.now, attended[done])
    state.record_completions(len(completers), span.index)
    state.practice.stop_training(members[~done])
    state.log_many(env.now, "trained", completers, **facts)
    state.log_many(
        env.now, "not_completed", members[~done & state.in_post(env.now)[members]], **facts
    )
