"""Summaries across replications: intervals, percentile bands, paired differences.

These functions read tidy tables (one row per replication) and never run the model. They
answer the questions an experiment is for: how large is a measure (mean and 95 % interval),
how widely do the futures spread (percentile bands), and, between strategies run on the
same seeds, how large is the difference and how often does one strategy beat the other.

Which way is "better" for each measure is decided once, in
:func:`sim.model.measures.direction`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..model.measures import BOOLEAN_SUMMARY, direction, is_measure, is_strategy_relative
from .intervals import mean_interval, proportion_interval

PERCENTILES = (5, 25, 50, 75, 95)
BAND_MEASURES = ("coverage", "practising_share")


def measures_of(summary: pd.DataFrame) -> list[str]:
    """The per-replication measure columns of a summary table, in its order."""
    return [c for c in summary.columns if is_measure(c)]


def is_yes_no(measure: str) -> bool:
    """Whether a measure is true or false in each replication (its mean is a share)."""
    return measure in BOOLEAN_SUMMARY


def as_float(column: pd.Series) -> np.ndarray:
    """A measure as floats: booleans as 0/1, missing (never reached, not judged) as NaN."""
    return pd.to_numeric(column.astype("Float64"), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )


def futures_range(values: np.ndarray) -> tuple[float, float]:
    """The 5th and 95th percentiles of the finite values: where 9 futures in 10 fall.

    This is the spread of the futures themselves, which does not shrink as futures are
    added; the confidence interval of the mean does. NaN when no value is known.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return (np.nan, np.nan)
    low, high = np.percentile(x, (5, 95))
    return (float(low), float(high))


def interval_row(values: np.ndarray, proportion: bool = False) -> dict[str, float]:
    """Mean, sd, 95 % interval of the mean, n, and the range of futures, as table columns.

    The interval is t-based: one value has none (NaN), values without spread one of width
    zero. For a yes/no measure (``proportion``) it is the Wilson score interval of the share.
    ``n_missing`` counts replications where the measure is empty (e.g. 80 % never reached).
    ``p5`` and ``p95`` are the 5th and 95th percentiles of the values themselves (the range
    of futures, :func:`futures_range`): the interval says how well the mean is known, the
    range how far the futures spread.
    """
    i = proportion_interval(values) if proportion else mean_interval(values)
    p5, p95 = futures_range(values)
    return {
        "mean": i.mean,
        "sd": i.sd,
        "ci_low": i.low,
        "ci_high": i.high,
        "n": i.n,
        "n_missing": int(np.count_nonzero(~np.isfinite(values))),
        "p5": p5,
        "p95": p95,
    }


def summary_stats(summary: pd.DataFrame) -> pd.DataFrame:
    """One row per measure: mean, sd, 95 % interval, n (finite values), n_missing, and the
    range of futures (p5, p95).
    """
    rows = [
        {"measure": m, **interval_row(as_float(summary[m]), is_yes_no(m))}
        for m in measures_of(summary)
    ]
    return pd.DataFrame(rows)


def percentile_bands(values: np.ndarray) -> np.ndarray:
    """Percentiles (:data:`PERCENTILES`) across replications: reps × months → 5 × months."""
    return np.percentile(values, PERCENTILES, axis=0)


def bands_table(
    arrays: dict[str, np.ndarray], dates: Sequence[str], extra: dict[str, object] | None = None
) -> pd.DataFrame:
    """Tidy monthly bands: one row per (measure, month) with p5, p25, p50, p75, p95.

    ``arrays`` maps a monthly measure to its reps × months values.
    """
    frames = []
    for name, values in arrays.items():
        pct = percentile_bands(values)
        frame = pd.DataFrame({"measure": name, "month": np.arange(values.shape[1]), "date": dates})
        for p, row in zip(PERCENTILES, pct, strict=True):
            frame[f"p{p}"] = row
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    for key, value in (extra or {}).items():
        table.insert(0, key, value)
    return table


# --------------------------------------------------------------------------- comparisons


def welch_interval(a: np.ndarray, b: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """The unpaired (Welch) 95 % interval of mean(b) - mean(a): what ignoring pairing gives."""
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if len(a) < 2 or len(b) < 2:
        return (np.nan, np.nan)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = np.sqrt(va + vb)
    diff = b.mean() - a.mean()
    if se == 0:
        return (float(diff), float(diff))
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = float(stats.t.ppf(0.5 + confidence / 2, df)) * se
    return (float(diff - half), float(diff + half))


def beats(candidate: np.ndarray, baseline: np.ndarray, sign: int) -> tuple[float, float]:
    """Shares of replications in which ``candidate`` is better / worse than ``baseline``.

    Pairs are compared replication by replication. An empty value (never reached, not
    judged) counts as worse than any value when lower is better (reaching 80 % in any time
    beats never reaching it), and as missing otherwise; two empty values are a tie.
    """
    if sign == 0 or len(candidate) == 0:
        return (np.nan, np.nan)
    c, b = candidate.astype(float), baseline.astype(float)
    if sign < 0:
        c = np.where(np.isfinite(c), c, np.inf)
        b = np.where(np.isfinite(b), b, np.inf)
        known = ~(np.isinf(c) & np.isinf(b))
        better = (c < b) & known
        worse = (c > b) & known
    else:
        known = np.isfinite(c) & np.isfinite(b)
        better = (c > b) & known
        worse = (c < b) & known
    n = len(c)
    return (np.count_nonzero(better) / n, np.count_nonzero(worse) / n)


def comparison_table(
    summary: pd.DataFrame, strategies: Sequence[str], measures: Sequence[str] | None = None
) -> pd.DataFrame:
    """Each measure per strategy: mean, sd, 95 % interval, n, range of futures (p5, p95).
    ``summary`` has a strategy column.
    """
    rows = []
    for name in strategies:
        part = summary[summary["strategy"] == name]
        for m in measures_of(summary) if measures is None else measures:
            values = as_float(part[m])
            rows.append({"strategy": name, "measure": m, **interval_row(values, is_yes_no(m))})
    return pd.DataFrame(rows)


def differences_table(
    summary: pd.DataFrame,
    strategies: Sequence[str],
    measures: Sequence[str] | None = None,
    sign_of=direction,
) -> pd.DataFrame:
    """Paired differences of every strategy from the first, replication by replication.

    For each measure: the mean of (strategy - first) over replications where both are known,
    its t-based 95 % interval, the range of the difference across futures (``p5``, ``p95``:
    the 5th and 95th percentiles of the paired differences), the shares of replications in
    which the strategy is better and worse than the first (see :func:`beats`), the unpaired
    (Welch) interval of the same difference, and ``width_ratio``: paired width / unpaired
    width, below 1 when common random numbers narrowed the interval. ``measures`` (default:
    every measure column) and ``sign_of`` (which way is better) serve tables of other totals
    (discounted ones). Measures judged at each strategy's own dates
    (:func:`~sim.model.measures.is_strategy_relative`) get no better/worse shares (empty).
    """
    base_name = strategies[0]
    base = summary[summary["strategy"] == base_name].set_index("rep").sort_index()
    rows = []
    for name in strategies[1:]:
        other = summary[summary["strategy"] == name].set_index("rep").sort_index()
        if not base.index.equals(other.index):
            raise ValueError(f"strategies {base_name!r} and {name!r} ran different replications")
        for m in measures_of(summary) if measures is None else measures:
            a, b = as_float(base[m]), as_float(other[m])
            if not (np.isfinite(a).any() and np.isfinite(b).any()):
                continue
            sign = sign_of(m)
            paired = interval_row(b - a)
            low, high = welch_interval(a, b)
            # A measure judged at each strategy's own dates mixes the strategy with the
            # calendar: its difference is shown, never scored as better or worse.
            better, worse = (np.nan, np.nan) if is_strategy_relative(m) else beats(b, a, sign)
            paired_width = paired["ci_high"] - paired["ci_low"]
            ratio = paired_width / (high - low) if high > low else np.nan
            rows.append(
                # The difference and its interval first, so that a printed table shows
                # them even when the console is too narrow for every column.
                {
                    "strategy": name,
                    "measure": m,
                    "mean_difference": paired["mean"],
                    "ci_low": paired["ci_low"],
                    "ci_high": paired["ci_high"],
                    "p5": paired["p5"],
                    "p95": paired["p95"],
                    "share_better": better,
                    "share_worse": worse,
                    "baseline": base_name,
                    "direction": {1: "higher", -1: "lower", 0: ""}[sign],
                    "sd": paired["sd"],
                    "n": paired["n"],
                    "unpaired_ci_low": low,
                    "unpaired_ci_high": high,
                    "width_ratio": ratio,
                }
            )
    return pd.DataFrame(rows)
