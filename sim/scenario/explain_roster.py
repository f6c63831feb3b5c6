"""``rollout validate``: what a roster (``workforce.roster``) says of the start date.

The practice level of a holder trained on date d, with no reinforcement known since, is
``0.5 ** (months since d / half-life)`` on the start date; they practise while it is above the
threshold, i.e. if they were trained less than ``half-life × log2(1 / threshold)`` months
before the start (on the mean half-life; people's own half-lives spread around it).
"""

from __future__ import annotations

import math

from .clock import DAYS_PER_MONTH
from .explain_staff import Report, num
from .schema import Scenario


def roster_section(report: Report, scenario: Scenario) -> None:
    rows = scenario.workforce.roster
    if not rows:
        return
    start = scenario.scenario.start
    practice = scenario.practice
    filled = [r for r in rows if r.status == "filled"]
    agency = sum(r.status == "agency" for r in rows)
    vacant = len(rows) - len(filled) - agency
    trained = [r for r in filled if r.trained_on is not None]
    window = practice.half_life_months * math.log2(1.0 / practice.threshold)
    recent = [r for r in trained if (start - r.trained_on).days / DAYS_PER_MONTH < window]
    teams = len({r.team for r in rows if r.team})
    report.say(
        f"Starting state from workforce.roster: {len(rows)} posts on {start}, {len(filled)} "
        f"filled, {vacant} vacant, {agency} covered by agency; {teams} teams as listed. "
        f"{len(trained)} holders trained; their practice level at the start follows from the "
        f"trained dates and the practice parameters: decay from the trained date with no "
        f"reinforcement known since (half-life {num(practice.half_life_months)} months, "
        f"threshold {practice.threshold:g}), so those trained more than {window:.0f} months "
        f"before the start no longer practise: {len(recent)} of the {len(trained)} were trained "
        f"more recently, and with uptake {practice.uptake:g} about "
        f"{practice.uptake * len(recent):.0f} practise on the start date "
        f"(champions always engage). {sum(r.champion for r in rows)} champions, "
        f"{sum(r.mentored for r in rows)} mentored supervisors. Vacancies and agency cover after "
        "the start are drawn as usual."
    )
