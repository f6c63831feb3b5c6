"""Benchmark: the work ``rollout validate`` does at the edges of the limits. Prints figures;
asserts nothing.

    python benchmarks/bench_limits.py

Measures, in this process, the time to validate and explain Camden (``validate_file``) with
a foundation pattern of N sessions of different lengths (issue 19: 20, 22, 24 sessions once
took 1.0, 2.8 and 11.8 s, doubling with each session), and the time to refuse a file of the
largest size allowed whose arrays nest one level too deep, and one with a 10,000-character
description (the longest allowed) explained in full. Run it on an otherwise idle machine.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sim.scenario import ScenarioError, bundled_dir
from sim.scenario.explain import validate_file
from sim.scenario.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_SESSIONS, MAX_TEXT


def _timed(action) -> str:
    """Seconds ``action`` took, and whether it was refused as bad input."""
    start = time.perf_counter()
    outcome = "done"
    try:
        action()
    except ScenarioError:
        outcome = "refused"
    return f"{time.perf_counter() - start:6.3f} s ({outcome})"


def main() -> None:
    """Time validation of ever larger session lists, to show it stays polynomial."""
    camden = bundled_dir() / "camden.toml"
    with tempfile.TemporaryDirectory() as folder:
        for n in (20, 22, 24, 60, MAX_SESSIONS):
            sessions = ", ".join(
                f"{{ after_months = {i * 0.03:.2f}, days = {1 + i / 100:.2f} }}" for i in range(n)
            )
            change = f"programme.foundation.sessions=[{sessions}]"
            seconds = _timed(lambda change=change: validate_file(camden, [change]))
            print(f"validate, {n:3d} sessions of different lengths: {seconds}")
        text = camden.read_text(encoding="utf-8")
        deep = Path(folder) / "deep.toml"
        pad = MAX_FILE_BYTES - len(text) - 4 * (MAX_DEPTH + 1) - 10
        deep.write_text(
            text + "#" + "x" * pad + "\nx = " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
            encoding="utf-8",
        )
        print(
            f"refuse a {deep.stat().st_size:,}-byte file nested too deep: "
            f"{_timed(lambda: validate_file(deep))}"
        )
        long = Path(folder) / "long.toml"
        start = text.index('description = "') + len('description = "')
        end = text.index('"', start)
        long.write_text(text[:start] + "x" * MAX_TEXT + text[end:], encoding="utf-8")
        print(
            f"validate with a {MAX_TEXT:,}-character description: "
            f"{_timed(lambda: validate_file(long))}"
        )


if __name__ == "__main__":
    main()
