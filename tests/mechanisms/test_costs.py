"""Costs: provider days at the day rate, staff days in training and in every other
activity by role (mentoring, group supervision, groups, champion meetings and work).
"""

from __future__ import annotations

import numpy as np
from conftest import base_data, one_phase
from mechkit import D, col, run, scen


def _costed():
    data = base_data()
    data["scenario"]["horizon_months"] = 6
    data["workforce"]["roles"]["supervisor"]["day_cost"] = 300.0
    data["workforce"]["roles"]["worker"]["day_cost"] = 200.0
    data["programme"] = {
        "phases": one_phase(D(2020, 1), D(2020, 6, 30), ["foundation", "mentoring", "leaders"]),
        "foundation": {
            "cohorts": 1,
            "cohort_size": 5,
            "sessions": [{"after_months": 0, "days": 1}, {"after_months": 1, "days": 2}],
            "trainers_per_session": 2,
        },
        "mentoring": {
            "months": 2,
            "supported_months": 3,
            "provider_days_per_session": 1.0,
            "provider_days_per_supported_team_month": 0.5,
        },
        "groups": {
            "leaders": {
                "roles": ["supervisor"],
                "interval_months": 3,
                "provider_days_per_session": 2,
            }
        },
    }
    data["champions"] = {
        "target": 2,
        "appoint_from": D(2020, 3, 1),
        "dropout_supported": 0.0,
        "dropout_unsupported": 0.0,
        "days_per_month": 1.0,
    }
    data["costs"] = {"provider_day_rate": 1000.0}
    return scen(data)


def test_total_cost_by_hand():
    # Foundation: all 5 trained by day 30.4 (month 0). Provider days: 1 + 2 training days
    # x 2 trainers = 6. Staff training days 5 x 3 = 15: supervisor 3 x 300 + workers
    # 12 x 200 = 3,300.
    # Mentoring: the supervisor is trained in month 0, so grouped in month 1; sessions in
    # months 1 and 2 (1 day each), supported until month 3, which costs 0.5: 2.5 days.
    # Leaders' group every 3 months from month 0: months 0 and 3, 2 days each: 4 days.
    # Champions from month 2: supervisor then a worker (roles in turn), 1 day a month each
    # for months 2-5: 4 x (300 + 200) = 2,000.
    # Staff time in the other activities (default days per session, each person's rate):
    # mentoring 0.5 day for the supervisor in months 1-2: 2 x 150 = 300; group supervision,
    # run by the mentored supervisor in months 1-5, 0.25 day for the 4 workers and the
    # supervisor: 5 x (4 x 50 + 75) = 1,375; the leaders' group 0.25 day for the supervisor in
    # months 0 and 3: 150; champion meetings 0.25 day for both champions in months 2-5:
    # 4 x 125 = 500. Activity days, champion work included: 1 + 6.25 + 0.5 + 2 + 8 = 17.75.
    # Total: (6 + 2.5 + 4) x 1,000 + 3,300 + 2,000 + 300 + 1,375 + 150 + 500 = 20,125.
    _, res = run(_costed())
    s = res.summary
    assert s["total_provider_days"] == 12.5, f"provider days {s['total_provider_days']}"
    assert s["total_training_days"] == 15, f"training days {s['total_training_days']}"
    assert s["total_activity_days"] == 17.75, f"activity days {s['total_activity_days']}"
    assert s["total_cost"] == 20_125, f"total cost {s['total_cost']}"
    assert col(res, "provider_days").tolist() == [8, 1, 1, 2.5, 0, 0], (
        f"provider days by month {col(res, 'provider_days')}"
    )
    assert col(res, "activity_days").tolist() == [0.25, 1.75, 4.25, 4.0, 3.75, 3.75], (
        f"activity days by month {col(res, 'activity_days')}"
    )
    assert col(res, "cost").tolist() == [11_375, 1_425, 2_050, 3_475, 900, 900], (
        f"cost by month {col(res, 'cost')}"
    )
    # everyone practises in every month (half-life 12 months, trained in month 0): 30
    # practising person-months
    assert col(res, "practising").sum() == 30, f"practising {col(res, 'practising')}"
    assert np.isclose(s["cost_per_practising_month"], 20_125 / 30), s["cost_per_practising_month"]


def test_each_price_scales_its_own_part():
    base = run(_costed())[1].summary["total_cost"]
    dearer_provider = run(scen(_costed().model_dump(), costs__provider_day_rate=2000.0))[1]
    assert dearer_provider.summary["total_cost"] - base == 12_500, (
        f"+1,000 a provider day adds {dearer_provider.summary['total_cost'] - base}"
    )
    more_champion_time = run(scen(_costed().model_dump(), champions__days_per_month=2.0))[1]
    assert more_champion_time.summary["total_cost"] - base == 2_000, (
        f"a second champion day a month adds {more_champion_time.summary['total_cost'] - base}"
    )


def test_groups_nobody_attends_and_undersized_champion_groups_cost_nothing():
    """A provider group whose roles have nobody in post does not meet (no provider days); a
    champion group below its minimum size is not supervised (no provider days either).
    """
    data = base_data()
    data["scenario"]["horizon_months"] = 4
    data["workforce"]["roles"]["supervisor"]["initial_vacancies"] = 1
    data["workforce"]["roles"]["supervisor"]["hiring_delay_months"] = 1000.0
    data["programme"] = {
        "phases": one_phase(D(2020, 1), D(2020, 4, 30), ["leaders", "champion_supervision"]),
        "groups": {"leaders": {"roles": ["supervisor"], "interval_months": 1}},
    }
    data["workforce"]["initial_trained_fraction"] = 1.0
    data["champions"] = {"target": 1, "min_group_size": 2, "dropout_supported": 0.0}
    data["costs"] = {"provider_day_rate": 1000.0}
    rep, res = run(scen(data))
    assert not rep.in_post(0.0)[rep.is_supervisor].any(), "the supervisor post should be vacant"
    assert col(res, "provider_days").sum() == 0, f"provider days {col(res, 'provider_days')}"
    assert col(res, "champions").max() == 1, f"champions {col(res, 'champions')}"
