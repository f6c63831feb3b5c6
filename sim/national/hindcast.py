"""``rollout hindcast``: councils built from some DfE years, run on, and set against the years
the DfE published next.

For each council, a scenario is built from the ``fit`` years exactly as ``rollout new
--council`` builds one (its observed path, the default projection,
:mod:`sim.councils.projected_path`, and the posts vacant as the last fitted year stood),
starting on 1 October after the last fitted year (the day after its reporting year ends),
with no programme and no champions, and run to 30 September of the last ``check`` year: only
the run's length is the hindcast's own (``tests/hindcast`` fails if anything else differs).
Each future's in-post FTE, headcount, vacancy rate and agency rate on 30 September of every
checked year, and its leavers over that reporting year, are set against the DfE figures: the
band that holds 90 % of futures (5th to 95th percentile), its mean, and the naive forecast
(the last fitted year carried forward).

The model has one post per FTE, so its in-post FTE is the count of permanent staff in post,
its headcount that count times the council's headcount per FTE in the fitted years, its
vacancy rate vacancies / (vacancies + in post) and its agency rate agency workers / (agency
workers + in post), as the DfE defines them. Councils that cannot be built (``rollout
national``'s list, :func:`sim.national.scenarios.build`) or have no checked figure are kept
in the account with the reason.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..councils import figures as data
from ..councils.templates import template_for
from ..experiments.batches import Point
from ..experiments.folders import session
from ..experiments.formats import write_csv
from ..experiments.settings import RunSettings, settings_of
from ..scenario.keys import BadInput
from ..scenario.limits import MAX_REPS
from ..scenario.loading import load_scenario
from . import scenarios

# measure -> (plain label, kind, DfE column, factor to a fraction)
MEASURES: dict[str, tuple[str, str, str, float]] = {
    "inpost_fte": ("in-post FTE", "count", "inpost_fte", 1.0),
    "headcount": ("headcount", "count", "inpost_headcount", 1.0),
    "vacancy_rate": ("vacancy rate", "rate", "vacancy_rate_fte", 0.01),
    "agency_rate": ("agency rate", "rate", "agency_rate_fte", 0.01),
    "leavers_fte": ("leavers (FTE)", "count", "leavers_fte", 1.0),
}
# The aim (issue 23, item 5): at least this share inside the 90 % band for these measures.
AIM, AIMED = 0.80, ("vacancy_rate", "inpost_fte")
COLUMNS = (
    "council",
    "year",
    "measure",
    "observed",
    "mean",
    "band_low",
    "band_high",
    "naive",
    "inside_band",
    "error",
    "naive_error",
)
NO_PROGRAMME = ("programme.phases=[]", "champions.target=0")
# Futures below which the band (Weibull plotting positions, ranks 0.05 and 0.95 of n + 1)
# is the lowest to the highest future, holding fewer than 90 % of new ones.
MIN_FUTURES = 19
FUTURES_APART = MAX_REPS  # no run has more futures than this


def futures_of(council: str) -> int:
    """The first future (replication) a council runs: its own, from its name.

    Unlike ``rollout national``, councils are not compared with one another here: sharing
    their futures would make every council's band move with the same few draws, so that
    the council-years' misses come together. Futures ``F + r`` with ``F`` from the name
    (spaced by :data:`FUTURES_APART`) keep each council's futures its own, whichever
    councils are asked for.
    """
    return FUTURES_APART * (zlib.crc32(council.encode("utf-8")) % 1_000_000)


def label(measure: str) -> str:
    """The measure's plain label."""
    return MEASURES[measure][0]


def parse_span(text: str, flag: str) -> tuple[int, ...]:
    """``FIRST:LAST`` (or one year) as the years it spans, within the DfE data.

    Raises
    ------
    BadInput
        One line naming the flag: not years, in the wrong order, or outside the data.
    """
    try:
        first, last = data.parse_years(text)
    except BadInput as exc:
        raise BadInput(
            [f"{flag} {text}: {line.split(': ', 1)[-1]}" for line in exc.lines]
        ) from None
    have = sorted({y for c in data.councils().values() for y in c.years})
    if first < have[0] or last > have[-1]:
        raise BadInput(
            [f"{flag} {text}: the DfE figures run from {have[0]} to {have[-1]}; choose years in it"]
        )
    return tuple(range(first, last + 1))


def check_spans(fit: tuple[int, ...], check: tuple[int, ...], fit_text: str, check_text: str):
    """Refuse a fit of fewer than two years, or checked years not after the fitted ones."""
    if len(fit) < 2:
        raise BadInput(
            [f"--fit {fit_text}: give at least two years (the projection's spread needs them)"]
        )
    if min(check) <= max(fit):
        raise BadInput(
            [f"--check {check_text}: the checked years must come after --fit {fit_text}"]
        )


def start_of(fit: Sequence[int]) -> date:
    """The scenarios' start: the day after the last fitted reporting year ends."""
    return date(max(fit), 10, 1)


def horizon_of(fit: Sequence[int], check: Sequence[int]) -> int:
    """Months from the start to 30 September of the last checked year."""
    return 12 * (max(check) - max(fit))


def month_of(start: date, year: int) -> int:
    """The month (from 0) whose end is 30 September of ``year``."""
    return (year - start.year) * 12 + (9 - start.month)


@dataclass
class Hindcast:
    """A hindcast's tables: one row per council, year and measure; coverage per measure;
    the councils left out with why.
    """

    table: pd.DataFrame
    coverage: pd.DataFrame
    by_year: pd.DataFrame
    skipped: dict[str, str]
    councils: list[str]
    fit: tuple[int, ...]
    check: tuple[int, ...]
    reps: int
    seed: int
    folder: Path | None = None


def build(
    fit: tuple[int, ...],
    check: tuple[int, ...],
    councils: Sequence[str] = (),
    template: str = "camden",
    overrides: Sequence[str] = (),
) -> tuple[list[scenarios.CouncilScenario], dict[str, str]]:
    """Every council's scenario from the fitted years, and the councils left out with why.

    ``overrides`` (``--set``) change every council's scenario after the programme is taken
    out (a what-if: the hindcast of a changed model).
    """
    try:
        built = scenarios.build(
            template,
            f"{fit[0]}:{fit[-1]}",
            start_of(fit),
            (*NO_PROGRAMME, *overrides),
            councils,
            horizon_months=horizon_of(fit, check),
        )
    except BadInput as exc:  # national's flag is --councils; this command's, --council
        raise BadInput([line.removeprefix("--councils: ") for line in exc.lines]) from None
    kept, skipped = [], {}
    for c in built:
        if not c.built:
            skipped[c.name] = c.reason
            continue
        figures = data.councils()[c.name].figures
        if not any(figures.get(y, {}).get("inpost_fte") is not None for y in check):
            skipped[c.name] = f"no DfE figures in {data.year_label(list(check))} to check against"
            continue
        kept.append(c)
    return kept, skipped


def _published(figures: dict, year: int, measure: str) -> float:
    _, _, column, factor = MEASURES[measure]
    value = figures.get(year, {}).get(column)
    return float(value) * factor if value is not None and math.isfinite(value) else math.nan


def _naive(figures: dict, fit: Sequence[int], measure: str) -> float:
    for year in sorted(fit, reverse=True):
        value = _published(figures, year, measure)
        if math.isfinite(value):
            return value
    return math.nan


def _headcount_ratio(figures: dict, fit: Sequence[int]) -> float:
    ratios = [
        _published(figures, y, "headcount") / _published(figures, y, "inpost_fte")
        for y in fit
        if _published(figures, y, "inpost_fte") > 0
    ]
    ratios = [r for r in ratios if math.isfinite(r)]
    return float(np.mean(ratios)) if ratios else math.nan


def futures(series: pd.DataFrame, start: date, years: Sequence[int], ratio: float) -> pd.DataFrame:
    """Each future's (replication's) measures in each checked year, from its monthly rows."""
    rows = []
    for rep, part in series.groupby("rep", sort=True):
        by_month = part.set_index("month").sort_index()
        for year in years:
            m = month_of(start, year)
            at = by_month.loc[m]
            inpost = float(at["headcount"])
            vacancies, agency = float(at["vacancies"]), float(at["agency"])
            leavers = float(by_month.loc[max(0, m - 11) : m, "leavers"].sum())
            rows.append(
                {
                    "rep": rep,
                    "year": year,
                    "inpost_fte": inpost,
                    "headcount": inpost * ratio,
                    "vacancy_rate": vacancies / (vacancies + inpost) if vacancies + inpost else 0,
                    "agency_rate": agency / (agency + inpost) if agency + inpost else 0,
                    "leavers_fte": leavers,
                }
            )
    return pd.DataFrame(rows)


def _error(value: float, observed: float, kind: str) -> float:
    """|value − observed|: in points for a rate, in per cent of the observed for a count."""
    if not (math.isfinite(value) and math.isfinite(observed)):
        return math.nan
    if kind == "rate":
        return 100 * abs(value - observed)
    return 100 * abs(value - observed) / observed if observed > 0 else math.nan


def council_rows(
    name: str, drawn: pd.DataFrame, fit: Sequence[int], check: Sequence[int]
) -> list[dict[str, Any]]:
    """One row per checked year and measure of one council (observed, band, naive)."""
    figures = data.councils()[name].figures
    rows = []
    for year in check:
        these = drawn[drawn["year"] == year]
        for measure, (_, kind, _, _) in MEASURES.items():
            observed = _published(figures, year, measure)
            values = these[measure].to_numpy(dtype=float)
            values = values[np.isfinite(values)]
            if not len(values):
                continue
            low, high = (float(v) for v in np.quantile(values, [0.05, 0.95], method="weibull"))
            mean = float(values.mean())
            naive = _naive(figures, fit, measure)
            rows.append(
                {
                    "council": name,
                    "year": year,
                    "measure": measure,
                    "observed": observed,
                    "mean": mean,
                    "band_low": low,
                    "band_high": high,
                    "naive": naive,
                    "inside_band": (
                        bool(low <= observed <= high) if math.isfinite(observed) else pd.NA
                    ),
                    "error": _error(mean, observed, kind),
                    "naive_error": _error(naive, observed, kind),
                }
            )
    return rows


def coverage_table(table: pd.DataFrame) -> pd.DataFrame:
    """Per measure: council-years checked, the share inside the band, median errors."""
    rows = []
    for measure in MEASURES:
        part = table[(table["measure"] == measure) & table["observed"].notna()]
        inside = part["inside_band"].astype(bool)
        error, naive = part["error"].median(), part["naive_error"].median()
        rows.append(
            {
                "measure": measure,
                "label": label(measure),
                "unit": "points" if MEASURES[measure][1] == "rate" else "% of observed",
                "councils": part["council"].nunique(),
                "council_years": len(part),
                "inside_band": float(inside.mean()) if len(part) else math.nan,
                "median_error": float(error) if len(part) else math.nan,
                "naive_median_error": float(naive) if len(part) else math.nan,
                "error_vs_naive": float(error / naive) if len(part) and naive > 0 else math.nan,
            }
        )
    return pd.DataFrame(rows)


def by_year_table(table: pd.DataFrame) -> pd.DataFrame:
    """The share inside the band per measure and checked year."""
    part = table[table["observed"].notna()].copy()
    part["inside_band"] = part["inside_band"].astype(bool)
    out = part.groupby(["measure", "year"], sort=False)["inside_band"].agg(["mean", "size"])
    return out.reset_index().rename(columns={"mean": "inside_band", "size": "council_years"})


def hindcast(
    built: Sequence[scenarios.CouncilScenario],
    skipped: dict[str, str],
    fit: tuple[int, ...],
    check: tuple[int, ...],
    template: str = "camden",
    settings: RunSettings | None = None,
    **options: Any,
) -> Hindcast:
    """Run every built council to the last checked year and set its futures against the
    DfE figures; writes hindcast.csv and coverage.csv when ``out`` is given.

    Raises
    ------
    BadInput
        No council could be built (every reason, shortened, on one line).
    """
    settings = settings_of(settings, options)
    if not built:
        reasons = "; ".join(f"{n}: {r}" for n, r in list(skipped.items())[:3])
        raise BadInput([f"hindcast: no council could be built and checked ({reasons})"])
    start = start_of(fit)
    points = [Point({"council": c.name}, c.scenario, futures_of(c.name)) for c in built]
    manifest = {
        **settings.manifest,
        "fit": data.year_label(list(fit)),
        "check": data.year_label(list(check)),
        "template": template,
        "councils_run": len(built),
        "councils_skipped": skipped,
    }
    settings = settings.but(
        name=settings.name or "hindcast", manifest=manifest, keep_timeseries=True
    )
    source = load_scenario(template_for(template).path)
    with session("hindcast", points, settings, source) as s:
        series = s.read(s.assemble("timeseries.csv", "timeseries"))
        rows = []
        for c in built:
            part = series[series["council"] == c.name]
            ratio = _headcount_ratio(data.councils()[c.name].figures, fit)
            rows += council_rows(c.name, futures(part, start, check, ratio), fit, check)
        table = pd.DataFrame(rows, columns=list(COLUMNS))
        coverage = coverage_table(table)
        by_year = by_year_table(table)
        write_csv(table, s.folder / "hindcast.csv")
        write_csv(coverage, s.folder / "coverage.csv")
        s.files += ["hindcast.csv", "coverage.csv"]
        s.manifest["coverage"] = {
            r.measure: round(r.inside_band, 4) for r in coverage.itertuples() if r.council_years
        }
        folder = None if settings.out is None else s.folder
    return Hindcast(
        table,
        coverage,
        by_year,
        skipped,
        [c.name for c in built],
        fit,
        check,
        settings.reps,
        settings.seed,
        folder,
    )
