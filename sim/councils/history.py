"""Turnover and vacancy length estimated from a council's own records.

**Turnover** is a constant hazard in the model (leavers per person-year), so its maximum
likelihood estimate from spells in post is

    rate = leavers / person-years at risk,

where every spell counts the time it was in post inside the window (the last
:data:`WINDOW_YEARS` years before the roster's date), whether it ended in the window (a
leaver) or not (censored: still in post, or started before the window). The count of leavers
given the exposure is Poisson, so the exact 95 % interval is the Gamma (chi-square) one,

    low = χ²(0.025; 2d) / 2T,   high = χ²(0.975; 2d + 2) / 2T,

and the standard error of the estimate is √d / T (the square root of the inverse Fisher
information, d / T²).

**Vacancy length** per role follows Little's law, as for the DfE figures: mean time a post
lacks a permanent holder = vacancies now ÷ starters a year, with starters counted from the
spells that began in the window; its standard error treats the starters as Poisson
(relative error 1 / √starters).

Roles with fewer than :data:`MIN_EVENTS` leavers (or starters) are left to a fallback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from ..scenario.clock import DAYS_PER_YEAR, add_months

WINDOW_YEARS = 5
MIN_EVENTS = 5


@dataclass(frozen=True)
class RateEstimate:
    """A rate per year from ``events`` over ``exposure_years``, with its exact interval."""

    events: int
    exposure_years: float
    rate: float
    low: float
    high: float
    se: float

    @property
    def enough(self) -> bool:
        """Whether there are enough leavers and years in post to estimate a rate."""
        return self.events >= MIN_EVENTS and self.exposure_years > 0


def poisson_rate(events: int, exposure_years: float) -> RateEstimate:
    """Maximum likelihood rate, exact (Gamma) 95 % interval and standard error."""
    from scipy.stats import chi2

    if exposure_years <= 0:
        return RateEstimate(events, exposure_years, math.nan, math.nan, math.nan, math.nan)
    rate = events / exposure_years
    low = float(chi2.ppf(0.025, 2 * events)) / (2 * exposure_years) if events else 0.0
    high = float(chi2.ppf(0.975, 2 * events + 2)) / (2 * exposure_years)
    return RateEstimate(events, exposure_years, rate, low, high, math.sqrt(events) / exposure_years)


def window_start(as_of: date, years: int = WINDOW_YEARS) -> date:
    """The first day of the window of ``years`` that ends at ``as_of``."""
    return add_months(as_of, -12 * years)


def turnover(
    spells: list[tuple[date, date | None]], as_of: date, years: int = WINDOW_YEARS
) -> RateEstimate:
    """Leavers per person-year from spells ``(started, left or None)`` in the window."""
    first = window_start(as_of, years)
    exposure = 0.0
    leavers = 0
    for started, left in spells:
        begins = max(started, first)
        ends = min(left, as_of) if left is not None else as_of
        if ends <= begins:
            continue
        exposure += (ends - begins).days / DAYS_PER_YEAR
        leavers += left is not None and first < left <= as_of
    return poisson_rate(leavers, exposure)


@dataclass(frozen=True)
class VacancyEstimate:
    """Mean months a post lacks a permanent holder: vacancies ÷ starters a year."""

    vacancies: int
    starters: int
    years: float
    months: float
    se_months: float

    @property
    def enough(self) -> bool:
        """Whether there are enough starters and vacancies to estimate a delay."""
        return self.starters >= MIN_EVENTS and self.vacancies > 0


def vacancy_months(
    starts: list[date], vacancies: int, as_of: date, years: int = WINDOW_YEARS
) -> VacancyEstimate:
    """Little's law from the starters in the window and the vacancies on ``as_of``."""
    first = window_start(as_of, years)
    span = (as_of - first).days / DAYS_PER_YEAR
    starters = sum(first < day <= as_of for day in starts)
    if starters == 0:
        return VacancyEstimate(vacancies, 0, span, math.nan, math.nan)
    months = 12.0 * vacancies / (starters / span)
    return VacancyEstimate(vacancies, starters, span, months, months / math.sqrt(starters))
