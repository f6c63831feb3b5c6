"""Which keys stand alone: the rules of the schema read to find the names they use.

A draw of ``[uncertainty]`` (one replication's values) skips full validation when every
key drawn stands alone: its own range check (done once, on the table) is then the only
rule its value meets. Which keys those are is not kept by hand, where a new rule on one of
them would be silently skipped, but read from the rules themselves: every model validator
of every table, every field validator that sees other fields (``info``), and the cross-key
check of the whole scenario, followed into the methods, properties and ``sim.scenario``
functions they call. A key stands alone when it holds a number and its name is read by
none of them (a name read anywhere counts everywhere: a shared name such as ``posts``
costs a validation, never a skipped rule).
"""

from __future__ import annotations

import ast
import functools
import inspect
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from .provenance import _shape
from .uncertainty import leaf_field, number_kind


def _models(root: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """Every table class below ``root`` (itself included), once each."""
    seen: set[type] = set()
    todo: list[type] = [root]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        yield model
        for field in model.model_fields.values():
            kind, inner = _shape(field.annotation)
            while kind in ("names", "array"):
                kind, inner = _shape(inner)
            if kind == "model":
                todo.append(inner)


def _rules(model: type[BaseModel]) -> Iterator[Callable[..., Any]]:
    """The functions of a table that can read more than the one value they check."""
    decorators = model.__pydantic_decorators__
    for decorator in decorators.model_validators.values():
        yield decorator.func
    for decorator in decorators.field_validators.values():
        if "info" in inspect.signature(decorator.func).parameters:
            yield decorator.func


def _source(function: Any) -> ast.AST | None:
    function = inspect.unwrap(getattr(function, "__func__", function))
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError):
        return None


def _called(name: str, function: Any, classes: list[type]) -> Iterator[Any]:
    """What a name in a rule's body may stand for: a ``sim.scenario`` function of the
    rule's module, or a method or property of a table.
    """
    target = getattr(inspect.unwrap(getattr(function, "__func__", function)), "__globals__", {})
    found = target.get(name)
    if inspect.isfunction(found) and found.__module__.startswith("sim.scenario"):
        yield found
    for cls in classes:
        member = cls.__dict__.get(name)
        if isinstance(member, property):
            yield member.fget
        elif inspect.isfunction(member) or isinstance(member, classmethod | staticmethod):
            yield member


def names_read(root: type[BaseModel], checks: tuple[Callable[..., Any], ...] = ()) -> set[str]:
    """Every attribute name and text constant in the rules of ``root``'s tables and in
    ``checks``, and in what they call.
    """
    classes = list(_models(root))
    todo: list[Any] = [*checks, *(rule for model in classes for rule in _rules(model))]
    done: set[Any] = set()
    names: set[str] = set()
    while todo:
        function = todo.pop()
        if function in done:
            continue
        done.add(function)
        tree = _source(function)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
                todo += _called(node.attr, function, classes)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)
            elif isinstance(node, ast.Name):
                todo += _called(node.id, function, classes)
    return names


@functools.cache
def _read_by_rules(root: type[BaseModel], checks: tuple[Callable[..., Any], ...]) -> frozenset[str]:
    return frozenset(names_read(root, checks))


@functools.cache
def stands_alone(key: str, root: type[BaseModel], checks: tuple[Callable[..., Any], ...]) -> bool:
    """Whether a key of ``root``'s tables can change without any other key's rule being
    affected: it holds a number and no rule of the tables, nor ``checks``, reads its name.
    """
    try:
        field = leaf_field(key, root)
    except (KeyError, AttributeError, TypeError):
        return False
    if field is None or number_kind(field) is None:
        return False
    return key.rsplit(".", 1)[-1] not in _read_by_rules(root, checks)
