"""Replications in memory: run a scenario many times and get its tidy tables back.

Replication ``r`` always uses the streams of ``(seed, r)``, whichever process runs it, so
the results are the same for any number of workers. The work goes through the same batches
as every experiment (:mod:`.batches`), kept in memory rather than in a run folder: this is
the plain layer for notebooks, tests and the validation suite. :mod:`.api` adds intervals,
comparisons, sweeps and saved, resumable run folders.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..scenario.schema import Scenario
from .batches import MemoryStore, Point, execute


@dataclass(frozen=True)
class RunResults:
    """The tidy tables of a run: one row per replication and month, one per replication."""

    timeseries: pd.DataFrame
    summary: pd.DataFrame


def run(scenario: Scenario, reps: int = 20, seed: int = 1, workers: int = 1) -> RunResults:
    """Run ``reps`` replications of a scenario and return its tidy tables."""
    store = MemoryStore()
    plan = execute([Point({}, scenario)], seed, reps, store, keep_rows=True, workers=workers)
    outputs = [store.outputs[b.index] for b in plan]
    timeseries = pd.concat([o.timeseries for o in outputs], ignore_index=True)
    summary = pd.concat([o.summary for o in outputs], ignore_index=True)
    return RunResults(timeseries, summary)
