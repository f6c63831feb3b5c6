"""Candidates run on futures through the batch runner, and what each one's futures say.

Every candidate of a search runs on the same futures (replication ``r`` uses the streams of
``(seed, first + r)`` whatever the plan: common random numbers), through
:func:`sim.experiments.batches.execute` on the one engine the command started, so the
figures do not depend on the number of workers or on Dask.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..experiments import batches
from ..experiments.batches import MemoryStore, Point
from ..experiments.engines import Runner
from ..experiments.intervals import proportion_interval
from ..experiments.settings import RunSettings
from ..experiments.tables import interval_row
from ..experiments.targets import Target
from ..scenario.schema import Scenario

Progress = Callable[[int, int], None]


def run_futures(
    scenarios: Sequence[Scenario],
    first: int,
    count: int,
    seed: int,
    runner: Runner,
    progress: Progress | None = None,
) -> list[pd.DataFrame]:
    """Each scenario's summary rows on futures ``first .. first + count - 1``, in order."""
    points = [Point({"candidate": i}, s, futures_from=first) for i, s in enumerate(scenarios)]
    settings = RunSettings(reps=count, seed=seed, keep_timeseries=False, progress=progress)
    store = MemoryStore()
    plan = batches.execute(points, settings, store, runner)
    out = []
    for i in range(len(points)):
        parts = [store.outputs[b.index].summary for b in plan if b.point == i]
        out.append(pd.concat(parts, ignore_index=True).sort_values("rep", ignore_index=True))
    return out


def column(rows: pd.DataFrame, measure: str) -> np.ndarray:
    """A measure's values per future as floats (an empty value is NaN)."""
    return pd.to_numeric(rows[measure].astype("object"), errors="coerce").to_numpy(float)


def stats(rows: pd.DataFrame, measures: Sequence[str], target: Target | None) -> dict[str, Any]:
    """What a candidate's futures say: each measure's mean, 95 % interval and range of
    futures (p5, p95); with a target, the share of futures meeting it and its Wilson
    interval. Plain floats (JSON), NaN as None.
    """
    out: dict[str, Any] = {"n": int(len(rows))}
    for m in measures:
        row = interval_row(column(rows, m))
        for part in ("mean", "ci_low", "ci_high", "p5", "p95"):
            out[f"{m}_{part}"] = _plain(row[part])
    if target is not None:
        met = target.met(column(rows, target.metric)).astype(float)
        share = proportion_interval(met)
        out["share_met"] = _plain(share.mean)
        out["share_ci_low"] = _plain(share.low)
        out["share_ci_high"] = _plain(share.high)
    return out


def _plain(x: float) -> float | None:
    x = float(x)
    return x if np.isfinite(x) else None
