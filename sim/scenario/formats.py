"""Number formats shared by every floor: one style for shares, differences, counts, money.

Shares print as "74%" (no space), differences of shares as "+2.1 percentage points", counts
and money with thousands separators ("1,234", "£1,234"). The scenario floor needs these
(``rollout validate`` shows shares), so they live here, at the bottom of the house; the
words for each measure and key (:mod:`sim.model.vocabulary`) build on them.
"""

from __future__ import annotations

import math

DASH = "–"  # an empty value: not reached, not judged, not defined


def _finite(x: object) -> bool:
    try:
        return math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def percent(x: float, decimals: int = 0) -> str:
    """A share (0-1) as a percentage: ``0.74`` → ``"74%"``."""
    return f"{100 * x:.{decimals}f}%" if _finite(x) else DASH


def points(x: float, short: bool = False) -> str:
    """A difference of two shares in percentage points: ``0.021`` → ``"+2.1 percentage points"``.

    ``short`` gives ``"+2.1 pp"`` for narrow places (chart labels), explained nearby.
    """
    if not _finite(x):
        return DASH
    return f"{100 * x:+.1f} {'pp' if short else 'percentage points'}"


def count(x: float, signed: bool = False) -> str:
    """A count of people, days or months summed: ``1234.4`` → ``"1,234"``."""
    if not _finite(x):
        return DASH
    return f"{x:+,.0f}" if signed else f"{x:,.0f}"


def money(x: float, signed: bool = False) -> str:
    """Pounds: ``1234.4`` → ``"£1,234"``; signed: ``"+£1,234"`` / ``"-£1,234"``."""
    if not _finite(x):
        return DASH
    if round(x) == 0:
        x = 0.0  # no "-£0"
    sign = ("+" if signed else "") if x >= 0 else "-"
    return f"{sign}£{abs(x):,.0f}"


def number(x: float, signed: bool = False) -> str:
    """Any other quantity (months, rates) to one decimal."""
    if not _finite(x):
        return DASH
    return f"{x:+.1f}" if signed else f"{x:.1f}"
