"""Figures with their uncertainty in words, and text laid out as a grid: shared by the
terminal's accounts of runs (:mod:`.run_account`) and of comparisons and sweeps
(:mod:`.account`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..experiments.display import MIN_FOR_INTERVAL, interval_text, with_range
from ..model.vocabulary import (
    value_text,
)


def _with_interval(text, measure: str, row: Mapping[str, Any]) -> str:
    """The mean with its 95% interval, and how many futures it rests on when not all.

    A measure known in fewer than :data:`MIN_FOR_INTERVAL` futures gets no interval but the
    count ("19.0, in 5 of 200 futures: too few for an interval"), so that five values that
    happen to agree do not read as certainty.
    """
    n = int(row["n"]) if "n" in row and np.isfinite(row["n"]) else None
    total = n + int(row["n_missing"]) if n is not None and "n_missing" in row else None
    value = text(measure, row["mean"])
    if n is not None and n == 0:
        return f"– (in none of {total} futures)" if total else "–"
    some = f"in {n} of {total} futures" if total and n < total else ""
    if n is not None and n < MIN_FOR_INTERVAL:
        return f"{value} ({some or f'from {n} futures'}: too few for an interval)"
    low, high = row["ci_low"], row["ci_high"]
    if not (np.isfinite(low) and np.isfinite(high)) or low == high:  # no spread: no interval
        return f"{value} ({some})" if some else value
    interval = interval_text(measure, low, high, text)
    return f"{value} ({interval}{'; ' + some if some else ''})"


def _with_range(text, measure: str, row: Mapping[str, Any], words: bool = False) -> str:
    """:func:`_with_interval` and the range of futures after it (``p5`` to ``p95``), named:
    "on average 10% (7% to 13%); in 9 futures of 10 between 1% and 24%" (``words``), or in
    a table cell "10% (7% to 13%); 9 in 10: 1% to 24%".
    """
    return with_range(
        measure, row, text, words=words, interval=lambda m, r: _with_interval(text, m, r)
    )


def mean_with_interval(measure: str, row: Mapping[str, Any]) -> str:
    """A row of ``summary_stats.csv`` as the terminal shows it: "74% (71% to 77%)"."""
    return _with_interval(value_text, measure, row)


def _grid(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
