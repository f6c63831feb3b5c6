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
