"""Every council's published workforce figures: reading them, finding a council, pooling years.

The Department for Education publishes, for each English local authority and reporting year
(to 30 September), the children and family social workers in post, starters, leavers,
vacancies and agency workers (``sim/councils/data/csww_indicators_2017_to_2025.csv``,
shipped with the package; see ``sim/councils/data/README.md``). This module turns those rows
into the few flows a scenario needs, pooled over a run of years so that one odd year does
not dominate:

- turnover (leavers per person-year) = sum of leavers / sum of in post (the DfE definition);
- the mean time a post lacks a permanent holder = sum of vacancies / sum of starters
  (Little's law: vacancies in the queue = rate posts are filled x time each waits);
- the vacancy rate = sum of vacancies / sum of (in post + vacancies);
- the share of vacancies covered by agency workers = mean of vacancy_agency_cover_rate_fte.

The file is only ever parsed (``csv``), never executed. Suppressed or unavailable figures
(``x``, ``z``, ``u``, ``c``, ``low``) are missing values, and a year missing a figure is left
out of that figure's pool, with a note saying so. Councils reorganised during the period
have messages that name their successors or predecessors.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..scenario.keys import ScenarioError

DATA_FILE = Path(str(resources.files("sim.councils") / "data" / "csww_indicators_2017_to_2025.csv"))
ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
RELEASE = "DfE Children's social work workforce, reporting year 2025 release"
SHORT_RELEASE = "DfE CSWW 2025 release"

# The columns a scenario is built from (FTE; rates in per cent).
FIGURES = (
    "inpost_fte",
    "inpost_headcount",
    "starters_fte",
    "leavers_fte",
    "turnover_rate_fte",
    "agency_fte",
    "agency_rate_fte",
    "agency_cover_fte",
    "vacancy_fte",
    "vacancy_rate_fte",
    "vacancy_agency_cover_rate_fte",
)
# How the DfE marks a figure it does not publish (suppressed, not applicable, unreliable,
# confidential, too low to show). Anything else that is not a number is also missing.
PLACEHOLDERS = frozenset({"x", "z", "u", "c", "low", ":", "..", ".", ""})

# (old names, new names, first year of the new authorities): reporting years end on
# 30 September, so the first year of a new authority is the year it first reported.
REORGANISATIONS: tuple[tuple[tuple[str, ...], tuple[str, ...], int], ...] = (
    (("Bournemouth", "Poole"), ("Bournemouth, Christchurch and Poole",), 2019),
    (("Northamptonshire",), ("North Northamptonshire / West Northamptonshire",), 2021),
    (("Cumbria",), ("Cumberland", "Westmorland and Furness"), 2023),
)


@dataclass(frozen=True)
class Council:
    """One local authority's rows: ``figures[year][column]`` is a number or None (missing)."""

    name: str
    code: str
    region: str
    figures: dict[int, dict[str, float | None]] = field(repr=False)

    @property
    def years(self) -> tuple[int, ...]:
        """The years with published figures, oldest first."""
        return tuple(sorted(self.figures))

    def latest(self, column: str = "inpost_fte") -> int | None:
        """The latest year in which ``column`` is published, or None."""
        found = [y for y in self.years if self.figures[y].get(column) is not None]
        return found[-1] if found else None


def to_number(text: str | None) -> float | None:
    """A CSV cell as a number; a placeholder token, blank or anything unreadable is None."""
    if text is None:
        return None
    cell = text.strip()
    if cell.lower() in PLACEHOLDERS:
        return None
    try:
        value = float(cell.replace(",", ""))
    except ValueError:
        return None
    return value if value == value else None  # NaN is missing too


def read_councils(path: str | Path = DATA_FILE) -> dict[str, Council]:
    """Read the local-authority rows of a DfE indicators file, by council name.

    Raises
    ------
    ScenarioError
        When the file cannot be read or lacks the columns needed.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise ScenarioError([f"{path}: cannot read the DfE data ({exc})"]) from None
    needed = {"time_period", "geographic_level", "la_name", *FIGURES}
    missing = sorted(needed - set(rows[0] if rows else ()))
    if missing:
        raise ScenarioError([f"{path}: not the DfE indicators file (missing {', '.join(missing)})"])
    councils: dict[str, dict] = {}
    for row in rows:
        if row["geographic_level"].strip() != "Local authority":
            continue
        name = row["la_name"].strip()
        entry = councils.setdefault(
            name,
            {"code": row.get("new_la_code", ""), "region": row.get("region_name", ""), "fig": {}},
        )
        year = int(row["time_period"][:4])
        entry["fig"][year] = {column: to_number(row[column]) for column in FIGURES}
    return {
        name: Council(name, e["code"].strip(), e["region"].strip(), e["fig"])
        for name, e in sorted(councils.items())
    }


@lru_cache(maxsize=1)
def councils() -> dict[str, Council]:
    """The councils in the shipped data file (read once)."""
    return read_councils(DATA_FILE)


# --------------------------------------------------------------------------- years


def parse_years(text: str) -> tuple[int, int]:
    """``"2019:2023"`` (or ``"2019-2023"``, or one year) as (first, last)."""
    parts = re.split(r"[:\-–]", text.strip())
    try:
        numbers = [int(p) for p in parts if p.strip()]
    except ValueError:
        numbers = []
    if len(numbers) == 1:
        numbers *= 2
    if len(numbers) != 2 or len(parts) > 2:
        raise ScenarioError([f"--years {text!r}: expected FIRST:LAST, e.g. 2021:2025"])
    first, last = numbers
    if first > last:
        raise ScenarioError([f"--years {text!r}: the first year ({first}) is after the last"])
    return first, last


def _reorganisation(name: str) -> tuple[str, int] | None:
    """(message, year) for a council that ended or began in a reorganisation."""
    for old, new, year in REORGANISATIONS:
        if name in old:
            into = " and ".join(new)
            verb = "merged into" if len(old) > 1 else "reorganised into"
            return f"{verb} {into} in {year}", year
        if name in new:
            came = " and ".join(old)
            return f"created in {year} from {came}", year
    return None


def _successors(name: str) -> tuple[str, ...]:
    return next((new for old, new, _ in REORGANISATIONS if name in old), ())


def _predecessors(name: str) -> tuple[str, ...]:
    return next((old for old, new, _ in REORGANISATIONS if name in new), ())


def choose_years(
    council: Council, year: int | None = None, years: tuple[int, int] | None = None
) -> tuple[int, ...]:
    """The reporting years to pool: one year, a range, or by default the latest five.

    Raises
    ------
    ScenarioError
        When a requested year has no row for this council, saying why (a reorganisation)
        and what to choose instead.
    """
    have = council.years
    if year is not None and years is not None:
        raise ScenarioError(["give either --year or --years, not both"])
    if year is None and years is None:
        return have[-5:]
    first, last = (year, year) if year is not None else years  # type: ignore[misc]
    wanted = range(first, last + 1)
    absent = [y for y in wanted if y not in council.figures]
    if not absent:
        return tuple(wanted)
    label = f"{first}" if first == last else f"{first}-{last}"
    reorganised = _reorganisation(council.name)
    if reorganised and max(absent) > have[-1]:
        why, _ = reorganised
        successors = _successors(council.name)
        which = "one of the successors" if len(successors) > 1 else "the successor"
        raise ScenarioError(
            [
                f"{council.name}: no figures after {have[-1]} ({why}); "
                f"choose --years up to {have[-1]} or {which} ({' or '.join(successors)})"
            ]
        )
    if reorganised and min(absent) < have[0]:
        why, _ = reorganised
        before = " or ".join(_predecessors(council.name))
        raise ScenarioError(
            [
                f"{council.name}: no figures before {have[0]} ({why}); "
                f"choose --years from {have[0]} or the former authority ({before})"
            ]
        )
    raise ScenarioError(
        [
            f"{council.name}: no figures for {', '.join(map(str, absent))} "
            f"(asked for {label}; the data have {have[0]}-{have[-1]}); choose years in that range"
        ]
    )


def year_label(years: tuple[int, ...] | list[int]) -> str:
    """``2021-2025`` for a run of years, ``2019, 2021`` otherwise."""
    years = sorted(years)
    if not years:
        return "no years"
    if len(years) == 1:
        return str(years[0])
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return ", ".join(map(str, years))


# --------------------------------------------------------------------------- flows


@dataclass(frozen=True)
class Flows:
    """A council's workforce flows pooled over years, each with what it came from.

    Attributes
    ----------
    posts_fte
        Mean of in post + vacancies (FTE): the establishment of social-work posts.
    turnover
        Leavers per person-year (a fraction): sum of leavers / sum of in post.
    hiring_delay_months
        Sum of vacancies / sum of starters, in months (Little's law).
    vacancy_rate
        Sum of vacancies / sum of (in post + vacancies), a fraction.
    agency_cover
        Mean share of vacancies covered by agency workers, a fraction (at most 1).
    leavers_per_year, inpost_fte
        Mean leavers and mean in post over the years with both figures (for checks).
    turnover_spread, hiring_delay_spread
        How far the council's own yearly figures stray from the pooled one: the standard
        deviation of the yearly values divided by the pooled value (so the sd of a factor
        with mean 1 that multiplies it; :func:`yearly_spread`). None when nothing varies.
    sources
        For each attribute above, a sentence naming council, years, columns and the sums.
    notes
        Years left out of a figure because the DfE did not publish it, and, for a council
        that ended or began in a reorganisation, which years it has and why
        (:func:`reorganisation_note`).
    """

    council: str
    years: tuple[int, ...]
    posts_fte: float
    turnover: float
    hiring_delay_months: float
    vacancy_rate: float
    agency_cover: float
    leavers_per_year: float
    inpost_fte: float
    sources: dict[str, str]
    notes: tuple[str, ...]
    turnover_spread: float | None = None
    hiring_delay_spread: float | None = None


def yearly_spread(
    yearly: dict[int, float], pooled: float, events: float
) -> tuple[float | None, str]:
    """The spread of yearly values around their pooled value, relative to it, and how it
    was found.

    With two years or more: the sample standard deviation (n - 1) of the yearly values over
    the pooled value, the year-to-year variation a future may face. With one year (or years
    all alike): the Poisson error of that year's count of ``events``, 1 / sqrt(events). None
    when there is nothing to measure (no events, or a pooled value of 0).
    """
    values = list(yearly.values())
    if pooled <= 0:
        return None, "nothing to vary"
    if len(values) >= 2:
        mean = sum(values) / len(values)
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
        if sd > 0:
            return sd / pooled, "sd of the yearly values / the pooled value"
    if events > 0:
        return 1.0 / math.sqrt(events), f"one year: Poisson error 1 / sqrt({events:,.1f})"
    return None, "nothing to vary"


def _pool(council: Council, years, columns: tuple[str, ...]) -> tuple[list[int], list[int]]:
    """Years with every column published, and years left out."""
    used, dropped = [], []
    for y in years:
        row = council.figures.get(y, {})
        (used if all(row.get(c) is not None for c in columns) else dropped).append(y)
    return used, dropped


def reorganisation_note(council: Council, years: tuple[int, ...]) -> str:
    """For a council that ended or began in a reorganisation, which years its figures come
    from and why there are no others (as ``rollout national`` says); '' for any other.
    """
    reorganised = _reorganisation(council.name)
    if reorganised is None or not council.years:
        return ""
    why, year = reorganised
    have, label = council.years, year_label(years)
    if year > have[-1]:  # it no longer exists: its figures are old whatever the years
        return f"no figures after {have[-1]} ({why}): these are its last figures, {label}"
    if years and years[0] == have[0]:  # the years asked for reach back to its creation
        return f"no figures before {have[0]} ({why}): only {label}"
    return ""


def pooled_flows(council: Council, years: tuple[int, ...]) -> Flows:
    """Pool a council's figures over ``years`` into the flows a scenario needs.

    Raises
    ------
    ScenarioError
        When a flow cannot be worked out (every year suppressed, or no one in post or no
        starters at all), naming the council, the years and the columns.
    """
    name, label = council.name, year_label(years)
    fig = council.figures
    problems: list[str] = []
    notes: list[str] = [note] if (note := reorganisation_note(council, years)) else []
    sources: dict[str, str] = {}
    where = f"{SHORT_RELEASE}, {name}"

    def pooled(columns: tuple[str, ...], what: str) -> list[int]:
        used, dropped = _pool(council, years, columns)
        if dropped:
            notes.append(
                f"{what}: {year_label(dropped)} left out ({' or '.join(columns)} not published)"
            )
        if not used:
            problems.append(
                f"{name}: {what} cannot be worked out for {label}: "
                f"{' and '.join(columns)} not published in any of those years; choose other --years"
            )
        return used

    def total(column: str, used: list[int]) -> float:
        return sum(fig[y][column] for y in used)  # type: ignore[misc]

    def fmt(x: float) -> str:
        return f"{x:,.1f}"

    posts_years = pooled(("inpost_fte", "vacancy_fte"), "posts")
    turnover_years = pooled(("leavers_fte", "inpost_fte"), "turnover")
    delay_years = pooled(("vacancy_fte", "starters_fte"), "hiring delay")
    cover_years = pooled(("vacancy_agency_cover_rate_fte",), "agency cover")
    if problems:
        raise ScenarioError(problems)

    posts = total("inpost_fte", posts_years) + total("vacancy_fte", posts_years)
    vacancies = total("vacancy_fte", posts_years)
    posts_fte = posts / len(posts_years)
    vacancy_rate = vacancies / posts if posts > 0 else 0.0
    leavers = total("leavers_fte", turnover_years)
    inpost = total("inpost_fte", turnover_years)
    starters = total("starters_fte", delay_years)
    delay_vacancies = total("vacancy_fte", delay_years)
    cover_rates = [fig[y]["vacancy_agency_cover_rate_fte"] for y in cover_years]
    if inpost <= 0:
        problems.append(f"{name}: no one in post in {year_label(turnover_years)}: no turnover")
    if starters <= 0 and delay_vacancies > 0:
        problems.append(
            f"{name}: vacancies but no starters in {year_label(delay_years)}: "
            "the time a post stays vacant cannot be worked out; choose other --years"
        )
    if posts_fte < 1:
        problems.append(f"{name}: fewer than one post (FTE) in {year_label(posts_years)}")
    if problems:
        raise ScenarioError(problems)

    turnover = leavers / inpost
    delay_months = 12.0 * delay_vacancies / starters if delay_vacancies > 0 else 0.0
    cover = min(1.0, sum(cover_rates) / len(cover_rates) / 100.0)  # type: ignore[arg-type]

    sources["posts_fte"] = (
        f"{where} {year_label(posts_years)}: mean of inpost_fte + vacancy_fte "
        f"= {fmt(posts)} / {len(posts_years)} = {posts_fte:.1f} FTE"
    )
    sources["vacancy_rate"] = (
        f"{where} {year_label(posts_years)}: sum vacancy_fte / sum (inpost_fte + vacancy_fte) "
        f"= {fmt(vacancies)} / {fmt(posts)} = {100 * vacancy_rate:.1f} %"
    )
    sources["turnover"] = (
        f"{where} {year_label(turnover_years)}: sum leavers_fte / sum inpost_fte "
        f"= {fmt(leavers)} / {fmt(inpost)} = {turnover:.3f} a year"
    )
    sources["hiring_delay_months"] = (
        f"{where} {year_label(delay_years)}: sum vacancy_fte / sum starters_fte "
        f"= {fmt(delay_vacancies)} / {fmt(starters)} years x 12 = {delay_months:.1f} months "
        "(Little's law)"
    )
    sources["agency_cover"] = (
        f"{where} {year_label(cover_years)}: mean vacancy_agency_cover_rate_fte "
        f"= {100 * cover:.1f} % of vacancies covered by agency workers"
    )
    yearly_turnover = {
        y: fig[y]["leavers_fte"] / fig[y]["inpost_fte"]  # type: ignore[operator]
        for y in turnover_years
        if fig[y]["inpost_fte"] > 0  # type: ignore[operator]
    }
    yearly_delay = {
        y: 12.0 * fig[y]["vacancy_fte"] / fig[y]["starters_fte"]  # type: ignore[operator]
        for y in delay_years
        if fig[y]["starters_fte"] > 0  # type: ignore[operator]
    }
    turnover_spread, how = yearly_spread(yearly_turnover, turnover, leavers)
    listed = ", ".join(f"{100 * v:.1f}" for v in yearly_turnover.values())
    sources["turnover_factor"] = (
        f"{where} leavers_fte / inpost_fte year by year {year_label(list(yearly_turnover))}: "
        f"{listed} % around the pooled {100 * turnover:.1f} %; "
        + (f"{how} = {turnover_spread:.3f}" if turnover_spread else how)
        + ": each future faces one turnover level for every role for its whole run"
    )
    delay_spread, how = yearly_spread(yearly_delay, delay_months, starters)
    listed = ", ".join(f"{v:.1f}" for v in yearly_delay.values())
    sources["hiring_delay_factor"] = (
        f"{where} 12 x vacancy_fte / starters_fte year by year {year_label(list(yearly_delay))}: "
        f"{listed} months around the pooled {delay_months:.1f}; "
        + (f"{how} = {delay_spread:.3f}" if delay_spread else how)
        + ": each future faces one vacancy length for every role for its whole run"
    )
    return Flows(
        turnover_spread=turnover_spread,
        hiring_delay_spread=delay_spread if delay_months > 0 else None,
        council=name,
        years=tuple(years),
        posts_fte=posts_fte,
        turnover=turnover,
        hiring_delay_months=delay_months,
        vacancy_rate=vacancy_rate,
        agency_cover=cover,
        leavers_per_year=leavers / len(turnover_years),
        inpost_fte=inpost / len(turnover_years),
        sources=sources,
        notes=tuple(notes),
    )
