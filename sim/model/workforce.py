"""The workforce: posts, teams, turnover, hiring delays and agency cover.

Who holds which post, and when, is drawn here for the whole horizon before the programme
runs, from the staffing stream alone. Nothing in the training strategy can change it, so
two strategies on the same seed face exactly the same comings and goings.

Each post alternates between a holder's spell in post (length exponential with the role's
turnover hazard) and a vacancy (length exponential with the role's mean hiring delay; zero
when the delay is 0). A vacancy is covered for its whole length by one agency worker with
the role's agency-cover probability. Every spell, permanent or agency, is one *person*.

Each role draws from a generator of its own (the ``staffing`` stream), keyed by the role's
name (:meth:`~sim.model.streams.Streams.for_name`), so its staff come and go the same
whatever the order of the roles in the file and however many posts the other roles have.
Posts are laid out role by role in the order of ``workforce.seniority`` (which the schema
makes the order of ``workforce.roles``), never the file's.

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

from ..scenario.clock import DAYS_PER_MONTH, DAYS_PER_YEAR, Clock
from ..scenario.schema import Workforce
from .starting_state import starting_posts
from .streams import Streams
from .workforce_paths import Paths, build_paths, max_posts


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
    # Posts a workforce path may open beyond the roles' own follow them all, role by role
    # (so the roles' own posts keep their places): ``post_rank`` numbers each role's posts
    # from 0, its own first. Without a path there are none.
    n_base: int = -1
    post_rank: np.ndarray | None = None

    @property
    def n_posts(self) -> int:
        """Posts in all roles, growth posts included."""
        return len(self.post_role)

    @property
    def n_teams(self) -> int:
        """Teams, one per supervisor post of the roles' own."""
        return len(self.team_supervisor_post)


def build_establishment(workforce: Workforce) -> Establishment:
    """Lay out posts role by role (most senior first, as ``workforce.seniority`` ranks
    them) and deal members round the teams; a path's growth posts follow them all.
    """
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
    roster = starting_posts(workforce)
    if roster is not None:  # the council's own teams instead of dealing members round
        post_team = roster.team
    own = [r.posts for r in workforce.roles.values()]
    extra = np.array(max_posts(workforce)) - own
    if not extra.any():
        return Establishment(names, post_role, post_team, supervisor_posts, supervisor)
    # Growth posts: members dealt round the teams after the roles' own; supervisors beyond
    # the teams' own share those teams in turn (a path opens posts, not teams).
    extra_role = np.repeat(np.arange(len(names)), extra)
    extra_team = np.full(len(extra_role), -1, dtype=np.int64)
    teams = len(supervisor_posts)
    if teams:
        member = np.isin(
            extra_role, [i for i, r in enumerate(workforce.roles.values()) if r.team_member]
        )
        dealt = int(np.count_nonzero(post_team >= 0)) - teams
        extra_team[member] = (dealt + np.arange(np.count_nonzero(member))) % teams
        leads = extra_role == supervisor
        extra_team[leads] = np.arange(np.count_nonzero(leads)) % teams
    rank = np.concatenate(
        [np.arange(n) for n in own] + [own[i] + np.arange(extra[i]) for i in range(len(names))]
    )
    return Establishment(
        names,
        np.concatenate((post_role, extra_role)),
        np.concatenate((post_team, extra_team)),
        supervisor_posts,
        supervisor,
        len(post_role),
        rank.astype(np.int64),
    )


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
    # With a workforce path: the posts of the roles' own (the rest are growth posts, drawn
    # after them block by block), the path, and each post's spells open (first days, ends).
    n_base: int = -1
    paths: Paths | None = None
    open_first: np.ndarray | None = None
    open_last: np.ndarray | None = None

    def __post_init__(self) -> None:
        # Each person's slot (cycle, post, holder or agency cover) as a flat index into a
        # (cycles, posts, 2) array of draws, and the number of cycles: per_person() reads
        # every per-person draw through them.
        slot = (self.cycle * self.n_posts + self.post) * 2 + self.is_agency
        object.__setattr__(self, "_slot", slot.astype(np.int64))
        cycles = int(self.cycle.max()) + 1 if len(self.cycle) else 0
        object.__setattr__(self, "_cycles", cycles)

    @property
    def n_people(self) -> int:
        """Everyone who holds or covers a post during the run."""
        return len(self.post)

    def in_post(self, day: float) -> np.ndarray:
        """Mask of the people in post at ``day``."""
        return (self.start <= day) & (day < self.end)

    def posts_at(self, day: float, permanent: np.ndarray) -> int:
        """Posts on ``day``: those open, and those cut whose holder (among the people
        ``permanent``, the permanent staff in post) has not left yet (attrition).
        """
        if self.paths is None:
            return self.n_posts
        post = self.post[permanent]
        held_open = (self.open_first[post] <= day) & (day < self.open_last[post])
        return self.paths.open_posts(day) + int(np.count_nonzero(~held_open.any(axis=1)))

    def per_person(self, draw: Callable[[tuple[int, ...]], np.ndarray]) -> np.ndarray:
        """One value per person from ``draw(size)``, drawn per slot, independent of horizon.

        ``draw`` is called block by block with size (CYCLES_PER_BLOCK, posts, 2); the value
        for a person is the one at (their cycle, their post, 1 if agency cover else 0).
        """
        blocks = -(-self._cycles // CYCLES_PER_BLOCK)
        size = (CYCLES_PER_BLOCK, self.n_posts, 2)
        if blocks == 0:
            values = np.zeros(size)
        elif self.n_base < 0 or self.n_base == self.n_posts:
            values = (
                draw(size) if blocks == 1 else np.concatenate([draw(size) for _ in range(blocks)])
            )
        else:  # growth posts: the roles' own posts' block first, then theirs
            own = (CYCLES_PER_BLOCK, self.n_base, 2)
            grown = (CYCLES_PER_BLOCK, self.n_posts - self.n_base, 2)
            values = np.concatenate(
                [np.concatenate((draw(own), draw(grown)), axis=1) for _ in range(blocks)]
            )
        return values.reshape(-1)[self._slot]  # values[cycle, post, 1 if agency else 0]


# Below this many people in post, sorting the lot is quicker than merging in the joiners.
_SORT_BELOW = 2000
# Up to this many people in the whole plan (a small service over a few years), reading the
# mask afresh is quicker than updating the list from the joiners and leavers.
_SCAN_UP_TO = 1500


def _merge(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Two increasing arrays of distinct people as one increasing array."""
    merged = np.empty(len(first) + len(second), dtype=np.int64)
    at = np.searchsorted(first, second) + np.arange(len(second))
    merged[at] = second
    rest = np.ones(len(merged), dtype=bool)
    rest[at] = False
    merged[rest] = first
    return merged


class PeopleInPost:
    """Who is in post, kept up to date from the plan's start and end days as time advances.

    The plan is known before the run, so its starts and ends are sorted once; moving to a
    later day then touches only the people who join or leave in between, never every
    person who ever held a post (12 people a post over 50 years). :attr:`mask` marks the
    people in post among everyone; :attr:`people` lists them in increasing order (the
    order ``np.nonzero`` of the mask would give), brought up to date only when asked for:
    a cohort's session day needs the mask alone. Both are replaced or updated in place
    later: read them, never write them. A small plan (at most ``_SCAN_UP_TO`` people, a
    small service over a few years) reads the list afresh from the mask, which is cheaper
    at that size than merging in the joiners.

    ``days`` (the month starts) are days known to be asked for: where they fall among the
    starts and ends is found for all of them at once. Going back to an earlier day (only
    tests and debugging do) rebuilds everything from scratch.
    """

    def __init__(self, plan: StaffingPlan, days: np.ndarray | None = None):
        self._plan = plan
        self._by_start = np.argsort(plan.start)  # order among equal days does not matter
        self._starts = plan.start[self._by_start]
        self._by_end = np.argsort(plan.end)
        self._ends = plan.end[self._by_end]
        self._known: dict[float, tuple[int, int]] = {}
        if days is not None:
            started = self._starts.searchsorted(days, "right").tolist()
            ended = self._ends.searchsorted(days, "right").tolist()
            self._known = dict(zip(days.tolist(), zip(started, ended, strict=True), strict=True))
        self.mask = np.zeros(plan.n_people, dtype=bool)
        self.day = -np.inf
        self._started = 0  # people in _by_start whose start is on or before self.day
        self._ended = 0  # people in _by_end whose end is on or before self.day
        self._people = np.zeros(0, dtype=np.int64)  # the people in post at an earlier move
        self._people_started = 0  # self._started when _people was made
        self._people_gone = False  # whether anyone has left since

    def move_to(self, day: float) -> None:
        """Bring :attr:`mask` (and, when next read, :attr:`people`) to ``day``."""
        if day == self.day:
            return
        known = self._known.get(day)
        if known is None:
            started = int(self._starts.searchsorted(day, "right"))
            ended = int(self._ends.searchsorted(day, "right"))
        else:
            started, ended = known
        if day < self.day:
            self.mask = self._plan.in_post(day)
            self._people = np.flatnonzero(self.mask)
            self._people_started = started
            self._people_gone = False
        else:
            self.mask[self._by_start[self._started : started]] = True
            if ended > self._ended:  # after the joiners: some join and leave in between
                self.mask[self._by_end[self._ended : ended]] = False
                self._people_gone = True
        self.day = day
        self._started, self._ended = started, ended

    @property
    def people(self) -> np.ndarray:
        """Indices of the people in post at :attr:`day`, in increasing order."""
        if self._people_started != self._started or self._people_gone:
            if len(self.mask) <= _SCAN_UP_TO:
                self._people = np.flatnonzero(self.mask)
            else:
                self._people = self._updated_people()
            self._people_started = self._started
            self._people_gone = False
        return self._people

    def _updated_people(self) -> np.ndarray:
        """The list of an earlier move, less those who left and plus those who joined."""
        mask, people = self.mask, self._people
        if self._people_gone:
            people = people[mask[people]]
        joining = self._by_start[self._people_started : self._started]
        if len(joining):
            joining = joining[mask[joining]]
            if len(people) < _SORT_BELOW:
                people = np.concatenate((people, joining))
                people.sort()
            else:
                joining.sort()
                people = _merge(people, joining)
        return people


def plan_staffing(
    workforce: Workforce,
    establishment: Establishment,
    horizon_day: float,
    streams: Streams,
    clock: Clock | None = None,
) -> StaffingPlan:
    """Draw every spell in post and every vacancy up to the horizon.

    Posts are advanced together, one (vacancy, holder) cycle per loop, so the loop runs
    only as many times as the busiest post changes hands. The random numbers of cycle ``c``
    of post ``p`` are the same whatever the horizon (blocks of :data:`CYCLES_PER_BLOCK`),
    and come from its role's own generator. With a workforce path or shock (``clock``
    places its dates) the same draws are read through the rates of
    :mod:`sim.model.workforce_paths`.
    """
    paths = build_paths(workforce, clock) if clock is not None else None
    if paths is not None:
        return _plan_with_paths(workforce, establishment, horizon_day, streams, paths)
    roles = list(workforce.roles.values())
    role = establishment.post_role
    n = establishment.n_posts
    # The workforce's factors (1 unless drawn from [uncertainty]) move every role together.
    hazard = np.array([r.turnover for r in roles])[role] * workforce.turnover_factor / DAYS_PER_YEAR
    mean_vacancy = (
        np.array([r.hiring_delay_months for r in roles])[role]
        * workforce.hiring_delay_factor
        * DAYS_PER_MONTH
    )
    cover = np.array(
        [workforce.agency_cover if r.agency_cover is None else r.agency_cover for r in roles]
    )[role]

    # Each role draws from a generator of its own, keyed by its name: its staff come and go
    # the same whatever the order of the roles and whatever the other roles' posts. One
    # generator a role (a generator costs more to make than a block costs to draw): which
    # posts start vacant, then block after block its vacancies, agency cover and tenures,
    # each a fixed number of draws, so no value of a parameter moves another's numbers.
    names = establishment.role_names
    counts = np.bincount(role, minlength=len(names))
    drawing = [i for i in range(len(names)) if counts[i]]
    generators = {i: streams.for_name("staffing", names[i]) for i in drawing}
    roster = starting_posts(workforce)
    vacant_at_start = np.zeros(n, dtype=bool) if roster is None else roster.vacant
    if roster is None:
        for index in drawing:
            posts = np.nonzero(role == index)[0]
            chosen = generators[index].permutation(posts)[: roles[index].initial_vacancies]
            vacant_at_start[chosen] = True

    def block() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # Posts lie role by role in the establishment, so the roles' blocks side by side
        # are the block of every post.
        parts = []
        for i in drawing:
            g, size = generators[i], (CYCLES_PER_BLOCK, counts[i])
            parts.append(
                (g.standard_exponential(size), g.random(size), g.standard_exponential(size))
            )
        if not parts:
            empty = np.zeros((CYCLES_PER_BLOCK, 0))
            return empty, empty, empty
        return tuple(np.concatenate(p, axis=1) for p in zip(*parts, strict=True))  # type: ignore[return-value]

    # Per cycle, the posts hired (holders) and covered (agency), each in post order.
    groups: list[tuple[np.ndarray, np.ndarray, np.ndarray, bool, int]] = []
    clock = np.zeros(n)  # when each post's current cycle begins
    cycle = 0
    with np.errstate(divide="ignore"):  # no turnover: a tenure of 1 / 0 = inf
        while (clock < horizon_day).any():
            row = cycle % CYCLES_PER_BLOCK
            if row == 0:
                vacancy_draws, cover_draws, tenure_draws = block()
            vacancy = vacancy_draws[row] * mean_vacancy
            if cycle == 0:
                vacancy = np.where(vacant_at_start, vacancy, 0.0)
            tenure = tenure_draws[row] / hazard
            begins = clock < horizon_day
            arrive = clock + vacancy
            leave = arrive + tenure
            covered = begins & (cover_draws[row] < cover) & (vacancy > 0)
            if cycle == 0 and roster is not None:  # day 0's agency workers: the roster's
                covered = begins & roster.agency & (vacancy > 0)
            hired = begins & (arrive < horizon_day)
            posts = hired.nonzero()[0]
            groups.append((posts, arrive[posts], leave[posts], False, cycle))
            posts = covered.nonzero()[0]
            groups.append((posts, clock[posts], arrive[posts], True, cycle))
            clock = np.where(begins, leave, clock)
            cycle += 1

    sizes = [len(g[0]) for g in groups]
    post, start, end = (
        np.concatenate([g[i] for g in groups]) if groups else np.zeros(0) for i in range(3)
    )
    post = post.astype(np.int64)
    is_agency = np.repeat(np.array([g[3] for g in groups], dtype=bool), sizes)
    cycles = np.repeat(np.array([g[4] for g in groups], dtype=np.int64), sizes)
    # By cycle, then post, holder before agency cover: one key, every key different.
    order = np.argsort((cycles * n + post) * 2 + is_agency)
    post, start, end, is_agency, cycles = (a[order] for a in (post, start, end, is_agency, cycles))
    is_initial = (cycles == 0) & ~is_agency & (start == 0.0)
    return StaffingPlan(post, start, end, is_agency, is_initial, cycles, n)


def _plan_with_paths(
    workforce: Workforce,
    establishment: Establishment,
    horizon_day: float,
    streams: Streams,
    paths: Paths,
) -> StaffingPlan:
    """:func:`plan_staffing` when posts and rates change over time.

    The roles' own posts draw exactly as without a path (the same generators, blocks and
    initial vacancies); growth posts draw from generators of their own (keyed by the role's
    name and ``+growth``), so opening them moves no other post's numbers.
    """
    roles = list(workforce.roles.values())
    role = establishment.post_role
    n = establishment.n_posts
    n_base = n if establishment.n_base < 0 else establishment.n_base
    rank = establishment.post_rank
    if rank is None:  # no growth posts: each role's posts from 0, in their order
        firsts = np.concatenate(([0], np.cumsum(np.bincount(role, minlength=len(roles)))))
        rank = np.arange(n) - firsts[role]
    names = establishment.role_names
    base_role = role[:n_base]
    counts = np.bincount(base_role, minlength=len(names))
    grown = np.bincount(role[n_base:], minlength=len(names))
    generators = {i: streams.for_name("staffing", names[i]) for i in range(len(names)) if counts[i]}
    growth = {
        i: streams.for_name("staffing", names[i] + "+growth") for i in range(len(names)) if grown[i]
    }
    roster = starting_posts(workforce)
    vacant_at_start = np.zeros(n, dtype=bool)
    agency_at_start = np.zeros(n, dtype=bool)
    if roster is None:
        for index in generators:
            posts = np.nonzero(base_role == index)[0]
            chosen = generators[index].permutation(posts)[: roles[index].initial_vacancies]
            vacant_at_start[chosen] = True
    else:
        vacant_at_start[:n_base] = roster.vacant
        agency_at_start[:n_base] = roster.agency
    first, last = paths.windows(rank, role)

    def block() -> tuple[np.ndarray, ...]:
        parts = []
        for pool, sizes in ((generators, counts), (growth, grown)):
            for i in sorted(pool):
                g, size = pool[i], (CYCLES_PER_BLOCK, sizes[i])
                parts.append(
                    (g.standard_exponential(size), g.random(size), g.standard_exponential(size))
                )
        return tuple(np.concatenate(p, axis=1) for p in zip(*parts, strict=True))

    groups: list[tuple[np.ndarray, np.ndarray, np.ndarray, bool, int]] = []
    clock = np.zeros(n)  # the earliest day each post's next cycle may begin
    rows = np.arange(n)
    cycle = 0
    while (clock < horizon_day).any():
        row = cycle % CYCLES_PER_BLOCK
        if row == 0:
            vacancy_draws, cover_draws, tenure_draws = block()
        # The post's next spell open from ``clock``: when the cycle begins, and when it ends.
        spell = np.argmax(last > clock[:, None], axis=1)
        opens = np.maximum(first[rows, spell], clock)
        closes = last[rows, spell]
        begins = opens < horizon_day
        seg = paths.segment(opens)
        fresh = cycle > 0 or opens > 0  # a leaver's post, or a post opened since day 0
        waits = fresh | vacant_at_start
        length = np.where(waits, vacancy_draws[row] * paths.mean_delay[seg, role], 0.0)
        # A holder in post on day 0 is there, freeze or not: only a vacancy waits.
        arrive = np.where(waits, paths.hire_day(opens, length), opens)
        filled = arrive < closes
        vacancy_end = np.where(filled, arrive, closes)
        leave = np.full(n, np.inf)
        leave[filled] = paths.leave_day(arrive[filled], tenure_draws[row][filled], role[filled])
        if paths.cut_at_once:
            leave = np.minimum(leave, closes)
        covered = cover_draws[row] < paths.cover[seg, role]
        if cycle == 0 and roster is not None:  # day 0's agency workers: the roster's
            covered = np.where(opens > 0, covered, agency_at_start)
        covered = begins & covered & (vacancy_end > opens)
        hired = begins & filled & (arrive < horizon_day)
        posts = hired.nonzero()[0]
        groups.append((posts, arrive[posts], leave[posts], False, cycle))
        posts = covered.nonzero()[0]
        groups.append((posts, opens[posts], vacancy_end[posts], True, cycle))
        clock = np.where(begins, np.where(filled, leave, closes), opens)
        cycle += 1

    sizes = [len(g[0]) for g in groups]
    post, start, end = (np.concatenate([g[i] for g in groups]) for i in range(3))
    post = post.astype(np.int64)
    is_agency = np.repeat(np.array([g[3] for g in groups], dtype=bool), sizes)
    cycles = np.repeat(np.array([g[4] for g in groups], dtype=np.int64), sizes)
    order = np.argsort((cycles * n + post) * 2 + is_agency)
    post, start, end, is_agency, cycles = (a[order] for a in (post, start, end, is_agency, cycles))
    is_initial = (cycles == 0) & ~is_agency & (start == 0.0)
    return StaffingPlan(
        post, start, end, is_agency, is_initial, cycles, n, n_base, paths, first, last
    )
