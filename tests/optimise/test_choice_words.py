"""A plan in words, its guardrails and the target in words (sim.optimise.choice_words)."""

from __future__ import annotations

import re

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
        guarantee="No plan meets the target.",
    )
    choice = Choice((0, 2, 1), selection, 10.0, "£10", None, None)
    text = choice_text(problem, candidates, choice)
    missed = next(line for line in text.splitlines() if line.startswith("Found to miss"))
    assert missed.startswith(
        "Found to miss the target on fresh futures: the scenario as given; "
    ), missed
    assert not re.search(r"candidate \d", missed), f"a plan called by its number alone: {missed}"
    assert "3 cohorts of 4" in missed, f"plan 2 is not in words: {missed}"
    # Each plan in words, with its row of candidates.csv.
    assert "(plan 2 of candidates.csv)" in missed, missed
    assert "(plan 1 of candidates.csv)" in missed, missed
    assert missed.index("plan 2 of") < missed.index("plan 1 of"), "in the order compared"


def test_a_choice_is_said_in_words_not_as_its_key_value():
    scenario = optkit.small()
    words = plan_words({"programme.foundation.allocation": "whole_teams"}, scenario)
    assert "whole teams" in words, words
    assert "_" not in words, words
    dim = parse_lever("programme.foundation.allocation=mixed,whole_teams")
    assert dim.text() == "mixed or whole teams", dim.text()
    supplies = parse_lever("programme.phases.1.supplies=[champion_supervision,mentoring],[]")
    assert "champion supervision" in supplies.text(), supplies.text()


def _page(n: int, chosen: int | None) -> str:
    """choice.md for three plans of ``n`` search futures each, plan ``chosen`` chosen."""
    from sim.optimise.choose import Choice
    from sim.optimise.results import choice_text
    from sim.optimise.search import Candidate
    from sim.optimise.selection import Selection

    problem = optkit.problem(target=optkit.COVERAGE)
    stats = {
        "n": n,
        "total_cost_mean": 1000.0,
        "total_cost_ci_low": 900.0,
        "total_cost_ci_high": 1100.0,
        "share_met": 0.5,
    }
    plans = [
        {"programme.foundation.cohorts": k, "programme.foundation.cohort_size": 4}
        for k in (2, 1, 3)
    ]
    candidates = [Candidate(i, p, stats) for i, p in enumerate(plans)]
    selection = Selection(
        chosen=None if chosen is None else (0, 2, 1).index(chosen),
        runner_up=None,
        feasible=(0, 1, 2),
        infeasible=(),
        missed=(None,) * 3,
        futures=(40, 65, 50),
        spent=155,
        means=(1234.0, 987.0, 1111.0),
        pcs=0.95,
        delta=10.0,
        guarantee="The cheapest.",
    )
    return choice_text(problem, candidates, Choice((0, 2, 1), selection, 10.0, "£10", None, None))


def test_choice_md_says_which_futures_each_figure_rests_on():
    text = _page(20, chosen=2)
    assert "On the search's 20 futures:" in text, text
    assert "95% interval" in text, "20 futures give an interval"
    # The figures the choice was made on: the objective's mean over the chosen plan's own
    # fresh futures (65 of them), and the status quo's (40).
    assert "On the choice's 65 fresh futures: total cost £987" in text, text
    assert "On the choice's 40 fresh futures: total cost £1,234" in text, text
    assert "on the search's futures: £0 less" in text, text
    assert "1,000,000" not in text, "no replication numbers on a board's page"


def test_choice_md_gives_no_interval_from_too_few_futures():
    text = _page(3, chosen=2)
    assert "On the search's 3 futures (too few for an interval):" in text, text
    assert "95% interval" not in text, text
