"""Building blocks of the scenario schema: frozen tables and the value types they share."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


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

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]


class _Frozen(BaseModel):
    """Base for every scenario table: unknown keys are errors, values cannot change."""

    model_config = ConfigDict(extra="forbid", frozen=True)
