"""The workforce figures of a roster scenario: each role's turnover and vacancy length
from the council's own records where they are rich enough, else its DfE or template figure,
with their spread for ``[uncertainty]``; and the check that the roster's teams are teams.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from ..scenario.base import MIN_HIRING_DELAY_MONTHS
from . import figures as data
from . import history
from .roster import RosterRow, Spell
from .templates import Template


@dataclass(frozen=True)
class Figure:
    """One value of the workforce, with its comment, source and confidence."""

    value: float
    comment: str
    source: str
    confidence: str
    sd: float | None = None  # the standard error, when estimated from the council's records


def _spread_entry(key: str, value: float, sd: float, source: str) -> dict:
    """The [uncertainty] entry of a role's figure of mean ``value`` and spread ``sd``: a
    gamma for turnover; for a vacancy length a symmetric triangular with the same sd, kept
    at least MIN_HIRING_DELAY_MONTHS (a gamma's tail reaches delays so short that a post
    with a vacancy at the start could not have one, which validation refuses).
    """
    if key != "hiring_delay_months":
        return {"distribution": "gamma", "mean": value, "sd": round(sd, 4), "source": source}
    half = math.sqrt(6.0) * sd  # a symmetric triangular of half-width a has sd a / sqrt(6)
    low = max(MIN_HIRING_DELAY_MONTHS, value - half)
    return {
        "distribution": "triangular",
        "low": round(low, 4),
        "mode": round(max(value, low), 4),
        "high": round(value + half, 4),
        "source": source + f"; triangular with sd {sd:.2f}, at least {MIN_HIRING_DELAY_MONTHS}",
    }


def _figures(
    spec: Template,
    template: dict,
    rows: list[RosterRow],
    spells: list[Spell] | None,
    flows: data.Flows | None,
    as_of: date,
) -> tuple[dict[str, dict[str, Figure]], list[str]]:
    """Turnover and vacancy length per role: estimated, or the DfE's, or the template's."""
    notes: list[str] = []
    complete = spells is not None and any(s.left is None for s in spells)
    window = f"{history.window_start(as_of)} to {as_of}"
    result: dict[str, dict[str, Figure]] = {}
    for role, body in template["workforce"]["roles"].items():
        holders = [r for r in rows if r.role == role and r.status == "filled" and r.in_post_since]
        mine = [s for s in spells or [] if s.role == role]
        exposure = [(s.started, s.left) for s in mine]
        starts = [s.started for s in mine]
        if not complete:  # the leavers file lists leavers only: the holders are the stayers
            exposure += [(r.in_post_since, None) for r in holders]
            starts += [r.in_post_since for r in holders]
        rate = history.turnover(exposure, as_of)
        vacancies = sum(r.role == role and r.status != "filled" for r in rows)
        length = history.vacancy_months(starts, vacancies, as_of)
        dfe = flows is not None and role in spec.social_work_roles
        fallback_source = (
            f"[DfE] {flows.council} {data.year_label(flows.years)}"
            if dfe
            else f"{spec.name} template"
        )
        figures: dict[str, Figure] = {}
        if rate.enough:
            figures["turnover"] = Figure(
                round(rate.rate, 4),
                f"estimated from your records: {rate.events} leavers over "
                f"{rate.exposure_years:.1f} person-years (95 % CI {rate.low:.3f}-{rate.high:.3f})",
                f"estimated from your records, {rate.events} leavers over "
                f"{rate.exposure_years:.1f} person-years ({window}); maximum likelihood, "
                f"exact 95 % interval {rate.low:.3f}-{rate.high:.3f}",
                "estimate",
                sd=rate.se,
            )
        else:
            value = round(flows.turnover, 4) if dfe else body["turnover"]
            why = (
                f"{rate.events} leavers over {rate.exposure_years:.1f} person-years in your "
                f"records (fewer than {history.MIN_EVENTS})"
            )
            figures["turnover"] = Figure(
                value,
                f"{fallback_source}: {why}",
                f"{fallback_source} leavers / in post; your records too few: {why}",
                "data" if dfe else "assumption",
            )
            notes.append(f"{role}: turnover from the {fallback_source}: {why}")
        if length.enough:
            figures["hiring_delay_months"] = Figure(
                round(length.months, 2),
                f"estimated from your records: {vacancies} vacant now, {length.starters} "
                f"starters in {length.years:.0f} years (Little's law)",
                f"estimated from your records, vacant posts on {as_of}: {vacancies}; "
                f"{length.starters} starters {window} (Little's law: vacancies / starters a year)",
                "estimate",
                sd=length.se_months,
            )
        else:
            value = round(flows.hiring_delay_months, 2) if dfe else body["hiring_delay_months"]
            if vacancies and value < 0.5:
                value = 0.5  # a vacant post needs a vacancy length to exist at all
            why = f"{length.starters} starters and {vacancies} vacancies in your records"
            figures["hiring_delay_months"] = Figure(
                value,
                f"{fallback_source}: {why}, too few to estimate",
                f"{fallback_source} vacancies / starters; your records too few: {why}",
                "estimate" if dfe else "assumption",
            )
        result[role] = figures
    return result, notes


# Members per team beyond this multiple of the template's (Camden: 200 / 30 = 6.7) means the
# team column is wrong (everyone in one team), not that the council runs teams of 30.
TEAM_SIZE_LIMIT = 4.0


def _team_size_problem(roster, rows, tmpl, roles, lead, spec) -> str | None:
    """A roster whose teams are wildly larger than the template's, as one line."""
    body = tmpl["workforce"]["roles"]
    template_teams = body[lead]["posts"] if lead in body else 0
    template_members = sum(b["posts"] for n, b in body.items() if roles[n] and n != lead)
    teams = len({r.team for r in rows if r.role == lead})
    members = sum(1 for r in rows if roles.get(r.role) and r.role != lead)
    if not template_teams or not teams:
        return None
    usual = template_members / template_teams
    if members / teams > TEAM_SIZE_LIMIT * usual:
        return (
            f"{roster}, column 'team': {members} team-member posts in {teams} team(s), "
            f"{members / teams:.0f} a team, against {usual:.1f} in the {spec.name} template: "
            "check that each post's team is its own (one row per post, one team each)"
        )
    return None
