"""The search (sim.optimise.search): seeded, the same at any worker count, resumable."""

from __future__ import annotations

import json

import optkit
import pytest

from sim.experiments.engines import LocalPool
from sim.optimise.search import GENERATION, JOURNAL, evaluate_status_quo, search
from sim.optimise.space import current


def _search(problem, folder, workers=1, progress=None):
    folder.mkdir(exist_ok=True)
    runner = LocalPool(workers)
    try:
        plan = {d.key: current(problem.scenario, d.key) for d in problem.space}
        quo = evaluate_status_quo(problem, plan, runner)
        return search(problem, folder, runner, quo, progress)
    finally:
        runner.close()


def _rows(result):
    return [(c.number, json.dumps(c.plan, sort_keys=True), c.stats) for c in result.candidates]


def test_budget_plans_and_the_status_quo_first(tmp_path):
    result = _search(optkit.problem(budget=6), tmp_path)
    assert len(result.candidates) == 7, "the status quo and six plans"
    assert result.candidates[0].origin == "status quo", "candidate 0 is the scenario as given"
    assert (tmp_path / JOURNAL).is_file(), "the search keeps its journal in the folder"


def test_plans_stay_inside_the_ranges(tmp_path):
    result = _search(optkit.problem(budget=8), tmp_path)
    for c in result.candidates[1:]:
        assert 1 <= c.plan["programme.foundation.cohorts"] <= 4, c.plan
        assert c.plan["programme.foundation.cohort_size"] in (2, 4, 6, 8), c.plan


def test_same_seed_same_candidates(tmp_path):
    one = _search(optkit.problem(budget=6, seed=3), tmp_path / "a")
    two = _search(optkit.problem(budget=6, seed=3), tmp_path / "b")
    assert _rows(one) == _rows(two), "a rerun with the same seed proposes the same plans"


def test_another_seed_other_candidates(tmp_path):
    one = _search(optkit.problem(budget=6, seed=3), tmp_path / "a")
    two = _search(optkit.problem(budget=6, seed=4), tmp_path / "b")
    assert _rows(one) != _rows(two), "the seed drives the proposals"


@pytest.mark.parametrize("pareto", [False, True], ids=["tpe", "nsga2"])
def test_workers_do_not_change_the_candidates(tmp_path, pareto):
    problem = optkit.problem(budget=6, pareto=pareto, target=optkit.COVERAGE)
    one = _search(problem, tmp_path / "one", workers=1)
    two = _search(problem, tmp_path / "two", workers=2)
    assert _rows(one) == _rows(two), "the same candidates and figures at 1 and 2 workers"


class Stop(KeyboardInterrupt):
    pass


@pytest.mark.parametrize("pareto", [False, True], ids=["tpe", "nsga2"])
def test_a_resumed_search_ends_as_an_unbroken_one(tmp_path, pareto):
    budget = GENERATION + 4  # two generations; the second is interrupted
    problem = optkit.problem(budget=budget, reps=2, pareto=pareto, target=optkit.COVERAGE)
    unbroken = _search(problem, tmp_path / "unbroken")
    calls = {"n": 0}

    def kill(done, total):
        calls["n"] += 1
        if done > GENERATION * problem.reps:  # inside the second generation's batches
            raise Stop

    folder = tmp_path / "broken"
    with pytest.raises(Stop):
        _search(problem, folder, progress=kill)
    resumed = _search(problem, folder)
    assert resumed.resumed_failed > 0, "the interrupted generation's trials were re-asked"
    assert _rows(resumed) == _rows(unbroken), "the resumed search ends with the same candidates"


def test_a_repeated_plan_is_not_run_again(tmp_path):
    # Four cohorts by four sizes: sixteen plans; a budget of twenty must repeat some.
    result = _search(optkit.problem(budget=20, reps=2), tmp_path)
    plans = [json.dumps(c.plan, sort_keys=True) for c in result.candidates[1:]]
    assert len(set(plans)) < len(plans), "the space is smaller than the budget"
    by_plan = {}
    for c in result.candidates[1:]:
        by_plan.setdefault(json.dumps(c.plan, sort_keys=True), []).append(c.stats)
    for stats in by_plan.values():
        assert all(s == stats[0] for s in stats), "a repeated plan has its first figures"


def test_a_choice_lever_takes_its_values(tmp_path):
    from dataclasses import replace

    from sim.optimise.space import parse_space

    problem = replace(
        optkit.problem(budget=6),
        space=tuple(parse_space(["programme.foundation.allocation=random,mixed,whole_teams"])),
    )
    result = _search(problem, tmp_path)
    values = {c.plan["programme.foundation.allocation"] for c in result.candidates[1:]}
    assert values <= {"random", "mixed", "whole_teams"}, values
    assert len(values) >= 2, "six plans try more than one choice"
