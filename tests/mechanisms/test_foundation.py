"""Foundation cohorts: attendance and completion, trainer capacity, who is offered places,
the allocation policies, and the waiting list.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import base_data, one_phase
from mechkit import DAYS_PER_MONTH, D, col, events, role, roles_data, run, scen

SESSIONS_122 = [
    {"after_months": 0, "days": 1},
    {"after_months": 0.5, "days": 2},
    {"after_months": 3, "days": 2},
]


def _attendance(attendance: float, min_days: float | None):
    data = roles_data({"worker": role(1000)}, horizon=6)
    foundation = {
        "cohorts": 1,
        "cohort_size": 2000,
        "attendance": attendance,
        "sessions": SESSIONS_122,
    }
    if min_days is not None:
        foundation["min_days_to_complete"] = min_days
    data["programme"] = {
        "phases": one_phase(D(2020, 1), D(2020, 12, 31), ["foundation"]),
        "foundation": foundation,
    }
    return scen(data)


@pytest.mark.parametrize(
    ("min_days", "expected"),
    [
        # all 5 days: attend all three sessions, p³
        (None, 0.8**3),
        # at least 3 days (1 + 2 + 2): both 2-day sessions (p²), or exactly one of them and
        # the 1-day session (2 p (1-p) p)
        (3.0, 0.8**2 + 2 * 0.8 * 0.2 * 0.8),
    ],
)
def test_attendance_and_min_days_set_the_completion_share(min_days, expected):
    _, res = run(_attendance(0.8, min_days))
    share = col(res, "trained")[-1] / 1000
    sd = math.sqrt(expected * (1 - expected) / 1000)
    assert abs(share - expected) < 4 * sd, f"completion {share:.3f}, expected {expected:.3f}"
    # staff days in training: 1000 places x 5 days offered x attendance 0.8 = 4000
    days = res.summary["total_training_days"]
    assert abs(days - 4000) < 4 * math.sqrt(1000 * 0.16 * 9), f"training days {days}"


def test_full_attendance_completes_everyone():
    _, res = run(_attendance(1.0, None))
    assert col(res, "trained")[-1] == 1000, f"trained {col(res, 'trained')[-1]}"
    assert res.summary["total_training_days"] == 5000, res.summary["total_training_days"]


@pytest.mark.parametrize(
    ("limit", "expected_months"),
    [(None, [0, 0, 0]), (1, [0, 2, 4]), (2, [0, 0, 2])],
)
def test_max_concurrent_cohorts_delays_later_cohorts(limit, expected_months):
    # Three cohorts all due on day 0 (interval 0), each lasting 2 months (sessions at 0 and
    # 2 months). With room for `limit` at once, a cohort starts when one finishes.
    data = roles_data({"worker": role(100)}, horizon=12)
    foundation = {
        "cohorts": 3,
        "cohort_size": 10,
        "interval_months": 0,
        "sessions": [{"after_months": 0, "days": 1}, {"after_months": 2, "days": 1}],
    }
    if limit is not None:
        foundation["max_concurrent_cohorts"] = limit
    data["programme"] = {
        "phases": one_phase(D(2020, 1), D(2020, 12, 31), ["foundation"]),
        "foundation": foundation,
    }
    _, res = run(scen(data))
    starts = sorted(e.day for e in events(res, "cohort_start"))
    expected = [m * DAYS_PER_MONTH for m in expected_months]
    assert np.allclose(starts, expected), f"cohort starts {starts}, expected {expected}"
    assert col(res, "trained")[-1] == 30, f"trained {col(res, 'trained')[-1]}"


def _new_starters(offer: bool):
    # Programme starts in month 6; staff who joined in months 0-5 are not "new starters".
    data = roles_data({"worker": role(200, turnover=0.6)}, horizon=36)
    data["programme"] = {
        "phases": one_phase(D(2020, 7), D(2022, 12, 31), ["foundation"]),
        "foundation": {
            "cohorts": 10,
            "cohort_size": 30,
            "interval_months": 3,
            "offer_new_starters": offer,
        },
    }
    return scen(data)


def test_new_starters_get_places_only_when_offered():
    rep, res = run(_new_starters(False))
    programme_start = 182.0  # 2020-07-01
    joined = rep.permanent & ~rep.plan.is_initial
    new = joined & (rep.plan.start > programme_start)
    before = joined & (rep.plan.start <= programme_start)
    trained = rep.practice.trained
    assert new.sum() > 100, f"new {new.sum()}, before {before.sum()}"
    assert before.sum() > 20, f"new {new.sum()}, before {before.sum()}"
    assert trained[new].sum() == 0, f"{trained[new].sum()} new starters trained without offer"
    assert trained[before].sum() > 0, "staff who joined before the programme should be eligible"
    assert res.summary["new_starters_offered_place"] == 0, res.summary

    rep, res = run(_new_starters(True))
    new = rep.permanent & (rep.plan.start > programme_start)
    assert rep.practice.trained[new].sum() > 0, "no new starter trained with offer_new_starters"
    assert res.summary["new_starters_offered_place"] > 0, res.summary
    # CRN: the same people joined under both strategies
    assert res.summary["new_starters"] == float(new.sum()), res.summary["new_starters"]


def _allocation(policy: str):
    roles = {"lead": role(2), "supervisor": role(4), "worker": role(16, team=True)}
    data = roles_data(roles, supervisor="supervisor", horizon=2)
    data["programme"] = {
        "phases": one_phase(D(2020, 1), D(2020, 1, 31), ["foundation"]),
        "foundation": {"cohorts": 1, "cohort_size": 10, "allocation": policy},
    }
    return scen(data)


def _trained_by_role(rep) -> list[int]:
    return [int((rep.practice.trained & (rep.role == r)).sum()) for r in range(3)]


def test_allocation_senior_first():
    # 10 places: both leads, all 4 supervisors, then 4 workers
    rep, _ = run(_allocation("senior_first"))
    assert _trained_by_role(rep) == [2, 4, 4], f"by role {_trained_by_role(rep)}"


def test_allocation_mixed():
    # quotas 10·(2, 4, 16)/22 = (0.91, 1.82, 7.27): floors (0, 1, 7), the two places left go
    # to the largest remainders (lead, supervisor): (1, 2, 7)
    rep, _ = run(_allocation("mixed"))
    assert _trained_by_role(rep) == [1, 2, 7], f"by role {_trained_by_role(rep)}"


def test_allocation_whole_teams():
    # 4 teams of 5 (supervisor + 4 workers): 10 places = exactly 2 whole teams, no lead
    rep, _ = run(_allocation("whole_teams"))
    trained = rep.practice.trained
    assert _trained_by_role(rep) == [0, 2, 8], f"by role {_trained_by_role(rep)}"
    teams = np.unique(rep.team[trained])
    assert len(teams) == 2, f"trained people come from teams {teams}"
    for t in teams:
        assert trained[rep.team == t].all(), f"team {t} only partly trained"


def test_allocation_random():
    # 10 of 22 at random: over 60 replications each person has chance 10/22; the two leads
    # together average 20/22 = 0.91 places.
    leads = []
    for r in range(60):
        rep, _ = run(_allocation("random"), seed=3, rep=r)
        by_role = _trained_by_role(rep)
        assert sum(by_role) == 10, f"rep {r}: {by_role}"
        leads.append(by_role[0])
    mean = float(np.mean(leads))
    sd = math.sqrt(10 * 12 * 2 * 20 / (22**2 * 21) / 60)  # hypergeometric, 2 leads
    assert abs(mean - 20 / 22) < 4 * sd, f"mean leads per cohort {mean:.3f}"


def test_waiting_counts_untrained_staff_with_a_cohort_still_to_come():
    # 5 staff; cohorts of 2 at day 0 and at 3 months (day 91.3): 3 wait at the end of
    # months 0-2 (row 2 is day 91 < 91.3); after cohort 2 one is untrained with no cohort
    # left, so nobody waits.
    data = base_data()
    data["programme"] = {
        "phases": one_phase(D(2020, 1), D(2020, 12, 31), ["foundation"]),
        "foundation": {"cohorts": 2, "cohort_size": 2, "interval_months": 3},
    }
    _, res = run(scen(data))
    assert col(res, "waiting").tolist() == [3, 3, 3] + [0] * 21, f"waiting {col(res, 'waiting')}"
    assert col(res, "trained").tolist() == [2, 2, 2] + [4] * 21, f"trained {col(res, 'trained')}"
