"""``rollout validate``: what a roster (``workforce.roster``) says of the start date.

The practice level of a holder trained on date d, with no reinforcement known since, is
``L0 · 0.5 ** (months since d / half-life)`` on the start date (L0 the level the course
gave); they practise while it is above the
threshold, i.e. if they were trained less than ``half-life × log2(L0 / threshold)`` months
before the start (on the mean half-life; people's own half-lives spread around it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .clock import DAYS_PER_MONTH
from .explain_staff import Report, num
from .schema import Scenario


@dataclass(frozen=True)
class PractisingAtStart:
    """Who a roster has practising on the start date: the one count that every part of
    ``validate`` (the roster, the champions) gives.
    """

    trained: int  # holders with a trained_on date
    recent: int  # of them, trained recently enough to be above the threshold still
    expected: float  # of them, expected to practise: champions all, the rest at uptake
    window_months: float  # how recent is recent enough


def course_effect(scenario: Scenario, days: float | None = None) -> float:
    """The dose-response of ``days`` of training (default: the foundation design's course),
    :meth:`~sim.scenario.schema.Practice.effect`.
    """
    if days is None:
        days = sum(s.days for s in scenario.programme.foundation.sessions)
    return scenario.practice.effect(days)


def practising_at_start(scenario: Scenario) -> PractisingAtStart | None:
    """The roster's holders practising on the start date (None without a roster).

    A holder trained on date d with the foundation course (effect r) started at
    L0 = θ + (1 − θ)·r and is at ``L0 · 0.5 ** (months since d / half-life)`` on the start
    date, so above the threshold if trained less than ``half-life × log2(L0 / threshold)``
    months before (mean half-life). Champions engage whatever the uptake draw; the rest
    with ``practice.uptake · r``.
    """
    rows = scenario.workforce.roster
    if not rows:
        return None
    start = scenario.scenario.start
    practice = scenario.practice
    trained = [r for r in rows if r.status == "filled" and r.trained_on is not None]
    effect = course_effect(scenario)
    start_level = practice.threshold + (1 - practice.threshold) * effect
    window = practice.half_life_months * math.log2(start_level / practice.threshold)
    recent = [r for r in trained if (start - r.trained_on).days / DAYS_PER_MONTH < window]
    champions = sum(r.champion for r in recent)
    expected = champions + practice.uptake * effect * (len(recent) - champions)
    return PractisingAtStart(len(trained), len(recent), expected, window)


def roster_section(report: Report, scenario: Scenario) -> None:
    """Explain the staff list's starting state: who practises on day 0, and why."""
    rows = scenario.workforce.roster
    at_start = practising_at_start(scenario)
    if not rows or at_start is None:
        return
    start = scenario.scenario.start
    practice = scenario.practice
    filled = [r for r in rows if r.status == "filled"]
    agency = sum(r.status == "agency" for r in rows)
    vacant = len(rows) - len(filled) - agency
    window = at_start.window_months
    teams = len({r.team for r in rows if r.team})
    report.say(
        f"Starting state from workforce.roster: {len(rows)} posts on {start}, {len(filled)} "
        f"filled, {vacant} vacant, {agency} covered by agency; {teams} teams as listed. "
        f"{at_start.trained} holders trained; their practice level at the start follows from "
        f"the trained dates and the practice parameters: decay from the trained date with no "
        f"reinforcement known since (half-life {num(practice.half_life_months)} months, "
        f"threshold {practice.threshold:g}), so those trained more than {window:.0f} months "
        f"before the start no longer practise: {at_start.recent} of the {at_start.trained} "
        f"were trained more recently, and about {at_start.expected:.0f} practise on the start "
        f"date (uptake {practice.uptake:g} × {course_effect(scenario):.2f} for the course; "
        "champions always engage). "
        f"{sum(r.champion for r in rows)} champions, "
        f"{sum(r.mentored for r in rows)} mentored supervisors. Vacancies and agency cover after "
        "the start are drawn as usual."
    )
