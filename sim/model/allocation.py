"""Who fills the places in a cohort: the four allocation policies.

Each policy is a pure function of the eligible pool, so it can be tested on its own:

- ``random``: any eligible person, equally likely.
- ``senior_first``: the most senior roles first (the order roles are listed in the
  scenario), at random within a role.
- ``mixed``: every role gets places in proportion to its share of the pool (largest
  remainders), so each cohort mixes levels as Camden's did.
- ``whole_teams``: whole teams together (supervisor and members), teams in random order,
  skipping a team that no longer fits; places left over go to the rest of the pool.
"""

from __future__ import annotations

import math

import numpy as np


def allocate(
    policy: str,
    pool: np.ndarray,
    places: int,
    role: np.ndarray,
    team: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Choose up to ``places`` people from ``pool``.

    Parameters
    ----------
    policy
        One of ``random``, ``senior_first``, ``mixed``, ``whole_teams``.
    pool
        Indices of the eligible people.
    places
        How many places the cohort has.
    role, team
        Role index (0 = most senior) and team (-1 = none) of each person in ``pool``.
    rng
        The allocation stream.
    """
    if places >= len(pool):
        return np.sort(pool)
    if policy == "random":
        chosen = rng.choice(len(pool), size=places, replace=False)
    elif policy == "senior_first":
        chosen = np.lexsort((rng.random(len(pool)), role))[:places]
    elif policy == "mixed":
        chosen = _mixed(role, places, rng)
    elif policy == "whole_teams":
        chosen = _whole_teams(team, places, rng)
    else:
        raise ValueError(f"unknown allocation policy {policy!r}")
    return np.sort(pool[chosen])


def proportional_quotas(counts: np.ndarray, places: int) -> np.ndarray:
    """Split ``places`` across groups in proportion to ``counts`` (largest remainders).

    In plain Python over the few groups (roles) there are: each share is the correctly
    rounded quotient of two whole numbers, as NumPy's float64 division gives it, and
    Python's sort is stable as ``argsort(kind="stable")`` is, so the quotas are the same.
    """
    sizes = [int(c) for c in counts]
    total = sum(sizes)
    exact = [places * c / total for c in sizes]
    quotas = [math.floor(x) for x in exact]
    short = places - sum(quotas)
    # Stable sort: equal remainders go to the earlier (more senior) group first.
    order = sorted(range(len(sizes)), key=lambda i: -(exact[i] - quotas[i]))
    for i in order[:short]:
        quotas[i] += 1
    return np.array(quotas, dtype=np.int64)


def _mixed(role: np.ndarray, places: int, rng: np.random.Generator) -> np.ndarray:
    counts = np.bincount(role)  # as np.unique(role, return_counts=True), without sorting
    roles = np.flatnonzero(counts)
    counts = counts[roles]
    quotas = proportional_quotas(counts, places)
    chosen = [
        rng.choice(np.nonzero(role == r)[0], size=q, replace=False)
        for r, q in zip(roles, quotas, strict=True)
    ]
    return np.concatenate(chosen)


def _whole_teams(team: np.ndarray, places: int, rng: np.random.Generator) -> np.ndarray:
    taken = np.zeros(len(team), dtype=bool)
    left = places
    for t in rng.permutation(np.unique(team[team >= 0])):
        members = np.nonzero(team == t)[0]
        if len(members) <= left:
            taken[members] = True
            left -= len(members)
    rest = np.nonzero(~taken)[0]
    taken[rng.choice(rest, size=left, replace=False)] = True
    return np.nonzero(taken)[0]
