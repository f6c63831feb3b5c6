"""Validation errors as readable lines: the file, the dotted key, what was wrong and allowed.

Every pydantic error becomes one line; an unknown key gets the keys allowed in its table and
the nearest one ("did you mean ...?"), found by walking the schema from ``root``.
"""

from __future__ import annotations

import difflib
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

MAX_LINE = 1_000  # characters of one message line: a file's key or value may be far longer


def unique_lines(lines: list[str]) -> list[str]:
    """Each line once, in order, at most :data:`MAX_LINE` characters."""
    seen: dict[str, None] = {}
    for line in lines:
        for part in line.split("\n"):
            seen.setdefault(part if len(part) <= MAX_LINE else part[: MAX_LINE - 1] + "…", None)
    return list(seen)


def describe(err: dict, source: str, set_keys: set[str], root: type[BaseModel]) -> str:
    """One line for one pydantic error: file, key path, what was wrong, what was allowed."""
    loc = [str(p) for p in err["loc"] if not str(p).startswith(("function-", "lax-"))]
    if len(loc) > 1 and loc[0] in ("sources", "uncertainty"):
        loc[1] = f'"{loc[1]}"'  # a key path inside a key path: quoted, as in the file
    path = _cut(".".join(loc))
    kind = err["type"]
    ctx = err.get("ctx") or {}
    given = err.get("input")
    shown = f", got {shown_value(given)}" if not isinstance(given, dict | list | tuple) else ""
    if kind == "value_error":
        message = str(ctx.get("error", err["msg"]))
        # Cross-reference problems already carry their own key paths.
        if message.startswith(("programme.", "champions.", "workforce.", "sources.")) and not path:
            return "\n".join(f"{source}: {line}" for line in message.split("\n"))
        where = f"{path}: " if path else ""
        return f"{source}: {where}{message}"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(err["loc"][:-1], root)
        hint = difflib.get_close_matches(loc[-1], allowed, n=1)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
        from_set = any(k == path or k.startswith(path + ".") for k in set_keys)
        origin = " (from --set)" if from_set else ""
        return (
            f"{source}: {path}: unknown key{origin}{suggestion}; allowed here: {', '.join(allowed)}"
        )
    if kind == "missing":
        return f"{source}: {path}: required key is missing"
    messages = {
        "greater_than_equal": lambda: f"must be ≥ {_number(ctx.get('ge'))}",
        "greater_than": lambda: f"must be > {_number(ctx.get('gt'))}",
        "less_than_equal": lambda: f"must be ≤ {_number(ctx.get('le'))}",
        "less_than": lambda: f"must be < {_number(ctx.get('lt'))}",
        "int_parsing": lambda: "must be a whole number",
        "int_type": lambda: "must be a whole number",
        "int_from_float": lambda: "must be a whole number",
        "float_parsing": lambda: "must be a number",
        "float_type": lambda: "must be a number",
        "bool_parsing": lambda: "must be true or false",
        "bool_type": lambda: "must be true or false",
        "date_parsing": lambda: "must be a date like 2017-11-01",
        "date_from_datetime_parsing": lambda: "must be a date like 2017-11-01",
        "date_type": lambda: (
            "must be a date like 2017-11-01, without a time of day"
            if isinstance(given, datetime)
            else "must be a date like 2017-11-01"
        ),
        "finite_number": lambda: "must be a finite number",
        "string_too_long": lambda: f"must be at most {ctx.get('max_length'):,} characters",
        "too_long": lambda: f"must have at most {ctx.get('max_length'):,} item(s)",
        "literal_error": lambda: f"must be one of {ctx.get('expected')}",
        "too_short": lambda: f"needs at least {ctx.get('min_length')} item(s)",
        "string_type": lambda: "must be text in quotes",
        "dict_type": lambda: "must be a table",
        "model_type": lambda: "must be a table",
        "tuple_type": lambda: "must be an array",
    }
    message = messages.get(kind, lambda: err["msg"][0].lower() + err["msg"][1:])()
    return f"{source}: {path}: {message}{shown}"


def _cut(path: str, width: int = 200) -> str:
    """A key path cut short: a file's unknown key may be a megabyte long."""
    return path if len(path) <= width else path[: width - 1] + "…"


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def shown_value(value: Any, width: int = 60) -> str:
    """A value as an error line shows it: TOML-like, and cut short (a file's value may be a
    megabyte long).
    """
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, str):
        text = repr(value[: width + 1])
    elif isinstance(value, int) and abs(value) > 10**width:
        text = f"a number of {len(str(abs(value)))} digits"
    else:
        text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _allowed_keys(loc: tuple, root: type[BaseModel]) -> list[str]:
    """The keys allowed in the table at ``loc``, found by walking the schema."""
    model: Any = root
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            # Inside a dict of models (roles, groups): the part is a user's name.
            continue
        model = _model_of(field.annotation)
    fields = getattr(model, "model_fields", {})
    return list(fields)


def _model_of(annotation: Any) -> Any:
    """The pydantic model inside an annotation such as ``tuple[Phase, ...]`` or ``X | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_of(arg)
        if found is not None:
            return found
    return None
