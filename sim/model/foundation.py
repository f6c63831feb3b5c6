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


def start_cohorts(rep: ServiceState) -> None:
    """Create the cohort processes of every phase that supplies foundation training."""
    for span in rep.calendar.spans:
        if "foundation" not in span.phase.supplies:
            continue
        design = rep.scenario.programme.foundation_for(span.phase)
        trainers = None
        if design.max_concurrent_cohorts is not None:
            trainers = simpy.Resource(rep.env, capacity=design.max_concurrent_cohorts)
        for number, day in enumerate(cohort_start_days(span, design), start=1):
            rep.cohorts_to_start[design.offer_new_starters] += 1
            rep.env.process(_cohort(rep, span, design, number, day, trainers))


def eligible_pool(rep: ServiceState, design: Foundation, day: float) -> np.ndarray:
    """People who may take a place in a cohort starting at ``day``."""
    state = rep.practice
    people = rep.people_in_post(day) if design.offer_agency else rep.in_post_among(day, "permanent")
    ok = ~state.trained[people]
    if state.in_training_count:
        ok &= ~state.in_training[people]
    if not design.offer_new_starters:
        ok &= ~rep.new_starter[people]
    return people[ok]


def _cohort(
    rep: ServiceState, span: PhaseSpan, design: Foundation, number: int, start_day: float, trainers
):
    env = rep.env
    label = f"{span.phase.name} cohort {number}"
    yield env.timeout(start_day - env.now)
    request = None
    if trainers is not None:
        request = trainers.request()
        yield request
    rep.cohorts_to_start[design.offer_new_starters] -= 1
    try:
        if env.now >= span.end_day:
            rep.log(env.now, "cohort_cancelled", detail=label)
            return
        pool = eligible_pool(rep, design, env.now)
        members = allocate(
            design.allocation,
            pool,
            design.cohort_size,
            rep.role[pool],
            rep.team[pool],
            rep.streams["allocation"],
        )
        rep.practice.start_training(members)
        unset = np.isnan(rep.offered_day[members])
        rep.offered_day[members[unset]] = env.now
        rep.log(env.now, "cohort_start", detail=f"{label}: {len(members)} places")
        rep.log_many(env.now, "place", members, label)

        attended = np.zeros(len(members))
        cohort_start = env.now
        for session in design.sessions:
            day = cohort_start + session.after_months * DAYS_PER_MONTH
            if day >= span.end_day:
                # The phase has ended: this and later sessions are cancelled, and the
                # cohort ends with the last session held.
                rep.log(day, "session_cancelled", detail=label)
                break
            yield env.timeout(day - env.now)
            shows = rep.streams["attendance"].random(len(members)) < design.attendance
            # Drawn for every place, present or not, so the stream's use does not depend
            # on who has left.
            present = shows & rep.in_post(day)[members]
            attended += present * session.days
            who = members[present]
            rep.add_training_days(who, session.days)
            if len(who):
                rep.add_provider_days(session.days * design.trainers_per_session)
            rep.log_many(day, "attend", who, f"{label}: {session.days:g} days")

        done = rep.in_post(env.now)[members] & (attended >= design.days_to_complete - 1e-9)
        completers = members[done]
        rep.practice.complete_training(completers, env.now, attended[done])
        rep.record_completions(len(completers), span.index)
        rep.practice.stop_training(members[~done])
        rep.log_many(env.now, "trained", completers, label)
        rep.log_many(
            env.now, "not_completed", members[~done & rep.in_post(env.now)[members]], label
        )
    finally:
        if request is not None:
            trainers.release(request)
