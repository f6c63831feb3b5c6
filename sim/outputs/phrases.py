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


def _with_interval(text, measure: str, row: Mapping[str, Any], few_said: bool = False) -> str:
    """The mean with its 95% interval, and how many futures it rests on when not all.

    A measure known in fewer than :data:`MIN_FOR_INTERVAL` futures gets no interval but the
    count ("19.0, in 5 of 200 futures: too few for an interval"), so that five values that
    happen to agree do not read as certainty. ``few_said``: the lines around already say,
    once, that every figure rests on too few futures; the cell then gives the value alone.
    """
    n = int(row["n"]) if "n" in row and np.isfinite(row["n"]) else None
    total = n + int(row["n_missing"]) if n is not None and "n_missing" in row else None
    value = text(measure, row["mean"])
    if n is not None and n == 0:
        return f"– (in none of {total} futures)" if total else "–"
    some = f"in {n} of {total} futures" if total and n < total else ""
    if n is not None and n < MIN_FOR_INTERVAL:
        if few_said:
            return f"{value} ({some})" if some else value
        return f"{value} ({some or f'from {n} futures'}: too few for an interval)"
    low, high = row["ci_low"], row["ci_high"]
    if not (np.isfinite(low) and np.isfinite(high)) or low == high:  # no spread: no interval
        return f"{value} ({some})" if some else value
    interval = interval_text(measure, low, high, text)
    return f"{value} ({interval}{'; ' + some if some else ''})"


def _with_range(
    text, measure: str, row: Mapping[str, Any], words: bool = False, few_said: bool = False
) -> str:
    """:func:`_with_interval` and the range of futures after it (``p5`` to ``p95``), named:
    "on average 10% (7% to 13%); in 9 futures of 10 between 1% and 24%" (``words``), or in
    a table cell "10% (7% to 13%); 9 in 10: 1% to 24%".
    """
    return with_range(
        measure,
        row,
        text,
        words=words,
        interval=lambda m, r: _with_interval(text, m, r, few_said),
    )


def few_futures_line(reps: int) -> str:
    """The one line that says, for every figure below it, that ``reps`` futures are too
    few for an interval (so that no figure need repeat it).
    """
    return (
        f"With {reps} futures, too few for an interval: each figure is the average over them "
        f"(give --reps {MIN_FOR_INTERVAL} or more for intervals and the range of futures)."
    )


def mean_with_interval(measure: str, row: Mapping[str, Any]) -> str:
    """A row of ``summary_stats.csv`` as the terminal shows it: "74% (71% to 77%)"."""
    return _with_interval(value_text, measure, row)


WIDTH = 100  # columns of a terminal line: tables and prose are laid out within it


def _grid(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def fitted_grid(rows: Sequence[Sequence[str]], width: int = WIDTH) -> list[str]:
    """:func:`_grid` when it fits in ``width`` columns; else one block per first cell.

    A block is the first cell (a measure) on a line of its own, then each row's other cells
    beneath it, indented and aligned across blocks under one header line; where even that is
    too wide, each cell is named by its column ("strategy: more; better: 90%"), so that
    nothing is cut however many strategies or however long the figures.
    """
    lines = _grid(rows)
    if all(len(line) <= width for line in lines):
        return lines
    header = rows[0]
    first: dict[str, int] = {}
    for row in rows[1:]:
        first.setdefault(row[0], len(first))
    body = sorted(rows[1:], key=lambda row: first[row[0]])  # stable: a measure's rows together
    rest = _grid([header[1:], *(row[1:] for row in body)])
    if all(len(line) + 2 <= width for line in rest):
        out = [f"  {rest[0]}"]  # the columns, once; each block is headed by its measure
        last = None
        for row, line in zip(body, rest[1:], strict=True):
            if row[0] != last:
                out.append(row[0])
                last = row[0]
            out.append(f"  {line}")
        return out
    out = []
    last = None
    for row in body:
        if row[0] != last:
            out.append(row[0])
            last = row[0]
        named = "; ".join(f"{h}: {c}" for h, c in zip(header[1:], row[1:], strict=True) if c)
        out += wrapped(named, width, indent="  ")
    return out


def columns_as_blocks(rows: Sequence[Sequence[str]], width: int = WIDTH) -> list[str]:
    """A measure × strategy table: :func:`_grid` when it fits, else each measure with one
    line per strategy beneath it ("  current  53% (50% to 56%)").
    """
    lines = _grid(rows)
    if all(len(line) <= width for line in lines):
        return lines
    names = list(rows[0][1:])
    pad = max(len(n) for n in names)
    out: list[str] = []
    for row in rows[1:]:
        out.append(row[0])
        for name, cell in zip(names, row[1:], strict=True):
            out += wrapped(f"{name.ljust(pad)}  {cell}", width, indent="  ", more=pad + 2)
    return out


def wrapped(text: str, width: int = WIDTH, indent: str = "", more: int = 2) -> list[str]:
    """``text`` in lines of at most ``width`` columns; later lines indented ``more`` further.

    Words are never broken (a path or a figure stays whole, even if longer than a line).
    """
    import textwrap

    return textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=indent + " " * more,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def fit_lines(lines: Sequence[str], width: int = WIDTH) -> list[str]:
    """Every line within ``width`` columns: a longer one (prose) wrapped at its own indent."""
    out: list[str] = []
    for line in lines:
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out += wrapped(line.strip(), width, indent=indent)
    return out
