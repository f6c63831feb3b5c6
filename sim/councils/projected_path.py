"""A council's observed workforce path and its default projection, as scenario entries.

``rollout new --council X`` reads some of the council's DfE years. This module turns them
into ``[workforce.over_time]`` points, one per year read (dated 30 September, the end of the
DfE's reporting year), each saying how that year's posts, turnover, vacancy length and agency
cover stood against the pooled constants the roles are written with; and a last point on the
scenario's start, the projection: the last year read carried forward (the ``naive`` centre of
:mod:`.projection`) with the spread of what happened to councils in general over the same
gap (``naive+national``, :data:`.projection.DEFAULT_METHOD`; docs/projection.md).

Its uncertainty is written as ``[uncertainty]`` entries the model already draws. Each is one
draw per future that shifts the whole projected path (a correlated path): independent draws
per projected year averaged out in the model and gave bands far too narrow (issue 23). The
spread of that one draw is the root mean square of the national spread over the years the
scenario runs (so it is too wide in the first year and too narrow in the last, and right on
average; the hindcast, :mod:`sim.national.hindcast`, checks it):

- posts (in post + vacancies): the point's ``posts_factor``, a symmetric triangle whose 90 %
  band matches the national spread of in-post FTE (relative);
- turnover: the point's ``turnover_points``, a symmetric triangle likewise (points);
- vacancy rate: through the hiring delay, since in the model's steady state vacancies per
  filled post = turnover × hiring delay. ``workforce.hiring_delay_factor`` is drawn on a
  log scale (lognormal, median 1), so a delay is never drawn as 0; its log spread is the
  vacancy band's (as vacancies per filled post) less what the turnover draw already adds;
- agency rate: the point's ``agency_cover_factor`` (share of vacancies covered), a
  triangle from the agency rate's band, less what the vacancy draw already adds.

Nothing is simulated here; the spreads come from :func:`.projection.national_spread` on every
council's figures in the same years.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from . import figures as data
from .projection import DEFAULT_METHOD, NationalSpread, national_spread

Z90 = 1.6448536269514722  # the normal's 95th percentile: a 90 % band is ±Z90 sd
# A symmetric triangle on [-a, a] holds 90 % within ±0.6838 a, so one with the normal's 90 %
# band has a = Z90 · sd / (1 − √0.1).
TRIANGLE = Z90 / (1 - math.sqrt(0.1))
MEASURES = ("inpost_fte", "vacancy_rate", "agency_rate", "turnover")
LOWEST_VACANCY = 0.005  # a vacancy rate of 0 has no delay to scale; 0.5 % stands for it
HIGHEST_SHARE = 0.95
MAX_FACTOR = 10.0  # sim.scenario.limits.MAX_POSTS_FACTOR


def reporting_day(year: int) -> date:
    """The day a DfE reporting year's figures describe (30 September)."""
    return date(year, 9, 30)


@lru_cache(maxsize=8)
def spreads(years: tuple[int, ...]) -> dict[str, NationalSpread]:
    """The national spread of each projected measure over ``years``, every council's."""
    panel = {name: c.figures for name, c in data.councils().items()}
    out = {}
    for measure in MEASURES:
        try:
            out[measure] = national_spread(panel, measure, years)
        except ValueError:
            continue
    return out


def rms_scale(spread: NationalSpread, gaps: Sequence[int]) -> float:
    """The root mean square of the national scale over ``gaps`` (years)."""
    return math.sqrt(sum(spread.at(g) ** 2 for g in gaps) / len(gaps))


@dataclass
class PathPoint:
    """One point of the path: its date, its values and what they came from."""

    day: date
    values: dict[str, float]
    year: int | None  # the DfE year it shows; None for the projection point
    note: str = ""


@dataclass
class Projection:
    """The points to write and the uncertainty that goes with them."""

    points: list[PathPoint]
    uncertainty: dict[str, dict] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    gaps: tuple[int, ...] = ()
    scales: dict[str, float] = field(default_factory=dict)
    last_year: int | None = None


def _last(fig: Mapping[int, Mapping], years: Sequence[int], column: str) -> tuple[int, float]:
    """The latest year in ``years`` with ``column`` published, and its value (or None)."""
    for year in sorted(years, reverse=True):
        value = fig.get(year, {}).get(column)
        if value is not None and math.isfinite(value):
            return year, float(value)
    return None, None  # type: ignore[return-value]


def _year_values(fig: Mapping, year: int) -> dict[str, float | None]:
    """One year's posts, turnover, vacancy rate and agency cover (fractions), or None."""
    row = fig.get(year, {})
    inpost, vacant = row.get("inpost_fte"), row.get("vacancy_fte")
    leavers = row.get("leavers_fte")
    cover = row.get("vacancy_agency_cover_rate_fte")
    posts = inpost + vacant if inpost is not None and vacant is not None else None
    turnover = leavers / inpost if leavers is not None and inpost else None
    vacancy = vacant / posts if vacant is not None and posts else None
    return {
        "posts": posts,
        "turnover": turnover,
        "vacancy": vacancy,
        "cover": min(cover / 100, 1.0) if cover is not None else None,
    }


def _delay_factor(vacancy: float, turnover: float, delay_months: float) -> float | None:
    """The factor on the pooled delay that makes the model's steady state hold ``vacancy``."""
    if not delay_months or not turnover:
        return None
    v = min(max(vacancy, LOWEST_VACANCY), HIGHEST_SHARE)
    months = 12 * v / ((1 - v) * turnover)
    return months / delay_months


def _clip(x: float, low: float = 0.0, high: float = MAX_FACTOR) -> float:
    return min(max(x, low), high)


def _triangle(mode: float, half: float, low: float, high: float) -> dict | None:
    """A triangle around ``mode`` of half-width ``half`` within [low, high]; None when too
    narrow to write (no uncertainty: a factor of 0 stays 0).
    """
    a, b = round(max(low, mode - half), 4), round(min(high, mode + half), 4)
    if b - a < 0.001:
        return None
    mode = min(max(mode, a), b)
    return {
        "distribution": "triangular",
        "low": a,
        "mode": round(mode, 4),
        "high": b,
    }


def _put(projection: Projection, key: str, entry: dict | None, source: str) -> None:
    if entry is not None:
        projection.uncertainty[key] = {**entry, "source": source}


def lognormal(median: float, sigma: float) -> dict:
    """A lognormal entry with the given median and log-scale sd (the schema takes mean, sd)."""
    mean = median * math.exp(sigma**2 / 2)
    sd = mean * math.sqrt(math.expm1(sigma**2))
    return {"distribution": "lognormal", "mean": round(mean, 4), "sd": round(sd, 4)}


def council_path(
    council: data.Council,
    years: Sequence[int],
    start: date,
    horizon_months: int,
    flows: data.Flows,
    posts: int,
    turnover: float,
    delay_months: float,
    cover: float,
) -> Projection | None:
    """The observed points of ``years`` and the projection from ``start`` (None without
    any year to read: nothing is projected, the constants stand).

    ``posts``, ``turnover``, ``delay_months`` and ``cover`` are the constants the file gives
    the social-work roles (and ``workforce.agency_cover``), which the points multiply.
    """
    fig = council.figures
    where = f"[DfE] {council.name}"
    observed = []
    for year in sorted(years):
        day = reporting_day(year)
        if day >= start:
            continue  # a year reported after the start is not a path the run has seen
        got = _year_values(fig, year)
        values = {}
        if got["posts"] is not None and posts:
            values["posts_factor"] = round(_clip(got["posts"] / posts), 3)
        if got["turnover"] is not None:
            values["turnover_points"] = round(100 * (got["turnover"] - turnover), 2)
        if got["vacancy"] is not None and got["turnover"]:
            factor = _delay_factor(got["vacancy"], got["turnover"], delay_months)
            if factor is not None:
                values["hiring_delay_factor"] = round(_clip(factor), 3)
        if got["cover"] is not None and cover > 0:
            values["agency_cover_factor"] = round(_clip(got["cover"] / cover), 3)
        observed.append(PathPoint(day, values, year))
    if not observed:
        return None
    last = observed[-1]
    fitted = tuple(sorted(int(y) for y in years))
    national = spreads(fitted) if len(fitted) >= 2 else {}
    first_gap = start.year - last.year + (1 if start > date(start.year, 9, 30) else 0)
    first_gap = max(first_gap, 1)
    horizon_years = max(1, math.ceil(horizon_months / 12))
    gaps = tuple(range(first_gap, first_gap + horizon_years))
    scales = {m: rms_scale(s, gaps) for m, s in national.items()}
    point = PathPoint(start, dict(last.values), None, note=f"{last.year} carried forward")
    projection = Projection([*observed, point], gaps=gaps, scales=scales, last_year=last.year)
    index = len(observed)
    key = f"workforce.over_time.points.{index}"
    method = (
        f"{DEFAULT_METHOD}: {last.year} carried forward; spread of councils' "
        f"{data.year_label(list(fitted))} changes over {gaps[0]}-{gaps[-1]} years "
        "(root mean square), one draw per future for the whole projected path"
    )
    got = _year_values(fig, last.year)
    if "posts_factor" in point.values and "inpost_fte" in scales:
        f = point.values["posts_factor"]
        # In post = posts x (1 - vacancy rate): the vacancy draw already moves it by about
        # its spread / (1 - rate), so the posts take the rest of in-post FTE's spread.
        v = got["vacancy"] if got["vacancy"] is not None else 0.0
        vacancy_part = scales.get("vacancy_rate", 0.0) / max(1 - v, 0.05)
        own = math.sqrt(max(scales["inpost_fte"] ** 2 - vacancy_part**2, 0.0))
        half = TRIANGLE * max(own, scales["inpost_fte"] / 2) * f
        _put(
            projection,
            f"{key}.posts_factor",
            _triangle(f, half, 0.0, MAX_FACTOR),
            f"{where} posts {last.year} / pooled posts; {method}",
        )
    if "turnover_points" in point.values and "turnover" in scales:
        p = point.values["turnover_points"]
        half = TRIANGLE * 100 * scales["turnover"]
        _put(
            projection,
            f"{key}.turnover_points",
            _triangle(p, half, -100.0, 100.0),
            f"{where} turnover {last.year} - pooled, in points; {method}",
        )
    if "hiring_delay_factor" in point.values and "vacancy_rate" in scales:
        v = min(max(got["vacancy"], LOWEST_VACANCY), HIGHEST_SHARE)
        high = min(v + Z90 * scales["vacancy_rate"], HIGHEST_SHARE)
        # vacancies per filled post, x = v / (1 - v) = turnover x delay, on a log scale
        vacancy_log = math.log((high / (1 - high)) / (v / (1 - v))) / Z90
        sigma = vacancy_log  # the hindcast: taking the turnover draw's part out made it narrow
        projection.uncertainty["workforce.hiring_delay_factor"] = {
            **lognormal(1.0, sigma),
            "source": f"{where} vacancy rate {last.year} as a hiring delay (vacancies per "
            "filled post = turnover x delay); on a log scale, less the turnover draw's part; "
            + method,
        }
    if "agency_cover_factor" in point.values and "agency_rate" in scales:
        row = fig.get(last.year, {})
        rate = (row.get("agency_rate_fte") or 0.0) / 100
        if rate > 0:
            a = min(rate, HIGHEST_SHARE)
            high = min(a + Z90 * scales["agency_rate"], HIGHEST_SHARE)
            agency_log = math.log((high / (1 - high)) / (a / (1 - a))) / Z90
            sigma = agency_log
            f = point.values["agency_cover_factor"]
            # a triangle on the factor whose 90 % band is that of a lognormal of sd sigma
            half = f * (math.exp(Z90 * sigma) - 1) / (1 - math.sqrt(0.1))
            _put(
                projection,
                f"{key}.agency_cover_factor",
                _triangle(f, half, 0.0, MAX_FACTOR),
                f"{where} agency cover {last.year} / pooled; {method}",
            )
    projection.sources["workforce.over_time.points"] = (
        f"{where} {data.year_label(list(years))}, each year against the pooled constants "
        f"(posts = inpost_fte + vacancy_fte; turnover = leavers_fte / inpost_fte; hiring delay "
        f"so that vacancies per filled post = turnover x delay; agency cover = "
        f"vacancy_agency_cover_rate_fte); the last point projects {last.year} forward "
        f"({DEFAULT_METHOD}, docs/projection.md)"
    )
    return projection
