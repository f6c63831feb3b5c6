"""Pictures: coverage and practice over time, the fan chart, strategies side by side, and
every picture of a result (:func:`draw`; a sweep's are :mod:`sim.outputs.sweep_pictures`).

They read the tables an experiment returns (:mod:`sim.experiments`) and never run the model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from ..experiments.comparisons import Comparison
from ..experiments.runs import RunExperiment
from ..experiments.sweeps import Sweep
from ..model.vocabulary import is_share, measure_label, value_text
from ..scenario.schema import Scenario
from .canvas import (
    COVERAGE_COLOUR,
    FUTURE_NOTE,
    MAX_LABELLED_PHASES,
    NAME_WIDTH,
    PHASE_NAME_WIDTH,
    PRACTISING_COLOUR,
    STRATEGY_COLOURS,
    _band_key,
    _day,
    _month_ends,
    _percent_axis,
    _shade_phases,
    bands,
    chart_label,
    plt,
    save,
    short,
)
from .observed import band_of_futures, draw_observations
from .sweep_pictures import sweep_figure

if TYPE_CHECKING:
    from ..scenario.observed import Observation

# Read from here by the other pictures and the tests, as before the split.
__all__ = [
    "NAME_WIDTH",
    "STRATEGY_COLOURS",
    "compare_coverage",
    "coverage_figure",
    "draw",
    "fan_chart",
    "horizons_figure",
    "observed_figure",
    "plt",
    "short",
    "sweep_figure",
]


def coverage_figure(
    timeseries: pd.DataFrame,
    scenario: Scenario,
    path,
    observed: Sequence[Observation] | None = None,
) -> Path:
    """Coverage and practising share over time, phases shaded and gaps marked.

    With several replications each line is the median and the band holds 90% of them. The
    lower panel shows teams with group supervision and active champions, leaving out a
    series that is zero throughout (a scenario without champions lists none). ``observed``
    figures of these measures are drawn on their bands as points with 95% bars.
    """
    observed = list(observed or ())
    months = sorted(timeseries["month"].unique())
    dates = pd.to_datetime(timeseries.loc[timeseries["rep"] == timeseries["rep"].iloc[0], "date"])
    # Rows describe the state at each month's end: draw them there.
    ends = dates + pd.offsets.MonthBegin(1)
    reps = timeseries["rep"].nunique()

    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(10, 6.4), sharex=True, gridspec_kw={"height_ratios": [3, 1.3]}
    )
    _shade_phases(top, scenario, label=True)
    _shade_phases(bottom, scenario, label=False)
    for column, colour, name in (
        ("coverage", COVERAGE_COLOUR, chart_label("coverage")),
        ("practising_share", PRACTISING_COLOUR, chart_label("practising_share")),
    ):
        b = bands(timeseries, column).loc[months]
        if reps > 1:
            top.fill_between(ends, b["low"], b["high"], color=colour, alpha=0.2, linewidth=0)
        top.plot(ends, b["median"], color=colour, linewidth=2, label=name)
        draw_observations(top, observed, column, colour)
    top.set_ylim(0, 1)
    top.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    top.set_ylabel("Share of permanent staff")
    top.grid(axis="y", color="#dddddd")
    top.set_title(
        f"{short(scenario.name) or 'Scenario'}: coverage and practice over time, "
        f"{reps} future{'s' if reps > 1 else ''} (replications)",
        fontsize=11,
    )
    handles, _ = top.get_legend_handles_labels()
    if reps > 1:
        handles.append(_band_key(text="bands: 9 futures in 10; lines: median"))
    top.legend(handles=handles, loc="best", frameon=False, fontsize=9)

    drawn = 0
    for column, colour, name, hatch in (
        ("teams_supervising", "#2f7d32", chart_label("teams_supervising"), None),
        ("champions", "#8e3fb0", chart_label("champions"), "////"),
    ):
        seen = any(o.measure == column for o in observed)
        if column not in timeseries or not ((timeseries[column] > 0).any() or seen):
            continue  # nothing to show: leave it out of the picture and its legend
        b = bands(timeseries, column).loc[months]
        if reps > 1:
            # Each band keeps its own look where they overlap: one filled, one hatched,
            # both outlined in their line's colour.
            bottom.fill_between(
                ends,
                b["low"],
                b["high"],
                facecolor=colour if hatch is None else "none",
                alpha=0.18 if hatch is None else 0.6,
                hatch=hatch,
                edgecolor=colour,
                linewidth=0,
            )
            for edge in ("low", "high"):
                bottom.plot(ends, b[edge], color=colour, linewidth=0.6, linestyle=":")
        bottom.plot(ends, b["median"], color=colour, linewidth=1.8, label=name)
        draw_observations(bottom, observed, column, colour)
        drawn += 1
    bottom.set_ylabel("Count")
    bottom.set_ylim(bottom=0)
    bottom.grid(axis="y", color="#dddddd")
    if drawn:
        bottom.legend(loc="upper right", frameon=False, fontsize=8)
    else:
        bottom.text(
            0.5,
            0.5,
            "no supervising teams or champions",
            transform=bottom.transAxes,
            ha="center",
            va="center",
            fontsize=8,
            color="#666666",
        )
    bottom.xaxis.set_major_locator(mdates.YearLocator())
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    bottom.set_xlim(dates.iloc[0], ends.iloc[-1])

    return save(
        fig,
        path,
        "Shaded grey: funded phases (a line at each boundary); pink: gaps between phases. "
        + FUTURE_NOTE,
        bottom=0.02,
    )


def fan_chart(bands: pd.DataFrame, scenario: Scenario, path, reps: int | None = None) -> Path:
    """Coverage and practising share: median, 25-75% and 5-95% of futures, by month."""
    fig, ax = plt.subplots(figsize=(10, 5))
    _shade_phases(ax, scenario, label=True)
    for measure, colour, name in (
        ("coverage", COVERAGE_COLOUR, chart_label("coverage")),
        ("practising_share", PRACTISING_COLOUR, chart_label("practising_share")),
    ):
        part = bands[bands["measure"] == measure]
        x = _month_ends(part)
        ax.fill_between(x, part["p5"], part["p95"], color=colour, alpha=0.15, linewidth=0)
        ax.fill_between(x, part["p25"], part["p75"], color=colour, alpha=0.3, linewidth=0)
        ax.plot(x, part["p50"], color=colour, linewidth=2, label=f"{name}: median")
        if len(x):  # the run's months edge to edge, as in coverage.png
            ax.set_xlim(_day(scenario.scenario.start), x.iloc[-1])
    _percent_axis(ax)
    ax.set_ylabel("Share of permanent staff")
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    handles, _ = ax.get_legend_handles_labels()
    handles += [
        _band_key(
            alpha=0.45, text="dark band: the middle half of futures (25th to 75th percentile)"
        ),
        _band_key(alpha=0.15, text="light band: 9 futures in 10 (5th to 95th percentile)"),
    ]
    ax.legend(handles=handles, loc="best", frameon=False, fontsize=8)
    count = f", {reps} futures (replications)" if reps else ""
    ax.set_title(
        f"{short(scenario.name) or 'Scenario'}: how widely the futures spread{count}",
        fontsize=11,
    )
    return save(fig, path, FUTURE_NOTE)


def compare_coverage(
    bands: pd.DataFrame,
    strategies: Sequence[str],
    path: Path,
    scenarios: Mapping[str, Scenario] | None = None,
) -> Path:
    """Every strategy over time on the same futures: coverage above, practising share below
    (median lines, bands holding 90% of futures), each strategy's phases as a bar beneath,
    and the common clock's dates marked, where the comparison tables judge every strategy.
    """
    panels = [(m, chart_label(m)) for m in ("coverage", "practising_share")]
    fig, axes = plt.subplots(
        3,
        1,
        figsize=(10, 7.6),
        sharex=True,
        gridspec_kw={"height_ratios": [3, 3, 0.35 + 0.3 * len(strategies)]},
    )
    for ax, (measure, title) in zip(axes[:2], panels, strict=True):
        for i, name in enumerate(strategies):
            part = bands[(bands["strategy"] == name) & (bands["measure"] == measure)]
            colour = STRATEGY_COLOURS[i % len(STRATEGY_COLOURS)]
            x = _month_ends(part)
            ax.fill_between(x, part["p5"], part["p95"], color=colour, alpha=0.13, linewidth=0)
            # Strategies often share stretches of their path: line styles keep each visible.
            style = ("-", "--", ":", "-.")[i % 4]
            ax.plot(x, part["p50"], color=colour, linewidth=2, linestyle=style, label=short(name))
        _percent_axis(ax)
        ax.set_ylabel(f"{title}\n(share of permanent staff)", fontsize=9)
    first = scenarios[strategies[0]] if scenarios else None
    if first is not None:
        start = pd.Timestamp(first.scenario.start)
        for ax in axes[:2]:
            for m in first.clock_months():
                ax.axvline(start + pd.DateOffset(months=m), color="#999999", lw=0.6, ls=":")
        axes[0].text(
            0.0,
            1.01,
            "dotted lines: the common clock, the dates every strategy is judged at",
            transform=axes[0].transAxes,
            fontsize=8,
            color="#555555",
        )
    axes[0].legend(loc="lower right", frameon=False, fontsize=9)
    _phase_bars(axes[2], strategies, scenarios)
    axes[2].xaxis.set_major_locator(mdates.YearLocator())
    axes[2].xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    fig.suptitle(
        "Strategies on the same futures (lines: median; bands: 90% of futures)", fontsize=11
    )
    return save(fig, path, FUTURE_NOTE, at=0.005, bottom=0.02)


def horizons_figure(horizons: pd.DataFrame, strategies: Sequence[str], path: Path) -> Path:
    """Each total's paired difference from the first strategy, accumulated to the end of
    every year: the average (line) with its 95% interval (dark band) and the range in which
    9 futures in 10 fall (light band). Where a line crosses zero, the horizon decides.
    """
    measures = list(dict.fromkeys(horizons["measure"]))
    fig, axes = plt.subplots(
        len(measures), 1, figsize=(9, 2.6 * len(measures) + 0.6), sharex=True, squeeze=False
    )
    base = strategies[0]
    for ax, measure in zip(axes[:, 0], measures, strict=True):
        for i, name in enumerate(strategies[1:], start=1):
            part = horizons[(horizons["strategy"] == name) & (horizons["measure"] == measure)]
            colour = STRATEGY_COLOURS[i % len(STRATEGY_COLOURS)]
            x = part["year"]
            ax.fill_between(x, part["p5"], part["p95"], color=colour, alpha=0.12, linewidth=0)
            ax.fill_between(
                x, part["ci_low"], part["ci_high"], color=colour, alpha=0.35, linewidth=0
            )
            ax.plot(x, part["mean_difference"], color=colour, marker="o", lw=2, label=name)
        ax.axhline(0, color="#444444", lw=0.8)
        ax.set_ylabel(f"{measure_label(measure)}\n− {base}", fontsize=8)
        ax.grid(axis="y", color="#dddddd")
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _, m=measure: value_text(m, v)))
    axes[0, 0].legend(loc="upper left", frameon=False, fontsize=8)
    last = axes[-1, 0]
    last.set_xlabel("Accumulated from the start to the end of year … of the run")
    last.set_xticks(sorted(set(horizons["year"])))
    fig.suptitle(
        f"Difference from {base}, accumulated year by year: line the average, dark band its "
        "95% interval,\nlight band the range of 9 futures in 10 (5th to 95th percentile)",
        fontsize=10,
    )
    return save(fig, path, FUTURE_NOTE, at=0.005, bottom=0.02)


def _phase_bars(ax, strategies: Sequence[str], scenarios: Mapping[str, Scenario] | None) -> None:
    """Each strategy's phases as a bar on its own row: when its external support ran."""
    ax.set_yticks(range(len(strategies)))
    ax.set_yticklabels([short(name) for name in strategies], fontsize=8)
    ax.set_ylim(len(strategies) - 0.5, -0.5)
    ax.set_ylabel("phases", fontsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if not scenarios:
        return
    for row, name in enumerate(strategies):
        scenario = scenarios[name]
        colour = STRATEGY_COLOURS[row % len(STRATEGY_COLOURS)]
        labelled = len(scenario.programme.phases) <= MAX_LABELLED_PHASES
        for phase, (start, end) in zip(
            scenario.programme.phases, scenario.phase_dates(), strict=True
        ):
            left, right = _day(start), _day(end, end=True)
            ax.barh(
                row,
                right - left,
                left=left,
                height=0.6,
                color=colour,
                alpha=0.7,
                edgecolor="white",
                linewidth=1.2,  # adjoining phases stay apart
            )
            if labelled:
                name_shown = f" {short(phase.name, PHASE_NAME_WIDTH)}"
                ax.text(left, row, name_shown, va="center", fontsize=7, color="white")


# --------------------------------------------------------------------------- a result's pictures


def _plot_frame(arrays: dict[str, np.ndarray], dates: Sequence[str]) -> pd.DataFrame:
    """A timeseries-shaped frame holding only the columns the coverage picture draws."""
    reps, months = arrays["coverage"].shape
    frame = pd.DataFrame(
        {
            "rep": np.repeat(np.arange(reps), months),
            "month": np.tile(np.arange(months), reps),
            "date": pd.Categorical(np.tile(dates, reps), categories=dates),
        }
    )
    for name, values in arrays.items():
        frame[name] = values.reshape(-1)
    return frame


def observed_figure(
    values: Mapping[str, np.ndarray],
    dates: Sequence[str],
    observed: Sequence[Observation],
    scenario: Scenario,
    path,
) -> Path:
    """Every observed measure in its own panel: the median of the futures, the band holding
    9 futures in 10, and the observations as points with their 95% bars.
    """
    measures = list(dict.fromkeys(o.measure for o in observed))
    fig, axes = plt.subplots(
        len(measures), 1, figsize=(10, 2.6 * len(measures) + 0.8), sharex=True, squeeze=False
    )
    ends = pd.to_datetime(pd.Series(list(dates))) + pd.offsets.MonthBegin(1)
    for ax, measure in zip(axes[:, 0], measures, strict=True):
        series = np.asarray(values[measure], dtype=float)
        low, middle, high = band_of_futures(series)
        _shade_phases(ax, scenario, label=ax is axes[0, 0])
        ax.fill_between(ends, low, high, color=COVERAGE_COLOUR, alpha=0.2, linewidth=0)
        ax.plot(ends, middle, color=COVERAGE_COLOUR, linewidth=2, label="projection: median")
        draw_observations(ax, observed, measure, PRACTISING_COLOUR)
        ax.set_title(chart_label(measure), fontsize=10, loc="left")
        if is_share(measure):
            _percent_axis(ax)
        ax.grid(axis="y", color="#dddddd")
        handles, _ = ax.get_legend_handles_labels()
        handles.append(_band_key(text="band: 9 futures in 10"))
        ax.legend(handles=handles, loc="best", frameon=False, fontsize=8)
    bottom = axes[-1, 0]
    bottom.xaxis.set_major_locator(mdates.YearLocator())
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    bottom.set_xlim(ends.iloc[0] - pd.offsets.MonthBegin(1), ends.iloc[-1])
    fig.suptitle(
        f"{short(scenario.name) or 'Scenario'}: what happened against the projection, "
        f"{series.shape[0]} futures",
        fontsize=11,
    )
    return save(fig, path, "Points: observed, with 95% bars. " + FUTURE_NOTE)


def draw(
    result: RunExperiment | Comparison | Sweep,
    folder: Path,
    observed: Sequence[Observation] | None = None,
    values: Mapping[str, np.ndarray] | None = None,
) -> list[str]:
    """Every picture of a result, drawn into ``folder``; the names of the files written.

    A run given ``observed`` figures draws them on ``coverage.png`` and, each measure in its
    own panel, on ``observed.png`` (``values``: each observed measure's replications ×
    months, the run's monthly rows).
    """
    if isinstance(result, RunExperiment):
        dates = list(result.bands.loc[result.bands["measure"] == "coverage", "date"])
        frame = _plot_frame(result.monthly, dates)
        coverage_figure(frame, result.scenario, folder / "coverage.png", observed)
        fan_chart(result.bands, result.scenario, folder / "fan.png", len(result.summary))
        if not observed:
            return ["coverage.png", "fan.png"]
        arrays = {**result.monthly, **(values or {})}
        observed_figure(arrays, dates, observed, result.scenario, folder / "observed.png")
        return ["coverage.png", "fan.png", "observed.png"]
    if isinstance(result, Comparison):
        compare_coverage(result.bands, result.strategies, folder / "coverage.png", result.scenarios)
        if result.horizons is None or not len(result.horizons):
            return ["coverage.png"]
        horizons_figure(result.horizons, result.strategies, folder / "horizons.png")
        return ["coverage.png", "horizons.png"]
    sweep_figure(
        result.sweep,
        result.keys,
        result.metric,
        result.condition,
        result.probability,
        result.target,
        folder / "sweep.png",
        result.scenario,
    )
    return ["sweep.png"]
