"""Benchmark: a search of five levers on Camden, then the choice. Prints figures; asserts
nothing.

    python benchmarks/bench_optimise.py [--budget 200] [--reps 50] [--workers 2]

Aim (issue 22, item 5): five levers, 200 candidates × 50 futures plus the selection stage,
on Camden, in under 3 minutes on 2 cores. Prints the wall time of the search and of the
choice, the replications each ran, and the share of the time spent outside the model:
1 - (replications × one replication's time / workers) / wall time, with one replication's
time measured here on 20 Camden replications (its uncertain assumptions drawn). Small
sizes (``--budget 16 --reps 5``) show that it works on a shared machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sim import load_scenario, resolve_scenario  # noqa: E402
from sim.experiments import engines  # noqa: E402
from sim.experiments.targets import Target  # noqa: E402
from sim.model import run_replication  # noqa: E402
from sim.optimise.choose import choose  # noqa: E402
from sim.optimise.search import Problem, evaluate_status_quo, search  # noqa: E402
from sim.optimise.space import current, parse_space  # noqa: E402

LEVERS = (
    "programme.foundation.cohorts=4:12",
    "programme.foundation.cohort_size=20:40:5",
    "champions.target=6:18:2",
    "programme.phases.1.start_after_months=0:12:3",
    "programme.foundation.allocation=mixed,whole_teams",
)
TARGET = Target("practising_share_m48", ">=", 0.3)


def main() -> None:
    """Run the search and the choice; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=200, help="candidates")
    parser.add_argument("--reps", type=int, default=50, help="futures of each candidate")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    scenario = load_scenario(resolve_scenario("camden"))
    # Phase 2 from a gap after Phase 1 rather than its own dates, so the gap is a lever.
    scenario = scenario.with_changes(
        {
            "programme.phases.1.start": None,
            "programme.phases.1.end": None,
            "programme.phases.1.start_after_months": 1,
            "programme.phases.1.months": 12,
        }
    )
    problem = Problem(
        scenario=scenario,
        space=tuple(parse_space(LEVERS)),
        objective="total_cost",
        benefit="practising_share_m48",
        pareto=False,
        target=TARGET,
        probability=0.9,
        budget=args.budget,
        reps=args.reps,
        seed=args.seed,
    )
    singles = []
    for r in range(20):
        began = time.perf_counter()
        run_replication(scenario, args.seed, 10_000 + r)
        singles.append(time.perf_counter() - began)
    one = statistics.median(singles)

    folder = Path(tempfile.mkdtemp(prefix="bench-optimise-"))
    began = time.perf_counter()
    with engines.started(None, args.workers) as runner:
        plan = {d.key: current(scenario, d.key) for d in problem.space}
        quo = evaluate_status_quo(problem, plan, runner)
        found = search(problem, folder, runner, quo)
        searched = time.perf_counter()
        choice = choose(problem, found.candidates, runner)
    ended = time.perf_counter()

    unique = len({repr(sorted(c.plan.items())) for c in found.candidates})
    search_reps = unique * args.reps
    select_reps = choice.selection.spent
    total = ended - began
    model = (search_reps + select_reps) * one / args.workers
    print(
        f"levers: {len(LEVERS)}; candidates: {args.budget} ({unique - 1} distinct) × "
        f"{args.reps} futures; workers: {args.workers}"
    )
    print(f"one Camden replication: median {1000 * one:.1f} ms wall (20 runs)")
    print(f"search: {searched - began:.1f} s wall, {search_reps:,} replications")
    print(
        f"choice: {ended - searched:.1f} s wall, {select_reps:,} replications "
        f"({len(choice.compared)} plans compared)"
    )
    print(f"total: {total:.1f} s wall (aim < 180 s at 200 × 50 on 2 cores)")
    print(f"share of time outside the model: {max(0.0, 1 - model / total):.0%}")
    print(f"chosen: candidate {choice.chosen}; {choice.selection.guarantee}")


if __name__ == "__main__":
    main()
