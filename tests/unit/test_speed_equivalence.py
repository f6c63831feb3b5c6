"""The speed-ups of issue 22 (item 5) give the same numbers as the NumPy code they replaced."""

from __future__ import annotations

import numpy as np

from sim.model.allocation import proportional_quotas
from sim.model.practice import _each
from sim.model.streams import Streams


def _numpy_quotas(counts: np.ndarray, places: int) -> np.ndarray:
    """The largest-remainder quotas as NumPy worked them out before."""
    exact = places * counts / counts.sum()
    quotas = np.floor(exact).astype(np.int64)
    short = places - quotas.sum()
    order = np.argsort(-(exact - quotas), kind="stable")
    quotas[order[:short]] += 1
    return quotas


def test_quotas_match_numpy_on_random_pools():
    """Ties in the remainders included (small counts make them common)."""
    rng = np.random.default_rng(22)
    for _ in range(3000):
        groups = int(rng.integers(1, 8))
        counts = rng.integers(0, 40, groups)
        counts[rng.integers(0, groups)] += 1  # at least one person in the pool
        places = int(rng.integers(0, counts.sum() + 1))
        got = proportional_quotas(counts, places)
        want = _numpy_quotas(counts, places)
        assert got.tolist() == want.tolist(), f"counts {counts.tolist()}, places {places}"


def test_each_gives_what_broadcast_gives():
    """One number or one per person: the values np.broadcast_to gave."""
    shape = (5,)
    for value in (np.asarray(2.5), 0.3, np.arange(5.0)):
        got = _each(value, shape)
        assert got.tobytes() == np.broadcast_to(value, shape).astype(float).tobytes()


def test_keyed_uniforms_are_numpys_own():
    """Every key's uniform, all at once, is the one its own generator gives: seeds and
    replications of one word and of several (the constants of the hash depend on how many).
    """
    rng = np.random.default_rng(5)
    keys = ("practice.uptake", "champions.target", "", "workforce.roles.x.turnover", "é")
    seeds = [0, 1, 2**32 - 1, 2**32, 2**64 + 5, 2**130 + 7]
    replications = [0, 3, 2**32 + 1, 2**70]
    for _ in range(60):
        seeds.append(int(rng.integers(0, 2**62)))
        replications.append(int(rng.integers(0, 10_000)))
    for seed in seeds:
        for replication in replications[:: max(1, len(replications) // 8)]:
            streams = Streams(seed, replication)
            got = streams.uniforms_for(keys)
            want = [streams.uniform_for(key) for key in keys]
            assert got == want, f"seed {seed}, replication {replication}"
