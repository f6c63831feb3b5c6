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
from .formats import points
from .paths_schema import SHOCK_EFFECTS
from .reference_text import SAID
from .schema import Scenario

_CUTS = {
    "attrition": "by attrition: a vacant post closes at once, a filled one when its holder leaves",
    "at_once": "at once: holders of cut posts leave on the day",
}


def _posts(scenario: Scenario, factor: float) -> int:
    return sum(round(role.posts * factor) for role in scenario.workforce.roles.values())


def _factor(x: float) -> str:
    """A factor as a planner reads it: ×1.02, ×0.31 (two decimals, never more)."""
    return f"×{x:.2f}"


def _band(scenario: Scenario, key: str, show, unit: str = "") -> str:
    """' (90% of futures: A to B unit)' when ``key`` is uncertain, else ''."""
    dist = scenario.uncertainty.get(key)
    if dist is None:
        return ""
    low, high = (float(v) for v in dist.ppf([0.05, 0.95]))
    return f" (90% of futures: {show(low)} to {show(high)}{unit})"


_NAMES = ("posts_factor", "turnover_points", "hiring_delay_factor", "agency_cover_factor")


def _same(a, b) -> bool:
    return all(getattr(a, n) == getattr(b, n) for n in _NAMES)


def _changes(point, scenario: Scenario, index: int | None = None) -> list[str]:
    key = f"workforce.over_time.points.{index}." if index is not None else None

    def band(name: str, show, unit: str = "") -> str:
        return _band(scenario, key + name, show, unit) if key else ""

    uncertain = {
        name
        for name in (
            "posts_factor",
            "turnover_points",
            "hiring_delay_factor",
            "agency_cover_factor",
        )
        if key and key + name in scenario.uncertainty
    }
    said = []
    if point.posts_factor != 1 or "posts_factor" in uncertain:
        said.append(
            f"posts {_factor(point.posts_factor)} ({_posts(scenario, 1.0)} → "
            f"{_posts(scenario, point.posts_factor)})"
            + band("posts_factor", lambda f: f"{_posts(scenario, f)}", " posts")
        )
    if point.turnover_points or "turnover_points" in uncertain:
        said.append(
            f"turnover {points(point.turnover_points / 100)} on every role"
            + band("turnover_points", lambda x: f"{x:+.1f}", " percentage points")
        )
    if point.hiring_delay_factor != 1 or "hiring_delay_factor" in uncertain:
        said.append(
            f"hiring delay {_factor(point.hiring_delay_factor)}"
            + band("hiring_delay_factor", _factor)
        )
    if point.agency_cover_factor != 1 or "agency_cover_factor" in uncertain:
        said.append(
            f"agency cover {_factor(point.agency_cover_factor)} (at most 100%)"
            + band("agency_cover_factor", _factor)
        )
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
        start = scenario.scenario.start
        before = [p for p in over_time.points if p.date < start]
        report.say(
            f"{len(over_time.points)} dated points ({how})"
            + ("" if before else "; before the first, as given")
            + (
                f"; {len(before)} of them dated before the start, of which the run sees "
                "only the last (it holds at the start unless a later point is dated on it):"
                if before
                else ":"
            )
        )
        for i, point in enumerate(over_time.points):
            if point.date < start:
                when = f"{point.date} (before the start)"
            elif point.date == start:
                when = "the start"
            else:
                when = str(point.date)
            report.say(f"from {when}: {', '.join(_changes(point, scenario, i))}.", 2)
        on_start = [p for p in over_time.points if p.date == start]
        if before and on_start and _same(before[-1], on_start[0]):
            report.say(
                f"The point on the start carries the last one before it ({before[-1].date}) "
                "forward: a projection that the figures stay where they last stood, give or "
                "take the spread drawn below."
            )
        delay = "workforce.hiring_delay_factor"
        if delay in scenario.uncertainty:
            report.say(
                "Every role's hiring delay is also multiplied by a factor drawn once per future "
                f"(workforce.hiring_delay_factor){_band(scenario, delay, _factor)}, on a log "
                "scale so that no future draws a delay of 0."
            )
        if any(key.startswith("workforce.over_time.points.") for key in scenario.uncertainty):
            report.say(
                "Each uncertain value is drawn once per future, so a future's whole path from "
                "that point moves together (not year by year)."
            )
        if any(p.posts_factor < 1 for p in over_time.points):
            report.say(f"Posts cut close {_CUTS[cut]}.")
    if shock is None:
        return
    if shock.months == 0:
        given = [n for n in (*SHOCK_EFFECTS, "restore") if getattr(shock, n)]
        unused = f" (its {', '.join(given)} have no effect)" if given else ""
        report.say(f"A shock table is given with months = 0: no shock{unused}.")
        return
    begins = scenario.scenario.start + timedelta(days=shock.start_after_months * DAYS_PER_MONTH)
    ends = begins + timedelta(days=shock.months * DAYS_PER_MONTH)
    effects = []
    if shock.turnover_points:
        effects.append(f"turnover {shock.turnover_points:+g} percentage points on every role")
    if shock.hiring_freeze:
        effects.append("no post filled (a vacancy's wait stops until it ends)")
    restored = SAID["workforce.shock.restore"][0 if shock.restore else 1]
    if shock.posts_cut:
        effects.append(
            f"{pct(shock.posts_cut)} of each role's posts cut at its start (about "
            f"{num(_posts(scenario, 1.0) * shock.posts_cut)} posts), closing {_CUTS[cut]}; "
            f"{restored[0].lower()}{restored[1:]}"
        )
    report.say(
        f"A workforce shock from {begins} for {num(shock.months)} months (to {ends}): "
        f"{'; '.join(effects) or 'no change (no turnover, freeze or cut given)'}."
    )
    if shock.restore and not shock.posts_cut:
        report.warn(
            "workforce.shock.restore",
            "true, but the shock cuts no posts (workforce.shock.posts_cut is 0), so there "
            "is nothing to restore",
        )
    if ends > clock.month_dates[-1]:
        report.warn(
            "workforce.shock.months",
            f"the shock runs past the horizon's end ({clock.month_dates[-1]}); "
            "the run sees only its start",
        )
