"""The four allocation policies of sim/model/allocation.py, tested as pure functions."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model.allocation import allocate, proportional_quotas

POLICIES = ("random", "senior_first", "mixed", "whole_teams")

# A pool of 12 people with non-contiguous ids. Roles: 0 = most senior.
# Teams: 0 = {ids 10, 14, 21, 33}, 1 = {ids 11, 15, 23}; ids 40..44 in no team.
POOL = np.array([10, 11, 14, 15, 21, 23, 33, 40, 41, 42, 43, 44])
ROLE = np.array([1, 1, 2, 2, 2, 2, 2, 0, 0, 3, 3, 3])
TEAM = np.array([0, 1, 0, 1, 0, 1, 0, -1, -1, -1, -1, -1])


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def positions(chosen: np.ndarray) -> np.ndarray:
    """Where each chosen id sits in POOL (to read its role and team)."""
    return np.searchsorted(POOL, chosen)


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("places", [0, 1, 5, 11])
def test_count_unique_members_of_pool(policy, places):
    for seed in range(20):
        chosen = allocate(policy, POOL, places, ROLE, TEAM, rng(seed))
        assert len(chosen) == places, f"{policy} seed {seed}: {len(chosen)} chosen: {chosen}"
        assert len(np.unique(chosen)) == len(chosen), f"{policy} seed {seed}: dupes {chosen}"
        assert np.isin(chosen, POOL).all(), f"{policy} seed {seed}: outside pool {chosen}"
        assert np.array_equal(chosen, np.sort(chosen)), f"{policy} seed {seed}: unsorted {chosen}"


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("extra", [0, 1, 100])
def test_places_at_least_pool_returns_whole_pool(policy, extra):
    shuffled = rng(3).permutation(len(POOL))
    chosen = allocate(
        policy, POOL[shuffled], len(POOL) + extra, ROLE[shuffled], TEAM[shuffled], rng(1)
    )
    assert np.array_equal(chosen, POOL), f"{policy} +{extra}: {chosen}"


@pytest.mark.parametrize("policy", POLICIES)
def test_empty_pool(policy):
    empty = np.array([], dtype=np.int64)
    chosen = allocate(policy, empty, 5, empty, empty, rng())
    assert len(chosen) == 0, f"{policy}: {chosen}"


def test_unknown_policy_is_an_error():
    with pytest.raises(ValueError, match="unknown allocation policy"):
        allocate("alphabetical", POOL, 3, ROLE, TEAM, rng())


def test_same_rng_state_same_choice():
    for policy in POLICIES:
        first = allocate(policy, POOL, 5, ROLE, TEAM, rng(7))
        second = allocate(policy, POOL, 5, ROLE, TEAM, rng(7))
        assert np.array_equal(first, second), f"{policy}: {first} then {second}"


# --------------------------------------------------------------------------- senior_first


@pytest.mark.parametrize(
    ("places", "forced", "from_role", "count_from_role"),
    [
        (2, [40, 41], None, 0),  # exactly the two role-0 people
        (4, [10, 11, 40, 41], None, 0),  # role 0 and role 1, all of them
        (6, [10, 11, 40, 41], 2, 2),  # then 2 of the 5 role-2 people
        (10, [10, 11, 14, 15, 21, 23, 33, 40, 41], 3, 1),  # then 1 of the 3 role-3 people
    ],
)
def test_senior_first_takes_most_senior_roles_first(places, forced, from_role, count_from_role):
    for seed in range(20):
        chosen = allocate("senior_first", POOL, places, ROLE, TEAM, rng(seed))
        assert np.isin(forced, chosen).all(), f"seed {seed}: {chosen} lacks some of {forced}"
        rest = np.setdiff1d(chosen, forced)
        assert len(rest) == count_from_role, f"seed {seed}: rest {rest}"
        if len(rest):
            roles = ROLE[positions(rest)]
            assert (roles == from_role).all(), f"seed {seed}: rest {rest} has roles {roles}"


def test_senior_first_chooses_at_random_within_a_role():
    picks = {tuple(allocate("senior_first", POOL, 5, ROLE, TEAM, rng(seed))) for seed in range(40)}
    assert len(picks) > 1, f"always the same choice: {picks}"


# --------------------------------------------------------------------------- mixed


@pytest.mark.parametrize(
    ("counts", "places", "expected"),
    [
        ([2, 3, 5], 4, [1, 1, 2]),  # exact 0.8, 1.2, 2.0: floors 0,1,2; the 0.8 gets the 1 left
        ([1, 1], 1, [1, 0]),  # a tie goes to the earlier (more senior) group
        ([3, 3, 3], 2, [1, 1, 0]),  # ties again: earlier groups first
        ([10, 10], 10, [5, 5]),  # exact: no remainders
        ([1, 99], 10, [0, 10]),  # 0.1 and 9.9: the larger remainder wins
        ([2, 2, 2, 6], 6, [1, 1, 1, 3]),  # exact 1, 1, 1, 3
        ([7], 3, [3]),
    ],
)
def test_proportional_quotas_largest_remainder(counts, places, expected):
    quotas = proportional_quotas(np.array(counts), places)
    assert quotas.tolist() == expected, f"quotas of {counts} for {places}: {quotas.tolist()}"


def test_proportional_quotas_always_sum_to_places():
    generator = rng(11)
    for _ in range(300):
        counts = generator.integers(1, 50, size=generator.integers(1, 7))
        places = int(generator.integers(0, counts.sum() + 1))
        quotas = proportional_quotas(counts, places)
        assert quotas.sum() == places, f"{counts}, {places}: quotas {quotas} sum {quotas.sum()}"
        assert (quotas >= 0).all(), f"{counts}: quotas {quotas}"
        assert (quotas <= counts).all(), f"{counts}: quotas {quotas}"
        exact = places * counts / counts.sum()
        assert (np.abs(quotas - exact) < 1).all(), f"{counts}, {places}: quotas {quotas}"


def test_mixed_gives_each_role_its_quota():
    # Role counts in POOL: role 0: 2, role 1: 2, role 2: 5, role 3: 3 (12 people).
    # 6 places: exact 1, 1, 2.5, 1.5; floors 1, 1, 2, 1 (5); one place left, remainders
    # 0, 0, 0.5, 0.5: the tie goes to the earlier role, 2. Quotas 1, 1, 3, 1.
    for seed in range(20):
        chosen = allocate("mixed", POOL, 6, ROLE, TEAM, rng(seed))
        per_role = np.bincount(ROLE[positions(chosen)], minlength=4).tolist()
        assert per_role == [1, 1, 3, 1], f"seed {seed}: per role {per_role} ({chosen})"


# --------------------------------------------------------------------------- whole_teams


def test_whole_teams_takes_every_team_that_fits():
    # 7 places: team 0 (4) and team 1 (3) both fit, whichever comes first: nothing else.
    for seed in range(20):
        chosen = allocate("whole_teams", POOL, 7, ROLE, TEAM, rng(seed))
        assert chosen.tolist() == [10, 11, 14, 15, 21, 23, 33], f"seed {seed}: {chosen}"


def test_whole_teams_keeps_a_team_together_and_fills_the_rest():
    # 5 places: the first team in random order fits (4 or 3); the other no longer fits and
    # is skipped; the 1 or 2 places left go to anyone else remaining.
    teams = {0: {10, 14, 21, 33}, 1: {11, 15, 23}}
    seen_first = set()
    for seed in range(40):
        chosen = set(allocate("whole_teams", POOL, 5, ROLE, TEAM, rng(seed)).tolist())
        whole = [t for t, members in teams.items() if members <= chosen]
        assert whole, f"seed {seed}: no whole team in {sorted(chosen)}"
        seen_first.update(whole)
    assert seen_first == {0, 1}, f"teams taken whole over 40 seeds: {seen_first}"


def test_whole_teams_skips_a_team_too_big_for_the_places():
    # 3 places: team 0 (4 people) never fits; team 1 (3 people) always does, and fills them.
    for seed in range(20):
        chosen = allocate("whole_teams", POOL, 3, ROLE, TEAM, rng(seed))
        assert chosen.tolist() == [11, 15, 23], f"seed {seed}: {chosen}"


def test_whole_teams_without_teams_is_random():
    no_team = np.full(len(POOL), -1)
    picks = {
        tuple(allocate("whole_teams", POOL, 4, ROLE, no_team, rng(seed))) for seed in range(20)
    }
    assert len(picks) > 1, f"always the same choice: {picks}"
    assert all(len(p) == 4 for p in picks), f"sizes {[len(p) for p in picks]}"
