"""An experiment's run folder: made new, tracked in its manifest, batches run into it.

A run never writes into a folder that already exists. The manifest is written first (status
``running``) and rewritten at the end (``complete``, ``failed`` or ``interrupted``), so a
folder always says what it holds, even when the run stopped part way. Finished batches are
kept in the folder until the run completes, so an interrupted run resumes where it stopped
(``--resume``) and gives the same bytes as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from ..scenario.keys import BadArgument
from ..scenario.provenance import confidence_counts
from ..scenario.schema import Scenario
from . import batches, engines, formats
from .batches import Batch, FolderStore, Point
from .settings import ALREADY_EXISTS, AUTO, RunSettings


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during an experiment: the finished batches are saved in ``folder``."""

    def __init__(self, folder: Path | None, done: int, total: int):
        super().__init__(f"interrupted with {done} of {total} replications saved")
        self.folder, self.done, self.total = folder, done, total


PACKAGES = ("simpy", "numpy", "pandas", "matplotlib", "click", "pydantic", "scipy")


def new_run_folder(
    out: str | Path | None, scenario_name: str, base: Path = Path("outputs")
) -> Path:
    """Create the run's folder: ``out`` if given (it must not exist), else a new dated one."""
    if out is not None:
        folder = Path(out)
        if os.path.lexists(folder):
            raise BadArgument(ALREADY_EXISTS, given=folder)
        try:
            folder.mkdir(parents=True)
        except OSError as exc:  # checked before the work; this is what changed since
            raise BadArgument(
                "{out} {given}: cannot be created ({why})", given=folder, why=exc.strerror
            ) from None
        return folder
    slug = re.sub(r"[^a-z0-9]+", "-", scenario_name.lower()).strip("-") or "run"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, 1000):
        folder = base / (f"{slug}-{stamp}" if attempt == 1 else f"{slug}-{stamp}-{attempt}")
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue
    raise RuntimeError(f"could not create a new folder under {base}")


def versions() -> dict[str, str]:
    """Versions of Python, this tool and the packages a result depends on."""
    found = {"python": platform.python_version()}
    for name in ("rollout", *PACKAGES):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def manifest(
    scenario: Scenario,
    scenario_file: str,
    overrides: list[str],
    seed: int,
    reps: int,
    workers: int,
    status: str,
    command: Sequence[str] = (),
    timings: dict[str, float] | None = None,
    files: list[str] | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    """What a run folder holds and how it was made."""
    return {
        "tool": "rollout",
        "status": status,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": list(command),
        "scenario_file": scenario_file,
        "overrides": overrides,
        "seed": seed,
        "reps": reps,
        "workers": workers,
        "versions": versions(),
        "timings": timings or {},
        "files": files or [],
        "error": error,
        "scenario": scenario.model_dump(mode="json"),
        # Keys a set value fixed ("fixed": uncertainty off) or shifted (centre moved).
        "fixed": scenario.fixed,
        # How many of the scenario's [sources] are data, estimates and assumptions.
        "provenance": confidence_counts(scenario.sources),
    }


# A folder whose tables are written and whose pictures are still to come. The command line
# asks for this (``RunSettings.pictures``: it will draw them), so that a run stopped while
# drawing is not taken for a finished one: ``--resume`` completes it (its batches are kept
# until then, so it reassembles the same tables and draws), and ``report`` refuses it.
DRAWING = "drawing"


def add_files(folder: Path, files: Sequence[str]) -> None:
    """Add files written after the run (its pictures) to the folder's manifest.

    A folder waiting for its pictures (status ``drawing``) is complete from here, once
    every file the manifest lists exists, and its saved batches are removed.
    """
    path = folder / "manifest.json"
    content = json.loads(path.read_text(encoding="utf-8"))
    listed = [name for name in content.get("files", []) if name != "manifest.json"]
    content["files"] = [*dict.fromkeys([*listed, *files]), "manifest.json"]
    if content.get("status") == DRAWING:
        missing = [name for name in content["files"] if not (folder / name).is_file()]
        missing = [name for name in missing if name != "manifest.json"]
        if missing:
            raise RuntimeError(f"{folder}: {', '.join(missing)} not written")
        content["status"] = "complete"
        write_manifest(folder, content)
        batches.remove_batches(folder)
        return
    write_manifest(folder, content)


def write_manifest(folder: Path, content: dict[str, Any]) -> None:
    """Write ``manifest.json`` atomically (a reader never sees half a file)."""
    partial = folder / "manifest.json.partial"
    partial.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(folder / "manifest.json")


# --------------------------------------------------------------------------- the session


@dataclass
class Session:
    """An open run folder: its batches, the files written so far and timings."""

    folder: Path
    batches: list[Batch]
    files: list[str]
    timings: dict[str, float]
    manifest: dict[str, Any] = field(default_factory=dict)  # added to the final manifest
    points: Sequence[Point] = ()
    file_format: str = "csv"

    def assemble(self, part: str, stem: str) -> Path:
        """Write the per-replication table ``part`` (``summary.csv`` or ``timeseries.csv``
        of every batch) as ``stem`` in the session's format; list it among the files.
        """
        out = self.folder / formats.file_name(stem, self.file_format)
        formats.assemble(self.folder, self.batches, self.points, part, out, self.file_format)
        self.files.append(out.name)
        return out

    def read(self, path: Path) -> pd.DataFrame:
        """A per-replication table written by :meth:`assemble`, with its types."""
        return formats.read_rows(path, self.points)


# A run this large says, once its first batch is done, how large its files will be.
MANY_REPLICATIONS = 1000
LARGE_FILES_BYTES = 100_000_000


class _EstimatingStore(FolderStore):
    """A run folder's store that, on the first batch it saves, estimates the size of the
    per-replication tables of the whole run and hands the sentence to ``note``.
    """

    def __init__(self, folder, points, reps, file_format, note) -> None:
        super().__init__(folder)
        self.points, self.reps, self.file_format, self.note = points, reps, file_format, note

    def save(self, batch: Batch, out: batches.BatchOutput) -> None:
        super().save(batch, out)
        if self.note is None:
            return
        note, self.note = self.note, None
        parts = {"summary.csv": out.summary, "timeseries.csv": out.timeseries}
        fixed, size, csv = 0, 0, 0
        for part, text in parts.items():
            if text is None:
                continue
            csv += len(text.encode("utf-8"))
            if self.file_format == "parquet":
                head, rows = formats.parquet_size(text, self.points, part)
                fixed, size = fixed + head, size + rows
        total = len(self.points) * self.reps
        estimate = csv * total / batch.size
        if self.file_format == "parquet":
            # A small batch compresses poorly: never more than the same rows as CSV.
            estimate = min(estimate, fixed + size * total / batch.size)
        if total >= MANY_REPLICATIONS or estimate >= LARGE_FILES_BYTES:
            note(size_sentence(estimate, total, self.file_format))


def size_sentence(size: float, replications: int, file_format: str) -> str:
    """What a large run tells its user before it writes its files.

    Parquet compresses a whole file better than one batch, so its estimate is an upper one.
    """
    bound = "at most about" if file_format == "parquet" else "about"
    text = (
        f"{replications:,} replications will write {bound} {_bytes(size)} of per-replication "
        f"tables as {file_format} (estimated from the first batch)"
    )
    if file_format == "csv" and size >= LARGE_FILES_BYTES:
        text += "; --format parquet writes them far smaller"
    return text


def _bytes(size: float) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1000
    return f"{size:,.1f} TB"  # pragma: no cover


def _digest(kind: str, points: Sequence[Point], seed: int, reps: int, keep_rows: bool) -> str:
    """What must match for ``resume`` to reuse a folder's batches."""
    content = {
        "kind": kind,
        "seed": seed,
        "reps": reps,
        "batch_size": batches.batch_size(len(points), reps),
        "keep_rows": keep_rows,
        "points": [
            {
                "labels": p.labels,
                "scenario": p.scenario.model_dump(mode="json"),
                **({"futures_from": p.futures_from} if p.futures_from else {}),
            }
            for p in points
        ],
    }
    text = json.dumps(content, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def resumable_manifest(folder: Path, what: str = "run", kind: str | None = None) -> dict:
    """The manifest of a folder that ``--resume`` may carry on: readable, of ``kind`` when
    given, and not complete (one line naming the folder otherwise). The caller checks that
    the same command made it (its plan digest), since each command names its own flags.
    """
    try:
        previous = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BadArgument(
            "{resume} {given}: no readable manifest.json there", given=folder
        ) from None
    if kind is not None and previous.get("kind") != kind:
        raise BadArgument(f"{{resume}} {{given}}: not an {kind} folder", given=folder)
    if previous.get("status") == "complete":
        raise BadArgument(f"{{resume}} {{given}}: that {what} is already complete", given=folder)
    return previous


def _open_folder(out: Any, resume: bool, name: str, digest: str) -> tuple[Path, bool]:
    """The run folder (new, resumed or temporary) and whether it is temporary."""
    if resume:
        folder = Path(out) if out not in (None, AUTO) else None
        if folder is None or not folder.is_dir():
            raise BadArgument("{resume} {given}: no such run folder", given=out)
        previous = resumable_manifest(folder)
        if previous.get("plan_digest") != digest:
            raise BadArgument(
                "{resume} {given}: made by a different command (scenario, {overrides}, "
                "{varies}, {variants}, {reps}, {seed} or {keep_timeseries} differ); repeat "
                "that command",
                given=folder,
            )
        return folder, False
    if out is None:
        return Path(tempfile.mkdtemp(prefix="rollout-")), True
    return new_run_folder(None if out == AUTO else out, name), False


@contextmanager
def session(
    kind: str, points: Sequence[Point], settings: RunSettings, scenario: Scenario | None = None
) -> Iterator[Session]:
    """Open the folder, keep its manifest current, run the batches, and clean up.

    ``settings`` says how and where (:class:`~sim.experiments.settings.RunSettings`);
    ``scenario`` is the one the manifest records (default: the first point's). The engine
    is started (its cluster reached) before the folder is made, so a cluster that cannot
    be reached is bad input that writes nothing; it is stopped as soon as the batches are
    done, before the caller assembles the files.

    A run of many replications (or large files) says how large its per-replication
    tables will be once its first batch is done, through ``progress.note(sentence)`` when
    the progress callback has that method.
    """
    formats.check(settings.file_format)
    reps, file_format, progress = settings.reps, settings.file_format, settings.progress
    keep_rows = settings.keep_timeseries
    workers = settings.workers or os.cpu_count() or 1
    digest = _digest(kind, points, settings.seed, reps, keep_rows)
    name = settings.name or points[0].scenario.name or kind
    with ExitStack() as running:
        runner = running.enter_context(engines.started(settings.engine, workers))
        folder, temporary = _open_folder(settings.out, settings.resume, name, digest)
        details = dict(
            scenario=scenario or points[0].scenario,
            scenario_file=str(settings.scenario_file),
            overrides=list(settings.overrides),
            command=list(settings.command),
            seed=settings.seed,
            reps=reps,
            workers=runner.description.get("workers", workers),
        )
        extra = {
            "kind": kind,
            "plan_digest": digest,
            "batch_size": batches.batch_size(len(points), reps),
            "keep_timeseries": keep_rows,
            "engine": runner.description,
            "format": file_format,
            **settings.manifest,
        }

        def write(status: str, **more: Any) -> None:
            if not temporary:
                content = manifest(status=status, **details, **more)
                write_manifest(folder, {**content, **extra})

        done = {"reps": 0, "total": len(points) * reps}

        def track(d: int, t: int) -> None:
            done["reps"] = d
            if progress:
                progress(d, t)

        write("running")
        began = time.perf_counter()
        try:
            note = None if temporary else getattr(progress, "note", None)
            store = _EstimatingStore(folder, points, reps, file_format, note)
            plan = batches.execute(points, settings.but(progress=track), store, runner)
            running.close()  # the workers' part is over: stop the engine before assembling
            simulated = time.perf_counter() - began
            timings = {
                "simulation_seconds": round(simulated, 3),
                "ms_per_replication": round(1000 * simulated / (len(points) * reps), 2),
            }
            session = Session(folder, plan, [], timings, points=points, file_format=file_format)
            yield session
            session.timings["total_seconds"] = round(time.perf_counter() - began, 3)
            extra.update(session.manifest)
            files = [*session.files, "manifest.json"]
            if settings.pictures:  # complete once drawn (add_files); batches kept till then
                write(DRAWING, timings=session.timings, files=files)
            else:
                write("complete", timings=session.timings, files=files)
                batches.remove_batches(folder)
        except KeyboardInterrupt:
            write("interrupted")
            raise Interrupted(None if temporary else folder, done["reps"], done["total"]) from None
        except Exception as exc:
            write("failed", error=repr(exc))
            raise
        finally:
            if temporary:
                shutil.rmtree(folder, ignore_errors=True)
