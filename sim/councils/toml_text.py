"""TOML text for generated scenarios: values, keys, tables, and the template's comments."""

from __future__ import annotations

import re
from typing import Any

# One writer of TOML values and keys for every file the tool writes (re-exported here).
from ..scenario.writing import toml_key, toml_value  # noqa: F401

# Arrays of tables written as [[...]] blocks.
TABLE_ARRAYS = {"programme.phases"}

# --------------------------------------------------------------------------- the template


def template_comments(text: str) -> dict[str, str]:
    """The inline comment of every key in a TOML file, by dotted key path.

    Elements of a multi-line array get ``path.<index>``; tables inside an array of tables
    get the element's index (``programme.phases.1.foundation``). Whole-line comments are
    not attached to anything.
    """
    comments: dict[str, str] = {}
    table = ""
    arrays: dict[str, int] = {}
    open_array: str | None = None
    element = 0
    for raw in text.splitlines():
        code, comment = _split_comment(raw.strip())
        if not code:
            continue
        if open_array is not None:
            if code.startswith("]"):
                open_array = None
            else:
                if comment:
                    comments[f"{open_array}.{element}"] = comment
                element += 1
            continue
        if match := re.fullmatch(r"\[\[\s*(.+?)\s*\]\]", code):
            key = match.group(1)
            arrays[key] = arrays.get(key, 0) + 1
            table = f"{key}.{arrays[key] - 1}"
            continue
        if match := re.fullmatch(r"\[\s*(.+?)\s*\]", code):
            table = match.group(1)
            for key, count in arrays.items():
                if table.startswith(key + "."):
                    table = f"{key}.{count - 1}.{table[len(key) + 1 :]}"
            continue
        if match := re.match(r"^([A-Za-z0-9_\-\"]+)\s*=\s*(.*)$", code):
            path = f"{table}.{match.group(1).strip(chr(34))}" if table else match.group(1)
            if comment:
                comments[path] = comment
            value = match.group(2)
            if value.startswith("[") and _depth(value) > 0:
                open_array, element = path, 0
    return comments


def _split_comment(line: str) -> tuple[str, str]:
    """``key = "a # b"  # note`` -> (``key = "a # b"``, ``note``): a ``#`` outside strings."""
    quote = None
    escaped = False
    for i, char in enumerate(line):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:i].rstrip(), line[i + 1 :].strip()
    return line.rstrip(), ""


def _depth(value: str) -> int:
    code, _ = _split_comment(value)
    quote, depth = None, 0
    for char in code:
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
    return depth


# --------------------------------------------------------------------------- TOML text


def split_by_shares(total: int, shares: list[float], at_least_one: bool = True) -> list[int]:
    """Split a whole number in proportion to ``shares`` (largest remainders).

    With ``at_least_one`` (and ``total`` at least the number of shares) every share gets one,
    taken from the largest, so that no role of the template vanishes in a small council.
    """
    weight = sum(shares)
    exact = [total * s / weight for s in shares]
    parts = [int(x) for x in exact]
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    if at_least_one and total >= len(shares):
        for i, part in enumerate(parts):
            if part == 0:
                parts[i] = 1
                parts[max(range(len(parts)), key=lambda j: parts[j])] -= 1
    return parts


def is_table(value: Any) -> bool:
    return isinstance(value, dict)


def is_table_array(path: str) -> bool:
    """Arrays written as ``[[...]]`` tables (the others, such as sessions, stay inline)."""
    return path in TABLE_ARRAYS


def table_header(path: str) -> str:
    """A table header's name: array indices dropped (``programme.phases.1.foundation``
    belongs to the ``[[programme.phases]]`` element just written)."""
    return re.sub(r"\.\d+(?=\.|$)", "", path)
