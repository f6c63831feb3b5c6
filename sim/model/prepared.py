"""What a scenario fixes before anything random happens, built once per scenario.

Every replication of a scenario runs on the same clock (the month boundaries), the same
phase calendar and the same establishment (posts, their roles and teams). They depend on
the scenario alone, so they are built once and shared by all its replications rather than
rebuilt at the start of each one, which cost about a tenth of a Camden replication.

They are cached on the scenario *object*: a :class:`~sim.scenario.schema.Scenario` is
immutable (variants are validated copies), so the same object always prepares to the
same thing. The cache holds the scenario it was built for, so an object's ``id`` cannot
be reused by another scenario while its entry lives. A batch of replications run in a
worker process shares one unpickled scenario object, and so one preparation.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from ..scenario.clock import Clock
from ..scenario.phase_calendar import PhaseCalendar
from ..scenario.schema import Scenario
from .workforce import Establishment, build_establishment

# Scenarios kept prepared at once: a sweep's worker runs one grid point per batch, a
# comparison a few strategies, so a handful is plenty.
CACHE_SIZE = 8


@dataclass(frozen=True)
class PreparedScenario:
    """The scenario's clock, calendar and establishment, shared read-only by replications."""

    scenario: Scenario
    clock: Clock
    calendar: PhaseCalendar
    establishment: Establishment
    role_day_cost: np.ndarray  # staff day cost of each role, in the establishment's order
    group_roles: dict[str, np.ndarray]  # each provider group: whether each role belongs


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
    return PreparedScenario(
        scenario, clock, PhaseCalendar(scenario, clock), establishment, role_day_cost, group_roles
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
