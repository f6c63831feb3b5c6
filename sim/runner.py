"""Replications: run a scenario many times on (seed, replication) streams, in parallel or not.

Replication ``r`` always uses the streams of ``(seed, r)``, whichever process runs it, so
the results are the same for any number of workers. This is the plain, in-memory layer
(tests, notebooks, the validation suite); :mod:`sim.experiments` builds on it for work that
is long, saved batch by batch, resumable, compared or swept.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import metrics
from .clock import Clock
from .model import ReplicationResult, run_replication
from .scenario import Scenario

# Monthly columns that count people, written as whole numbers.
COUNT_COLUMNS = tuple(
    name
    for name in metrics.MONTHLY
    if name not in ("coverage", "practising_share", "training_days", "provider_days", "cost")
)


@dataclass(frozen=True)
class RunResults:
    """The tidy tables of a run: one row per replication and month, one per replication."""

    timeseries: pd.DataFrame
    summary: pd.DataFrame


def _run_batch(scenario: Scenario, seed: int, replications: list[int]) -> list[ReplicationResult]:
    return [run_replication(scenario, seed, r) for r in replications]


def run_replications(
    scenario: Scenario, reps: int, seed: int, workers: int = 1
) -> list[ReplicationResult]:
    """Run replications 0..reps-1; with several workers, in contiguous batches."""
    if workers <= 1 or reps == 1:
        return _run_batch(scenario, seed, list(range(reps)))
    batches = [list(b) for b in np.array_split(np.arange(reps), min(workers, reps) * 4) if len(b)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_run_batch, scenario, seed, [int(r) for r in b]) for b in batches]
        return [result for future in futures for result in future.result()]


def tabulate(scenario: Scenario, results: list[ReplicationResult]) -> RunResults:
    """Turn replication results into the tidy ``timeseries`` and ``summary`` tables."""
    clock = Clock(scenario.scenario.start, scenario.scenario.horizon_months)
    months = clock.horizon_months
    dates = [d.isoformat() for d in clock.month_dates[:months]]
    monthly = np.vstack([r.monthly for r in results])
    timeseries = pd.DataFrame(monthly, columns=list(metrics.MONTHLY))
    for name in COUNT_COLUMNS:
        timeseries[name] = timeseries[name].round().astype(np.int64)
    timeseries.insert(0, "date", np.tile(dates, len(results)))
    timeseries.insert(0, "month", np.tile(np.arange(months), len(results)))
    timeseries.insert(0, "rep", np.repeat([r.replication for r in results], months))

    summary = pd.DataFrame([r.summary for r in results], columns=metrics.summary_columns(scenario))
    for name in metrics.BOOLEAN_SUMMARY:
        summary[name] = summary[name].map({1.0: True, 0.0: False}).astype("boolean")
    summary.insert(0, "rep", [r.replication for r in results])
    return RunResults(timeseries, summary)


def run(scenario: Scenario, reps: int = 20, seed: int = 1, workers: int = 1) -> RunResults:
    """Run ``reps`` replications of a scenario and return its tidy tables."""
    return tabulate(scenario, run_replications(scenario, reps, seed, workers))
