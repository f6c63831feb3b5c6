"""The words of an experiment: ``--vary`` grids and strategies' names.

Every parser here turns one argument into plain values or raises
:class:`~sim.scenario.ScenarioError` with one line that names the argument and what was
wrong, so the command can exit 2 before it writes anything.

Values of ``--vary KEY=V1,V2,…`` are read as TOML (numbers, dates ``2018-11-01``, booleans,
text) or as ranges ``start:stop:step``. A range includes ``stop`` when a whole number of
steps lands on it (``0:24:3`` is 0, 3, …, 24; ``0:10:4`` is 0, 4, 8). A range of dates steps
in whole months (``2017-11-01:2018-11-01:3`` is four dates, three months apart).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..scenario.clock import add_months
from ..scenario.keys import ScenarioError, parse_value

# What a sweep draws unless told: a total over the whole horizon, so on the common clock,
# which weighs practice early and late alike (a share at one date favours whichever
# strategy trained closest to it).
DEFAULT_METRIC = "practising_person_months"

MAX_GRID_POINTS = 10_000  # a guard against a mistyped step, not a limit of the machinery


@dataclass(frozen=True)
class Vary:
    """One swept key and its values, in the order given."""

    key: str
    values: tuple


def _range(token: str, label: str) -> list:
    parts = [p.strip() for p in token.split(":")]
    if len(parts) != 3 or not all(parts):
        raise ScenarioError([f"{label}: range {token!r} must be start:stop:step"])
    start, stop, step = (parse_value(p) for p in parts)
    if isinstance(start, date) and isinstance(stop, date):
        if not isinstance(step, int) or isinstance(step, bool) or step <= 0:
            raise ScenarioError(
                [f"{label}: range {token!r}: a date range steps in whole months (a number ≥ 1)"]
            )
        out, k = [], 0
        try:
            while (day := add_months(start, k * step)) <= stop:
                out.append(day)
                k += 1
                if len(out) > MAX_GRID_POINTS:
                    break
        except (ValueError, OverflowError):
            pass  # the next step is past the year 9999, so past stop too
        return out
    numbers = (start, stop, step)
    if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in numbers):
        raise ScenarioError(
            [f"{label}: range {token!r}: start, stop and step must be numbers (or dates)"]
        )
    if step == 0 or (stop - start) * step < 0:
        raise ScenarioError(
            [f"{label}: range {token!r}: the step must be non-zero and lead from start to stop"]
        )
    count = math.floor((stop - start) / step + 1e-9) + 1
    if count > MAX_GRID_POINTS:
        raise ScenarioError([f"{label}: range {token!r} has {count} values; too many"])
    if all(isinstance(x, int) for x in numbers):
        return [start + k * step for k in range(count)]
    # Rounded so that 0:1:0.1 gives 0.3, not 0.30000000000000004.
    return [round(start + k * step, 10) for k in range(count)]


def parse_vary(text: str) -> Vary:
    """``KEY=V1,V2,…`` (values or ranges, see the module docstring) → :class:`Vary`."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    label = f"--vary {text!r}"
    if not sep or not key or not raw.strip():
        raise ScenarioError([f"{label}: expected KEY=V1,V2,… or KEY=start:stop:step"])
    if not re.fullmatch(r"[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*", key):
        raise ScenarioError([f"{label}: {key!r} is not a dotted key path"])
    values: list[Any] = []
    for token in raw.split(","):
        token = token.strip()
        if not token:
            raise ScenarioError([f"--vary {key}: empty value in {raw!r}"])
        values += _range(token, f"--vary {key}") if ":" in token else [parse_value(token)]
    seen: set = set()
    for value in values:
        if repr(value) in seen:
            raise ScenarioError([f"--vary {key}: value {value} is given twice"])
        seen.add(repr(value))
    return Vary(key, tuple(values))


def expand_grid(varies: Sequence[Vary]) -> list[dict[str, Any]]:
    """Every combination of the swept values, the first key outermost.

    Raises
    ------
    ScenarioError
        With no key, more than two, a key given twice, or too many points.
    """
    if not 1 <= len(varies) <= 2:
        raise ScenarioError([f"--vary: give one or two keys to sweep, got {len(varies)}"])
    keys = [v.key for v in varies]
    if len(set(keys)) != len(keys):
        raise ScenarioError([f"--vary {keys[0]}: the same key is swept twice"])
    points = [
        dict(zip(keys, combo, strict=True))
        for combo in itertools.product(*(v.values for v in varies))
    ]
    if len(points) > MAX_GRID_POINTS:
        raise ScenarioError([f"--vary: {len(points)} grid points; at most {MAX_GRID_POINTS}"])
    return points


def unique_names(names: Sequence[str]) -> list[str]:
    """Strategy names, made unique by a suffix (camden, camden-2) when files share a stem."""
    out: list[str] = []
    for name in names:
        candidate, k = name, 1
        while candidate in out:
            k += 1
            candidate = f"{name}-{k}"
        out.append(candidate)
    return out
