"""A validated scenario written back as TOML text, which loads into the same scenario.

The web app offers the scenario a planner built as a download, and ``rollout calibrate``
writes its calibrated scenario; ``rollout run`` then runs exactly that. Given the text of
the file the scenario came from, the file itself is rewritten (with tomlkit): its comments,
its order and its layout stay, and only the values that differ change (a key the scenario
no longer has goes; a key the file left out is added only when its value is not the
default the file already meant). Without it, the scenario is written out whole.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from .schema import Scenario

_BARE = re.compile(r"[A-Za-z0-9_\-]+")
ARRAYS_OF_TABLES = {"programme.phases"}  # written as [[...]] blocks; other arrays inline
INLINE_TABLES = {"sources", "uncertainty"}  # each entry one line: { source = …, … }


def toml_key(key: str) -> str:
    """A key as TOML: bare when it can be, quoted otherwise."""
    return key if _BARE.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def toml_value(value: Any) -> str:
    """A value as TOML: numbers, booleans, dates, text, arrays and inline tables."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON escapes are valid TOML
    if isinstance(value, dict):
        inner = ", ".join(
            f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items() if v is not None
        )
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def _table(path: str, table: dict[str, Any], lines: list[str], header: str | None) -> None:
    plain = {k: v for k, v in table.items() if v is not None and not isinstance(v, dict)}
    plain = {k: v for k, v in plain.items() if f"{path}.{k}".lstrip(".") not in ARRAYS_OF_TABLES}
    if header is not None and (plain or not any(isinstance(v, dict) for v in table.values())):
        lines += ["", header]
    for key, value in plain.items():
        lines.append(f"{toml_key(key)} = {toml_value(value)}")
    for key, value in table.items():
        full = f"{path}.{toml_key(key)}".lstrip(".")
        if isinstance(value, dict):
            inline = path == "" and key == "sources"
            if inline:
                lines += ["", "[sources]"]
                lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()]
            else:
                _table(full, value, lines, f"[{full}]")
        elif full in ARRAYS_OF_TABLES and value is not None:
            for item in value:
                lines += ["", f"[[{full}]]"]
                lines += [
                    f"{toml_key(k)} = {toml_value(v)}" for k, v in item.items() if v is not None
                ]


def to_toml(
    scenario: Scenario, comments: list[str] | None = None, original: str | None = None
) -> str:
    """The scenario as TOML text that :func:`sim.scenario.scenario_from_text` reads back,
    under ``comments`` (lines without the ``#``; by default, who wrote it).

    ``original``: the text of the file the scenario came from, rewritten in place so that
    its comments and order stay (:func:`rewrite`).
    """
    if comments is None:
        comments = [f"{scenario.name or 'Scenario'}: written by rollout (the web app)."]
    header = [f"# {line}" for line in comments]
    if original is not None:
        return "\n".join(header) + ("\n\n" if header else "") + rewrite(original, scenario)
    data = scenario.model_dump(mode="python")
    sources = data.pop("sources", {})
    lines = list(header)
    _table("", data, lines, None)
    if sources:
        lines += ["", "[sources]"]
        lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in sources.items()]
    return "\n".join(lines).lstrip("\n") + "\n"


# --------------------------------------------------------------------------- rewriting a file


def rewrite(original: str, scenario: Scenario) -> str:
    """``original`` (a scenario file's text) changed to hold ``scenario``: its comments,
    order and layout kept, only the values that differ written anew (tomlkit).
    """
    import tomlkit

    from .loading import scenario_from_text

    document = tomlkit.parse(original)
    meant = scenario_from_text(original, "<original>").model_dump(mode="python")
    _merge(document, _plain(scenario.model_dump(mode="python")), _plain(meant), "")
    return tomlkit.dumps(document)


_ABSENT = object()


def _plain(value: Any) -> Any:
    """Data as plain Python: tomlkit items unwrapped, tuples as lists, no ``None`` values."""
    if hasattr(value, "unwrap"):
        value = value.unwrap()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _same(a: Any, b: Any) -> bool:
    """Equal as scenario values: ``1`` and ``1.0`` are, ``true`` and ``1`` are not."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return (
        type(a) is type(b)
        and a == b
        or (isinstance(a, int | float) and isinstance(b, int | float) and a == b)
    )


def _merge(container: Any, new: dict[str, Any], meant: dict[str, Any], path: str) -> None:
    """Make a tomlkit table hold ``new``; ``meant`` is what the file's table meant (its
    values with the schema's defaults), so that a default the file leaves out stays out.
    """
    import tomlkit
    from tomlkit.items import AoT, InlineTable, Table

    for key in [k for k in container if k not in new]:
        del container[key]  # a value the scenario no longer has (e.g. a date made relative)
    for key, value in new.items():
        full = f"{path}.{key}" if path else key
        if key not in container:
            before = meant.get(key, _ABSENT)
            if before is not _ABSENT and _same(before, value):
                continue
            if isinstance(value, dict) and isinstance(before, dict) and path not in INLINE_TABLES:
                table = tomlkit.table()
                _merge(table, value, before, full)
                if len(table):
                    container[key] = table
                continue
            container[key] = _item(value, inline=path in INLINE_TABLES)
            continue
        item = container[key]
        if _same(_plain(item), value):
            continue
        before = meant.get(key, {})
        if isinstance(value, dict) and isinstance(item, Table):
            _merge(item, value, before if isinstance(before, dict) else {}, full)
        elif isinstance(item, AoT) and isinstance(value, list) and len(item) == len(value):
            for i, (element, entry) in enumerate(zip(item, value, strict=True)):
                was = before[i] if isinstance(before, list) and i < len(before) else {}
                _merge(element, entry, was, f"{full}.{i}")
        else:
            container[key] = _item(value, inline=isinstance(item, InlineTable))


def _item(value: Any, inline: bool) -> Any:
    """A new tomlkit value: a table given as one line when ``inline``."""
    import tomlkit

    if isinstance(value, dict) and inline:
        table = tomlkit.inline_table()
        table.update(value)
        return table
    return tomlkit.item(value)
