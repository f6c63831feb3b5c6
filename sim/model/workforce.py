"""The workforce: posts, teams, turnover, hiring delays and agency cover.

Who holds which post, and when, is drawn here for the whole horizon before the programme
runs, from the turnover, hiring and agency streams alone. Nothing in the training strategy
can change it, so two strategies on the same seed face exactly the same comings and goings.

Each post alternates between a holder's spell in post (length exponential with the role's
turnover hazard) and a vacancy (length exponential with the role's mean hiring delay; zero
when the delay is 0). A vacancy is covered for its whole length by one agency worker with
the role's agency-cover probability. Every spell, permanent or agency, is one *person*.

The draws do not depend on the horizon: they come in blocks of :data:`CYCLES_PER_BLOCK`
(vacancy, holder) cycles for every post, block after block, so a longer run draws more
blocks but never different ones. The first M months of a 96-month run are those of a
72-month run, and anything drawn per person (uptake, half-life, arriving trained) is drawn
per *slot*, a post's cycle and whether it is the holder or the agency cover
(:meth:`StaffingPlan.per_person`), so it follows the person, not their index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..scenario.clock import DAYS_PER_MONTH, DAYS_PER_YEAR
from ..scenario.schema import Workforce
from .streams import Streams


@dataclass(frozen=True)
class Establishment:
    """The fixed structure: every post's role and team.

    Teams are numbered by the supervisor posts that lead them (team ``k`` is led by post
    ``team_supervisor_post[k]``); team-member posts are dealt round the teams in turn.
    Posts of other roles have team ``-1``.
    """

    role_names: tuple[str, ...]
    post_role: np.ndarray
    post_team: np.ndarray
    team_supervisor_post: np.ndarray
    supervisor_role: int  # index into role_names, or -1 when there are no teams

    @property
    def n_posts(self) -> int:
        return len(self.post_role)

    @property
    def n_teams(self) -> int:
        return len(self.team_supervisor_post)


def build_establishment(workforce: Workforce) -> Establishment:
    """Lay out posts role by role (most senior first) and deal members round the teams."""
    names = tuple(workforce.roles)
    post_role = np.repeat(np.arange(len(names)), [r.posts for r in workforce.roles.values()])
    post_team = np.full(len(post_role), -1, dtype=np.int64)
    supervisor = names.index(workforce.supervisor_role) if workforce.supervisor_role else -1
    supervisor_posts = np.nonzero(post_role == supervisor)[0]
    post_team[supervisor_posts] = np.arange(len(supervisor_posts))
    if len(supervisor_posts):
        member_roles = [i for i, r in enumerate(workforce.roles.values()) if r.team_member]
        members = np.nonzero(np.isin(post_role, member_roles))[0]
        post_team[members] = np.arange(len(members)) % len(supervisor_posts)
    return Establishment(names, post_role, post_team, supervisor_posts, supervisor)


# Cycles drawn at a time for every post. Changing it changes every result: it fixes which
# random number belongs to which cycle of which post.
CYCLES_PER_BLOCK = 4


@dataclass(frozen=True)
class StaffingPlan:
    """Every person who holds or covers a post during the run, one array entry each.

    A person is in post from ``start`` (inclusive) to ``end`` (exclusive), in days;
    ``end`` is ``inf`` for someone who never leaves. People are ordered by (cycle, post,
    holder before agency cover), so a longer horizon only adds people, never reorders them.
    """

    post: np.ndarray
    start: np.ndarray
    end: np.ndarray
    is_agency: np.ndarray
    is_initial: np.ndarray
    cycle: np.ndarray  # which (vacancy, holder) cycle of their post each person belongs to
    n_posts: int

    @property
    def n_people(self) -> int:
        return len(self.post)

    def in_post(self, day: float) -> np.ndarray:
        """Mask of the people in post at ``day``."""
        return (self.start <= day) & (day < self.end)

    def per_person(self, draw: Callable[[tuple[int, ...]], np.ndarray]) -> np.ndarray:
        """One value per person from ``draw(size)``, drawn per slot, independent of horizon.

        ``draw`` is called block by block with size (CYCLES_PER_BLOCK, posts, 2); the value
        for a person is the one at (their cycle, their post, 1 if agency cover else 0).
        """
        cycles = int(self.cycle.max()) + 1 if self.n_people else 0
        blocks = -(-cycles // CYCLES_PER_BLOCK)
        size = (CYCLES_PER_BLOCK, self.n_posts, 2)
        values = np.concatenate([draw(size) for _ in range(blocks)]) if blocks else np.zeros(size)
        return values[self.cycle, self.post, self.is_agency.astype(np.int64)]


def plan_staffing(
    workforce: Workforce, establishment: Establishment, horizon_day: float, streams: Streams
) -> StaffingPlan:
    """Draw every spell in post and every vacancy up to the horizon.

    Posts are advanced together, one (vacancy, holder) cycle per loop, so the loop runs
    only as many times as the busiest post changes hands. The random numbers of cycle ``c``
    of post ``p`` are the same whatever the horizon (blocks of :data:`CYCLES_PER_BLOCK`).
    """
    roles = list(workforce.roles.values())
    role = establishment.post_role
    n = establishment.n_posts
    hazard = np.array([r.turnover for r in roles])[role] / DAYS_PER_YEAR
    mean_vacancy = np.array([r.hiring_delay_months for r in roles])[role] * DAYS_PER_MONTH
    cover = np.array(
        [workforce.agency_cover if r.agency_cover is None else r.agency_cover for r in roles]
    )[role]

    turnover, hiring, agency = streams["turnover"], streams["hiring"], streams["agency"]
    vacant_at_start = np.zeros(n, dtype=bool)
    for index, r in enumerate(roles):
        posts = np.nonzero(role == index)[0]
        if r.initial_vacancies:
            vacant_at_start[hiring.permutation(posts)[: r.initial_vacancies]] = True

    parts: list[tuple[np.ndarray, ...]] = []  # (post, start, end, is_agency, cycle) per group
    clock = np.zeros(n)  # when each post's current cycle begins
    cycle = 0
    while (clock < horizon_day).any():
        row = cycle % CYCLES_PER_BLOCK
        if row == 0:
            size = (CYCLES_PER_BLOCK, n)
            vacancy_draws = hiring.standard_exponential(size)
            cover_draws = agency.random(size)
            tenure_draws = turnover.standard_exponential(size)
        vacancy = vacancy_draws[row] * mean_vacancy
        if cycle == 0:
            vacancy = np.where(vacant_at_start, vacancy, 0.0)
        with np.errstate(divide="ignore"):
            tenure = tenure_draws[row] / hazard
        begins = clock < horizon_day
        arrive = clock + vacancy
        covered = begins & (cover_draws[row] < cover) & (vacancy > 0)
        hired = begins & (arrive < horizon_day)
        for mask, start, end, is_agency in (
            (hired, arrive, arrive + tenure, False),
            (covered, clock, arrive, True),
        ):
            posts = np.nonzero(mask)[0]
            parts.append(
                (
                    posts,
                    start[posts],
                    end[posts],
                    np.full(len(posts), is_agency),
                    np.full(len(posts), cycle),
                )
            )
        clock = np.where(begins, arrive + tenure, clock)
        cycle += 1

    post, start, end, is_agency, cycles = (
        np.concatenate([p[i] for p in parts]) if parts else np.zeros(0) for i in range(5)
    )
    post, cycles = post.astype(np.int64), cycles.astype(np.int64)
    is_agency = is_agency.astype(bool)
    order = np.lexsort((is_agency, post, cycles))  # by cycle, then post, holder first
    post, start, end, is_agency, cycles = (a[order] for a in (post, start, end, is_agency, cycles))
    is_initial = (cycles == 0) & ~is_agency & (start == 0.0)
    return StaffingPlan(post, start, end, is_agency, is_initial, cycles, n)
