"""The plans folder: where saved plans are, their names, and finding one (``plan:NAME``).

Reading only: what :mod:`.loading` needs to turn ``plan:NAME`` into a scenario file, kept
apart from the writing in :mod:`.plans` (which validates through :mod:`.loading`), so the
two never import each other.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .keys import BadInput, ScenarioError

ENVIRONMENT = "ROLLOUT_PLANS"
MAX_NAME = 60
PREVIOUS = "previous"
OBSERVED_SUFFIX = ".observed.csv"
PLAN_PREFIX = "plan:"  # a scenario argument naming a saved plan: plan:NAME
_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 _-]*[A-Za-z0-9_-])?")
_HEAD = "# rollout plan"
_BY = "# saved by: "
_AT = "# saved at: "


@dataclass(frozen=True)
class Plan:
    """A saved plan: its name as typed, its file, who saved it, when, and any observed CSV."""

    name: str
    path: Path
    saved_by: str
    saved_at: str
    observed: Path | None


def plans_folder(explicit: Path | None = None) -> Path:
    """The plans folder: ``explicit``, else ``$ROLLOUT_PLANS``, else ``./plans``."""
    if explicit is not None:
        return Path(explicit)
    env = os.environ.get(ENVIRONMENT, "").strip()
    return Path(env) if env else Path("plans")


def check_name(name: str) -> str:
    """The plan name if it is one (letters, digits, spaces, ``-`` and ``_``), else BadInput.

    No path separators and no ``..``, so a name can never reach outside the folder.
    """
    if not isinstance(name, str) or not name:
        raise BadInput(["plan name: empty; give a name of letters, digits, spaces, - or _"])
    if len(name) > MAX_NAME:
        raise BadInput([f"plan name {name[:20]!r}…: longer than {MAX_NAME} characters"])
    if not _NAME.fullmatch(name):
        raise BadInput(
            [
                f"plan name {name!r}: use letters, digits, spaces, - and _ only "
                "(starting with a letter or digit, not ending with a space)"
            ]
        )
    return name


def check_new_name(name: str) -> str:
    """:func:`check_name`, and not a device name of Windows (``CON``, ``nul``, ``COM1``
    ...), so that a folder of plans can be shared with Windows. Only a plan being saved is
    held to it: one saved before can still be run and deleted.
    """
    check_name(name)
    if name.upper() in _RESERVED:
        raise BadInput(
            [
                f"plan name {name!r}: a name Windows keeps for a device, so the plans folder "
                "could not be shared with Windows; give another name"
            ]
        )
    return name


# Windows opens a device, not a file, for these names whatever the extension (CON.toml).
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{d}{i}" for d in ("COM", "LPT") for i in range(1, 10)]
)


def list_plans(folder: Path) -> list[Plan]:
    """The plans in ``folder``, sorted by name (none when the folder does not exist)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.toml"):
        if path.is_file() and _NAME.fullmatch(path.stem) and len(path.stem) <= MAX_NAME:
            found.append(_plan_of(folder, path.stem, _read_text(path, path.stem)))
    return sorted(found, key=lambda p: (p.name.lower(), p.name))


def read_plan(folder: Path, name: str) -> tuple[Plan, str]:
    """The plan called ``name`` and its scenario TOML text (without the kept-by block)."""
    folder = Path(folder)
    path = _path(folder, check_name(name))
    if not path.is_file():
        raise BadInput([f"plan {name!r}: no such plan in {folder}{_known(folder, name)}"])
    text = _read_text(path, name)
    return _plan_of(folder, name, text), _body(text)


def _path(folder: Path, name: str) -> Path:
    return folder / f"{name}.toml"


def _observed_path(folder: Path, name: str) -> Path:
    return folder / f"{name}{OBSERVED_SUFFIX}"


def _known(folder: Path, name: str | None = None) -> str:
    """What the folder holds, said after "no such plan": its plans and, for a plan ``name``
    that was deleted (or saved over), where its last copy is kept, to copy back.
    """
    names = [p.name for p in list_plans(folder)]
    known = f"plans: {', '.join(names)}" if names else "no plans saved yet"
    kept = _last_kept(folder, name) if name else None
    if kept is not None:
        known += f"; {name!r} was deleted: its last copy is {kept}"
    return f" ({known})"


def _last_kept(folder: Path, name: str) -> Path | None:
    """The newest copy of the plan ``name`` in ``previous/``, if any."""
    kept = Path(folder) / PREVIOUS
    if not kept.is_dir():
        return None
    pattern = re.compile(re.escape(name) + r"\.(\d{8}T\d{6}Z)(?:-(\d+))?\.toml")
    found = [
        (m.group(1), int(m.group(2) or 0), p)
        for p in kept.iterdir()
        if (m := pattern.fullmatch(p.name))
    ]
    return max(found)[2] if found else None


def _read_text(path: Path, name: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput([f"plan {name!r}: cannot read {path} ({exc})"]) from None


def _plan_of(folder: Path, name: str, text: str) -> Plan:
    saved_by, saved_at = "", ""
    for line in text.splitlines()[:4]:
        if line.startswith(_BY):
            saved_by = line[len(_BY) :].strip()
        elif line.startswith(_AT):
            saved_at = line[len(_AT) :].strip()
    observed = _observed_path(folder, name)
    return Plan(
        name, _path(folder, name), saved_by, saved_at, observed if observed.is_file() else None
    )


def _body(text: str) -> str:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != _HEAD:
        return text
    index = 1
    while index < len(lines) and lines[index].startswith(("# saved ", "#\n")):
        index += 1
    if index < len(lines) and not lines[index].strip():
        index += 1
    return "".join(lines[index:])


def plan_name(reference: str) -> str | None:
    """The plan a scenario argument names (``plan:NAME``), or None for a file or bundled name."""
    if not isinstance(reference, str) or not reference.startswith(PLAN_PREFIX):
        return None
    return reference[len(PLAN_PREFIX) :]


def find_plan(name: str, folder: Path | None = None) -> Plan:
    """The saved plan ``name`` in :func:`plans_folder` (one clear line when there is none)."""
    where = plans_folder(folder)
    try:
        path = _path(where, check_name(name))
    except BadInput as exc:
        raise ScenarioError([f"plan:{name}: {exc.lines[0].split(': ', 1)[-1]}"]) from None
    if not path.is_file():
        raise ScenarioError([f"plan:{name}: no such plan in {where}{_known(where, name)}"])
    try:
        return _plan_of(where, name, _read_text(path, name))
    except BadInput as exc:
        raise ScenarioError(exc.lines) from None


__all__ = [
    "ENVIRONMENT",
    "MAX_NAME",
    "OBSERVED_SUFFIX",
    "PLAN_PREFIX",
    "PREVIOUS",
    "Plan",
    "check_name",
    "check_new_name",
    "find_plan",
    "list_plans",
    "plan_name",
    "plans_folder",
    "read_plan",
]
