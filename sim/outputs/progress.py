"""A progress bar on stderr for long experiments, silent when stderr is not a terminal.

The experiment machinery reports progress through a plain callback ``(done, total)``; this
is the terminal's implementation of that callback. It is a few lines rather than a
dependency (tqdm) because all it needs is one self-overwriting line, and because it keeps
logs and captured output clean: it draws nothing at all unless stderr is a terminal, and
nothing for runs that end within :data:`DELAY_SECONDS`. A stage whose end is not known in
advance (the choice of ``rollout optimise``) shows a running count instead (:class:`Tally`).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

DELAY_SECONDS = 2.0  # quick runs draw no bar at all
WIDTH = 30


class ProgressBar:
    """Call with ``(done, total)`` replications; :meth:`close` clears the line."""

    def __init__(self, label: str, stream: TextIO | None = None, unit: str = "replications"):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.label = label
        self.unit = unit
        self.began = time.monotonic()
        self.first_done: int | None = None
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        """Draw the bar for ``done`` of ``total`` (after a short delay, on a terminal only)."""
        if self.first_done is None:
            self.first_done = done  # resumed work does not count towards the speed
        elapsed = time.monotonic() - self.began
        if not self.enabled or elapsed < DELAY_SECONDS or total <= 0:
            return
        filled = int(WIDTH * done / total)
        rate = (done - self.first_done) / elapsed if elapsed > 0 else 0.0
        left = f", {(total - done) / rate:,.0f} s left" if rate > 0 and done < total else ""
        line = (
            f"\r{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] "
            f"{done:,}/{total:,} {self.unit}{left}  "
        )
        self.stream.write(line)
        self.stream.flush()
        self.drawn = True

    def note(self, line: str) -> None:
        """Say ``line`` on its own line (a terminal or not), clearing the bar first."""
        if self.drawn:
            self.stream.write("\r\033[K")
        self.stream.write(f"{self.label}: {line}\n")
        self.stream.flush()

    def close(self) -> None:
        """Clear the bar's line."""
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()


class Tally:
    """A stage whose end is not known in advance (a sequential choice, which runs futures
    until it can decide): its name and a running count on one self-overwriting line, with
    the time it has taken, where a bar would need a total.

    Shown under the same rules as :class:`ProgressBar` (a terminal only, once ``began``
    is :data:`DELAY_SECONDS` past), and at once when it follows a bar that was drawn, so
    that a full bar is never left standing while work goes on.
    """

    def __init__(
        self,
        label: str,
        stage: str,
        stream: TextIO | None = None,
        unit: str = "futures",
        after: ProgressBar | None = None,
    ):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.label = label
        self.stage = stage
        self.unit = unit
        self.began = time.monotonic()
        # after a drawn bar, at once; else after the delay, counted from the bar's start
        self.at_once = after is not None and after.drawn
        self.delay_from = after.began if after is not None else self.began
        self.drawn = False

    def __call__(self, count: int) -> None:
        """Draw the stage with ``count`` units done so far (on a terminal only)."""
        now = time.monotonic()
        waiting = not self.at_once and now - self.delay_from < DELAY_SECONDS
        if not self.enabled or waiting:
            return
        elapsed = now - self.began
        line = f"\r{self.label} {self.stage}: {count:,} {self.unit} run, {elapsed:,.0f} s  "
        self.stream.write(line)
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Clear the stage's line."""
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.drawn = False
