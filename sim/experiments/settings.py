"""How an experiment runs, as one frozen object: :class:`RunSettings`.

Built once by whoever asks for the work (the command layer from its flags, a notebook with
keywords) and handed whole down the layers: an experiment → its session
(:func:`~sim.experiments.folders.session`) → the batches
(:func:`~sim.experiments.batches.execute`). What to run (the scenarios, a grid, a method)
stays the experiment's own arguments; how and where to run it lives here, once.

Light on purpose (no pandas, SciPy or SimPy), so a command builds it before any work.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engines import Engine


UNNAMED = "<python>"  # the scenario file of a run asked for from Python
AUTO = "auto"  # ``out=AUTO``: a new dated folder under outputs/
# Runs never overwrite: what is said of an ``out`` folder that exists (a BadArgument).
ALREADY_EXISTS = (
    "{out} {given}: already exists; runs never overwrite earlier results, choose a new folder"
)


@dataclass(frozen=True)
class RunSettings:
    """How and where an experiment runs, and what its run folder records of the request.

    Parameters
    ----------
    reps, seed
        Replications ``0 .. reps - 1`` of every point, on the streams of ``(seed, r)``.
    workers
        Processes (None: every core). The results do not depend on it.
    engine
        Where the batches run: this machine's processes (None) or a Dask cluster
        (:class:`~sim.experiments.engines.Engine`); the results do not depend on it.
    out
        A new folder for the results (it must not exist), ``AUTO`` for a new dated folder
        under ``outputs/``, or None to keep nothing on disk; with ``resume``, the folder
        of the interrupted run to carry on.
    resume
        Carry on the interrupted run in ``out``, skipping the batches it saved.
    file_format
        ``csv`` or ``parquet``: the per-replication tables (:mod:`.formats`).
    keep_timeseries
        Return every replication's monthly rows (a run's folder has them in any case).
        None, the default: only a run kept in memory (no ``out``) returns them.
    pictures
        The caller draws the folder's pictures afterwards (:func:`sim.outputs.draw`): the
        folder is ``drawing``, not complete, until they are listed.
    progress
        Called with (replications done, total) after each batch; an object with a
        ``note(sentence)`` method is also told how large a large run's files will be.
    command
        The command as given (``sys.argv``), recorded in the manifest; the command layer
        rebuilds the resume hint from it.
    scenario_file, overrides
        Where the scenario came from: its file (or bundled name) and the ``--set``
        changes, for the manifest.
    name
        What a new dated folder is named after (default: the experiment's own choice).
    manifest
        Further entries for the manifest (a command's own words, e.g. its strategies).
    """

    reps: int = 20
    seed: int = 1
    workers: int | None = None
    engine: Engine | None = None
    out: str | Path | None = None
    resume: bool = False
    file_format: str = "csv"
    keep_timeseries: bool | None = None
    pictures: bool = False
    progress: Callable[[int, int], None] | None = None
    command: tuple[str, ...] = field(default_factory=lambda: tuple(sys.argv))
    scenario_file: str = UNNAMED
    overrides: tuple[str, ...] = ()
    name: str | None = None
    manifest: Mapping[str, Any] = field(default_factory=dict)

    def but(self, **changes: Any) -> RunSettings:
        """A copy with ``changes`` (settings are never changed in place)."""
        return dataclasses.replace(self, **changes) if changes else self


def settings_of(
    settings: RunSettings | None, changes: Mapping[str, Any], **defaults: Any
) -> RunSettings:
    """``settings`` (else a new one, from ``defaults``) with keyword ``changes``.

    Lets a notebook write ``run(scenario, reps=50, seed=2)`` while the command layer
    passes one :class:`RunSettings` whole; ``defaults`` are an experiment's own (fewer
    replications of a sensitivity design's many points).
    """
    unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(RunSettings)})
    if unknown:
        raise TypeError(f"unexpected settings: {', '.join(unknown)}")
    return (settings or RunSettings(**defaults)).but(**changes)
