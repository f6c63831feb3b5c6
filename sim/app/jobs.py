"""Runs that never block the page: one pool of worker processes per server, shared fairly.

Every session of a Streamlit server lives in one Python process, so this module's
:func:`pool` is the server's one pool. A run, comparison or sweep is a :class:`Job` put on a
bounded first-in-first-out queue; at most ``workers`` jobs run at once, each in a process of
its own (one future at a time within it, so the machine's cores are the pool's), and a
session has at most one job under way, so planners take turns. The page polls its job
(:func:`Pool.status`) and shows its progress, its place in the queue and a Cancel button;
a cancelled job's process is ended at once. Results come back as the same dicts the
functions of :mod:`sim.app.logic` return; the last few are kept, so work asked for again
(the same scenario, seed and futures, by any session) is done at once.

Processes start from a fork server that has loaded :mod:`sim.app.logic` once (Linux), so a
job starts in a fraction of a second and never inherits the web server's threads. They are
daemonic (ended when the server exits, not waited for) and die with the fork server, which
dies with the web server: stopping ``rollout app`` leaves no run behind.
"""

from __future__ import annotations

import itertools
import multiprocessing
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field, replace
from multiprocessing import spawn
from multiprocessing.connection import wait
from typing import Any

from ..scenario.keys import BadInput

FUNCTIONS = ("run_experiment", "compare_experiment", "phase2_sweep", "optimise_experiment")
POLL_SECONDS = 0.2
NICE = 10  # a worker's lower priority than the server's
KEEP_FINISHED = 64  # finished jobs kept for their sessions to collect, oldest dropped
KEEP_RESULTS = 16  # results kept server-wide: the same work asked again is done at once


@dataclass
class Job:
    """One piece of work: who asked (``session``), what (``function`` of :mod:`.logic` and
    its ``args``), and how far it has come: ``done`` of ``total``, and ``words`` when the
    function says what it is doing (a search and then its choice: two stages, one bar each).
    ``state`` is queued, running, done, failed or cancelled; ``result`` is set when done,
    ``error`` (a line for the page) when failed.
    """

    id: int
    session: str
    label: str
    function: str
    args: tuple
    state: str = "queued"
    done: int = 0
    total: int = 0
    words: str = ""
    result: Any = None
    error: str = ""
    queued_at: float = field(default_factory=time.monotonic)
    process: Any = field(default=None, repr=False)
    connection: Any = field(default=None, repr=False)

    @property
    def finished(self) -> bool:
        """Whether the job will change no more."""
        return self.state in ("done", "failed", "cancelled")


class Busy(BadInput):
    """The queue is full, or this session already has a job under way."""


def _work(connection, function: str, args: tuple) -> None:
    """In a worker process: run ``function`` of :mod:`.logic`, sending progress and result."""
    import contextlib
    import os

    from ..experiments.engines import ask_to_die_with_parent
    from ..scenario.keys import ScenarioError
    from . import logic

    ask_to_die_with_parent()  # the fork server, which dies with the web server: no orphans
    with contextlib.suppress(OSError):  # runs yield to the web server: pages stay quick
        os.nice(NICE)

    def progress(done: int, total: int, words: str = "") -> None:
        connection.send(("progress", done, total, words))

    try:
        result = getattr(logic, function)(*args, progress=progress, workers=1)
    except ScenarioError as exc:
        connection.send(("failed", " ".join(exc.lines)))
    except Exception as exc:  # a defect: one line on the page, never a stack trace
        connection.send(("failed", f"the run failed ({type(exc).__name__}); please report it"))
    else:
        connection.send(("done", result))
    finally:
        connection.close()


_STARTING = threading.local()


def _without_main(original):
    """``spawn.get_preparation_data`` that leaves out the main module while a job starts.

    Streamlit runs the page as ``__main__``; a child told to import it would run the whole
    page again. A job's function lives in this package, so the child needs no main module.
    """

    def preparation_data(name):
        data = original(name)
        if getattr(_STARTING, "on", False):
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    preparation_data.wrapped = original
    return preparation_data


if not hasattr(spawn.get_preparation_data, "wrapped"):
    spawn.get_preparation_data = _without_main(spawn.get_preparation_data)


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["sim.app.logic"])
        return context
    return multiprocessing.get_context("spawn")


class Pool:
    """The server's workers and its queue (see the module's docstring)."""

    def __init__(self, workers: int = 1, queue: int = 8):
        self.workers = max(1, int(workers))
        self.limit = max(0, int(queue))
        self._jobs: dict[int, Job] = {}
        self._queue: deque[int] = deque()
        self._running: set[int] = set()
        self._ids = itertools.count(1)
        self._results: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._context = _context()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="rollout-jobs", daemon=True)
        self._thread.start()

    # ---------------------------------------------------------------- what sessions call

    def submit(self, session: str, label: str, function: str, *args: Any) -> int:
        """Queue ``function(*args)`` for ``session``; its job's id.

        Raises
        ------
        Busy
            The session has a job under way, or the queue is full.
        """
        if function not in FUNCTIONS:
            raise ValueError(f"not a job: {function}")
        with self._lock:
            mine = [j for j in self._jobs.values() if j.session == session and not j.finished]
            if mine:
                raise Busy([f"{mine[0].label} is still under way: wait for it or cancel it first"])
            if len(self._queue) >= self.limit + max(0, self.workers - len(self._running)):
                raise Busy(
                    [
                        f"the server is busy ({len(self._queue)} runs waiting): "
                        "try again in a few minutes"
                    ]
                )
            job = Job(next(self._ids), session, label, function, tuple(args))
            self._jobs[job.id] = job
            known = self._results.get((function, job.args))
            if known is not None:  # the same work, done before: the same result (seeded)
                self._results.move_to_end((function, job.args))
                job.state, job.result = "done", known
            else:
                self._queue.append(job.id)
            self._forget_old()
        return job.id

    def status(self, job_id: int) -> Job | None:
        """A copy of the job as it stands (None when unknown)."""
        with self._lock:
            job = self._jobs.get(job_id)
            return None if job is None else replace(job, process=None, connection=None)

    def position(self, job_id: int) -> int:
        """The job's place in the queue (1: next to start), 0 when it is not waiting."""
        with self._lock:
            return self._queue.index(job_id) + 1 if job_id in self._queue else 0

    def cancel(self, job_id: int) -> None:
        """Stop the job: taken off the queue, or its process ended."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.finished:
                return
            if job_id in self._queue:
                self._queue.remove(job_id)
            process = job.process
            job.state = "cancelled"
            self._running.discard(job_id)
            self._close(job)
        if process is not None:
            process.terminate()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)

    def take(self, job_id: int) -> Job | None:
        """The finished job, removed from the pool (None while it is under way)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or not job.finished:
                return None
            del self._jobs[job_id]
            return job

    def counts(self) -> tuple[int, int]:
        """(running, waiting) over the whole server."""
        with self._lock:
            return len(self._running), len(self._queue)

    def shutdown(self) -> None:
        """End every job and the pool's thread (tests; a server ends with its process)."""
        for job_id in list(self._jobs):
            self.cancel(job_id)
        self._stop.set()
        self._thread.join(timeout=5)

    # ---------------------------------------------------------------- the pool's thread

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._start_waiting()
            with self._lock:
                listening = {
                    self._jobs[i].connection: i
                    for i in self._running
                    if self._jobs[i].connection is not None
                }
            if not listening:
                time.sleep(POLL_SECONDS)
                continue
            try:
                ready = wait(list(listening), timeout=POLL_SECONDS)
            except (OSError, ValueError):  # a connection closed by a cancel meanwhile
                continue
            for connection in ready:
                self._receive(listening[connection], connection)

    def _start_waiting(self) -> None:
        with self._lock:
            while self._queue and len(self._running) < self.workers:
                job = self._jobs[self._queue.popleft()]
                mine, theirs = self._context.Pipe(duplex=False)
                job.process = self._context.Process(
                    target=_work, args=(theirs, job.function, job.args), daemon=True
                )
                _STARTING.on = True
                try:
                    job.process.start()
                except Exception as exc:  # the machine refused a process: say so, go on
                    mine.close()
                    theirs.close()
                    job.process, job.state = None, "failed"
                    job.error = f"the run could not start ({type(exc).__name__}); try again"
                    continue
                finally:
                    _STARTING.on = False
                theirs.close()
                job.connection = mine
                job.state = "running"
                self._running.add(job.id)

    def _receive(self, job_id: int, connection) -> None:
        try:
            message = connection.recv()
        except (EOFError, OSError, ValueError):
            message = ("failed", "the run stopped unexpectedly; please try again")
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.finished:
                return
            if message[0] == "progress":
                job.done, job.total, job.words = message[1], message[2], message[3]
                return
            if message[0] == "done":
                job.state, job.result = "done", message[1]
                job.done = job.total = max(job.total, job.done)
                self._results[(job.function, job.args)] = job.result
                while len(self._results) > KEEP_RESULTS:
                    self._results.popitem(last=False)
            else:
                job.state, job.error = "failed", message[1]
            self._running.discard(job_id)
            self._close(job)
            process = job.process
        if process is not None:
            process.join(timeout=5)

    @staticmethod
    def _close(job: Job) -> None:
        if job.connection is not None:
            job.connection.close()
            job.connection = None

    def _forget_old(self) -> None:
        finished = [j.id for j in self._jobs.values() if j.finished]
        for job_id in finished[:-KEEP_FINISHED] if len(finished) > KEEP_FINISHED else []:
            del self._jobs[job_id]


_POOL: Pool | None = None
_POOL_LOCK = threading.Lock()


def pool() -> Pool:
    """The server's one pool, made on first use with the server's settings."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            from .settings import current

            chosen = current()
            _POOL = Pool(chosen.workers, chosen.queue)
        return _POOL
