"""Costs: provider days at the day rate, staff training days by role, champion time."""

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
    # Total: (6 + 2.5 + 4) x 1,000 + 3,300 + 2,000 = 17,800.
    _, res = run(_costed())
    s = res.summary
    assert s["total_provider_days"] == 12.5, f"provider days {s['total_provider_days']}"
    assert s["total_training_days"] == 15, f"training days {s['total_training_days']}"
    assert s["total_cost"] == 17_800, f"total cost {s['total_cost']}"
    assert col(res, "provider_days").tolist() == [8, 1, 1, 2.5, 0, 0], (
        f"provider days by month {col(res, 'provider_days')}"
    )
    assert col(res, "cost").tolist() == [11_300, 1_000, 1_500, 3_000, 500, 500], (
        f"cost by month {col(res, 'cost')}"
    )
    # everyone practises in every month (half-life 12 months, trained in month 0): 30
    # practising person-months
    assert col(res, "practising").sum() == 30, f"practising {col(res, 'practising')}"
    assert np.isclose(s["cost_per_practising_month"], 17_800 / 30), s["cost_per_practising_month"]


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
