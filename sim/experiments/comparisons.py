"""Strategies compared on the same futures (``rollout compare``).

Replication ``r`` of every strategy sees the same staff join and leave (common random
numbers, :mod:`sim.model.streams`), so the paired difference, replication by replication,
is the strategy's effect alone and its interval is narrower than comparing two independent
sets of futures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..scenario.columns import DIFFERENCE_COLUMNS  # what print(result.differences) shows
from ..scenario.keys import BadArgument, ScenarioError
from ..scenario.schema import Scenario
from . import decision, display, horizons
from .batches import Point
from .folders import session
from .formats import write_csv
from .runs import band_arrays, month_dates
from .settings import RunSettings, settings_of
from .tables import BAND_MEASURES, bands_table, comparison_table, differences_table


@dataclass
class Comparison:
    """Strategies on common seeds: per-replication ``summary`` (with a ``strategy`` column),
    ``comparison`` (each measure per strategy, with the probability it is best),
    ``differences`` (paired, from the first), ``horizons`` (the paired differences of the
    totals accumulated year by year, :mod:`.horizons`); with a value per practising month,
    ``net_benefit`` and ``acceptability``; with ``evppi``, the value of information.
    """

    strategies: list[str]
    scenarios: dict[str, Scenario]
    summary: pd.DataFrame
    comparison: pd.DataFrame
    differences: pd.DataFrame
    bands: pd.DataFrame
    horizons: pd.DataFrame | None = None
    timeseries: pd.DataFrame | None = None
    folder: Path | None = None
    value_per_practising_month: float | None = None
    net_benefit: pd.DataFrame | None = None
    acceptability: pd.DataFrame | None = None
    evppi: pd.DataFrame | None = None

    def table(self) -> pd.DataFrame:
        """Key measures per strategy (common clock first) and the paired differences from
        the first strategy, in plain words with 95% intervals.
        """
        first = self.scenarios[self.strategies[0]]
        return display.comparison_table(self.comparison, self.differences, self.strategies, first)

    def _title(self) -> str:
        reps = self.summary["rep"].nunique() if "rep" in self.summary else len(self.summary)
        return f"{len(self.strategies)} strategies on the same {reps} futures"

    def __repr__(self) -> str:
        return display.text(self._title(), self.table())

    def _repr_html_(self) -> str:
        return display.html(self._title(), self.table())


def compare(
    strategies: Mapping[str, Scenario],
    settings: RunSettings | None = None,
    *,
    value_per_practising_month: float | None = None,
    evppi: bool = False,
    **options: Any,
) -> Comparison:
    """Run every strategy on the same seeds and compare them with the first.

    Writes (when ``out`` is given) ``summary.csv`` (per strategy and replication),
    ``comparison.csv``, ``differences.csv``, ``bands.csv``, ``horizons.csv`` (each total's
    paired difference accumulated to the end of each year, :mod:`.horizons`),
    ``coverage.png``, ``horizons.png``, ``manifest.json`` and, with ``keep_timeseries``,
    ``timeseries.csv``. See
    :func:`sim.experiments.tables.differences_table` for the paired differences and how much
    pairing narrowed their intervals (``width_ratio``). ``comparison.csv`` has the
    probability each strategy is best on each measure (:mod:`.decision`).

    With ``value_per_practising_month`` V: ``net_benefit.csv`` (V × practising person-months
    − cost, per strategy, with the probability of the highest) and ``acceptability.csv``
    (that probability over V from 0 to 4 V). With ``evppi`` (needs V and an
    ``[uncertainty]`` table): ``evppi.csv``, the value of knowing each assumption exactly.
    With ``measures.discount_rate`` set in the first strategy's scenario, the totals are also
    given discounted (``practising_person_months_discounted`` ..., in ``comparison.csv``,
    ``differences.csv`` and ``horizons.csv``), and net benefit is discounted.
    ``settings`` and ``options`` as :func:`~sim.experiments.runs.run`.
    """
    settings = settings_of(settings, options)
    settings = settings.but(keep_timeseries=bool(settings.keep_timeseries))
    if len(strategies) < 2:
        raise ScenarioError(["compare: give two or more strategies"])
    if value_per_practising_month is not None and value_per_practising_month <= 0:
        raise BadArgument(
            "{value_per_practising_month} {given}: must be above 0",
            given=value_per_practising_month,
        )
    uncertain = list(dict.fromkeys(k for s in strategies.values() for k in s.uncertainty))
    if evppi and value_per_practising_month is None:
        raise BadArgument("{evppi}: give {value_per_practising_month} too (net benefit)")
    if evppi and not uncertain:
        raise BadArgument(
            "{evppi}: no strategy has an [uncertainty] table, so there is nothing to learn"
        )
    starts = {name: s.scenario.start for name, s in strategies.items()}
    if len(set(starts.values())) > 1:
        listed = ", ".join(f"{name} {start.day} {start:%B %Y}" for name, start in starts.items())
        raise ScenarioError(
            [
                f"compare: the strategies start on different dates ({listed}); they must "
                "share scenario.start, so that '12 months from the start' is the same month "
                "for each: give them one (--set scenario.start="
                f"{next(iter(starts.values())).isoformat()} sets it for every strategy), or "
                "compare variants of one scenario (A --variant NAME KEY=VALUE)"
            ]
        )
    names = list(strategies)
    broken = [name for name in names if any(c in name for c in "\r\n\0")]
    if broken:  # a line break would split the rows of every table that names the strategy
        raise ScenarioError(
            [f"strategy {name!r}: a name cannot hold a line break or NUL" for name in broken]
        )
    points = [Point({"strategy": name}, strategies[name]) for name in names]
    settings = settings.but(
        name=settings.name or f"compare-{names[0]}",
        manifest={
            **settings.manifest,
            "strategies": names,
            "strategy_scenarios": {n: strategies[n].model_dump(mode="json") for n in names[1:]},
            "strategy_fixed": {n: strategies[n].fixed for n in names if strategies[n].fixed},
            "value_per_practising_month": value_per_practising_month,
            "evppi": evppi,
        },
    )
    keep_timeseries, out = settings.keep_timeseries, settings.out
    with session("compare", points, settings) as s:
        summary = s.read(s.assemble("summary.csv", "summary"))
        value = value_per_practising_month
        rate = strategies[names[0]].measures.discount_rate
        arms = {name: band_arrays(s, i) for i, name in enumerate(names)}
        table = comparison_table(summary, names).merge(
            decision.probability_best(summary, names), on=["strategy", "measure"], how="left"
        )
        differences = differences_table(summary, names)
        valued = summary
        if rate > 0:
            # Discounted totals under their own names, beside the plain ones.
            totals = horizons.whole_run(arms, rate)
            discounted = [c for c in totals.columns if c not in ("strategy", "rep")]
            table = pd.concat(
                [table, comparison_table(totals, names, discounted)], ignore_index=True
            )
            differences = pd.concat(
                [
                    differences,
                    differences_table(totals, names, discounted, horizons.total_direction),
                ],
                ignore_index=True,
            )
            # Net benefit (and what depends on it) weighs later months less too.
            valued = _with_discounted(summary, totals)
        horizon = horizons.horizons_table(arms, rate, value)
        write_csv(horizon, s.folder / "horizons.csv")
        s.files.append("horizons.csv")
        net = curve = information = None
        if value is not None:
            net = decision.net_benefit_table(valued, names, value)
            net["discount_rate"] = rate
            curve = decision.acceptability(valued, names, decision.acceptability_values(value))
            write_csv(net, s.folder / "net_benefit.csv")
            write_csv(curve, s.folder / "acceptability.csv")
            s.files += ["net_benefit.csv", "acceptability.csv"]
        if evppi:
            information = decision.evppi(valued, names, value, uncertain)
            write_csv(information, s.folder / "evppi.csv")
            s.files.append("evppi.csv")
        bands = pd.concat(
            [
                bands_table(
                    {m: a for m, a in band_arrays(s, i).items() if m in BAND_MEASURES},
                    month_dates(points[i].scenario),
                    {"strategy": name},
                )
                for i, name in enumerate(names)
            ],
            ignore_index=True,
        )
        write_csv(table, s.folder / "comparison.csv")
        write_csv(differences, s.folder / "differences.csv")
        write_csv(bands, s.folder / "bands.csv")
        s.files += ["comparison.csv", "differences.csv", "bands.csv"]
        timeseries = None
        if keep_timeseries:
            timeseries = s.read(s.assemble("timeseries.csv", "timeseries"))
        s.manifest["pairing_width_ratio_median"] = _median_ratio(differences)
        folder = None if out is None else s.folder
    differences = display.keyed(differences, DIFFERENCE_COLUMNS)
    return Comparison(
        names,
        dict(strategies),
        summary,
        table,
        differences,
        bands,
        horizon,
        timeseries,
        folder,
        value_per_practising_month,
        net,
        curve,
        information,
    )


def _with_discounted(summary: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """``summary`` with practising person-months and cost replaced by their discounted
    totals: what net benefit, acceptability and EVPPI read when a rate is set.
    """
    keyed = totals.set_index(["strategy", "rep"])
    index = pd.MultiIndex.from_frame(summary[["strategy", "rep"]])
    out = summary.copy()
    for m in ("practising_person_months", "total_cost"):
        out[m] = keyed[horizons.total_name(m, 1.0)].reindex(index).to_numpy()
    return out


def _median_ratio(differences: pd.DataFrame) -> float:
    ratios = differences["width_ratio"].dropna() if len(differences) else pd.Series([])
    return round(float(ratios.median()), 3) if len(ratios) else float("nan")
