"""Direction of effect on common random numbers, over random valid scenarios (Hypothesis).

Two versions of a scenario run on the same (seed, replication) draw the same staffing plan,
because the turnover, hiring and agency streams are used before the programme runs and by
nothing else (sim/model/workforce.py). What that guarantees, and what it does not, decides the
form of each test:

- **More cohort places.** Per replication, more places can train *fewer* people by the
  horizon in general, and not only by chance: the allocation and attendance streams are
  consumed in step with the number of places, so later cohorts see different draws; and a
  place held in a cohort that never completes keeps a new starter out of a champion
  induction. The per-replication guarantee holds when nobody leaves or joins and everyone
  attends: then which sessions a cohort holds, and so whether it completes, depends only on
  its start and the phase's end (not on its size), each completing cohort takes
  min(places, untrained people left), and the number trained at every month end is
  min(untrained at the start, places of the cohorts completed by then): monotone in places.
  With turnover and partial attendance (but no champion inductions, see above) the claim is
  about the *expected* number trained, checked on paired means with a tolerance.
- **Higher turnover.** Each holder's stay is an exponential draw divided by the role's
  hazard, and the first holders' draws are the same for any hazard; so with a higher hazard
  every first holder leaves no later. When posts are refilled at once (headcount = posts),
  recruits arrive untrained and nothing trains anyone during the run, the trained are the
  first holders trained at the start who are still in post: a shrinking set, so coverage at
  every month end is no higher, per replication. With foundation cohorts for the staff in
  post (and recruits still never trained) the claim is about the *expected* coverage at the
  horizon, checked on paired means with a tolerance. (Not in general: when recruits arrive
  trained, or new starters are trained by cohorts or champions, more turnover can rightly
  raise coverage.)
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model import run_replication
from sim.model.measures import MONTHLY
from sim.scenario import validate

from .strategies import SOURCE, scenario_data

# A turnover drawn as a tiny (subnormal) float gives stays that overflow to infinity: the
# right answer (nobody leaves), with NumPy's warning.
pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered in divide:RuntimeWarning")

TRAINED = MONTHLY.index("trained")
COVERAGE = MONTHLY.index("coverage")
SEED = 20240917


def foundation_designs(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The programme's cohort design and every phase's override of it."""
    programme = data["programme"]
    overrides = [p["foundation"] for p in programme["phases"] if "foundation" in p]
    return [programme["foundation"], *overrides]


def more_places(data: dict[str, Any], extra: int) -> dict[str, Any]:
    """A copy with ``extra`` more places in every cohort design that sets a size."""
    bigger = copy.deepcopy(data)
    for design in foundation_designs(bigger):
        if "cohort_size" in design:
            design["cohort_size"] += extra
    return bigger


def with_cohorts(data: dict[str, Any]) -> dict[str, Any]:
    """A copy in which every phase (at least one) runs at least one cohort.

    Most random scenarios train nobody (no phase supplies foundation, or 0 cohorts), which
    would make a test about places vacuous.
    """
    data = copy.deepcopy(data)
    programme = data["programme"]
    if not programme["phases"]:
        programme["phases"] = [{"name": "Phase 1", "start_after_months": 0, "months": 12}]
    for phase in programme["phases"]:
        supplies = list(phase.get("supplies", ()))
        phase["supplies"] = supplies if "foundation" in supplies else [*supplies, "foundation"]
    for design in foundation_designs(data):
        if "cohorts" in design or design is programme["foundation"]:
            design["cohorts"] = max(1, design.get("cohorts", 0))
    return data


def no_champion_inductions(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data["champions"]["induction_places_per_champion_per_month"] = 0.0
    return data


def trained_by_month(data: dict[str, Any], replication: int) -> np.ndarray:
    scenario = validate(data, SOURCE)
    return run_replication(scenario, SEED, replication).monthly[:, TRAINED]


def coverage_by_month(data: dict[str, Any], replication: int) -> np.ndarray:
    scenario = validate(data, SOURCE)
    return run_replication(scenario, SEED, replication).monthly[:, COVERAGE]


def paired_shortfall(low: np.ndarray, high: np.ndarray) -> tuple[float, float]:
    """Mean of high − low and the tolerance a true difference ≥ 0 may show by chance.

    The tolerance is three standard errors of the paired differences, and at least
    ``1e-9`` so that exact ties pass.
    """
    diff = high - low
    se = diff.std(ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else 0.0
    return float(diff.mean()), 3.0 * float(se) + 1e-9


# --------------------------------------------------------------------------- more places


def nobody_moves_everyone_attends(data: dict[str, Any]) -> dict[str, Any]:
    """No leavers, no vacancies (so no starters, agency workers or inductions), attendance 1."""
    data = with_cohorts(data)
    for role in data["workforce"]["roles"].values():
        role["turnover"] = 0.0
        role.pop("initial_vacancies", None)
    for design in foundation_designs(data):
        if "attendance" in design or design is data["programme"]["foundation"]:
            design["attendance"] = 1.0
    return data


@settings(max_examples=100, deadline=None)
@given(data=scenario_data(), extra=st.integers(1, 15), replication=st.integers(0, 3))
def test_more_places_never_train_fewer_when_nobody_moves(data, extra, replication):
    """Guaranteed per replication and at every month (see the module docstring)."""
    base = nobody_moves_everyone_attends(data)
    fewer = trained_by_month(base, replication)
    more = trained_by_month(more_places(base, extra), replication)
    worse = np.flatnonzero(more < fewer)
    assert len(worse) == 0, (
        f"{extra} more places trained fewer: month {worse[0]}: {more[worse[0]]:g} < "
        f"{fewer[worse[0]]:g} (trained by month with fewer places {fewer.tolist()}, "
        f"with more {more.tolist()})"
    )


@settings(max_examples=40, deadline=None)
@given(data=scenario_data(), extra=st.integers(1, 15))
def test_more_places_never_lower_expected_trained(data, extra):
    """In expectation over 6 paired replications, with turnover and partial attendance."""
    base = with_cohorts(no_champion_inductions(data))
    reps = range(6)
    fewer = np.array([trained_by_month(base, r)[-1] for r in reps])
    more = np.array([trained_by_month(more_places(base, extra), r)[-1] for r in reps])
    gain, tolerance = paired_shortfall(fewer, more)
    assert gain >= -tolerance, (
        f"{extra} more places: mean trained at the horizon {more.mean():g} vs {fewer.mean():g} "
        f"(paired gain {gain:g}, tolerance {tolerance:g}); per replication "
        f"fewer {fewer.tolist()}, more {more.tolist()}"
    )


# --------------------------------------------------------------------------- higher turnover


def more_turnover(data: dict[str, Any], factor: float, added: float) -> dict[str, Any]:
    """A copy with every role's turnover raised to ``turnover × factor + added``."""
    higher = copy.deepcopy(data)
    for role in higher["workforce"]["roles"].values():
        role["turnover"] = role["turnover"] * factor + added
    return higher


def refilled_at_once_recruits_untrained(data: dict[str, Any]) -> dict[str, Any]:
    """Posts refilled at once (headcount = posts) and no way for a newcomer to be trained."""
    data = no_champion_inductions(data)
    data["workforce"]["recruits_trained_fraction"] = 0.0
    for role in data["workforce"]["roles"].values():
        role["hiring_delay_months"] = 0.0
        role.pop("initial_vacancies", None)
    for design in foundation_designs(data):
        design["offer_new_starters"] = False
    return data


turnover_rises = {
    "factor": st.floats(1.0, 4.0),
    "added": st.one_of(st.just(0.0), st.floats(0.0, 1.0)),
}


@settings(max_examples=100, deadline=None)
@given(data=scenario_data(), replication=st.integers(0, 3), **turnover_rises)
def test_higher_turnover_never_raises_coverage_without_training(data, replication, factor, added):
    """Guaranteed per replication and at every month when only the staff trained at the start
    are ever trained (see the module docstring).
    """
    base = refilled_at_once_recruits_untrained(data)
    for phase in base["programme"]["phases"]:
        phase["supplies"] = [s for s in phase["supplies"] if s != "foundation"]
    low = coverage_by_month(base, replication)
    high = coverage_by_month(more_turnover(base, factor, added), replication)
    worse = np.flatnonzero(high > low + 1e-12)
    assert len(worse) == 0, (
        f"turnover × {factor:g} + {added:g} raised coverage: month {worse[0]}: "
        f"{high[worse[0]]:g} > {low[worse[0]]:g}"
    )


@settings(max_examples=40, deadline=None)
@given(data=scenario_data(), **turnover_rises)
def test_higher_turnover_never_raises_expected_coverage_at_horizon(data, factor, added):
    """In expectation over 6 paired replications, with cohorts training the staff in post."""
    base = refilled_at_once_recruits_untrained(data)
    reps = range(6)
    low = np.array([coverage_by_month(base, r)[-1] for r in reps])
    high = np.array([coverage_by_month(more_turnover(base, factor, added), r)[-1] for r in reps])
    fall, tolerance = paired_shortfall(high, low)
    assert fall >= -tolerance, (
        f"turnover × {factor:g} + {added:g}: mean coverage at the horizon {high.mean():g} vs "
        f"{low.mean():g} (paired fall {fall:g}, tolerance {tolerance:g}); per replication "
        f"lower turnover {low.tolist()}, higher {high.tolist()}"
    )
