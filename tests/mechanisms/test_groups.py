"""Provider-run groups (team managers, senior leaders): reinforcement and provider days."""

from __future__ import annotations

import numpy as np
from conftest import one_phase
from mechkit import D, col, events, month_days, role, roles_data, run, scen


def _managers(supplies: list[str]):
    roles = {"manager": role(3), "supervisor": role(1), "worker": role(4, team=True)}
    data = roles_data(roles, supervisor="supervisor", horizon=24)
    data["workforce"]["initial_trained_fraction"] = 1.0
    data["practice"]["half_life_months"] = 2.0
    data["programme"] = {
        # March - December 2020: months 2-11
        "phases": one_phase(D(2020, 3), D(2020, 12, 31), supplies),
        "groups": {
            "managers": {
                "roles": ["manager"],
                "interval_months": 2,
                "provider_days_per_session": 1.5,
            }
        },
    }
    data["costs"] = {"provider_day_rate": 100.0}
    return scen(data)


def test_group_meets_at_its_interval_from_the_phase_start_and_costs_provider_days():
    # every 2 months from month 2: months 2, 4, 6, 8, 10 -> 1.5 provider days (GBP 150) each
    rep, res = run(_managers(["managers"]))
    expected = np.zeros(24)
    expected[[2, 4, 6, 8, 10]] = 1.5
    assert np.array_equal(col(res, "provider_days"), expected), f"{col(res, 'provider_days')}"
    assert np.array_equal(col(res, "cost"), expected * 100), f"cost {col(res, 'cost')}"
    days = month_days(D(2020, 1), 24)
    sessions = events(res, "group_session")
    assert sorted({e.day for e in sessions}) == [days[m] for m in (2, 4, 6, 8, 10)], sessions
    managers = set(np.flatnonzero(rep.role == 0).tolist())
    assert {e.person for e in sessions} == managers, f"group members {sessions}"


def test_group_reinforces_its_roles_members_only():
    # Half-life 2 months. At the end of October (31 days after the month-10 session) the
    # 3 managers practise (level 0.5^(31/60.9) = 0.70); the others lapsed long ago.
    rep, res = run(_managers(["managers"]))
    assert col(res, "practising")[10] == 3, f"practising {col(res, 'practising')}"
    end = month_days(D(2020, 1), 24)[11]
    assert np.array_equal(rep.practice.practising(end), rep.role == 0), "not just the managers"
    _, res = run(_managers([]))  # a phase that does not supply the group
    assert col(res, "practising")[10] == 0, f"practising {col(res, 'practising')}"
    assert col(res, "provider_days").sum() == 0, f"provider days {col(res, 'provider_days')}"
