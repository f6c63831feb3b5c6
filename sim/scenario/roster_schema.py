"""The starting state from a staff list: ``workforce.roster``, one row per post, no identifiers.

A council that knows its own staff starts the simulation from them instead of from drawn
vacancies and round-robin teams. ``rollout new --roster staff.csv`` writes the staff list
into the scenario as an array of rows (:class:`RosterPost`), in a fixed order (role, team,
status, dates), **without the post ids**: the rows say which posts exist, which are filled,
vacant or covered by an agency worker on ``scenario.start``, which team each belongs to, who
was trained when, who is a champion and which supervisors were mentored.

The k-th row of a role is the k-th post of that role in the model (roles in the scenario's
order), so the model lays its posts out exactly as the rows say (:mod:`sim.model.starting_state`).

The checks here work on plain data (they run even when other keys failed) and name each
problem by its key path, ``workforce.roster.<row>.<column>``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from .base import _Frozen, is_date

STATUSES = ("filled", "vacant", "agency")


class RosterPost(_Frozen):
    """One post on the start date: its role, team, status and its holder's training."""

    role: str = Field(description="The post's role (a key of workforce.roles).")
    team: str = Field(
        "",
        description="The team the post belongs to (teams are led by the supervisor_role's "
        "posts; empty for roles outside practice teams).",
    )
    status: Literal["filled", "vacant", "agency"] = Field(
        description="filled (a permanent holder), vacant, or agency (vacant, covered by an "
        "agency worker) on scenario.start."
    )
    trained_on: date | None = Field(
        None,
        description="When the holder completed the foundation training (empty: untrained). "
        "Their practice level on the start date is what decay from this date leaves.",
    )
    champion: bool = Field(False, description="Whether the holder is a champion at the start.")
    mentored: bool = Field(
        False, description="Whether the holder (a supervisor) has had live mentoring."
    )


def _rows(data: Any) -> list:
    workforce = data.get("workforce") if isinstance(data, dict) else None
    rows = workforce.get("roster") if isinstance(workforce, dict) else None
    return list(rows) if isinstance(rows, list | tuple) else []


def roster_counts(rows: list) -> dict[str, dict[str, int]]:
    """Posts by role and status: ``{role: {"filled": n, "vacant": n, "agency": n}}``."""
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        if isinstance(row, dict) and isinstance(row.get("role"), str):
            by_status = counts.setdefault(row["role"], dict.fromkeys(STATUSES, 0))
            if row.get("status") in STATUSES:
                by_status[row["status"]] += 1
    return counts


def roster_problems(data: Any) -> list[str]:
    """Problems of ``workforce.roster`` against the roles, the teams and the start date."""
    rows = _rows(data)
    if not rows:
        return []
    workforce = data["workforce"]
    roles = workforce.get("roles") if isinstance(workforce.get("roles"), dict) else {}
    lead = workforce.get("supervisor_role")
    scenario = data.get("scenario") if isinstance(data.get("scenario"), dict) else {}
    start = scenario.get("start")
    problems: list[str] = []
    leaders: dict[str, list[int]] = {}
    members: dict[str, list[int]] = {}
    trained = filled = 0
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            continue
        key = f"workforce.roster.{i}"
        role, team, status = row.get("role"), row.get("team", ""), row.get("status")
        body = roles.get(role) if isinstance(role, str) else None
        if roles and isinstance(role, str) and body is None:
            problems.append(f"{key}.role: unknown role {role!r} (roles: {', '.join(roles)})")
        in_team = isinstance(body, dict) and (role == lead or body.get("team_member"))
        if isinstance(team, str) and body is not None:
            if in_team and not team:
                problems.append(f"{key}.team: a {role} post belongs to a team: give its team")
            elif not in_team and team:
                problems.append(
                    f"{key}.team: {role} posts are outside practice teams "
                    "(not the supervisor_role, not team_member): leave team empty"
                )
            elif team:
                (leaders if role == lead else members).setdefault(team, []).append(i)
        holder = status == "filled"
        trained_on = row.get("trained_on")
        filled += holder
        trained += holder and trained_on is not None
        if status == "vacant":
            for column in ("trained_on", "champion", "mentored"):
                if row.get(column):
                    problems.append(f"{key}.{column}: a vacant post has nobody in it")
        if is_date(trained_on) and is_date(start) and trained_on > start:
            problems.append(
                f"{key}.trained_on: {trained_on} is after scenario.start ({start}); the roster "
                "is the state on the start date"
            )
        if row.get("champion") and status != "filled":
            problems.append(f"{key}.champion: champions hold permanent posts (status filled)")
        if row.get("champion") and trained_on is None and status == "filled":
            problems.append(f"{key}.champion: a champion must be trained (give trained_on)")
        if row.get("mentored") and role != lead and body is not None:
            problems.append(f"{key}.mentored: only supervisors ({lead}) are mentored, not a {role}")
        if row.get("mentored") and trained_on is None and status != "vacant":
            problems.append(f"{key}.mentored: a mentored supervisor must be trained")
    for team, where in sorted(members.items()):
        if team not in leaders:
            problems.append(
                f"workforce.roster.{where[0]}.team: team {team!r} has no {lead} post to lead it"
            )
    for team, where in sorted(leaders.items()):
        if len(where) > 1:
            problems.append(
                f"workforce.roster.{where[1]}.team: team {team!r} has {len(where)} {lead} "
                f"posts (rows {', '.join(map(str, where))}); a team has one supervisor post"
            )
    for role, counts in roster_counts(rows).items():
        body = roles.get(role)
        if not isinstance(body, dict):
            continue
        posts, vacant = body.get("posts"), body.get("initial_vacancies", 0)
        listed = sum(counts.values())
        if isinstance(posts, int) and posts != listed:
            problems.append(
                f"workforce.roles.{role}.posts: {posts}, but workforce.roster lists {listed} "
                f"{role} posts; with a roster they must agree"
            )
        if isinstance(vacant, int) and vacant != counts["vacant"] + counts["agency"]:
            problems.append(
                f"workforce.roles.{role}.initial_vacancies: {vacant}, but workforce.roster has "
                f"{counts['vacant'] + counts['agency']} {role} posts vacant or agency; with a "
                "roster they must agree"
            )
    for role, body in roles.items():
        if isinstance(body, dict) and body.get("posts") and role not in roster_counts(rows):
            problems.append(
                f"workforce.roles.{role}.posts: {body['posts']}, but workforce.roster lists no "
                f"{role} posts; with a roster they must agree"
            )
    fraction = workforce.get("initial_trained_fraction")
    share = trained / filled if filled else 0.0
    if isinstance(fraction, int | float) and abs(fraction - share) > 0.005:
        problems.append(
            f"workforce.initial_trained_fraction: {fraction:g}, but the roster has {trained} of "
            f"{filled} filled posts trained ({share:.3f}); the roster says who is trained: "
            f"set it to {share:.3f} or leave it out"
        )
    return problems
