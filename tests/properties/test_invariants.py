"""Invariants of every monthly row, over random valid scenarios (Hypothesis).

Each invariant follows from the definitions in MODEL.md section 3 and README's table, not
from the model's output: shares lie in [0, 1]; the trained are a subset of the staff in post,
who fill at most every post; the practising and the champions are subsets of the trained;
nobody waits a negative number of times; headcount changes by exactly starters − leavers,
starting from the posts less the initial vacancies (those are filled later, after their
hiring delay, and then count as starters); a vacancy is a post without a permanent holder;
agency workers only cover vacancies.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from sim.model import run_replication
from sim.model.measures import MONTHLY
from sim.scenario import Scenario

from .strategies import scenarios

# A turnover drawn as a tiny (subnormal) float gives stays that overflow to infinity: the
# right answer (nobody leaves), with NumPy's warning.
pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered in divide:RuntimeWarning")

COL = {name: i for i, name in enumerate(MONTHLY)}


def columns(monthly: np.ndarray) -> dict[str, np.ndarray]:
    return {name: monthly[:, COL[name]] for name in MONTHLY}


def first_bad(ok: np.ndarray, **shown: np.ndarray) -> str:
    """The first failing month and the values involved, for an assert message."""
    month = int(np.flatnonzero(~ok)[0])
    values = ", ".join(f"{name}={np.asarray(v)[month]:g}" for name, v in shown.items())
    return f"month {month}: {values} ({int((~ok).sum())} bad months)"


@settings(max_examples=300, deadline=None)
@given(scenario=scenarios())
def test_monthly_rows_hold_invariants(scenario: Scenario) -> None:
    check_invariants(scenario, run_replication(scenario, seed=12345, replication=0))


def check_invariants(scenario: Scenario, result) -> None:
    """Assert every invariant on every month of one replication's result."""
    months = scenario.scenario.horizon_months
    assert result.monthly.shape == (months, len(MONTHLY)), f"shape {result.monthly.shape}"
    c = columns(result.monthly)
    roles = scenario.workforce.roles.values()
    posts = sum(r.posts for r in roles)
    teams = 0
    if scenario.workforce.supervisor_role is not None:
        teams = scenario.workforce.roles[scenario.workforce.supervisor_role].posts

    assert np.isfinite(result.monthly).all(), "a monthly value is not finite"
    checks = {
        "0 <= coverage <= 1": ((c["coverage"] >= 0) & (c["coverage"] <= 1), ["coverage"]),
        "0 <= practising_share <= 1": (
            (c["practising_share"] >= 0) & (c["practising_share"] <= 1),
            ["practising_share"],
        ),
        "trained <= headcount <= posts": (
            (c["trained"] <= c["headcount"]) & (c["headcount"] <= posts),
            ["trained", "headcount"],
        ),
        "practising <= trained": (c["practising"] <= c["trained"], ["practising", "trained"]),
        "champions <= trained": (c["champions"] <= c["trained"], ["champions", "trained"]),
        "champions <= target": (c["champions"] <= scenario.champions.target, ["champions"]),
        "inducted <= trained": (c["inducted"] <= c["trained"], ["inducted", "trained"]),
        "waiting >= 0": (c["waiting"] >= 0, ["waiting"]),
        "waiting + trained <= headcount": (
            c["waiting"] + c["trained"] <= c["headcount"],
            ["waiting", "trained", "headcount"],
        ),
        "in_training >= 0": (c["in_training"] >= 0, ["in_training"]),
        "vacancies = posts - headcount": (
            c["vacancies"] == posts - c["headcount"],
            ["vacancies", "headcount"],
        ),
        "0 <= agency <= vacancies": (
            (c["agency"] >= 0) & (c["agency"] <= c["vacancies"]),
            ["agency", "vacancies"],
        ),
        "teams_supervising <= teams": (
            c["teams_supervising"] <= teams,
            ["teams_supervising"],
        ),
        "starters, leavers >= 0": (
            (c["starters"] >= 0) & (c["leavers"] >= 0),
            ["starters", "leavers"],
        ),
        "flows >= 0": (
            (c["training_days"] >= 0) & (c["provider_days"] >= 0) & (c["cost"] >= 0),
            ["training_days", "provider_days", "cost"],
        ),
    }
    for label, (ok, involved) in checks.items():
        assert ok.all(), f"{label}: " + first_bad(ok, **{k: c[k] for k in involved})

    # Shares are the counts over headcount (0 when nobody is in post).
    headcount = c["headcount"]
    safe = np.maximum(headcount, 1)
    for share, count in (("coverage", "trained"), ("practising_share", "practising")):
        expected = np.where(headcount > 0, c[count] / safe, 0.0)
        ok = np.isclose(c[share], expected)
        assert ok.all(), f"{share} != {count} / headcount: " + first_bad(
            ok, **{share: c[share], count: c[count], "headcount": headcount}
        )

    # Stock and flow: month 0 starts from every post less those vacant on the start date.
    initial = sum(r.posts - r.initial_vacancies for r in roles)
    change = np.diff(headcount, prepend=initial)
    net = c["starters"] - c["leavers"]
    ok = change == net
    assert ok.all(), f"headcount change != starters - leavers (initial {initial}): " + first_bad(
        ok, change=change, starters=c["starters"], leavers=c["leavers"], headcount=headcount
    )


@settings(max_examples=25, deadline=None)
@given(scenario=scenarios())
def test_same_seed_same_rows_and_scenario_unchanged(scenario: Scenario) -> None:
    """Reproducibility: (seed, replication) alone fixes the result; a run leaves the scenario
    as it was (it is immutable, and the model must not need to mutate it).
    """
    before = scenario.model_dump()
    first = run_replication(scenario, seed=7, replication=3)
    second = run_replication(scenario, seed=7, replication=3)
    same = np.array_equal(first.monthly, second.monthly, equal_nan=True)
    assert same, f"two runs differ in {int((first.monthly != second.monthly).sum())} cells"
    assert scenario.model_dump() == before, "the scenario changed during a run"
