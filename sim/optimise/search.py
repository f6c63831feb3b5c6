"""The search: Optuna proposes plans, the batch runner runs them on common futures.

One objective (``--minimise``) uses Optuna's TPE sampler, two (``--pareto COST,BENEFIT``)
NSGA-II; either way a chance constraint (``--target`` in at least ``--probability`` of the
futures) goes to the sampler's own constraint handling as ``P - share`` (at most 0 is
feasible). The share is judged on the search's futures: a candidate is *feasible* when the
plain share of its futures meeting the target is at least ``P``; the selection later checks
the best of them again on fresh futures, with a tolerance and a stated chance of being right.

The search is kept in an Optuna journal file in the run folder (``search.journal``), so a
killed search resumes: trials left running are marked failed and asked again. Plans are
asked a *generation* at a time (a fixed number, never a function of the workers), all run
in one call of the batch runner (the workers share them), then told. Before each
generation the sampler is made afresh, seeded from ``(seed, completed trials)``: a resumed
search proposes what an unbroken one would have, whatever trials the interruption lost.

A plan asked twice (a discrete space runs out of new plans) is not run again: its futures
would give the same figures.

Optuna is imported here only, inside the functions: it is the ``optimise`` extra.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..experiments.engines import Runner
from ..experiments.targets import Target
from ..scenario.schema import Scenario
from .evaluate import run_futures, stats
from .space import CHOICE, INT, Dimension, plan_changes, with_timing

GENERATION = 8  # plans asked, run and told together (the NSGA-II population too)
STUDY = "rollout-optimise"
JOURNAL = "search.journal"


@dataclass(frozen=True)
class Problem:
    """What a search is asked: the scenario as given, the levers, what to minimise (or the
    cost and benefit of a front), the target and its probability, the budget.

    ``objective`` is minimised; with ``benefit`` (a front) the benefit is maximised too.
    ``measures`` are every measure the candidates' table reports.
    """

    scenario: Scenario
    space: tuple[Dimension, ...]
    objective: str
    benefit: str | None
    pareto: bool
    target: Target | None
    probability: float
    budget: int
    reps: int
    seed: int
    source: str = "<optimise>"

    @property
    def measures(self) -> list[str]:
        """The measures every candidate reports: objective, benefit, the target's."""
        names = [self.objective, self.benefit, self.target.metric if self.target else None]
        return list(dict.fromkeys(n for n in names if n))

    def scenario_of(self, plan: dict[str, Any]) -> Scenario:
        """The scenario with a plan's lever values set."""
        changes = with_timing(self.scenario, plan)
        return self.scenario.with_changes(changes, source=self.source, strict=True)


@dataclass
class Candidate:
    """One evaluated plan: its number (0 is the status quo), its lever values, what its
    futures say (:func:`~.evaluate.stats`), and the Optuna trial that proposed it.
    """

    number: int
    plan: dict[str, Any]
    stats: dict[str, Any]
    trial: int | None = None
    origin: str = "search"

    def mean(self, measure: str) -> float:
        """A measure's mean over the search futures (NaN when never defined)."""
        value = self.stats.get(f"{measure}_mean")
        return float("nan") if value is None else float(value)

    def feasible(self, problem: Problem) -> bool:
        """The search's judgement: the share of futures meeting the target is at least P."""
        if problem.target is None:
            return True
        share = self.stats.get("share_met")
        return share is not None and share >= problem.probability


@dataclass
class SearchResult:
    """The candidates evaluated (the status quo first, then trials in order)."""

    candidates: list[Candidate] = field(default_factory=list)
    resumed_failed: int = 0


def sampler_seed(seed: int, completed: int) -> int:
    """The sampler's seed before a generation: from the run's seed and the trials done."""
    return int(np.random.SeedSequence([seed, completed, 22]).generate_state(1)[0])


def _distributions(space: Sequence[Dimension]) -> dict[str, Any]:
    from optuna.distributions import (
        CategoricalDistribution,
        FloatDistribution,
        IntDistribution,
    )

    out: dict[str, Any] = {}
    for dim in space:
        if dim.kind == CHOICE:  # by number: a choice may be a list (what a phase supplies)
            out[dim.name] = CategoricalDistribution(list(range(len(dim.choices))))
        elif dim.kind == INT:
            high = dim.values()[-1]  # Optuna wants HIGH on the step's grid
            out[dim.name] = IntDistribution(int(dim.low), int(high), step=int(dim.step))
        else:
            high = dim.high if dim.step is None else dim.values()[-1]
            out[dim.name] = FloatDistribution(float(dim.low), float(high), step=dim.step)
    return out


def _constraints(trial) -> list[float]:
    return list(trial.user_attrs.get("constraint", []))


def _set_constraint() -> bool:
    """Whether trials take their constraints themselves (Optuna 5: ``set_constraint``),
    rather than from a sampler's ``constraints_func`` (Optuna 4, deprecated in 5).
    """
    import optuna

    return hasattr(optuna.trial.Trial, "set_constraint")


def _sampler(problem: Problem, completed: int):
    import optuna

    seed = sampler_seed(problem.seed, completed)
    has_target = problem.target is not None and not _set_constraint()
    if problem.pareto:
        return optuna.samplers.NSGAIISampler(
            population_size=GENERATION,
            seed=seed,
            constraints_func=_constraints if has_target else None,
        )
    return optuna.samplers.TPESampler(
        seed=seed, constraints_func=_constraints if has_target else None
    )


def _storage(folder: Path):
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    return JournalStorage(JournalFileBackend(str(folder / JOURNAL)))


def _forget_parents(study, trial) -> None:
    """NSGA-II keeps the parents it chose for a generation in the study; a generation cut
    short chooses them again on resume, as the unbroken search did, so that the fresh
    sampler draws the same random numbers in the same order.
    """
    from optuna.samplers import NSGAIISampler

    generation = trial.system_attrs.get(NSGAIISampler._get_generation_key())
    if generation is not None:
        key = NSGAIISampler._get_parent_cache_key_prefix() + str(generation)
        study._storage.set_study_system_attr(study._study_id, key, None)


def _values(problem: Problem, candidate: Candidate) -> list[float]:
    """The objective values told to Optuna; an undefined mean is the worst value."""
    cost = candidate.mean(problem.objective)
    values = [cost if np.isfinite(cost) else float("inf")]
    if problem.pareto:
        benefit = candidate.mean(problem.benefit)
        values.append(benefit if np.isfinite(benefit) else float("-inf"))
    return values


def _plan(space: Sequence[Dimension], params: dict[str, Any]) -> dict[str, Any]:
    """A trial's parameters as lever values, in the levers' order (a choice by its number)."""
    return {d.key: d.choices[params[d.name]] if d.kind == CHOICE else params[d.name] for d in space}


def _key(plan: dict[str, Any]) -> str:
    return json.dumps(plan_changes(plan), sort_keys=True, default=str)


def search(
    problem: Problem,
    folder: Path,
    runner: Runner,
    status_quo: Candidate,
    progress: Callable[[int, int], None] | None = None,
) -> SearchResult:
    """Run (or carry on) the search in ``folder`` until ``budget`` plans are complete.

    ``status_quo`` is candidate 0, already evaluated on the same futures. Returns every
    candidate, the status quo first, then the completed trials in order.
    """
    import optuna
    from optuna.trial import TrialState

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    storage = _storage(folder)
    directions = ["minimize", "maximize"] if problem.pareto else ["minimize"]
    study = optuna.create_study(
        study_name=STUDY, storage=storage, directions=directions, load_if_exists=True
    )
    lost = 0
    for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        storage.set_trial_state_values(trial._trial_id, TrialState.FAIL)  # re-asked below
        _forget_parents(study, trial)
        lost += 1
    distributions = _distributions(problem.space)
    known = {_key(status_quo.plan): status_quo.stats}

    def complete() -> list:
        return study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))

    for trial in complete():
        known.setdefault(_key(_plan(problem.space, trial.params)), trial.user_attrs["stats"])
    total = problem.budget * problem.reps
    while (done := len(complete())) < problem.budget:
        study = optuna.load_study(
            study_name=STUDY, storage=storage, sampler=_sampler(problem, done)
        )
        count = min(GENERATION, problem.budget - done)
        trials = [study.ask(distributions) for _ in range(count)]
        plans = [_plan(problem.space, t.params) for t in trials]
        new = list(dict.fromkeys(_key(p) for p in plans if _key(p) not in known))
        if new:
            wanted = {k: next(p for p in plans if _key(p) == k) for k in new}
            scenarios = [problem.scenario_of(p) for p in wanted.values()]
            start = done * problem.reps

            def step(d: int, t: int, start: int = start, n: int = len(new), g: int = count) -> None:
                if progress:
                    progress(min(total, start + d * g // n), total)

            rows = run_futures(scenarios, 0, problem.reps, problem.seed, runner, step)
            for k, r in zip(new, rows, strict=True):
                known[k] = stats(r, problem.measures, problem.target)
        for trial, plan in zip(trials, plans, strict=True):
            found = Candidate(0, plan, known[_key(plan)], trial.number)
            trial.set_user_attr("stats", found.stats)
            if problem.target is not None:
                share = found.stats.get("share_met")
                excess = problem.probability - (share if share is not None else 0.0)
                trial.set_user_attr("constraint", [excess])
                if _set_constraint():
                    trial.set_constraint("target", excess)
            study.tell(trial, _values(problem, found))
        if progress:
            progress(min(total, (done + count) * problem.reps), total)
    result = SearchResult([status_quo], lost)
    for n, trial in enumerate(sorted(complete(), key=lambda t: t.number)[: problem.budget]):
        plan = _plan(problem.space, trial.params)
        result.candidates.append(Candidate(n + 1, plan, trial.user_attrs["stats"], trial.number))
    return result


def evaluate_status_quo(problem: Problem, plan: dict[str, Any], runner: Runner) -> Candidate:
    """Candidate 0: the scenario as given, on the search's futures."""
    rows = run_futures([problem.scenario], 0, problem.reps, problem.seed, runner)[0]
    return Candidate(0, plan, stats(rows, problem.measures, problem.target), None, "status quo")
