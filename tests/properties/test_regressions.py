"""Scenarios on which Hypothesis found the model failing, pinned as regression tests.

1. ``practice.half_life_spread`` tiny but positive (here 1e-200) used to crash the run:
   ``spread**2`` underflowed to 0 and was divided by. The model now treats a spread below
   floating-point resolution as none; the scenario is pinned as an explicit ``@example`` of
   a Hypothesis test that runs only its explicit examples (``phases=[Phase.explicit]``),
   while the exploring strategy in ``strategies.py`` steers around it.
2. ``hiring_delay_months`` = 5e-324 with an initial vacancy used to draw the vacancy as
   exactly 0 days, so its first holder counted as an initial holder and month 0 broke the
   stock-flow invariant (headcount change = starters − leavers, from posts − initial
   vacancies). The schema now requires a delay of at least
   ``sim.scenario.MIN_HIRING_DELAY_MONTHS`` for initial vacancies; the test below keeps such
   a scenario rejected, with a line naming the key.
3. A phase's ``foundation`` override that replaces ``sessions`` by shorter ones while the
   programme's ``min_days_to_complete`` stays above what they offer used to pass validation
   and crash the run (a pydantic ValidationError from ``Scenario.foundation_for``). The
   schema now rejects it; the test below keeps it rejected, with a line naming the key.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import Phase, example, given, settings

from sim.model import run_replication
from sim.scenario import Scenario, ScenarioError, validate

from .strategies import SOURCE, scenarios
from .test_invariants import check_invariants


def small(**tables) -> Scenario:
    """A five-person team with one phase over 2020, plus the given tables."""
    data = {
        "scenario": {"name": "regression", "start": date(2020, 1, 1), "horizon_months": 12},
        "workforce": {
            "supervisor_role": "supervisor",
            "roles": {
                "supervisor": {"posts": 1, "turnover": 0.0},
                "worker": {"posts": 4, "turnover": 0.2, "team_member": True},
            },
        },
        "programme": {
            "foundation": {"cohorts": 1, "cohort_size": 5},
            "phases": [
                {
                    "name": "Phase 1",
                    "start": date(2020, 1, 1),
                    "end": date(2020, 12, 31),
                    "supplies": ["foundation"],
                }
            ],
        },
    }
    for key, value in tables.items():
        data[key] = {**data.get(key, {}), **value}
    return validate(data, SOURCE)


TINY_SPREAD = small(practice={"half_life_spread": 1e-200})

# As Hypothesis found it (with the invariant test's seed, 12345): one of the leads' initial
# vacancies was drawn as exactly 0 days.
SUBNORMAL_HIRING_DELAY = {
    "scenario": {"name": "regression", "start": date(2015, 1, 1), "horizon_months": 1},
    "workforce": {
        "roles": {
            "lead": {
                "posts": 19,
                "turnover": 0.0,
                "hiring_delay_months": 5e-324,
                "initial_vacancies": 1,
            },
            "manager": {
                "posts": 3,
                "turnover": 0.0,
                "hiring_delay_months": 1.0,
                "initial_vacancies": 1,
            },
        }
    },
}


def test_initial_vacancies_with_a_vanishing_delay_are_rejected_with_its_key() -> None:
    with pytest.raises(ScenarioError) as caught:
        validate(SUBNORMAL_HIRING_DELAY, SOURCE)
    lines = caught.value.lines
    assert lines == [
        f"{SOURCE}: workforce.roles.lead: initial_vacancies needs hiring_delay_months of at "
        "least 0.01 (a shorter delay refills every post at once)"
    ], f"lines {lines}"


def test_override_that_cannot_be_completed_is_rejected_with_its_key() -> None:
    base = small().programme.phases[0].model_dump(exclude_none=True)
    programme = {
        "foundation": {
            "cohorts": 1,
            "cohort_size": 5,
            "sessions": [{"after_months": 0.0, "days": 3.0}],
            "min_days_to_complete": 3.0,
        },
        "phases": [{**base, "foundation": {"sessions": [{"after_months": 0.0, "days": 1.0}]}}],
    }
    with pytest.raises(ScenarioError) as caught:
        small(programme=programme)
    lines = caught.value.lines
    assert any(line.startswith(f"{SOURCE}: programme.phases.0.foundation") for line in lines), (
        f"no line names programme.phases.0.foundation: {lines}"
    )


@settings(phases=[Phase.explicit], deadline=None)
@given(scenario=scenarios())
@example(scenario=TINY_SPREAD)
def test_found_by_hypothesis_runs_and_holds_invariants(scenario: Scenario) -> None:
    check_invariants(scenario, run_replication(scenario, seed=12345, replication=0))
