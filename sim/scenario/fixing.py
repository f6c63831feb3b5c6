"""A value set is the value used: what a set key does to its ``[uncertainty]`` entry.

A key given a value by ``--set``, a ``--variant``, a sweep's ``--vary`` grid, the app's
levers or :meth:`~sim.scenario.schema.Scenario.with_changes` would otherwise be replaced in
every replication by that replication's draw of its distribution, and the value the user
asked for would silently never be used. So every set value passes through
:func:`apply_set_values`, the one place the rule lives:

- ``KEY=VALUE`` **fixes** the key: its ``[uncertainty]`` entry is removed for that run (and
  any entry below a table that was set whole), and the run's account and manifest say so.
- ``KEY~=VALUE`` **shifts** the key (asked for explicitly): its distribution keeps its
  family and spread and is moved so that its centre is VALUE (the mean of a beta, normal,
  lognormal or gamma; the mode of a triangular; the midpoint of a uniform). The key's own
  value becomes VALUE too, so ``--point-values`` runs at the same centre. A key with no
  ``[uncertainty]`` entry cannot be shifted (bad input).

A role's ``turnover`` or ``hiring_delay_months`` shares one uncertain level with every other
role (``workforce.turnover_factor``, ``workforce.hiring_delay_factor``: one draw moves them
all, as their one DfE rate does), so setting it fixes that factor at its own value (1 unless
the file says otherwise): the role's value is then the value used, and so are the others'.

Setting the ``[uncertainty]`` table itself (sensitivity's ranges) fixes nothing. The keys a
scenario was given this way are kept on the scenario (:attr:`Scenario.fixed`) as
``{key: "fixed" | "shifted"}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

FIXED, SHIFTED = "fixed", "shifted"
SHIFT_MARK = "~"  # KEY~=VALUE: the mark before "=" that asks for a shift


def split_override(item: str) -> tuple[str, str, str, bool]:
    """``KEY=VALUE`` or ``KEY~=VALUE`` → (key, separator, raw value, whether a shift)."""
    key, sep, raw = item.partition("=")
    key = key.strip()
    shift = key.endswith(SHIFT_MARK)
    return key.rstrip(SHIFT_MARK).strip(), sep, raw, shift


# A set key whose uncertainty another key carries: (pattern of the set key, the carrier).
CARRIED_BY = (
    (re.compile(r"workforce\.roles\.[^.]+\.turnover"), "workforce.turnover_factor"),
    (
        re.compile(r"workforce\.roles\.[^.]+\.hiring_delay_months"),
        "workforce.hiring_delay_factor",
    ),
)


def _carriers(set_key: str) -> list[str]:
    return [carrier for pattern, carrier in CARRIED_BY if pattern.fullmatch(set_key)]


def _covers(set_key: str, key: str) -> bool:
    return key == set_key or key.startswith(set_key + ".")


def apply_set_values(
    data: dict,
    set_keys: Iterable[str],
    shifts: Mapping[str, float] = {},  # noqa: B006 (read, never written)
    source: str = "<changes>",
) -> tuple[dict[str, str], list[str]]:
    """Apply the rule to raw scenario ``data`` whose keys ``set_keys`` were just set.

    ``shifts`` holds the keys asked to shift (``KEY~=VALUE``) and their new centres. The
    ``[uncertainty]`` table of ``data`` is changed in place: entries of fixed keys removed,
    entries of shifted keys moved. Returns ``({key: "fixed" | "shifted"}, problems)``,
    one problem line (naming ``source`` and the key) per shift that cannot be made.
    """
    table = data.get("uncertainty")
    table = table if isinstance(table, dict) else {}
    outcome: dict[str, str] = {}
    problems: list[str] = []
    for key, centre in shifts.items():
        entry = table.get(key)
        if not isinstance(entry, dict):
            problems.append(
                f"{source}: --set {key}~={centre}: {key} has no [uncertainty] entry to shift "
                f"(write {key}={centre} to set it)"
            )
            continue
        moved = shifted_entry(entry, centre)
        if isinstance(moved, str):
            problems.append(f"{source}: --set {key}~={centre}: {moved}")
            continue
        table[key] = moved
        outcome[key] = SHIFTED
    for set_key in set_keys:
        if set_key in shifts or set_key.split(".")[0] in ("uncertainty", "sources"):
            continue
        covered = [k for k in table if _covers(set_key, k) or k in _carriers(set_key)]
        for key in [k for k in covered if k not in shifts]:
            del table[key]
            outcome[key] = FIXED
    return outcome, problems


def shifted_entry(entry: Mapping[str, Any], centre: Any) -> dict[str, Any] | str:
    """The ``[uncertainty]`` entry moved so that its centre is ``centre``, its spread kept,
    or why it cannot be (the moved entry is then validated like any other).
    """
    if isinstance(centre, bool) or not isinstance(centre, int | float):
        return f"a shift needs a number, got {centre!r}"
    moved = dict(entry)
    family = entry.get("distribution")
    if family in ("beta", "normal", "lognormal", "gamma"):
        moved["mean"] = float(centre)
    elif family in ("uniform", "triangular"):
        low, high = entry.get("low"), entry.get("high")
        if not all(isinstance(v, int | float) for v in (low, high)):
            return "its [uncertainty] entry has no low and high to move"
        middle = entry.get("mode") if family == "triangular" else (low + high) / 2
        if not isinstance(middle, int | float):
            return "its [uncertainty] entry has no mode to move"
        step = float(centre) - middle
        for name in ("low", "mode", "high"):
            if isinstance(entry.get(name), int | float):
                moved[name] = entry[name] + step
    else:
        return f"its [uncertainty] entry's distribution {family!r} cannot be shifted"
    note = f"centre moved to {centre:g} by --set (spread kept)"
    moved["source"] = f"{entry.get('source', '')}; {note}".lstrip("; ")
    return moved


def centre_name(family: str) -> str:
    """What the centre of a family is, in words."""
    return {"triangular": "mode", "uniform": "midpoint"}.get(family, "mean")


def fixed_lines(scenario: Any, strategy: str | None = None) -> list[str]:
    """The account's lines for the keys the user fixed or shifted, one line each:
    "practice.uptake fixed at 0.1 for this run; its uncertainty is off".
    """
    after = f" (strategy {strategy})" if strategy else ""
    lines = []
    for key, how in getattr(scenario, "fixed", {}).items():
        value = _value_at(scenario.model_dump(mode="json"), key)
        shown = f"{value:g}" if isinstance(value, int | float) else f"{value}"
        if how == SHIFTED:
            family = scenario.uncertainty[key].distribution
            lines.append(
                f"{key}'s distribution ({family}) centred on {shown} for this run, its "
                f"spread kept (the {centre_name(family)} moved){after}"
            )
        else:
            lines.append(f"{key} fixed at {shown} for this run; its uncertainty is off{after}")
    return lines


def swept_lines(scenario: Any, keys: Iterable[str]) -> list[str]:
    """The account's line for each ``[uncertainty]`` entry a swept key switches off (its
    own, those below it, or the workforce factor that carries a role's turnover or delay).
    """
    lines = []
    for key in keys:
        for entry in scenario.uncertainty:
            if _covers(key, entry):
                lines.append(f"{entry} fixed at each value of the sweep; its uncertainty is off")
            elif entry in _carriers(key):
                lines.append(
                    f"{entry} fixed at its value for the sweep (it carries the uncertainty of "
                    f"{key}, which the sweep sets); its uncertainty is off"
                )
    return lines


def _value_at(data: Any, key: str) -> Any:
    for part in key.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data
