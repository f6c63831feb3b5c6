"""Engines: where an experiment's batches run (this machine's processes, or a Dask cluster).

:func:`sim.experiments.batches.execute` cuts an experiment into batches and saves each as it
finishes; an engine only decides where the batches are computed:

- ``local`` (the default): a pool of processes on this machine (``--workers``), or this
  process alone for one worker;
- ``dask``: a Dask cluster (``distributed``), either one started here for the run
  (``--dask``: a ``LocalCluster`` of worker processes) or one that already exists
  (``--scheduler ADDRESS``: a council's or a university's cluster, see docs/cluster.md).

Either way the main process alone writes files, so the workers need no shared file system,
and replication ``r`` uses the streams of ``(seed, r)`` wherever it runs, so every engine
gives the same bytes. Dask is imported only when a Dask engine starts: it is an optional
extra (``pip install 'rollout[cluster]'``).

Worker processes never outlive the command. The local pool's workers watch their parent
(``PR_SET_PDEATHSIG`` on Linux, and a thread that polls the parent everywhere) and exit
when it dies, even by ``kill -9``; Dask's local workers do the same by their own means.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Protocol

from ..scenario.keys import BadArgument

CONNECT_TIMEOUT_SECONDS = 5  # --scheduler: a cluster that does not answer by then is an error
RETRIES = 2  # a batch whose task raised is tried again this many times (Dask)
# A Dask worker that dies (killed, out of memory, machine lost) has its batches re-run on
# the others by the scheduler itself, up to distributed.scheduler.allowed-failures times.
PARENT_POLL_SECONDS = 0.5
# What must be the same on the cluster's workers as here for the same bytes to come back.
WORKER_PACKAGES = ("rollout", "simpy", "numpy", "pandas", "pydantic", "scipy")

Job = tuple[Any, tuple]  # (what the caller calls it, the arguments of the function)
Finish = Callable[[Any, Any], None]


@dataclass(frozen=True)
class Engine:
    """Where batches run: ``kind`` ``"local"`` or ``"dask"``; with Dask, ``scheduler`` is
    the address of an existing cluster, or None to start a local one for the run.
    """

    kind: str = "local"
    scheduler: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("local", "dask"):
            raise ValueError(f"unknown engine {self.kind!r}")


LOCAL = Engine()


class Runner(Protocol):
    """A started engine: runs ``function(*args)`` for each job and hands back each result."""

    description: dict[str, Any]

    def run(self, function: Callable, jobs: Sequence[Job], finish: Finish) -> None:
        """Run ``function`` on every job, calling ``finish`` with each result as it comes."""


@contextlib.contextmanager
def started(engine: Engine | None, workers: int) -> Iterator[Runner]:
    """Start ``engine`` (connect to its cluster) for one experiment; stop it afterwards.

    Problems reaching a cluster are bad input (:class:`~sim.scenario.keys.BadArgument`),
    found before any folder is made.
    """
    engine = engine or LOCAL
    if engine.kind == "local":
        pool = LocalPool(workers)
        try:
            yield pool
        finally:
            pool.close()
        return
    runner = DaskRunner.start(engine, workers)
    try:
        yield runner
    finally:
        runner.close()


# --------------------------------------------------------------------------- local pool


class LocalPool:
    """The processes of this machine: a pool of ``workers`` (or this process alone for one)."""

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        self.description = {"engine": "local", "workers": self.workers}
        self._pool: ProcessPoolExecutor | None = None

    def _started(self) -> ProcessPoolExecutor:
        """The pool, started on the first call that needs it and kept for the next: a
        command that runs batches many times (a search) starts its processes once.
        """
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, initializer=worker_start, initargs=(os.getpid(),)
            )
        return self._pool

    def close(self) -> None:
        """Stop the pool's processes, if any were started."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown()

    def run(self, function: Callable, jobs: Sequence[Job], finish: Finish) -> None:
        """Run every job, calling ``finish(key, result)`` as each ends (in this process).

        On Ctrl-C the jobs already running are finished and handed back before
        :class:`KeyboardInterrupt` propagates; jobs not started are dropped.
        """
        if self.workers <= 1 or len(jobs) <= 1:
            for key, args in jobs:
                finish(key, function(*args))
            return
        pool = self._started()
        pending: dict[Future, Any] = {}
        try:
            pending = {pool.submit(function, *args): key for key, args in jobs}
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    finish(pending.pop(future), future.result())
        except KeyboardInterrupt:
            self._pool = None
            pool.shutdown(wait=True, cancel_futures=True)
            for future, key in pending.items():  # finished while we were stopping: keep them
                if future.done() and not future.cancelled() and future.exception() is None:
                    finish(key, future.result())
            raise
        except BaseException:
            self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def worker_start(parent: int) -> None:
    """Initialise a pool worker: leave Ctrl-C to the parent, and die with the parent.

    Ctrl-C reaches every process in the terminal's group; the main process alone decides
    what to do (finish the batches in hand, save them, stop), so workers ignore it. A
    worker whose parent is killed outright (``kill -9``, out of memory) would otherwise run
    on as an orphan, holding a core and waiting for work that never comes.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def ask_to_die_with_parent() -> None:
    """On Linux, ask the kernel to kill this process when its parent dies, however that
    dies (``kill -9`` included). Elsewhere, or without prctl, nothing: callers that must
    not outlive their parent also check on it themselves.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # pragma: no cover - no prctl
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _die_with_parent(parent: int) -> None:
    ask_to_die_with_parent()
    # Everywhere (and on Linux too, should the parent have died before prctl ran, or when
    # the process was forked by a helper such as a forkserver): poll.
    if not _alive(parent):
        os._exit(1)
    watcher = threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True)
    watcher.start()


def _watch(parent: int) -> None:
    while True:
        time.sleep(PARENT_POLL_SECONDS)
        if not _alive(parent):
            os._exit(1)  # no clean-up to do: the parent, which saves batches, is gone


def _alive(pid: int) -> bool:
    if os.getppid() == pid:
        return True  # the parent is still our parent: alive
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - alive, owned by someone else
        return True
    # Still there but not our parent (a forkserver made us): alive unless a zombie.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


# --------------------------------------------------------------------------- Dask


class DaskRunner:
    """A Dask cluster: started here for the run (``--dask``) or an existing one."""

    def __init__(self, client: Any, cluster: Any, description: dict[str, Any]):
        self.client, self.cluster, self.description = client, cluster, description

    @classmethod
    def start(cls, engine: Engine, workers: int) -> DaskRunner:
        """Connect to (or start) the Dask cluster ``engine`` names."""
        try:
            import distributed
        except ImportError:
            which = "{dask}" if engine.scheduler is None else "{scheduler} {given}"
            raise BadArgument(
                which + ": Dask is not installed; pip install 'rollout[cluster]'",
                given=engine.scheduler,
            ) from None
        if engine.scheduler is None:
            return cls._local(distributed, workers)
        return cls._existing(distributed, engine.scheduler)

    @classmethod
    def _local(cls, distributed: Any, workers: int) -> DaskRunner:
        # The workers are spawned while the main process ignores Ctrl-C, so they inherit
        # that: Ctrl-C in the terminal reaches the whole process group, and only the main
        # process should act on it (save what is finished, stop the cluster).
        with _sigint_ignored():
            cluster = distributed.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.ERROR,
            )
        client = distributed.Client(cluster, set_as_default=False)
        description = {
            "engine": "dask",
            "cluster": "local",
            "scheduler": cluster.scheduler_address,
            "workers": workers,
            "dask": metadata.version("distributed"),
        }
        return cls(client, cluster, description)

    @classmethod
    def _existing(cls, distributed: Any, address: str) -> DaskRunner:
        try:
            client = distributed.Client(
                address, timeout=f"{CONNECT_TIMEOUT_SECONDS}s", set_as_default=False
            )
        except Exception as exc:  # OSError, TimeoutError, ValueError for a malformed address
            reason = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise BadArgument(
                "{scheduler} {given}: cannot connect within {seconds} s ({reason})",
                given=address,
                seconds=CONNECT_TIMEOUT_SECONDS,
                reason=reason,
            ) from None
        try:
            try:
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_SECONDS)
            except Exception:
                raise BadArgument(
                    "{scheduler} {given}: the cluster has no workers (start some with "
                    "`dask worker {given}`)",
                    given=address,
                ) from None
            problems = _version_problems(client)
            if problems:
                raise BadArgument(
                    "{scheduler} {given}: {problems}", given=address, problems=problems
                )
        except BaseException:
            client.close()
            raise
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        description = {
            "engine": "dask",
            "cluster": "existing",
            "scheduler": address,
            "workers": threads,
            "dask": metadata.version("distributed"),
        }
        return cls(client, None, description)

    def run(self, function: Callable, jobs: Sequence[Job], finish: Finish) -> None:
        """Submit every job, calling ``finish(key, result)`` here as each completes.

        On Ctrl-C the jobs already finished are handed back, the rest cancelled, and
        :class:`KeyboardInterrupt` propagates.
        """
        from distributed import as_completed

        run_id = uuid.uuid4().hex[:8]
        futures = {
            self.client.submit(
                function,
                *args,
                key=f"rollout-{run_id}-{i:06d}",
                pure=False,
                retries=RETRIES,
            ): key
            for i, (key, args) in enumerate(jobs)
        }
        try:
            for future in as_completed(list(futures), loop=self.client.loop):
                key = futures.pop(future)
                finish(key, future.result())
        except KeyboardInterrupt:
            for future, key in list(futures.items()):
                if future.status == "finished":
                    finish(key, future.result())
                    futures.pop(future)
            self.client.cancel(list(futures))
            raise
        except BaseException:
            self.client.cancel(list(futures))
            raise

    def close(self) -> None:
        """Close the client and any cluster started here, whatever state they are in."""
        with contextlib.suppress(Exception):
            self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals are not ours to change
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _versions() -> dict[str, str]:
    found = {}
    for name in WORKER_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    found["python"] = ".".join(map(str, sys.version_info[:2]))
    return found


def _version_problems(client: Any) -> str:
    """Differences between the cluster's workers and this machine, in one phrase ('' if none).

    The workers must import the same ``rollout`` with the same libraries for the same
    bytes to come back: a worker without it would fail every batch.
    """
    try:
        theirs = client.run(_versions)
    except Exception as exc:
        return (
            f"the workers cannot run rollout ({type(exc).__name__}: {exc}); install the same "
            "rollout wheel on them"
        )
    ours = _versions()
    differ = sorted(
        {
            f"{name} {ours[name]} here, {version} on {worker}"
            for worker, found in theirs.items()
            for name, version in found.items()
            if ours.get(name) != version
        }
    )
    if not differ:
        return ""
    more = f" and {len(differ) - 3} more" if len(differ) > 3 else ""
    return (
        "the workers' packages differ from this machine's ("
        + "; ".join(differ[:3])
        + more
        + "); install the same versions on them"
    )
