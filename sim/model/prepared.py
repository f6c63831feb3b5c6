"""What a scenario fixes before anything random happens, built once per scenario.

Every replication of a scenario runs on the same clock (the month boundaries), the same
phase calendar and the same establishment (posts, their roles and teams), and draws its
uncertain assumptions from the same distributions. They depend on the scenario alone, so
they are built once and shared by all its replications rather than rebuilt at the start of
each one (the clock, calendar and posts cost about a tenth of a Camden replication; scipy's
frozen distributions a millisecond each).

They are cached on the scenario *object*: a :class:`~sim.scenario.schema.Scenario` is
immutable (variants are validated copies), so the same object always prepares to the
same thing. The cache holds the scenario it was built for, so an object's ``id`` cannot
be reused by another scenario while its entry lives. A batch of replications run in a
worker process shares one unpickled scenario object, and so one preparation.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..scenario.clock import Clock
from ..scenario.phase_calendar import PhaseCalendar
from ..scenario.schema import Scenario
from ..scenario.uncertainty import leaf_field, number_kind
from .workforce import Establishment, build_establishment

# The keys a preparation is made from: the clock (scenario.start, horizon_months), the
# calendar (the phases), the posts, teams and day costs (workforce), the provider groups'
# roles. A replication whose drawn assumptions touch none of these shares the preparation
# of the scenario it was drawn from.
PREPARED_FROM = ("scenario.", "workforce.", "programme.phases", "programme.groups")
# Workforce keys the preparation does not read (the staffing plan reads them afresh in every
# replication): drawing them keeps the preparation.
_NOT_PREPARED = re.compile(
    r"workforce\.(turnover_factor|hiring_delay_factor|agency_cover"
    r"|roles\.[^.]+\.(turnover|hiring_delay_months|agency_cover))"
)

# Scenarios kept prepared at once: a sweep's worker runs one grid point per batch, a
# comparison a few strategies, so a handful is plenty.
CACHE_SIZE = 8


# Quantiles at which the quick inverse CDF is checked against scipy's before it is used.
_CHECKED_AT = (1e-9, 0.025, 0.3, 0.5, 0.77, 0.975, 1 - 1e-9)


class Quantiles:
    """A scipy distribution's inverse CDF, without scipy's per-call overhead.

    For 0 < u < 1 scipy's ``ppf`` is ``dist._ppf(u, *shapes) * scale + loc`` after checks
    of its arguments (about 70 µs a call, ten keys a replication). That expression is
    used directly (about 2 µs), the same operations giving the same bits; the checks are
    made once: the distribution's parameters must be valid, and the expression must give
    scipy's answers at a few quantiles. Otherwise (another scipy that changed these
    private names, u at 0 or 1) scipy's ``ppf`` is called as before.
    """

    def __init__(self, frozen: Any):
        self.frozen = frozen
        self._quick = None
        try:
            dist = frozen.dist
            shapes, loc, scale = dist._parse_args(*frozen.args, **frozen.kwds)
            shapes = tuple(np.asarray(a) for a in shapes)
            valid = bool(np.all(dist._argcheck(*shapes))) and scale > 0

            def quick(u: float) -> float:
                return float(dist._ppf(np.asarray(u), *shapes) * scale + loc)

            if valid and all(quick(u) == float(frozen.ppf(u)) for u in _CHECKED_AT):
                self._quick = quick
        except Exception:  # any surprise: scipy's own ppf, as before
            self._quick = None

    def __call__(self, u: float) -> float:
        """The distribution's quantile at ``u`` (a fast path where one exists)."""
        if self._quick is not None and 0.0 < u < 1.0:
            return self._quick(u)
        return float(self.frozen.ppf(u))


# Inverse CDFs by family and parameters: the grid points of a sweep, the strategies of a
# comparison and every batch a worker receives (each a scenario of its own, unpickled)
# share their [uncertainty] tables, and so their distributions.
_quantiles: dict[tuple, Quantiles] = {}


def quantiles(distribution: Any) -> Quantiles:
    """The inverse CDF of an [uncertainty] entry, made once per family and parameters."""
    d = distribution
    key = (d.distribution, d.mean, d.sd, d.low, d.mode, d.high)
    found = _quantiles.get(key)
    if found is None:
        found = _quantiles[key] = Quantiles(d.frozen())
        if len(_quantiles) > 10_000:  # a bound no real run reaches
            _quantiles.clear()
            _quantiles[key] = found
    return found


@dataclass(frozen=True)
class PreparedScenario:
    """The scenario's clock, calendar and establishment, shared read-only by replications."""

    scenario: Scenario
    clock: Clock
    calendar: PhaseCalendar
    establishment: Establishment
    role_day_cost: np.ndarray  # staff day cost of each role, in the establishment's order
    group_roles: dict[str, np.ndarray]  # each provider group: whether each role belongs
    # The [uncertainty] table: each key, its inverse CDF, and whether it is a whole number;
    # and whether this preparation holds for every draw of those keys.
    uncertain: tuple[tuple[str, Quantiles, bool], ...]
    serves_draws: bool


def _read_only(*arrays: np.ndarray) -> None:
    # Shared by every replication of the scenario: a write would leak into the others.
    for array in arrays:
        array.flags.writeable = False


def _build(scenario: Scenario) -> PreparedScenario:
    clock = Clock(scenario.scenario.start, scenario.scenario.horizon_months)
    establishment = build_establishment(scenario.workforce)
    role_day_cost = np.array([r.day_cost for r in scenario.workforce.roles.values()])
    names = establishment.role_names
    group_roles = {
        name: np.isin(np.arange(len(names)), [names.index(r) for r in group.roles])
        for name, group in scenario.programme.groups.items()
    }
    _read_only(
        clock.month_start_days,
        establishment.post_role,
        establishment.post_team,
        establishment.team_supervisor_post,
        role_day_cost,
        *group_roles.values(),
    )
    uncertain = tuple(
        (key, quantiles(distribution), number_kind(leaf_field(key, Scenario)) == "int")
        for key, distribution in scenario.uncertainty.items()
    )
    serves_draws = not any(
        key.startswith(PREPARED_FROM) and not _NOT_PREPARED.fullmatch(key)
        for key in scenario.uncertainty
    )
    return PreparedScenario(
        scenario,
        clock,
        PhaseCalendar(scenario, clock),
        establishment,
        role_day_cost,
        group_roles,
        uncertain,
        serves_draws,
    )


_cache: OrderedDict[int, PreparedScenario] = OrderedDict()


def prepare(scenario: Scenario) -> PreparedScenario:
    """The scenario's :class:`PreparedScenario`, built on first use and then reused."""
    key = id(scenario)
    prepared = _cache.get(key)
    if prepared is not None and prepared.scenario is scenario:
        _cache.move_to_end(key)
        return prepared
    prepared = _build(scenario)
    _cache[key] = prepared
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return prepared
