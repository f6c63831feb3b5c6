"""Building blocks of the scenario schema: frozen tables, the value types they share, and
the one rule every value obeys.

The rule (documented in docs/scenario-reference.md, "Limits"): every number is finite and
at most ``MAX_MAGNITUDE`` in size, every text at most ``MAX_TEXT`` characters, every
date within the years ``MIN_YEAR`` to ``MAX_YEAR``, every array at most ``MAX_ITEMS``
long (the figures are in :mod:`sim.scenario.limits`); keys whose size sets a run's memory
or time (posts, cohorts, sessions, phases, horizon) have tighter bounds of their own.
Types are strict when a file is read (:func:`sim.scenario.schema.validate` with
``strict=True``): no text for a number, no true/false for a count, no number for
true/false, a date without a time of day. Every table inherits the rule from
:class:`_Frozen`, so a key added later obeys it too.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .limits import (
    MAX_ITEMS,
    MAX_MAGNITUDE,
    MAX_MONTHS,
    MAX_NAME,
    MAX_TEXT,
    MAX_YEAR,
    MIN_YEAR,
)


class FrozenDict(dict):
    """A dict that refuses changes, so a validated scenario stays exactly as validated."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("a scenario cannot be changed; make a copy with Scenario.with_changes")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __reduce__(self):  # pickle (for worker processes) and deepcopy without __setitem__
        return (FrozenDict, (dict(self),))


# Shorter than this (under a third of a day), a vacancy is no vacancy: initial vacancies
# need at least this delay to exist at all.
MIN_HIRING_DELAY_MONTHS = 0.01

# An upper bound that keeps a run's work bounded rather than one of meaning (a share's 1):
# a distribution in [uncertainty] may have an open upper tail on such a key, as long as no
# replication can draw beyond the bound (sim.scenario.uncertainty.highest_draw).
CAP = type("Cap", (), {"__repr__": lambda self: "CAP"})()

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Months = Annotated[float, Field(ge=0.0, le=MAX_MONTHS), CAP]
Name = Annotated[str, Field(max_length=MAX_NAME)]


def capped(high: float) -> Any:
    """A non-negative number at most ``high``, a bound on work (see :data:`CAP`)."""
    return Annotated[float, Field(ge=0.0, le=high), CAP]


def count(high: int, low: int = 0) -> Any:
    """A whole number from ``low`` to ``high``, a bound on work (see :data:`CAP`)."""
    return Annotated[int, Field(ge=low, le=high), CAP]


def is_date(value: Any) -> bool:
    """Whether ``value`` is a calendar date (a datetime, with its time of day, is not)."""
    return isinstance(value, date) and not isinstance(value, datetime)


def limit_problem(value: Any) -> str | None:
    """Why a validated value breaks the rule every value obeys, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return "must be a finite number"
        if abs(value) > MAX_MAGNITUDE:
            return f"must be at most {MAX_MAGNITUDE:.0e} in size, got {value:.3g}"
    elif isinstance(value, str):
        if len(value) > MAX_TEXT:
            return f"must be at most {MAX_TEXT:,} characters, got {len(value):,}"
    elif isinstance(value, date):
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            return f"must be a date from {MIN_YEAR} to {MAX_YEAR}, got {value.isoformat()}"
    elif isinstance(value, dict):
        long = next((key for key in value if isinstance(key, str) and len(key) > MAX_NAME), None)
        if long is not None:
            return f"a name may be at most {MAX_NAME} characters, got one of {len(long):,}"
    elif isinstance(value, tuple | list):
        if len(value) > MAX_ITEMS:
            return f"must have at most {MAX_ITEMS:,} items, got {len(value):,}"
        for item in value:
            problem = limit_problem(item)
            if problem:
                return problem
    return None


class _Frozen(BaseModel):
    """Base for every scenario table: unknown keys are errors, values cannot change, and
    every value obeys the limits above.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="after", check_fields=False)
    @classmethod
    def _within_limits(cls, value: Any) -> Any:
        problem = limit_problem(value)
        if problem:
            raise ValueError(problem)
        return value
