r"""Benchmark: the floor under any speed-up of the model's monthly work. Prints; asserts nothing.

    python benchmarks/bench_model_floor.py [--repeat 5]

One Camden replication is timed as ``bench_model.py`` times it (CPU time, in units of the
machine's bare SimPy speed, per staff-year), first as it is and then with parts of it
switched off: the month's mechanisms (live mentoring, group supervision, champions,
clinician consultation, provider groups), then the month-end snapshot as well, then the
foundation cohorts as well. What is left at each step is what a replication would still
cost if the parts switched off cost nothing, so it is the most that making them faster
(fewer NumPy calls, or compiled code) could give. The runs with parts off are not the
model: their results are meaningless and are thrown away.

The same split in instructions, which do not move with other work on a shared machine:

    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python benchmarks/bench_model_floor.py --callgrind PARTS --reps N

for N = 2 and 12 (the difference ÷ 10 is one replication, start-up cancelled).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_model import bare_simpy_seconds, replication_cost  # noqa: E402

from sim import load_scenario, resolve_scenario  # noqa: E402
from sim.model import champions as champion_group  # noqa: E402
from sim.model import (  # noqa: E402
    consultation,
    foundation,
    groups,
    measures,
    mentoring,
    run_replication,
)

MECHANISMS = "mechanisms"
SNAPSHOT = "snapshot"
COHORTS = "cohorts"
STEPS = (
    ("as it is", ()),
    ("monthly mechanisms off", (MECHANISMS,)),
    ("… and the month-end snapshot", (MECHANISMS, SNAPSHOT)),
    ("… and the foundation cohorts: set-up, SimPy, summary", (MECHANISMS, SNAPSHOT, COHORTS)),
)


def _nothing(*_args) -> None:
    return None


def switch_off(parts: tuple[str, ...]) -> dict:
    """Replace the named parts with no-ops; return what to put back."""
    saved = {
        "mentoring": mentoring.MentoringState.monthly,
        "supervision": mentoring.group_supervision,
        "champions": champion_group.ChampionState.monthly,
        "consultation": consultation.ConsultationState.monthly,
        "groups": groups.provider_groups,
        "snapshot": measures.snapshot,
        "cohorts": foundation.start_cohorts,
    }
    if MECHANISMS in parts:
        mentoring.MentoringState.monthly = _nothing
        mentoring.group_supervision = _nothing
        champion_group.ChampionState.monthly = _nothing
        consultation.ConsultationState.monthly = _nothing
        groups.provider_groups = _nothing
    if SNAPSHOT in parts:
        row = [0.0] * len(measures.MONTHLY)
        measures.snapshot = lambda *_args: row
    if COHORTS in parts:
        foundation.start_cohorts = _nothing
    return saved


def put_back(saved: dict) -> None:
    """Undo :func:`switch_off`."""
    mentoring.MentoringState.monthly = saved["mentoring"]
    mentoring.group_supervision = saved["supervision"]
    champion_group.ChampionState.monthly = saved["champions"]
    consultation.ConsultationState.monthly = saved["consultation"]
    groups.provider_groups = saved["groups"]
    measures.snapshot = saved["snapshot"]
    foundation.start_cohorts = saved["cohorts"]


def main() -> None:
    """Time the replication as it is and with each set of parts off, and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="measurements per figure")
    parser.add_argument(
        "--callgrind",
        default=None,
        metavar="PARTS",
        help="only run --reps replications with PARTS off (comma-separated: "
        f"{MECHANISMS},{SNAPSHOT},{COHORTS}; '' for none), for an instruction count",
    )
    parser.add_argument("--reps", type=int, default=12, help="replications with --callgrind")
    args = parser.parse_args()
    camden = load_scenario(resolve_scenario("camden"))
    if args.callgrind is not None:
        switch_off(tuple(p for p in args.callgrind.split(",") if p))
        for r in range(args.reps):
            run_replication(camden, 1, r)
        return

    # Staff-years come from the model as it is: the runs with parts off count nothing.
    _, staff_years = replication_cost(camden, 20)
    print(f"Camden, one replication: {staff_years:,.0f} staff-years; best of {args.repeat}")
    bests, bares = [], []
    for _label, parts in STEPS:
        saved = switch_off(parts)
        try:
            replication_cost(camden, 2)  # warm up
            best = float("inf")
            for i in range(args.repeat):
                bares += [bare_simpy_seconds() for _ in range(5)]
                best = min(best, replication_cost(camden, 20, first=i * 20)[0])
        finally:
            put_back(saved)
        bests.append(best)
    bare = min(bares)  # one unit for every step, the least disturbed bare loop of the run
    print(f"bare SimPy speed: {1e6 * bare:.2f} µs CPU per timeout event at best")
    for (label, _parts), best in zip(STEPS, bests, strict=True):
        units = best / staff_years / bare
        print(
            f"  {label:<55} {1000 * best:5.1f} ms  {units:5.1f} bare timeouts per staff-year"
            f"  ({100 * best / bests[0]:3.0f} %)"
        )


if __name__ == "__main__":
    main()
