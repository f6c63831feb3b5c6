"""One strategy in every council at once (``rollout national``): each council a point of one
experiment, on common seeds, and one row per council in ``councils.csv``.

Replication ``r`` of every council uses the streams of ``(seed, r)`` (the batches see to
it), so councils differ by their figures alone, not by luck of the draw. The experiment runs
through :func:`sim.experiments.folders.session` like every other: in batches, on any engine
(``--workers``, ``--dask``, ``--scheduler``), saved as they finish and resumable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
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
from ..experiments.tables import as_float, interval_row, is_yes_no
from ..model.measures import summary_columns
from ..scenario.keys import BadArgument, ScenarioError
from ..scenario.loading import load_scenario
from .explain import Explanation, explain
from .scenarios import CouncilScenario

# Measures of every council in councils.csv: the common clock (coverage_m{M},
# practising_share_m{M}, for M in measures.at_months) when the model has it, and always:
ALWAYS = (
    "coverage_horizon",
    "practising_share_horizon",
    "champions_alive_horizon",
    "sustained",
    "total_cost",
)
COMMON_CLOCK = re.compile(r"(coverage|practising_share)_m\d+")
FIGURES = ("posts", "turnover", "hiring_delay_months", "vacancy_rate", "agency_cover")


def national_measures(scenario: Any) -> list[str]:
    """The measures tabulated per council, common clock first."""
    names = summary_columns(scenario)
    clock = [n for n in names if COMMON_CLOCK.fullmatch(n)]
    return clock + [n for n in ALWAYS if n in names]


def default_headline(measures: Sequence[str]) -> str:
    """The measure councils are ranked by: practising share at the latest common-clock month
    when there is one, else at the horizon (the same date for every council here).
    """
    clock = [m for m in measures if m.startswith("practising_share_m")]
    if clock:
        return max(clock, key=lambda m: int(m.rsplit("_m", 1)[1]))
    return "practising_share_horizon"


@dataclass
class National:
    """Every council's results: ``councils`` (one row per council, skipped ones included,
    ranked by ``headline``), per-replication ``summary``, and what explains the spread.
    """

    template: str
    councils: pd.DataFrame
    summary: pd.DataFrame
    measures: list[str]
    headline: str
    explanation: Explanation
    reps: int
    seed: int
    folder: Path | None = None

    @property
    def skipped(self) -> pd.DataFrame:
        """The councils that could not be built, with why."""
        return self.councils[self.councils["status"] == "skipped"]

    @property
    def ran(self) -> pd.DataFrame:
        """The councils that ran."""
        return self.councils[self.councils["status"] == "run"]


def national(
    built: Sequence[CouncilScenario],
    template: str,
    headline: str | None = None,
    settings: RunSettings | None = None,
    **options: Any,
) -> National:
    """Run every built council's scenario as one experiment and tabulate them.

    Writes (when ``out`` is given) ``councils.csv`` and ``summary`` (per council and
    replication, in ``file_format``); :func:`sim.national.draw` adds the picture and the
    account. ``settings`` and ``options`` as :func:`sim.experiments.run`.

    Raises
    ------
    ScenarioError
        No council could be built; ``headline`` is not one of the measures tabulated.
    """
    settings = settings_of(settings, options).but(keep_timeseries=False)
    runnable = [c for c in built if c.built]
    if not runnable:
        reasons = "; ".join(f"{c.name}: {c.reason}" for c in built[:3])
        raise ScenarioError([f"national: no council's scenario could be built ({reasons})"])
    measures = national_measures(runnable[0].scenario)
    headline = headline or default_headline(measures)
    if headline not in measures:
        raise BadArgument(
            "{headline} {given}: not tabulated per council (choose {known})",
            given=headline,
            known=", ".join(measures),
        )
    points = [Point({"council": c.name}, c.scenario) for c in runnable]
    # The manifest's scenario is the template the councils were built from.
    source = load_scenario(template_for(template).path)
    manifest = {
        **settings.manifest,
        "template": template,
        "headline": headline,
        "councils_run": len(runnable),
        "councils_skipped": {c.name: c.reason for c in built if not c.built},
    }
    name = settings.name or f"national-{Path(template).stem}"
    settings = settings.but(name=name, manifest=manifest)
    with session("national", points, settings, source) as s:
        summary = s.read(s.assemble("summary.csv", "summary"))
        table = councils_table(built, summary, measures, headline)
        explanation = explain(table, headline)
        write_csv(table, s.folder / "councils.csv")
        s.files.append("councils.csv")
        s.manifest["explanation"] = explanation.as_record()
        folder = None if settings.out is None else s.folder
    return National(
        template,
        table,
        summary,
        measures,
        headline,
        explanation,
        settings.reps,
        settings.seed,
        folder,
    )


def councils_table(
    built: Sequence[CouncilScenario],
    summary: pd.DataFrame,
    measures: Sequence[str],
    headline: str,
) -> pd.DataFrame:
    """One row per council: its figures, then each measure's mean, 95 % interval and n;
    councils run ranked by the headline (best first), then the skipped with their reason.
    """
    by_council = {name: part for name, part in summary.groupby("council", sort=False)}
    rows = []
    for c in built:
        f = c.flows
        row: dict[str, Any] = {
            "council": c.name,
            "region": c.region,
            "status": "run" if c.built else "skipped",
            "reason": c.reason,
            "years": data.year_label(f.years) if f else "",
            "posts": c.posts if c.posts is not None else np.nan,
            "turnover": f.turnover if f else np.nan,
            "hiring_delay_months": f.hiring_delay_months if f else np.nan,
            "vacancy_rate": f.vacancy_rate if f else np.nan,
            "agency_cover": f.agency_cover if f else np.nan,
        }
        part = by_council.get(c.name)
        for m in measures:
            stats = (
                interval_row(as_float(part[m]), is_yes_no(m))
                if part is not None
                else {"mean": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n": 0}
            )
            for key in ("mean", "ci_low", "ci_high", "n"):
                row[f"{m}_{key}"] = stats[key]
        rows.append(row)
    table = pd.DataFrame(rows)
    ran = table[table["status"] == "run"].sort_values(
        [f"{headline}_mean", "council"], ascending=[False, True], kind="stable"
    )
    ran.insert(0, "rank", np.arange(1, len(ran) + 1))
    skipped = table[table["status"] == "skipped"].sort_values("council", kind="stable")
    skipped.insert(0, "rank", pd.NA)
    table = pd.concat([ran, skipped], ignore_index=True)
    table["rank"] = table["rank"].astype("Int64")
    table["posts"] = table["posts"].astype("Int64")
    for m in measures:
        table[f"{m}_n"] = table[f"{m}_n"].astype(int)
    return table
