"""Workforce: posts, teams, vacancies, hiring delay, turnover, agency cover, trained recruits."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import one_phase
from mechkit import D, col, month_days, role, roles_data, run, scen


def test_initial_vacancies_are_vacant_at_month_0():
    # 20 worker posts, 5 vacant at the start and a hiring delay so long (10,000 months) that
    # none is filled in the first month: 5 vacancies, 1 + 15 permanent staff in post.
    data = roles_data(
        {
            "supervisor": role(1),
            "worker": role(20, team=True, initial_vacancies=5, hiring_delay_months=1e4),
        },
        supervisor="supervisor",
    )
    _, res = run(scen(data))
    assert col(res, "vacancies")[0] == 5, f"vacancies at month 0: {col(res, 'vacancies')[0]}"
    assert col(res, "headcount")[0] == 16, f"headcount at month 0: {col(res, 'headcount')[0]}"


def _flow_scenario(cover: float, **worker: float):
    data = roles_data(
        {"worker": role(300, turnover=0.5, hiring_delay_months=6.0, **worker)},
        horizon=240,
        workforce={"agency_cover": cover},
    )
    return scen(data)


def test_vacancy_share_follows_littles_law():
    # A post alternates tenure (mean 1/0.5 = 24 months) and vacancy (mean 6 months):
    # long-run vacant share = 6 / (24 + 6) = 0.2.
    _, res = run(_flow_scenario(0.0))
    share = col(res, "vacancies")[60:].mean() / 300
    assert abs(share - 0.2) < 0.03, f"long-run vacancy share {share:.3f}, expected 0.2"


def test_turnover_is_leavers_per_person_year():
    # DfE definition: leavers / person-years in post = the annual hazard 0.5.
    _, res = run(_flow_scenario(0.0))
    person_years = col(res, "headcount").sum() / 12
    rate = col(res, "leavers").sum() / person_years
    assert abs(rate - 0.5) < 0.05, f"leavers per person-year {rate:.3f}, expected 0.5"


def test_agency_workers_only_cover_vacancies():
    rep, res = run(_flow_scenario(0.7))
    agency, vacancies = col(res, "agency"), col(res, "vacancies")
    assert np.all(agency <= vacancies), (
        f"agency > vacancies in months {np.flatnonzero(agency > vacancies).tolist()}"
    )
    # Each vacancy spell is covered with probability 0.7, independently of its length:
    # agency-months / vacancy-months -> 0.7.
    ratio = agency.sum() / vacancies.sum()
    assert abs(ratio - 0.7) < 0.05, f"agency / vacancies = {ratio:.3f}, expected 0.7"
    # An agency worker is in post only while no permanent holder is.
    plan = rep.plan
    for person in np.flatnonzero(plan.is_agency)[:200]:
        same_post = np.flatnonzero(~plan.is_agency & (plan.post == plan.post[person]))
        overlap = (plan.start[same_post] < plan.end[person]) & (
            plan.end[same_post] > plan.start[person]
        )
        assert not overlap.any(), f"agency worker {person} overlaps a permanent holder"


def test_full_and_no_agency_cover():
    _, full = run(_flow_scenario(1.0))
    assert np.array_equal(col(full, "agency"), col(full, "vacancies")), (
        "with agency_cover 1 every vacancy should be covered: "
        f"agency {col(full, 'agency')[:12]}, vacancies {col(full, 'vacancies')[:12]}"
    )
    _, none = run(_flow_scenario(1.0, agency_cover=0.0))  # the role's own cover wins
    assert col(none, "agency").sum() == 0, f"agency with role cover 0: {col(none, 'agency').sum()}"
    assert col(none, "vacancies").sum() > 0, "test needs vacancies"


def test_leavers_take_their_training_with_them():
    # Everyone trained at the start, recruits untrained, posts refilled at once: coverage at
    # time t is the share of original holders still in post, exp(-turnover * t).
    data = roles_data({"worker": role(400, turnover=0.5)}, horizon=24)
    data["workforce"]["initial_trained_fraction"] = 1.0
    _, res = run(scen(data))
    t_years = month_days(D(2020, 1), 24)[24] / 365.25
    expected = math.exp(-0.5 * t_years)
    got = col(res, "coverage")[23]
    assert abs(got - expected) < 0.08, f"coverage at month 23 {got:.3f}, expected {expected:.3f}"


def test_recruits_trained_fraction():
    data = roles_data({"worker": role(200, turnover=0.8)}, horizon=36)
    data["workforce"]["initial_trained_fraction"] = 1.0
    data["workforce"]["recruits_trained_fraction"] = 1.0
    rep, res = run(scen(data))
    recruits = rep.permanent & ~rep.plan.is_initial
    assert recruits.sum() > 100, f"test needs recruits, got {recruits.sum()}"
    assert rep.practice.trained[recruits].all(), (
        f"{(~rep.practice.trained[recruits]).sum()} recruits arrived untrained"
    )
    assert np.all(col(res, "coverage") == 1.0), f"coverage min {col(res, 'coverage').min()}"
    # trained on arrival: full practice level (1, everyone engages) on their first day
    for person in np.flatnonzero(recruits)[:50]:
        level = rep.practice.level(rep.plan.start[person], np.array([person]))[0]
        assert abs(level - 1.0) < 1e-9, f"recruit {person} starts at level {level}"

    data["workforce"]["recruits_trained_fraction"] = 0.5
    rep, _ = run(scen(data))
    recruits = rep.permanent & ~rep.plan.is_initial
    share = rep.practice.trained[recruits].mean()
    sd = math.sqrt(0.25 / recruits.sum())
    assert abs(share - 0.5) < 4 * sd, f"share of recruits trained {share:.3f}, expected 0.5"


def test_agency_workers_offered_places_only_when_offer_agency():
    # 50 of 100 posts vacant for good, all covered by agency; one cohort with room for all.
    data = roles_data(
        {"worker": role(100, initial_vacancies=50, hiring_delay_months=1e4)},
        horizon=6,
        workforce={"agency_cover": 1.0},
    )
    data["programme"] = {
        "phases": one_phase(D(2020, 2), D(2020, 4, 30), ["foundation"]),
        "foundation": {"cohorts": 1, "cohort_size": 1000},
    }
    rep_no, res_no = run(scen(data))
    rep_yes, res_yes = run(scen(data, programme__foundation__offer_agency=True))
    agency_no = rep_no.plan.is_agency
    assert agency_no.sum() == 50, f"agency workers {agency_no.sum()}"
    assert rep_no.practice.trained[agency_no].sum() == 0, (
        f"{rep_no.practice.trained[agency_no].sum()} agency workers trained without offer_agency"
    )
    got = rep_yes.practice.trained[rep_yes.plan.is_agency].sum()
    assert got == 50, f"agency workers trained with offer_agency: {got}, expected 50"
    # coverage counts permanent staff only, so it is the same either way (50 of 50)
    assert np.array_equal(col(res_no, "trained"), col(res_yes, "trained")), (
        f"trained (permanent) differs: {col(res_no, 'trained')} vs {col(res_yes, 'trained')}"
    )
    assert col(res_yes, "coverage")[-1] == 1.0, f"coverage {col(res_yes, 'coverage')[-1]}"


def test_each_team_is_led_by_one_supervisor_post():
    data = roles_data(
        {
            "lead": role(2),
            "supervisor": role(3),
            "worker": role(10, team=True),
        },
        supervisor="supervisor",
    )
    rep, _ = run(scen(data))
    est = rep.establishment
    names = est.role_names
    sup = names.index("supervisor")
    assert est.n_teams == 3, f"teams {est.n_teams}, expected one per supervisor post (3)"
    for team in range(3):
        leaders = np.flatnonzero((est.post_team == team) & (est.post_role == sup))
        assert len(leaders) == 1, f"team {team} has supervisor posts {leaders.tolist()}"
        assert est.team_supervisor_post[team] == leaders[0], f"team {team} leader mismatch"
    sizes = sorted(np.bincount(est.post_team[est.post_role == names.index("worker")]).tolist())
    assert sizes == [3, 3, 4], f"10 workers dealt round 3 teams give sizes {sizes}"
    assert np.all(est.post_team[est.post_role == names.index("lead")] == -1), "lead in a team"


def test_common_random_numbers_same_staff_flows_across_strategies():
    data = roles_data(
        {
            "supervisor": role(5, turnover=0.3, hiring_delay_months=2.0),
            "worker": role(30, team=True, turnover=0.3, hiring_delay_months=3.0),
        },
        supervisor="supervisor",
        horizon=36,
        workforce={"agency_cover": 0.5},
    )
    nothing = scen(data)
    busy = scen(
        data,
        programme__phases=one_phase(D(2020, 1), D(2021, 6, 30), ["foundation", "mentoring"]),
        programme__foundation__cohorts=4,
        programme__foundation__cohort_size=10,
        champions__target=3,
        practice__uptake=0.6,
    )
    rep_a, res_a = run(nothing, seed=7)
    rep_b, res_b = run(busy, seed=7)
    for field in ("post", "start", "end", "is_agency"):
        a, b = getattr(rep_a.plan, field), getattr(rep_b.plan, field)
        assert np.array_equal(a, b), f"staffing plan field {field} differs across strategies"
    for name in ("headcount", "vacancies", "agency", "starters", "leavers"):
        assert np.array_equal(col(res_a, name), col(res_b, name)), f"{name} differs"
    assert not np.array_equal(col(res_a, "trained"), col(res_b, "trained")), "strategies equal"


# Merge the joiners in, sort the lot, or (a small plan) read the whole mask afresh.
@pytest.mark.parametrize(("sort_below", "scan_up_to"), [(0, 0), (2000, 0), (2000, 10**9)])
def test_people_in_post_kept_from_starts_and_ends_match_the_plan(
    sort_below, scan_up_to, monkeypatch
):
    """The set of people in post, moved forward day by day from the plan's start and end
    days (and back, which rebuilds it), is exactly the plan's: the same people, in
    increasing order, with the same mask.
    """
    from sim.model import workforce
    from sim.model.streams import Streams
    from sim.model.workforce import PeopleInPost, build_establishment, plan_staffing

    monkeypatch.setattr(workforce, "_SORT_BELOW", sort_below)
    monkeypatch.setattr(workforce, "_SCAN_UP_TO", scan_up_to)

    scenario = _flow_scenario(0.7)
    establishment = build_establishment(scenario.workforce)
    plan = plan_staffing(scenario.workforce, establishment, 240 * 30.4375, Streams(9, 0))
    rng = np.random.default_rng(1)
    forward = np.sort(rng.uniform(0, 240 * 30.4375, 300))
    posts = PeopleInPost(plan, forward[::7])  # some days known in advance
    days = [0.0, 0.0, *forward, *plan.start[:20], 10.0, 5000.0]  # repeats, exact starts, back
    for i, day in enumerate(days):
        posts.move_to(day)
        expected = plan.in_post(day)
        assert np.array_equal(posts.mask, expected), f"day {day}: mask differs"
        if i % 3 == 0:  # the list is brought up to date only when read
            assert np.array_equal(posts.people, np.flatnonzero(expected)), f"day {day}: people"
