"""The back test's fixed inputs and how its outputs are written and compared.

Shared by ``regenerate.py`` (which alone writes the pinned CSVs) and ``test_backtest.py``
(which compares the model's current outputs with them).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from sim import load_scenario, run

HERE = Path(__file__).resolve().parent
SCENARIO = HERE / "scenario.toml"
SEED = 7
REPS = 3
PINNED = {
    "timeseries": HERE / "expected_timeseries.csv",
    "summary": HERE / "expected_summary.csv",
}
REGENERATE = "python tests/backtest/regenerate.py"


def current_outputs() -> dict[str, str]:
    r"""The scenario's timeseries and summary for SEED and REPS, as CSV text.

    Written as ``rollout run`` writes them (``to_csv(index=False)``: floats in their shortest
    round-trip form), with ``\n`` line ends whatever the platform.
    """
    results = run(load_scenario(SCENARIO), reps=REPS, seed=SEED)
    return {
        "timeseries": results.timeseries.to_csv(index=False, lineterminator="\n"),
        "summary": results.summary.to_csv(index=False, lineterminator="\n"),
    }


def _read(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str)


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Cell-by-cell equality of two CSV columns read as text (empty cells equal)."""
    return (a.fillna("") == b.fillna("")).to_numpy()


def describe_differences(name: str, pinned: str, current: str, shown: int = 5) -> list[str]:
    """Which columns and rows of a table changed, one line each (empty when identical)."""
    if pinned == current:
        return []
    old, new = _read(pinned), _read(current)
    lines: list[str] = []
    added = [c for c in new.columns if c not in old.columns]
    removed = [c for c in old.columns if c not in new.columns]
    if added:
        lines.append(f"{name}: new columns {added}")
    if removed:
        lines.append(f"{name}: columns no longer written {removed}")
    if list(new.columns) != list(old.columns) and not added and not removed:
        lines.append(f"{name}: columns reordered: {list(old.columns)} -> {list(new.columns)}")
    if len(old) != len(new):
        lines.append(f"{name}: {len(old)} rows pinned, {len(new)} now")
    rows = min(len(old), len(new))
    keys = [k for k in ("rep", "month") if k in old.columns and k in new.columns]
    for column in [c for c in old.columns if c in new.columns]:
        same = _same(old[column].iloc[:rows], new[column].iloc[:rows])
        changed = np.nonzero(~same)[0]
        if len(changed) == 0:
            continue
        examples = []
        for i in changed[:shown]:
            where = ", ".join(f"{k} {old[k].iloc[i]}" for k in keys) or f"row {i}"
            examples.append(f"{where}: {old[column].iloc[i]} -> {new[column].iloc[i]}")
        more = f" (and {len(changed) - shown} more)" if len(changed) > shown else ""
        lines.append(
            f"{name}.{column}: {len(changed)} of {rows} rows changed; " + "; ".join(examples) + more
        )
    if not lines:
        lines.append(f"{name}: the text differs but no value does (formatting or line ends)")
    return lines
