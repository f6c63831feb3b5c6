"""Clinician consultation (Havering-style embedded therapists) reinforcing team members."""

from __future__ import annotations

import numpy as np
from conftest import one_phase
from mechkit import D, col, events, month_days, role, roles_data, run, scen


def _clinics(
    supplies: list[str], clinicians: int = 2, rate: float = 5.0, vacant: int = 0, workers: int = 10
):
    roles = {
        "supervisor": role(1),
        "worker": role(workers, team=True),
        "clinician": role(clinicians, initial_vacancies=vacant, hiring_delay_months=1e4),
    }
    data = roles_data(roles, supervisor="supervisor", horizon=24)
    data["workforce"]["initial_trained_fraction"] = 1.0
    data["practice"]["half_life_months"] = 2.0
    data["programme"] = {
        "phases": one_phase(D(2020, 1), D(2020, 12, 31), supplies),
        "consultation": {
            "clinician_role": "clinician",
            "sessions_per_clinician_per_month": rate,
        },
    }
    return scen(data)


def test_consultation_keeps_team_members_practising_while_supplied():
    # 2 clinicians x 5 sessions = 10 a month = every one of the 10 team members, monthly:
    # they practise at the end of 2020; the supervisor and clinicians (not team members)
    # have lapsed (half-life 2 months). A year later (no consultation) nobody practises.
    rep, res = run(_clinics(["consultation"]))
    practising = col(res, "practising")
    assert practising[11] == 10, f"practising at month 11 {practising}"
    reached = {e.person for e in events(res, "consultation")}
    assert reached == set(np.flatnonzero(rep.is_team_member).tolist()), f"reached {reached}"
    after = [e for e in events(res, "consultation") if e.day >= month_days(D(2020, 1), 12)[12]]
    assert not after, f"consultations after the phase: {after[:3]}"
    assert practising[23] == 0, f"practising at month 23 {practising}"


def test_no_consultation_when_no_phase_supplies_it():
    _, res = run(_clinics([]))
    assert not events(res, "consultation"), "consultation without a supplying phase"
    assert col(res, "practising")[11] == 0, f"practising {col(res, 'practising')}"


def test_capacity_scales_with_clinicians_in_post():
    # 4 clinician posts x 0.75 = 3 sessions a month; with 2 posts vacant for good, 1.5 a
    # month: the half session carries over, 1, 2, 1, 2, ... (pool of 40 is never short).
    days = month_days(D(2020, 1), 24)

    def per_month(res) -> list[int]:
        months = np.searchsorted(days, [e.day for e in events(res, "consultation")], "right") - 1
        return np.bincount(months, minlength=12)[:12].tolist()

    _, full = run(_clinics(["consultation"], clinicians=4, rate=0.75, workers=40))
    assert per_month(full) == [3] * 12, f"sessions per month, 4 clinicians {per_month(full)}"
    _, half = run(_clinics(["consultation"], clinicians=4, rate=0.75, vacant=2, workers=40))
    assert per_month(half) == [1, 2] * 6, f"sessions per month, 2 clinicians {per_month(half)}"
