"""Benchmark: how long Camden replications take. Prints figures; asserts nothing.

    python benchmarks/bench_camden.py [--reps 100]

Aim (issue 2): one Camden replication (about 250 posts, six years) in under 15 ms of
computation. The timings are of the simulation only (no files written), measured as
process CPU time and wall time; run it on an otherwise idle machine.

bench_model.py prints every figure of the later aims ("Beyond one machine") in one table,
in units of this machine's bare SimPy speed; BENCHMARKS.md keeps its latest results.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sim import load_scenario, resolve_scenario  # noqa: E402
from sim.experiments.replications import replicate as run  # noqa: E402
from sim.model import run_replication  # noqa: E402


def main() -> None:
    """Time a batch of Camden replications and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=100, help="replications in the batch")
    parser.add_argument("--scenario", default="camden")
    args = parser.parse_args()

    scenario = load_scenario(resolve_scenario(args.scenario))
    for r in range(5):  # warm up imports and caches
        run_replication(scenario, 1, r)

    singles_cpu, singles_wall = [], []
    for r in range(50):
        cpu, wall = time.process_time(), time.perf_counter()
        run_replication(scenario, 1, r)
        singles_cpu.append(time.process_time() - cpu)
        singles_wall.append(time.perf_counter() - wall)

    wall = time.perf_counter()
    results = run(scenario, reps=args.reps, seed=1, workers=1)
    batch = time.perf_counter() - wall
    staff_years = results.timeseries["headcount"].sum() / 12

    print(
        f"scenario: {scenario.name} ({sum(r.posts for r in scenario.workforce.roles.values())} "
        f"posts, {scenario.scenario.horizon_months} months)"
    )
    print(
        f"one replication: median {1000 * statistics.median(singles_cpu):.1f} ms CPU, "
        f"{1000 * statistics.median(singles_wall):.1f} ms wall (50 runs; aim < 15 ms)"
    )
    print(
        f"{args.reps} replications with tables, 1 worker: {batch:.2f} s wall "
        f"({args.reps / batch:.0f} replications/s, {staff_years / batch:,.0f} staff-years/s)"
    )


if __name__ == "__main__":
    main()
