"""Calendar time: the model runs in days since the scenario start and reports by month.

Phase dates are exact calendar days; durations given in months (intervals, half-lives,
hiring delays) use the average month, so that "every 3 months" means the same span
wherever it falls.
"""

from __future__ import annotations

import bisect
import calendar
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later, clamped to the month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Clock:
    """Converts between calendar dates, model days, and reporting months.

    Month ``m`` runs from ``month_start_days[m]`` to ``month_start_days[m + 1]``; month 0
    begins on the scenario start date.
    """

    start: date
    horizon_months: int

    def __post_init__(self) -> None:
        starts = [add_months(self.start, m) for m in range(self.horizon_months + 1)]
        object.__setattr__(self, "month_dates", tuple(starts))
        days = tuple(float((d - self.start).days) for d in starts)
        object.__setattr__(self, "_month_days", days)

    @cached_property
    def month_start_days(self) -> np.ndarray:
        """Day of each month's start, months 0 … horizon (the last is the horizon's end).

        A numpy array for the model; numpy loads here, not with the scenario, so that
        ``rollout validate`` and bad-input errors start without it.
        """
        import numpy as np

        return np.array(self._month_days, dtype=float)

    @property
    def end_day(self) -> float:
        """The instant the horizon ends (the start of the month after the last)."""
        return self._month_days[-1]

    def day(self, when: date) -> float:
        """Days from the scenario start to the start of ``when``."""
        return float((when - self.start).days)

    def day_after(self, when: date) -> float:
        """Days from the scenario start to the end of ``when`` (phase ends are inclusive)."""
        return self.day(when) + 1.0

    def first_month_from(self, day: float) -> int:
        """The first reporting month that starts on or after ``day``."""
        # bisect on the plain list: the same as numpy's searchsorted(side="left"), and
        # numpy stays unloaded for rollout validate (it was named here but not imported).
        return bisect.bisect_left(self._month_days, day)

    def month_of(self, day: float) -> int:
        """The reporting month containing ``day`` (may be < 0 or ≥ the horizon)."""
        return bisect.bisect_right(self._month_days, day) - 1
