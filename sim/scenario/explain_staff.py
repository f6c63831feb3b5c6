"""``rollout validate``, part one: the report's page, its arithmetic, the workforce and calendar.

The workforce figures are long-run expectations of the workforce process in
:mod:`sim.model.workforce`. A post alternates between a holder's spell (exponential, mean
``1/turnover`` years) and a vacancy (mean ``hiring_delay_months``), so a post is held a
share ``1 / (1 + turnover × delay)`` of the time (delay in years; a renewal-reward
argument). Expected staff in post are posts times that share, and leavers a year
(= starters a year, in the steady state) are turnover times the staff in post.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import date, timedelta

from .clock import DAYS_PER_MONTH, Clock
from .formats import percent
from .phase_calendar import PhaseCalendar
from .schema import Role, Scenario

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
        """Start a new section headed ``text``."""
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


def months_text(first: date, last: date) -> str:
    """The length of the days ``first`` to ``last`` inclusive, in months."""
    months = ((last - first).days + 1) / DAYS_PER_MONTH
    shown = f"{months:.0f}" if abs(months - round(months)) < 0.05 else f"{months:.1f}"
    return f"{shown} month{'' if shown == '1' else 's'}"


def num(value: float) -> str:
    """A count as people say it: whole numbers plain, others to one decimal."""
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def pct(value: float) -> str:
    """A share as the whole house prints it ("74%", :func:`sim.scenario.formats.percent`)."""
    return percent(value)


def workforce_section(report: Report, scenario: Scenario) -> float:
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
            f"{100 * r.turnover:>6.1f}%  {expected_leavers(r):>10.1f}  "
            f"{r.hiring_delay_months:>14.1f}  {pct(cover):>6}  {team}".rstrip()
        )
        if r.turnover > 1:
            report.warn(
                f"workforce.roles.{name}.turnover",
                f"{r.turnover:g} leavers per person-year is above 1: the average stay is under "
                f"a year ({12 / r.turnover:.1f} months); turnover is a fraction (0.176 for 17.6%)",
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
    teams_section(report, scenario)
    return leavers


def teams_section(report: Report, scenario: Scenario) -> None:
    """Explain the teams: who leads group supervision, and team sizes."""
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


def calendar_section(
    report: Report, scenario: Scenario, clock: Clock, calendar: PhaseCalendar
) -> None:
    """Explain the phase calendar: each phase's dates, gaps and supplies."""
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
            f"{INDENT}{name:<{width}}  {first} to {last}  {months_text(first, last):>11}  {what}"
        )
    measures = scenario.measures
    last_month = clock.month_of(calendar.last_end_day - 1.0)
    judged = max(last_month + measures.sustain_after_months, 0)
    if judged < clock.horizon_months:
        when = clock.month_dates[judged + 1] - timedelta(days=1)
        report.say(
            f"'Sustained' (coverage at least {pct(measures.sustain_target)}) is judged "
            f"{measures.sustain_after_months} months after the last phase ends: on {when}."
        )
    else:
        report.warn(
            "measures.sustain_after_months",
            f"'sustained' is judged {measures.sustain_after_months} months after the last phase "
            "ends, which is after the horizon: the 'sustained' measure will be empty",
        )
