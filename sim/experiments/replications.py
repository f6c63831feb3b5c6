"""Replications in memory, by the shortest path: tidy tables and nothing else.

Replication ``r`` always uses the streams of ``(seed, r)``, whichever process runs it, so
the results are the same for any number of workers. The work goes through the same batches
as every experiment (:mod:`.batches`), kept in memory rather than in a run folder, with no
statistics: the validation suite's many small runs. The public way to run a scenario is
:func:`sim.experiments.run` (:mod:`.runs`), which also gives intervals, bands and folders.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..scenario.schema import Scenario
from .batches import MemoryStore, Point, execute
from .settings import RunSettings


@dataclass(frozen=True)
class RunResults:
    """The tidy tables of a run: one row per replication and month, one per replication."""

    timeseries: pd.DataFrame
    summary: pd.DataFrame


def replicate(scenario: Scenario, reps: int = 20, seed: int = 1, workers: int = 1) -> RunResults:
    """Run ``reps`` replications of a scenario in memory and return its tidy tables."""
    store = MemoryStore()
    settings = RunSettings(reps=reps, seed=seed, workers=workers, keep_timeseries=True)
    plan = execute([Point({}, scenario)], settings, store)
    outputs = [store.outputs[b.index] for b in plan]
    timeseries = pd.concat([o.timeseries for o in outputs], ignore_index=True)
    summary = pd.concat([o.summary for o in outputs], ignore_index=True)
    return RunResults(timeseries, summary)
