"""``--lever`` ranges and choices (sim.optimise.space)."""

from __future__ import annotations

import optkit
import pytest

from sim.optimise.space import CHOICE, INT, REAL, check_space, parse_lever
from sim.scenario.keys import ScenarioError


def test_whole_number_range():
    dim = parse_lever("programme.foundation.cohorts=2:8:2")
    assert dim.kind == INT, dim
    assert dim.values() == [2, 4, 6, 8], dim.values()


def test_real_range_without_step():
    dim = parse_lever("practice.uptake=0.3:0.9")
    assert dim.kind == REAL, dim
    assert (dim.low, dim.high, dim.step) == (0.3, 0.9, None), dim


def test_choice():
    dim = parse_lever("programme.foundation.allocation=mixed,whole_teams")
    assert dim.kind == CHOICE, dim
    assert dim.choices == ("mixed", "whole_teams"), dim.choices


def test_true_false_choice():
    dim = parse_lever("programme.foundation.offer_new_starters=false,true")
    assert dim.choices == (False, True), dim.choices


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("programme.foundation.cohorts=8:2", "empty range"),
        ("programme.foundation.cohorts=2:2", "empty range"),
        ("programme.foundation.cohorts=2:4:5", "empty range"),
        ("programme.foundation.cohorts=2:4:0", "step must be above 0"),
        ("programme.foundation.cohorts=a:b", "must be numbers"),
        ("no.such.lever=1:2", "not a lever"),
        ("programme.foundation.cohorts", "expected KEY=LOW:HIGH"),
        ("programme.foundation.allocation=mixed", "empty choice"),
        ("programme.foundation.allocation=mixed,mixed", "given twice"),
    ],
)
def test_bad_levers(text, words):
    with pytest.raises(ScenarioError) as caught:
        parse_lever(text)
    assert len(caught.value.lines) == 1, caught.value.lines
    assert words in caught.value.lines[0], caught.value.lines[0]


def test_an_end_the_scenario_refuses_is_named():
    dim = parse_lever("programme.foundation.cohorts=-1:3")
    with pytest.raises(ScenarioError) as caught:
        check_space(optkit.small(), [dim], "<test>")
    assert caught.value.lines[0].startswith("--lever programme.foundation.cohorts=-1"), (
        caught.value.lines
    )


def test_a_list_in_brackets_is_one_choice():
    dim = parse_lever("programme.phases.1.supplies=[champion_supervision, team_managers],[]")
    assert dim.choices == (("champion_supervision", "team_managers"), ()), dim.choices


def test_an_unclosed_bracket_is_bad_input():
    with pytest.raises(ScenarioError) as caught:
        parse_lever("programme.phases.1.supplies=[champion_supervision")
    assert "bracket" in caught.value.lines[0], caught.value.lines


def test_a_dated_phase_is_moved_by_its_gap():
    from sim import load_scenario, resolve_scenario
    from sim.optimise.space import current, with_timing

    scenario = load_scenario(resolve_scenario("camden"))
    key = "programme.phases.1.start_after_months"
    gap = current(scenario, key)
    assert isinstance(gap, int), "a dated phase's gap, in whole months"
    later = scenario.with_changes(with_timing(scenario, {key: gap + 6}), strict=True)
    begins, _ = later.phase_dates()[1]
    before, _ = scenario.phase_dates()[1]
    assert (begins.year - before.year) * 12 + begins.month - before.month == 6, (before, begins)
