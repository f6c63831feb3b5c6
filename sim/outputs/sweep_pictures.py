"""Pictures of a sweep: a measure along one key, or over two as a heat map.

They read the table a sweep returns (:mod:`sim.experiments.sweeps`) and never run the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..experiments.targets import Target
from ..model.vocabulary import is_share, key_label, measure_label, value_text
from ..scenario.schema import Scenario
from .account import target_text
from .canvas import COVERAGE_COLOUR, FUTURE_NOTE, _percent_axis, plt, save


def _axis_values(values: Sequence) -> tuple[list, list[str] | None]:
    """Positions to plot key values at, and tick labels when they are not numbers."""
    if all(isinstance(v, date) for v in values):
        return list(pd.to_datetime(values)), None
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return list(values), None
    return list(range(len(values))), [f"{v}" for v in values]


def sweep_figure(
    table: pd.DataFrame,
    keys: Sequence[str],
    metric: str,
    target: Target | None,
    probability: float,
    shares: pd.DataFrame | None,
    path,
    scenario: Scenario | None = None,
) -> Path:
    """One key: the measure's mean with its 95% interval (and 5-95% of futures) along it.
    Two keys: a heatmap of the mean, cells meeting the target marked.
    """
    part = table[table["measure"] == metric].sort_values("point")
    met = None if shares is None else shares.set_index("point")["meets"]
    meaningful = target is not None and target.metric == metric
    if len(keys) == 1:
        fig, ax = plt.subplots(figsize=(9, 5))
        x, labels = _axis_values(list(part[keys[0]]))
        ax.fill_between(
            x,
            part["p5"],
            part["p95"],
            color=COVERAGE_COLOUR,
            alpha=0.1,
            linewidth=0,
            label="9 futures in 10 (5th to 95th percentile)",
        )
        ax.fill_between(
            x,
            part["ci_low"],
            part["ci_high"],
            color=COVERAGE_COLOUR,
            alpha=0.35,
            linewidth=0,
            label="95% interval of the mean",
        )
        ax.plot(x, part["mean"], color=COVERAGE_COLOUR, linewidth=2, marker="o", label="mean")
        if met is not None:
            good = [bool(met.loc[p]) for p in part["point"]]
            ax.scatter(
                [xi for xi, g in zip(x, good, strict=True) if g],
                [m for m, g in zip(part["mean"], good, strict=True) if g],
                s=90,
                facecolors="none",
                edgecolors="#2b8a3e",
                linewidths=2,
                zorder=3,
                label=f"target met in ≥ {probability:.0%} of futures",
            )
        if meaningful:
            ax.axhline(
                target.value,
                color="#c92a2a",
                linestyle="--",
                linewidth=1,
                label=f"target: {target_text(target)}",
            )
        if labels:
            ax.set_xticks(x, labels)
        ax.set_xlabel(key_label(keys[0], scenario).replace(" … ", " N "))
        ax.set_ylabel(measure_label(metric, scenario))
        if is_share(metric):
            _percent_axis(ax)
        else:
            ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: value_text(metric, v)))
        ax.legend(frameon=False, fontsize=8)
        ax.set_title(
            f"{measure_label(metric, scenario)} along "
            f"{key_label(keys[0], scenario).replace(' … ', ' N ')}",
            fontsize=11,
        )
        return save(fig, path, FUTURE_NOTE)

    rows = list(dict.fromkeys(part[keys[0]]))
    cols = list(dict.fromkeys(part[keys[1]]))
    grid = np.full((len(rows), len(cols)), np.nan)
    good = np.zeros_like(grid, dtype=bool)
    for _, row in part.iterrows():
        i, j = rows.index(row[keys[0]]), cols.index(row[keys[1]])
        grid[i, j] = row["mean"]
        good[i, j] = bool(met.loc[row["point"]]) if met is not None else False
    fig, ax = plt.subplots(
        figsize=(max(7.0, 2.5 + 0.8 * len(cols)), max(4.5, 2.0 + 0.45 * len(rows)))
    )
    image = ax.imshow(grid, cmap="viridis", aspect="auto", origin="lower")
    # The colour bar in the cells' own units (percentages for shares, counts with commas).
    fig.colorbar(
        image,
        ax=ax,
        label=measure_label(metric, scenario),
        format=plt.FuncFormatter(lambda v, _: value_text(metric, v)),
    )
    for i in range(len(rows)):
        for j in range(len(cols)):
            mark = " ✓" if good[i, j] else ""
            ax.text(
                j,
                i,
                value_text(metric, grid[i, j]) + mark,
                ha="center",
                va="center",
                fontsize=7,
                color="white" if grid[i, j] < np.nanmean(grid) else "black",
            )
    ax.set_xticks(range(len(cols)), [_label(c) for c in cols], rotation=45, ha="right")
    ax.set_yticks(range(len(rows)), [_label(r) for r in rows])
    ax.set_xlabel(key_label(keys[1], scenario).replace(" … ", " N "))
    ax.set_ylabel(key_label(keys[0], scenario).replace(" … ", " N "))
    title = f"Mean {measure_label(metric, scenario).lower()}"
    if met is not None:
        title += f"\n✓: {target_text(target)} in ≥ {probability:.0%} of futures"
    ax.set_title(title, fontsize=10)
    return save(fig, path, "Each cell: the mean across futures (replications). Made with rollout.")


def _label(value) -> str:
    return (
        value.isoformat()
        if hasattr(value, "isoformat")
        else f"{value:g}"
        if isinstance(value, float)
        else f"{value}"
    )
