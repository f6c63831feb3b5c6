"""The trace: one flat record per fact of a replication, for tests and validation.

A traced replication (``trace=True``) appends a :class:`Record` for every fact the
mechanisms note (a place in a cohort, a session attended, a champion appointed) and one for
every join and leave of the staffing plan. Like Ciw's data records, a record is a flat
named tuple whose fields hold values, never text to parse, so a list of them goes straight
into a table (``pandas.DataFrame(trace)`` names the columns from :attr:`Record._fields`)
and a check reads ``record.cohort`` rather than splitting a label.

Tracing is off in ordinary runs: the state's trace is then ``None`` and noting a fact
costs one comparison.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .workforce import StaffingPlan

# Staffing facts first among facts of the same day: a person joins before they can train,
# and trains before they leave.
_ORDER_AT_SAME_DAY = {"join": 0, "agency_start": 0, "leave": 2, "agency_end": 2}


class Record(NamedTuple):
    """One fact of a traced replication; a field that does not apply to the fact is None.

    Attributes
    ----------
    day
        Model day of the fact (rounded to 6 decimals, so equal days compare equal).
    kind
        What happened: ``join``, ``leave``, ``agency_start``, ``agency_end``,
        ``cohort_start``, ``place``, ``attend``, ``trained``, ``mentoring_session``, ...
    person
        Index of the person it happened to (None for a cohort's own facts).
    role, team
        The person's role name and team number (team None outside any team).
    phase, cohort
        The phase name and the cohort's number within it, for foundation facts.
    days
        Days of training attended at this session (``attend``).
    group
        The provider group's name (``group_session``).
    """

    day: float
    kind: str
    person: int | None = None
    role: str | None = None
    team: int | None = None
    phase: str | None = None
    cohort: int | None = None
    days: float | None = None
    group: str | None = None


def person_record(
    day: float, kind: str, person: int, role: str, team: int, **facts: object
) -> Record:
    """A fact about one person; ``team`` -1 (no team) is recorded as None."""
    team = int(team)
    return Record(
        round(float(day), 6), kind, int(person), role, team if team >= 0 else None, **facts
    )


def staffing_records(
    plan: StaffingPlan, end_day: float, roles: tuple[str, ...], role: np.ndarray, team: np.ndarray
) -> list[Record]:
    """Joins and leaves before ``end_day`` (agency cover's starts and ends apart), each
    person's role named from ``roles`` by their index in ``role``.
    """
    records = []
    for person in range(plan.n_people):
        agency = bool(plan.is_agency[person])
        name = roles[role[person]]
        if plan.start[person] < end_day:
            kind = "agency_start" if agency else "join"
            records.append(person_record(plan.start[person], kind, person, name, team[person]))
        if plan.end[person] < end_day:
            kind = "agency_end" if agency else "leave"
            records.append(person_record(plan.end[person], kind, person, name, team[person]))
    return records


def in_time_order(records: list[Record]) -> list[Record]:
    """The records by day, staffing facts placed first (joins) or last (leaves) at a day;
    otherwise in the order they were noted (the sort is stable).
    """
    return sorted(records, key=lambda r: (r.day, _ORDER_AT_SAME_DAY.get(r.kind, 1)))
