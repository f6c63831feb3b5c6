"""What every seed fact shares: the bundled scenarios as shipped, their traced runs, the
months counted with :mod:`datetime`, and :class:`SeedFact`, a case written down as data.

A seed fact's words (title, mechanism, derivation, rule, checks) are data; what it reads
from the scenario, and the runs it counts, are functions called only when the case is
built or run. Importing a seed module therefore loads no scenario and runs nothing: the
cases are built on first use (:func:`sim.validation.seeds.cases`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from ..model.replication import Replication, ReplicationResult
from ..scenario.clock import add_months
from ..scenario.loading import load_scenario, resolve_scenario
from ..scenario.schema import Scenario
from .core import Case, Check

CAMDEN_REPS = 40  # traced replications of Camden (each well under a second)
HAVERING_REPS = 20  # traced replications of Havering (nine years, about 0.3 s each)


@functools.cache
def bundled(name: str) -> Scenario:
    """A bundled scenario exactly as shipped."""
    return load_scenario(resolve_scenario(name))


@functools.cache
def traced(name: str, reps: int, seed: int) -> tuple[tuple[Replication, ReplicationResult], ...]:
    """Traced replications 0..reps-1 of a bundled scenario (shared by its cases)."""
    runs = []
    for r in range(reps):
        replication = Replication(bundled(name), seed, r, trace=True)
        runs.append((replication, replication.run()))
    return tuple(runs)


def certain(scenario: Scenario, *prefixes: str) -> Scenario:
    """The scenario, after checking that no key under ``prefixes`` is drawn per replication:
    the expected values of these cases are computed from those keys' point values.
    """
    drawn = [
        key
        for key in scenario.uncertainty
        if any(key == prefix or key.startswith(prefix + ".") for prefix in prefixes)
    ]
    if drawn:
        raise ValueError(f"{scenario.name}: seed facts rest on keys now uncertain: {drawn}")
    return scenario


def month_number(start: date, when: date) -> int:
    """Calendar months from the month of ``start`` to the month of ``when``."""
    return (when.year - start.year) * 12 + when.month - start.month


def month_of_day(start: date, day: float) -> int:
    """The month (0 = the start month) holding model day ``day``."""
    return month_number(start, start + timedelta(days=math.floor(day)))


def month_start(start: date, month: int) -> float:
    """Model day on which month ``month`` begins."""
    return float((add_months(start, month) - start).days)


def first_month_from(start: date, when: date) -> int:
    """The first month that begins on or after ``when``."""
    month = month_number(start, when)
    return month if add_months(start, month) >= when else month + 1


Simulate = Callable[[int, int], dict[str, np.ndarray]]


@dataclass(frozen=True)
class SeedFact:
    """A seed fact as data, turned into a :class:`~sim.validation.core.Case` by :meth:`case`.

    Parameters
    ----------
    name, title, source, mechanism, rule
        As in :class:`~sim.validation.core.Case` (the kind is always ``seed fact``).
    scenario
        The bundled scenario the fact is checked on, as shipped.
    certain
        Key prefixes whose point values the expected values rest on: building the case
        refuses a scenario that draws one of them per replication.
    derivation, checks
        The text and the checks, or functions of the shipped scenario giving them, for a
        fact whose expected values are read from the scenario.
    simulate, reps
        ``simulate(reps, seed)``: one value per replication for each check's label.
    """

    name: str
    title: str
    scenario: str
    source: str
    mechanism: str
    derivation: str | Callable[[Scenario], str]
    rule: str
    checks: tuple[Check, ...] | Callable[[Scenario], tuple[Check, ...]]
    simulate: Simulate
    reps: int
    certain: tuple[str, ...] = ()

    def case(self) -> Case:
        """The case, with the scenario-dependent parts read from the shipped scenario."""
        shipped = certain(bundled(self.scenario), *self.certain)
        derivation = self.derivation(shipped) if callable(self.derivation) else self.derivation
        checks = self.checks(shipped) if callable(self.checks) else self.checks
        return Case(
            name=self.name,
            title=self.title,
            kind="seed fact",
            source=self.source,
            mechanism=self.mechanism,
            derivation=derivation,
            rule=self.rule,
            checks=tuple(checks),
            simulate=self.simulate,
            reps=self.reps,
        )
