"""Saved plans: named scenario files kept in a folder, who saved them and when.

A plan is a scenario TOML file (``NAME.toml``) that still loads as a scenario: who saved
it and when sit in a leading comment block that TOML ignores. An observed-figures CSV
(``rollout calibrate``'s format) may be attached beside it (``NAME.observed.csv``). Names
are compared without regard to case (:func:`.plan_folder.plan_file`): ``Camden`` and
``camden`` are one plan, as they are one file on Windows and on a Mac. Nothing is lost:
saving over a plan needs ``replace`` and keeps the old version in ``previous/`` with its
timestamp, and deleting keeps a copy there too. Every write is atomic
(:func:`.files.write_atomic`: a temporary file renamed into place), so an interrupted save
leaves the old plan or the new one.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

from .files import write_atomic
from .keys import BadInput
from .observed import parse_observed
from .plan_folder import (
    _AT,
    _BY,
    _HEAD,
    ENVIRONMENT,
    MAX_NAME,
    OBSERVED_SUFFIX,
    PLAN_PREFIX,
    PREVIOUS,
    Plan,
    _body,
    _missing,
    _observed_path,
    _path,
    _plan_of,
    _read_text,
    check_name,
    check_new_name,
    find_plan,
    list_plans,
    name_problem,
    plan_file,
    plan_name,
    plans_folder,
    read_plan,
)

MAX_BY = 80


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
    check_new_name(name)
    who = _one_line(saved_by)
    target = _path(folder, name)
    existing = plan_file(folder, name)  # the same plan whatever its case (Camden, camden)
    if existing is not None and not replace:
        raise BadInput([f"plan {name!r}: {exists_words(folder, name, existing.stem)}"])
    if not isinstance(scenario_text, str):
        raise BadInput([f"plan {name!r}: the scenario must be TOML text"])
    body = _body(scenario_text.removeprefix("\ufeff"))  # a plan saved again: one head
    scenario = scenario_from_text(body, f"plan {name!r}")
    old_name = existing.stem if existing is not None else name
    old_observed = _observed_path(folder, old_name)
    if observed_text is None and replace and old_observed.is_file():
        observed_text = _read_text(old_observed, old_name)
    if observed_text is not None:
        _check_observed(observed_text, scenario, name)
    when = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    head = f"{_HEAD}\n{_BY}{who}\n{_AT}{when}\n\n"
    observed = _observed_path(folder, name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if existing is not None or old_observed.exists():
            _keep_previous(folder, old_name)
        write_atomic(target, head + body, replace=True)
        if observed_text is not None:
            write_atomic(observed, observed_text, replace=True)
        elif old_observed.exists():
            old_observed.unlink()  # its copy is in previous/
        # Saved under another case of the same name: on a case-sensitive disk the old
        # spelling is still a file of its own (its copy is in previous/); on Windows or a
        # Mac it is the file just written, which stays.
        for old in (existing, old_observed if observed_text is not None else None):
            if old is not None and old.name != target.name and old.exists():
                twin = target if old.suffix == ".toml" else observed
                if not os.path.samefile(old, twin):
                    old.unlink()
    except OSError as exc:
        why = exc.strerror or exc
        raise BadInput([f"plan {name!r}: cannot write in {folder} ({why})"]) from None
    return _plan_of(folder, name, head + body)


def exists_words(folder: Path, name: str, existing: str) -> str:
    """What a save without replace says of a plan that exists: its name as saved, and why
    another case of it counts as the same plan.
    """
    same = "" if existing == name else f" ({existing!r}: names are the same whatever their case)"
    return f"a plan of that name exists in {folder}{same}; replace it or choose a name"


def delete_plan(folder: Path, name: str) -> Plan:
    """Delete the plan ``name`` (whatever its case), keeping a copy (and its observed
    figures) in ``previous/``; the plan deleted, as it was spelt.
    """
    folder = Path(folder)
    path = plan_file(folder, check_name(name))
    if path is None:
        raise BadInput([f"plan {name!r}: {_missing(folder, name)}"])
    plan = _plan_of(folder, path.stem, _read_text(path, path.stem))
    _keep_previous(folder, path.stem)
    path.unlink()
    observed = _observed_path(folder, path.stem)
    if observed.exists():
        observed.unlink()
    return plan


def previous_versions(folder: Path, name: str) -> list[Path]:
    """The kept old versions of the plan ``name`` (whatever its case) in ``previous/``,
    oldest first.
    """
    kept = Path(folder) / PREVIOUS
    if not kept.is_dir():
        return []
    check_name(name)
    pattern = re.compile(re.escape(name) + r"\.(\d{8}T\d{6}Z)(?:-(\d+))?\.toml", re.IGNORECASE)
    found = [
        (m.group(1), int(m.group(2) or 1), p.name, p)
        for p in kept.iterdir()
        if (m := pattern.fullmatch(p.name))
    ]
    return [p for *_, p in sorted(found)]


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


__all__ = [
    "ENVIRONMENT",
    "MAX_NAME",
    "OBSERVED_SUFFIX",
    "PREVIOUS",
    "PLAN_PREFIX",
    "Plan",
    "check_name",
    "check_new_name",
    "delete_plan",
    "exists_words",
    "find_plan",
    "list_plans",
    "name_problem",
    "plan_file",
    "plan_name",
    "plans_folder",
    "previous_versions",
    "read_plan",
    "save_plan",
]
