"""``rollout validate``: what a scenario means in plain words, and its likely mistakes.

Expected figures are worked out by hand from the scenario file (posts, steady-state staff
in post from the renewal argument, cohort dates from the interval), never read from the
report. Warnings are checked on small crafted scenarios that are valid but probably wrong,
each against the exact set of keys it should warn about, with a clean scenario as control.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import REPO, make_scenario, run_main

from sim.scenario.explain import explain, validate_file
from sim.scenario.explain_programme import completion_probability

CLI = REPO / "cli.py"


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# --------------------------------------------------------------------------- Camden by hand

# From scenarios/camden.toml: five roles, 6 + 14 + 30 + 180 + 20 posts; initial vacancies
# 1 + 3 + 5 + 32 + 4; every role turnover 0.176 a year and a vacancy lasting 15.2 months.
POSTS = 6 + 14 + 30 + 180 + 20
AT_START = POSTS - (1 + 3 + 5 + 32 + 4)
HELD = 1 / (1 + 0.176 * 15.2 / 12)  # share of time a post has a holder
IN_POST = POSTS * HELD
LEAVERS = 0.176 * IN_POST
# Eight cohorts of 35, a cohort every 2.5 months of 365.25 / 12 days from 2015-11-01.
COHORTS, SIZE = 8, 35
LAST_COHORT = date(2015, 11, 1) + timedelta(days=int(7 * 2.5 * 365.25 / 12))


def test_validate_camden_says_what_it_means(tmp_path, monkeypatch, capsys):
    code, out, err = run_main(["validate", "camden"], tmp_path, monkeypatch, capsys)
    assert code == 0, f"exit {code}; stderr: {err}"
    assert err == "", f"stderr: {err}"
    assert f"{POSTS} posts in 5 roles" in out, f"posts line missing:\n{out}"
    assert f"about {IN_POST:.0f} staff in post ({AT_START} at the start)" in out, out
    assert f"about {LEAVERS:.0f} staff leave and as many start each year" in out, out
    places = COHORTS * SIZE
    assert f"{COHORTS} cohorts × {SIZE} places = {places} places for {POSTS} posts" in out, out
    assert f"to {LAST_COHORT.isoformat()}" in out, f"last cohort {LAST_COHORT} not shown:\n{out}"
    # Phase 1 ends 2017-09-30, Phase 2 starts 2017-11-01: October 2017 is the gap.
    assert "gap      2017-10-01 to 2017-10-31      1 month  no external support" in out, out
    # Teams: 30 senior practitioners lead; 180 + 20 members.
    assert "Teams: 30, each led by a senior_practitioner; 200 team-member posts" in out, out
    assert "0 without" in out, f"Camden should have a source for every parameter:\n{out}"
    assert listing(tmp_path) == [], f"validate wrote files: {listing(tmp_path)}"


def test_validate_camden_warns_that_places_outnumber_staff(camden_path):
    # 280 places, ~205 staff, and (unlike Camden) neither new starters nor agency workers
    # offered places: later cohorts cannot fill.
    closed = [
        "programme.foundation.offer_new_starters=false",
        "programme.foundation.offer_agency=false",
    ]
    report = validate_file(camden_path, closed)
    keys = [w.split(":")[0] for w in report.warnings]
    assert keys == ["programme.foundation.cohort_size"], f"got {report.warnings}"
    assert "280 places" in report.warnings[0], report.warnings[0]
    assert sum(line.strip().startswith("warning:") for line in report.lines) == 1, report.lines


def test_set_changes_what_validate_reports(camden_path):
    report = validate_file(camden_path, ["programme.foundation.cohorts=6"])
    text = "\n".join(report.lines)
    assert "6 cohorts × 35 places = 210 places" in text, text
    assert report.warnings == [], f"210 places open to recruits should not warn: {report.warnings}"
    assert "programme.foundation.cohorts" in text.split("Changed by --set")[1], text


def test_completion_probability_by_hand(camden_path):
    # Sessions of 1, 2 and 2 days at 90 % attendance, 3 days needed: complete unless two or
    # more sessions are missed, so P = 0.9³ + 3 × 0.1 × 0.9² = 0.972.
    from sim.scenario import load_scenario

    design = load_scenario(camden_path).programme.foundation
    got = completion_probability(design)
    assert got == pytest.approx(0.9**3 + 3 * 0.1 * 0.9**2), f"got {got}"


# --------------------------------------------------------------------------- warnings

Y = date(2020, 1, 1)  # the tiny scenario starts here and runs 24 months


def phase(start: date, end: date, supplies: list[str]) -> list[dict]:
    return [{"name": "Phase 1", "start": start, "end": end, "supplies": supplies}]


def warned(scenario) -> set[str]:
    return {w.split(":")[0] for w in explain(scenario).warnings}


def test_a_clean_scenario_has_no_warnings():
    scenario = make_scenario(
        programme__phases=phase(Y, date(2020, 12, 31), ["foundation"]),
        programme__foundation={"cohorts": 1, "cohort_size": 5},
    )
    assert warned(scenario) == set(), f"got {explain(scenario).warnings}"


def test_turnover_above_one_is_warned():
    scenario = make_scenario(workforce__roles__worker__turnover=1.5)
    assert warned(scenario) == {"workforce.roles.worker.turnover"}, (
        f"got {explain(scenario).warnings}"
    )


def test_a_phase_after_the_horizon_is_warned():
    # Horizon: 24 months from 2020-01-01, so the last day is 2021-12-31.
    scenario = make_scenario(programme__phases=phase(date(2022, 3, 1), date(2022, 6, 30), []))
    # 'sustained' is judged after that phase, so beyond the horizon too.
    assert warned(scenario) == {"programme.phases.0.start", "measures.sustain_after_months"}, (
        f"got {explain(scenario).warnings}"
    )


def test_cohorts_that_do_not_fit_their_phase_are_warned():
    # Phase of 182 days; a cohort every 2 months (60.875 days): cohorts start on days 0,
    # 60.9 and 121.75; the fourth (day 182.6) would start after the end. Each cohort has a
    # second session 3 months (91.3 days) in: cohort 3's falls on day 213, after the end.
    scenario = make_scenario(
        programme__phases=phase(Y, date(2020, 6, 30), ["foundation"]),
        programme__foundation={
            "cohorts": 5,
            "interval_months": 2,
            "sessions": [{"after_months": 0, "days": 1}, {"after_months": 3, "days": 1}],
        },
    )
    report = explain(scenario)
    assert warned(scenario) == {
        "programme.foundation.cohorts",
        "programme.foundation.interval_months",
    }, f"got {report.warnings}"
    text = " ".join(report.warnings)
    assert "only 3 of the 5 cohorts" in text, text
    start_3 = Y + timedelta(days=int(2 * 2 * 365.25 / 12))
    assert f"cohort 3 (from {start_3})" in text, text
    assert "cohort 2 (" not in text, f"cohort 2 fits its phase: {text}"
    assert "nobody in it can complete" in text, text  # 1 of 2 days held, 2 needed


def test_more_places_than_staff_is_warned():
    scenario = make_scenario(
        programme__phases=phase(Y, date(2020, 12, 31), ["foundation"]),
        programme__foundation={"cohorts": 1, "cohort_size": 10},
    )
    report = explain(scenario)
    assert warned(scenario) == {"programme.foundation.cohort_size"}, f"got {report.warnings}"
    assert "10 places but only about 5 people" in report.warnings[0], report.warnings[0]


def test_an_induction_that_leaves_people_below_the_threshold_is_warned():
    scenario = make_scenario(
        workforce__initial_trained_fraction=1.0,
        champions={
            "target": 2,
            "induction_places_per_champion_per_month": 0.5,
            "induction_level": 0.4,
        },
    )
    assert warned(scenario) == {"champions.induction_level"}, f"got {explain(scenario).warnings}"


def test_more_champions_than_trained_staff_is_warned():
    scenario = make_scenario(champions={"target": 3})  # nobody is ever trained
    assert warned(scenario) == {"champions.target"}, f"got {explain(scenario).warnings}"


def test_a_supervisor_role_without_team_members_is_warned():
    scenario = make_scenario(workforce__roles__worker__team_member=False)
    assert warned(scenario) == {"workforce.supervisor_role"}, f"got {explain(scenario).warnings}"


def test_sustained_judged_after_the_horizon_is_warned():
    # The phase ends in month 19 (August 2021); 12 months on is past month 23.
    scenario = make_scenario(programme__phases=phase(Y, date(2021, 8, 31), []))
    assert warned(scenario) == {"measures.sustain_after_months"}, (
        f"got {explain(scenario).warnings}"
    )


def test_warnings_print_but_do_not_fail(tmp_path, monkeypatch, capsys):
    (tmp_path / "odd.toml").write_text(
        "[scenario]\nstart = 2020-01-01\nhorizon_months = 12\n"
        "[workforce.roles.worker]\nposts = 4\nturnover = 2.0\n",
        encoding="utf-8",
    )
    code, out, err = run_main(["validate", "odd.toml"], tmp_path, monkeypatch, capsys)
    assert code == 0, f"exit {code}; stderr: {err}"
    assert "valid, 1 warning." in out.splitlines()[0], out
    assert "warning: workforce.roles.worker.turnover: 2 leavers per person-year" in out, out


# --------------------------------------------------------------------------- bad input


def test_a_broken_scenario_lists_every_error_and_exits_2(
    tmp_path, camden_path, monkeypatch, capsys
):
    text = camden_path.read_text(encoding="utf-8")
    assert "cohort_size = 35 " in text, "camden.toml no longer has cohort_size = 35"
    text = text.replace("cohort_size = 35 ", "cohort_size = -3 ")
    text = text.replace("uptake = 0.8 ", "uptak = 0.8 ")
    text = text.replace('confidence = "assumption" }', 'confidence = "guess" }', 1)
    text += '"programme.phases.2.end" = { source = "x", confidence = "data" }\n'
    (tmp_path / "broken.toml").write_text(text, encoding="utf-8")
    before = listing(tmp_path)
    code, out, err = run_main(["validate", "broken.toml"], tmp_path, monkeypatch, capsys)
    assert code == 2, f"exit {code}; stdout: {out}; stderr: {err}"
    assert out == "", f"stdout: {out}"
    assert "Traceback" not in err, err
    lines = err.splitlines()
    wanted = [
        "programme.foundation.cohort_size: must be ≥ 1, got -3",
        "practice.uptak: unknown key",
        'sources."scenario.horizon_months".confidence: must be one of',
        'sources."programme.phases.2.end": programme.phases has no element 2',
    ]
    for part in wanted:
        assert any(part in line for line in lines), f"{part!r} not in stderr:\n{err}"
    for line in lines:
        assert line.startswith("rollout: broken.toml: "), f"line without file: {line!r}"
    assert listing(tmp_path) == before, f"files written: {listing(tmp_path)}"


def test_a_phase_override_that_cannot_complete_is_bad_input_not_a_crash():
    # Each table is valid alone; together the phase's one-day sessions cannot give the
    # programme's three days to complete: the scenario itself is rejected, naming the phase.
    from sim.scenario import ScenarioError

    with pytest.raises(ScenarioError) as caught:
        make_scenario(
            programme__phases=[
                {
                    "name": "Phase 1",
                    "start": Y,
                    "end": date(2020, 12, 31),
                    "supplies": ["foundation"],
                    "foundation": {"sessions": [{"after_months": 0, "days": 1}]},
                }
            ],
            programme__foundation={
                "cohorts": 1,
                "sessions": [{"after_months": 0, "days": 3}],
                "min_days_to_complete": 3,
            },
        )
    assert caught.value.lines == [
        "<test>: programme.phases.0.foundation: with programme.foundation, "
        "min_days_to_complete (3.0) exceeds the 1.0 days the sessions offer"
    ], caught.value.lines
