"""The workforce: posts, teams, turnover, hiring delays and agency cover.

Who holds which post, and when, is drawn here for the whole horizon before the programme
runs, from the turnover, hiring and agency streams alone. Nothing in the training strategy
can change it, so two strategies on the same seed face exactly the same comings and goings.

Each post alternates between a holder's spell in post (length exponential with the role's
turnover hazard) and a vacancy (length exponential with the role's mean hiring delay; zero
when the delay is 0). A vacancy is covered for its whole length by one agency worker with
the role's agency-cover probability. Every spell, permanent or agency, is one *person*.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class StaffingPlan:
    """Every person who holds or covers a post during the run, one array entry each.

    A person is in post from ``start`` (inclusive) to ``end`` (exclusive), in days;
    ``end`` is ``inf`` for someone who never leaves.
    """

    post: np.ndarray
    start: np.ndarray
    end: np.ndarray
    is_agency: np.ndarray
    is_initial: np.ndarray

    @property
    def n_people(self) -> int:
        return len(self.post)

    def in_post(self, day: float) -> np.ndarray:
        """Mask of the people in post at ``day``."""
        return (self.start <= day) & (day < self.end)


def plan_staffing(
    workforce: Workforce, establishment: Establishment, horizon_day: float, streams: Streams
) -> StaffingPlan:
    """Draw every spell in post and every vacancy up to the horizon.

    Posts are advanced together, one (vacancy, holder) cycle per loop, so the loop runs
    only as many times as the busiest post changes hands.
    """
    roles = list(workforce.roles.values())
    role = establishment.post_role
    hazard = np.array([r.turnover for r in roles])[role] / DAYS_PER_YEAR
    mean_vacancy = np.array([r.hiring_delay_months for r in roles])[role] * DAYS_PER_MONTH
    cover = np.array(
        [workforce.agency_cover if r.agency_cover is None else r.agency_cover for r in roles]
    )[role]

    turnover, hiring, agency = streams["turnover"], streams["hiring"], streams["agency"]
    vacant_at_start = np.zeros(establishment.n_posts, dtype=bool)
    for index, r in enumerate(roles):
        posts = np.nonzero(role == index)[0]
        if r.initial_vacancies:
            vacant_at_start[hiring.permutation(posts)[: r.initial_vacancies]] = True

    empty = np.zeros(0)
    post, start, end = [empty.astype(np.int64)], [empty], [empty]
    is_agency, is_initial = [empty.astype(bool)], [empty.astype(bool)]
    clock = np.zeros(establishment.n_posts)  # when each post's current cycle begins
    active = np.arange(establishment.n_posts)
    first_cycle = True
    while len(active):
        t = clock[active]
        vacancy = hiring.standard_exponential(len(active)) * mean_vacancy[active]
        if first_cycle:
            vacancy = np.where(vacant_at_start[active], vacancy, 0.0)
        covered = (agency.random(len(active)) < cover[active]) & (vacancy > 0)
        with np.errstate(divide="ignore"):
            tenure = turnover.standard_exponential(len(active)) / hazard[active]
        arrive = t + vacancy
        leave = arrive + tenure

        post += [active[covered]]
        start += [t[covered]]
        end += [arrive[covered]]
        is_agency += [np.ones(covered.sum(), dtype=bool)]
        is_initial += [np.zeros(covered.sum(), dtype=bool)]

        hired = arrive < horizon_day
        post += [active[hired]]
        start += [arrive[hired]]
        end += [leave[hired]]
        is_agency += [np.zeros(hired.sum(), dtype=bool)]
        is_initial += [(arrive[hired] == 0.0) & first_cycle]

        clock[active] = leave
        active = active[leave < horizon_day]
        first_cycle = False

    return StaffingPlan(
        post=np.concatenate(post),
        start=np.concatenate(start),
        end=np.concatenate(end),
        is_agency=np.concatenate(is_agency),
        is_initial=np.concatenate(is_initial),
    )
