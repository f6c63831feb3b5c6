"""Champions: appointment across levels, meetings, supervision, dropout, replacement, the
group's survival, induction capacity against turnover, and workshops.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import one_phase
from mechkit import D, col, events, month_days, role, roles_data, run, scen

YEAR = 365.25


def _staff(posts: int = 100, turnover: float = 0.0, horizon: int = 24, **champions):
    """One role, everyone trained at the start and practising for a very long time."""
    data = roles_data({"worker": role(posts, turnover=turnover)}, horizon=horizon)
    data["workforce"]["initial_trained_fraction"] = 1.0
    data["practice"]["half_life_months"] = 1000.0
    data["champions"] = champions
    return data


def test_appointed_across_levels_roles_in_turn():
    # Roles in turn from the most senior: lead (2 posts), supervisor (10), worker (10).
    # 6 champions -> L S W L S W = (2, 2, 2); 9 -> then S W (leads used up), then S: (2, 4, 3).
    data = roles_data(
        {"lead": role(2), "supervisor": role(10), "worker": role(10, team=True)},
        supervisor="supervisor",
    )
    data["workforce"]["initial_trained_fraction"] = 1.0
    for target, expected in ((6, [2, 2, 2]), (9, [2, 4, 3])):
        rep, res = run(scen(data, champions__target=target))
        appointed = np.array([e.person for e in events(res, "champion_appointed")])
        got = [int((rep.role[appointed] == r).sum()) for r in range(3)]
        assert got == expected, f"target {target}: champions by role {got}, expected {expected}"
        assert col(res, "champions")[0] == target, f"champions {col(res, 'champions')}"


def test_champions_only_from_trained_practising_permanent_staff_and_not_before_appoint_from():
    # 40 posts, 20 vacant for good and covered by agency; a random cohort of 30 from the 40
    # in post (agency offered places) on day 0; half engage. Champions are wanted without
    # limit from 2020-03-01 (month 2): exactly the permanent, trained, engaged staff.
    data = roles_data(
        {"worker": role(40, initial_vacancies=20, hiring_delay_months=1e4)},
        horizon=6,
        workforce={"agency_cover": 1.0},
    )
    data["practice"].update(uptake=0.5, half_life_months=1000.0)
    data["programme"] = {
        "phases": one_phase(D(2020, 1), D(2020, 1, 31), ["foundation"]),
        "foundation": {
            "cohorts": 1,
            "cohort_size": 30,
            "allocation": "random",
            "offer_agency": True,
        },
    }
    data["champions"] = {"target": 1000, "appoint_from": D(2020, 3, 1)}
    rep, res = run(scen(data))
    champions = col(res, "champions")
    assert champions[0] == 0, f"champions before appoint_from {champions}"
    assert champions[1] == 0, f"champions before appoint_from {champions}"
    practice = rep.practice
    expected = np.flatnonzero(rep.permanent & practice.trained & practice.engaged)
    appointed = sorted({e.person for e in events(res, "champion_appointed")})
    assert appointed == expected.tolist(), f"appointed {appointed}, expected {expected}"
    assert {e.day for e in events(res, "champion_appointed")} == {60.0}, "appointed off day 60"
    agency_practising = rep.plan.is_agency & practice.trained & practice.engaged
    untrained_permanent = rep.permanent & ~practice.trained
    assert agency_practising.any(), "test needs both kinds"
    assert untrained_permanent.any(), "test needs both kinds"
    assert champions[2] == len(expected), f"champions at month 2 {champions[2]}"


def test_lapsed_staff_cannot_be_appointed():
    # Trained at the start with a 1-month half-life: by month 2 nobody practises.
    data = _staff(horizon=6, target=5, appoint_from=D(2020, 3, 1))
    data["practice"]["half_life_months"] = 1.0
    _, res = run(scen(data))
    assert col(res, "champions").max() == 0, f"champions {col(res, 'champions')}"


def test_meetings_keep_champions_practising():
    # Half-life 2 months: without support nobody practises after a year. Monthly meetings
    # restore the 6 champions to the full level, so exactly they still practise at month 23.
    data = _staff(posts=30, target=6, dropout_unsupported=0.0)
    data["practice"]["half_life_months"] = 2.0
    rep, res = run(scen(data))
    assert col(res, "practising")[23] == 6, f"practising at month 23 {col(res, 'practising')}"
    practising = rep.practice.practising(month_days(D(2020, 1), 24)[24])
    assert np.array_equal(practising, rep.is_champion), "practising != champions"
    # a group below its minimum size does not meet: nobody practises
    _, res = run(scen(data, champions__min_group_size=7))
    assert col(res, "practising")[23] == 0, f"practising {col(res, 'practising')}"
    assert not events(res, "champion_meeting"), "a group below min size met"


def test_external_supervision_follows_its_interval_inside_the_phase():
    # Phase April 2020 - March 2021 (months 3-14), supervision every 2 months from the phase's
    # first month: months 3, 5, 7, 9, 11, 13, one provider day each.
    data = _staff(posts=20, target=4, dropout_supported=0.0, dropout_unsupported=0.0)
    data["programme"] = {
        "phases": one_phase(D(2020, 4), D(2021, 3, 31), ["champion_supervision"]),
        "champion_supervision": {"interval_months": 2, "provider_days_per_session": 1.5},
    }
    _, res = run(scen(data))
    provider = col(res, "provider_days")
    expected = np.zeros(24)
    expected[[3, 5, 7, 9, 11, 13]] = 1.5
    assert np.array_equal(provider, expected), f"provider days {provider}"
    days = month_days(D(2020, 1), 24)
    got = sorted({e.day for e in events(res, "champion_supervision")})
    assert got == [days[m] for m in (3, 5, 7, 9, 11, 13)], f"supervision days {got}"


def test_unsupported_dropout_closed_form_and_supported_zero():
    # 50 champions, no turnover, no replacement. Unsupported, each steps down at 1.2 a year,
    # in their first month too (champions.py: "new ones included"): survivors at the end of
    # month 11 (day 366) ~ 50 exp(-1.2 · 366 / 365.25).
    data = _staff(target=50, dropout_supported=0.0, dropout_unsupported=1.2, horizon=12)
    counts = [col(run(scen(data), seed=5, rep=r)[1], "champions")[11] for r in range(20)]
    p = math.exp(-1.2 * 366 / YEAR)
    sd = math.sqrt(50 * p * (1 - p) / 20)
    assert abs(np.mean(counts) - 50 * p) < 4 * sd, f"mean survivors {np.mean(counts)}, {50 * p}"
    # supervised for the first 6 months with zero supported dropout: nobody leaves until the
    # phase ends, then the unsupported rate applies
    data["programme"] = {"phases": one_phase(D(2020, 1), D(2020, 6, 30), ["champion_supervision"])}
    _, res = run(scen(data), seed=5)
    champions = col(res, "champions")
    assert np.all(champions[:6] == 50), f"supported months {champions[:6]}"
    assert champions[11] < 50, f"no dropout once unsupported: {champions}"


def test_unsupported_group_loses_members_faster_on_common_random_numbers():
    data = _staff(turnover=0.2, target=20, horizon=36)  # default dropout 0.1 vs 0.3 a year
    supported = scen(
        data,
        programme__phases=one_phase(D(2020, 1), D(2022, 12, 31), ["champion_supervision"]),
    )
    unsupported = scen(data)
    means = {}
    for name, sc in (("supported", supported), ("unsupported", unsupported)):
        means[name] = np.mean(
            [col(run(sc, seed=11, rep=r)[1], "champions").mean() for r in range(8)]
        )
    assert means["supported"] > means["unsupported"], f"mean champions {means}"


def _after_top_up(res, days) -> list[int]:
    """Champions just after each month's replacement step, replayed from the trace.

    With no turnover the group changes only by appointments and step-downs, both logged on
    the month's first day; the largest count reached that day is the count once topped up
    (whether step-downs are logged before or after the appointments).
    """
    count, out = 0, []
    for start in days[:-1]:
        peak = count
        for e in res.trace:
            if e.day == start and e.kind in ("champion_appointed", "champion_stepped_down"):
                count += 1 if e.kind == "champion_appointed" else -1
                peak = max(peak, count)
        out.append(peak)
    return out


def test_replacement_at_once_keeps_the_target():
    # No turnover; champions step down at 3 a year. Topped up at once: every month starts
    # with the full 5, and the month-end count is 5 less that month's step-downs.
    data = _staff(posts=50, target=5, dropout_unsupported=3.0, replacement="at_once")
    _, res = run(scen(data))
    days = month_days(D(2020, 1), 24)
    topped = _after_top_up(res, days)
    assert topped == [5] * 24, f"champions after each month's top-up {topped}"
    assert len(events(res, "champion_stepped_down")) > 5, "test needs champions to step down"
    assert np.all(col(res, "champions") <= 5), f"champions {col(res, 'champions')}"
    _, res = run(scen(data, champions__replacement="none"))
    champions = col(res, "champions")
    assert np.all(np.diff(champions) <= 0), f"no replacement {champions}"
    assert champions[-1] < 5, f"no replacement {champions}"
    appointed = {e.day for e in events(res, "champion_appointed")}
    assert appointed == {0.0}, f"'none' appointed on days {appointed}"


def test_replacement_yearly_tops_up_on_anniversaries():
    # Appointed from March 2020 (month 2): topped up at months 14, 26, 38 and never between.
    data = _staff(posts=50, target=8, dropout_unsupported=2.0, replacement="yearly", horizon=40)
    data["champions"]["appoint_from"] = D(2020, 3, 1)
    _, res = run(scen(data))
    champions = col(res, "champions")
    days = month_days(D(2020, 1), 40)
    assert champions[0] == 0, f"before appointment {champions[:2]}"
    assert champions[1] == 0, f"before appointment {champions[:2]}"
    appointed = sorted({e.day for e in events(res, "champion_appointed")})
    anniversaries = [days[m] for m in (2, 14, 26, 38)]
    assert appointed == anniversaries, f"appointments on days {appointed}, not {anniversaries}"
    topped = _after_top_up(res, days)
    for m in (2, 14, 26, 38):
        assert topped[m] == 8, f"month {m}: {topped[m]} champions after the top-up"
    rises = (np.flatnonzero(np.diff(champions) > 0) + 1).tolist()
    assert set(rises) <= {2, 14, 26, 38}, f"champion count rose in months {rises}"


def test_group_dies_below_min_group_size():
    data = _staff(posts=20, target=4, min_group_size=3, dropout_unsupported=6.0)
    _, res = run(scen(data))
    champions = col(res, "champions")
    assert res.summary["champions_alive_horizon"] == 0.0, f"alive; champions {champions}"
    # meetings only in months that began with at least 3 champions; none after it fell below
    days = month_days(D(2020, 1), 24)
    below = int(np.argmax(champions < 3))
    meetings = sorted({e.day for e in events(res, "champion_meeting")})
    assert meetings, f"meetings {meetings}, below from {below}"
    assert max(meetings) <= days[below], f"meetings {meetings}, below from {below}"
    data = _staff(posts=20, target=4, min_group_size=3, dropout_unsupported=0.0)
    _, res = run(scen(data))
    assert res.summary["champions_alive_horizon"] == 1.0, f"champions {col(res, 'champions')}"


def _induction(places: float, horizon: int = 120):
    # 200 workers leaving at 0.6 a year, refilled at once: 10 new starters a month. Five
    # champions (replaced at once) each induct `places` a month.
    data = _staff(
        posts=200,
        turnover=0.6,
        horizon=horizon,
        target=5,
        replacement="at_once",
        dropout_unsupported=0.0,
        induction_places_per_champion_per_month=places,
    )
    return scen(data)


def test_induction_capacity_inducts_new_starters():
    _, res = run(_induction(3.0, horizon=36))
    assert col(res, "inducted").max() > 0, f"inducted {col(res, 'inducted')}"
    # 15 places a month for ~10 arrivals: a starter waits until the next month's start,
    # on average about half a month
    wait = res.summary["mean_wait_offered_months"]
    assert 0.35 < wait < 0.7, f"mean wait {wait}"
    # nobody waits past the next month start: all offered within 3 months, median under one
    within = res.summary["new_starters_offered_within_3_months"]
    assert within == 1.0, f"offered within 3 months {within}"
    median = res.summary["median_wait_new_starters_months"]
    assert 0.0 < median <= 1.0, f"median wait {median}"
    # everyone untrained is a new starter waiting for an induction place (the group lives)
    untrained = col(res, "headcount") - col(res, "trained")
    assert np.array_equal(col(res, "waiting"), untrained), f"waiting {col(res, 'waiting')}"
    _, res = run(_induction(0.0, horizon=36))
    assert col(res, "inducted").max() == 0, f"inducted without places {col(res, 'inducted')}"
    # no induction and no cohort: no route is open, so nobody counts as waiting
    assert col(res, "coverage")[-1] < 0.5, f"coverage {col(res, 'coverage')}"
    assert col(res, "waiting").max() == 0, f"waiting with no route {col(res, 'waiting')}"
    assert math.isnan(res.summary["mean_wait_offered_months"]), res.summary
    assert res.summary["new_starters_offered_place"] == 0, res.summary
    # those never offered are counted, not left out: all of them, and no median wait
    assert res.summary["new_starters_never_offered"] == 1.0, res.summary
    assert res.summary["new_starters_offered_within_12_months"] == 0.0, res.summary
    assert math.isnan(res.summary["median_wait_new_starters_months"]), res.summary


def test_induction_fractional_places_carry_over():
    # 60 posts filled within hours of the start (new starters), 40 trained staff. From
    # February, 5 champions x 0.5 = 2.5 places a month: inducted by the end of month m is
    # floor(2.5 m) while the queue lasts.
    data = _staff(
        posts=100,
        horizon=12,
        target=5,
        dropout_unsupported=0.0,
        appoint_from=D(2020, 2, 1),
        induction_places_per_champion_per_month=0.5,
    )
    data["workforce"]["roles"]["worker"].update(initial_vacancies=60, hiring_delay_months=0.01)
    _, res = run(scen(data))
    expected = [0] + [math.floor(2.5 * m) for m in range(1, 12)]
    assert col(res, "inducted").astype(int).tolist() == expected, f"{col(res, 'inducted')}"


def test_induction_capacity_against_turnover_is_the_threshold():
    # Trained staff T: inflow c inductions a month, outflow T·0.05 leavers a month.
    # c = 5 < 10 arrivals: T settles where c = leavers, at the month end T = 5 e^-0.05 /
    # (1 - e^-0.05) = 97.5 of 200 -> coverage 0.49. c = 15 > 10: everyone is inducted in
    # the month after arriving; only that month's arrivals (~10) are untrained -> ~0.95.
    settled = {}
    for places in (0.0, 1.0, 3.0):
        settled[places] = np.mean(
            [
                col(run(_induction(places), seed=2, rep=r)[1], "coverage")[80:].mean()
                for r in range(6)
            ]
        )
    q = math.exp(-0.05)
    assert abs(settled[1.0] - 5 * q / (1 - q) / 200) < 0.06, f"c=5: {settled[1.0]:.3f}"
    assert settled[3.0] > 0.9, f"c=15: {settled[3.0]:.3f}"
    assert settled[0.0] < 0.02, f"c=0: {settled[0.0]:.3f}"


def test_coverage_at_horizon_rises_with_induction_places_on_crn():
    horizon_cov = []
    for places in (0.0, 0.5, 1.0, 2.0):  # capacity 0, 2.5, 5, 10 a month; inflow 10
        horizon_cov.append(
            np.mean(
                [
                    run(_induction(places, horizon=60), seed=4, rep=r)[1].summary[
                        "coverage_horizon"
                    ]
                    for r in range(3)
                ]
            )
        )
    assert all(b > a for a, b in zip(horizon_cov, horizon_cov[1:], strict=False)), (
        f"coverage at horizon by places: {horizon_cov}"
    )


def test_induction_level_below_threshold_trains_without_practice():
    data = _staff(
        posts=200,
        turnover=0.6,
        horizon=12,
        target=5,
        replacement="at_once",
        dropout_unsupported=0.0,
        induction_places_per_champion_per_month=5.0,
        induction_level=0.4,
    )
    rep, res = run(scen(data))
    inducted = rep.practice.inducted
    assert inducted.sum() > 20, f"inducted {inducted.sum()}"
    assert not rep.practice.practising(month_days(D(2020, 1), 12)[12])[inducted].any(), (
        "an inducted starter at level 0.4 practises with θ = 0.5"
    )


@pytest.mark.parametrize(("per_year", "months"), [(4, [2, 5, 8, 11]), (12, list(range(12)))])
def test_workshops_schedule_and_training_days(per_year, months):
    # workshops spread evenly: floor((s+1)·n/12) - floor(s·n/12) in month s; 5 places each,
    # 0.5 staff days per attendee -> 2.5 training days in a workshop month.
    data = _staff(
        posts=20,
        horizon=12,
        target=2,
        dropout_unsupported=0.0,
        workshops_per_year=per_year,
        workshop_places=5,
        workshop_days=0.5,
    )
    _, res = run(scen(data))
    days = col(res, "training_days")
    expected = np.zeros(12)
    expected[months] = 2.5
    assert np.array_equal(days, expected), f"training days {days}"


def test_workshops_reinforce_attendees():
    # Half-life 2 months; monthly workshops with a place for everyone keep all 20 practising;
    # without workshops only the 2 champions (who meet) do.
    data = _staff(
        posts=20, target=2, dropout_unsupported=0.0, workshops_per_year=12, workshop_places=100
    )
    data["practice"]["half_life_months"] = 2.0
    _, res = run(scen(data))
    assert col(res, "practising")[23] == 20, f"with workshops {col(res, 'practising')}"
    _, res = run(scen(data, champions__workshops_per_year=0))
    assert col(res, "practising")[23] == 2, f"without workshops {col(res, 'practising')}"


def test_no_champion_is_appointed_before_appoint_from_mid_month():
    # Champions are "appointed from a date": with appoint_from 2020-03-15 (day 74) nobody
    # may be a champion before that day (the monthly step on 1 March, day 60, is too early).
    data = _staff(posts=20, horizon=6, target=4, appoint_from=D(2020, 3, 15))
    _, res = run(scen(data))
    days = sorted({e.day for e in events(res, "champion_appointed")})
    assert days, "nobody was appointed"
    assert min(days) >= 74, f"champions appointed on days {days}, before appoint_from (day 74)"


def test_champion_roles_restrict_who_is_appointed():
    data = roles_data(
        {"lead": role(2), "supervisor": role(10), "worker": role(10, team=True)},
        supervisor="supervisor",
    )
    data["workforce"]["initial_trained_fraction"] = 1.0
    rep, res = run(scen(data, champions__target=6, champions__roles=["worker"]))
    appointed = [e.person for e in events(res, "champion_appointed")]
    roles = [rep.establishment.role_names[rep.role[p]] for p in appointed]
    assert roles == ["worker"] * 6, f"appointed champions' roles {roles}"


def test_meeting_interval():
    # meetings every 3 months from the appointment month (month 1 here): months 1, 4, 7, 10
    data = _staff(
        posts=20,
        horizon=12,
        target=3,
        dropout_unsupported=0.0,
        meeting_interval_months=3,
        appoint_from=D(2020, 2, 1),
    )
    _, res = run(scen(data))
    days = month_days(D(2020, 1), 12)
    got = sorted({e.day for e in events(res, "champion_meeting")})
    assert got == [days[m] for m in (1, 4, 7, 10)], f"meeting days {got}"
