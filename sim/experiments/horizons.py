"""How a whole-run total depends on the horizon: paired differences accumulated year by year.

A total over the run (practising person-months, coverage-months, cost, net benefit) adds up
every month to the horizon, and the horizon is itself an assumption: a strategy that starts
Phase 2 later can give less practice over the first five years and more from the sixth. So a
comparison writes ``horizons.csv``: for every strategy against the first and every total, the
paired difference accumulated to the end of each year of the run (the last "year" ends at the
horizon, so it equals the whole-run difference in ``differences.csv``), with its 95 %
interval, its range across futures (5th to 95th percentile) and the shares of futures in
which each option is ahead.

The monthly values come from the small per-replication arrays every batch already keeps
(:data:`sim.experiments.batches.BAND_COLUMNS`): no replication's full monthly rows are needed.

**Discounting.** ``measures.discount_rate`` (a yearly rate r; 0 by default; HM Treasury's
Green Book rate is 3.5 %) weighs the month t months after the start by (1 + r)^(-t/12),
in these totals and in net benefit. With a rate set, the discounted totals carry their own
names (``practising_person_months_discounted`` ...), so that a discounted figure is never
read as the plain one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..model.measures import direction
from .tables import beats, interval_row

# The whole-run totals accumulated, and the monthly array each adds up.
TOTALS = {
    "practising_person_months": "practising",
    "coverage_months": "coverage",
    "total_cost": "cost",
}
NET_BENEFIT = "net_benefit"
DISCOUNTED = "_discounted"
GREEN_BOOK_RATE = 0.035  # HM Treasury Green Book, the standard yearly discount rate


def total_name(measure: str, rate: float) -> str:
    """The column name of a total: ``measure``, or ``measure_discounted`` with a rate."""
    return f"{measure}{DISCOUNTED}" if rate > 0 else measure


def base_measure(name: str) -> str:
    """A discounted total's plain measure: ``total_cost_discounted`` → ``total_cost``."""
    return name.removesuffix(DISCOUNTED)


def total_direction(name: str) -> int:
    """+1 if more is better, -1 if less is better (net benefit: more is better)."""
    base = base_measure(name)
    return +1 if base == NET_BENEFIT else direction(base)


def weights(months: int, rate: float) -> np.ndarray:
    """The weight of each month: (1 + rate)^(-t/12) for month t = 0 .. months - 1."""
    return (1.0 + rate) ** (-np.arange(months) / 12.0)


def year_ends(months: int) -> list[int]:
    """Months accumulated to the end of each year of the run; the last is the horizon."""
    ends = list(range(12, months, 12))
    return [*ends, months]


def accumulated(
    monthly: Mapping[str, np.ndarray], rate: float, value: float | None = None
) -> dict[str, np.ndarray]:
    """Each total accumulated month by month: name → replications × months.

    ``monthly`` maps ``practising``, ``coverage`` and ``cost`` to replications × months.
    With ``value`` (GBP per practising person-month), net benefit too.
    """
    months = next(iter(monthly.values())).shape[1]
    w = weights(months, rate)
    out = {
        total_name(m, rate): np.cumsum(monthly[column] * w, axis=1) for m, column in TOTALS.items()
    }
    if value is not None:
        out[total_name(NET_BENEFIT, rate)] = (
            value * out[total_name("practising_person_months", rate)]
            - out[total_name("total_cost", rate)]
        )
    return out


def whole_run(
    arms: Mapping[str, Mapping[str, np.ndarray]], rate: float, value: float | None = None
) -> pd.DataFrame:
    """One row per arm (strategy) and replication: each total over the whole run, under its
    name (discounted ones as ``..._discounted``); columns ``strategy``, ``rep``, totals.
    """
    frames = []
    for name, monthly in arms.items():
        sums = {m: a[:, -1] for m, a in accumulated(monthly, rate, value).items()}
        reps = len(next(iter(sums.values())))
        frames.append(pd.DataFrame({"strategy": name, "rep": np.arange(reps), **sums}))
    return pd.concat(frames, ignore_index=True)


def horizons_table(
    arms: Mapping[str, Mapping[str, np.ndarray]],
    rate: float = 0.0,
    value: float | None = None,
    label: str = "strategy",
) -> pd.DataFrame:
    """The paired difference of every total from the first arm, accumulated to each year.

    ``arms`` maps each strategy (the first is the baseline) to its monthly arrays
    (``practising``, ``coverage``, ``cost``: replications × months, replications aligned).
    One row per (strategy, measure, year): ``months`` accumulated, ``mean_difference`` with
    its 95 % interval (``ci_low``, ``ci_high``), the range across futures (``p5``, ``p95``),
    ``share_better`` / ``share_worse`` (futures in which the strategy is ahead / behind),
    ``n``, ``discount_rate``.
    """
    names = list(arms)
    base_name = names[0]
    base = accumulated(arms[base_name], rate, value)
    horizon = next(iter(base.values())).shape[1]
    rows = []
    for name in names[1:]:
        other = accumulated(arms[name], rate, value)
        for measure, a in base.items():
            sign = total_direction(measure)
            for year, end in enumerate(year_ends(horizon), start=1):
                x, y = a[:, end - 1], other[measure][:, end - 1]
                paired = interval_row(y - x)
                better, worse = beats(y, x, sign)
                rows.append(
                    {
                        label: name,
                        "measure": measure,
                        "year": year,
                        "months": end,
                        "mean_difference": paired["mean"],
                        "ci_low": paired["ci_low"],
                        "ci_high": paired["ci_high"],
                        "p5": paired["p5"],
                        "p95": paired["p95"],
                        "share_better": better,
                        "share_worse": worse,
                        "baseline": base_name,
                        "n": paired["n"],
                        "discount_rate": rate,
                    }
                )
    return pd.DataFrame(rows)


def sign_changes(horizons: pd.DataFrame, label: str = "strategy") -> pd.DataFrame:
    """The (strategy, measure) pairs whose mean accumulated difference changes sign within
    the horizon: one row each, with ``segments``, a list of (first year, last year, sign).
    """
    rows = []
    for (name, measure), part in horizons.groupby([label, "measure"], sort=False):
        part = part.sort_values("year")
        segments: list[tuple[int, int, int]] = []
        for year, diff in zip(part["year"], part["mean_difference"], strict=True):
            sign = int(np.sign(diff)) if np.isfinite(diff) else 0
            if sign == 0:
                continue  # no difference yet: neither option ahead
            if segments and segments[-1][2] == sign:
                segments[-1] = (segments[-1][0], int(year), sign)
            else:
                segments.append((int(year), int(year), sign))
        if len(segments) > 1:
            rows.append({label: name, "measure": measure, "segments": segments})
    return pd.DataFrame(rows, columns=[label, "measure", "segments"])


def years_text(first: int, last: int, final: bool) -> str:
    """Years in words: "over the first 5 years", "in years 3 to 4", "from year 6", "in year 2"."""
    if final:
        return f"from year {first}"
    if first == 1:
        return "over the first year" if last == 1 else f"over the first {last} years"
    return f"in year {first}" if first == last else f"in years {first} to {last}"


def sign_sentence(
    name: str, base: str, label: str, segments: Sequence[tuple[int, int, int]], cost: bool
) -> str:
    """One sentence: "The horizon decides: B gives less practising person-months than A over
    the first 5 years and more from year 6 (accumulated from the start; averages over
    futures)." ``label`` names the total; ``cost`` words it as a cost.
    """
    spans = [
        (("more" if sign > 0 else "less"), years_text(first, last, i == len(segments) - 1))
        for i, (first, last, sign) in enumerate(segments)
    ]
    (word, when), rest = spans[0], spans[1:]
    lead = (
        f"{name} costs {word} than {base} {when}"
        if cost
        else f"{name} gives {word} {label[0].lower() + label[1:]} than {base} {when}"
    )
    tail = "".join(
        f"{', ' if i < len(rest) - 1 else ' and '}{w} {y}" for i, (w, y) in enumerate(rest)
    )
    return f"The horizon decides: {lead}{tail} (accumulated from the start; averages over futures)."
