"""A small scenario for the search's tests, and helpers to run a search on it."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "experiments"))

from expkit import cohort_scenario  # noqa: E402

from sim.experiments.targets import Target  # noqa: E402
from sim.optimise.search import Problem  # noqa: E402
from sim.optimise.space import parse_space  # noqa: E402
from sim.scenario.schema import Scenario  # noqa: E402
from sim.scenario.writing import to_toml  # noqa: E402

LEVERS = (
    "programme.foundation.cohorts=1:4",
    "programme.foundation.cohort_size=2:8:2",
)


def small() -> Scenario:
    """Twenty staff over 18 months, two cohorts of four (tests/experiments/expkit.py), with
    prices: £1,000 a provider day, £200 a staff day.
    """
    base = cohort_scenario(places=4, horizon_months=18, phase_start=date(2020, 1, 1))
    return base.with_changes(
        {
            "costs.provider_day_rate": 1000.0,
            "workforce.roles.supervisor.day_cost": 200.0,
            "workforce.roles.worker.day_cost": 200.0,
        }
    )


def small_file(folder: Path) -> Path:
    """The small scenario written as a TOML file in ``folder``."""
    path = folder / "small.toml"
    path.write_text(to_toml(small()), encoding="utf-8")
    return path


def problem(
    budget: int = 6, reps: int = 3, seed: int = 1, pareto: bool = False, target=None
) -> Problem:
    """A search on the small scenario over :data:`LEVERS`."""
    return Problem(
        scenario=small(),
        space=tuple(parse_space(LEVERS)),
        objective="total_cost",
        benefit="practising_person_months",
        pareto=pareto,
        target=target,
        probability=0.6,
        budget=budget,
        reps=reps,
        seed=seed,
    )


COVERAGE = Target("coverage_horizon", ">=", 0.2)
