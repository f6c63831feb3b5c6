"""Benchmark: Morris screening of Camden's ten uncertain assumptions. Prints; asserts nothing.

    python benchmarks/bench_sensitivity.py [--trajectories 10] [--reps 10] [--workers N]

Aim (issue "Assumptions with honest uncertainty", on 2 cores): Morris over ten parameters,
ten trajectories, ten replications each, on Camden in under two minutes. That is
(10 parameters + 1 noise-floor dummy + 1) x 10 = 120 sample points x 10 replications =
1,200 replications, run through the Python API with no folder kept.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sim import load_scenario, resolve_scenario  # noqa: E402
from sim.experiments.sensitivity import sensitivity  # noqa: E402


def main() -> None:
    """Time a Morris screening of Camden and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trajectories", type=int, default=10)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    camden = load_scenario(resolve_scenario("camden"))
    began = time.perf_counter()
    result = sensitivity(
        camden,
        "morris",
        "practising_person_months",
        samples=args.trajectories,
        reps=args.reps,
        workers=args.workers,
    )
    seconds = time.perf_counter() - began
    points = len(result.samples)
    print(
        f"Morris, {len(camden.uncertainty)} parameters, {args.trajectories} trajectories: "
        f"{points} points x {args.reps} replications = {points * args.reps} replications "
        f"in {seconds:.1f} s on {args.workers} workers (aim: under 120 s)"
    )
    ranked = result.table.sort_values("mu_star", ascending=False)
    for row in ranked.itertuples():
        print(f"  {row.parameter:55s} mu* {row.mu_star:9.1f} ± {row.mu_star_conf:.1f}")


if __name__ == "__main__":
    main()
