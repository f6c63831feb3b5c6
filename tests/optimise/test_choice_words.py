"""A plan in words, its guardrails and the target in words (sim.optimise.choice_words)."""

from __future__ import annotations

import optkit

from sim.experiments.targets import Target
from sim.optimise.choice_words import guardrails, places, plan_words, staff, target_words
from sim.optimise.space import parse_lever


def test_plan_words_say_cohorts_with_their_places():
    words = plan_words({"programme.foundation.cohorts": 6, "programme.foundation.cohort_size": 40})
    assert words == "6 cohorts of 40", words


def test_plan_words_use_the_vocabulary():
    scenario = optkit.small()
    words = plan_words({"champions.target": 14}, scenario)
    assert "14" in words, words
    assert "champions.target" not in words, "no raw key"


def test_guardrail_at_the_edge_of_a_range():
    scenario = optkit.small()
    dim = parse_lever("programme.foundation.cohorts=1:4")
    plan = {"programme.foundation.cohorts": 4}
    flags = guardrails(plan, [dim], scenario.with_changes(plan))
    assert any("edge of the range" in f for f in flags), flags


def test_no_guardrail_inside_the_range():
    scenario = optkit.small()
    dim = parse_lever("programme.foundation.cohorts=1:4")
    plan = {"programme.foundation.cohorts": 2}
    assert guardrails(plan, [dim], scenario.with_changes(plan)) == [], "inside, few places"


def test_guardrail_more_places_than_staff():
    scenario = optkit.small()
    plan = {"programme.foundation.cohorts": 3, "programme.foundation.cohort_size": 8}
    changed = scenario.with_changes(plan)
    assert places(changed) > staff(changed), (places(changed), staff(changed))
    flags = guardrails(plan, [], changed)
    assert any("more places than staff" in f for f in flags), flags


def test_target_words_have_no_raw_key():
    words = target_words(Target("practising_share_m48", ">=", 0.4))
    assert words == "Practising at month 48 ≥ 40%", words


def test_phase_timing_in_words():
    from sim import load_scenario, resolve_scenario

    scenario = load_scenario(resolve_scenario("camden"))
    words = plan_words({"programme.phases.1.start_after_months": 12}, scenario)
    assert words == "Phase 2 starts 12 months after Phase 1 ends", words


def test_choice_md_calls_the_status_quo_by_its_name_among_the_plans_that_miss():
    from sim.optimise.choose import Choice
    from sim.optimise.results import choice_text
    from sim.optimise.search import Candidate
    from sim.optimise.selection import Selection

    problem = optkit.problem(target=optkit.COVERAGE)
    stats = {"n": 3, "total_cost_mean": 1000.0, "share_met": 0.0}
    plans = [
        {"programme.foundation.cohorts": n, "programme.foundation.cohort_size": 4}
        for n in (2, 1, 3)
    ]
    candidates = [Candidate(i, p, stats) for i, p in enumerate(plans)]
    selection = Selection(
        chosen=None,
        runner_up=None,
        feasible=(),
        infeasible=(0, 1, 2),
        missed=("the target",) * 3,
        futures=(5, 5, 5),
        spent=15,
        means=(1000.0,) * 3,
        pcs=0.95,
        delta=10.0,
        guarantee="No candidate meets the target.",
    )
    choice = Choice((0, 2, 1), selection, 10.0, "£10", None, None)
    text = choice_text(problem, candidates, choice, 9)
    assert (
        "Found to miss the target on fresh futures: the scenario as given, candidate 2, "
        "candidate 1 (numbers as in candidates.csv)." in text
    ), text


def test_a_choice_is_said_in_words_not_as_its_key_value():
    scenario = optkit.small()
    words = plan_words({"programme.foundation.allocation": "whole_teams"}, scenario)
    assert "whole teams" in words, words
    assert "_" not in words, words
    dim = parse_lever("programme.foundation.allocation=mixed,whole_teams")
    assert dim.text() == "mixed or whole teams", dim.text()
    supplies = parse_lever("programme.phases.1.supplies=[champion_supervision,mentoring],[]")
    assert "champion supervision" in supplies.text(), supplies.text()
