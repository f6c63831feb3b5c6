"""The outputs floor: what people see of an experiment's tables.

:mod:`.pictures` (coverage and practice over time, fan charts, strategies side by side,
sweeps), :mod:`.account` (what the terminal says) and :mod:`.progress` (the progress bar).
:func:`draw` puts the pictures of a result into its run folder. Nothing here runs the
model: it reads what :mod:`sim.experiments` returns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the result types, for readers; drawing loads matplotlib only when asked
    from ..experiments.comparisons import Comparison
    from ..experiments.runs import RunExperiment
    from ..experiments.sweeps import Sweep


def draw(result: RunExperiment | Comparison | Sweep) -> list[str]:
    """Draw a result's pictures into its run folder; return the files written.

    A run gets ``coverage.png`` and ``fan.png``, a comparison ``coverage.png``, a sweep
    ``sweep.png``. The folder's manifest lists them. A result kept only in memory (no
    folder) draws nothing.
    """
    from ..experiments.folders import add_files
    from . import pictures

    if result.folder is None:
        return []
    files = pictures.draw(result, result.folder)
    add_files(result.folder, files)
    return files


__all__ = ["draw"]
