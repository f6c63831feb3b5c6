"""Between the library's parameters and the command line's flags.

The library names its parameters in bad-input messages (``resume``, ``metric``); a user
typed flags (``--resume``, ``--metric``). :data:`FLAGS` maps one to the other once, so
every message a user reads names the flag. :func:`resume_hint` rebuilds the command that
carries on an interrupted run from the command as given (``RunSettings.command``).
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path

from ..scenario.keys import BadInput

# Parameter of the library → the flag that sets it.
FLAGS = {
    "accept": "--accept",
    "dask": "--dask",
    "draws": "--draws",
    "evppi": "--evppi",
    "file_format": "--format",
    "headline": "--metric",
    "keep_timeseries": "--keep-timeseries",
    "method": "--method",
    "metric": "--metric",
    "out": "--out",
    "overrides": "--set",
    "probability": "--probability",
    "reps": "--reps",
    "resume": "--resume",
    "samples": "--samples",
    "scheduler": "--scheduler",
    "seed": "--seed",
    "value_per_practising_month": "--value-per-practising-month",
    "variants": "--variant",
    "varies": "--vary",
}


def flag_lines(error: BadInput) -> list[str]:
    """The lines of a bad-input error as the user should read them: with flags."""
    return error.lines_as(FLAGS)


class Stopped(Exception):
    """The command stopped (Ctrl-C): what to say on stderr, and the exit status."""

    def __init__(self, lines: list[str], code: int):
        super().__init__("\n".join(lines))
        self.lines, self.code = lines, code


def resume_hint(command: Sequence[str], folder: Path) -> str:
    """The command that carries on an interrupted experiment in ``folder``, as a shell reads it.

    ``command`` is the command as given (``sys.argv``): its words after the program's
    name, less any ``--out`` or ``--resume``, then ``--resume folder``. Each word is quoted
    where a shell would split or read it (``--target practising_share_m48>=0.3`` pasted
    unquoted runs without its target and writes a file named ``=0.3``).
    """
    words: list[str] = []
    skip = False
    for word in command[1:]:
        if skip:
            skip = False
            continue
        if word in ("--out", "--resume"):
            skip = True
            continue
        if word.startswith(("--out=", "--resume=")):
            continue
        words.append(word)
    return shlex.join(["rollout", *words, "--resume", str(folder)])
