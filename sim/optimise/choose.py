"""The choice: the best candidates and the status quo re-run on fresh futures through the
KN ranking-and-selection procedure (:func:`~.selection.select`).

The search's best candidates look better on the futures that chose them, so the selection
runs them on other futures: replications from :data:`FRESH` on, which no search uses (a
search runs futures ``0 .. reps - 1``). All of them run on the same fresh futures (common
random numbers), so the procedure compares paired differences.

What is compared: the objective (``--minimise``, or a front's cost), subject to the chance
constraint (``--target`` in at least ``--probability`` of the futures, with a tolerance of
:data:`TOLERANCE` in probability: a plan within it of ``P`` may be judged either way). A
front without a target asks for the cheapest plan whose benefit is at least the status
quo's (within 2 % of it). The indifference zone defaults to 1 % of the status quo's
objective.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..experiments.engines import Runner
from ..model.vocabulary import measure_label, value_text
from .choice_words import target_words
from .evaluate import column, run_futures
from .search import Candidate, Problem
from .selection import Constraint, Selection, select

FRESH = 1_000_000  # the selection's first future: far past any search's
TOLERANCE = 0.05  # a chance constraint's tolerance, in probability (5 points)
TOP = 4  # search candidates taken to the selection, beside the status quo
N0 = 10  # first-stage observations per candidate
CHANCE_BATCH = 5  # futures per observation with a chance constraint (closer to normal)
BENEFIT_TOLERANCE = 0.02  # without a target: benefit at least the status quo's, within 2 %


@dataclass(frozen=True)
class Choice:
    """The selection's outcome: the candidates it compared (numbers of the candidates'
    table, the status quo first), the procedure's result, and the words of its zone.
    """

    compared: tuple[int, ...]
    selection: Selection
    delta: float
    delta_words: str
    constraint: Constraint | None
    benefit_floor: float | None

    @property
    def chosen(self) -> int | None:
        """The candidate chosen (its number in the table), or None when none was feasible."""
        c = self.selection.chosen
        return None if c is None else self.compared[c]

    @property
    def runner_up(self) -> int | None:
        """The runner-up's number in the table, or None."""
        r = self.selection.runner_up
        return None if r is None else self.compared[r]


def finalists(problem: Problem, candidates: Sequence[Candidate], top: int = TOP) -> list[int]:
    """The status quo (0) and up to ``top`` other candidates: feasible ones by objective
    first (on a front: those on it, by cost), then the nearest to feasible; a plan
    evaluated twice counts once.
    """
    seen = {_plan_key(candidates[0])}
    ranked = []
    for c in candidates[1:]:
        key = _plan_key(c)
        if key in seen:
            continue
        seen.add(key)
        share = c.stats.get("share_met") or 0.0
        cost = c.mean(problem.objective)
        ranked.append(
            (
                not c.feasible(problem),
                -share if not c.feasible(problem) else 0.0,
                cost if math.isfinite(cost) else math.inf,
                c.number,
            )
        )
    ranked.sort()
    return [0, *[r[-1] for r in ranked[:top]]]


def _plan_key(c: Candidate) -> str:
    return repr(sorted((k, repr(v)) for k, v in c.plan.items()))


def default_delta(problem: Problem, status_quo: Candidate) -> float:
    """1 % of the status quo's objective, rounded to two significant figures (never 0)."""
    base = abs(status_quo.mean(problem.objective))
    if not math.isfinite(base) or base == 0:
        base = 1.0
    raw = base / 100
    digits = 1 - int(math.floor(math.log10(raw)))
    return float(round(raw, digits))


def choose(
    problem: Problem,
    candidates: Sequence[Candidate],
    runner: Runner,
    *,
    delta: float | None = None,
    pcs: float = 0.95,
    n0: int = N0,
    top: int = TOP,
    progress: Callable[[int, int], None] | None = None,
) -> Choice:
    """Run the finalists on fresh futures through KN; see the module docstring.

    ``progress`` is called after every batch with the futures of the current block done
    and its total (the command checks for Ctrl-C there).
    """
    compared = finalists(problem, candidates, top)
    delta = default_delta(problem, candidates[0]) if delta is None else delta
    scenarios = [problem.scenario_of(candidates[i].plan) for i in compared]
    constraint, floor, batch = None, None, 1
    if problem.target is not None:
        tol = min(TOLERANCE, problem.probability / 2, (1 - problem.probability) / 2)
        constraint = Constraint(target_words(problem.target), problem.probability, tol, chance=True)
        batch = CHANCE_BATCH
    elif problem.pareto:
        floor = candidates[0].mean(problem.benefit)
        if math.isfinite(floor) and floor > 0:  # as a ratio to it: 1 ± 0.02 in words
            name = f"{_lower(measure_label(problem.benefit))} as a share of the status quo's"
            constraint = Constraint(name, 1.0, BENEFIT_TOLERANCE)
        else:
            floor = None

    def sample(ids, first, stop):
        chosen = [scenarios[i] for i in ids]
        rows = run_futures(chosen, first, stop - first, problem.seed, runner, progress)
        cost = np.array([_finite(column(r, problem.objective)) for r in rows])
        out = [cost]
        if problem.target is not None:
            out.append(
                np.array(
                    [problem.target.met(column(r, problem.target.metric)) for r in rows],
                    dtype=float,
                )
            )
        elif constraint is not None:
            out.append(np.array([_finite(column(r, problem.benefit)) / floor for r in rows]))
        return out

    words = value_text(problem.objective, delta)
    result = select(
        sample,
        len(compared),
        delta=delta,
        delta_words=words,
        pcs=pcs,
        n0=n0,
        constraints=[constraint] if constraint else [],
        batch_size=batch,
        first_future=FRESH,
        objective=_lower(measure_label(problem.objective)),
    )
    return Choice(tuple(compared), result, delta, words, constraint, floor)


def _lower(label: str) -> str:
    """A label inside a sentence: "Total cost" → "total cost"."""
    return label[:1].lower() + label[1:]


def _finite(values: np.ndarray) -> np.ndarray:
    """An undefined value (never reached) as the worst finite one seen, so KN can sum it."""
    values = np.asarray(values, dtype=float)
    if np.all(np.isfinite(values)):
        return values
    worst = np.nanmax(values) if np.any(np.isfinite(values)) else 0.0
    return np.where(np.isfinite(values), values, worst)
