"""TOML text for generated scenarios: values, keys, tables, and the template's comments
(read with tomlkit, which parses what a person wrote, comments included).
"""

from __future__ import annotations

import re
from typing import Any

# One writer of TOML values and keys for every file the tool writes (re-exported here).
from ..scenario.writing import toml_key, toml_value  # noqa: F401

# Arrays of tables written as [[...]] blocks.
TABLE_ARRAYS = {"programme.phases"}

# --------------------------------------------------------------------------- the template


def template_comments(text: str) -> dict[str, str]:
    """The comment after every key in a TOML file, by dotted key path (read with tomlkit).

    Elements of a multi-line array get ``path.<index>`` (a comment on the line that opens
    the array is the array's own); tables inside an array of tables get the element's index
    (``programme.phases.1.foundation``). Whole-line comments are not attached to anything.
    """
    import tomlkit
    from tomlkit.items import AoT, Array, Table

    comments: dict[str, str] = {}

    def walk(table: Any, prefix: str) -> None:
        for key in list(table.keys()):
            item = table.item(key)  # the item, not its value: a bool's comment is kept
            path = f"{prefix}{key}"
            if isinstance(item, AoT):
                for i, element in enumerate(item.body):
                    walk(element, f"{path}.{i}.")
            elif isinstance(item, Table):
                walk(item, f"{path}.")
            elif isinstance(item, Array):
                comments.update(_array_comments(item, path))
            elif item.trivia.comment:
                comments[path] = _words(item.trivia.comment)

    walk(tomlkit.parse(text), "")
    return comments


def _words(comment: str) -> str:
    return comment.lstrip("#").strip()


def _array_comments(array: Any, path: str) -> dict[str, str]:
    """The comments of a multi-line array: each element's, and the opening line's."""
    from tomlkit.items import Comment, Null

    found = {path: _words(array.trivia.comment)} if array.trivia.comment else {}
    index = None
    # tomlkit keeps an array's comments only in its groups (a value, its comma, the comment
    # that follows), which it does not make public: read them, one group at a time.
    for group in array._value:
        value = getattr(group, "value", None)
        if value is not None and not isinstance(value, Null):
            index = 0 if index is None else index + 1
        comment = getattr(group, "comment", None)
        if isinstance(comment, Comment) and comment.trivia.comment:
            found[path if index is None else f"{path}.{index}"] = _words(comment.trivia.comment)
    return found


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
    """Whether ``value`` is written as a TOML table."""
    return isinstance(value, dict)


def is_table_array(path: str) -> bool:
    """Arrays written as ``[[...]]`` tables (the others, such as sessions, stay inline)."""
    return path in TABLE_ARRAYS


def table_header(path: str) -> str:
    """A table header's name: array indices dropped (``programme.phases.1.foundation``
    belongs to the ``[[programme.phases]]`` element just written).
    """
    return re.sub(r"\.\d+(?=\.|$)", "", path)
