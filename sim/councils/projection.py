"""A council's workforce figures projected beyond the years it published, with uncertainty.

A scenario built from a council's DfE years holds its posts and rates constant; the
figures say they move (in-post FTE grew by a median of 11 % from 2017–2020 to 2021–2025).
This module projects one council's yearly figures past its last fitted year as quantiles
per year and measure, by one of a few simple methods, so that the choice among them can be
made by a hindcast (:mod:`.projection_hindcast`) rather than by taste. It reads only the
figures (:attr:`sim.councils.figures.Council.figures`); it never runs the model.

The methods, for a measure observed as y at fitted years t (n values; m year-to-year
changes), with h the years after the last fitted year:

- ``naive``: the last value carried forward, with no spread (the reference forecast);
- ``constant``: the mean of the fitted years; spread s·√(1 + 1/n), s the sd of the values;
- ``trend``: a least-squares line; the usual prediction interval around it;
- ``drift``: the last value plus the mean yearly change times h; spread σ·√(h + h²/T),
  σ the sd of the yearly changes around that mean, T the fitted span in years;
- ``random_walk``: the last value; spread σ·√h, σ² = Σ Δy² / Σ Δt (changes have mean 0).

Each ``+national`` variant adds, in quadrature, the spread across councils of the change
over the same gap h (:class:`NationalSpread`), which a council's own four years cannot
show. Quantiles are Student-t with the method's degrees of freedom (Welch–Satterthwaite
when the national part is added; normal for the national part alone), then clipped to
the measure's bounds (rates 0–1, counts ≥ 0): a quantile of a clipped variable is the
clipped quantile, so the clipping keeps them exact and ordered.

The default, ``naive+national``, is the one whose 90 % band held about 90 % of what
councils published next (:data:`DEFAULT_METHOD`; docs/projection.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# Quantile levels a projection gives unless asked otherwise (the 90 % band and its median).
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
BASE_METHODS = ("naive", "constant", "trend", "drift", "random_walk")
NATIONAL = "+national"
METHODS = BASE_METHODS + tuple(m + NATIONAL for m in BASE_METHODS)
# Fewest fitted years each method needs to estimate its centre and its own spread.
MIN_YEARS = {"naive": 1, "constant": 2, "trend": 3, "drift": 3, "random_walk": 2}


@dataclass(frozen=True)
class Measure:
    """One projected measure: the figures' column, how it is scaled, and its kind.

    ``kind`` is ``"rate"`` (a fraction, bounded 0–1; errors and national changes in points)
    or ``"count"`` (FTE, ≥ 0; errors and national changes relative to the level).
    """

    name: str
    column: str
    kind: str
    label: str
    factor: float = 1.0  # multiplies the published figure (per cent → fraction)

    @property
    def bounds(self) -> tuple[float, float]:
        """The range the measure's values can take (rates 0 to 1; counts from 0)."""
        return (0.0, 1.0) if self.kind == "rate" else (0.0, math.inf)


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure("inpost_fte", "inpost_fte", "count", "in-post FTE"),
        Measure("vacancy_rate", "vacancy_rate_fte", "rate", "vacancy rate", 0.01),
        Measure("agency_rate", "agency_rate_fte", "rate", "agency rate", 0.01),
        Measure("turnover", "turnover_rate_fte", "rate", "turnover", 0.01),
        Measure("leavers_fte", "leavers_fte", "count", "leavers FTE"),
    )
}

# The method the hindcast supports (docs/projection.md: at least 80 % of council-years
# inside the 90 % band for vacancy rate and in-post FTE, median error no worse than naive).
DEFAULT_METHOD = "naive+national"


@dataclass(frozen=True)
class NationalSpread:
    """How far councils' figures move over a gap of h years, across councils.

    ``scale[g]`` for the gaps g seen in the fitted years is half the width of the central
    90 % of the changes over g years (all councils, all start years), divided by 1.645, so
    that a normal with that sd has the same 90 % band; changes are in points for a rate and
    relative to the starting level for a count. Longer gaps than were seen grow as
    ``scale_1 · h ** exponent``, the power law fitted (least squares on logs) to the gaps
    seen; with one gap only, as √h (a random walk).
    """

    measure: str
    scale: Mapping[int, float]
    exponent: float
    changes: int  # how many changes the scales were measured from

    def at(self, gap: int) -> float:
        """The sd of the change over ``gap`` years (points, or relative to the level)."""
        if gap in self.scale:
            return self.scale[gap]
        gaps = sorted(self.scale)
        first = gaps[0]
        return self.scale[first] * (gap / first) ** self.exponent


@dataclass(frozen=True)
class Projection:
    """One measure of one council projected: ``values[i, j]`` is quantile ``levels[j]`` in
    ``years[i]``; ``centre`` and ``sd`` are the unclipped location and scale behind them.
    """

    measure: str
    method: str
    fitted_years: tuple[int, ...]
    years: tuple[int, ...]
    levels: tuple[float, ...]
    values: np.ndarray
    centre: np.ndarray
    sd: np.ndarray

    def quantile(self, level: float) -> np.ndarray:
        """The projection's quantile ``level`` per year (one of :attr:`levels`)."""
        try:
            j = self.levels.index(level)
        except ValueError:
            raise ValueError(
                f"{self.measure}: quantile {level} not projected; have {list(self.levels)}"
            ) from None
        return self.values[:, j]

    def rows(self) -> list[dict]:
        """Tidy records: one per year and quantile level."""
        return [
            {
                "measure": self.measure,
                "method": self.method,
                "year": year,
                "quantile": level,
                "value": float(self.values[i, j]),
            }
            for i, year in enumerate(self.years)
            for j, level in enumerate(self.levels)
        ]


# --------------------------------------------------------------------------- history


def series(
    history: Mapping[int, Mapping[str, float | None]], measure: str, years: Iterable[int]
) -> tuple[np.ndarray, np.ndarray]:
    """The published values of ``measure`` in ``years`` (suppressed years left out), scaled.

    Raises
    ------
    ValueError
        When the measure is unknown, or no fitted year has its column at all.
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; expected one of {', '.join(MEASURES)}")
    m = MEASURES[measure]
    years = sorted(years)
    if not any(m.column in history.get(y, {}) for y in years):
        raise ValueError(
            f"{measure}: the history has no {m.column!r} figure in {years[0]}-{years[-1]}"
            if years
            else f"{measure}: no fitted years given"
        )
    t, y = [], []
    for year in years:
        value = history.get(year, {}).get(m.column)
        if value is not None and math.isfinite(value):
            t.append(year)
            y.append(value * m.factor)
    return np.array(t, dtype=float), np.array(y, dtype=float)


# --------------------------------------------------------------------------- methods


def _own(method: str, t: np.ndarray, y: np.ndarray, h: np.ndarray):
    """Centre, own sd and degrees of freedom of a base method at gaps ``h`` (years)."""
    n = len(y)
    last = y[-1]
    zeros = np.zeros_like(h, dtype=float)
    if method == "naive":
        return np.full_like(h, last, dtype=float), zeros, math.inf
    if method == "constant":
        s = float(np.std(y, ddof=1))
        return np.full_like(h, y.mean(), dtype=float), zeros + s * math.sqrt(1 + 1 / n), n - 1
    if method == "trend":
        tbar = t.mean()
        sxx = float(((t - tbar) ** 2).sum())
        slope = float(((t - tbar) * (y - y.mean())).sum()) / sxx
        fitted = y.mean() + slope * (t - tbar)
        s = math.sqrt(float(((y - fitted) ** 2).sum()) / (n - 2))
        at = t[-1] + h
        centre = y.mean() + slope * (at - tbar)
        return centre, s * np.sqrt(1 + 1 / n + (at - tbar) ** 2 / sxx), n - 2
    dt, dy = np.diff(t), np.diff(y)
    if method == "drift":
        span = t[-1] - t[0]
        mu = (last - y[0]) / span
        # Changes over dt years have variance σ²·dt around mu·dt.
        s2 = float((((dy - mu * dt) ** 2) / dt).sum()) / (len(dy) - 1)
        sd = np.sqrt(s2 * (h + h**2 / span))
        return last + mu * h, sd, len(dy) - 1
    if method == "random_walk":
        s2 = float((dy**2).sum() / dt.sum())
        return np.full_like(h, last, dtype=float), np.sqrt(s2 * h), len(dy)
    raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")


def project(
    history: Mapping[int, Mapping[str, float | None]],
    measure: str,
    fitted_years: Sequence[int],
    years: Sequence[int],
    method: str = DEFAULT_METHOD,
    national: NationalSpread | None = None,
    levels: Sequence[float] = QUANTILES,
) -> Projection:
    """Project one measure of one council over ``years`` from its ``fitted_years``.

    Parameters
    ----------
    history
        ``{year: {column: value or None}}`` as :attr:`~sim.councils.figures.Council.figures`.
    measure
        A name in :data:`MEASURES`.
    fitted_years, years
        The years fitted, and the later years projected (each after the last fitted one).
    method
        One of :data:`METHODS`; a ``+national`` method needs ``national``.
    national
        The spread across councils for this measure (:func:`national_spread`).
    levels
        Quantile levels, each strictly between 0 and 1.

    Raises
    ------
    ValueError
        One line naming the measure and what was expected: an unknown method or measure, too
        few published fitted years, a projected year not after them, a national method
        without its spread, or a level outside (0, 1).
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    base = method.removesuffix(NATIONAL)
    widened = method.endswith(NATIONAL)
    t, y = series(history, measure, fitted_years)
    need = MIN_YEARS[base]
    if len(y) < need:
        raise ValueError(
            f"{measure}: {method} needs at least {need} published fitted years, got {len(y)}"
            f" ({', '.join(str(int(v)) for v in t) or 'none'})"
        )
    years = tuple(int(v) for v in years)
    if not years or min(years) <= t[-1]:
        raise ValueError(
            f"{measure}: projected years must come after the last fitted year ({int(t[-1])}),"
            f" got {list(years)}"
        )
    if widened and (national is None or national.measure != measure):
        raise ValueError(f"{measure}: {method} needs the national spread of {measure}")
    bad = [level for level in levels if not 0 < level < 1]
    if bad or not levels:
        raise ValueError(f"{measure}: quantile levels must lie strictly between 0 and 1, got {bad}")
    levels = tuple(sorted(float(level) for level in levels))

    from scipy.stats import norm
    from scipy.stats import t as student

    h = np.array(years, dtype=float) - t[-1]
    centre, sd, df = _own(base, t, y, h)
    var = sd**2
    if widened:
        m = MEASURES[measure]
        level = np.maximum(centre, 0.0) if m.kind == "count" else 1.0
        var_national = (np.array([national.at(int(g)) for g in h]) * level) ** 2
        # Welch–Satterthwaite: the national part is measured on many councils (df → ∞),
        # so df_own · (1 + national / own)²; infinite (normal) when the own part is 0.
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            df = np.where(var > 0, df * ((var + var_national) / var) ** 2, np.inf)
        var = var + var_national
        sd = np.sqrt(var)
    z = np.array([[norm.ppf(q)] for q in levels]).T  # (1, levels)
    df = np.broadcast_to(np.asarray(df, dtype=float), h.shape)
    factor = np.where(
        np.isinf(df)[:, None],
        z,
        student.ppf(np.array(levels)[None, :], np.minimum(df, 1e12)[:, None]),
    )
    low, high = MEASURES[measure].bounds
    values = np.clip(centre[:, None] + factor * sd[:, None], low, high)
    return Projection(measure, method, tuple(int(v) for v in t), years, levels, values, centre, sd)


# --------------------------------------------------------------------------- national


def national_spread(
    panel: Mapping[str, Mapping[int, Mapping[str, float | None]]],
    measure: str,
    years: Sequence[int],
) -> NationalSpread:
    """The spread across councils of the change in ``measure`` over each gap in ``years``.

    Only the given years are read, so a hindcast fitted on 2017–2020 learns nothing of
    2021–2025. Counts change relative to their starting level (start levels of 0 are
    skipped); rates change in points.

    Raises
    ------
    ValueError
        When fewer than two years are given, or no council has the measure in two of them.
    """
    years = sorted(int(v) for v in years)
    if len(years) < 2:
        raise ValueError(f"{measure}: the national spread needs at least two years, got {years}")
    kind = MEASURES[measure].kind if measure in MEASURES else None
    by_gap: dict[int, list[float]] = {}
    for history in panel.values():
        try:
            t, y = series(history, measure, years)
        except ValueError:
            continue
        for i in range(len(t)):
            for j in range(i + 1, len(t)):
                if kind == "count":
                    if y[i] <= 0:
                        continue
                    change = (y[j] - y[i]) / y[i]
                else:
                    change = y[j] - y[i]
                by_gap.setdefault(int(t[j] - t[i]), []).append(change)
    if kind is None or not by_gap:
        raise ValueError(f"{measure}: no council has this measure in two of {years}")
    scale = {}
    for gap, changes in sorted(by_gap.items()):
        q05, q95 = np.quantile(changes, [0.05, 0.95])
        scale[gap] = float(q95 - q05) / (2 * 1.6448536269514722)
    gaps = np.array(sorted(scale), dtype=float)
    sizes = np.array([scale[int(g)] for g in gaps])
    if len(gaps) >= 2 and (sizes > 0).all():
        exponent = float(np.polyfit(np.log(gaps), np.log(sizes), 1)[0])
    else:
        exponent = 0.5
    return NationalSpread(measure, scale, exponent, sum(len(c) for c in by_gap.values()))


def project_council(
    history: Mapping[int, Mapping[str, float | None]],
    fitted_years: Sequence[int],
    years: Sequence[int],
    national: Mapping[str, NationalSpread] | None = None,
    method: str = DEFAULT_METHOD,
    measures: Iterable[str] = tuple(MEASURES),
    levels: Sequence[float] = QUANTILES,
) -> dict[str, Projection]:
    """Every measure of one council projected by one method (see :func:`project`)."""
    national = national or {}
    return {
        m: project(history, m, fitted_years, years, method, national.get(m), levels)
        for m in measures
    }
