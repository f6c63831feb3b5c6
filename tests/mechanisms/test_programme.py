"""Programme calendar: phases, the gaps between them, cancelled sessions, do-nothing."""

from __future__ import annotations

from collections import Counter

import numpy as np
from conftest import base_data, one_phase
from mechkit import DAYS_PER_MONTH, D, col, events, month_days, role, roles_data, run, scen

EXTERNAL = (
    "mentoring_session",
    "supported_supervision",
    "champion_supervision",
    "consultation",
    "group_session",
    "attend",
    "cohort_start",
)


def test_empty_phases_is_do_nothing():
    # 5 staff, 60 % trained at the start (3 people), no turnover, no programme:
    # coverage 0.6 every month, nothing provided, nothing spent.
    data = base_data()
    data["workforce"]["initial_trained_fraction"] = 0.6
    _, res = run(scen(data))
    assert np.all(col(res, "coverage") == 0.6), f"coverage {col(res, 'coverage')}"
    for name in ("provider_days", "training_days", "cost", "teams_supervising", "champions"):
        assert col(res, name).sum() == 0, f"{name} under do-nothing: {col(res, name)}"
    assert abs(res.summary["coverage_months"] - 0.6 * 24) < 1e-9, (
        f"coverage_months {res.summary['coverage_months']}, expected 14.4"
    )


def _two_phases(supplies: list[str]) -> list[dict]:
    return [
        {"name": "P1", "start": D(2020, 1), "end": D(2020, 6, 30), "supplies": supplies},
        {"name": "P2", "start": D(2021, 1), "end": D(2021, 6, 30), "supplies": supplies},
    ]


def _gap_scenario(mentoring_months: int = 3):
    roles = {
        "manager": role(2),
        "supervisor": role(2),
        "worker": role(8, team=True),
        "clinician": role(1),
    }
    data = roles_data(roles, supervisor="supervisor", horizon=24)
    data["workforce"]["initial_trained_fraction"] = 0.5
    data["practice"]["half_life_months"] = 2.0
    supplies = ["foundation", "mentoring", "champion_supervision", "consultation", "managers"]
    data["programme"] = {
        "phases": _two_phases(supplies),
        "foundation": {
            "cohorts": 6,
            "cohort_size": 1,
            "interval_months": 1,
            "sessions": [{"after_months": 0, "days": 1}, {"after_months": 1, "days": 1}],
        },
        "mentoring": {"months": mentoring_months, "supported_months": 12, "group_size": 1},
        "champion_supervision": {"interval_months": 1},
        "consultation": {"clinician_role": "clinician", "sessions_per_clinician_per_month": 3},
        "groups": {"managers": {"roles": ["manager"], "interval_months": 1}},
    }
    data["champions"] = {"target": 2, "dropout_supported": 0.0, "dropout_unsupported": 0.0}
    return scen(data)


def test_nothing_external_happens_in_a_gap():
    # Gap: 2020-07-01 (day 182) to 2020-12-31; months 6-11 lie wholly inside it.
    rep, res = run(_gap_scenario())
    days = month_days(D(2020, 1), 24)
    gap_start, gap_end = days[6], days[12]
    provider = col(res, "provider_days")
    assert np.all(provider[6:12] == 0), f"provider days in gap months 6-11: {provider[6:12]}"
    assert provider[:6].min() > 0, (
        f"provider days in phase months should be > 0: {provider[:6]}, {provider[12:18]}"
    )
    assert provider[12:18].min() > 0, (
        f"provider days in phase months should be > 0: {provider[:6]}, {provider[12:18]}"
    )
    for name in EXTERNAL:
        inside = [e for e in events(res, name) if gap_start <= e.day < gap_end]
        assert not inside, f"{name} in the gap: {inside[:3]}"
        assert any(e.day < gap_start for e in events(res, name)), f"no {name} in phase 1"
    # internal work goes on in the gap: the team's group supervision and champion meetings
    for name in ("group_supervision", "champion_meeting"):
        inside = [e for e in events(res, name) if gap_start <= e.day < gap_end]
        assert inside, f"no {name} in the gap: internal activity should continue"


def test_mentoring_months_lost_in_a_gap_are_not_postponed():
    # A group formed in month 0 meets monthly for 12 months (months 0-11); months 6-11 are in
    # the gap, so each member attends exactly 6 sessions, all in phase 1.
    rep, res = run(_gap_scenario(mentoring_months=12))
    first = {}
    for day, person in ((e.day, e.person) for e in events(res, "mentored")):
        first.setdefault(person, day)
    month0 = [p for p, day in first.items() if day == 0.0]
    assert month0, f"no supervisor mentored in month 0: {first}"
    for person in month0:
        sessions = [e.day for e in events(res, "mentoring_session") if e.person == person]
        assert len(sessions) == 6, f"supervisor {person} attended {len(sessions)} sessions"


def test_sessions_after_the_phase_end_are_cancelled():
    # Phase Jan-Feb 2020 (ends day 60); sessions at day 0 (1 day) and 3 months (2 days):
    # the second session (day 91.3) falls after the phase and is cancelled, so with the
    # default "all 3 days" nobody completes.
    data = base_data()
    data["programme"] = {
        "phases": one_phase(D(2020, 1), D(2020, 2, 29), ["foundation"]),
        "foundation": {
            "cohorts": 1,
            "cohort_size": 5,
            "sessions": [{"after_months": 0, "days": 1}, {"after_months": 3, "days": 2}],
            "trainers_per_session": 2,
        },
    }
    rep, res = run(scen(data))
    cancelled = events(res, "session_cancelled")
    assert [round(e.day, 4) for e in cancelled] == [round(3 * DAYS_PER_MONTH, 4)], (
        f"cancelled sessions {cancelled}"
    )
    assert col(res, "trained").max() == 0, f"trained {col(res, 'trained')}"
    assert col(res, "provider_days").sum() == 2, f"provider days {col(res, 'provider_days')}"
    assert col(res, "training_days").sum() == 5, f"training days {col(res, 'training_days')}"


def test_completion_by_held_sessions_counts_by_the_phase_end():
    # Same cohort, but 1 day completes: everyone has completed on day 0, inside the phase,
    # and no session is held after it. Coverage at the end of the phase (row 1, Feb 2020)
    # should therefore be 1, and nobody should be trained after the phase ended.
    data = base_data()
    data["programme"] = {
        "phases": one_phase(D(2020, 1), D(2020, 2, 29), ["foundation"]),
        "foundation": {
            "cohorts": 1,
            "cohort_size": 5,
            "sessions": [{"after_months": 0, "days": 1}, {"after_months": 3, "days": 2}],
            "min_days_to_complete": 1,
        },
    }
    rep, res = run(scen(data))
    phase_end = month_days(D(2020, 1), 3)[2]  # day 60 = 2020-03-01, first day after the phase
    late = [e for e in events(res, "trained") if e.day > phase_end]
    assert len(events(res, "trained")) == 5, f"trained events {events(res, 'trained')}"
    assert res.summary["coverage_end_phase_1"] == 1.0, (
        f"coverage_end_phase_1 {res.summary['coverage_end_phase_1']}, expected 1.0"
    )
    assert not late, f"trained after the phase ended (day {phase_end}): {late[:2]}"


def test_phase_can_override_the_foundation_design():
    data = roles_data({"worker": role(100)}, horizon=18)
    phases = _two_phases(["foundation"])
    phases[1]["foundation"] = {"cohort_size": 3, "cohorts": 2}
    data["programme"] = {
        "phases": phases,
        "foundation": {"cohorts": 1, "cohort_size": 10, "interval_months": 2},
    }
    _, res = run(scen(data))
    starts = [(round(e.day), e.phase, e.cohort) for e in events(res, "cohort_start")]
    places = Counter((e.phase, e.cohort) for e in events(res, "place"))
    days = month_days(D(2020, 1), 18)
    expected = [
        (0, "P1", 1),
        (days[12], "P2", 1),
        (round(days[12] + 2 * DAYS_PER_MONTH), "P2", 2),
    ]
    want = {("P1", 1): 10, ("P2", 1): 3, ("P2", 2): 3}
    assert places == want, f"places by cohort {dict(places)}, expected {want}"
    assert starts == expected, f"cohort starts {starts}, expected {expected}"


def test_nothing_external_before_a_phase_that_starts_mid_month():
    # Phase from 2020-03-15 (day 74): no mentoring, group session or cohort before that day.
    data = base_data()
    data["workforce"]["initial_trained_fraction"] = 0.6
    data["programme"] = {
        "phases": one_phase(D(2020, 3, 15), D(2020, 12, 31), ["foundation", "mentoring", "all"]),
        "foundation": {"cohorts": 1, "cohort_size": 5},
        "groups": {"all": {"roles": ["supervisor", "worker"], "interval_months": 1}},
    }
    _, res = run(scen(data))
    for name in ("mentoring_session", "group_session", "cohort_start", "attend"):
        days = [e.day for e in events(res, name)]
        assert days, f"no {name} at all"
        assert min(days) >= 74, f"{name} on day {min(days)}, before the phase starts (day 74)"
    assert np.all(col(res, "provider_days")[:2] == 0), f"provider days {col(res, 'provider_days')}"
