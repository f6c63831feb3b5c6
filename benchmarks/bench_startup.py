"""Benchmark: how soon ``rollout`` answers when it has no simulating to do. Prints figures;
asserts nothing.

    python benchmarks/bench_startup.py [--runs 7]

Measures, in this one run and on this machine, the wall time of ``rollout --help``, of a
bad-input error (``rollout run camden --set champions.target=-1``: the scenario is read and
validated, then refused), of ``rollout validate camden`` and, for scale, of
``python -c "import pandas"``: the median of ``--runs`` runs of each, interleaved so that
a busy moment slows every command alike. Aim (issue: start at once): help and bad-input
errors come back before pandas alone could have been imported. Run it on an otherwise idle
machine; the ``rollout`` script beside this Python is used (``pip install -e .``).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "rollout"

COMMANDS = {
    "rollout --help": [str(SCRIPT), "--help"],
    "bad input (run camden --set champions.target=-1)": [
        str(SCRIPT),
        "run",
        "camden",
        "--set",
        "champions.target=-1",
    ],
    "rollout validate camden": [str(SCRIPT), "validate", "camden"],
    'python -c "import pandas"': ["-c", "import pandas"],
}


def wall_time(args: list[str], cwd: str) -> float:
    """Seconds a Python process running ``args`` takes, from start to exit."""
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    """Time ``rollout --help`` and a bad-input error, and print the median of each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command")
    args = parser.parse_args()
    if not SCRIPT.is_file():
        sys.exit(f"no rollout script beside {sys.executable}: pip install -e . first")

    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    with tempfile.TemporaryDirectory() as cwd:
        for command in COMMANDS.values():  # warm the file cache and the bytecode
            wall_time(command, cwd)
        for _ in range(args.runs):
            for name, command in COMMANDS.items():
                times[name].append(wall_time(command, cwd))

    median = {name: statistics.median(values) for name, values in times.items()}
    width = max(len(name) for name in COMMANDS)
    print(f"wall time, median of {args.runs} runs each (Python {sys.version.split()[0]}):")
    for name, value in median.items():
        low, high = 1000 * min(times[name]), 1000 * max(times[name])
        print(f"  {name:<{width}}  {1000 * value:6.0f} ms  (range {low:.0f}–{high:.0f})")
    pandas = median['python -c "import pandas"']
    for name in ("rollout --help", "bad input (run camden --set champions.target=-1)"):
        verdict = "beats" if median[name] < pandas else "does NOT beat"
        print(f"{name} {verdict} importing pandas ({median[name] / pandas:.0%} of its time)")


if __name__ == "__main__":
    main()
