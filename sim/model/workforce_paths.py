"""Posts and rates that change over time: a scenario's workforce path and its shock.

:mod:`sim.model.workforce` draws every post's (vacancy, holder) cycles from the staffing
stream; with ``[workforce.over_time]`` or ``[workforce.shock]`` the same draws are read
through the rates in force when they happen, as this module gives them:

- time is cut into *segments* (the run's start, each point's date, each month between two
  points when ``interpolation = "linear"``, the shock's start and end) within which every
  role's turnover hazard, mean hiring delay, agency cover and number of posts are constant;
- a holder who joins on day ``a`` with a standard exponential draw ``E`` leaves when the
  role's cumulative hazard since ``a`` reaches ``E`` (the exponential closed form within a
  segment, so a stay that ends before any change is exactly as without the path);
- a vacancy that begins on day ``v`` lasts ``E`` times the mean delay in force on ``v``;
  a recruitment freeze stops its clock while it lasts; agency cover is the share in force
  on ``v``, capped at 1;
- a role's ``k``-th post (posts counted from 0) is open while the role has more than ``k``
  posts: growth opens the role's highest-numbered posts vacant, a cut closes them (a
  vacancy at once; a holder at once or, by attrition, when they leave).

Nothing here draws a random number: the path changes when the same draws take effect,
never which draws there are, so two strategies differing in a shock share every draw and
see the same people leave until the shock begins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scenario.clock import DAYS_PER_MONTH, DAYS_PER_YEAR, Clock
from ..scenario.schema import Workforce


def max_posts(workforce: Workforce) -> list[int]:
    """Each role's most posts at any time: its posts, grown by the path's largest factor."""
    factors = [p.posts_factor for p in workforce.over_time.points] if workforce.over_time else []
    top = max([1.0, *factors])
    return [max(r.posts, int(np.round(r.posts * top))) for r in workforce.roles.values()]


@dataclass(frozen=True)
class Paths:
    """Each role's rates and posts, segment by segment (rows: segments; columns: roles).

    Segment ``s`` runs from ``edges[s]`` to ``edges[s + 1]`` (the last one for ever).
    """

    edges: np.ndarray
    hazard: np.ndarray  # leavers per person-day
    mean_delay: np.ndarray  # mean days a vacancy lasts
    cover: np.ndarray  # share of vacancies an agency worker covers
    posts: np.ndarray  # posts open
    freeze: tuple[float, float] | None  # days with no hiring, [start, end)
    cut_at_once: bool

    def segment(self, day: np.ndarray) -> np.ndarray:
        """The segment holding each day (days before 0 fall in the first)."""
        return np.maximum(self.edges.searchsorted(day, "right") - 1, 0)

    def leave_day(self, arrive: np.ndarray, draw: np.ndarray, role: np.ndarray) -> np.ndarray:
        """When holders who join on ``arrive`` leave: cumulative hazard reaching ``draw``."""
        seg = self.segment(arrive)
        rate = self.hazard[seg, role]
        with np.errstate(divide="ignore"):
            leave = arrive + draw / rate  # the closed form, while the rate holds
        following = np.append(self.edges[1:], np.inf)[seg]
        crossing = np.nonzero(leave >= following)[0]
        if len(crossing) == 0:
            return leave
        widths = np.diff(self.edges)
        for r in np.unique(role[crossing]):
            these = crossing[role[crossing] == r]
            rates = self.hazard[:, r]
            cumulative = np.concatenate(([0.0], np.cumsum(rates[:-1] * widths)))
            s = seg[these]
            target = cumulative[s] + rates[s] * (arrive[these] - self.edges[s]) + draw[these]
            end = np.maximum(cumulative.searchsorted(target, "right") - 1, 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                day = self.edges[end] + (target - cumulative[end]) / rates[end]
            leave[these] = np.where(rates[end] > 0, day, np.inf)
        return leave

    def hire_day(self, begin: np.ndarray, length: np.ndarray) -> np.ndarray:
        """When vacancies that begin on ``begin`` and need ``length`` days are filled."""
        arrive = begin + length
        if self.freeze is None:
            return arrive
        start, end = self.freeze
        during = (begin >= start) & (begin < end)
        spans = (begin < start) & (arrive > start)  # the freeze falls within the wait
        arrive = np.where(during, end + length, arrive)
        return np.where(spans, arrive + (end - start), arrive)

    def windows(self, rank: np.ndarray, role: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each post's spells open, as (posts × spells) first days and ends.

        Padded with ``inf`` (at least one column of it), so the first spell ending after
        a day is always found: a post never open again has its next spell at ``inf``.
        """
        open_ = self.posts[:, role] > rank  # (segments, posts)
        columns, which = np.unique(open_.T, axis=0, return_inverse=True)
        bounds = np.append(self.edges, np.inf)
        spells = []
        for column in columns:  # posts open in the same segments share their spells
            change = np.diff(np.concatenate(([0], column.astype(np.int8), [0])))
            spells.append((bounds[np.nonzero(change > 0)[0]], bounds[np.nonzero(change < 0)[0]]))
        most = max(len(o) for o, _ in spells) + 1
        first = np.full((len(spells), most), np.inf)
        last = np.full((len(spells), most), np.inf)
        for k, (o, c) in enumerate(spells):
            first[k, : len(o)] = o
            last[k, : len(c)] = c
        which = np.asarray(which).reshape(-1)
        return first[which], last[which]

    def open_posts(self, day: float) -> int:
        """Posts open on ``day`` (all roles)."""
        return int(self.posts[int(self.segment(np.array([day]))[0])].sum())


def build_paths(workforce: Workforce, clock: Clock) -> Paths | None:
    """The segments of a scenario's path and shock, or None when it has neither."""
    over_time, shock = workforce.over_time, workforce.shock
    shocked = shock is not None and shock.months > 0
    if over_time is None and not shocked:
        return None
    points = over_time.points if over_time else ()
    point_days = np.array([clock.day(p.date) for p in points], dtype=float)
    edges = {0.0, *np.maximum(point_days, 0.0).tolist()}
    linear = over_time is not None and over_time.interpolation == "linear" and len(points) > 1
    if linear:
        months = clock.month_start_days
        edges |= set(months[(months > point_days[0]) & (months < point_days[-1])].tolist())
    freeze = None
    if shocked:
        begins = shock.start_after_months * DAYS_PER_MONTH
        ends = begins + shock.months * DAYS_PER_MONTH
        edges |= {begins, ends}
        freeze = (begins, ends) if shock.hiring_freeze else None
    edges_ = np.array(sorted(edges))

    def value(name: str, neutral: float) -> np.ndarray:
        values = np.array([getattr(p, name) for p in points], dtype=float)
        at = point_days.searchsorted(edges_, "right") - 1  # the last point on or before
        stepped = np.where(at >= 0, values[np.maximum(at, 0)] if len(values) else neutral, neutral)
        if not linear:
            return stepped
        between = (edges_ >= point_days[0]) & (edges_ < point_days[-1])
        return np.where(between, np.interp(edges_, point_days, values), stepped)

    points_on = value("turnover_points", 0.0)
    cut = np.zeros(len(edges_))
    if shocked:
        during = (edges_ >= begins) & (edges_ < ends)
        points_on = points_on + np.where(during, shock.turnover_points, 0.0)
        cut = np.where(during | ((edges_ >= ends) & (not shock.restore)), shock.posts_cut, 0.0)
    roles = list(workforce.roles.values())
    turnover = np.array([r.turnover for r in roles]) * workforce.turnover_factor
    hazard = np.maximum(turnover[None, :] + points_on[:, None] / 100.0, 0.0) / DAYS_PER_YEAR
    delay = np.array([r.hiring_delay_months for r in roles]) * workforce.hiring_delay_factor
    mean_delay = delay[None, :] * value("hiring_delay_factor", 1.0)[:, None] * DAYS_PER_MONTH
    cover = np.array(
        [workforce.agency_cover if r.agency_cover is None else r.agency_cover for r in roles]
    )
    covers = np.minimum(cover[None, :] * value("agency_cover_factor", 1.0)[:, None], 1.0)
    base = np.array([r.posts for r in roles], dtype=float)
    factor = value("posts_factor", 1.0) * (1.0 - cut)
    posts = np.round(base[None, :] * factor[:, None]).astype(np.int64)
    at_once = over_time is not None and over_time.cut_posts == "at_once"
    return Paths(edges_, hazard, mean_delay, covers, posts, freeze, at_once)
