"""Exact event traces of tiny, fully deterministic scenarios, every value derived by hand.

Shared facts used in the derivations below:

- The scenario starts 2020-01-01 (2020 is a leap year). Model day ``d`` is days since then;
  month starts are exact calendar days: Jan 1 = 0, Feb 1 = 31, Mar 1 = 60, Apr 1 = 91,
  May 1 = 121, Jun 1 = 152, Jul 1 = 182, Aug 1 = 213, Sep 1 = 244, Oct 1 = 274, Nov 1 = 305,
  Dec 1 = 335, 2021-01-01 = 366, Feb 1 = 397, Mar 1 = 425, Apr 1 = 456, May 1 = 486,
  Jun 1 = 517, Jul 1 = 547.
- Durations in months use DAYS_PER_MONTH = 365.25 / 12 = 30.4375 days (exact in binary).
- The conftest workforce has no turnover and no hiring delay or vacancies, so everyone joins
  on day 0 and never leaves; posts are laid out role by role, so person 0 is the supervisor
  and persons 1.. are the workers (all in the supervisor's team).
- Attendance 1 means every draw ``random() < 1`` is true: everyone attends every session.
- Uptake 1 means everyone engages; reinforcement 1 restores the full level.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from conftest import make_scenario

from sim.model import Replication
from sim.model.measures import MONTHLY
from sim.model.trace import Record
from sim.scenario.clock import DAYS_PER_MONTH

FOUNDATION_EVENTS = {
    "join",
    "leave",
    "cohort_start",
    "cohort_cancelled",
    "place",
    "attend",
    "session_cancelled",
    "trained",
    "not_completed",
}
MENTORING_EVENTS = {"mentored", "mentoring_session", "supported_supervision", "group_supervision"}

TWO_SESSIONS = [{"after_months": 0, "days": 1}, {"after_months": 1, "days": 2}]


def run(scenario, seed: int = 1):
    return Replication(scenario, seed=seed, replication=0, trace=True).run()


def events(result, kinds: set[str]) -> list[Record]:
    return [e for e in result.trace if e.kind in kinds]


def fact(day: float, kind: str, person: int | None = None, **more) -> Record:
    """The record expected for ``person``: in the conftest workforce person 0 is the
    supervisor and the others workers, all of them in the supervisor's team 0.
    """
    if person is None:
        return Record(day, kind, **more)
    role = "supervisor" if person == 0 else "worker"
    return Record(day, kind, person, role, 0, **more)


def test_days_per_month_is_the_average_month():
    assert DAYS_PER_MONTH == 30.4375, f"DAYS_PER_MONTH {DAYS_PER_MONTH}"


# --------------------------------------------------------------------------- foundation


def two_phase_foundation():
    """1 supervisor + 3 workers; a 1-place cohort in Phase 1, a 3-place cohort in Phase 2."""
    phases = [
        {
            "name": "Phase 1",
            "start": date(2020, 3, 1),
            "end": date(2020, 6, 30),
            "supplies": ["foundation"],
        },
        {
            "name": "Phase 2",
            "start": date(2020, 9, 1),
            "end": date(2020, 12, 31),
            "supplies": ["foundation"],
            "foundation": {"cohort_size": 3},
        },
    ]
    return make_scenario(
        scenario__horizon_months=12,
        workforce__roles__worker__posts=3,
        programme__phases=phases,
        programme__foundation={
            "cohorts": 1,
            "cohort_size": 1,
            "attendance": 1.0,
            "allocation": "senior_first",
            "sessions": TWO_SESSIONS,
        },
    )


def test_foundation_trace_is_exact():
    # Phase 1 starts 2020-03-01 = day 60 (31 Jan + 29 Feb); its one cohort starts then.
    # senior_first with 1 place takes the only person of the most senior role: the supervisor
    # (person 0), so no random choice is involved. Sessions: day 60 (1 day) and
    # 60 + 30.4375 = 90.4375 (2 days), inside Phase 1 (ends after 2020-06-30 = day 182).
    # Attended 3 days = all the days, so the supervisor is trained at the last session.
    # Phase 2 starts 2020-09-01 = day 244 and overrides cohort_size to 3; the pool then is
    # exactly the three untrained workers (1, 2, 3), and places >= pool takes them all.
    # Sessions at 244 and 244 + 30.4375 = 274.4375, inside Phase 2 (ends day 366).
    # Nobody is a new starter: all joined on day 0, before the programme began on day 60.
    result = run(two_phase_foundation())
    c1 = {"phase": "Phase 1", "cohort": 1}
    c2 = {"phase": "Phase 2", "cohort": 1}
    expected = [
        fact(0.0, "join", 0),
        fact(0.0, "join", 1),
        fact(0.0, "join", 2),
        fact(0.0, "join", 3),
        fact(60.0, "cohort_start", **c1),
        fact(60.0, "place", 0, **c1),
        fact(60.0, "attend", 0, **c1, days=1.0),
        fact(90.4375, "attend", 0, **c1, days=2.0),
        fact(90.4375, "trained", 0, **c1),
        fact(244.0, "cohort_start", **c2),
        fact(244.0, "place", 1, **c2),
        fact(244.0, "place", 2, **c2),
        fact(244.0, "place", 3, **c2),
        fact(244.0, "attend", 1, **c2, days=1.0),
        fact(244.0, "attend", 2, **c2, days=1.0),
        fact(244.0, "attend", 3, **c2, days=1.0),
        fact(274.4375, "attend", 1, **c2, days=2.0),
        fact(274.4375, "attend", 2, **c2, days=2.0),
        fact(274.4375, "attend", 3, **c2, days=2.0),
        fact(274.4375, "trained", 1, **c2),
        fact(274.4375, "trained", 2, **c2),
        fact(274.4375, "trained", 3, **c2),
    ]
    got = events(result, FOUNDATION_EVENTS)
    assert got == expected, f"trace was {got}"


def test_foundation_trace_does_not_depend_on_the_seed():
    # Every choice above is forced, so any seed gives the same programme events.
    traces = {
        seed: events(run(two_phase_foundation(), seed), FOUNDATION_EVENTS) for seed in (1, 2, 99)
    }
    assert traces[1] == traces[2] == traces[99], f"traces differ: {traces}"


def test_foundation_monthly_rows_match_the_trace():
    # Rows are taken at each month's end (the next month's start, before anything else then).
    # trained: the supervisor from day 90.4375 (end of month 2 = day 91), the workers from
    # day 274.4375 (end of month 9 = day 305). in_training: a month end falls inside a cohort
    # only at day 274 (end of month 8), inside Phase 2's cohort (244 to 274.4375): 3 people.
    # The cohort starting on day 60 starts after the month-1 row at day 60 is taken.
    # training_days: month 2 (60-91) 1 + 2 = 3; month 8 (244-274) 3 x 1 = 3; month 9 6.
    monthly = run(two_phase_foundation()).monthly
    column = {name: monthly[:, i].tolist() for i, name in enumerate(MONTHLY)}
    expected = {
        "headcount": [4] * 12,
        "vacancies": [0] * 12,
        "trained": [0, 0, 1, 1, 1, 1, 1, 1, 1, 4, 4, 4],
        "in_training": [0] * 8 + [3, 0, 0, 0],
        "training_days": [0, 0, 3, 0, 0, 0, 0, 0, 3, 6, 0, 0],
        "coverage": [0, 0, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 1, 1, 1],
    }
    for name, values in expected.items():
        assert column[name] == values, f"{name}: {column[name]}"


def single_phase_foundation(end: date, **foundation):
    """1 supervisor + 3 workers, one cohort of 4 places from 2020-01-01 (day 0)."""
    design = {"cohorts": 1, "cohort_size": 4, "attendance": 1.0, "sessions": TWO_SESSIONS}
    design.update(foundation)
    return make_scenario(
        scenario__horizon_months=6,
        workforce__roles__worker__posts=3,
        programme__phases=[
            {"name": "P", "start": date(2020, 1, 1), "end": end, "supplies": ["foundation"]}
        ],
        programme__foundation=design,
    )


def test_session_after_the_phase_end_is_cancelled():
    # The phase ends after 2020-01-20 (day 20). The cohort of 4 places takes everyone (places
    # >= pool). The second session at day 30.4375 falls after the end: cancelled, and the
    # cohort ends with its last held session, on day 0. With 1 of 3 days attended, nobody
    # completes (days_to_complete defaults to all 3 days).
    result = run(single_phase_foundation(date(2020, 1, 20)))
    cohort = {"phase": "P", "cohort": 1}
    expected = (
        [fact(0.0, "join", p) for p in range(4)]
        + [fact(0.0, "cohort_start", **cohort)]
        + [fact(0.0, "place", p, **cohort) for p in range(4)]
        + [fact(0.0, "attend", p, **cohort, days=1.0) for p in range(4)]
        + [fact(0.0, "not_completed", p, **cohort) for p in range(4)]
        + [fact(30.4375, "session_cancelled", **cohort)]
    )
    got = events(result, FOUNDATION_EVENTS)
    assert got == expected, f"trace was {got}"


def test_min_days_to_complete_counts_the_days_attended():
    # As above, but 1 day is enough to count as trained: all four are trained when the
    # cohort ends with its last held session, on day 0.
    result = run(single_phase_foundation(date(2020, 1, 20), min_days_to_complete=1))
    trained = [e for e in result.trace if e.kind in ("trained", "not_completed")]
    expected = [fact(0.0, "trained", p, phase="P", cohort=1) for p in range(4)]
    assert trained == expected, f"trace was {trained}"


def test_cohorts_start_every_interval_inside_the_phase():
    # cohorts = 3, interval 2 months, cohort_size 1 (senior_first: supervisor, then a
    # worker chosen at random, so only the days and counts are pinned). Starts: day 0,
    # 2 x 30.4375 = 60.875 and 121.75, all before the phase end (after 2020-06-30 = day 182).
    scenario = single_phase_foundation(
        date(2020, 6, 30), cohorts=3, cohort_size=1, interval_months=2, allocation="senior_first"
    )
    trace = run(scenario).trace
    starts = [(e.day, e.phase, e.cohort) for e in trace if e.kind == "cohort_start"]
    expected = [(0.0, "P", 1), (60.875, "P", 2), (121.75, "P", 3)]
    assert starts == expected, f"cohort starts {starts}"
    places = [(e.phase, e.cohort) for e in trace if e.kind == "place"]
    assert places == [("P", 1), ("P", 2), ("P", 3)], f"one place a cohort: {places}"
    first_place = [e for e in trace if e.kind == "place"][0]
    assert first_place == fact(0.0, "place", 0, phase="P", cohort=1), f"first {first_place}"


# --------------------------------------------------------------------------- mentoring


MONTH_STARTS = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366, 397, 425, 456, 486, 517]


def mentoring_scenario(supported_months: int):
    """Everyone trained by day 30.4375; the phase supplies mentoring for all of 2020."""
    return make_scenario(
        scenario__horizon_months=18,
        workforce__roles__worker__posts=3,
        programme__phases=[
            {
                "name": "P",
                "start": date(2020, 1, 1),
                "end": date(2020, 12, 31),
                "supplies": ["foundation", "mentoring"],
            }
        ],
        programme__foundation={
            "cohorts": 1,
            "cohort_size": 4,
            "attendance": 1.0,
            "sessions": TWO_SESSIONS,
        },
        programme__mentoring={"months": 2, "supported_months": supported_months},
    )


@pytest.mark.parametrize(
    ("supported_months", "supported_days", "last_group_day"),
    [(2, [], 425), (3, [91], 456)],
    ids=["supported-2-months", "supported-3-months"],
)
def test_mentoring_and_group_supervision_trace(supported_months, supported_days, last_group_day):
    # The cohort (days 0 and 30.4375) trains all four at day 30.4375.
    # Month 0 (day 0): nobody trained yet, so no mentoring group forms.
    # Month 1 (day 31): the supervisor (person 0) is trained, in post, not yet mentored: a
    # group forms, meeting in months 1..1+months-1 = 1..2; supported until month
    # 1 + max(months, supported_months) - 1 = 2 (or 3 with supported_months 3).
    # Mentoring sessions: days 31 and 60. Supported supervision is logged only in supported
    # months without a session: none for 2, month 3 (day 91) for 3.
    # Each supported month reinforces the supervisor to level 1; the last is day 60 (or 91).
    # Group supervision (every month) runs while the supervisor is mentored and practising:
    # level 2**(-(d - last) / 365.25) > 0.5, i.e. d < last + 365.25 = 425.25 (or 456.25).
    # So it runs from month 1 through day 425 = 2021-03-01 (or 456 = 2021-04-01) and stops
    # at the next month start. It logs each team member in post: workers 1, 2, 3.
    # supervisor_reinforcement is 0, so running the group does not keep the supervisor going.
    result = run(mentoring_scenario(supported_months))
    expected = [fact(31.0, "mentored", 0), fact(31.0, "mentoring_session", 0)]
    expected += [fact(31.0, "group_supervision", p) for p in (1, 2, 3)]
    expected += [fact(60.0, "mentoring_session", 0)]
    expected += [fact(60.0, "group_supervision", p) for p in (1, 2, 3)]
    for day in MONTH_STARTS[3:]:
        if day in supported_days:
            expected.append(fact(float(day), "supported_supervision", 0))
        if day <= last_group_day:
            expected += [fact(float(day), "group_supervision", p) for p in (1, 2, 3)]
    got = events(result, MENTORING_EVENTS)
    assert got == expected, f"trace was {got}"


def test_teams_supervising_column_follows_the_supervisor():
    # teams_supervising is taken at each month end: the supervisor is mentored from day 31,
    # so month 0 (ends day 31, before the monthly step at that instant) shows 0, months 1..
    # show 1 while practising at the month end: the level at day d > 0.5 iff d < 425.25,
    # so month ends 60 .. 425 (months 1..13) show 1, month 14 (ends 456) on show 0.
    # trained: all four from day 30.4375, before the end of month 0 (day 31).
    monthly = run(mentoring_scenario(2)).monthly
    teams = monthly[:, MONTHLY.index("teams_supervising")].astype(int).tolist()
    expected = [0] + [1] * 13 + [0] * 4
    assert teams == expected, f"teams_supervising {teams}"
    assert np.array_equal(monthly[:, MONTHLY.index("trained")], [4] * 18), (
        f"trained {monthly[:, MONTHLY.index('trained')].tolist()}"
    )


def test_the_trace_goes_straight_into_a_table():
    # Two-phase foundation as above: 1 place in Phase 1 and 3 in Phase 2, one record each,
    # and no text to parse: the columns are the record's fields.
    import pandas as pd

    table = pd.DataFrame(run(two_phase_foundation()).trace)
    assert list(table.columns) == list(Record._fields), f"columns {list(table.columns)}"
    places = table[table.kind == "place"].groupby("phase").size().to_dict()
    assert places == {"Phase 1": 1, "Phase 2": 3}, f"places by phase {places}"
    joins = table[table.kind == "join"]
    assert joins.phase.isna().all(), f"a join with a phase: {joins.phase.tolist()}"
    assert joins.role.tolist() == ["supervisor", "worker", "worker", "worker"], joins.role.tolist()
