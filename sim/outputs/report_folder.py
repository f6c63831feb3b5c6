"""A run, compare or sweep folder read as data for the report, and checked first.

Nothing in the folder is executed or unpickled: JSON and CSV are read as data, the
scenario is validated by the schema like any file, and a damaged or hand-edited folder gets
one line saying what is wrong before anything is written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from ..scenario.columns import DIFFERENCE_COLUMNS
from ..scenario.keys import ScenarioError
from ..scenario.safe_text import unliteral_frame
from ..scenario.schema import Scenario, validate

TABLES = (
    "summary_stats.csv",
    "comparison.csv",
    "differences.csv",
    "horizons.csv",
    "sweep.csv",
    "target.csv",
    "bands.csv",
    "summary.csv",
    "sweep_replications.csv",
    "timeseries.csv",
    "observed_check.csv",
    "candidates.csv",
    "front.csv",
)
HEADLINE = "practising_person_months"  # a total over the whole run: the common clock
RANGES_HEADER = "average (95% interval); 9 futures in 10"

# --------------------------------------------------------------------------- reading


# The columns a report reads of each table (with those that must hold numbers), and the
# tables each kind of folder must have. A folder is checked against them before anything is
# written, so a damaged or hand-edited folder gets one line saying what is wrong.
COLUMNS = {
    "summary_stats.csv": ("measure", "mean", "ci_low", "ci_high", "n"),
    "comparison.csv": ("strategy", "measure", "mean", "ci_low", "ci_high", "n"),
    "differences.csv": DIFFERENCE_COLUMNS,
    "sweep.csv": ("point", "measure", "mean", "ci_low", "ci_high", "n"),
    "target.csv": ("point", "target", "share_met", "meets"),
    "bands.csv": ("measure", "month", "date", "p5", "p50", "p95"),
    "summary.csv": ("rep",),
    "sweep_replications.csv": ("point", "rep"),
    "timeseries.csv": ("rep", "month"),
    "observed_check.csv": ("date", "measure", "value", "p5", "p95", "where"),
    "candidates.csv": ("candidate",),
    "front.csv": ("candidate", "plan", "cost", "benefit", "chosen", "status_quo"),
}
TEXT_COLUMNS = {
    "measure", "strategy", "date", "target", "meets", "where", "plan", "chosen", "status_quo"
}
REQUIRED_TABLES = {
    "run": ("summary_stats.csv",),
    "compare": ("comparison.csv", "differences.csv"),
    "sweep": ("sweep.csv",),
    "optimise": ("candidates.csv", "front.csv"),  # and choice.md (sim.outputs.optimise_page)
}


def _whole(value: Any, least: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


def manifest_problem(manifest: Any) -> str | None:
    """What is wrong with a run folder's manifest for a report, if anything (one phrase)."""
    if not isinstance(manifest, dict):
        return f"expected a JSON object, got {type(manifest).__name__}"
    kind = manifest.get("kind")
    if kind not in REQUIRED_TABLES:
        return f"kind {kind!r} is not run, compare, sweep or optimise"
    if manifest.get("status") != "complete":
        return (
            f"status {manifest.get('status')!r}; a report needs a complete run "
            "(carry it on with --resume first)"
        )
    if not _whole(manifest.get("reps"), 1):
        return f"reps: expected a whole number of at least 1, got {manifest.get('reps')!r}"
    if not _whole(manifest.get("seed"), 0):
        return f"seed: expected a whole number of at least 0, got {manifest.get('seed')!r}"
    if not isinstance(manifest.get("scenario"), dict):
        return "scenario: expected the resolved scenario (a JSON object)"
    files = manifest.get("files", [])
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return "files: expected a list of file names"
    strategies = manifest.get("strategies", [])
    if not isinstance(strategies, list) or not all(isinstance(n, str) for n in strategies):
        return "strategies: expected a list of names"
    if kind == "compare":
        if len(strategies) < 2 or len(set(strategies)) != len(strategies):
            return f"strategies: expected two or more different names, got {strategies!r}"
        others = manifest.get("strategy_scenarios") or {}
        if not isinstance(others, dict) or not all(isinstance(v, dict) for v in others.values()):
            return "strategy_scenarios: expected each strategy's scenario (JSON objects)"
    return None


def table_problem(name: str, table: pd.DataFrame) -> str | None:
    """What is wrong with a table of a run folder for a report, if anything (one phrase)."""
    missing = [c for c in COLUMNS.get(name, ()) if c not in table.columns]
    if missing:
        return f"no column {', '.join(missing)}"
    if not len(table):
        return "no rows"
    for column in COLUMNS.get(name, ()):
        if column not in TEXT_COLUMNS and not pd.api.types.is_numeric_dtype(table[column]):
            return f"column {column}: expected numbers"
    return None


class Folder:
    """A run, compare or sweep folder, read as data, checked against its expected shape."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        where = f"{self.path}"
        self._tables: dict[str, pd.DataFrame | None] = {}
        if not os.path.isdir(self.path):  # os.path: a name too long is no folder either
            raise ScenarioError([f"{where}: no such run folder"])
        try:
            self.manifest: dict[str, Any] = json.loads(
                (self.path / "manifest.json").read_text(encoding="utf-8")
            )
        except FileNotFoundError:
            raise ScenarioError(
                [f"{where}: no manifest.json; give a folder written by run, compare or sweep"]
            ) from None
        except (OSError, ValueError, RecursionError) as exc:
            raise ScenarioError(
                [f"{where}/manifest.json: cannot be read ({_reason(exc)})"]
            ) from None
        problem = manifest_problem(self.manifest)
        if problem:
            raise ScenarioError([f"{where}/manifest.json: {problem}"])
        self.kind = self.manifest["kind"]
        source = f"{where}/manifest.json"
        self.scenario: Scenario = validate(self.manifest["scenario"], source)
        self.strategies: list[str] = list(self.manifest.get("strategies") or [])
        self.scenarios: dict[str, Scenario] = {}
        if self.kind == "compare":
            self.scenarios[self.strategies[0]] = self.scenario
            for name, data in (self.manifest.get("strategy_scenarios") or {}).items():
                self.scenarios[name] = validate(data, f"{source} (strategy {name})")
        listed = [f for f in self.manifest.get("files", []) if f != "manifest.json"]
        absent = [f for f in listed if not os.path.isfile(self.path / Path(f).name)]
        if absent:
            raise ScenarioError(
                [f"{where}: manifest.json lists {', '.join(absent)}, not in the folder"]
            )
        for name in REQUIRED_TABLES[self.kind]:
            if self.table(name) is None:
                raise ScenarioError([f"{where}: no {name}; a {self.kind} folder has one"])
        for name in TABLES:  # the rest, read now so that a damaged one is named at once
            self.table(name)

    def table(self, name: str) -> pd.DataFrame | None:
        """A table of the folder (None if it has none), names as the run gave them; read
        and checked once (shared: callers derive new tables, never change this one).
        """
        if name not in self._tables:
            self._tables[name] = self._read(name)
        return self._tables[name]

    def _read(self, name: str) -> pd.DataFrame | None:
        path = self.path / name
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as handle:
            if b"\0" in handle.read(65536):
                raise ScenarioError([f"{path}: binary, not a CSV table"])
        try:
            table = pd.read_csv(path, dtype={"strategy": str}, encoding="utf-8")
        except pd.errors.EmptyDataError:
            raise ScenarioError([f"{path}: empty; expected a table with a header"]) from None
        except (UnicodeDecodeError, pd.errors.ParserError, ValueError, OSError) as exc:
            raise ScenarioError([f"{path}: not a readable CSV table ({_reason(exc)})"]) from None
        problem = table_problem(name, table)
        if problem:
            raise ScenarioError([f"{path}: {problem}"])
        return unliteral_frame(table)

    def picture(self, name: str) -> bytes | None:
        """A picture's bytes, or None when the folder lacks it."""
        path = self.path / name
        return path.read_bytes() if os.path.isfile(path) else None

    @property
    def reps(self) -> int:
        """Futures (replications) of the run."""
        return int(self.manifest.get("reps") or 0)

    @property
    def seed(self) -> int:
        """The run's seed."""
        return int(self.manifest.get("seed") or 0)


def _reason(exc: BaseException) -> str:
    """An exception in a few words: its kind, and the first line of its message."""
    text = str(exc).splitlines()[0][:120] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
