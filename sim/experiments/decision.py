"""Decisions under uncertainty: which strategy is best, net benefit, acceptability, and what
knowing an assumption better would be worth.

All of these read the per-replication table of a comparison (one row per strategy and
replication, the drawn value of every uncertain key in its own column). Replication ``r`` of
every strategy shares its staff flows and its draw of the assumptions, so strategies are
compared future by future.

- :func:`probability_best`: the share of futures in which each strategy is best on a
  measure (ties shared).
- Net benefit, in pounds: ``V`` × practising person-months − total cost, for a value ``V`` a
  commissioner puts on one person practising for a month (:func:`net_benefit`). The
  acceptability curve (:func:`acceptability`) is the probability that each strategy has the
  highest net benefit, over a range of ``V``.
- The expected value of perfect information about the assumptions, and of partial perfect
  information about each one (EVPPI), by the regression method of Strong, Oakley & Brennan
  (2014, Medical Decision Making 34:311): regress each strategy's incremental net benefit on
  the assumption's drawn values, then compare choosing with the fitted value known against
  choosing now (:func:`evppi`). A strategy's own noise (who leaves when) is averaged out by
  the regression, so it does not pass for the value of information.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..model.measures import direction, is_strategy_relative
from .intervals import mean_interval
from .tables import measures_of

NET_BENEFIT = "net_benefit"
NOISE_FLOOR = "(no effect: noise floor)"


def _by_strategy(summary: pd.DataFrame, strategies: Sequence[str], column: str) -> np.ndarray:
    """A column as a (replications × strategies) array, replications aligned."""
    table = summary.pivot(index="rep", columns="strategy", values=column)
    return table[list(strategies)].to_numpy(dtype=float)


def best_shares(values: np.ndarray, sign: int) -> np.ndarray:
    """The share of rows (futures) in which each column is best; ties are shared equally.

    An empty value (never reached, not judged) is never best.
    """
    scored = values * sign
    scored = np.where(np.isfinite(scored), scored, -np.inf)
    top = scored.max(axis=1, keepdims=True)
    winners = (scored == top) & np.isfinite(top)
    counts = winners.sum(axis=1, keepdims=True)
    shares = np.divide(winners, counts, out=np.zeros_like(scored), where=counts > 0)
    return shares.mean(axis=0)


def probability_best(summary: pd.DataFrame, strategies: Sequence[str]) -> pd.DataFrame:
    """For each measure with a better direction: the share of futures each strategy is best.

    Measures judged at each strategy's own dates get none: they are no verdict on a strategy.
    """
    rows = []
    for measure in measures_of(summary):
        sign = direction(measure)
        if sign == 0 or is_strategy_relative(measure):
            continue
        shares = best_shares(_by_strategy(summary, strategies, measure), sign)
        for name, share in zip(strategies, shares, strict=True):
            rows.append({"strategy": name, "measure": measure, "probability_best": share})
    return pd.DataFrame(rows, columns=["strategy", "measure", "probability_best"])


def net_benefit(summary: pd.DataFrame, value: float) -> pd.Series:
    """Per row: ``value`` × practising person-months − total cost (GBP)."""
    return value * summary["practising_person_months"] - summary["total_cost"]


def net_benefit_table(
    summary: pd.DataFrame, strategies: Sequence[str], value: float
) -> pd.DataFrame:
    """Each strategy's mean net benefit with its interval, its paired difference from the
    first strategy, and the probability that it has the highest net benefit.
    """
    with_nb = summary.assign(**{NET_BENEFIT: net_benefit(summary, value)})
    values = _by_strategy(with_nb, strategies, NET_BENEFIT)
    best = best_shares(values, +1)
    rows = []
    for i, name in enumerate(strategies):
        own = mean_interval(values[:, i])
        diff = mean_interval(values[:, i] - values[:, 0])
        rows.append(
            {
                "strategy": name,
                "value_per_practising_month": value,
                "mean": own.mean,
                "ci_low": own.low,
                "ci_high": own.high,
                "n": own.n,
                "p5": float(np.percentile(values[:, i], 5)),
                "p95": float(np.percentile(values[:, i], 95)),
                "difference_from_first": diff.mean,
                "difference_ci_low": diff.low,
                "difference_ci_high": diff.high,
                "probability_highest": best[i],
            }
        )
    return pd.DataFrame(rows)


def acceptability(
    summary: pd.DataFrame, strategies: Sequence[str], values: Sequence[float]
) -> pd.DataFrame:
    """The acceptability curve: for each value per practising month, the probability that
    each strategy has the highest net benefit (the shares over futures; ties shared).
    """
    months = _by_strategy(summary, strategies, "practising_person_months")
    cost = _by_strategy(summary, strategies, "total_cost")
    rows = []
    for v in values:
        shares = best_shares(v * months - cost, +1)
        rows += [
            {"value_per_practising_month": float(v), "strategy": name, "probability": share}
            for name, share in zip(strategies, shares, strict=True)
        ]
    return pd.DataFrame(rows)


def acceptability_values(value: float, points: int = 41) -> np.ndarray:
    """The values per practising month the curve is drawn over: 0 to 4 × ``value``."""
    return np.linspace(0.0, 4.0 * value, points)


# --------------------------------------------------------------------------- value of information


def knots_for(futures: int) -> int:
    """Inner knots of the spline: fewer futures, a stiffer curve (less overfitting)."""
    return 0 if futures < 200 else 1 if futures < 1000 else 3


def spline_basis(x: np.ndarray, knots: int | None = None) -> np.ndarray:
    """A cubic regression-spline basis of ``x`` (intercept excluded): x, x², x³ and truncated
    cubics at ``knots`` inner quantiles (default :func:`knots_for` the number of values), on
    a standardised scale so the fit is stable.
    """
    x = np.asarray(x, dtype=float)
    knots = knots_for(len(x)) if knots is None else knots
    spread = x.std()
    z = (x - x.mean()) / spread if spread > 0 else np.zeros_like(x)
    columns = [z, z**2, z**3]
    if spread > 0:
        for q in np.linspace(0, 1, knots + 2)[1:-1]:
            k = np.quantile(z, q)
            columns.append(np.clip(z - k, 0, None) ** 3)
    return np.column_stack(columns)


def fitted(y: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """Least-squares fit of ``y`` on an intercept and ``basis``: the fitted values."""
    design = np.column_stack([np.ones(len(y)), basis])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return design @ coef


def value_of_information(incremental: np.ndarray, basis: np.ndarray) -> float:
    """EVPPI by regression: ``incremental`` is (futures × strategies) net benefit minus the
    first strategy's, ``basis`` the regressors of the assumption(s) learnt.

    E[max_s g_s(θ)] − max_s E[g_s(θ)], with g_s fitted; the first strategy's g is 0.
    """
    fits = np.column_stack(
        [np.zeros(len(incremental))]
        + [fitted(incremental[:, s], basis) for s in range(1, incremental.shape[1])]
    )
    return float(fits.max(axis=1).mean() - fits.mean(axis=0).max())


def evppi(
    summary: pd.DataFrame, strategies: Sequence[str], value: float, keys: Sequence[str]
) -> pd.DataFrame:
    """The expected value of perfect information about all the uncertain assumptions
    together (first row), and of partial perfect information about each, in GBP per decision.

    Together: an additive spline model in every assumption. Each alone: a spline in it.
    Requires the drawn values (one column per key) in ``summary``. The last row is the noise
    floor: the same estimate for a made-up assumption that changes nothing (uniform numbers
    drawn here), which is what the regression finds in the model's own noise; an estimate
    not clearly above it is not evidence of value.
    """
    with_nb = summary.assign(**{NET_BENEFIT: net_benefit(summary, value)})
    nb = _by_strategy(with_nb, strategies, NET_BENEFIT)
    incremental = nb - nb[:, [0]]
    first = with_nb[with_nb["strategy"] == strategies[0]].set_index("rep").sort_index()
    draws = {key: first[key].to_numpy(dtype=float) for key in keys}
    rows = []
    if keys:
        together = np.column_stack([spline_basis(draws[k]) for k in keys])
        rows.append(
            {
                "parameter": "(all uncertain assumptions)",
                "evppi": value_of_information(incremental, together),
            }
        )
    for key in keys:
        rows.append(
            {"parameter": key, "evppi": value_of_information(incremental, spline_basis(draws[key]))}
        )
    unrelated = np.random.default_rng(20141).random(len(incremental))
    rows.append(
        {
            "parameter": NOISE_FLOOR,
            "evppi": value_of_information(incremental, spline_basis(unrelated)),
        }
    )
    table = pd.DataFrame(rows, columns=["parameter", "evppi"])
    table.insert(1, "value_per_practising_month", value)
    table["futures"] = len(incremental)
    return table
