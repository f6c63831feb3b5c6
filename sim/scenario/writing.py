"""A validated scenario written back as TOML text, which loads into the same scenario.

The web app offers the scenario a planner built as a download; ``rollout run`` then runs
exactly that. Comments of the original file are not kept (the ``[sources]`` table is).
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from .schema import Scenario

_BARE = re.compile(r"[A-Za-z0-9_\-]+")
ARRAYS_OF_TABLES = {"programme.phases"}  # written as [[...]] blocks; other arrays inline


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


def to_toml(scenario: Scenario, comments: list[str] | None = None) -> str:
    """The scenario as TOML text that :func:`sim.scenario.scenario_from_text` reads back,
    under ``comments`` (lines without the ``#``; by default, who wrote it)."""
    data = scenario.model_dump(mode="python")
    sources = data.pop("sources", {})
    if comments is None:
        comments = [f"{scenario.name or 'Scenario'}: written by rollout (the web app)."]
    lines = [f"# {line}" for line in comments]
    _table("", data, lines, None)
    if sources:
        lines += ["", "[sources]"]
        lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in sources.items()]
    return "\n".join(lines).lstrip("\n") + "\n"
