"""Toy problems with known answers for the selection procedure.

Candidate ``i`` in future ``f`` returns ``mean_i + sd_i * (sqrt(rho) Z_f + sqrt(1 - rho)
E_if)``: ``Z_f`` is shared by every candidate in that future (common random numbers, the
correlation ``rho`` between any two candidates), ``E_if`` is the candidate's own noise, both
standard normal. A chance constraint's indicator is ``U_f < chance_i`` with ``U_f`` uniform
and shared, so candidates meet the target in the same futures as far as their chances
allow. Every value is a fixed function of (seed, future), so asking again, or in other
blocks, gives the same number.
"""

from __future__ import annotations

import numpy as np

CHUNK = 256  # futures drawn together from one generator


class Toy:
    """Outputs of ``len(means)`` candidates, future by future, with a log of the calls."""

    def __init__(self, means, sds=1.0, rho=0.5, chances=None, seed=0, values=None):
        self.means = np.asarray(means, dtype=float)
        self.sds = np.broadcast_to(np.asarray(sds, dtype=float), self.means.shape)
        self.rho = rho
        self.chances = None if chances is None else np.asarray(chances, dtype=float)
        self.seed = seed
        self.values = values  # optional fixed (k, futures) objective, for degenerate cases
        self.chunks: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.calls: list[tuple[tuple[int, ...], int, int]] = []

    def _chunk(self, c: int) -> tuple[np.ndarray, np.ndarray]:
        if c not in self.chunks:
            rng = np.random.default_rng([self.seed, c])
            k = len(self.means)
            common = rng.standard_normal(CHUNK)
            own = rng.standard_normal((k, CHUNK))
            noise = np.sqrt(self.rho) * common + np.sqrt(1 - self.rho) * own
            x = self.means[:, None] + self.sds[:, None] * noise
            u = rng.random(CHUNK)
            self.chunks[c] = (x, u)
        return self.chunks[c]

    def outputs(self, first: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """Every candidate's objective and uniform draws for futures ``first … stop - 1``."""
        parts = [self._chunk(c) for c in range(first // CHUNK, (stop - 1) // CHUNK + 1)]
        x = np.concatenate([p[0] for p in parts], axis=1)
        u = np.concatenate([p[1] for p in parts])
        offset = first - (first // CHUNK) * CHUNK
        return x[:, offset : offset + stop - first], u[offset : offset + stop - first]

    def __call__(self, ids, first, stop):
        self.calls.append((tuple(ids), first, stop))
        x, u = self.outputs(first, stop)
        if self.values is not None:
            x = self.values[:, first:stop]
        rows = list(ids)
        if self.chances is None:
            return x[rows]
        met = (u[None, :] < self.chances[:, None]).astype(float)
        return [x[rows], met[rows]]
