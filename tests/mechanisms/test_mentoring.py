"""Live mentoring of supervisors, supported supervision, and the teams' group supervision."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import base_data, one_phase
from mechkit import D, col, events, month_days, role, roles_data, run, scen


def _tiny(trained: float = 1.0, **changes):
    data = base_data()
    data["workforce"]["initial_trained_fraction"] = trained
    data["practice"]["half_life_months"] = 3.0
    return scen(data, **changes)


def test_group_supervision_keeps_the_team_practising_beyond_the_half_life():
    # Mentoring and supported supervision for the whole 24 months: the supervisor is
    # reinforced monthly, so practises, so the team has monthly group supervision and the
    # members stay above θ = 0.5 long after one half-life (3 months).
    supported = _tiny(
        programme__phases=one_phase(D(2020, 1), D(2021, 12, 31), ["mentoring"]),
        programme__mentoring__supported_months=24,
    )
    rep, res = run(supported)
    assert col(res, "practising")[23] == 5, f"practising at month 23: {col(res, 'practising')}"
    assert np.all(col(res, "teams_supervising") == 1), f"{col(res, 'teams_supervising')}"
    sessions = events(res, "group_supervision")
    assert len(sessions) == 24 * 4, f"group supervision member-sessions {len(sessions)}"
    # without it: level 0.5^(24/3) at month 23, nobody practises and no team supervises
    _, res = run(_tiny())
    assert col(res, "practising")[23] == 0, f"practising without support {col(res, 'practising')}"
    assert col(res, "teams_supervising").max() == 0, f"{col(res, 'teams_supervising')}"


def test_team_loses_group_supervision_when_supervisor_stops():
    # Support for 6 months only, no self-reinforcement: the supervisor was last reinforced at
    # the start of month 5 (day 152) and falls to θ one half-life later, day 152 + 91.3 =
    # 243.3, inside month 7 (days 213-244). So the team supervises at rows 0-6 (row 7 is
    # taken at day 244), the last group supervision is at the start of month 7 (day 213),
    # and the members lapse 3 months after it.
    sc = _tiny(
        programme__phases=one_phase(D(2020, 1), D(2021, 12, 31), ["mentoring"]),
        programme__mentoring__months=6,
        programme__mentoring__supported_months=6,
    )
    _, res = run(sc)
    teams = col(res, "teams_supervising")
    assert np.all(teams[:7] == 1), f"teams_supervising {teams}"
    assert np.all(teams[7:] == 0), f"teams_supervising {teams}"
    last = max(e.day for e in events(res, "group_supervision"))
    assert last == month_days(D(2020, 1), 9)[7], f"last group supervision day {last}"
    assert col(res, "practising")[-1] == 0, f"practising at horizon {col(res, 'practising')}"


def _supervisor_reinforcement(boost: float):
    # Mentoring in January 2020 only (1 session, supported 1 month), then the supervisor is
    # kept going by nothing but running the team's monthly group supervision.
    return _tiny(
        programme__phases=one_phase(D(2020, 1), D(2020, 1, 31), ["mentoring"]),
        programme__mentoring__months=1,
        programme__mentoring__supported_months=1,
        programme__group_supervision__supervisor_reinforcement=boost,
        scenario__horizon_months=36,
    )


@pytest.mark.parametrize(
    ("boost", "keeps"),
    [
        # d = 0.5^(1/3) = 0.794 per month; after a session the supervisor converges to
        # L+ = b / (1 - d (1 - b)); a session needs the supervisor practising at its start,
        # when the level is d·L+.
        (0.5, True),  # L+ = 0.829, d·L+ = 0.658 > 0.5: keeps going
        (0.1, False),  # L+ = 0.350 < 0.5: stops
        (0.2, False),  # L+ = 0.548 > 0.5 but d·L+ = 0.435 < 0.5 at the next session: stops
    ],
)
def test_supervisor_reinforcement_closed_form(boost, keeps):
    d = 0.5 ** (1 / 3)
    post = boost / (1 - d * (1 - boost))
    assert (d * post > 0.5) == keeps  # the derivation above
    rep, res = run(_supervisor_reinforcement(boost))
    teams = col(res, "teams_supervising")
    if keeps:
        assert np.all(teams == 1), f"b={boost}: teams_supervising {teams}"
        assert col(res, "practising")[-1] == 5, f"practising {col(res, 'practising')}"
        # the level just after the last session (day of month 35's start) is close to L+
        day = month_days(D(2020, 1), 36)[35]
        level = rep.practice.level(day, np.flatnonzero(rep.is_supervisor))[0]
        assert abs(level - post) < 0.02, f"supervisor level after a session {level:.3f}"
    else:
        assert teams[-1] == 0, f"b={boost}: teams_supervising {teams}"
        assert teams.sum() < 12, f"b={boost}: teams_supervising {teams}"
        assert col(res, "practising")[-1] == 0, f"practising {col(res, 'practising')}"


def test_supervisors_must_be_trained_to_be_mentored():
    sc = _tiny(trained=0.0, programme__phases=one_phase(D(2020, 1), D(2021, 12, 31), ["mentoring"]))
    rep, res = run(sc)
    assert not rep.mentored.any(), "an untrained supervisor was mentored"
    assert not events(res, "mentored"), f"mentored events {events(res, 'mentored')}"
    assert col(res, "teams_supervising").max() == 0, f"{col(res, 'teams_supervising')}"
    assert col(res, "provider_days").sum() == 0, f"provider days {col(res, 'provider_days')}"


def test_teams_supervising_counts_mentored_practising_supervisors():
    # 4 teams; a senior_first cohort of 2 trains exactly 2 supervisors (the most senior
    # role), who are mentored and supported throughout: 2 teams supervising, not 4.
    data = roles_data(
        {"supervisor": role(4), "worker": role(16, team=True)}, supervisor="supervisor"
    )
    data["programme"] = {
        "phases": one_phase(D(2020, 1), D(2021, 12, 31), ["foundation", "mentoring"]),
        "foundation": {"cohorts": 1, "cohort_size": 2, "allocation": "senior_first"},
        "mentoring": {"supported_months": 24},
    }
    rep, res = run(scen(data))
    teams = col(res, "teams_supervising")
    assert np.all(teams[1:] == 2), f"teams_supervising {teams}"
    assert rep.mentored.sum() == 2, f"mentored {rep.mentored.sum()}"
    assert np.array_equal(rep.mentored, rep.practice.trained), "mentored != trained"


def test_new_supervisor_is_not_mentored_so_the_team_loses_group_supervision():
    # Supervisors turn over fast; only the original supervisors are trained (at the start)
    # and mentored (month 0). A half-life of 120 months keeps the originals practising, so
    # a team supervises exactly while its original supervisor is still in post.
    data = roles_data(
        {"supervisor": role(10, turnover=1.5), "worker": role(30, team=True)},
        supervisor="supervisor",
        horizon=30,
    )
    data["workforce"]["initial_trained_fraction"] = 1.0
    data["practice"]["half_life_months"] = 120.0
    data["programme"] = {
        "phases": one_phase(D(2020, 1), D(2020, 1, 31), ["mentoring"]),
        "mentoring": {"months": 1, "supported_months": 1, "group_size": 10},
    }
    rep, res = run(scen(data))
    plan = rep.plan
    originals = rep.is_supervisor & plan.is_initial
    ends = month_days(D(2020, 1), 30)[1:]
    expected = [int((originals & (plan.end > day)).sum()) for day in ends]
    got = col(res, "teams_supervising").astype(int).tolist()
    assert got == expected, f"teams_supervising {got}, expected {expected}"
    assert expected[-1] < expected[0], "test needs supervisors to leave"


def test_group_size_and_max_groups():
    # 10 trained supervisors, groups of 3, at most 2 at once, 2 months each:
    # month 0 two groups (6 mentored); month 2 the last 4 as groups of 3 and 1.
    data = roles_data(
        {"supervisor": role(10), "worker": role(10, team=True)}, supervisor="supervisor"
    )
    data["workforce"]["initial_trained_fraction"] = 1.0
    data["programme"] = {
        "phases": one_phase(D(2020, 1), D(2021, 12, 31), ["mentoring"]),
        "mentoring": {"group_size": 3, "max_groups": 2, "months": 2, "supported_months": 2},
    }
    rep, res = run(scen(data))
    days = month_days(D(2020, 1), 24)
    by_day: dict[float, int] = {}
    for e in events(res, "mentored"):
        by_day[e.day] = by_day.get(e.day, 0) + 1
    assert by_day == {days[0]: 6, days[2]: 4}, f"mentored per day {by_day}"
    sizes = sorted(len(g.members) for g in rep.mentoring.groups)
    assert sizes == [1, 3, 3, 3], f"group sizes {sizes}"
    for month in range(24):
        running = sum(g.first_month <= month <= g.last_month for g in rep.mentoring.groups)
        assert running <= 2, f"{running} groups running in month {month}"
    # one provider day per group session: 2 groups in each of months 0-3, none after
    provider = col(res, "provider_days")
    assert provider.tolist() == [2, 2, 2, 2] + [0] * 20, f"provider days {provider}"


def test_group_supervision_interval():
    # every 2 months from month 0 while the (supported) supervisor practises
    sc = _tiny(
        programme__phases=one_phase(D(2020, 1), D(2021, 12, 31), ["mentoring"]),
        programme__mentoring__supported_months=24,
        programme__group_supervision__interval_months=2,
    )
    _, res = run(sc)
    days = month_days(D(2020, 1), 24)
    got = sorted({e.day for e in events(res, "group_supervision")})
    assert got == [days[m] for m in range(0, 24, 2)], f"group supervision days {got}"
