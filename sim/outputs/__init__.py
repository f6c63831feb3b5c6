"""The outputs floor: what people see of an experiment's tables.

:mod:`.pictures` (coverage and practice over time, fan charts, strategies side by side,
sweeps), :mod:`.account` (what the terminal says) and :mod:`.progress` (the progress bar).
:func:`draw` puts the pictures of a result into its run folder. Nothing here runs the
model: it reads what :mod:`sim.experiments` returns.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the result types, for readers; drawing loads matplotlib only when asked
    from ..experiments.comparisons import Comparison
    from ..experiments.levers import LeverAudit
    from ..experiments.runs import RunExperiment
    from ..experiments.sensitivity import Sensitivity
    from ..experiments.sweeps import Sweep


def draw(
    result: RunExperiment | Comparison | Sweep | Sensitivity | LeverAudit, **observed
) -> list[str]:
    """Draw a result's pictures into its run folder; return the files written.

    A run gets ``coverage.png`` and ``fan.png``, a comparison ``coverage.png`` and
    ``horizons.png`` (and ``acceptability.png`` with a value per practising month), a sweep
    ``sweep.png``, a sensitivity analysis ``sensitivity.png``, a lever audit ``levers.png``.
    The folder's manifest lists them. A result kept only in memory (no folder) draws nothing.
    ``observed`` (``observed=``, ``values=``): a run's observed figures for its pictures
    (:func:`.pictures.draw`).
    """
    if result.folder is None:
        return []
    with warnings.catch_warnings():
        # matplotlib names a glyph it lacks by the character itself: a control character
        # in a name would reach the terminal raw (sim.scenario.safe_text.terminal)
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        return _draw(result, observed)


def _draw(result, observed: dict) -> list[str]:
    from ..experiments.comparisons import Comparison
    from ..experiments.folders import add_files
    from ..experiments.levers import LeverAudit
    from ..experiments.sensitivity import Sensitivity
    from . import pictures, uncertainty

    if isinstance(result, LeverAudit):
        from .levers import levers_figure

        levers_figure(result.table, result.folder / "levers.png", result.scenario.name)
        files = ["levers.png"]
    elif isinstance(result, Sensitivity):
        path = result.folder / "sensitivity.png"
        uncertainty.sensitivity_figure(result.table, result.method, result.metric, path)
        files = ["sensitivity.png"]
    else:
        files = pictures.draw(result, result.folder, **observed)
    if isinstance(result, Comparison) and result.acceptability is not None:
        path = result.folder / "acceptability.png"
        uncertainty.acceptability_figure(
            result.acceptability, result.strategies, path, result.value_per_practising_month
        )
        files.append("acceptability.png")
    add_files(result.folder, files)
    return files


__all__ = ["draw"]
