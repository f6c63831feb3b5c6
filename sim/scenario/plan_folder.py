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


def name_problem(name: object) -> str | None:
    """What is wrong with a plan's name, in a planner's words, or None when it is one.

    Letters a-z and A-Z, digits, spaces, ``-`` and ``_``: no path separators and no ``..``,
    so a name can never reach outside the folder. Empty is said by the caller, who knows
    where the name was missing (``plan:`` or a name to save).
    """
    if not isinstance(name, str) or not name:
        return None if isinstance(name, str) else "a plan's name is text"
    if len(name) > MAX_NAME:
        return f"a plan's name is at most {MAX_NAME} characters; this one has {len(name)}"
    wrong = sorted({c for c in name if not (c.isascii() and (c.isalnum() or c in " -_"))})
    if wrong:
        shown = " or ".join(", ".join(repr(c) for c in wrong).rsplit(", ", 1))
        return (
            f"a plan's name cannot hold {shown}; use letters a-z, digits, spaces, - and _ "
            "(e.g. phase-2-early)"
        )
    if not name[0].isalnum():
        first = "a space" if name[0] == " " else repr(name[0])
        return f"a plan's name starts with a letter or a digit, not {first}"
    if name.endswith(" "):
        return "a plan's name cannot end with a space"
    return None


def _shown(name: str) -> str:
    """A name as a message shows it: whole, or its first 20 characters when too long."""
    return repr(name) if len(name) <= MAX_NAME else f"{name[:20]!r}…"


def check_name(name: str) -> str:
    """The plan name if it is one (:func:`name_problem`), else BadInput in one line."""
    if isinstance(name, str) and not name:
        raise BadInput(
            [
                "plan name: a plan needs a name of letters, digits, spaces, - or _ "
                "(e.g. phase-2-early)"
            ]
        )
    problem = name_problem(name)
    if problem is not None:
        raise BadInput([f"plan name {_shown(str(name))}: {problem}"])
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
    """The plan called ``name`` (whatever its case) and its scenario TOML text (without the
    kept-by block).
    """
    folder = Path(folder)
    path = plan_file(folder, check_name(name))
    if path is None:
        raise BadInput([f"plan {name!r}: {_missing(folder, name)}"])
    text = _read_text(path, path.stem)
    return _plan_of(folder, path.stem, text), _body(text)


def plan_file(folder: Path, name: str) -> Path | None:
    """The file of the saved plan ``name`` in ``folder``, or None when there is none.

    Names are compared without regard to case: on a council's Windows share or a Mac,
    ``Camden.toml`` and ``camden.toml`` are one file, so they are one plan everywhere (the
    same folder must mean the same plans on every machine). The name's own spelling is
    taken first; a folder holding two spellings (made on a case-sensitive disk) and neither
    the one given is refused, naming both.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return None
    stems = [
        p.stem
        for p in folder.glob("*.toml")
        if p.is_file() and _NAME.fullmatch(p.stem) and len(p.stem) <= MAX_NAME
    ]
    if name in stems:
        return _path(folder, name)
    same = sorted(s for s in stems if s.lower() == name.lower())
    if len(same) > 1:
        raise BadInput(
            [
                f"plan {name!r}: {len(same)} plans in {folder} differ from it only in case "
                f"({', '.join(same)}); give one exactly as it is spelt"
            ]
        )
    return _path(folder, same[0]) if same else None


def _missing(folder: Path, name: str) -> str:
    """Why there is no plan ``name``, and what the folder holds."""
    return f"no such plan in the plans folder {folder}{_known(folder, name)}"


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
    pattern = re.compile(re.escape(name) + r"\.(\d{8}T\d{6}Z)(?:-(\d+))?\.toml", re.IGNORECASE)
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
    """The saved plan ``name`` (whatever its case) in :func:`plans_folder`, in one clear
    line when there is none.
    """
    where = plans_folder(folder)
    if isinstance(name, str) and not name:
        raise ScenarioError(
            [
                f"{PLAN_PREFIX} needs a plan's name after the colon, e.g. "
                f"{PLAN_PREFIX}phase-2-early{_known(where)}"
            ]
        )
    problem = name_problem(name)
    if problem is not None:
        shown = PLAN_PREFIX + (name if len(name) <= MAX_NAME else f"{name[:20]}…")
        if shown != shown.strip():  # a space at either end is seen only in quotes
            shown = f'"{shown}"'
        raise ScenarioError([f"{shown}: {problem}"])
    try:
        path = plan_file(where, name)
        if path is None:
            raise ScenarioError([f"{PLAN_PREFIX}{name}: {_missing(where, name)}"])
        return _plan_of(where, path.stem, _read_text(path, path.stem))
    except ScenarioError:
        raise
    except BadInput as exc:
        raise ScenarioError([f"{PLAN_PREFIX}{name}: {exc.lines[0].split(': ', 1)[-1]}"]) from None


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
    "name_problem",
    "plan_file",
    "plan_name",
    "plans_folder",
    "read_plan",
]
