"""One scenario over a grid of one or two keys' values, on shared seeds (``rollout sweep``),
with an optional target ("coverage ≥ 60 % in 90 % of futures") searched along it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..model.measures import summary_columns
from ..scenario.keys import BadArgument, ScenarioError
from ..scenario.schema import Scenario
from . import display
from .batches import Point
from .folders import session
from .formats import write_csv
from .grid import DEFAULT_METRIC, Vary, expand_grid
from .settings import RunSettings, settings_of
from .tables import as_float, interval_row, is_yes_no, measures_of
from .targets import Target, TargetAnswer, search_target, target_shares


@dataclass
class Sweep:
    """A grid of key values: ``sweep`` (one row per grid point and measure), per-replication
    ``replications``, and with a target (``condition``), ``target`` (the share of futures
    meeting it per point) and
    ``answers`` (per grid row of the first key: how far along the last key it holds; in
    words by :func:`sim.outputs.account.sweep_answers`).
    """

    scenario: Scenario
    keys: list[str]
    metric: str
    sweep: pd.DataFrame
    replications: pd.DataFrame
    condition: Target | None
    probability: float
    target: pd.DataFrame | None = None
    answers: list[TargetAnswer] = field(default_factory=list)
    timeseries: pd.DataFrame | None = None
    folder: Path | None = None
    horizons: pd.DataFrame | None = None

    def table(self, metric: str | None = None) -> pd.DataFrame:
        """``metric`` (default: the sweep's) at every grid point, labelled by the swept
        keys' values, with its 95% interval and, with a target, the share of futures
        meeting it.
        """
        return display.sweep_table(
            self.sweep, self.keys, metric or self.metric, self.target, self.scenario
        )

    def _title(self) -> str:
        return f"Sweep of {', '.join(self.keys)}: {self.metric}"

    def __repr__(self) -> str:
        return display.text(self._title(), self.table())

    def _repr_html_(self) -> str:
        return display.html(self._title(), self.table())


def grid_points(scenario: Scenario, varies: Sequence[Vary], source: str) -> list[Point]:
    """One validated scenario per grid point; every problem once, with where it arises."""
    grid = expand_grid(varies)
    problems: dict[str, list[str]] = {}
    points: list[Point] = []
    for i, values in enumerate(grid):
        try:
            changed = scenario.with_changes(values, source=source, strict=True)
        except ScenarioError as exc:
            where = ", ".join(f"{k}={_text(v)}" for k, v in values.items())
            for line in exc.lines:
                problems.setdefault(line, []).append(where)
            continue
        points.append(Point({"point": i, **values}, changed))
    if problems:
        lines = []
        for line, where in problems.items():
            if len(where) == len(grid):
                lines.append(f"{line} (--vary: at every grid point)")
            else:
                more = f" and {len(where) - 1} other grid point(s)" if len(where) > 1 else ""
                lines.append(f"{line} (--vary {where[0]}{more})")
        raise ScenarioError(lines)
    return points


def _text(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else f"{value}"


def sweep(
    scenario: Scenario,
    varies: Sequence[Vary] | Mapping[str, Sequence[Any]],
    settings: RunSettings | None = None,
    *,
    metric: str = DEFAULT_METRIC,
    target: Target | None = None,
    probability: float = 0.9,
    **options: Any,
) -> Sweep:
    """Run a scenario over a grid of one or two keys' values, on shared seeds.

    Parameters
    ----------
    varies
        The swept keys and their values, first key outermost: ``{"programme.phases.1.
        start_after_months": range(0, 25, 3)}`` or :class:`~sim.grid.Vary` objects.
    metric
        The measure drawn (lines with 95 % intervals for one key, a heatmap for two).
    target, probability
        With a target, the share of replications meeting it at each grid point, and for
        each value of the first key (one-key sweeps: once) the last or least value of the
        last key at which that share is at least ``probability``, as a sentence.
    settings, options
        As :func:`~sim.experiments.runs.run`.

    Writes ``sweep.csv`` (one row per grid point and
    measure), ``sweep_replications.csv``, ``sweep.png``, ``target.csv`` with a target, and
    ``timeseries.csv`` with ``keep_timeseries``.
    """
    settings = settings_of(settings, options)
    settings = settings.but(keep_timeseries=bool(settings.keep_timeseries))
    if isinstance(varies, Mapping):
        varies = [Vary(k, tuple(v)) for k, v in varies.items()]
    measures = summary_columns(scenario)
    if metric not in measures:
        raise BadArgument(
            "{metric} {given}: unknown measure (measures: {known})",
            given=metric,
            known=", ".join(measures),
        )
    if not 0 < probability <= 1:
        raise BadArgument("{probability} {given}: must be above 0 and at most 1", given=probability)
    points = grid_points(scenario, varies, settings.scenario_file)
    keys = [v.key for v in varies]
    manifest = {
        **settings.manifest,
        "grid": {v.key: [_text(x) for x in v.values] for v in varies},
        # Swept keys whose [uncertainty] entry each grid point's value fixes (switches off).
        "fixed": points[0].scenario.fixed,
        "metric": metric,
        "target": None if target is None else str(target),
        "probability": probability,
    }
    settings = settings.but(name=settings.name or f"sweep-{scenario.name or 'scenario'}")
    keep_timeseries, out = settings.keep_timeseries, settings.out
    # The manifest holds the scenario before --vary.
    with session("sweep", points, settings.but(manifest=manifest), scenario) as s:
        replications = s.read(s.assemble("summary.csv", "sweep_replications"))
        table = sweep_table(replications, ["point", *keys])
        write_csv(table, s.folder / "sweep.csv")
        s.files.append("sweep.csv")
        horizon = sweep_horizons(s, points, keys, scenario.measures.discount_rate)
        write_csv(horizon, s.folder / "horizons.csv")
        s.files.append("horizons.csv")
        shares, answers = None, []
        if target is not None:
            shares = target_shares(replications, target, ["point", *keys])
            shares.insert(len(keys) + 1, "target", str(target))
            shares["meets"] = shares["share_met"] >= probability
            answers = target_answers(shares, keys, probability)
            write_csv(shares, s.folder / "target.csv")
            s.files.append("target.csv")
        timeseries = None
        if keep_timeseries:
            timeseries = s.read(s.assemble("timeseries.csv", "timeseries"))
        s.manifest["answers"] = [
            {"kind": a.kind, "value": _text(a.value), "values": [_text(v) for v in a.values]}
            for a in answers
        ]
        folder = None if out is None else s.folder
    return Sweep(
        scenario,
        keys,
        metric,
        table,
        replications,
        target,
        probability,
        shares,
        answers,
        timeseries,
        folder,
        horizon,
    )


def sweep_horizons(s, points: Sequence[Point], keys: Sequence[str], rate: float) -> pd.DataFrame:
    """Every grid point against the first, each total's paired difference accumulated to the
    end of each year (:func:`sim.experiments.horizons.horizons_table`), with the swept keys'
    values beside the point's number.
    """
    from .horizons import horizons_table
    from .runs import band_arrays

    arms = {p.labels["point"]: band_arrays(s, i) for i, p in enumerate(points)}
    table = horizons_table(arms, rate, label="point")
    values = pd.DataFrame([{k: _text(p.labels[k]) for k in ["point", *keys]} for p in points])
    values["point"] = [p.labels["point"] for p in points]
    table = table.merge(values, on="point", how="left")
    table["baseline"] = _text(points[0].labels["point"])
    return table[["point", *keys, *[c for c in table.columns if c not in ("point", *keys)]]]


def sweep_table(replications: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """One row per grid point and measure: mean, sd, 95 % interval, n, p5/p50/p95."""
    rows = []
    measures = measures_of(replications)
    for _, part in replications.groupby("point", sort=True):
        labels = {k: part[k].iloc[0] for k in by}
        for m in measures:
            values = as_float(part[m])
            finite = values[np.isfinite(values)]
            row = {**labels, "measure": m, **interval_row(values, is_yes_no(m))}
            row["p50"] = float(np.median(finite)) if len(finite) else np.nan
            row["p95"] = row.pop("p95")  # p5, p50, p95 in that order, as before
            rows.append(row)
    return pd.DataFrame(rows)


def target_answers(
    shares: pd.DataFrame, keys: Sequence[str], probability: float
) -> list[TargetAnswer]:
    """Per grid row of the first key (one-key sweeps: once): how far along the last key the
    target is met in at least ``probability`` of the futures.
    """
    last = keys[-1]
    rows = [shares] if len(keys) == 1 else [p for _, p in shares.groupby(keys[0], sort=False)]
    return [
        search_target(
            list(part.sort_values(last)[last]),
            list(part.sort_values(last)["share_met"]),
            probability,
        )
        for part in rows
    ]
