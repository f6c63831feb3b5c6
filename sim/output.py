"""The run folder: a new folder per run holding the results, the picture and the manifest.

A run never writes into a folder that already exists. The manifest is written first (status
``running``) and rewritten at the end (``complete``, ``failed`` or ``interrupted``), so a
folder always says what it holds, even when the run stopped part way.
"""

from __future__ import annotations

import json
import platform
import re
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from .provenance import confidence_counts
from .scenario import Scenario, ScenarioError

PACKAGES = ("simpy", "numpy", "pandas", "matplotlib", "click", "pydantic", "scipy")


def new_run_folder(
    out: str | Path | None, scenario_name: str, base: Path = Path("outputs")
) -> Path:
    """Create the run's folder: ``out`` if given (it must not exist), else a new dated one."""
    if out is not None:
        folder = Path(out)
        if folder.exists():
            raise ScenarioError(
                [
                    f"--out {folder}: already exists; runs never overwrite earlier results, "
                    "choose a new folder"
                ]
            )
        folder.mkdir(parents=True)
        return folder
    slug = re.sub(r"[^a-z0-9]+", "-", scenario_name.lower()).strip("-") or "run"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, 1000):
        folder = base / (f"{slug}-{stamp}" if attempt == 1 else f"{slug}-{stamp}-{attempt}")
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue
    raise RuntimeError(f"could not create a new folder under {base}")


def versions() -> dict[str, str]:
    """Versions of Python, this tool and the packages a result depends on."""
    found = {"python": platform.python_version()}
    for name in ("rollout", *PACKAGES):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def manifest(
    scenario: Scenario,
    scenario_file: str,
    overrides: list[str],
    seed: int,
    reps: int,
    workers: int,
    status: str,
    timings: dict[str, float] | None = None,
    files: list[str] | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    """What a run folder holds and how it was made."""
    return {
        "tool": "rollout",
        "status": status,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": sys.argv,
        "scenario_file": scenario_file,
        "overrides": overrides,
        "seed": seed,
        "reps": reps,
        "workers": workers,
        "versions": versions(),
        "timings": timings or {},
        "files": files or [],
        "error": error,
        "scenario": scenario.model_dump(mode="json"),
        # How many of the scenario's [sources] are data, estimates and assumptions.
        "provenance": confidence_counts(scenario.sources),
    }


def write_manifest(folder: Path, content: dict[str, Any]) -> None:
    """Write ``manifest.json`` atomically (a reader never sees half a file)."""
    partial = folder / "manifest.json.partial"
    partial.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(folder / "manifest.json")
