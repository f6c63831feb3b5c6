"""Summaries across replications: mean, standard deviation, t-based 95 % interval."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Interval:
    """A mean with its standard deviation and 95 % interval, over ``n`` values."""

    mean: float
    sd: float
    low: float
    high: float
    n: int


def mean_interval(values, confidence: float = 0.95) -> Interval:
    """Mean and t-based confidence interval of the finite values.

    With one value the interval is undefined (NaN); with no spread it is the mean itself.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return Interval(np.nan, np.nan, np.nan, np.nan, 0)
    mean = float(x.mean())
    if n == 1:
        return Interval(mean, np.nan, np.nan, np.nan, 1)
    sd = float(x.std(ddof=1))
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * sd / np.sqrt(n)
    return Interval(mean, sd, mean - half, mean + half, n)


def proportion_interval(values, confidence: float = 0.95) -> Interval:
    """Share of true (1) values with its Wilson score interval, for yes/no measures.

    A t-interval on 0/1 values is zero-wide when every replication agrees ("100 % (100 %
    to 100 %)" after 20 futures) and can leave [0, 1]; the Wilson interval does neither:
    20 of 20 gives about 84 % to 100 %.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return Interval(np.nan, np.nan, np.nan, np.nan, 0)
    share = float(x.mean())
    sd = float(x.std(ddof=1)) if n > 1 else np.nan
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    scale = 1 + z**2 / n
    centre = (share + z**2 / (2 * n)) / scale
    half = z * np.sqrt(share * (1 - share) / n + z**2 / (4 * n**2)) / scale
    return Interval(share, sd, max(0.0, centre - half), min(1.0, centre + half), n)
