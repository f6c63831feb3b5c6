"""The levers resolved on a scenario: the two ends each lever is set at for the audit.

The registry (what each lever is, its nudge, its words) is :mod:`sim.scenario.lever_registry`
and when it is switched on :mod:`sim.scenario.lever_conditions`; both are re-exported here,
so that ``rollout levers`` (:mod:`sim.experiments.levers`), docs/diagrams.py and the
validation report read one module. Only data and pydantic live here (no pandas, SciPy or
SimPy): ``rollout validate`` and the app can read it at no cost.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .base import FrozenDict
from .keys import ScenarioError
from .lever_conditions import CONDITIONS, Condition
from .lever_registry import (
    COVERAGE_MONTH,
    LEVERS,
    MEASURES,
    MECHANISMS,
    MOVES,
    Absolute,
    Drop,
    Lever,
    Nudge,
    Relative,
    Values,
    _plain,
    app_keys,
    lever_for,
)
from .schema import Scenario
from .uncertainty import leaf_field, number_kind

__all__ = [
    "CONDITIONS",
    "COVERAGE_MONTH",
    "LEVERS",
    "MEASURES",
    "MECHANISMS",
    "MOVES",
    "Absolute",
    "Condition",
    "Drop",
    "Lever",
    "Nudge",
    "Relative",
    "Setting",
    "Values",
    "app_keys",
    "at_end",
    "check_request",
    "chosen",
    "lever_for",
    "lever_ids",
    "phase_timing",
    "settings",
    "value_at",
]


# --------------------------------------------------------------------------- resolved


@dataclass(frozen=True)
class Setting:
    """A lever resolved on one scenario: the changes that give its two ends.

    ``low`` and ``high`` are dotted-key changes (``high`` is the larger value, or the second
    of a :class:`Values` pair, or the phase with its supply). ``base_is`` says which end the
    scenario already is (None: neither). ``problem`` says why the lever could not be
    nudged (then ``low`` and ``high`` are empty).
    """

    lever: Lever
    id: str
    label: str
    switched_on: bool
    low: dict[str, Any] = field(default_factory=dict)
    high: dict[str, Any] = field(default_factory=dict)
    low_text: str = ""
    high_text: str = ""
    base_is: str | None = None
    problem: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key the lever sets, in order."""
        return tuple(dict.fromkeys([*self.low, *self.high]))


def _dump(scenario: Scenario) -> dict[str, Any]:
    return scenario.model_dump(mode="python")


def value_at(data: Any, key: str) -> Any:
    """The value at a dotted key of dumped scenario data (KeyError if absent)."""
    node = data
    for part in key.split("."):
        node = node[int(part)] if isinstance(node, list | tuple) else node[part]
    return node


def _matches(data: Any, pattern: str) -> list[str]:
    """Every dotted key that ``pattern``'s ``*`` parts match in the data."""
    found = [""]
    for part in pattern.split("."):
        nxt = []
        for prefix in found:
            node = value_at(data, prefix[1:]) if prefix else data
            if part == "*":
                names = range(len(node)) if isinstance(node, list | tuple) else node
                nxt += [f"{prefix}.{name}" for name in names]
            elif isinstance(node, dict) and part in node:
                nxt.append(f"{prefix}.{part}")
        found = nxt
    return [key[1:] for key in found]


def _months_between(first: date, second: date) -> int:
    """Whole months from ``first`` to ``second`` (rounded to the nearest month)."""
    months = (second.year - first.year) * 12 + second.month - first.month
    return months + (1 if second.day - first.day > 15 else -1 if first.day - second.day > 15 else 0)


def phase_timing(scenario: Scenario, i: int) -> tuple[int, int]:
    """Phase ``i``'s gap after the previous phase and its length, in whole months."""
    dates = scenario.phase_dates()
    begins, ends = dates[i]
    after = dates[i - 1][1] + timedelta(days=1) if i else scenario.scenario.start
    return max(0, _months_between(after, begins)), max(
        1, _months_between(begins, ends + timedelta(days=1))
    )


def _bindings(lever: Lever, scenario: Scenario) -> Iterator[dict[str, Any]]:
    """Each way the lever's ``{i}``, ``{group}`` and ``{supply}`` bind in the scenario."""
    phases = scenario.programme.phases
    if "{i}" in lever.key:
        for i in range(1, len(phases)):
            bound = {"i": i, "phase": phases[i].name}
            if isinstance(lever.nudge, Drop):
                for supply in phases[i].supplies:
                    yield {**bound, "supply": supply}
            else:
                yield bound
    elif "{group}" in lever.key:
        for name in scenario.programme.groups:
            yield {"group": name}
    else:
        yield {}


def _label(lever: Lever, bound: Mapping[str, Any]) -> str:
    text = lever.label
    for name, value in bound.items():
        text = text.replace("{" + name + "}", str(value).replace("_", " "))
    return text


def _whole(key: str) -> bool:
    found = leaf_field(re.sub(r"\.\d+\.", ".0.", key), Scenario)
    return found is not None and number_kind(found) == "int"


def _step(value: float, nudge: Relative | Absolute, whole: bool, sign: int) -> float:
    moved = (
        value * (1 + sign * nudge.step)
        if isinstance(nudge, Relative)
        else (value + sign * nudge.step)
    )
    if whole:
        moved = int(round(moved))
        if moved == value:
            moved = int(value) + (1 if sign * nudge.step > 0 else -1)
    return moved


def _tries(scenario: Scenario, lever: Lever, bound: Mapping[str, Any], key: str):
    """The lever's two ends, first nudged as the registry says, then the other way.

    Yields ``(low, high, low_text, high_text, as_set)``: the changes of each end, their
    values in words, and which end is the scenario as set (None: neither).
    """
    data = _dump(scenario)
    nudge = lever.nudge
    if isinstance(nudge, Values):
        value = value_at(data, key)
        as_set = "low" if _same(value, nudge.low) else "high" if _same(value, nudge.high) else None
        yield {key: nudge.low}, {key: nudge.high}, _plain(nudge.low), _plain(nudge.high), as_set
        return
    if isinstance(nudge, Drop):
        supplies = list(value_at(data, key))
        without = [s for s in supplies if s != bound["supply"]]
        yield {key: without}, {key: supplies}, "without", "with", "high"
        return
    if "{i}" in lever.key and key.endswith((".start_after_months", ".months")):
        gap, months = phase_timing(scenario, bound["i"])
        prefix = key.rsplit(".", 1)[0]
        value = gap if key.endswith(".start_after_months") else months
        now = {f"{prefix}.start_after_months": gap, f"{prefix}.months": months}
        # The phase restated by months is the scenario as set when it keeps its dates.
        same = _dates_kept(scenario, now)
        for sign in (1, -1):
            moved = _step(value, nudge, True, sign)
            new = {**now, key: moved}
            if moved >= value:
                yield now, new, _plain(value), _plain(moved), "low" if same else None
            else:
                yield new, now, _plain(moved), _plain(value), "high" if same else None
        return
    if "{i}.foundation." in lever.key:  # a phase's change to the cohort design
        phase = scenario.programme.phases[bound["i"]]
        name = key.rsplit(".", 1)[1]
        value = getattr(scenario.programme.foundation_for(phase), name)
        table = key.rsplit(".", 1)[0]
        for sign in (1, -1):
            moved = _step(value, nudge, _whole(key), sign)
            # A phase without a table of changes yet is given one.
            new = {table: {name: moved}} if phase.foundation is None else {key: moved}
            if moved >= value:
                yield {}, new, _plain(value), _plain(moved), "low"
            else:
                yield new, {}, _plain(moved), _plain(value), "high"
        return
    if "*" in key:
        keys = _matches(data, key) + [k for k in lever.scale_also if _present(data, k)]
        for sign in (1, -1):
            factor = 1 + sign * nudge.step
            now = {k: value_at(data, k) for k in keys}
            new = {k: (_step(v, nudge, _whole(k), sign) if v else v) for k, v in now.items()}
            if factor >= 1:
                yield now, new, "as set", f"x{factor:g}", "low"
            else:
                yield new, now, f"x{factor:g}", "as set", "high"
        return
    value = value_at(data, key)
    for sign in (1, -1):
        moved = _step(value, nudge, _whole(key), sign)
        also = {k: value_at(data, k) for k in lever.scale_also if _present(data, k)}
        factor = moved / value if value else 1.0
        now = {key: value, **also}
        new = {key: moved, **{k: v * factor for k, v in also.items()}}
        if moved >= value:
            yield now, new, _plain(value), _plain(moved), "low"
        else:
            yield new, now, _plain(moved), _plain(value), "high"


def _dates_kept(scenario: Scenario, changes: Mapping[str, Any]) -> bool:
    try:
        return scenario.with_changes(dict(changes)).phase_dates() == scenario.phase_dates()
    except ScenarioError:
        return False


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return list(a) == list(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def _present(data: Any, key: str) -> bool:
    try:
        return value_at(data, key) is not None
    except (KeyError, IndexError, TypeError):
        return False


def at_end(scenario: Scenario, changes: Mapping[str, Any]) -> Scenario:
    """The scenario with ``changes`` set, and those keys' ``[uncertainty]`` entries removed:
    a value a nudge sets is the value used in every future.
    """
    changed = scenario.with_changes(dict(changes), source="levers") if changes else scenario
    kept = {k: v for k, v in changed.uncertainty.items() if k not in changes}
    if len(kept) == len(changed.uncertainty):
        return changed
    return changed.model_copy(update={"uncertainty": FrozenDict(kept)})


def _resolve(scenario: Scenario, lever: Lever, bound: dict[str, Any]) -> Setting:
    key = lever.key.format(**{k: v for k, v in bound.items() if k in ("i", "group")})
    label = _label(lever, bound)
    ident = key + (f":{bound['supply']}" if "supply" in bound else "")
    if not CONDITIONS[lever.when](scenario, bound):
        return Setting(lever, ident, label, False)
    problems: list[str] = []
    for low, high, low_text, high_text, as_set in _tries(scenario, lever, bound, key):
        if low.keys() == high.keys() and all(_same(low[k], high[k]) for k in low):
            problems.append(f"{ident}: the nudge changes nothing here (every value is 0)")
            break
        try:
            at_end(scenario, low), at_end(scenario, high)
        except ScenarioError as exc:
            problems.append(exc.lines[0])
            continue
        return Setting(lever, ident, label, True, low, high, low_text, high_text, as_set)
    return Setting(lever, ident, label, True, problem="; ".join(problems))


def lever_ids(scenario: Scenario) -> list[str]:
    """The id of every lever of the registry in ``scenario`` (patterns bound), unresolved."""
    ids = []
    for lever in LEVERS:
        for bound in _bindings(lever, scenario):
            key = lever.key.format(**{k: v for k, v in bound.items() if k in ("i", "group")})
            ids.append(key + (f":{bound['supply']}" if "supply" in bound else ""))
    return ids


def check_request(scenario: Scenario, reps: int, only=(), source: str = "<levers>") -> None:
    """Bad input for an audit, every problem at once: too few futures, a horizon short of
    the coverage month, ``--lever`` keys that are not levers of the scenario.
    """
    problems = []
    if reps < 2:
        problems.append(f"--reps {reps}: the audit needs at least 2 futures for an interval")
    horizon = scenario.scenario.horizon_months
    if horizon < COVERAGE_MONTH:
        problems.append(
            f"{source}: scenario.horizon_months: the audit reads coverage {COVERAGE_MONTH} "
            f"months in; got a horizon of {horizon} months"
        )
    ids = lever_ids(scenario)
    known = {*ids, *(i.split(":")[0] for i in ids), *(lever.key for lever in LEVERS)}
    for wanted in only:
        if wanted not in known:
            problems.append(
                f"--lever {wanted}: not a lever of {source} (levers.csv lists them, "
                "e.g. programme.foundation.cohort_size)"
            )
    if problems:
        raise ScenarioError(problems)


def chosen(setting: Setting, only) -> bool:
    """Whether ``--lever`` picks this setting (by its id, its key or its pattern)."""
    return not only or bool({setting.id, setting.id.split(":")[0], setting.lever.key} & set(only))


def settings(scenario: Scenario) -> list[Setting]:
    """Every lever of the registry resolved on ``scenario``, switched on or not."""
    return [
        _resolve(scenario, lever, bound) for lever in LEVERS for bound in _bindings(lever, scenario)
    ]
