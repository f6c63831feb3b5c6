"""``rollout validate``, part two: cohorts, champions and the other supplies against staff.

Cohort dates use the model's own rules (:func:`sim.scenario.phase_calendar.cohort_start_days`),
so a cohort reported here as not starting really does not start in a run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from .clock import DAYS_PER_MONTH, Clock
from .explain_roster import course_effect, practising_at_start
from .explain_staff import Report, expected_in_post, num, pct
from .phase_calendar import PhaseCalendar, PhaseSpan, cohort_start_days
from .programme_schema import Foundation
from .schema import Scenario

# Distinct totals of days a participant can attend, beyond which the exact count gives way
# to a count in hundredths of a day (sessions of different lengths make 2 ** sessions).
_EXACT_OUTCOMES = 4096
_DAY_UNITS = 100


def engaging_share(scenario: Scenario) -> float:
    """Share of those completing the foundation course who take the practice up, at once
    (uptake × r(course days)) or later with support (late_share of the rest).
    """
    practice = scenario.practice
    days = sum(s.days for s in scenario.programme.foundation.sessions)
    at_once = practice.uptake * course_effect(scenario, days)
    return at_once + (1 - at_once) * practice.late_share


def practice_section(report: Report, scenario: Scenario) -> None:
    """The theory of change as this scenario sets it: dose, late engagers, learning in the
    team, and the strength of each source of reinforcement.
    """
    practice = scenario.practice
    programme = scenario.programme
    report.heading("Practice: how it is taken up and kept alive")
    days = sum(s.days for s in programme.foundation.sessions)
    effect = course_effect(scenario, days)
    at_once = practice.uptake * effect
    level = practice.threshold + (1 - practice.threshold) * effect
    if practice.dose_half_days:
        report.say(
            f"Dose: the {num(days)}-day course has {pct(effect)} of a saturating dose's effect "
            f"(half the effect at {num(practice.dose_half_days)} days), so {pct(at_once)} of "
            f"those completing it take the practice up at once (uptake {pct(practice.uptake)} "
            f"at a saturating dose), starting at level {level:.2f} (full = 1); one day would "
            f"give {pct(practice.uptake * course_effect(scenario, 1.0))}."
        )
    else:
        report.say(
            f"Dose: every completed course has the full effect: {pct(at_once)} of those "
            "completing it take the practice up at once, at the full level "
            "(practice.dose_half_days = 0)."
        )
    if practice.late_share:
        report.say(
            f"Late engagers: {pct(practice.late_share)} of the rest may take it up later, each "
            f"with a {pct(practice.late_engagement_per_session)} chance at every session of "
            f"support they receive; so at most {pct(engaging_share(scenario))} of the trained "
            "ever practise."
        )
    else:
        report.say(
            "Late engagers: none (practice.late_share = 0): who does not start at once never does."
        )
    if practice.team_learning_rate:
        report.say(
            f"Learning in the team: staff without training in a team whose mentored supervisor "
            f"runs group supervision take the practice up at {num(practice.team_learning_rate)} "
            "a person-year (timeseries column practising_untrained)."
        )
    else:
        report.say("Learning in the team: off (practice.team_learning_rate = 0).")
    default = practice.reinforcement

    def strength(value: float | None) -> str:
        return pct(default if value is None else value)

    supervision = programme.group_supervision
    sources = [
        ("mentoring and supported supervision", strength(programme.mentoring.strength)),
        ("group supervision, mentored supervisor", strength(supervision.strength)),
        ("group supervision, unmentored supervisor", pct(supervision.unmentored_strength)),
        ("champions' meeting", strength(scenario.champions.meeting_strength)),
        (
            "the provider's supervision of champions",
            strength(programme.champion_supervision.strength),
        ),
        (
            "a champions' workshop (times their own level)",
            strength(scenario.champions.workshop_strength),
        ),
        ("a consultation", strength(programme.consultation.strength)),
        *((f"group {name}", strength(group.strength)) for name, group in programme.groups.items()),
    ]
    report.say(
        "Reinforcement: each session restores its source's share of the gap to the full level, "
        "and sessions on the same day add up, saturating (s1 and s2 restore 1 - (1 - s1)(1 - s2)): "
        + "; ".join(f"{name} {value}" for name, value in sources)
        + "."
    )


def completion_probability(design: Foundation) -> float:
    """Probability that a participant attends at least ``days_to_complete`` days.

    Each session is attended independently with probability ``attendance``; the sum over
    the sessions' days is worked out exactly (a small convolution), leavers aside. When the
    sessions' lengths give more than a few thousand distinct totals, the days are counted in
    hundredths of a day instead, so the work grows with sessions × days, never as
    2 ** sessions.
    """
    p = design.attendance
    need = design.days_to_complete - 1e-9
    outcomes = {0.0: 1.0}
    for session in design.sessions:
        step: dict[float, float] = {}
        for days, q in outcomes.items():
            for extra, r in ((session.days, p), (0.0, 1 - p)):
                if r > 0:
                    step[days + extra] = step.get(days + extra, 0.0) + q * r
        outcomes = step
        if len(outcomes) > _EXACT_OUTCOMES:
            return _completion_on_a_grid(design)
    return sum(q for days, q in outcomes.items() if days >= need)


def _completion_on_a_grid(design: Foundation) -> float:
    """:func:`completion_probability` with each session's days rounded to a hundredth."""
    import numpy as np

    p = design.attendance
    lengths = [round(s.days * _DAY_UNITS) for s in design.sessions]
    chance = np.zeros(sum(lengths) + 1)
    chance[0] = 1.0
    top = 0
    for units in lengths:
        attended = chance[: top + 1] * p
        chance[: top + 1] *= 1 - p
        chance[units : units + top + 1] += attended
        top += units
    need = math.ceil(design.days_to_complete * _DAY_UNITS - 1e-6)
    return float(chance[need:].sum())


@dataclass(frozen=True)
class CohortPlan:
    """One cohort of a phase: when it starts and which of its sessions the phase ends."""

    number: int
    start: date
    sessions_held: int
    days_held: float


def cohort_plans(span: PhaseSpan, design: Foundation, clock: Clock) -> list[CohortPlan]:
    """The cohorts a phase starts and how much of each one's pattern fits in the phase.

    Ignores trainer capacity (``max_concurrent_cohorts``), which can only delay cohorts.
    """
    plans = []
    for number, day in enumerate(cohort_start_days(span, design), start=1):
        held = [s for s in design.sessions if day + s.after_months * DAYS_PER_MONTH < span.end_day]
        plans.append(
            CohortPlan(
                number=number,
                start=clock.start + timedelta(days=math.floor(day)),
                sessions_held=len(held),
                days_held=sum(s.days for s in held),
            )
        )
    return plans


def _eligible_text(design: Foundation) -> str:
    """Who may take a place: 'staff in post when the programme began; not new starters'."""
    offers = (("new starters", design.offer_new_starters), ("agency workers", design.offer_agency))
    who = ["staff in post when the programme began"] + [w for w, on in offers if on]
    excluded = [w for w, on in offers if not on]
    return " and ".join(who) + (f"; not {' or '.join(excluded)}" if excluded else "")


def foundation_section(
    report: Report,
    scenario: Scenario,
    clock: Clock,
    calendar: PhaseCalendar,
    starters_a_year: float,
) -> None:
    """Explain the foundation training: cohorts, places, who fills them, and warnings."""
    programme = scenario.programme
    roles = scenario.workforce.roles
    posts = sum(r.posts for r in roles.values())
    in_post = sum(expected_in_post(r) for r in roles.values())
    at_start = sum(r.posts - r.initial_vacancies for r in roles.values())
    staff = max(in_post, at_start)
    agency = sum(r.posts - expected_in_post(r) for r in roles.values())
    spans = [s for s in calendar.spans if "foundation" in s.phase.supplies]
    report.heading("Foundation training")
    if not spans:
        report.say("No phase supplies foundation cohorts.")
        if programme.foundation.cohorts:
            report.warn(
                "programme.foundation.cohorts",
                f"{programme.foundation.cohorts} cohorts are designed but no phase supplies "
                "'foundation', so none run",
            )
        return
    total_places = 0
    offer_new = False
    for span in spans:
        i = span.index
        design = programme.foundation_for(span.phase)
        plans = cohort_plans(span, design, clock)
        places = len(plans) * design.cohort_size
        total_places += places
        offer_new = offer_new or design.offer_new_starters
        pattern = " + ".join(num(s.days) for s in design.sessions)
        span_months = design.sessions[-1].after_months
        key = (
            f"programme.phases.{i}.foundation" if span.phase.foundation else "programme.foundation"
        )
        if not plans:
            report.say(f"{span.phase.name}: no cohorts (cohorts = {design.cohorts}).")
            report.warn(
                f"{key}.cohorts", f"{span.phase.name} supplies foundation but runs no cohorts"
            )
            continue
        report.say(
            f"{span.phase.name}: {len(plans)} cohorts × {design.cohort_size} places = {places} "
            f"places for {posts} posts (about {staff:.0f} staff in post); a cohort every "
            f"{num(design.interval_months)} months from {plans[0].start} to {plans[-1].start}; "
            f"{num(design.total_days)} days ({pattern}) over {num(span_months)} months, "
            f"{num(design.days_to_complete)} to count as trained: at {pct(design.attendance)} "
            f"attendance about {pct(completion_probability(design))} of those who stay "
            f"complete. Places go to {_eligible_text(design)}. Allocation: {design.allocation}."
        )
        if len(plans) < design.cohorts:
            after = span.start_day + len(plans) * design.interval_months * DAYS_PER_MONTH
            report.warn(
                f"{key}.cohorts",
                f"only {len(plans)} of the {design.cohorts} cohorts start before {span.phase.name} "
                f"ends; cohort {len(plans) + 1} would start on "
                f"{clock.start + timedelta(days=math.floor(after))} and does not run",
            )
        short = [p for p in plans if p.sessions_held < len(design.sessions)]
        for plan in short:
            fails = plan.days_held < design.days_to_complete
            report.warn(
                f"{key}.interval_months",
                f"{span.phase.name} cohort {plan.number} (from {plan.start}) runs past the "
                f"phase's end: {len(design.sessions) - plan.sessions_held} of its "
                f"{len(design.sessions)} sessions are cancelled, leaving {num(plan.days_held)} "
                f"days"
                + (
                    f", fewer than the {num(design.days_to_complete)} needed: nobody in "
                    "it can complete"
                    if fails
                    else ""
                ),
            )
        capacity = design.max_concurrent_cohorts
        if capacity is not None and span_months > capacity * design.interval_months:
            report.warn(
                f"{key}.max_concurrent_cohorts",
                f"each cohort lasts {num(span_months)} months but only {capacity} run at once, so "
                f"cohorts start every {num(span_months / capacity)} months rather than every "
                f"{num(design.interval_months)}: later ones may run past the phase's end",
            )
        pool = staff + (agency if design.offer_agency else 0.0)
        if design.offer_new_starters:
            years = ((plans[-1].start - plans[0].start).days) / 365.25
            pool += starters_a_year * years
        if places > pool:
            report.warn(
                f"{key}.cohort_size",
                f"{span.phase.name} offers {places} places but only about {pool:.0f} people can "
                f"take them (places go to {_eligible_text(design)}): later cohorts will not fill",
            )
    report.say(
        f"In all: {total_places} places for {posts} posts (about {staff:.0f} staff in post)."
    )
    if offer_new:
        report.say(
            f"New starters (about {starters_a_year:.0f} a year) are offered places in cohorts "
            "that start after they join."
        )


def champions_section(
    report: Report,
    scenario: Scenario,
    clock: Clock,
    calendar: PhaseCalendar,
    starters_a_year: float,
) -> None:
    """Explain the champions: how many, when, their capacity, and warnings."""
    champions = scenario.champions
    programme = scenario.programme
    report.heading("Champions")
    supervised = [
        s.phase.name for s in calendar.spans if "champion_supervision" in s.phase.supplies
    ]
    if champions.target == 0:
        report.say("None (champions.target = 0).")
        if supervised:
            report.warn(
                "champions.target",
                f"{', '.join(supervised)} supplies champion_supervision but there are no "
                "champions to supervise",
            )
        new_offered = any(
            programme.foundation_for(s.phase).offer_new_starters
            for s in calendar.spans
            if "foundation" in s.phase.supplies
        )
        if not new_offered and calendar.spans:
            report.say(
                f"Nobody trains new starters: the about {starters_a_year:.0f} who join each year "
                "stay untrained, so coverage falls with every leaver."
            )
        return
    appoint = champions.appoint_from or scenario.scenario.start
    horizon_end = clock.month_dates[-1]
    report.say(
        f"{champions.target} champions appointed from {appoint}; the group works while at "
        f"least {champions.min_group_size} are active, meets every "
        f"{champions.meeting_interval_months} month(s), and loses "
        f"{num(100 * champions.dropout_supported)}% a year when supervised "
        f"({', '.join(supervised) or 'never'}), {num(100 * champions.dropout_unsupported)}% "
        f"when not; replacement: {champions.replacement}."
    )
    if appoint >= horizon_end:
        report.warn("champions.appoint_from", f"{appoint} is after the horizon: no champions")
    if champions.min_group_size > champions.target:
        report.warn(
            "champions.min_group_size",
            f"the group needs {champions.min_group_size} active champions to work but the "
            f"target is {champions.target}: it never meets",
        )
    _champion_pool(report, scenario, clock, calendar, appoint)
    places = champions.induction_places_per_champion_per_month
    offered = any(
        programme.foundation_for(s.phase).offer_new_starters
        for s in calendar.spans
        if "foundation" in s.phase.supplies
    )
    if places == 0:
        tail = (
            "cohorts offer new starters places while they run."
            if offered
            else "no cohort offers them places either: the about "
            f"{starters_a_year:.0f} new starters a year stay untrained."
        )
        report.say(f"Induction: champions induct nobody (induction places = 0); {tail}")
        return
    capacity = champions.target * places * 12
    report.say(
        f"Induction: {champions.target} champions × {num(places)} places a month × 12 = "
        f"{num(capacity)} inductions a year (at full strength) for about {starters_a_year:.0f} "
        f"new starters a year ({pct(capacity / starters_a_year) if starters_a_year else '—'})"
        + (
            "; fewer than join, so the untrained share grows."
            if capacity < starters_a_year
            else "."
        )
    )
    threshold = scenario.practice.threshold
    if champions.induction_level <= threshold:
        report.warn(
            "champions.induction_level",
            f"{champions.induction_level:g} is not above practice.threshold ({threshold:g}): "
            "inducted staff count as trained but never practise",
        )


def _champion_pool(
    report: Report, scenario: Scenario, clock: Clock, calendar: PhaseCalendar, appoint: date
) -> None:
    """Warn when more champions are wanted than can be practising when they are appointed.

    An upper bound: every place in a cohort whose last session is before the appointment
    filled and completed, times uptake, plus the staff trained at the start times uptake.
    """
    champions = scenario.champions
    workforce = scenario.workforce
    day = clock.day(appoint)
    finished = 0
    for span in calendar.spans:
        if "foundation" not in span.phase.supplies:
            continue
        design = scenario.programme.foundation_for(span.phase)
        last = design.sessions[-1].after_months * DAYS_PER_MONTH
        finished += design.cohort_size * sum(
            1 for start in cohort_start_days(span, design) if start + last < day
        )
    at_start = sum(r.posts - r.initial_vacancies for r in workforce.roles.values())
    trained_at_start = workforce.initial_trained_fraction * at_start
    ever = engaging_share(scenario)
    likely = (finished + trained_at_start) * ever
    from_roster = practising_at_start(scenario)
    if from_roster is not None:  # the roster says who practises on day 0: say the same
        trained_at_start = from_roster.trained
        likely = finished * ever + from_roster.expected
    practising = (
        f" ({from_roster.expected:.0f} of them practising on the start date, as the roster says)"
        if from_roster is not None
        else ""
    )
    report.say(
        f"By {appoint}, {finished} places in finished cohorts"
        + (
            f" and {trained_at_start:.0f} staff trained at the start{practising}"
            if trained_at_start
            else ""
        )
        + f": at most about {likely:.0f} practising staff to choose champions from "
        f"({pct(ever)} of the trained take the practice up, at once or later)."
    )
    if champions.target > likely:
        report.warn(
            "champions.target",
            f"{champions.target} champions are wanted on {appoint} but at most about "
            f"{likely:.0f} trained staff are likely to be practising then: the group starts short",
        )


def other_supplies_section(report: Report, scenario: Scenario) -> None:
    """Mentoring, consultation and provider groups: who they reach."""
    programme = scenario.programme
    roles = scenario.workforce.roles
    supplied = {item for phase in programme.phases for item in phase.supplies}
    lines = []
    if "mentoring" in supplied:
        lead = scenario.workforce.supervisor_role
        if lead is None:
            report.warn(
                "workforce.supervisor_role",
                "a phase supplies mentoring but there is no supervisor_role to mentor",
            )
        else:
            m = programme.mentoring
            lines.append(
                f"Mentoring: trained {lead}s in groups of {m.group_size}, {m.months} monthly "
                f"sessions, their team's group supervision supported for {m.supported_months} "
                f"months ({roles[lead].posts} posts: up to "
                f"{math.ceil(roles[lead].posts / m.group_size)} groups)."
            )
    if "consultation" in supplied:
        c = programme.consultation
        clinicians = roles[c.clinician_role].posts if c.clinician_role in roles else 0
        lines.append(
            f"Consultation: {clinicians} {c.clinician_role} posts × "
            f"{num(c.sessions_per_clinician_per_month)} consultations a month = "
            f"{num(clinicians * c.sessions_per_clinician_per_month)} a month at full strength."
        )
        if clinicians == 0 or c.sessions_per_clinician_per_month == 0:
            report.warn(
                "programme.consultation",
                "a phase supplies consultation but no consultations can happen "
                f"({clinicians} clinician posts, {c.sessions_per_clinician_per_month:g} a month)",
            )
    for name, group in programme.groups.items():
        if name not in supplied:
            continue
        members = sum(roles[r].posts for r in group.roles if r in roles)
        lines.append(
            f"Group {name}: {', '.join(group.roles)} ({members} posts), every "
            f"{group.interval_months} month(s)."
        )
        if members == 0:
            report.warn(f"programme.groups.{name}.roles", "its roles have no posts: nobody attends")
    if lines:
        report.heading("Other support")
        for line in lines:
            report.say(line)
