"""Benchmark: experiments on Camden with every core. Prints figures; asserts nothing.

    python benchmarks/bench_experiments.py [--reps 1000] [--grid 10] [--grid-reps 100]

Aims (issue 3, on a 2-core machine): 1,000 Camden replications in under 8 s; a 10 x 10
sweep at 100 replications per grid point in under 90 s. Times are wall-clock through the
Python API (``sim.experiments``) with no folder kept (summaries and bands only, as
``rollout sweep`` or ``compare`` without ``--keep-timeseries``), so they include process
start-up, pickling and assembling the tables. Other work on the machine slows them down:
run it on an otherwise idle machine.

bench_model.py prints every figure of the later aims ("Beyond one machine") in one table,
in units of this machine's bare SimPy speed; BENCHMARKS.md keeps its latest results.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sim import experiments, load_scenario, resolve_scenario  # noqa: E402
from sim.experiments.replications import replicate as plain_run  # noqa: E402


def main() -> None:
    """Time a large run and a sweep, and print replications per second."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1000, help="replications of Camden")
    parser.add_argument("--grid", type=int, default=10, help="values per swept key")
    parser.add_argument("--grid-reps", type=int, default=100, help="replications per point")
    parser.add_argument("--workers", type=int, default=None, help="default: every core")
    args = parser.parse_args()
    workers = args.workers or os.cpu_count() or 1

    camden = load_scenario(resolve_scenario("camden"))
    staff_years_per_rep = plain_run(camden, reps=2, seed=1).timeseries["headcount"].sum() / 24
    print(
        f"Camden: {sum(r.posts for r in camden.workforce.roles.values())} posts, "
        f"{camden.scenario.horizon_months} months, about {staff_years_per_rep:,.0f} staff-years "
        f"per replication; {workers} worker(s) of {os.cpu_count()} cores"
    )

    began = time.perf_counter()
    experiments.run(camden, reps=args.reps, seed=1, workers=workers, keep_timeseries=False)
    took = time.perf_counter() - began
    print(
        f"run, {args.reps:,} replications: {took:.2f} s "
        f"({args.reps / took:,.0f} replications/s, "
        f"{args.reps * staff_years_per_rep / took:,.0f} staff-years/s; aim < 8 s for 1,000)"
    )

    base = load_scenario(resolve_scenario("camden"), ["programme.phases.1.months=12"])
    n = args.grid
    grid = {
        "programme.phases.1.start_after_months": list(range(0, 3 * n, 3)),
        "champions.target": list(range(4, 4 + 2 * n, 2)),
    }
    began = time.perf_counter()
    experiments.sweep(base, grid, reps=args.grid_reps, seed=1, workers=workers)
    took = time.perf_counter() - began
    total = n * n * args.grid_reps
    print(
        f"sweep, {n} x {n} grid x {args.grid_reps} replications ({total:,}): {took:.1f} s "
        f"({total / took:,.0f} replications/s; aim < 90 s for 10 x 10 x 100)"
    )


if __name__ == "__main__":
    main()
