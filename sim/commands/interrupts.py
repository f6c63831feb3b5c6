"""Ctrl-C, at any moment: a short message and exit 130, never a traceback.

Why it is more than ``except KeyboardInterrupt``:

- Until the command takes over, and again while it writes its last words, Ctrl-C stops at
  once (:func:`_stop_now`): there is nothing to save, and a traceback from inside an
  import would be noise. ``cli.py`` calls :func:`install` before it imports click.
- While a command works, Ctrl-C raises :class:`KeyboardInterrupt` (:func:`_interrupt`), so
  the experiments finish and save the batches in hand and say how to resume.
- Library code can lose that exception (a C extension interrupted while it loads fails
  with ImportError; an exception in a callback is only "ignored"), so the first Ctrl-C is
  also remembered, honoured at the next batch and when the command ends (:func:`check`).
- Inside the standard library's thread and process machinery an exception raised at an
  arbitrary instant can leave a lock held and hang the worker pool, so there the Ctrl-C is
  only remembered: the command waits on its workers, and stops after the next batch.
- A worker process forked from the command inherits the handler; it ignores Ctrl-C and
  lets the command decide.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator

INTERRUPTED = 130  # the exit status of a command stopped by Ctrl-C (128 + SIGINT)
_interrupted = False
_main_pid = os.getpid()
_LOCKING = tuple(
    os.path.join(os.path.dirname(os.__file__), name)
    for name in ("concurrent", "multiprocessing", "threading.py", "queue.py")
)


def _stop_now(signum, frame) -> None:  # pragma: no cover - timing-dependent
    sys.stderr.write("rollout: interrupted\n")
    sys.exit(INTERRUPTED)


def _interrupt(signum, frame) -> None:
    global _interrupted
    if os.getpid() != _main_pid:
        return  # a worker forked from the command: the command decides, workers carry on
    _interrupted = True
    while frame is not None:
        if frame.f_code.co_filename.startswith(_LOCKING):
            return  # remembered; raised at the next batch (check)
        frame = frame.f_back
    raise KeyboardInterrupt


def check() -> None:
    """Raise the Ctrl-C that library code lost, if there was one."""
    if _interrupted:
        raise KeyboardInterrupt


def happened() -> bool:
    """Whether Ctrl-C was pressed while the command worked (an error may be its doing)."""
    return _interrupted


def install() -> None:
    """Until a command takes over, Ctrl-C stops at once; called by ``cli.py`` before it
    imports click. A Ctrl-C already ignored (a background job) stays ignored.
    """
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, _stop_now)


class Watch:
    """The command's time: Ctrl-C raises; :meth:`end` makes it stop at once again."""

    def __init__(self, before) -> None:
        self.before = before

    def end(self) -> None:
        """From here (the last words) a Ctrl-C ends the process at once."""
        signal.signal(signal.SIGINT, self.before)


@contextlib.contextmanager
def watching() -> Iterator[Watch]:
    """While a command runs: Ctrl-C raises KeyboardInterrupt in this process only, and a
    Ctrl-C that lands in a callback prints no "Exception ignored" traceback.
    """
    global _interrupted, _main_pid
    before = signal.getsignal(signal.SIGINT)
    if before is None:
        before = signal.default_int_handler  # a handler set outside Python: Python's own
    unraisable = sys.unraisablehook

    def quiet(what) -> None:
        # A Ctrl-C that landed in a callback: no traceback; it is honoured at the next check.
        if not (_interrupted and isinstance(what.exc_value, KeyboardInterrupt)):
            unraisable(what)

    _interrupted, _main_pid = False, os.getpid()
    sys.unraisablehook = quiet
    try:
        if before is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, _interrupt)  # Ctrl-C now raises, caught by main
        yield Watch(before)
    finally:
        signal.signal(signal.SIGINT, before)
        sys.unraisablehook = unraisable
