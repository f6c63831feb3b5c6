"""Provenance: where each figure in a scenario comes from, and how far to trust it.

A scenario may carry a top-level ``[sources]`` table. Its keys are the quoted dotted key
paths of other scenario keys (an array element by its index, a role or group by its name);
its values say where the figure came from and how much it can be trusted::

    [sources]
    "workforce.roles.social_worker.turnover" = { source = "DfE CSWW 2025", confidence = "data" }
    "programme.phases.1.end" = { source = "a one-year phase", confidence = "assumption" }

``data`` is a published or measured figure, ``estimate`` a figure derived from data by a
stated calculation or stretched beyond what the data covers, ``assumption`` a planning guess
to be replaced with local knowledge. A source on a table (``"programme.phases.0"``) covers
every key inside it.

The paths are checked against the schema *and* the scenario's own names and arrays, so a
source can never silently point at nothing: a mistyped path is an error with a suggestion.
This module knows nothing of the scenario's classes; :mod:`sim.scenario` passes its root
model in, which keeps the import one way.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections import Counter
from typing import Any

from pydantic import BaseModel

CONFIDENCES = ("data", "estimate", "assumption")

# Keys that label rather than measure: they need no source.
LABEL_KEYS = ("scenario.name", "scenario.description")
# Top-level tables that describe other keys and carry their own sources.
ABOUT_KEYS = ("sources", "uncertainty")


def is_label(path: str) -> bool:
    """Whether ``path`` names a label (a scenario's or a phase's name), not a parameter."""
    if path in LABEL_KEYS:
        return True
    parts = path.split(".")
    return len(parts) == 4 and parts[:2] == ["programme", "phases"] and parts[3] == "name"


def check_entries(value: Any) -> Any:
    """Refuse ``[sources]`` written as nested tables, with the fix in the message.

    An unquoted dotted key (``workforce.roles.x.turnover = {...}``) makes TOML build nested
    tables; pydantic would then report three puzzling lines about a source called
    ``workforce``. One line that shows the quoted form is kinder.
    """
    if not isinstance(value, dict):
        return value
    for key, entry in value.items():
        if (
            isinstance(entry, dict)
            and entry
            and not ({"source", "confidence"} & set(entry))
            and all(isinstance(v, dict) for v in entry.values())
        ):
            inner = next(iter(entry))
            raise ValueError(
                f"key {key!r} holds tables, not a source: write each key path in quotes, "
                f'e.g. "{key}.{inner}" = {{ source = "...", confidence = "data" }}'
            )
    return value


# --------------------------------------------------------------------------- key paths


def _strip_optional(annotation: Any) -> Any:
    """``X | None`` → ``X``; anything else unchanged."""
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _strip_optional(args[0])
    if origin is typing.Annotated:
        return _strip_optional(typing.get_args(annotation)[0])
    return annotation


def _shape(annotation: Any) -> tuple[str, Any]:
    """What a key holds: ``("model", cls)``, ``("names", item)``, ``("array", item)``, or
    ``("value", None)``.
    """
    annotation = _strip_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is dict:
        return "names", args[1]
    if origin in (tuple, list) and args:
        return "array", args[0]
    return "value", None


def _child(node: Any, key: str | int) -> Any:
    try:
        return node[key]
    except (KeyError, IndexError, TypeError):
        return None


def _suggest(parts: list[str], depth: int, choices: list[str]) -> str:
    close = difflib.get_close_matches(parts[depth], choices, n=1)
    if not close:
        return ""
    return f' (did you mean "{".".join([*parts[:depth], close[0], *parts[depth + 1 :]])}"?)'


def path_problem(path: str, data: Any, root: type[BaseModel]) -> str | None:
    """Why ``path`` names no key of the scenario ``data`` (schema ``root``), or None.

    The schema gives the table keys; the data gives the user's names (roles, groups) and
    the lengths of arrays (phases, sessions).
    """
    parts = path.split(".")
    if not path or any(p == "" for p in parts):
        return "not a dotted key path such as workforce.roles.social_worker.turnover"
    kind, inner = "model", root
    node = data
    for depth, part in enumerate(parts):
        where = ".".join(parts[:depth])
        if kind == "model":
            if depth == 0 and part in ABOUT_KEYS:
                return f"the {part} table is not a parameter (its entries carry their sources)"
            keys = [k for k in inner.model_fields if not (depth == 0 and k in ABOUT_KEYS)]
            if part not in keys:
                table = f"in {where}" if where else "at the top level"
                return f"no key {part!r} {table}" + _suggest(parts, depth, keys)
            kind, inner = _shape(inner.model_fields[part].annotation)
            node = _child(node, part)
        elif kind == "names":
            names = [str(n) for n in node] if isinstance(node, dict) else []
            if part not in names:
                listed = ", ".join(names) or "none"
                return f"{where} has no entry {part!r} (it has: {listed})" + _suggest(
                    parts, depth, names
                )
            node = node[part]
            kind, inner = _shape(inner)
        elif kind == "array":
            length = len(node) if isinstance(node, list | tuple) else 0
            if not part.isdigit() or int(part) >= length:
                has = f"it has {length}, numbered from 0" if length else "it is empty"
                return f"{where} has no element {part} ({has})"
            node = node[int(part)]
            kind, inner = _shape(inner)
        else:
            return f"{where} is a value, not a table"
    return None


def source_problems(data: Any, root: type[BaseModel]) -> list[str]:
    """One line per ``[sources]`` key that names no scenario key, as ``sources."path": …``.

    Works on raw data too (it skips what is malformed), so that a file whose other keys fail
    validation still has its sources checked in the same run.
    """
    sources = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(sources, dict):
        return []
    problems = []
    for path in sources:
        why = path_problem(str(path), data, root)
        if why:
            problems.append(f'sources."{path}": {why}')
    return problems


# --------------------------------------------------------------------------- coverage


def parameter_paths(data: Any, prefix: str = "") -> list[str]:
    """The dotted paths of every value set in raw scenario data; labels, sources and the
    uncertainty table (whose entries carry their own sources) excluded.

    Arrays of tables (phases, sessions) are entered by index; arrays of values (``supplies``,
    ``roles``) are one parameter.
    """
    paths: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if not prefix and key in ABOUT_KEYS:
                continue
            paths += parameter_paths(value, f"{prefix}{key}.")
    elif isinstance(data, list | tuple) and data and all(isinstance(v, dict) for v in data):
        for i, value in enumerate(data):
            paths += parameter_paths(value, f"{prefix}{i}.")
    else:
        path = prefix[:-1]
        if path and not is_label(path):
            paths.append(path)
    return paths


def source_for(path: str, sources: dict[str, Any]) -> tuple[str, Any] | None:
    """The entry that covers ``path``: its own, else the nearest enclosing table's."""
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        key = ".".join(parts[:end])
        if key in sources:
            return key, sources[key]
    return None


def unsourced(paths: list[str], sources: dict[str, Any]) -> list[str]:
    """The paths among ``paths`` that no source covers."""
    return [p for p in paths if source_for(p, sources) is None]


def confidence_counts(sources: dict[str, Any]) -> dict[str, int]:
    """How many ``[sources]`` entries there are of each confidence (every level listed)."""
    counts = Counter(_confidence(entry) for entry in sources.values())
    return {level: counts.get(level, 0) for level in CONFIDENCES}


def _confidence(entry: Any) -> str:
    return entry["confidence"] if isinstance(entry, dict) else entry.confidence


def broken_paths(data: Any, root: type[BaseModel]) -> set[str]:
    """The ``[sources]`` paths of ``data`` that name no key."""
    sources = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(sources, dict):
        return set()
    return {path for path in sources if path_problem(str(path), data, root)}


def drop_orphaned(data: Any, root: type[BaseModel], already_broken: set[str]) -> None:
    """Remove, in place, the sources that changes to ``data`` left pointing at nothing.

    A variant that removes what a source describes (``--set programme.phases=[]`` drops the
    phases) is not a mistake in the sources, so those sources go with what they described.
    Paths in ``already_broken`` were wrong before the changes: they stay, to be reported.
    """
    sources = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(sources, dict):
        return
    for path in broken_paths(data, root) - already_broken:
        del sources[path]
