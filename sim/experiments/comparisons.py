"""Strategies compared on the same futures (``rollout compare``).

Replication ``r`` of every strategy sees the same staff join and leave (common random
numbers, :mod:`sim.model.streams`), so the paired difference, replication by replication,
is the strategy's effect alone and its interval is narrower than comparing two independent
sets of futures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..scenario.keys import ScenarioError
from ..scenario.schema import Scenario
from . import batches
from .batches import Point, Progress
from .folders import read_summary, read_timeseries, session
from .runs import band_arrays, month_dates
from .tables import BAND_MEASURES, bands_table, comparison_table, differences_table


@dataclass
class Comparison:
    """Strategies on common seeds: per-replication ``summary`` (with a ``strategy`` column),
    ``comparison`` (each measure per strategy), ``differences`` (paired, from the first)."""

    strategies: list[str]
    scenarios: dict[str, Scenario]
    summary: pd.DataFrame
    comparison: pd.DataFrame
    differences: pd.DataFrame
    bands: pd.DataFrame
    timeseries: pd.DataFrame | None = None
    folder: Path | None = None


def compare(
    strategies: Mapping[str, Scenario],
    reps: int = 20,
    seed: int = 1,
    workers: int | None = None,
    out: str | Path | None = None,
    resume: bool = False,
    keep_timeseries: bool = False,
    progress: Progress | None = None,
    record: Mapping[str, Any] | None = None,
) -> Comparison:
    """Run every strategy on the same seeds and compare them with the first.

    Writes (when ``out`` is given) ``summary.csv`` (per strategy and replication),
    ``comparison.csv``, ``differences.csv``, ``bands.csv``, ``coverage.png``,
    ``manifest.json`` and, with ``keep_timeseries``, ``timeseries.csv``. See
    :func:`sim.summaries.differences_table` for the paired differences and how much pairing
    narrowed their intervals (``width_ratio``). Other parameters as :func:`run`.
    """
    if len(strategies) < 2:
        raise ScenarioError(["compare: give two or more strategies"])
    names = list(strategies)
    points = [Point({"strategy": name}, strategies[name]) for name in names]
    record = dict(record or {})
    record.setdefault("name", f"compare-{names[0]}")
    record["manifest"] = {
        **record.get("manifest", {}),
        "strategies": names,
        "strategy_scenarios": {n: strategies[n].model_dump(mode="json") for n in names[1:]},
    }
    with session(
        "compare", points, seed, reps, workers, out, resume, keep_timeseries, progress, record
    ) as s:
        header = batches.summary_header(points)
        batches.concatenate(s.folder, s.batches, "summary.csv", header, s.folder / "summary.csv")
        summary = read_summary(s.folder / "summary.csv", points)
        table = comparison_table(summary, names)
        differences = differences_table(summary, names)
        bands = pd.concat(
            [
                bands_table(
                    {m: a for m, a in band_arrays(s, i).items() if m in BAND_MEASURES},
                    month_dates(points[i].scenario),
                    {"strategy": name},
                )
                for i, name in enumerate(names)
            ],
            ignore_index=True,
        )
        table.to_csv(s.folder / "comparison.csv", index=False)
        differences.to_csv(s.folder / "differences.csv", index=False)
        bands.to_csv(s.folder / "bands.csv", index=False)
        s.files += ["summary.csv", "comparison.csv", "differences.csv", "bands.csv"]
        timeseries = None
        if keep_timeseries:
            batches.concatenate(
                s.folder,
                s.batches,
                "timeseries.csv",
                batches.timeseries_header(points),
                s.folder / "timeseries.csv",
            )
            timeseries = read_timeseries(s.folder / "timeseries.csv", points)
            s.files.append("timeseries.csv")
        s.manifest["pairing_width_ratio_median"] = _median_ratio(differences)
        folder = None if out is None else s.folder
    return Comparison(
        names, dict(strategies), summary, table, differences, bands, timeseries, folder
    )


def _median_ratio(differences: pd.DataFrame) -> float:
    ratios = differences["width_ratio"].dropna() if len(differences) else pd.Series([])
    return round(float(ratios.median()), 3) if len(ratios) else float("nan")
