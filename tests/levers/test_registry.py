"""The lever registry: every entry well formed, every lever of the app in it, patterns
resolved on the bundled scenarios, switched on only where they can act.
"""

from __future__ import annotations

import re

import pytest

from sim.app.logic import LEVER_KEYS
from sim.scenario import levers as registry
from sim.scenario import load_scenario, resolve_scenario
from sim.scenario.keys import ScenarioError
from sim.scenario.schema import Scenario
from sim.scenario.uncertainty import leaf_field


@pytest.fixture(scope="module")
def camden() -> Scenario:
    return load_scenario(resolve_scenario("camden"), [])


@pytest.fixture(scope="module")
def havering() -> Scenario:
    return load_scenario(resolve_scenario("havering"), [])


@pytest.mark.parametrize("lever", registry.LEVERS, ids=lambda lever: lever.key)
def test_every_entry_is_well_formed(lever):
    assert lever.mechanism in registry.MECHANISMS, f"{lever.key}: mechanism {lever.mechanism}"
    assert lever.when in registry.CONDITIONS, f"{lever.key}: condition {lever.when}"
    assert lever.label, f"{lever.key}: label {lever.label!r}, how {lever.how!r}"
    assert lever.how, f"{lever.key}: label {lever.label!r}, how {lever.how!r}"
    if lever.mechanism == "cost":
        assert not lever.active, f"{lever.key} works through cost only yet is called active"
    # The key, its pattern parts stood in for, is a real key of the schema.
    concrete = re.sub(r"\{i\}|\*", "0", lever.key).replace("{group}", "g")
    concrete = concrete.replace("roles.0", "roles.r")
    found = leaf_field(concrete, Scenario) or leaf_field(concrete + ".0", Scenario)  # an array
    assert found is not None, f"{lever.key}: no such key"


def test_keys_are_unique():
    keys = [lever.key for lever in registry.LEVERS]
    assert len(keys) == len(set(keys)), (
        f"repeated keys: {sorted(k for k in keys if keys.count(k) > 1)}"
    )


@pytest.mark.parametrize("name", list(LEVER_KEYS))
def test_every_lever_of_the_app_is_in_the_registry(name):
    key = LEVER_KEYS[name]
    lever = registry.lever_for(key)
    assert lever is not None, f"the app's lever {name} ({key}) has no registry entry"
    assert lever.app == name, f"{key}: the registry names the app's lever {lever.app!r}"


def test_camden_resolves_every_pattern(camden):
    found = {s.id: s for s in registry.settings(camden)}
    assert "programme.groups.team_managers.interval_months" in found, sorted(found)
    assert "programme.groups.senior_team.interval_months" in found, sorted(found)
    supplies = [i for i in found if i.startswith("programme.phases.1.supplies:")]
    assert sorted(supplies) == [
        "programme.phases.1.supplies:champion_supervision",
        "programme.phases.1.supplies:senior_team",
        "programme.phases.1.supplies:team_managers",
    ], supplies
    assert not [s.id for s in found.values() if s.switched_on and s.problem], [
        (s.id, s.problem) for s in found.values() if s.problem
    ]
    turnover = found["workforce.roles.*.turnover"]
    assert len(turnover.high) == len(camden.workforce.roles), turnover.high
    assert all(turnover.high[k] > turnover.low[k] for k in turnover.high), turnover


def test_champion_levers_are_off_without_champions(havering, camden):
    on = {s.id: s.switched_on for s in registry.settings(havering)}
    champion = [i for i in on if i.startswith("champions.") or "champion_supervision" in i]
    assert champion, {i: on[i] for i in champion}
    assert not any(on[i] for i in champion), {i: on[i] for i in champion}
    assert on["programme.consultation.sessions_per_clinician_per_month"], on
    camden_on = {s.id: s.switched_on for s in registry.settings(camden)}
    assert all(camden_on[i] for i in champion if i in camden_on), camden_on
    assert not camden_on["programme.consultation.sessions_per_clinician_per_month"]


def test_a_phase_timing_lever_keeps_the_phase_as_set_at_one_end(camden):
    (gap,) = [
        s for s in registry.settings(camden) if s.id == "programme.phases.1.start_after_months"
    ]
    low, high = registry.at_end(camden, gap.low), registry.at_end(camden, gap.high)
    assert gap.base_is == "low", gap
    assert low.phase_dates() == camden.phase_dates(), low.phase_dates()
    assert high.phase_dates()[1][0].year == camden.phase_dates()[1][0].year + 1, high.phase_dates()


def test_a_nudged_value_replaces_its_uncertainty(camden):
    assert "practice.uptake" in camden.uncertainty
    (uptake,) = [s for s in registry.settings(camden) if s.id == "practice.uptake"]
    for end in (uptake.low, uptake.high):
        fixed = registry.at_end(camden, end)
        assert "practice.uptake" not in fixed.uncertainty, sorted(fixed.uncertainty)
        assert fixed.practice.uptake == end["practice.uptake"], fixed.practice.uptake
        assert len(fixed.uncertainty) == len(camden.uncertainty) - 1, sorted(fixed.uncertainty)


def test_a_nudge_that_would_leave_the_range_goes_the_other_way(camden):
    """Reinforcement is nudged down by 0.3 (its registry step); from 0.9, up by 0.3 would
    pass 1, so down it goes; attendance from 0.1 cannot go down 0.2, so it goes up.
    """
    changed = camden.with_changes({"programme.foundation.attendance": 0.1})
    (attendance,) = [s for s in registry.settings(changed) if s.id.endswith("attendance")]
    assert attendance.low == {"programme.foundation.attendance": 0.1}, attendance.low
    assert attendance.high["programme.foundation.attendance"] == pytest.approx(0.3), attendance
    assert attendance.base_is == "low", attendance


def test_the_dose_lever_moves_the_days_needed_with_the_days(camden):
    (dose,) = [s for s in registry.settings(camden) if s.id.endswith("sessions.*.days")]
    high = registry.at_end(camden, dose.high)
    before = camden.programme.foundation
    after = high.programme.foundation
    assert after.total_days == pytest.approx(1.5 * before.total_days), after.sessions
    assert after.min_days_to_complete == pytest.approx(1.5 * before.min_days_to_complete)


def test_bad_requests_are_one_line_each(camden):
    with pytest.raises(ScenarioError) as caught:
        registry.check_request(camden, 1, ["nosuch.key"], "camden.toml")
    lines = caught.value.lines
    assert len(lines) == 2, lines
    assert lines[0].startswith("--reps 1"), lines
    assert "--lever nosuch.key" in lines[1], lines
    assert "camden.toml" in lines[1], lines
    short = camden.with_changes({"scenario.horizon_months": 24, "measures.at_months": [12]})
    with pytest.raises(ScenarioError) as caught:
        registry.check_request(short, 5, [], "short.toml")
    assert "scenario.horizon_months" in caught.value.lines[0], caught.value.lines
    registry.check_request(camden, 2, ["champions.target", "workforce.roles.*.turnover"])


def test_a_nudge_that_changes_nothing_says_so(camden):
    roles = {f"workforce.roles.{r}.hiring_delay_months": 0.0 for r in camden.workforce.roles}
    roles.update({f"workforce.roles.{r}.initial_vacancies": 0 for r in camden.workforce.roles})
    refilled = camden.with_changes(roles)
    (delay,) = [s for s in registry.settings(refilled) if s.id.endswith("hiring_delay_months")]
    assert delay.switched_on, delay
    assert delay.problem is not None, delay
    assert "changes nothing" in delay.problem, delay.problem
