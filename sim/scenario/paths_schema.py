"""How the workforce changes over time: a path of posts and rates, and a shock.

Two optional tables of ``[workforce]`` (:class:`sim.scenario.workforce_schema.Workforce`):
``[workforce.over_time]``, dated points that multiply each role's posts, hiring delay and
agency cover and add points to its turnover, and ``[workforce.shock]``, a spell of higher
turnover, a recruitment freeze or a cut in posts, which the lever registry reaches like any
other key. Without them every role keeps its constants; the model
(:mod:`sim.model.workforce_paths`) reads them. Checks that need the scenario's dates (points
within the horizon) are :func:`paths_problems`, run with the other cross-references.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from .base import Share, _Frozen, capped, is_date
from .clock import add_months
from .limits import MAX_MONTHS, MAX_POSTS_FACTOR, MAX_TURNOVER_POINTS


class PathPoint(_Frozen):
    """One dated point of the path: from its date (to the next point's), these values hold."""

    date: dt.date = Field(description="The day these values take effect.")
    posts_factor: capped(MAX_POSTS_FACTOR) = Field(
        1.0,
        description="Multiplies each role's posts (1 = as given, rounded to whole posts). "
        "New posts open vacant and are filled through the usual hiring delay; posts cut "
        "close as workforce.over_time.cut_posts says.",
    )
    turnover_points: float = Field(
        0.0,
        ge=-MAX_TURNOVER_POINTS,
        le=MAX_TURNOVER_POINTS,
        description="Percentage points added to each role's annual turnover (1.5: 0.12 "
        "becomes 0.135); a rate below 0 counts as 0.",
    )
    hiring_delay_factor: capped(MAX_POSTS_FACTOR) = Field(
        1.0, description="Multiplies each role's hiring_delay_months (0 = refilled at once)."
    )
    agency_cover_factor: capped(MAX_POSTS_FACTOR) = Field(
        1.0, description="Multiplies each role's agency cover (the share is capped at 1)."
    )


class OverTime(_Frozen):
    """How each role's posts and rates move over time, as dated points."""

    interpolation: Literal["step", "linear"] = Field(
        "step",
        description='"step": a point\'s values hold until the next point; "linear": values '
        "move in a straight line between points, taken month by month (the value at each "
        "month's first day holds for that month). Before the first point every factor is 1 "
        "and every offset 0; after the last, the last point's values hold.",
    )
    cut_posts: Literal["attrition", "at_once"] = Field(
        "attrition",
        description='How posts cut close: "attrition", a vacant post at once and a filled '
        'one when its holder leaves; "at_once", holders of cut posts leave on the day.',
    )
    points: tuple[PathPoint, ...] = Field(
        (), description="The dated points, in strictly increasing date order."
    )


class Shock(_Frozen):
    """A spell in which turnover rises, hiring stops or posts are cut."""

    start_after_months: capped(MAX_MONTHS) = Field(
        0.0, description="Months after scenario.start that the shock begins."
    )
    months: capped(MAX_MONTHS) = Field(
        0.0, description="How long the shock lasts, in months (0 = no shock)."
    )
    turnover_points: float = Field(
        0.0,
        ge=0.0,
        le=MAX_TURNOVER_POINTS,
        description="Percentage points added to each role's annual turnover while the shock lasts.",
    )
    hiring_freeze: bool = Field(
        False,
        description="No post is filled while the shock lasts: a vacancy's hiring delay runs "
        "only outside it.",
    )
    posts_cut: Share = Field(
        0.0,
        description="Share of each role's posts cut when the shock begins (closing as "
        "workforce.over_time.cut_posts says, by attrition unless told otherwise).",
    )
    restore: bool = Field(
        False, description="Whether the posts cut are restored (opened vacant) when it ends."
    )


SHOCK = "workforce.shock"
SHOCK_EFFECTS = ("turnover_points", "hiring_freeze", "posts_cut")


def shock_lacks(shock: Shock) -> list[str]:
    """What a shock lacks to do anything, in words naming the keys (empty when it acts).

    A shock of 0 months is no shock; one with no added turnover, no freeze and no cut
    changes nothing.
    """
    lacks = []
    if shock.months == 0:
        lacks.append(f"{SHOCK}.months (how long it lasts; 0 is no shock)")
    if not any(getattr(shock, name) for name in SHOCK_EFFECTS):
        lacks.append(f"what it does ({SHOCK}.turnover_points, hiring_freeze or posts_cut)")
    return lacks


def started_shock_problem(shock: Shock | None, set_keys: list[str], where: str) -> str | None:
    """The one line refusing a shock that ``set_keys`` started in a scenario without one
    and that does nothing (or whose ``restore`` has no cut to restore), else None.

    Setting one key of a shock the scenario lacks (``--set workforce.shock.restore=true``)
    starts the table with every other key at its default: 0 months, no turnover, no freeze,
    no cut. A run of it would be the scenario unchanged while the user believes a lever was
    pulled, so it is refused, saying what the shock still needs. A shock given in the file
    stays as it is (``months = 0`` is how a file, a sweep or a variant turns it off).
    """
    keys = [k for k in set_keys if k == SHOCK or k.startswith(SHOCK + ".")]
    if shock is None or not keys:
        return None
    lacks = shock_lacks(shock)
    if lacks:
        makes = "this key makes" if len(keys) == 1 else "these keys make"
        return (
            f"{where} {', '.join(keys)}: the scenario has no workforce shock, so {makes} one "
            f"that does nothing; give {' and '.join(lacks)}"
        )
    if shock.restore and not shock.posts_cut:
        return (
            f"{where} {SHOCK}.restore: restore reopens the posts a shock cuts, and this shock "
            f"cuts none; give {SHOCK}.posts_cut (the share of posts cut) or leave restore out"
        )
    return None


def paths_problems(start: Any, horizon: Any, workforce: Any) -> list[str]:
    """Points out of date order or after the horizon's end, as key lines.

    Works on plain data and skips whatever is malformed, so it runs whether or not the
    table's own fields were valid (every problem is shown in one go).
    """
    over_time = workforce.get("over_time") if isinstance(workforce, dict) else None
    points = over_time.get("points") if isinstance(over_time, dict) else None
    if not isinstance(points, list | tuple):
        return []
    dated = [
        (i, point["date"])
        for i, point in enumerate(points)
        if isinstance(point, dict) and is_date(point.get("date"))
    ]
    problems = [
        f"workforce.over_time.points.{i}.date: {day} must be after points.{j}.date "
        f"({before}); the dates strictly increase"
        for (j, before), (i, day) in zip(dated, dated[1:], strict=False)
        if day <= before
    ]
    if is_date(start) and isinstance(horizon, int) and not isinstance(horizon, bool):
        end = add_months(start, horizon)
        problems += [
            f"workforce.over_time.points.{i}.date: {day} is after the horizon's end "
            f"({end}); a point falls within the run or before it"
            for i, day in dated
            if day > end
        ]
    return problems
