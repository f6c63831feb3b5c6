"""One scenario, many futures: per-replication summaries, their means with 95 % intervals,
and monthly percentile bands of coverage and practice (``rollout run``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..scenario.clock import Clock
from ..scenario.schema import Scenario
from . import batches, display
from .batches import BAND_COLUMNS, Point
from .folders import Session, session
from .formats import write_csv
from .settings import RunSettings, settings_of
from .tables import BAND_MEASURES, bands_table, summary_stats


@dataclass
class RunExperiment:
    """A scenario's replications: ``summary`` (one row per replication), ``summary_stats``
    (one row per measure), ``bands`` (monthly percentiles), ``timeseries`` when kept.
    """

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
    """The first day of every month of the horizon, as ISO dates."""
    clock = Clock(scenario.scenario.start, scenario.scenario.horizon_months)
    return [d.isoformat() for d in clock.month_dates[: clock.horizon_months]]


def band_arrays(session: Session, point: int) -> dict[str, np.ndarray]:
    """A point's monthly band columns, each replications × months."""
    values = batches.load_bands(session.folder, session.batches, point)
    return {name: values[:, :, i] for i, name in enumerate(BAND_COLUMNS)}


def run(scenario: Scenario, settings: RunSettings | None = None, **options: Any) -> RunExperiment:
    """Replicate one scenario; summaries with 95 % intervals and monthly percentile bands.

    Parameters
    ----------
    scenario
        What to run: replications ``0 .. reps - 1`` on the streams of ``(seed, r)``.
    settings
        How and where (:class:`~sim.experiments.settings.RunSettings`); ``options``
        change single settings (``reps=50, seed=2``). A folder (``out``) gets
        ``timeseries.csv``, ``summary.csv``, ``summary_stats.csv``, ``bands.csv`` and
        ``manifest.json``; :func:`sim.outputs.draw` adds the pictures. In memory (no
        ``out``) the monthly rows are returned with ``keep_timeseries``.
    """
    settings = settings_of(settings, options)
    points = [Point({}, scenario)]
    out = settings.out
    keep_timeseries = out is None if settings.keep_timeseries is None else settings.keep_timeseries
    keep_rows = keep_timeseries or out is not None
    with session("run", points, settings.but(keep_timeseries=keep_rows)) as s:
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
