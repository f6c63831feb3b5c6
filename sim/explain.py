"""What a scenario means, in plain words, and the likely mistakes in it (``rollout validate``).

A scenario can be perfectly valid and still not say what its author meant: eight cohorts that
do not fit in their phase, more places than staff, champions appointed before anyone is
trained. Validation (:mod:`sim.scenario`) catches what is *impossible*; this module explains
what is *implied*, with the arithmetic shown, so a planner can check it against what they
know before spending minutes on a run. It never runs the model: every figure here is a
closed-form expectation.

The workforce figures are long-run expectations of the workforce process in
:mod:`sim.workforce`. A post alternates between a holder's spell (exponential, mean
``1/turnover`` years) and a vacancy (mean ``hiring_delay_months``), so a post is held a
share ``1 / (1 + turnover × delay)`` of the time (delay in years; a renewal-reward
argument). Expected staff in post are posts times that share, and leavers a year
(= starters a year, in the steady state) are turnover times the staff in post.

Cohort dates use the model's own rules (:func:`sim.foundation.cohort_start_days`), so a
cohort reported here as not starting really does not start in a run.
"""

from __future__ import annotations

import math
import textwrap
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .clock import DAYS_PER_MONTH, Clock
from .foundation import cohort_start_days
from .programme import PhaseCalendar, PhaseSpan
from .provenance import CONFIDENCES, parameter_paths, source_for, unsourced
from .scenario import (
    Foundation,
    Role,
    Scenario,
    load_scenario,
    parse_value,
    set_by_path,
)

WIDTH = 100
INDENT = "  "


@dataclass
class Report:
    """The lines to print and, separately, the warnings (also among the lines)."""

    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def say(self, text: str, indent: int = 1) -> None:
        """Add ``text`` wrapped to the page width, indented ``indent`` levels."""
        lead = INDENT * indent
        self.lines += textwrap.wrap(
            text, WIDTH, initial_indent=lead, subsequent_indent=lead + INDENT
        ) or [""]

    def heading(self, text: str) -> None:
        self.lines += ["", text]

    def warn(self, key: str, text: str) -> None:
        """A likely mistake: ``key`` is the dotted path of the key to look at."""
        self.warnings.append(f"{key}: {text}")


# --------------------------------------------------------------------------- arithmetic


def held_share(role: Role) -> float:
    """Long-run share of time a post of ``role`` has a permanent holder: 1 / (1 + λD)."""
    return 1.0 / (1.0 + role.turnover * role.hiring_delay_months / 12.0)


def expected_in_post(role: Role) -> float:
    """Expected permanent staff in post in the long run."""
    return role.posts * held_share(role)


def expected_leavers(role: Role) -> float:
    """Expected leavers a year in the long run (equal to the starters a year)."""
    return role.turnover * expected_in_post(role)


def completion_probability(design: Foundation) -> float:
    """Probability that a participant attends at least ``days_to_complete`` days.

    Each session is attended independently with probability ``attendance``; the sum over
    the sessions' days is worked out exactly (a small convolution), leavers aside.
    """
    outcomes = {0.0: 1.0}
    for session in design.sessions:
        step: dict[float, float] = {}
        for days, p in outcomes.items():
            for extra, q in ((session.days, design.attendance), (0.0, 1 - design.attendance)):
                if q > 0:
                    step[days + extra] = step.get(days + extra, 0.0) + p * q
        outcomes = step
    need = design.days_to_complete - 1e-9
    return sum(p for days, p in outcomes.items() if days >= need)


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


def _months(first: date, last: date) -> str:
    """The length of the days ``first`` to ``last`` inclusive, in months."""
    months = ((last - first).days + 1) / DAYS_PER_MONTH
    shown = f"{months:.0f}" if abs(months - round(months)) < 0.05 else f"{months:.1f}"
    return f"{shown} month{'' if shown == '1' else 's'}"


def _n(value: float) -> str:
    """A count as people say it: whole numbers plain, others to one decimal."""
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def _share(value: float) -> str:
    return f"{100 * value:.0f} %"


# --------------------------------------------------------------------------- the report


def validate_file(path: str | Path, overrides: tuple[str, ...] | list[str] = ()) -> Report:
    """Load a scenario file (raising :class:`~sim.scenario.ScenarioError` on bad input) and
    explain it, with provenance for the keys the file and the overrides set."""
    scenario = load_scenario(path, overrides)
    # load_scenario has read, changed and validated the same data, so none of this can fail.
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    in_file = dict(raw.get("sources", {}))
    changed = []
    for item in overrides:
        key, _, value = item.partition("=")
        set_by_path(raw, key.strip(), parse_value(value.strip()), str(path))
        changed.append(key.strip())
    dropped = [p for p in in_file if p not in scenario.sources]
    return explain(scenario, parameter_paths(raw), changed, str(path), dropped)


def explain(
    scenario: Scenario,
    set_paths: list[str] | None = None,
    overridden: list[str] | None = None,
    source: str = "<scenario>",
    dropped: list[str] | None = None,
) -> Report:
    """Plain-words account of ``scenario``: workforce, calendar, capacity, provenance, warnings.

    Parameters
    ----------
    scenario
        A validated scenario.
    set_paths
        Dotted paths of the parameters the file (and any overrides) set; used to list the
        parameters with no source. None: not known, the list is left out.
    overridden
        Paths changed by ``--set``: their recorded source may no longer apply.
    source
        The file name, for the first line.
    dropped
        Sources in the file that the overrides left describing nothing (so not in
        ``scenario``).
    """
    report = Report()
    clock = Clock(scenario.scenario.start, scenario.scenario.horizon_months)
    calendar = PhaseCalendar(scenario, clock)
    meta = scenario.scenario
    last_day = clock.month_dates[-1] - timedelta(days=1)
    report.lines.append(f"{meta.name or 'Scenario'} ({source}): valid.")
    if meta.description:
        report.say(meta.description)
    report.say(f"Runs {meta.horizon_months} months, {meta.start} to {last_day}.")

    starters = _workforce(report, scenario)
    _calendar(report, scenario, clock, calendar)
    _foundation(report, scenario, clock, calendar, starters)
    _champions(report, scenario, clock, calendar, starters)
    _other_supplies(report, scenario)
    _provenance(report, scenario, set_paths, overridden or [], dropped or [])

    report.heading(f"Warnings: {len(report.warnings) or 'none'}")
    if report.warnings:
        report.say("Likely mistakes; the scenario still runs. Check each against what you meant.")
    for text in report.warnings:
        report.say(f"warning: {text}")
    count = len(report.warnings)
    report.lines[0] = (
        f"{meta.name or 'Scenario'} ({source}): valid, {count} warning{'' if count == 1 else 's'}."
    )
    return report


def _workforce(report: Report, scenario: Scenario) -> float:
    """Posts, staff in post, leavers and teams by role; returns expected starters a year."""
    workforce = scenario.workforce
    roles = workforce.roles
    posts = sum(r.posts for r in roles.values())
    in_post = sum(expected_in_post(r) for r in roles.values())
    at_start = sum(r.posts - r.initial_vacancies for r in roles.values())
    leavers = sum(expected_leavers(r) for r in roles.values())
    agency = sum(
        (r.posts - expected_in_post(r))
        * (workforce.agency_cover if r.agency_cover is None else r.agency_cover)
        for r in roles.values()
    )
    report.heading(
        f"Workforce: {posts} posts in {len(roles)} roles; about {in_post:.0f} staff in post "
        f"({at_start} at the start)"
    )
    width = max(len("all roles"), *(len(name) for name in roles))
    report.lines.append(
        f"{INDENT}{'role':<{width}}  posts  in post  turnover  leavers/yr  vacancy months"
        f"  agency  team"
    )
    for name, r in roles.items():
        cover = workforce.agency_cover if r.agency_cover is None else r.agency_cover
        team = "leads" if name == workforce.supervisor_role else ("yes" if r.team_member else "")
        report.lines.append(
            f"{INDENT}{name:<{width}}  {r.posts:>5}  {expected_in_post(r):>7.1f}  "
            f"{100 * r.turnover:>6.1f} %  {expected_leavers(r):>10.1f}  "
            f"{r.hiring_delay_months:>14.1f}  {_share(cover):>6}  {team}".rstrip()
        )
        if r.turnover > 1:
            report.warn(
                f"workforce.roles.{name}.turnover",
                f"{r.turnover:g} leavers per person-year is above 1: the average stay is under "
                f"a year ({12 / r.turnover:.1f} months); turnover is a fraction (0.176 for 17.6 %)",
            )
    report.lines.append(
        f"{INDENT}{'all roles':<{width}}  {posts:>5}  {in_post:>7.1f}  {'':>8}  {leavers:>10.1f}"
    )
    report.say(
        f"In the long run a post is held 1 / (1 + turnover × vacancy length in years) of the "
        f"time, so about {in_post:.0f} of the {posts} posts have a permanent holder; about "
        f"{leavers:.0f} staff leave and as many start each year; about {agency:.0f} vacancies "
        f"are covered by agency workers."
    )
    _teams(report, scenario)
    return leavers


def _teams(report: Report, scenario: Scenario) -> None:
    workforce = scenario.workforce
    lead = workforce.supervisor_role
    members = {n: r for n, r in workforce.roles.items() if r.team_member}
    if lead is None:
        report.say("Teams: none (no workforce.supervisor_role): nobody has group supervision.")
        return
    teams = workforce.roles[lead].posts
    member_posts = sum(r.posts for r in members.values())
    if not members:
        report.say(f"Teams: {teams} {lead} posts lead teams, but no role is a team_member.")
        report.warn(
            "workforce.supervisor_role",
            f"{lead!r} leads teams but no role has team_member = true: the teams are empty, "
            "so group supervision reinforces nobody but the supervisors",
        )
        return
    if teams == 0:
        report.warn(
            f"workforce.roles.{lead}.posts",
            f"the supervisor_role {lead!r} has no posts, so the {member_posts} team-member "
            "posts belong to no team and never have group supervision",
        )
        return
    report.say(
        f"Teams: {teams}, each led by a {lead}; {member_posts} team-member posts "
        f"({', '.join(members)}), about {member_posts / teams:.1f} per team."
    )


def _calendar(report: Report, scenario: Scenario, clock: Clock, calendar: PhaseCalendar) -> None:
    phases = scenario.programme.phases
    horizon_end = clock.month_dates[-1]
    report.heading(f"Phase calendar: {len(phases)} phase{'' if len(phases) == 1 else 's'}")
    if not phases:
        report.say("No phases: the do-nothing strategy (no external provision at all).")
        return
    rows: list[tuple[str, date, date, str]] = []
    dates = scenario.phase_dates()
    if dates[0][0] > scenario.scenario.start:
        first = dates[0][0] - timedelta(days=1)
        rows.append(("before", scenario.scenario.start, first, "no external support yet"))
    for i, (phase, (begins, ends)) in enumerate(zip(phases, dates, strict=True)):
        if i and begins > dates[i - 1][1] + timedelta(days=1):
            rows.append(
                (
                    "gap",
                    dates[i - 1][1] + timedelta(days=1),
                    begins - timedelta(days=1),
                    "no external support",
                )
            )
        rows.append((phase.name, begins, ends, ", ".join(phase.supplies) or "nothing"))
        if begins >= horizon_end:
            report.warn(
                f"programme.phases.{i}.start",
                f"{phase.name} starts on {begins}, after the horizon ends "
                f"({horizon_end - timedelta(days=1)}): "
                "it never runs; lengthen scenario.horizon_months or move the phase",
            )
        elif ends >= horizon_end:
            report.warn(
                f"programme.phases.{i}.end",
                f"{phase.name} ends on {ends}, after the horizon: only part of it is simulated "
                "and its end-of-phase measures will be empty",
            )
    last_end = dates[-1][1]
    if last_end < horizon_end - timedelta(days=1):
        rows.append(
            (
                "after",
                last_end + timedelta(days=1),
                horizon_end - timedelta(days=1),
                "no external support to the horizon",
            )
        )
    width = max(len(r[0]) for r in rows)
    for name, first, last, what in rows:
        report.lines.append(
            f"{INDENT}{name:<{width}}  {first} to {last}  {_months(first, last):>11}  {what}"
        )
    measures = scenario.measures
    last_month = clock.month_of(calendar.last_end_day - 1.0)
    judged = max(last_month + measures.sustain_after_months, 0)
    if judged < clock.horizon_months:
        when = clock.month_dates[judged + 1] - timedelta(days=1)
        report.say(
            f"'Sustained' (coverage at least {_share(measures.sustain_target)}) is judged "
            f"{measures.sustain_after_months} months after the last phase ends: on {when}."
        )
    else:
        report.warn(
            "measures.sustain_after_months",
            f"'sustained' is judged {measures.sustain_after_months} months after the last phase "
            "ends, which is after the horizon: the 'sustained' measure will be empty",
        )


def _eligible_text(design: Foundation) -> str:
    """Who may take a place: 'staff in post when the programme began; not new starters'."""
    offers = (("new starters", design.offer_new_starters), ("agency workers", design.offer_agency))
    who = ["staff in post when the programme began"] + [w for w, on in offers if on]
    excluded = [w for w, on in offers if not on]
    return " and ".join(who) + (f"; not {' or '.join(excluded)}" if excluded else "")


def _foundation(
    report: Report,
    scenario: Scenario,
    clock: Clock,
    calendar: PhaseCalendar,
    starters_a_year: float,
) -> None:
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
        pattern = " + ".join(_n(s.days) for s in design.sessions)
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
            f"{_n(design.interval_months)} months from {plans[0].start} to {plans[-1].start}; "
            f"{_n(design.total_days)} days ({pattern}) over {_n(span_months)} months, "
            f"{_n(design.days_to_complete)} to count as trained: at {_share(design.attendance)} "
            f"attendance about {_share(completion_probability(design))} of those who stay "
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
                f"{len(design.sessions)} sessions are cancelled, leaving {_n(plan.days_held)} "
                f"days"
                + (
                    f", fewer than the {_n(design.days_to_complete)} needed: nobody in "
                    "it can complete"
                    if fails
                    else ""
                ),
            )
        capacity = design.max_concurrent_cohorts
        if capacity is not None and span_months > capacity * design.interval_months:
            report.warn(
                f"{key}.max_concurrent_cohorts",
                f"each cohort lasts {_n(span_months)} months but only {capacity} run at once, so "
                f"cohorts start every {_n(span_months / capacity)} months rather than every "
                f"{_n(design.interval_months)}: later ones may run past the phase's end",
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


def _champions(
    report: Report,
    scenario: Scenario,
    clock: Clock,
    calendar: PhaseCalendar,
    starters_a_year: float,
) -> None:
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
        f"{_n(100 * champions.dropout_supported)} % a year when supervised "
        f"({', '.join(supervised) or 'never'}), {_n(100 * champions.dropout_unsupported)} % "
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
        f"Induction: {champions.target} champions × {_n(places)} places a month × 12 = "
        f"{_n(capacity)} inductions a year (at full strength) for about {starters_a_year:.0f} "
        f"new starters a year ({_share(capacity / starters_a_year) if starters_a_year else '—'})"
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
    practice = scenario.practice
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
    likely = (finished + trained_at_start) * practice.uptake
    report.say(
        f"By {appoint}, {finished} places in finished cohorts"
        + (f" and {trained_at_start:.0f} staff trained at the start" if trained_at_start else "")
        + f": at most about {likely:.0f} practising staff to choose champions from "
        f"(uptake {_share(practice.uptake)})."
    )
    if champions.target > likely:
        report.warn(
            "champions.target",
            f"{champions.target} champions are wanted on {appoint} but at most about "
            f"{likely:.0f} trained staff are likely to be practising then: the group starts short",
        )


def _other_supplies(report: Report, scenario: Scenario) -> None:
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
            f"{_n(c.sessions_per_clinician_per_month)} consultations a month = "
            f"{_n(clinicians * c.sessions_per_clinician_per_month)} a month at full strength."
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


def _provenance(
    report: Report,
    scenario: Scenario,
    set_paths: list[str] | None,
    overridden: list[str],
    dropped: list[str],
) -> None:
    sources = scenario.sources
    by_level: dict[str, list[str]] = {level: [] for level in CONFIDENCES}
    for path, entry in sources.items():
        by_level[entry.confidence].append(path)
    counts = ", ".join(f"{len(by_level[level])} {level}" for level in CONFIDENCES)
    report.heading(f"Provenance: {len(sources)} sources ({counts})")
    if set_paths is not None:
        missing = unsourced(set_paths, sources)
        by = " and --set" if overridden else ""
        report.say(
            f"The file{by} set{'' if by else 's'} {len(set_paths)} parameters: "
            f"{len(set_paths) - len(missing)} with a source, {len(missing)} without."
        )
    for level in CONFIDENCES:
        if by_level[level]:
            report.say(f"{level} ({len(by_level[level])}): {', '.join(by_level[level])}.")
    if set_paths is not None and missing:
        report.say(f"no source ({len(missing)}): {', '.join(missing)}.")
    stale = [p for p in overridden if source_for(p, sources) is not None]
    if stale:
        report.say(
            f"Changed by --set, so their recorded source may no longer apply: {', '.join(stale)}."
        )
    if dropped:
        report.say(f"Dropped because --set removed what they describe: {', '.join(dropped)}.")
