"""The starting state from a roster (``workforce.roster``): day 0 exactly as the staff list says.

Without a roster the model draws which posts start vacant and deals team members round the
teams. With one, day 0 is the council's own service:

- each post's team is its row's team (team ``k`` is the one the k-th supervisor row leads);
- the posts vacant on day 0 are the rows marked ``vacant`` or ``agency``, and an agency worker
  covers exactly the ``agency`` ones;
- each holder on day 0 is trained on their row's ``trained_on`` date, so their practice
  level is what decay from that date leaves (no reinforcement since is known), and is a
  champion or a mentored supervisor as their row says. Champions are self-selected
  practitioners: they take the practice up whatever the uptake draw.

Everything after day 0 (how long each holder stays, how long each vacancy lasts, who covers
later vacancies, who engages) is drawn as without a roster: the holders' time in post so far
does not change when they leave, since turnover is a constant hazard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..scenario.schema import Workforce


@dataclass(frozen=True)
class StartingPosts:
    """Day 0 of every post, from the roster: its row, team, and whether vacant or agency."""

    row: np.ndarray  # the roster row of each post
    team: np.ndarray  # each post's team, -1 outside teams
    vacant: np.ndarray  # vacant on day 0 (agency-covered or not)
    agency: np.ndarray  # vacant on day 0 and covered by an agency worker


def starting_posts(workforce: Workforce) -> StartingPosts | None:
    """The posts as the roster lays them out (posts role by role, as the establishment's),
    or ``None`` without a roster.
    """
    roster = workforce.roster
    if not roster:
        return None
    names = list(workforce.roles)
    by_role: list[list[int]] = [[] for _ in names]
    for i, row in enumerate(roster):
        by_role[names.index(row.role)].append(i)
    rows = np.array([i for indices in by_role for i in indices], dtype=np.int64)
    leaders = [row.team for row in roster if row.role == workforce.supervisor_role]
    team_of = {team: k for k, team in enumerate(leaders)}
    team = np.array([team_of.get(roster[i].team, -1) for i in rows], dtype=np.int64)
    status = np.array([roster[i].status for i in rows])
    return StartingPosts(rows, team, status != "filled", status == "agency")


def apply_roster(state: Any) -> None:
    """Train, appoint and mark mentored the people in post on day 0, as the roster says.

    ``state`` is the replication's :class:`~sim.model.state.ServiceState` (which calls this
    while it is built; the module imports nothing above it).
    """
    scenario = state.scenario
    start = scenario.scenario.start
    posts = starting_posts(scenario.workforce)
    assert posts is not None
    plan = state.plan
    at_start = np.nonzero((plan.cycle == 0) & (plan.start == 0.0))[0]
    rows = [scenario.workforce.roster[r] for r in posts.row[plan.post[at_start]]]
    champions = np.array([p for p, row in zip(at_start, rows, strict=True) if row.champion])
    trained = [(p, row) for p, row in zip(at_start, rows, strict=True) if row.trained_on]
    if trained:
        who = np.array([p for p, _ in trained], dtype=np.int64)
        day = np.array([float((row.trained_on - start).days) for _, row in trained])
        champion = np.array([row.champion for _, row in trained], dtype=bool)
        state.practice.complete_training(who, day, state.course_days, always_engage=champion)
    state.set_champions(champions.astype(np.int64), True)
    mentored = [p for p, row in zip(at_start, rows, strict=True) if row.mentored]
    mentored = np.array(mentored, dtype=np.int64)
    state.set_mentored(mentored)
    # The roster says mentored, not how much: the whole mentoring the design gives.
    state.mentoring_sessions[mentored] = scenario.programme.mentoring.months
