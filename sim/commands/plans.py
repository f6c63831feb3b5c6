"""``rollout plans``: the saved plans a council keeps (listed, saved, deleted).

The plans folder is the one the app shares (:mod:`sim.scenario.plans`): ``--folder``, else
``$ROLLOUT_PLANS``, else ``./plans``. A saved plan is then named ``plan:NAME`` wherever a
scenario goes (``rollout run plan:NAME``, ``rollout compare plan:NAME other.toml``).
Nothing here simulates, so it loads only the scenario floor.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from ..scenario.keys import BadInput
from ..scenario.plans import (
    PLAN_PREFIX,
    delete_plan,
    list_plans,
    plans_folder,
    previous_versions,
    save_plan,
)


def listing(folder: str | None) -> list[str]:
    """Every plan in the folder: its name, who saved it, when, and whether figures are attached."""
    where = plans_folder(Path(folder) if folder else None)
    plans = list_plans(where)
    if not plans:
        return [f"No plans saved in {where} yet; keep one with: rollout plans save NAME SCENARIO"]
    rows = [("plan", "saved by", "saved at", "what happened")]
    for plan in plans:
        seen = "observed figures attached" if plan.observed else "none attached"
        rows.append((plan.name, plan.saved_by or "unknown", _when(plan.saved_at), seen))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"{len(plans)} plan{'s' if len(plans) != 1 else ''} in {where}:"]
    for row in rows:
        lines.append(
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[3]
        )
    lines.append(f"Run one with: rollout run {PLAN_PREFIX}NAME (in quotes if it has a space)")
    return lines


def save(
    name: str,
    scenario: str,
    by: str | None,
    replace: bool,
    observed: str | None,
    folder: str | None,
) -> list[str]:
    """Keep SCENARIO (a file, a bundled name or another plan) as the plan NAME."""
    from ..scenario.loading import read_scenario_text, resolve_scenario
    from ..scenario.plans import check_new_name, exists_words, plan_file

    where = plans_folder(Path(folder) if folder else None)
    check_new_name(name)
    existing = plan_file(where, name)  # Camden and camden are one plan
    if not replace and existing is not None:
        said = exists_words(where, name, existing.stem).split("; ")[0]
        raise BadInput(
            [
                f"plans save {name!r}: {said}; give --replace to save over it (the old one "
                "is kept in previous/) or choose another name"
            ]
        )
    text = read_scenario_text(resolve_scenario(scenario))
    observed_text = None
    if observed is not None:
        observed_text = _observed_text(observed)
    who = by or _user()
    plan = save_plan(where, name, text, who, replace=replace, observed_text=observed_text)
    lines = [
        f"Saved the plan {plan.name!r} in {plan.path} (by {plan.saved_by}, {_when(plan.saved_at)})."
    ]
    kept = previous_versions(where, name)
    if replace and kept:
        lines.append(f"The version it replaces is kept in {kept[-1]}.")
    if plan.observed is not None:
        lines.append(f"Observed figures attached: {plan.observed}.")
    lines.append(f"Run it with: rollout run {shlex.quote(PLAN_PREFIX + plan.name)}")
    return lines


def delete(name: str, folder: str | None) -> list[str]:
    """Delete the plan NAME (a copy stays in the folder's previous/)."""
    where = plans_folder(Path(folder) if folder else None)
    deleted = delete_plan(where, name)  # spelt as saved, whatever the case of NAME
    kept = previous_versions(where, deleted.name)
    copy = f"; a copy is kept in {kept[-1]}" if kept else ""
    return [f"Deleted the plan {deleted.name!r} from {where}{copy}."]


def _observed_text(observed: str) -> str:
    path = Path(observed)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadInput([f"--observed {observed}: no such file"]) from None
    except IsADirectoryError:
        raise BadInput([f"--observed {observed}: is a folder, not a CSV file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput([f"--observed {observed}: cannot read the file ({exc})"]) from None


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a container without one)
        return "unknown"


def _when(stamp: str) -> str:
    """``2026-12-02T14:40:17Z`` as ``2026-12-02 14:40 UTC`` (unknown when missing)."""
    if not stamp:
        return "unknown"
    return stamp.replace("T", " ")[:16] + " UTC" if stamp.endswith("Z") else stamp


__all__ = ["delete", "listing", "save"]
