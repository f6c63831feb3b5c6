"""Reading scenario files: TOML, ``--set`` overrides, and the bundled scenarios.

The bundled scenarios ship inside the package (``sim/scenario/bundled/``) and are found
with :mod:`importlib.resources`, so an installed wheel runs them from any folder.
"""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .keys import ScenarioError, parse_value, set_by_path, too_deep
from .limits import MAX_DEPTH, MAX_FILE_BYTES

if TYPE_CHECKING:
    from .schema import Scenario


def load_scenario(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> Scenario:
    """Read a scenario file, apply ``KEY=VALUE`` overrides, and validate it.

    Raises
    ------
    ScenarioError
        When the file is missing or unreadable, is not TOML, an override is malformed, or
        the result fails validation. Every line names the file and the key.
    """
    text = read_scenario_text(path)
    return scenario_from_text(text, str(path), overrides)


def read_scenario_text(path: str | Path) -> str:
    """A scenario file's text: at most :data:`MAX_FILE_BYTES`, UTF-8, with or without a
    byte-order mark.

    Raises
    ------
    ScenarioError
        When the file is missing, too big, unreadable or not UTF-8.
    """
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError([_too_big(source, size)])
        with path.open("rb") as handle:  # a file may grow after stat: read one byte more
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise ScenarioError([_too_big(source, len(raw))])
        text = raw.decode("utf-8-sig")  # a byte-order mark (some Windows editors) is fine
    except FileNotFoundError:
        raise ScenarioError([f"{source}: no such scenario file"]) from None
    except IsADirectoryError:
        raise ScenarioError([f"{source}: is a folder, not a scenario file"]) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            [f"{source}: not UTF-8 text (byte {exc.start + 1} cannot be read); save it as UTF-8"]
        ) from None
    except OSError as exc:
        raise ScenarioError([f"{source}: cannot read the file ({exc.strerror or exc})"]) from None
    return text


def _too_big(source: str, size: int) -> str:
    return (
        f"{source}: the file is {size:,} bytes; a scenario file may be at most "
        f"{MAX_FILE_BYTES:,} bytes"
    )


def scenario_from_text(
    text: str, source: str, overrides: list[str] | tuple[str, ...] = ()
) -> Scenario:
    """A scenario from TOML ``text`` (named ``source`` in messages), with ``KEY=VALUE``
    overrides, validated: :func:`load_scenario` without the file (``rollout national``
    builds each council's text in memory).
    """
    # The schema (pydantic) loads here, not with this module: finding a file needs neither.
    from .fixing import apply_set_values, split_override
    from .provenance import broken_paths, drop_orphaned
    from .schema import Scenario, validate

    text = text.removeprefix("\ufeff")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise ScenarioError([_too_big(source, len(text.encode("utf-8", "surrogatepass")))])
    deep = too_deep(text)
    if deep:
        raise ScenarioError([f"{source}: line {deep}: {_DEPTH_TEXT}"])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"{source}: not valid TOML: {exc}"]) from None
    deep_key = _deepest(data)  # dotted keys and table headers nest without brackets
    if deep_key:
        raise ScenarioError([f"{source}: {deep_key}: {_DEPTH_TEXT}"])
    problems: list[str] = []
    had_shock = _shock_given(data)
    set_keys: set[str] = set()
    shifts: dict[str, object] = {}
    wrong_in_file = broken_paths(data, Scenario)
    for item in overrides:
        key, sep, raw, shift = split_override(item)
        if not sep or not key:
            problems.append(f"{source}: --set {item!r}: expected KEY=VALUE")
            continue
        try:
            value = parse_value(raw.strip())
            set_by_path(data, key, value, source)
            set_keys.add(key)
            shifts.pop(key, None)  # the last of several settings of a key counts
            if shift:
                shifts[key] = value
        except ScenarioError as exc:
            problems.extend(exc.lines)
    # A value set is the value used: its [uncertainty] entry goes, or moves with KEY~=VALUE.
    fixed, wrong = apply_set_values(data, set_keys, shifts, source)
    problems += wrong
    if problems:
        raise ScenarioError(problems)
    deep_key = _deepest(data)
    if deep_key:
        raise ScenarioError([f"{source}: {deep_key}: {_DEPTH_TEXT}"])
    drop_orphaned(data, Scenario, wrong_in_file)  # sources of keys the overrides removed
    scenario = validate(data, source, set_keys, strict=True)
    if not had_shock:  # a shock --set started from nothing must do something
        from .paths_schema import started_shock_problem

        said = [k for k in dict.fromkeys(split_override(i)[0] for i in overrides) if k in set_keys]
        problem = started_shock_problem(scenario.workforce.shock, said, f"{source}: --set")
        if problem:
            raise ScenarioError([problem])
    return scenario.with_fixed(fixed) if fixed else scenario


def _shock_given(data: dict) -> bool:
    """Whether the file itself gives a ``[workforce.shock]`` table."""
    workforce = data.get("workforce")
    return isinstance(workforce, dict) and workforce.get("shock") is not None


_DEPTH_TEXT = (
    f"arrays and tables nest more than {MAX_DEPTH} levels deep; no scenario key is that deep"
)


def _deepest(data: dict) -> str | None:
    """The dotted path of a value nested deeper than :data:`MAX_DEPTH`, or None (found
    without recursion, so no depth of nesting can exhaust the stack).
    """
    stack: list[tuple[object, list[str]]] = [(data, [])]
    while stack:
        node, path = stack.pop()
        if len(path) > MAX_DEPTH:
            shown = ".".join(path[:4])
            return f"{shown}.… ({len(path)}+ levels)"
        if isinstance(node, dict):
            stack.extend((v, [*path, str(k)]) for k, v in node.items())
        elif isinstance(node, list | tuple):
            stack.extend((v, [*path, str(i)]) for i, v in enumerate(node))
    return None


def bundled_dir() -> Path:
    """The folder of bundled scenario files inside the installed package."""
    return Path(str(resources.files("sim.scenario") / "bundled"))


def bundled_names() -> list[str]:
    """Names of the bundled scenarios (``camden``, ``havering``)."""
    return sorted(p.stem for p in bundled_dir().glob("*.toml"))


def resolve_scenario(name_or_path: str) -> Path:
    """A scenario file's path: the path itself, a saved plan's file (``plan:NAME``, in the
    plans folder: ``$ROLLOUT_PLANS``, else ``./plans``), or the bundled scenario of that name.
    """
    from .plan_folder import find_plan, plan_name

    wanted = plan_name(name_or_path)
    if wanted is not None:
        return find_plan(wanted).path
    path = Path(name_or_path)
    if os.path.isfile(path):  # os.path: a name too long is no file, not an OSError
        return path
    bundled = bundled_dir() / f"{name_or_path}.toml"
    if path.suffix == "" and os.path.isfile(bundled):
        return bundled
    names = ", ".join(bundled_names()) or "none"
    raise ScenarioError(
        [f"{name_or_path}: no such scenario file or bundled scenario (bundled: {names})"]
    )
