"""One scenario, many futures: per-replication summaries, their means with 95 % intervals,
and monthly percentile bands of coverage and practice (``rollout run``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..scenario.clock import Clock
from ..scenario.schema import Scenario
from . import batches, display
from .batches import BAND_COLUMNS, Point, Progress
from .engines import Engine
from .folders import Session, session
from .formats import write_csv
from .tables import BAND_MEASURES, bands_table, summary_stats


@dataclass
class RunExperiment:
    """A scenario's replications: ``summary`` (one row per replication), ``summary_stats``
    (one row per measure), ``bands`` (monthly percentiles), ``timeseries`` when kept."""

    scenario: Scenario
    summary: pd.DataFrame
    summary_stats: pd.DataFrame
    bands: pd.DataFrame
    monthly: dict[str, np.ndarray]  # BAND_COLUMNS: reps × months each, for the pictures
    timeseries: pd.DataFrame | None = None
    folder: Path | None = None

    def table(self) -> pd.DataFrame:
        """The key measures in plain words, each with its 95% interval."""
        return display.run_table(self.summary_stats, self.scenario)

    def _title(self) -> str:
        where = f", in {self.folder}" if self.folder else ""
        return f"{self.scenario.name or 'Scenario'}: {len(self.summary)} futures{where}"

    def __repr__(self) -> str:
        return display.text(self._title(), self.table())

    def _repr_html_(self) -> str:
        return display.html(self._title(), self.table())


def month_dates(scenario: Scenario) -> list[str]:
    clock = Clock(scenario.scenario.start, scenario.scenario.horizon_months)
    return [d.isoformat() for d in clock.month_dates[: clock.horizon_months]]


def band_arrays(session: Session, point: int) -> dict[str, np.ndarray]:
    values = batches.load_bands(session.folder, session.batches, point)
    return {name: values[:, :, i] for i, name in enumerate(BAND_COLUMNS)}


def run(
    scenario: Scenario,
    reps: int = 20,
    seed: int = 1,
    workers: int | None = None,
    out: str | Path | None = None,
    resume: bool = False,
    keep_timeseries: bool = False,
    progress: Progress | None = None,
    record: Mapping[str, Any] | None = None,
    engine: Engine | None = None,
    file_format: str = "csv",
) -> RunExperiment:
    """Replicate one scenario; summaries with 95 % intervals and monthly percentile bands.

    Parameters
    ----------
    scenario, reps, seed
        What to run: replications ``0 .. reps - 1`` on the streams of ``(seed, r)``.
    workers
        Processes (default: every core). The results do not depend on it.
    engine
        Where the batches run: this machine's processes (None, the default) or a Dask
        cluster (:class:`~sim.experiments.engines.Engine`); the results do not depend on it.
    file_format
        ``csv`` or ``parquet``: the format of ``timeseries`` and ``summary`` in the folder
        (:mod:`~sim.experiments.formats`); the statistics stay CSV.
    out
        A new folder to write the run into (it must not exist), :data:`AUTO` for a new
        dated folder under ``outputs/``, or None to keep nothing on disk. A folder gets
        ``timeseries.csv``, ``summary.csv``, ``summary_stats.csv``, ``bands.csv`` and
        ``manifest.json``; :func:`sim.outputs.draw` adds the pictures.
    resume
        Carry on the interrupted run in ``out``, skipping the batches it saved.
    keep_timeseries
        Return every replication's monthly rows (written to a folder in any case).
    progress
        Called with (replications done, total) after each batch.
    record
        What the manifest records of the command: ``scenario_file``, ``overrides``.
    """
    record = dict(record or {})
    points = [Point({}, scenario)]
    keep_rows = keep_timeseries or out is not None
    with session(
        "run",
        points,
        seed,
        reps,
        workers,
        out,
        resume,
        keep_rows,
        progress,
        record,
        engine,
        file_format,
    ) as s:
        timeseries = None
        if keep_rows:
            rows = s.assemble("timeseries.csv", "timeseries")
            if keep_timeseries:
                timeseries = s.read(rows)
        summary = s.read(s.assemble("summary.csv", "summary"))
        stats = summary_stats(summary)
        arrays = band_arrays(s, 0)
        bands = bands_table({m: arrays[m] for m in BAND_MEASURES}, month_dates(scenario))
        write_csv(stats, s.folder / "summary_stats.csv")
        write_csv(bands, s.folder / "bands.csv")
        s.files += ["summary_stats.csv", "bands.csv"]
        folder = None if out is None else s.folder
    return RunExperiment(scenario, summary, stats, bands, arrays, timeseries, folder)
