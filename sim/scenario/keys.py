"""Dotted key paths: ``--set KEY=VALUE`` values, and the error types for bad input.

Pure dictionary work, below the schema, so the schema, the loader and the experiments can
all change a scenario's raw data the same way.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from typing import Any


class BadInput(Exception):
    """A user's mistake (exit 2): one message line per problem, all found at once.

    Distinct from an internal error (exit 1), so the command layer can say the lines and
    nothing more. Kept here, at the lowest floor, so that every floor can raise it.
    """

    def __init__(self, lines: list[str]):
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))

    def lines_as(self, names: Mapping[str, str]) -> list[str]:
        """The lines, with parameters called by ``names`` (e.g. their command-line flags)."""
        return self.lines


class BadArgument(BadInput):
    """A bad argument to a library call, its message naming the parameter.

    ``template`` holds parameter names in braces (``"{resume} {folder}: no such run
    folder"``) and ``values`` the rest. A Python caller reads the parameters' own names
    (``resume``); the command layer asks :meth:`lines_as` for its flags (``--resume``), so
    the library knows nothing of the command line and the user still reads the flag.
    """

    def __init__(self, template: str, **values: Any):
        self.template, self.values = template, values
        super().__init__([self.said({})])

    def said(self, names: Mapping[str, str]) -> str:
        """The message, each parameter called by ``names`` (else by its own name)."""
        fields = {f for _, f, _, _ in string.Formatter().parse(self.template) if f}
        return self.template.format_map({**{f: names.get(f, f) for f in fields}, **self.values})

    def lines_as(self, names: Mapping[str, str]) -> list[str]:
        """The message with its parameters named as ``names`` says (flags, for a command)."""
        return [self.said(names)]


class ScenarioError(BadInput):
    """Bad input in a scenario: its file, a key or a value."""


def parse_value(raw: str) -> Any:
    """Read an override value as TOML (numbers, dates, booleans, arrays), else as text."""
    if too_deep(raw):
        return raw  # text, which the schema then refuses where a number or array belongs
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def too_deep(text: str, limit: int | None = None) -> int | None:
    """The line at which TOML ``text``'s arrays and inline tables nest deeper than ``limit``
    (default :data:`sim.scenario.base.MAX_DEPTH`), or None.

    Checked before :mod:`tomllib` reads the text: it reads nested arrays recursively, so a
    thousand ``[`` would exhaust Python's stack. Brackets inside strings and comments do not
    count; a table header ``[a.b]`` or ``[[a]]`` counts its brackets too, well within the limit.
    """
    from .limits import MAX_DEPTH

    limit = MAX_DEPTH if limit is None else limit
    depth, line, i, n = 0, 1, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
        elif c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                if text[i] == "\n":
                    line += 1
                    if len(quote) == 1:
                        break  # an unclosed string: tomllib reports it
                i += 2 if c == '"' and text[i] == "\\" else 1
            i += len(quote)
            continue
        elif c in "[{":
            depth += 1
            if depth > limit:
                return line
        elif c in "]}":
            depth = max(0, depth - 1)
        i += 1
    return None


# A phase's dates come in two forms; setting one form of a date replaces the other.
_PHASE_ALTERNATIVES = {
    "start": "start_after_months",
    "start_after_months": "start",
    "end": "months",
    "months": "end",
}


def set_by_path(data: dict, key: str, value: Any, source: str, label: str = "--set") -> None:
    """Set ``data[a][b][0][c] = value`` for the dotted key ``a.b.0.c``, creating tables.

    Setting a phase's ``start_after_months`` removes its ``start`` (and ``months`` its
    ``end``, and the other way round), so an override can move a phase given by dates.
    """
    parts = key.split(".")
    node: Any = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(node, dict) and not last and parts[depth + 1].isdigit():
            node.setdefault(part, [])  # an index into an absent array: it is empty
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                parent = ".".join(parts[:depth])
                raise ScenarioError(
                    [
                        f"{source}: {label} {key}: {parent} has no element {part} "
                        f"(it has {len(node)})"
                    ]
                )
            index = int(part)
            if last:
                node[index] = value
            else:
                node = node[index]
        elif isinstance(node, dict):
            if last:
                node[part] = value
                if parts[:2] == ["programme", "phases"] and len(parts) == 4:
                    node.pop(_PHASE_ALTERNATIVES.get(part, ""), None)
            else:
                if node.get(part) is None:  # an optional table left out (None): start it
                    node[part] = {}
                node = node[part]
        else:
            parent = ".".join(parts[:depth])
            raise ScenarioError([f"{source}: {label} {key}: {parent} is a value, not a table"])
