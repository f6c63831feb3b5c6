"""Benchmark: how fast the model runs, as one table. Prints figures; asserts nothing.

    python benchmarks/bench_model.py [--repeat 3] [--workers N] [--quick] [--markdown]

Every figure is measured ``--repeat`` times and the median is printed, because the
machines this runs on are shared: other work slows any single measurement down. The unit
that makes figures comparable across machines is measured in the same run, interleaved
with the model: a bare SimPy loop of timeouts (one process, ``yield env.timeout(1)``),
whose time per event is the machine's *bare SimPy speed*. A replication's cost is then
given in those units, per staff-year (permanent staff in post × years, the DfE headcount).

Rows (aims from "Beyond one machine", parts 3 and 5):

- one Camden replication: at most 5 bare SimPy timeouts per staff-year;
- 1,000 Camden replications with every core: under 5 s (wall, through
  :func:`sim.experiments.run` with nothing kept on disk, as bench_experiments.py);
- the 10 × 10 × 100 sweep of bench_experiments.py: under 60 s (wall);
- an England-size service (Camden's roles, cohorts and champions scaled to 45,000 posts,
  10 years): under 0.5 s a replication;
- cost per staff-year flat (the largest over the smallest at most 1.2) from 250 to
  45,000 posts, and from 6 to 50 years;
- every council × 100 replications: ``rollout national`` (another engineer's command).

Single-process figures are process CPU time (less disturbed by other work than wall
time); the parallel ones are wall time, because that is what their aim is about.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import simpy  # noqa: E402

from sim import experiments, load_scenario, resolve_scenario  # noqa: E402
from sim.model import run_replication  # noqa: E402
from sim.model.measures import MONTHLY  # noqa: E402
from sim.scenario.schema import Scenario  # noqa: E402

HEADCOUNT = MONTHLY.index("headcount")
BARE_EVENTS = 20_000  # timeouts in one bare SimPy measurement
ENGLAND_POSTS = 45_000
CAMDEN_POSTS = 250


# --------------------------------------------------------------------------- measuring


def bare_simpy_seconds(events: int = BARE_EVENTS) -> float:
    """CPU seconds per event of a bare SimPy loop: one process yielding ``events`` timeouts."""
    env = simpy.Environment()

    def loop():
        for _ in range(events):
            yield env.timeout(1)

    env.process(loop())
    began = time.process_time()
    env.run()
    return (time.process_time() - began) / events


def replication_cost(scenario: Scenario, reps: int, first: int = 0) -> tuple[float, float]:
    """CPU seconds per replication and staff-years per replication, over ``reps`` runs."""
    began = time.process_time()
    staff_months = 0.0
    for r in range(first, first + reps):
        staff_months += run_replication(scenario, 1, r).monthly[:, HEADCOUNT].sum()
    took = time.process_time() - began
    return took / reps, staff_months / 12 / reps


def median_of(repeat: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(repeat))


def wall(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


# --------------------------------------------------------------------------- scenarios


def scaled_camden(camden: Scenario, posts: int, years: int | None = None) -> Scenario:
    """Camden with every role's posts (and initial vacancies) scaled to about ``posts`` posts,
    and the programme scaled with them so that it reaches the same share of the service:
    cohort places, the champion target and workshop places. ``years`` sets the horizon."""
    factor = posts / CAMDEN_POSTS
    changes: dict[str, object] = {}
    for name, role in camden.workforce.roles.items():
        changes[f"workforce.roles.{name}.posts"] = max(1, round(role.posts * factor))
        changes[f"workforce.roles.{name}.initial_vacancies"] = round(
            role.initial_vacancies * factor
        )
    foundation = camden.programme.foundation
    champions = camden.champions
    changes["programme.foundation.cohort_size"] = max(1, round(foundation.cohort_size * factor))
    changes["champions.target"] = round(champions.target * factor)
    changes["champions.workshop_places"] = round(champions.workshop_places * factor)
    if years is not None:
        changes["scenario.horizon_months"] = 12 * years
    return camden.with_changes(changes)


# --------------------------------------------------------------------------- the table


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {model}, "
        f"Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="measurements per figure")
    parser.add_argument("--workers", type=int, default=None, help="default: every core")
    parser.add_argument(
        "--quick", action="store_true", help="skip the 1,000-replication run and the sweep"
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    workers = args.workers or len(os.sched_getaffinity(0))
    repeat = args.repeat

    camden = load_scenario(resolve_scenario("camden"))
    for r in range(3):  # warm up imports and caches
        run_replication(camden, 1, r)

    rows: list[tuple[str, str, str, str]] = []  # figure, value, aim, met

    def row(figure: str, value: str, aim: str = "", met: bool | None = None) -> None:
        rows.append((figure, value, aim, "" if met is None else ("yes" if met else "NO")))
        print(f"  {figure}: {value}", file=sys.stderr, flush=True)

    bare_samples: list[float] = []

    def units_per_staff_year(scenario: Scenario, reps: int) -> tuple[float, float, float]:
        """Median over repeats of (CPU s per replication, staff-years, bare units/staff-year),
        the bare loop timed just before each measurement."""
        seconds, units, years = [], [], 0.0
        for i in range(repeat):
            bare = bare_simpy_seconds()
            bare_samples.append(bare)
            cost, years = replication_cost(scenario, reps, first=i * reps)
            seconds.append(cost)
            units.append(cost / years / bare)
        return statistics.median(seconds), years, statistics.median(units)

    print("measuring (medians of", repeat, "runs each)…", file=sys.stderr)
    seconds, years, units = units_per_staff_year(camden, 20)
    row(
        "Camden, one replication (250 posts, 6 years)",
        f"{1000 * seconds:.1f} ms CPU, {years:,.0f} staff-years",
    )
    row(
        "Camden, bare SimPy timeouts per staff-year",
        f"{units:.1f}",
        "≤ 5",
        units <= 5,
    )

    if not args.quick:
        took = median_of(
            repeat, lambda: wall(lambda: experiments.run(camden, reps=1000, workers=workers))
        )
        row(
            f"1,000 Camden replications, {workers} workers",
            f"{took:.2f} s wall",
            "< 5 s",
            took < 5,
        )
        base = load_scenario(resolve_scenario("camden"), ["programme.phases.1.months=12"])
        grid = {
            "programme.phases.1.start_after_months": list(range(0, 30, 3)),
            "champions.target": list(range(4, 24, 2)),
        }
        took = median_of(
            max(1, repeat - 1),
            lambda: wall(lambda: experiments.sweep(base, grid, reps=100, workers=workers)),
        )
        row(
            f"sweep 10 × 10 × 100 (10,000 replications), {workers} workers",
            f"{took:.1f} s wall",
            "< 60 s",
            took < 60,
        )

    england = scaled_camden(camden, ENGLAND_POSTS, years=10)
    seconds, years, units = units_per_staff_year(england, 1)
    row(
        f"England-size, one replication ({ENGLAND_POSTS:,} posts, 10 years)",
        f"{seconds:.2f} s CPU, {years:,.0f} staff-years",
        "< 0.5 s",
        seconds < 0.5,
    )

    def flatness(label: str, series: list[tuple[str, Scenario, int]]) -> None:
        costs = []
        for name, scenario, reps in series:
            seconds, years, units = units_per_staff_year(scenario, reps)
            costs.append(units)
            row(
                f"cost per staff-year, {label} {name}",
                f"{units:.2f} bare timeouts ({1e6 * seconds / years:.1f} µs CPU)",
            )
        ratio = max(costs) / costs[0]
        row(
            f"cost per staff-year, {label}: largest ÷ first",
            f"{ratio:.2f}",
            "≤ 1.2 (flat)",
            ratio <= 1.2,
        )

    flatness(
        "posts",
        [
            ("250 (6 years)", camden, 10),
            ("2,500 (6 years)", scaled_camden(camden, 2_500), 2),
            ("45,000 (6 years)", scaled_camden(camden, ENGLAND_POSTS), 1),
        ],
    )
    flatness(
        "years",
        [
            (f"{y} (250 posts)", camden.with_changes({"scenario.horizon_months": 12 * y}), reps)
            for y, reps in ((6, 10), (12, 5), (25, 3), (50, 2))
        ],
    )
    row(
        "every council × 100 replications",
        "see rollout national",
        "< 2 min",
    )

    bare = statistics.median(bare_samples)
    header = f"bare SimPy speed: {1e6 * bare:.2f} µs CPU per timeout event (median of this run)"
    print(f"\n{time.strftime('%Y-%m-%d')}; {machine()}\n{header}\n")
    if args.markdown:
        print("| figure | median | aim | met |\n|---|---|---|---|")
        for figure, value, aim, met in rows:
            print(f"| {figure} | {value} | {aim} | {met} |")
    else:
        width = max(len(r[0]) for r in rows)
        vwidth = max(len(r[1]) for r in rows)
        for figure, value, aim, met in rows:
            print(f"{figure:<{width}}  {value:<{vwidth}}  {aim:<14} {met}")


if __name__ == "__main__":
    main()
