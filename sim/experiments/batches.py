"""Batches: replications cut into chunks, run in processes, each kept as it finishes.

This is the one path by which replications run, whether the caller wants tables in memory
(:class:`MemoryStore`: notebooks, tests, the validation suite) or a run folder that can be
resumed after an interruption (:class:`FolderStore`: the ``rollout`` commands).

An experiment is a list of *points* (one scenario each: a strategy of a comparison, a grid
point of a sweep, or the single scenario of a run) replicated ``reps`` times. The work is
cut into batches of consecutive replications of one point. Replication ``r`` of every point
uses the streams of ``(seed, r)`` (common random numbers), whichever process runs it, so
the results do not depend on the number of workers or on the batch a replication falls in.

In a folder, each finished batch is written to ``batches/``: its summary rows, the
monthly values that percentile bands and pictures need (a small array), and, when asked,
its timeseries rows. A batch counts as done once its summary file exists; the file is
written under a temporary name and renamed, so an interrupted write leaves no half batch.
Resuming runs only the batches not done; the final files are assembled from the batch
files in batch order, so a resumed run gives the same bytes as an uninterrupted one.

Final CSVs are concatenations of the batches' rows under one header; nothing needs all
replications' monthly rows in memory.
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..model import measures
from ..model.prepared import prepare
from ..model.replication import ReplicationResult, run_replication
from ..scenario.keys import ScenarioError
from ..scenario.limits import MAX_REPS
from ..scenario.safe_text import literal_frame
from ..scenario.schema import Scenario
from . import engines
from .engines import Runner
from .settings import RunSettings

# Monthly columns kept for every replication (small): the bands and the pictures need them,
# and a comparison accumulates practising, coverage and cost year by year from them
# (horizons.csv) without keeping every replication's full monthly rows.
BAND_COLUMNS = (
    "coverage",
    "practising_share",
    "teams_supervising",
    "champions",
    "practising",
    "cost",
)
_BAND_INDEX = [measures.MONTHLY.index(c) for c in BAND_COLUMNS]
BATCHES_PER_RUN = 64  # aim: enough batches to share among workers and to lose little work
MAX_BATCH_REPS = 50  # a batch of Camden replications takes about a second

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Point:
    """One scenario of an experiment, with the label columns its rows carry.

    ``futures_from`` shifts the replications the point runs: replication ``r`` of the
    experiment runs the point's futures ``futures_from + r``. 0 (the default) is common
    random numbers with every other point; another value gives the point other futures
    (the lever audit's noise floor: the same scenario, unpaired).
    """

    labels: dict[str, Any]
    scenario: Scenario
    futures_from: int = 0


@dataclass(frozen=True)
class Batch:
    """Replications ``first`` .. ``stop - 1`` of point ``point``."""

    index: int
    point: int
    first: int
    stop: int

    @property
    def name(self) -> str:
        """The batch's name in file names: its index, six digits."""
        return f"{self.index:06d}"

    @property
    def size(self) -> int:
        """Replications in the batch."""
        return self.stop - self.first


def batch_size(points: int, reps: int) -> int:
    """Replications per batch: a function of the experiment's size only, never of workers.

    About :data:`BATCHES_PER_RUN` batches in all, at most :data:`MAX_BATCH_REPS` each, so
    that workers share the work evenly, process overheads stay small, and an interrupted
    run loses little.
    """
    return max(1, min(reps, MAX_BATCH_REPS, math.ceil(points * reps / BATCHES_PER_RUN)))


def plan(points: int, reps: int) -> list[Batch]:
    """All batches of an experiment, point by point, replications in order.

    Raises
    ------
    ScenarioError
        When ``reps`` is outside 1 to :data:`~sim.scenario.limits.MAX_REPS` (the command
        line refuses it first): every replication keeps its monthly band values, so the
        bound keeps memory bounded, and so does the plan (at most 200 batches a point).
    """
    if not 1 <= reps <= MAX_REPS:
        raise ScenarioError([f"reps: must be from 1 to {MAX_REPS:,}, got {reps}"])
    size = batch_size(points, reps)
    batches: list[Batch] = []
    for p in range(points):
        for first in range(0, reps, size):
            batches.append(Batch(len(batches), p, first, min(reps, first + size)))
    return batches


def summary_header(points: Sequence[Point]) -> list[str]:
    """Columns of the per-replication table: labels, ``rep``, then every point's measures."""
    labels = list(points[0].labels)
    names: list[str] = []
    for point in points:
        for name in measures.summary_columns(point.scenario):
            if name not in names:
                names.append(name)
    return [*labels, "rep", *names]


def timeseries_header(points: Sequence[Point]) -> list[str]:
    """The columns of the per-replication monthly table."""
    return [*points[0].labels, "rep", "month", "date", *measures.MONTHLY]


# Monthly columns that count people, written as whole numbers: the registry's ``whole``
# measures (sim.model.registry).
COUNT_COLUMNS = measures.REGISTRY.count_columns


def timeseries_table(scenario: Scenario, results: Sequence[ReplicationResult]) -> pd.DataFrame:
    """One row per replication and month: ``rep``, ``month``, ``date`` and the measures."""
    clock = prepare(scenario).clock  # the clock the replications ran on
    months = clock.horizon_months
    dates = [d.isoformat() for d in clock.month_dates[:months]]
    monthly = np.vstack([r.monthly for r in results])
    timeseries = pd.DataFrame(monthly, columns=list(measures.MONTHLY))
    for name in COUNT_COLUMNS:
        timeseries[name] = timeseries[name].round().astype(np.int64)
    timeseries.insert(0, "date", np.tile(dates, len(results)))
    timeseries.insert(0, "month", np.tile(np.arange(months), len(results)))
    timeseries.insert(0, "rep", np.repeat([r.replication for r in results], months))
    return timeseries


def summary_table(scenario: Scenario, results: Sequence[ReplicationResult]) -> pd.DataFrame:
    """One row per replication: ``rep`` and the scenario's summary measures."""
    columns = measures.summary_columns(scenario)
    summary = pd.DataFrame([r.summary for r in results], columns=columns)
    for name in measures.BOOLEAN_SUMMARY:
        summary[name] = summary[name].map({1.0: True, 0.0: False}).astype("boolean")
    summary.insert(0, "rep", [r.replication for r in results])
    return summary


@dataclass(frozen=True)
class BatchOutput:
    """A finished batch: its summary rows, band values and (if kept) monthly rows.

    As CSV text (no header) for a folder, formatted in the worker so that formatting runs
    in parallel too; as DataFrames in memory.
    """

    summary: str | pd.DataFrame
    bands: np.ndarray  # replications × months × len(BAND_COLUMNS)
    timeseries: str | pd.DataFrame | None


def run_batch(
    scenario: Scenario,
    seed: int,
    first: int,
    stop: int,
    labels: dict[str, Any],
    columns: list[str],
    keep_rows: bool,
    as_text: bool,
) -> BatchOutput:
    """Run one batch and lay out its rows under ``labels`` (in the worker process)."""
    results = [run_replication(scenario, seed, r) for r in range(first, stop)]
    summary = summary_table(scenario, results)
    summary = summary.reindex(columns=[c for c in columns if c not in labels])
    for i, (key, value) in enumerate(labels.items()):
        summary.insert(i, key, [value] * len(summary))
    bands = np.stack([r.monthly[:, _BAND_INDEX] for r in results])
    rows = None
    if keep_rows:  # the monthly table only when it is kept: it costs more than the model
        timeseries = timeseries_table(scenario, results)
        for i, (key, value) in enumerate(labels.items()):
            timeseries.insert(i, key, [value] * len(timeseries))
        rows = timeseries
    if not as_text:
        return BatchOutput(summary, bands, rows)
    # As text, the labels (strategy names) are written as no spreadsheet takes for a formula.
    as_csv = dict(index=False, header=False, lineterminator="\n")
    text = None if rows is None else literal_frame(rows).to_csv(**as_csv)
    return BatchOutput(literal_frame(summary).to_csv(**as_csv), bands, text)


# --------------------------------------------------------------------------- stores


class MemoryStore:
    """Keeps finished batches in memory: for callers who want tables, not files."""

    as_text = False

    def __init__(self) -> None:
        self.outputs: dict[int, BatchOutput] = {}

    def is_done(self, batch: Batch) -> bool:
        """Whether ``batch`` is finished."""
        return batch.index in self.outputs

    def save(self, batch: Batch, out: BatchOutput) -> None:
        """Keep a finished batch's output."""
        self.outputs[batch.index] = out


class FolderStore:
    """Keeps finished batches in a run folder's ``batches/``, so a run can be resumed."""

    as_text = True

    def __init__(self, folder: Path):
        self.folder = folder
        batch_dir(folder).mkdir(exist_ok=True)

    def is_done(self, batch: Batch) -> bool:
        """Whether ``batch`` is finished (its summary file exists)."""
        return is_done(self.folder, batch)

    def save(self, batch: Batch, out: BatchOutput) -> None:
        """Write a finished batch's files."""
        save(self.folder, batch, out)


Store = MemoryStore | FolderStore


# --------------------------------------------------------------------------- files


def batch_dir(folder: Path) -> Path:
    """The folder of a run's finished batches."""
    return folder / "batches"


def batch_path(folder: Path, batch: Batch, part: str) -> Path:
    """A batch's file: ``part`` is ``summary.csv``, ``timeseries.csv`` or ``bands.npy``."""
    return batch_dir(folder) / f"{batch.name}.{part}"


def is_done(folder: Path, batch: Batch) -> bool:
    """Whether ``batch`` is finished in ``folder`` (its summary file exists)."""
    return batch_path(folder, batch, "summary.csv").is_file()


def _write_text(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8", newline="")
    partial.replace(path)


def save(folder: Path, batch: Batch, out: BatchOutput) -> None:
    """Write a finished batch; the summary goes last, as the mark that the batch is done."""
    if out.timeseries is not None:
        _write_text(batch_path(folder, batch, "timeseries.csv"), out.timeseries)
    partial = batch_path(folder, batch, "bands.npy.partial")
    with partial.open("wb") as handle:
        np.save(handle, out.bands, allow_pickle=False)
    partial.replace(batch_path(folder, batch, "bands.npy"))
    _write_text(batch_path(folder, batch, "summary.csv"), out.summary)


def concatenate(folder: Path, batches: Sequence[Batch], part: str, header: list[str], out: Path):
    """Write ``out``: the CSV header, then each batch's rows, in batch order (streamed)."""
    partial = out.with_name(out.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as sink:
        sink.write(pd.DataFrame(columns=header).to_csv(index=False, lineterminator="\n"))
        for batch in batches:
            with batch_path(folder, batch, part).open(encoding="utf-8", newline="") as source:
                shutil.copyfileobj(source, sink)
    partial.replace(out)


def load_bands(folder: Path, batches: Sequence[Batch], point: int) -> np.ndarray:
    """The monthly band columns of every replication of one point: reps × months × k."""
    return np.concatenate(
        [
            np.load(batch_path(folder, b, "bands.npy"), allow_pickle=False)  # never unpickle a file
            for b in batches
            if b.point == point
        ]
    )


def remove_batches(folder: Path) -> None:
    """Delete a run's batches once its tables are assembled."""
    shutil.rmtree(batch_dir(folder), ignore_errors=True)


# --------------------------------------------------------------------------- running


def execute(
    points: Sequence[Point],
    settings: RunSettings,
    store: Store,
    runner: Runner | None = None,
) -> list[Batch]:
    """Run every batch not yet done in ``store``, saving each as it finishes.

    ``settings`` gives the replications, the seed, whether to keep the monthly rows
    (``keep_timeseries``), the progress callback and where the batches run: this
    machine's processes (``workers`` of them) or a Dask cluster (``engine``), unless
    ``runner``, an engine already started by :func:`~sim.experiments.engines.started`,
    runs them. The batches are saved here, in this process, whatever runs them, and give
    the same results anywhere.

    Returns the whole plan (done and new batches). On Ctrl-C the batches already finished
    are saved before :class:`KeyboardInterrupt` propagates.
    """
    seed, reps, keep_rows, progress = (
        settings.seed,
        settings.reps,
        settings.keep_timeseries,
        settings.progress,
    )
    batches = plan(len(points), reps)
    columns = summary_header(points)
    todo = [b for b in batches if not store.is_done(b)]
    total = len(points) * reps
    done = total - sum(b.size for b in todo)
    if progress:
        progress(done, total)

    def args(b: Batch) -> tuple:
        point = points[b.point]
        labels = point.labels
        shift = point.futures_from
        first, stop = b.first + shift, b.stop + shift
        return (point.scenario, seed, first, stop, labels, columns, keep_rows, store.as_text)

    def finish(b: Batch, out: BatchOutput) -> None:
        nonlocal done
        store.save(b, out)
        done += b.size
        if progress:
            progress(done, total)

    jobs = [(b, args(b)) for b in todo]
    if not jobs:
        return batches
    if runner is None:
        workers = settings.workers or os.cpu_count() or 1
        with engines.started(settings.engine, workers) as started:
            started.run(run_batch, jobs, finish)
    else:
        runner.run(run_batch, jobs, finish)
    return batches
