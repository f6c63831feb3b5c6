"""Choose the best feasible plan, with a stated probability of choosing right.

A search over plans ends with a handful of good candidates whose estimated costs and
chances of meeting a target are close. This module decides among them on fresh futures,
spending replications only where the decision is still open, and says what the decision
guarantees. It is the two-phase form of the constrained procedure of Andradóttir & Kim
(2010): first a feasibility check of every candidate against every constraint
(Batur & Kim 2010's triangular test), then the fully sequential comparison of Kim & Nelson
(2001) among the candidates found feasible, on paired differences under common random
numbers (every candidate sees the same futures, so a difference is the plans' effect alone
and its variance is the variance of the difference, usually far smaller than the sum of the
two variances).

Both phases share one construction: a running sum of paired differences is watched until
it leaves a triangle whose half-width at stage ``r`` is ``h² S² / (2 δ) - δ r / 2`` (Fabian's
triangle with ``c = 1``), where ``S²`` is the first stage's sample variance of those
differences and ``h²`` is set from the error allowed to that comparison.

Everything runs through one callable, ``sample(candidate_ids, first_future, stop_future)``,
asked for blocks of futures (each call runs simulations), never for one future at a time.
See ``docs/optimise.md`` for what is guaranteed and under which assumptions.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

#: ``sample(candidate_ids, first_future, stop_future)`` → the objective's array of shape
#: ``(len(candidate_ids), stop_future - first_future)`` and then one such array per
#: constraint (a sequence ``[objective, constraint_1, …]``; a bare 2-D array when there are
#: no constraints). Row ``j`` is candidate ``candidate_ids[j]``; column ``t`` is future
#: ``first_future + t``, the same future for every row (common random numbers).
Sampler = Callable[[tuple[int, ...], int, int], object]


@dataclass(frozen=True)
class Constraint:
    """A requirement the chosen plan must meet on the mean of one output.

    Parameters
    ----------
    name : str
        What is required, for messages and the guarantee's words
        (``"practising share at month 48 >= 0.40"``).
    threshold : float
        The mean must be at least this (``at_least``) or at most this. For a chance
        constraint, the required probability.
    tolerance : float
        Means closer than this to the threshold may be classified either way; beyond it the
        classification carries the guarantee. In the output's units (a probability for a
        chance constraint). Smaller costs more futures, roughly as ``1 / tolerance²``.
    at_least : bool
        ``True``: mean >= threshold; ``False``: mean <= threshold.
    chance : bool
        The outputs are per-future 0/1 indicators ("did this future meet the target?"), so
        the mean is a probability across futures. The values are checked to be 0 or 1, and
        the variance estimate is kept no smaller than an indicator's at the edge of the
        tolerance band, so that a first stage in which every future happens to agree cannot
        end the check at once.
    """

    name: str
    threshold: float
    tolerance: float
    at_least: bool = True
    chance: bool = False

    def __post_init__(self) -> None:
        if not math.isfinite(self.threshold):
            raise ValueError(
                f"constraint {self.name!r}: threshold must be finite, got {self.threshold!r}"
            )
        if not (math.isfinite(self.tolerance) and self.tolerance > 0):
            raise ValueError(
                f"constraint {self.name!r}: tolerance must be > 0, got {self.tolerance!r}"
            )
        if self.chance and not (
            self.threshold - self.tolerance >= 0 and self.threshold + self.tolerance <= 1
        ):
            raise ValueError(
                f"constraint {self.name!r}: a chance constraint needs 0 <= threshold - "
                f"tolerance and threshold + tolerance <= 1, got {self.threshold!r} ± "
                f"{self.tolerance!r}"
            )

    def variance_floor(self, batch_size: int) -> float:
        """Least variance of one observation (a batch mean) the check may assume.

        For a chance constraint, the variance of a mean of ``batch_size`` indicators whose
        probability sits at the tolerance band's edge on the failing side (where wrongly
        passing a plan is the costly error); zero otherwise.
        """
        if not self.chance:
            return 0.0
        edge = (
            self.threshold - self.tolerance if self.at_least else (self.threshold + self.tolerance)
        )
        return edge * (1 - edge) / batch_size

    def words(self) -> str:
        """The requirement in words, with its tolerance."""
        if self.chance:
            most = "least" if self.at_least else "most"
            return (
                f"{self.name} in at {most} {_percent(self.threshold)} of futures, "
                f"± {self.tolerance * 100:g} points"
            )
        sign = ">=" if self.at_least else "<="
        return f"mean {self.name} {sign} {self.threshold:g}, ± {self.tolerance:g}"


@dataclass(frozen=True)
class Selection:
    """What the procedure chose, what it spent, and what it guarantees.

    Attributes
    ----------
    chosen : int or None
        The candidate chosen; ``None`` when no candidate was found feasible.
    runner_up : int or None
        The feasible candidate that survived longest after the chosen one (the next best
        sample mean when several survived to the end); ``None`` with fewer than two
        feasible candidates.
    feasible, infeasible : tuple of int
        The candidates found to meet every constraint, and those found to miss one.
    missed : tuple of (str or None)
        Per candidate, the name of the constraint it was found to miss.
    futures : tuple of int
        Per candidate, the futures simulated for it (including any simulated in a block
        after the candidate was already decided).
    spent : int
        All candidates' futures together: the cost of the selection in replications.
    means : tuple of float
        Per candidate, the objective's mean over the futures used for its decision.
    pcs : float
        The probability of correct selection stated (1 - alpha).
    delta : float
        The indifference zone, in the objective's units.
    guarantee : str
        The guarantee in words.
    """

    chosen: int | None
    runner_up: int | None
    feasible: tuple[int, ...]
    infeasible: tuple[int, ...]
    missed: tuple[str | None, ...]
    futures: tuple[int, ...]
    spent: int
    means: tuple[float, ...]
    pcs: float
    delta: float
    guarantee: str


def h_squared(alpha: float, comparisons: int, n0: int) -> float:
    """Kim & Nelson's ``h² = 2 c η (n0 - 1)`` with ``c = 1``, for error ``alpha`` shared by
    ``comparisons`` one-sided triangular tests, each first-staged on ``n0`` observations.

    ``η = ((2 alpha / comparisons) ** (-2 / (n0 - 1)) - 1) / 2`` makes each test's chance of
    leaving its triangle on the wrong side, averaged over the first stage's variance
    estimate, exactly ``alpha / comparisons`` (Fabian's bound; Kim & Nelson 2001, eq. 3).
    """
    eta = ((2 * alpha / comparisons) ** (-2 / (n0 - 1)) - 1) / 2
    return 2 * eta * (n0 - 1)


def select(
    sample: Sampler,
    k: int,
    *,
    delta: float,
    pcs: float = 0.95,
    n0: int = 10,
    constraints: Sequence[Constraint] = (),
    batch_size: int = 1,
    step: int | None = None,
    first_future: int = 0,
    feasibility_share: float = 0.5,
    minimise: bool = True,
    objective: str = "cost",
    delta_words: str | None = None,
) -> Selection:
    """Choose the best of ``k`` candidates that meet every constraint.

    Parameters
    ----------
    sample : callable
        ``sample(candidate_ids, first_future, stop_future)``, see :data:`Sampler`. It is
        called with blocks of futures and never asked for the same candidate and future
        twice.
    k : int
        Number of candidates, numbered ``0 … k - 1``; ties go to the lower number.
    delta : float
        Indifference zone in the objective's units: differences smaller than this do not
        matter to the user (e.g. £10,000).
    pcs : float
        The probability of correct selection to guarantee, ``1 - alpha``, above 0.5.
    n0 : int
        First-stage observations per candidate (at least 2; 10 or more is usual): they
        estimate every variance the procedure uses.
    constraints : sequence of Constraint
        Requirements on the means of further outputs; may be empty.
    batch_size : int
        Futures averaged into one observation. Means of batches are closer to normal than
        single futures (which matters for 0/1 chance indicators); 1 uses futures as they are.
    step : int, optional
        Observations asked of ``sample`` per call after the first stage (default ``n0``).
        Decisions do not depend on it: the procedure still checks after every observation,
        and a candidate decided inside a block just wastes the rest of that block.
    first_future : int
        The first future to use: the selection should see futures the search has not.
    feasibility_share : float
        The part of ``alpha`` given to the feasibility check when there are constraints and
        more than one candidate (the rest goes to the comparison).
    minimise : bool
        Lower objective is better (a cost); ``False`` for higher is better.
    objective : str
        The objective's name, for the guarantee's words.
    delta_words : str, optional
        ``delta`` as the user reads it (``"£10,000"``); default ``f"{delta:,g}"``.

    Returns
    -------
    Selection

    Raises
    ------
    ValueError
        On a bad argument, or when ``sample`` returns arrays of the wrong shape, a value
        that is not finite, or a chance indicator that is not 0 or 1.
    """
    constraints = tuple(constraints)
    _check_arguments(
        k, delta, pcs, n0, constraints, batch_size, step, first_future, feasibility_share
    )
    step = n0 if step is None else step
    alpha = 1 - pcs
    # the error allowed to the feasibility check; with one candidate there is no comparison
    share = 1.0 if k == 1 else feasibility_share
    alpha_feasible = alpha * share if constraints else 0.0
    alpha_compare = alpha - alpha_feasible

    store = _Store(sample, k, constraints, batch_size, first_future, minimise)
    store.extend(range(k), n0)
    missed: list[str | None] = [None] * k
    if constraints:
        tests = k * len(constraints)  # Bonferroni: every candidate against every constraint
        feasible = _check_feasibility(
            store, constraints, n0, step, h_squared(alpha_feasible, tests, n0), missed
        )
    else:
        feasible = list(range(k))
    if len(feasible) > 1:
        chosen, runner_up, at = _compare(
            store, feasible, n0, step, delta, h_squared(alpha_compare, k - 1, n0)
        )
    else:
        chosen = feasible[0] if feasible else None
        runner_up, at = None, {}

    sign = 1.0 if minimise else -1.0
    read = [at.get(i, max(store.used[i], n0)) for i in range(k)]
    means = tuple(sign * float(store.sums(i, read[i]) / read[i]) for i in range(k))
    futures = tuple(store.have(i) * batch_size for i in range(k))
    words = _guarantee(
        chosen,
        k,
        constraints,
        pcs,
        1 - alpha_feasible,
        minimise,
        objective,
        delta_words or f"{delta:,g}",
    )
    return Selection(
        chosen=chosen,
        runner_up=runner_up,
        feasible=tuple(feasible),
        infeasible=tuple(i for i in range(k) if missed[i] is not None),
        missed=tuple(missed),
        futures=futures,
        spent=sum(futures),
        means=means,
        pcs=pcs,
        delta=delta,
        guarantee=words,
    )


def _check_arguments(
    k, delta, pcs, n0, constraints, batch_size, step, first_future, feasibility_share
) -> None:
    """One clear ValueError per bad argument, before any sampling."""

    def whole(value) -> bool:
        return isinstance(value, numbers.Integral) and not isinstance(value, bool)

    def real(value) -> bool:
        return isinstance(value, numbers.Real) and not isinstance(value, bool)

    if not whole(k) or k < 1:
        raise ValueError(f"k: the number of candidates must be a whole number >= 1, got {k!r}")
    if not (real(delta) and math.isfinite(delta) and delta > 0):
        raise ValueError(f"delta: the indifference zone must be a number > 0, got {delta!r}")
    # at or below an even chance every test's triangle is closed from the start: no guarantee
    if not (real(pcs) and 0.5 < pcs < 1):
        raise ValueError(
            f"pcs: the probability of correct selection must be in (0.5, 1), got {pcs!r}"
        )
    if not whole(n0) or n0 < 2:
        raise ValueError(
            f"n0: the first stage needs at least 2 observations to estimate a variance, got {n0!r}"
        )
    if not whole(batch_size) or batch_size < 1:
        raise ValueError(
            f"batch_size: futures per observation must be a whole number >= 1, got {batch_size!r}"
        )
    if step is not None and (not whole(step) or step < 1):
        raise ValueError(f"step: observations per call must be a whole number >= 1, got {step!r}")
    if not whole(first_future) or first_future < 0:
        raise ValueError(f"first_future: must be a whole number >= 0, got {first_future!r}")
    if not all(isinstance(c, Constraint) for c in constraints):
        raise ValueError("constraints: every item must be a Constraint")
    if len({c.name for c in constraints}) < len(constraints):
        raise ValueError("constraints: two constraints have the same name")
    if constraints and k > 1 and not (0 < feasibility_share < 1):
        raise ValueError(
            f"feasibility_share: the feasibility check's part of alpha must be "
            f"in (0, 1), got {feasibility_share!r}"
        )


class _Store:
    """Every candidate's observations so far, in future order, with running sums.

    Observation ``r`` (1-based) of every candidate is the mean over the same futures,
    ``first_future + (r - 1) * batch_size`` up to ``first_future + r * batch_size``. The
    objective is kept with the sign that makes lower better.
    """

    def __init__(self, sample, k, constraints, batch_size, first_future, minimise):
        self.sample = sample
        self.k = k
        self.constraints = constraints
        self.batch = batch_size
        self.first = first_future
        self.sign = 1.0 if minimise else -1.0
        self.objective = [np.empty(0) for _ in range(k)]
        self.cumulative = [np.zeros(1) for _ in range(k)]  # cumulative[i][r] = sum of first r
        self.extra = [[np.empty(0) for _ in constraints] for _ in range(k)]
        self.extra_cumulative = [[np.zeros(1) for _ in constraints] for _ in range(k)]
        self.used = [0] * k  # observations the decisions have read, per candidate

    def have(self, i: int) -> int:
        return len(self.objective[i])

    def sums(self, i: int, r: int) -> float:
        self.used[i] = max(self.used[i], r)
        return self.cumulative[i][r]

    def extra_sums(self, i: int, c: int, r: int) -> float:
        self.used[i] = max(self.used[i], r)
        return self.extra_cumulative[i][c][r]

    def extend(self, ids, upto: int) -> None:
        """Make every candidate in ``ids`` hold at least ``upto`` observations, asking
        ``sample`` once per group of candidates that hold the same number now.
        """
        groups: dict[int, list[int]] = {}
        for i in ids:
            if self.have(i) < upto:
                groups.setdefault(self.have(i), []).append(i)
        for held, members in sorted(groups.items()):
            self._fetch(tuple(members), held, upto)

    def _fetch(self, ids: tuple[int, ...], held: int, upto: int) -> None:
        first = self.first + held * self.batch
        stop = self.first + upto * self.batch
        out = self.sample(ids, first, stop)
        s = len(self.constraints)
        parts = [out] if isinstance(out, np.ndarray) and out.ndim == 2 else list(out)
        if len(parts) != 1 + s:
            raise ValueError(
                f"sample{(ids, first, stop)} returned {len(parts)} arrays; "
                f"expected {1 + s}: the objective, then one per constraint"
            )
        labels = ["the objective", *(f"constraint {c.name!r}" for c in self.constraints)]
        width = stop - first
        arrays = []
        for label, part, c in zip(labels, parts, (None, *self.constraints), strict=True):
            values = np.asarray(part, dtype=float)
            if values.shape != (len(ids), width):
                raise ValueError(
                    f"sample{(ids, first, stop)} returned shape {values.shape} for {label}; "
                    f"expected {(len(ids), width)} (a row per candidate, a column per future)"
                )
            bad = ~np.isfinite(values)
            if c is not None and c.chance:
                bad |= (values != 0) & (values != 1)
            if bad.any():
                row, col = np.argwhere(bad)[0]
                what = "a 0/1 indicator" if c is not None and c.chance else "a finite number"
                raise ValueError(
                    f"sample returned {values[row, col]!r} for {label} of candidate "
                    f"{ids[row]} in future {first + col}; expected {what}"
                )
            arrays.append(values.reshape(len(ids), upto - held, self.batch).mean(axis=2))
        for row, i in enumerate(ids):
            self.objective[i] = np.concatenate([self.objective[i], self.sign * arrays[0][row]])
            self.cumulative[i] = np.concatenate([[0.0], np.cumsum(self.objective[i])])
            for c in range(s):
                self.extra[i][c] = np.concatenate([self.extra[i][c], arrays[1 + c][row]])
                self.extra_cumulative[i][c] = np.concatenate([[0.0], np.cumsum(self.extra[i][c])])


def _check_feasibility(
    store: _Store, constraints, n0: int, step: int, h2: float, missed: list
) -> list[int]:
    """Phase 1: decide every candidate against every constraint; return the feasible ones.

    For candidate ``i`` and a constraint "mean >= q" with tolerance ``ε``, the running sum
    ``D(r) = Σ (Y_j - q)`` is watched from ``r = n0`` until it leaves the triangle
    ``|D| < h² S² / (2 ε) - ε r / 2``: above it the constraint is met, below it missed.
    A candidate is infeasible at its first missed constraint and feasible when it meets all.
    """
    k = store.k
    open_tests = {i: list(range(len(constraints))) for i in range(k)}
    variance = {
        (i, c): max(
            float(np.var(store.extra[i][c][:n0], ddof=1)),
            constraints[c].variance_floor(store.batch),
        )
        for i in range(k)
        for c in range(len(constraints))
    }
    feasible = []
    r = n0
    while open_tests:
        short = [i for i in open_tests if store.have(i) < r]
        if short:
            store.extend(short, r + step - 1)
        for i in sorted(open_tests):
            for c in list(open_tests[i]):
                rule = constraints[c]
                total = store.extra_sums(i, c, r) - r * rule.threshold
                if not rule.at_least:
                    total = -total
                eps = rule.tolerance
                half = max(0.0, h2 * variance[i, c] / (2 * eps) - eps * r / 2)
                if total >= half:
                    open_tests[i].remove(c)
                elif total <= -half:
                    missed[i] = rule.name
                    open_tests[i] = []
                    break
            if not open_tests[i]:
                del open_tests[i]
                if missed[i] is None:
                    feasible.append(i)
        r += 1
    return sorted(feasible)


def _compare(
    store: _Store, candidates: list[int], n0: int, step: int, delta: float, h2: float
) -> tuple[int, int | None, dict[int, int]]:
    """Phase 2: Kim & Nelson's procedure among the feasible candidates (lower is better).

    Returns the chosen candidate, the runner-up, and the observation at which each
    eliminated candidate left (its mean is reported over those).
    """
    ids = np.array(candidates)
    first = np.array([store.objective[i][:n0] for i in candidates])
    # S_il²: the first stage's variance of the paired differences, pair by pair
    differences = first[:, None, :] - first[None, :, :]
    variance = differences.var(axis=2, ddof=1)
    spread = h2 * variance / (2 * delta)  # the triangle's half-width at r = 0
    ends = np.floor(h2 * variance / delta**2)  # N_il: the last stage it is open
    alive = np.ones(len(ids), dtype=bool)
    left_at: dict[int, int] = {}
    r = n0
    while True:
        short = [int(i) for i in ids[alive] if store.have(int(i)) < r]
        if short:
            store.extend(short, r + step - 1)
        live = np.flatnonzero(alive)
        totals = np.array([store.sums(int(ids[j]), r) for j in live])
        gap = totals[:, None] - totals[None, :]
        half = np.maximum(0.0, spread[np.ix_(live, live)] - delta * r / 2)
        out = (gap > half).any(axis=1)  # worse than some survivor by more than the triangle
        for j in live[out]:
            alive[j] = False
            left_at[int(ids[j])] = r
        live = np.flatnonzero(alive)
        if len(live) == 1 or r > ends[np.ix_(live, live)].max():
            break
        r += 1
    # the survivors' totals at r are equal or their triangles are closed: lowest mean wins
    final = sorted(live, key=lambda j: (store.sums(int(ids[j]), r), ids[j]))
    chosen = int(ids[final[0]])
    if len(final) > 1:
        runner_up = int(ids[final[1]])
    else:
        runner_up = min(
            left_at, key=lambda i: (-left_at[i], store.sums(i, left_at[i]) / left_at[i], i)
        )
    left_at.update({int(ids[j]): r for j in live})
    return chosen, runner_up, left_at


def _percent(share: float) -> str:
    """A share as choice.md writes every other one: ``0.9`` → ``"90%"``."""
    return f"{share * 100:g}%"


def _guarantee(chosen, k, constraints, pcs, pcs_feasible, minimise, objective, delta_words) -> str:
    """The guarantee in a commissioner's words."""
    best = "lowest" if minimise else "highest"
    target = "; ".join(c.words() for c in constraints)
    if chosen is None:
        return (
            f"No plan meets the target ({target}): each was found to miss it. A plan "
            f"meeting it by more than its tolerance would have been found with probability "
            f"at least {pcs_feasible:g}."
        )
    if k == 1:
        if not constraints:
            return "Only one plan was compared: there was nothing to choose between."
        return (
            f"Only one plan was compared, and it was found to meet the target ({target}); "
            f"a plan missing it by more than its tolerance is rejected with probability at "
            f"least {pcs:g}."
        )
    if not constraints:
        return (
            f"This is the plan with the {best} {objective}, with probability at least "
            f"{pcs:g}, counting plans within {delta_words} of each other as equally good."
        )
    return (
        f"This is the plan with the {best} {objective} among those meeting the target "
        f"({target}), with probability at least {pcs:g}, counting plans within "
        f"{delta_words} of each other as equally good and a plan within the target's "
        f"tolerance as meeting it."
    )
