"""The levers a search moves, as ``--lever`` gives them: ranges and choices.

``KEY=LOW:HIGH`` or ``KEY=LOW:HIGH:STEP`` is a range: whole numbers (cohorts, places,
months) when both ends and the step are whole, else real numbers (a share, a rate), with a
step when one is given. ``KEY=a,b,c`` is a choice among the values listed (read as TOML:
numbers, ``true``/``false``, words such as ``whole_teams``; a list in brackets is one
choice, e.g. what a phase supplies: ``[mentoring, champion_supervision],[mentoring]``).
Every key must be a lever of the registry (:mod:`sim.scenario.lever_registry`) that the
scenario holds, and every end or choice must give a valid scenario (checked as ``--vary``
values are, strictly), so a mistyped lever is one line and exit 2 before anything runs.

Light on purpose (no NumPy, pandas or Optuna): the command checks its request with it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..scenario.keys import BadInput, ScenarioError, parse_value
from ..scenario.lever_registry import LEVERS, lever_for

if TYPE_CHECKING:
    from ..scenario.schema import Scenario

INT, REAL, CHOICE = "int", "real", "choice"
_KEY = re.compile(r"[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*")


@dataclass(frozen=True)
class Dimension:
    """One lever of a search: its key, its kind (``int``, ``real`` or ``choice``) and its
    range (``low``, ``high``, ``step``: None for a continuous real) or its ``choices``.
    """

    key: str
    kind: str
    low: float | int | None = None
    high: float | int | None = None
    step: float | int | None = None
    choices: tuple[Any, ...] = ()

    @property
    def name(self) -> str:
        """The parameter's name in the search store: the key itself."""
        return self.key

    def values(self) -> list[Any]:
        """Every value the lever may take, when there are finitely many (else the ends)."""
        if self.kind == CHOICE:
            return list(self.choices)
        if self.step is None:
            return [self.low, self.high]
        count = math.floor((self.high - self.low) / self.step + 1e-9) + 1
        if self.kind == INT:
            return [int(self.low + k * self.step) for k in range(count)]
        return [round(self.low + k * self.step, 10) for k in range(count)]

    def at_edge(self, value: Any) -> bool:
        """Whether ``value`` is an end of a numeric range (a choice has no edge)."""
        if self.kind == CHOICE:
            return False
        ends = self.values()
        return value in (ends[0], ends[-1]) or math.isclose(float(value), float(ends[-1]))

    def text(self) -> str:
        """The range as given back in words: ``2 to 8 in steps of 2`` or ``mixed or whole
        teams``.
        """
        if self.kind == CHOICE:
            # in words (whole_teams → whole teams): a board reads this in choice.md
            return " or ".join(_plain(c).replace("_", " ") for c in self.choices)
        step = "" if self.step is None else f" in steps of {_plain(self.step)}"
        return f"{_plain(self.low)} to {_plain(self.high)}{step}"


def _plain(value: Any) -> str:
    if isinstance(value, list | tuple):
        return " and ".join(_plain(v) for v in value) if value else "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return f"{value}"


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def parse_lever(text: str) -> Dimension:
    """``KEY=LOW:HIGH[:STEP]`` or ``KEY=a,b,c`` → :class:`Dimension` (the key is not yet
    checked against the scenario: :func:`check_space`).

    Raises
    ------
    ScenarioError
        One line naming the ``--lever`` and what was expected.
    """
    key, sep, raw = text.partition("=")
    key, raw = key.strip(), raw.strip()
    label = f"--lever {text}"
    if not sep or not key or not raw:
        raise ScenarioError([f"{label}: expected KEY=LOW:HIGH[:STEP] or KEY=a,b,c"])
    if not _KEY.fullmatch(key):
        raise ScenarioError([f"{label}: {key!r} is not a dotted key path"])
    if lever_for(key) is None:
        raise ScenarioError(
            [f"--lever {key}: not a lever (see `rollout levers` or docs/levers.md for the keys)"]
        )
    if ":" in raw and "," not in raw and "[" not in raw:
        return _range(key, raw, label)
    try:
        values = [_choice(t.strip()) for t in _split(raw)]
    except ValueError:
        raise ScenarioError([f"{label}: a bracket [ is not closed, or closed twice"]) from None
    if any(isinstance(v, str) and not v for v in values):
        raise ScenarioError([f"{label}: empty value in {raw!r}"])
    unique = list(dict.fromkeys(repr(v) for v in values))
    if len(unique) != len(values):
        raise ScenarioError([f"{label}: a value is given twice"])
    if len(values) < 2:
        raise ScenarioError([f"{label}: an empty choice; give two or more values, a,b"])
    return Dimension(key, CHOICE, choices=tuple(values))


def _split(raw: str) -> list[str]:
    """Choices split at commas outside brackets: ``[a, b],[a]`` is two choices."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(raw):
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth < 0:
                raise ValueError(raw)
        elif c == "," and depth == 0:
            parts.append(raw[start:i])
            start = i + 1
    if depth:
        raise ValueError(raw)
    return [*parts, raw[start:]]


def _choice(token: str) -> Any:
    """A choice read as TOML; a list of bare words ``[foundation, mentoring]`` (what a
    phase supplies) as a list of words.
    """
    value = parse_value(token)
    if isinstance(value, str) and token.startswith("[") and token.endswith("]"):
        return tuple(w.strip().strip("\"'") for w in token[1:-1].split(",") if w.strip())
    return tuple(value) if isinstance(value, list) else value


def _range(key: str, raw: str, label: str) -> Dimension:
    parts = [p.strip() for p in raw.split(":")]
    if len(parts) not in (2, 3) or not all(parts):
        raise ScenarioError([f"{label}: a range is LOW:HIGH or LOW:HIGH:STEP"])
    numbers = [parse_value(p) for p in parts]
    if not all(_number(x) for x in numbers):
        raise ScenarioError([f"{label}: LOW, HIGH and STEP must be numbers"])
    low, high = numbers[0], numbers[1]
    step = numbers[2] if len(numbers) == 3 else None
    if step is not None and step <= 0:
        raise ScenarioError([f"{label}: the step must be above 0"])
    if high <= low:
        raise ScenarioError(
            [f"{label}: an empty range; HIGH must be above LOW (got {low} to {high})"]
        )
    if step is not None and step > high - low:
        raise ScenarioError(
            [
                f"{label}: an empty range; a step of {step} leaves only {low} between {low} and "
                f"{high}"
            ]
        )
    whole = all(isinstance(x, int) for x in numbers)
    if whole:
        return Dimension(key, INT, low, high, step if step is not None else 1)
    return Dimension(key, REAL, float(low), float(high), None if step is None else float(step))


def parse_space(texts: Sequence[str]) -> list[Dimension]:
    """Every ``--lever``, all problems at once; a key given twice is one of them."""
    problems: list[str] = []
    space: list[Dimension] = []
    for text in texts:
        try:
            space.append(parse_lever(text))
        except ScenarioError as exc:
            problems += exc.lines
    keys = [d.key for d in space]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        problems.append(f"--lever {key}: given twice; give each lever once")
    if not texts:
        problems.append(
            "--lever: give at least one lever to move, e.g. --lever "
            "programme.foundation.cohorts=2:8"
        )
    if problems:
        raise ScenarioError(problems)
    return space


MISSING = object()  # a key the scenario does not hold (None is a value: "not set")


def current(scenario: Scenario, key: str, missing: Any = None) -> Any:
    """The scenario's own value of a lever's key (the status quo): None when the key is
    not set (a phase timed by its dates has no ``start_after_months``), ``missing`` when the
    scenario has no such key.
    """
    from ..scenario.levers import phase_timing, value_at

    try:
        value = value_at(scenario.model_dump(mode="python"), key)
    except (KeyError, IndexError, TypeError, ValueError):
        return missing
    timing = _PHASE_TIMING.fullmatch(key)
    if value is None and timing:  # a phase timed by its dates: its gap and length in months
        gap, months = phase_timing(scenario, int(timing.group(1)))
        return gap if timing.group(2) == "start_after_months" else months
    return value


_PHASE_TIMING = re.compile(r"programme\.phases\.(\d+)\.(start_after_months|months)")


def with_timing(scenario: Scenario, plan: Mapping[str, Any]) -> dict[str, Any]:
    """A plan's changes, a phase's timing restated in months as the lever audit does: a
    plan that moves a dated phase's gap (or length) sets its length (or gap) too, at the
    scenario's own, so the phase is timed by months and the lever moves it.
    """
    changes = plan_changes(plan)
    for key in list(changes):
        timing = _PHASE_TIMING.fullmatch(key)
        if timing:
            other = "months" if timing.group(2) == "start_after_months" else "start_after_months"
            pair = f"programme.phases.{timing.group(1)}.{other}"
            changes.setdefault(pair, current(scenario, pair))
    return changes


def check_space(scenario: Scenario, space: Sequence[Dimension], source: str) -> None:
    """Every lever's key is in the scenario, and its ends (or choices) give valid scenarios.

    Raises
    ------
    ScenarioError
        With every problem, each naming the ``--lever`` and the value.
    """
    problems: list[str] = []
    for dim in space:
        if current(scenario, dim.key, MISSING) is MISSING:
            problems.append(f"--lever {dim.key}: the scenario has no such key to move")
            continue
        tries = dim.choices if dim.kind == CHOICE else (dim.low, dim.high)
        for value in tries:
            try:
                scenario.with_changes(
                    with_timing(scenario, {dim.key: value}), source=source, strict=True
                )
            except ScenarioError as exc:
                first = exc.lines[0] if exc.lines else "not valid"
                problems.append(f"--lever {dim.key}={_plain(value)}: {first}")
                break
    if problems:
        raise ScenarioError(problems)


def plan_changes(plan: Mapping[str, Any]) -> dict[str, Any]:
    """A plan's values as scenario changes (NumPy numbers made plain, a list of words a
    list).
    """
    out = {}
    for key, value in plan.items():
        value = value.item() if hasattr(value, "item") else value
        out[key] = list(value) if isinstance(value, tuple) else value
    return out


def lever_keys() -> list[str]:
    """Every lever key of the registry (patterns as written)."""
    return [lever.key for lever in LEVERS]


def check_budget(budget: int, space: Sequence[Dimension]) -> None:
    """A budget below the number of levers cannot move each lever once: bad input."""
    if budget < len(space):
        raise BadInput(
            [
                f"--budget {budget}: below the number of levers ({len(space)}); give at least "
                f"{len(space)} candidates"
            ]
        )
