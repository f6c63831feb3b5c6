"""Saved plans: named scenario files kept in a folder, who saved them and when.

A plan is a scenario TOML file (``NAME.toml``) that still loads as a scenario: who saved
it and when sit in a leading comment block that TOML ignores. An observed-figures CSV
(``rollout calibrate``'s format) may be attached beside it (``NAME.observed.csv``). Nothing
is lost: saving over a plan needs ``replace`` and keeps the old version in ``previous/``
with its timestamp, and deleting keeps a copy there too. Every write is atomic
(:func:`.files.write_atomic`: a temporary file renamed into place), so an interrupted save
leaves the old plan or the new one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .files import write_atomic
from .keys import BadInput
from .observed import parse_observed

ENVIRONMENT = "ROLLOUT_PLANS"
MAX_NAME = 60
MAX_BY = 80
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
        raise BadInput([f"plan {name!r}: no such plan in {folder}{_known(folder)}"])
    text = _read_text(path, name)
    return _plan_of(folder, name, text), _body(text)


def save_plan(
    folder: Path,
    name: str,
    scenario_text: str,
    saved_by: str,
    *,
    replace: bool = False,
    observed_text: str | None = None,
) -> Plan:
    """Keep ``scenario_text`` as the plan ``name``, validated first, and return the plan.

    An existing plan is replaced only with ``replace`` (its old version goes to
    ``previous/``). ``observed_text``, an observed-figures CSV, is checked against the
    scenario before it is attached; with ``replace`` and no ``observed_text`` the plan
    keeps the figures it had (checked again against the new scenario).
    """
    from .loading import scenario_from_text

    folder = Path(folder)
    check_name(name)
    who = _one_line(saved_by)
    target = _path(folder, name)
    if target.exists() and not replace:
        raise BadInput(
            [f"plan {name!r}: a plan of that name exists in {folder}; replace it or choose a name"]
        )
    if not isinstance(scenario_text, str):
        raise BadInput([f"plan {name!r}: the scenario must be TOML text"])
    body = scenario_text.removeprefix("\ufeff")
    scenario = scenario_from_text(body, f"plan {name!r}")
    old_observed = _observed_path(folder, name)
    if observed_text is None and replace and old_observed.is_file():
        observed_text = _read_text(old_observed, name)
    if observed_text is not None:
        _check_observed(observed_text, scenario, name)
    when = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    head = f"{_HEAD}\n{_BY}{who}\n{_AT}{when}\n\n"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if target.exists() or old_observed.exists():
            _keep_previous(folder, name)
        write_atomic(target, head + body, replace=True)
        if observed_text is not None:
            write_atomic(old_observed, observed_text, replace=True)
        elif old_observed.exists():
            old_observed.unlink()  # its copy is in previous/
    except OSError as exc:
        why = exc.strerror or exc
        raise BadInput([f"plan {name!r}: cannot write in {folder} ({why})"]) from None
    return _plan_of(folder, name, head + body)


def delete_plan(folder: Path, name: str) -> None:
    """Delete the plan ``name``, keeping a copy (and its observed figures) in ``previous/``."""
    folder = Path(folder)
    path = _path(folder, check_name(name))
    if not path.is_file():
        raise BadInput([f"plan {name!r}: no such plan in {folder}{_known(folder)}"])
    _keep_previous(folder, name)
    path.unlink()
    observed = _observed_path(folder, name)
    if observed.exists():
        observed.unlink()


def previous_versions(folder: Path, name: str) -> list[Path]:
    """The kept old versions of the plan ``name`` in ``previous/``, oldest first."""
    kept = Path(folder) / PREVIOUS
    if not kept.is_dir():
        return []
    check_name(name)
    pattern = re.compile(re.escape(name) + r"\.\d{8}T\d{6}Z(?:-\d+)?\.toml")
    return sorted(p for p in kept.iterdir() if pattern.fullmatch(p.name))


def _path(folder: Path, name: str) -> Path:
    return folder / f"{name}.toml"


def _observed_path(folder: Path, name: str) -> Path:
    return folder / f"{name}{OBSERVED_SUFFIX}"


def _known(folder: Path) -> str:
    names = [p.name for p in list_plans(folder)]
    return f" (plans: {', '.join(names)})" if names else " (no plans saved yet)"


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


def _one_line(text: str) -> str:
    flat = " ".join(str(text or "").split())
    if not flat:
        return "unknown"
    return flat[:MAX_BY]


def _keep_previous(folder: Path, name: str) -> None:
    """Copy the plan (and its observed figures) into ``previous/``, stamped with the time."""
    kept = folder / PREVIOUS
    kept.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    stem, number = f"{name}.{stamp}", 1
    while (kept / f"{stem}.toml").exists() or (kept / f"{stem}{OBSERVED_SUFFIX}").exists():
        number += 1
        stem = f"{name}.{stamp}-{number}"
    for source, suffix in (
        (_path(folder, name), ".toml"),
        (_observed_path(folder, name), OBSERVED_SUFFIX),
    ):
        if source.is_file():
            write_atomic(kept / f"{stem}{suffix}", _read_text(source, name), replace=False)


def _check_observed(text: str, scenario: object, name: str) -> None:
    """Refuse observed figures that do not fit the plan's scenario, naming the plan."""
    if not isinstance(text, str):
        raise BadInput([f"plan {name!r}, observed figures: must be CSV text"])
    parse_observed(text, f"plan {name!r}, observed figures", scenario)


def plan_name(reference: str) -> str | None:
    """The plan a scenario argument names (``plan:NAME``), or None for a file or bundled name."""
    if not isinstance(reference, str) or not reference.startswith(PLAN_PREFIX):
        return None
    return reference[len(PLAN_PREFIX) :]


def find_plan(name: str, folder: Path | None = None) -> Plan:
    """The saved plan ``name`` in :func:`plans_folder` (one clear line when there is none)."""
    where = plans_folder(folder)
    path = _path(where, check_name(name))
    if not path.is_file():
        raise BadInput([f"plan:{name}: no such plan in {where}{_known(where)}"])
    return _plan_of(where, name, _read_text(path, name))


__all__ = [
    "PLAN_PREFIX",
    "Plan",
    "check_name",
    "delete_plan",
    "find_plan",
    "list_plans",
    "plan_name",
    "plans_folder",
    "previous_versions",
    "read_plan",
    "save_plan",
]
