"""The theory of change: dose, late engagers, learning in the team, reinforcement that adds up.

Each lever must move the answer through its mechanism, in the direction the evidence says
(MODEL.md section 2). These tests check each mechanism against a value worked out by hand
(a closed form or an exact count), and that its switch-off gives the old behaviour.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import base_data, one_phase
from mechkit import DAYS_PER_MONTH, D, col, events, month_days, role, roles_data, run, scen

from sim.experiments import run as run_many


def _cohort(days: float, posts: int = 400, **changes):
    """One cohort of one session of ``days`` days on day 0 for ``posts`` staff, no turnover,
    no reinforcement afterwards.
    """
    data = roles_data({"worker": role(posts)}, horizon=12)
    data["programme"] = {
        "foundation": {
            "cohorts": 1,
            "cohort_size": posts,
            "sessions": [{"after_months": 0, "days": days}],
        },
        "phases": one_phase(D(2020, 1), D(2020, 12, 31), ["foundation"]),
    }
    return scen(data, **changes)


# --------------------------------------------------------------------------- dose


@pytest.mark.parametrize("days", [1.0, 5.0, 18.0])
def test_the_dose_sets_the_starting_level_exactly(days):
    # d50 = 2 days: r(d) = d / (d + 2); an engaged person starts at θ + (1 − θ) r(d).
    sc = _cohort(days, practice__dose_half_days=2.0, practice__threshold=0.4)
    rep, _ = run(sc)
    engaged = np.nonzero(rep.practice.engaged)[0]
    response = days / (days + 2.0)
    expected = 0.4 + 0.6 * response
    level = rep.practice.level(0.0, engaged)
    assert np.allclose(level, expected), f"{days} days: level {level[:3]} expected {expected}"


def test_more_days_of_training_means_more_take_it_up_at_once():
    # uptake 0.9 at a saturating dose, d50 = 2: at once 0.9 · d/(d + 2) of the trained.
    shares = {}
    for days in (1.0, 5.0, 18.0):
        rep, res = run(_cohort(days, practice__uptake=0.9, practice__dose_half_days=2.0))
        trained = col(res, "trained")[0]
        shares[days] = col(res, "practising")[0] / trained
        expected = 0.9 * days / (days + 2.0)
        sd = math.sqrt(expected * (1 - expected) / trained)
        assert abs(shares[days] - expected) < 4 * sd, (
            f"{days} days: practising share of trained {shares[days]:.3f}, expected "
            f"{expected:.3f} ± {4 * sd:.3f}"
        )
    assert shares[1.0] < shares[5.0] < shares[18.0], f"shares by dose {shares}"


def test_without_a_dose_effect_every_course_is_a_full_dose():
    rep, res = run(_cohort(1.0))  # dose_half_days = 0: the old behaviour
    level = rep.practice.level(0.0, np.nonzero(rep.practice.engaged)[0])
    assert np.allclose(level, 1.0), f"levels {level[:3]}"
    assert col(res, "practising")[0] == 400, f"practising {col(res, 'practising')[0]}"


def test_a_short_course_lapses_sooner():
    # No reinforcement, everyone alike (half-life 12, no spread): a person at level L lapses
    # 12·log2(L/θ) months after training. r(1) = 1/3 → L = 2/3, lapse after 4.98 months;
    # r(18) = 0.9 → L = 0.95, lapse after 11.1 months.
    for days, months in (
        (1.0, 12 * math.log2((0.5 + 0.5 / 3) / 0.5)),
        (18.0, 12 * math.log2(0.95 / 0.5)),
    ):
        _, res = run(_cohort(days, posts=20, practice__dose_half_days=2.0))
        practising = col(res, "practising")
        last = int(np.nonzero(practising)[0].max())  # last month-end with anyone practising
        month_ends = month_days(D(2020, 1), 12)[1:] / DAYS_PER_MONTH
        assert month_ends[last] < months <= month_ends[last + 1], (
            f"{days} days: practising {practising}, expected lapse at {months:.2f} months"
        )


# --------------------------------------------------------------------------- late engagers


def _supervised_team(**changes):
    """Ten workers and their supervisor, all trained on day 0 (a 5-day course), the
    supervisor mentored and supported for the whole run: monthly group supervision.
    """
    data = roles_data(
        {"supervisor": role(1), "worker": role(10, team=True)}, supervisor="supervisor", horizon=24
    )
    data["workforce"]["initial_trained_fraction"] = 1.0
    data["programme"] = {
        "mentoring": {"supported_months": 24},
        "phases": one_phase(D(2020, 1), D(2021, 12, 31), ["mentoring"]),
    }
    return scen(data, **changes)


def test_late_engagers_take_the_practice_up_with_support_and_not_without():
    # Nobody takes it up at once (uptake 0); everyone is a late engager with a chance of 1
    # per session, so each engages at the first session they receive.
    sc = _supervised_team(
        practice__uptake=0.0,
        practice__late_share=1.0,
        practice__late_engagement_per_session=1.0,
    )
    rep, res = run(sc)
    # The supervisor engages at the first supported-supervision session (a reinforcement),
    # so leads from that day on; the workers engage at the first group supervision.
    practising = col(res, "practising")
    assert practising[0] == 11, f"practising by the end of month 0: {practising}"
    assert practising[-1] == 11, f"practising at the end: {practising}"
    # Without support nobody ever engages.
    data = roles_data({"worker": role(10)}, horizon=24)
    data["workforce"]["initial_trained_fraction"] = 1.0
    _, res = run(scen(data, practice__uptake=0.0, practice__late_share=1.0))
    assert col(res, "practising").max() == 0, f"practising unsupported {col(res, 'practising')}"


def test_late_engagement_takes_about_one_over_the_chance_sessions():
    # Each session engages a late engager with chance p = 0.25: the share still not engaged
    # after k monthly sessions is (1 − p)^k. 200 workers, 20 teams.
    data = roles_data(
        {"supervisor": role(20), "worker": role(200, team=True)},
        supervisor="supervisor",
        horizon=12,
    )
    data["workforce"]["initial_trained_fraction"] = 1.0
    data["programme"] = {
        "mentoring": {"supported_months": 12},
        "phases": one_phase(D(2020, 1), D(2020, 12, 31), ["mentoring"]),
    }
    sc = scen(
        data,
        practice__uptake=0.0,
        practice__late_share=1.0,
        practice__late_engagement_per_session=0.25,
        programme__group_supervision__supervisor_reinforcement=0.0,
    )
    # Supervisors: reinforced monthly by supported supervision from month 0, so engaged at
    # month k with probability 1 − 0.75^(k+1); a team's supervision runs once its
    # supervisor engages. Workers engage only at their team's sessions. Check the
    # supervisors' own curve, which depends on nothing else.
    rep, res = run(sc)
    sessions = events(res, "supported_supervision")
    assert sessions, "supported supervision ran"
    engaged = rep.practice.engaged[rep.supervisor_people].mean()
    expected = 1 - 0.75**12
    assert abs(engaged - expected) < 4 * math.sqrt(expected * (1 - expected) / 20), (
        f"supervisors engaged after 12 sessions: {engaged:.3f}, expected {expected:.3f}"
    )


# --------------------------------------------------------------------------- learning in the team


def _learning_team(rate: float, **changes):
    """One mentored, trained supervisor and 50 untrained team members: only the team's
    group supervision can teach them.
    """
    data = roles_data(
        {"supervisor": role(1), "worker": role(50, team=True)}, supervisor="supervisor", horizon=24
    )
    data["programme"] = {
        "foundation": {"cohorts": 1, "cohort_size": 1, "allocation": "senior_first"},
        "mentoring": {"supported_months": 24},
        "phases": one_phase(D(2020, 1), D(2021, 12, 31), ["foundation", "mentoring"]),
    }
    return scen(data, practice__team_learning_rate=rate, **changes)


def test_untrained_staff_learn_in_a_supervising_team_at_the_rate_set():
    rep, res = run(_learning_team(1.2))
    untrained = col(res, "practising_untrained")
    assert col(res, "trained")[-1] == 1, f"only the supervisor trained: {col(res, 'trained')}"
    assert untrained[-1] > 0, f"practising without training {untrained}"
    # Chance per monthly session 1 − exp(−1.2/12), so the share learned after the k
    # sessions the team had is 1 − exp(−0.1·k).
    sessions = sorted({e.day for e in events(res, "group_supervision")})
    expected = 50 * (1 - math.exp(-0.1 * len(sessions)))
    sd = math.sqrt(50 * (1 - math.exp(-0.1 * len(sessions))) * math.exp(-0.1 * len(sessions)))
    assert abs(untrained[-1] - expected) < 4 * sd + 1, (
        f"{untrained[-1]} learned in {len(sessions)} sessions, expected {expected:.1f}"
    )
    assert np.all(col(res, "practising") >= untrained), "practising counts those who learned"


def test_no_learning_in_the_team_at_rate_zero():
    _, res = run(_learning_team(0.0))
    assert col(res, "practising_untrained").max() == 0, f"{col(res, 'practising_untrained')}"
    assert col(res, "practising").max() == 1, f"only the supervisor {col(res, 'practising')}"


# --------------------------------------------------------------------------- reinforcement adds up


def test_two_sources_on_one_day_combine_saturating():
    # Champions (3, all trained on day 0) meet monthly (strength 0.3) and are supervised
    # by the provider every month (strength 0.6): on each session day the gap to full
    # shrinks by (1 − 0.3)(1 − 0.6) = 0.28, so the level just after a session settles at
    # the fixed point L = 1 − 0.28(1 − d·L) with d the month's decay factor.
    data = roles_data({"worker": role(3)}, horizon=36)
    data["workforce"]["initial_trained_fraction"] = 1.0
    data["programme"] = {
        "champion_supervision": {"interval_months": 1, "strength": 0.6},
        "phases": one_phase(D(2020, 1), D(2022, 12, 31), ["champion_supervision"]),
    }
    both = scen(
        data,
        champions__target=3,
        champions__min_group_size=1,
        champions__meeting_strength=0.3,
        champions__dropout_supported=0.0,
        practice__reinforcement=0.5,
    )
    rep, _ = run(both)
    day = month_days(D(2020, 1), 36)[35]  # the last session day (start of month 35)
    after = rep.practice.level(day, rep.champion_people)
    d = 0.5 ** (
        (month_days(D(2020, 1), 36)[35] - month_days(D(2020, 1), 36)[34]) / DAYS_PER_MONTH / 12
    )
    fixed = (1 - 0.28) / (1 - 0.28 * d)
    assert np.allclose(after, fixed, atol=2e-3), (
        f"level after sessions {after}, fixed point {fixed}"
    )
    # Meetings alone settle lower: gap kept 0.7 a session.
    alone = scen(
        data,
        champions__target=3,
        champions__min_group_size=1,
        champions__meeting_strength=0.3,
        champions__dropout_supported=0.0,
        programme__phases=[],
    )
    rep_alone, _ = run(alone)
    lower = rep_alone.practice.level(day, rep_alone.champion_people)
    assert np.all(lower < after - 0.05), f"meetings alone {lower} against both {after}"


def test_the_providers_supervision_of_champions_reaches_the_staff_they_teach():
    # Workshops reinforce at workshop_strength times the champions' mean level: supervised
    # champions keep a higher level, so their workshops keep more staff practising. Half-life
    # 4 months, a workshop every 2 months at 0.6 × the champions' level: supervised (level
    # about 0.9) the staff's level before a workshop settles near 0.57, above θ = 0.5;
    # unsupervised (champions' level about 0.35) near 0.35, so they lapse between workshops.
    def scenario(supervised: bool):
        data = base_data()
        data["workforce"]["roles"]["worker"]["posts"] = 60
        data["workforce"]["initial_trained_fraction"] = 1.0
        data["scenario"]["horizon_months"] = 36
        supplies = ["champion_supervision"] if supervised else []
        data["programme"] = {
            "champion_supervision": {"interval_months": 1, "strength": 0.9},
            "phases": one_phase(D(2020, 1), D(2022, 12, 31), supplies),
        }
        return scen(
            data,
            practice__half_life_months=4.0,
            champions__target=5,
            champions__min_group_size=1,
            champions__meeting_strength=0.1,
            champions__dropout_supported=0.0,
            champions__dropout_unsupported=0.0,
            champions__workshops_per_year=6,
            champions__workshop_places=60,
            champions__workshop_strength=0.6,
        )

    with_support = run_many(scenario(True), reps=4, seed=3).summary
    without = run_many(scenario(False), reps=4, seed=3).summary
    gain = with_support["practising_person_months"] - without["practising_person_months"]
    assert (gain > 0).all(), f"practising person-months gained by supervising champions {gain}"


# --------------------------------------------------------------------------- unmentored leaders


def test_a_practising_supervisor_never_mentored_leads_at_the_unmentored_strength():
    # Supervisor and team trained on day 0, no mentoring at all: with unmentored_strength 0
    # nobody leads and the team lapses after 12·log2(2) = 12 months; with 0.5 the
    # supervisor's monthly sessions keep the team practising, and themselves through
    # supervisor_reinforcement.
    data = roles_data(
        {"supervisor": role(1), "worker": role(4, team=True)}, supervisor="supervisor", horizon=36
    )
    data["workforce"]["initial_trained_fraction"] = 1.0
    off = scen(data)
    on = scen(
        data,
        programme__group_supervision__unmentored_strength=0.5,
        programme__group_supervision__supervisor_reinforcement=0.5,
    )
    _, res_off = run(off)
    _, res_on = run(on)
    assert col(res_off, "practising")[-1] == 0, f"without: {col(res_off, 'practising')}"
    assert col(res_on, "practising")[-1] == 5, f"with: {col(res_on, 'practising')}"
    assert col(res_on, "teams_supervising").max() == 0, "teams_supervising counts mentored only"


# --------------------------------------------------------------------------- who fills the places


def test_whole_teams_beat_mixed_cohorts_when_places_are_scarce():
    # Ten teams of a supervisor and six members, one cohort of 21 places, live mentoring
    # and supported supervision for the trained supervisors. Whole teams train three
    # supervisors with their own teams, so every trained member has group supervision;
    # mixed places spread the 18 members over teams whose supervisor mostly was not
    # trained, so most lapse with nothing to keep them going.
    def scenario(allocation: str):
        data = roles_data(
            {"supervisor": role(10), "worker": role(60, team=True)},
            supervisor="supervisor",
            horizon=36,
        )
        data["programme"] = {
            "foundation": {"cohorts": 1, "cohort_size": 21, "allocation": allocation},
            "mentoring": {"supported_months": 36},
            "phases": one_phase(D(2020, 1), D(2022, 12, 31), ["foundation", "mentoring"]),
        }
        return scen(data, practice__half_life_months=4.0)

    whole = run_many(scenario("whole_teams"), reps=6, seed=5).summary
    mixed = run_many(scenario("mixed"), reps=6, seed=5).summary
    gain = whole["practising_person_months"] - mixed["practising_person_months"]
    assert (gain > 0).all(), f"whole teams minus mixed, practising person-months: {list(gain)}"
