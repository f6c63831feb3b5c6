"""Start at once: help, ``validate``, ``councils`` and every kind of bad input load no
pandas, matplotlib, SciPy or SimPy (those load only when work needs them).

Each case runs the installed ``rollout`` script in a subprocess under ``python -X importtime``,
which lists every module the process imported; the test reads that list. No timings are
asserted (``benchmarks/bench_startup.py`` measures them).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pandas", "matplotlib", "scipy", "simpy")
SCRIPT = Path(sys.executable).parent / "rollout"

# name → (arguments, expected exit status, a text expected in stdout + stderr)
CASES = {
    "help": (["--help"], 0, "Usage: rollout"),
    "no-such-file": (["run", "nosuch.toml"], 2, "nosuch.toml"),
    "bad-value-via-set": (["run", "camden", "--set", "champions.target=-1"], 2, "champions.target"),
    "reps-zero": (["run", "camden", "--reps", "0"], 2, "--reps"),
    "out-exists": (["run", "camden", "--out", "."], 2, "already exists"),
    "compare-unknown": (["compare", "camden", "nosuch"], 2, "nosuch"),
    "sweep-bad-target": (
        ["sweep", "camden", "--vary", "champions.target=4,8", "--target", "nosuch>=1"],
        2,
        "--target",
    ),
    "levers-reps-one": (["levers", "camden", "--reps", "1"], 2, "--reps 1"),
    "levers-unknown": (["levers", "camden", "--lever", "nosuch"], 2, "--lever nosuch"),
    "validate": (["validate", "camden"], 0, "Phase 1"),
    "councils": (["councils", "--search", "camden"], 0, "Camden"),
    "new-unknown-council": (["new", "--council", "nowhere at all", "-o", "x.toml"], 2, "nowhere"),
}


def imported(importtime: str) -> set[str]:
    """Top-level names of every module in ``python -X importtime`` output."""
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)\s*$", importtime, re.M)
    return {name.split(".")[0] for name in names}


@pytest.fixture(scope="module")
def started(tmp_path_factory) -> dict[str, tuple[int, str, str, set[str]]]:
    """Every case at once (each in its own empty folder), then their outcomes."""
    assert SCRIPT.is_file(), f"no rollout script beside {sys.executable}: pip install -e ."
    running = {}
    for name, (args, _, _) in CASES.items():
        cwd = tmp_path_factory.mktemp(name)
        running[name] = subprocess.Popen(
            [sys.executable, "-X", "importtime", str(SCRIPT), *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    outcomes = {}
    for name, process in running.items():
        stdout, stderr = process.communicate(timeout=120)
        said = "\n".join(
            line for line in stderr.splitlines() if not line.startswith("import time:")
        )
        outcomes[name] = (process.returncode, stdout, said, imported(stderr))
    return outcomes


@pytest.mark.parametrize("case", list(CASES))
def test_loads_nothing_heavy(started, case):
    _, expected_code, expected_text = CASES[case]
    code, stdout, stderr, modules = started[case]
    assert code == expected_code, f"exit {code}, expected {expected_code}; stderr: {stderr}"
    assert expected_text in stdout + stderr, f"{expected_text!r} not in {stdout + stderr!r}"
    assert "Traceback" not in stderr, stderr
    assert "click" in modules, f"importtime output not read: modules {sorted(modules)}"
    heavy = sorted(set(HEAVY) & modules)
    assert not heavy, f"rollout {' '.join(CASES[case][0])} imported {heavy}"


def test_the_check_sees_heavy_imports(tmp_path):
    # The same reading of -X importtime does see a heavy module when a process imports one
    # (SimPy: the quickest of the four to import).
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import simpy"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "simpy" in imported(done.stderr), done.stderr[-2000:]
