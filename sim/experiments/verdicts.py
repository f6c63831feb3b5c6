"""The word "best" said only with its evidence: the paired difference to the runner-up.

Options (strategies, or the points of a sweep) run on the same futures, so the best option's
lead over the runner-up is a paired difference, future by future. Where its 95 % interval
holds zero, the options cannot be told apart with this many futures; if the difference is
real (the observed mean and spread), about n·(t·sd / |mean|)² futures would put zero outside
the interval, t the 97.5th percentile of Student's t on n − 1 degrees of freedom.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..model.measures import direction
from ..model.vocabulary import difference_text, measure_label
from .display import MIN_FOR_INTERVAL, with_interval, with_range
from .intervals import mean_interval
from .tables import beats, futures_range


@dataclass(frozen=True)
class Verdict:
    """The best option on a measure, the runner-up, and the paired difference between them
    (best − runner-up, in the measure's units) across the futures both ran.
    """

    best: Any
    runner_up: Any
    mean: float
    ci_low: float
    ci_high: float
    p5: float
    p95: float
    sd: float
    n: int
    share_better: float  # futures in which the best is better than the runner-up
    share_worse: float

    @property
    def told_apart(self) -> bool:
        """Whether the interval of the lead excludes zero (and rests on enough futures)."""
        enough = self.n >= MIN_FOR_INTERVAL
        return enough and bool(np.isfinite(self.ci_low)) and (self.ci_low > 0 or self.ci_high < 0)

    def futures_needed(self) -> int | None:
        """About how many futures would tell the two apart if the lead is real: n·(t·sd/|d|)²;
        None when there is no lead to find (zero) or no spread to judge it by.
        """
        if self.n < 2 or not np.isfinite(self.sd) or self.mean == 0 or self.sd == 0:
            return None
        t = float(stats.t.ppf(0.975, self.n - 1))
        return max(self.n + 1, math.ceil(self.n * (t * self.sd / abs(self.mean)) ** 2))


def best_and_runner_up(
    replications: pd.DataFrame, by: str, metric: str, sign: int | None = None
) -> Verdict | None:
    """The best and second-best values of ``by`` on ``metric`` (by the mean across futures,
    in the measure's better direction) and their paired difference. ``replications`` has
    one row per option and future (a ``rep`` column). None with fewer than two options.
    """
    sign = (direction(metric) or 1) if sign is None else sign
    table = replications.pivot_table(index="rep", columns=by, values=metric, aggfunc="first")
    if table.shape[1] < 2:
        return None
    means = table.mean(axis=0) * sign
    order = means.sort_values(ascending=False, kind="stable").index
    best, runner = order[0], order[1]
    a = table[best].to_numpy(dtype=float)
    b = table[runner].to_numpy(dtype=float)
    diff = a - b
    interval = mean_interval(diff)
    low, high = futures_range(diff)
    better, worse = beats(a, b, sign)
    return Verdict(
        best, runner, interval.mean, interval.low, interval.high, low, high, interval.sd,
        interval.n, better, worse,
    )  # fmt: skip


def verdict_sentence(
    verdict: Verdict, metric: str, name: Callable[[Any], str] = str, scenario: Any = None
) -> str:
    """The word "best" with its evidence, in one or two sentences.

    Told apart: "The best for practising person-months is X, ahead of the runner-up, Y: X − Y
    is on average +240 (+151 to +330); in 9 futures of 10 between −101 and +453 (paired,
    future by future); X is better in 85% of the same futures and worse in 15%." Not told
    apart: "X and Y cannot be told apart on ... with 20 futures: X − Y is +39 (−70 to +149)
    on average, an interval that holds zero; ... If the difference is real, about 1,116
    futures (1,096 more) would tell them apart." No difference in any future: "X and Y do
    not differ on ... in any of the 20 futures."
    """
    label = measure_label(metric, scenario).lower()
    best, runner = name(verdict.best), name(verdict.runner_up)
    row = {
        "mean": verdict.mean,
        "ci_low": verdict.ci_low,
        "ci_high": verdict.ci_high,
        "p5": verdict.p5,
        "p95": verdict.p95,
        "sd": verdict.sd,
        "n": verdict.n,
    }
    lead = with_range(metric, row, difference_text, words=True)
    shares = (
        f"better in {verdict.share_better:.0%} of the same futures and worse in "
        f"{verdict.share_worse:.0%}"
    )
    if verdict.sd == 0 and verdict.mean == 0:
        return f"{best} and {runner} do not differ on {label} in any of the {verdict.n} futures."
    minus = f"{best} − {runner}"
    if verdict.told_apart:
        return (
            f"The best for {label} is {best}, ahead of the runner-up, {runner}: {minus} is "
            f"{lead} (paired, future by future); {best} is {shares}."
        )
    needed = verdict.futures_needed()
    if needed is None:
        more = "No number of futures would tell them apart."
    else:
        more = (
            f"If the difference is real, about {needed:,} futures ({needed - verdict.n:,} more) "
            "would tell them apart."
        )
    if verdict.n < MIN_FOR_INTERVAL:
        return (
            f"{best} and {runner} cannot be told apart on {label} with {verdict.n} futures "
            f"(too few for an interval): {minus} is {difference_text(metric, verdict.mean)} on "
            f"average; {best} is {shares}. {more}"
        )
    interval = with_interval(metric, row, difference_text)
    return (
        f"{best} and {runner} cannot be told apart on {label} with {verdict.n} futures: "
        f"{minus} is {interval} on average, an interval that holds zero; {best} is {shares}. "
        f"{more}"
    )
