"""The columns of differences.csv live in one light module that the writer and reader share."""

from __future__ import annotations

import subprocess
import sys

from conftest import make_scenario

from sim.experiments import comparisons
from sim.scenario import columns


def test_the_columns_module_loads_nothing_heavy():
    code = (
        "import sys, sim.scenario.columns; "
        "print(' '.join(m for m in ('pandas', 'numpy', 'pydantic', 'matplotlib') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"importing the columns loaded {out.stdout.strip()}"


def test_the_comparison_uses_the_shared_tuple():
    assert comparisons.DIFFERENCE_COLUMNS is columns.DIFFERENCE_COLUMNS, "a second copy"


def test_a_comparison_writes_every_shared_column():
    base = make_scenario()
    more = make_scenario(practice__uptake=0.5)
    result = comparisons.compare({"base": base, "more": more}, reps=2, seed=1)
    missing = [c for c in columns.DIFFERENCE_COLUMNS if c not in result.differences.columns]
    assert not missing, f"differences lack {missing}: {list(result.differences.columns)}"
