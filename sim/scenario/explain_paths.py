"""``rollout validate``: what a workforce path and a shock assume, in words.

The workforce section's long-run figures are for the roles' constants; a path
(``[workforce.over_time]``) or a shock (``[workforce.shock]``) changes them from their
dates, and this section says how, with the posts each change makes (as the model rounds
them, :mod:`sim.model.workforce_paths`).
"""

from __future__ import annotations

from datetime import timedelta

from .clock import DAYS_PER_MONTH, Clock
from .explain_staff import Report, num, pct
from .schema import Scenario

_CUTS = {
    "attrition": "by attrition: a vacant post closes at once, a filled one when its holder leaves",
    "at_once": "at once: holders of cut posts leave on the day",
}


def _posts(scenario: Scenario, factor: float) -> int:
    return sum(round(role.posts * factor) for role in scenario.workforce.roles.values())


def _changes(point, scenario: Scenario) -> list[str]:
    said = []
    if point.posts_factor != 1:
        said.append(
            f"posts ×{point.posts_factor:g} ({_posts(scenario, 1.0)} → "
            f"{_posts(scenario, point.posts_factor)})"
        )
    if point.turnover_points:
        said.append(f"turnover {point.turnover_points:+g} points on every role")
    if point.hiring_delay_factor != 1:
        said.append(f"hiring delay ×{point.hiring_delay_factor:g}")
    if point.agency_cover_factor != 1:
        said.append(f"agency cover ×{point.agency_cover_factor:g} (at most 100%)")
    return said or ["every role as given"]


def paths_section(report: Report, scenario: Scenario, clock: Clock) -> None:
    """Say what ``[workforce.over_time]`` and ``[workforce.shock]`` assume, if given."""
    over_time, shock = scenario.workforce.over_time, scenario.workforce.shock
    if over_time is None and shock is None:
        return
    report.heading("Workforce over time")
    report.say(
        "The long-run figures above are for the roles' constants; from the dates below the "
        "model uses these instead (growth posts open vacant and are filled through the "
        "usual hiring delay)."
    )
    cut = over_time.cut_posts if over_time else "attrition"
    if over_time is not None and over_time.points:
        how = (
            "each holds until the next"
            if over_time.interpolation == "step"
            else "values move in a straight line between points, month by month"
        )
        report.say(f"{len(over_time.points)} dated points ({how}); before the first, as given:")
        for point in over_time.points:
            when = "the start" if point.date <= scenario.scenario.start else str(point.date)
            report.say(f"from {when}: {', '.join(_changes(point, scenario))}.", 2)
        if any(p.posts_factor < 1 for p in over_time.points):
            report.say(f"Posts cut close {_CUTS[cut]}.")
    if shock is None:
        return
    if shock.months == 0:
        report.say("A shock table is given with months = 0: no shock.")
        return
    begins = scenario.scenario.start + timedelta(days=shock.start_after_months * DAYS_PER_MONTH)
    ends = begins + timedelta(days=shock.months * DAYS_PER_MONTH)
    effects = []
    if shock.turnover_points:
        effects.append(f"turnover {shock.turnover_points:+g} points on every role")
    if shock.hiring_freeze:
        effects.append("no post filled (a vacancy's wait stops until it ends)")
    if shock.posts_cut:
        kept = "restored vacant at its end" if shock.restore else "not restored"
        effects.append(
            f"{pct(shock.posts_cut)} of posts cut at its start (about "
            f"{num(_posts(scenario, 1.0) * shock.posts_cut)}), closing {_CUTS[cut]}; {kept}"
        )
    report.say(
        f"A workforce shock from {begins} for {num(shock.months)} months (to {ends}): "
        f"{'; '.join(effects) or 'no change (no turnover, freeze or cut given)'}."
    )
    if ends > clock.month_dates[-1]:
        report.warn(
            "workforce.shock.months",
            f"the shock runs past the horizon's end ({clock.month_dates[-1]}); "
            "the run sees only its start",
        )
