"""Pictures: coverage and practice over time, the fan chart, strategies side by side, sweeps.

They read the tables an experiment returns (:mod:`sim.experiments`) and never run the model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no screen needed

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..experiments.comparisons import Comparison  # noqa: E402
from ..experiments.runs import RunExperiment  # noqa: E402
from ..experiments.sweeps import Sweep  # noqa: E402
from ..experiments.targets import Target  # noqa: E402
from ..model.vocabulary import (  # noqa: E402
    is_share,
    key_label,
    measure_label,
    value_text,
)
from ..scenario.schema import Scenario  # noqa: E402
from .account import target_text  # noqa: E402

COVERAGE_COLOUR = "#1f5fa8"
PRACTISING_COLOUR = "#d9730d"
PHASE_COLOUR = "#ececec"
GAP_COLOUR = "#f9dcdc"


def bands(timeseries: pd.DataFrame, column: str) -> pd.DataFrame:
    """Median and 5th-95th percentiles of ``column`` across replications, by month."""
    grouped = timeseries.groupby("month")[column]
    return pd.DataFrame(
        {
            "low": grouped.quantile(0.05),
            "median": grouped.median(),
            "high": grouped.quantile(0.95),
        }
    )


FUTURE_NOTE = (
    "A future is one replication: one possible run of who joins and leaves, and when. "
    "Made with rollout."
)


def _band_key(colour: str = "#888888", alpha: float = 0.2, text: str = "90% of futures"):
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, alpha=alpha, edgecolor="none", label=text)


def coverage_figure(timeseries: pd.DataFrame, scenario: Scenario, path) -> Path:
    """Coverage and practising share over time, phases shaded and gaps marked.

    With several replications each line is the median and the band holds 90% of them. The
    lower panel shows teams with group supervision and active champions, leaving out a
    series that is zero throughout (a scenario without champions lists none).
    """
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
        ("coverage", COVERAGE_COLOUR, "Trained (coverage)"),
        ("practising_share", PRACTISING_COLOUR, "Practising"),
    ):
        b = bands(timeseries, column).loc[months]
        if reps > 1:
            top.fill_between(ends, b["low"], b["high"], color=colour, alpha=0.2, linewidth=0)
        top.plot(ends, b["median"], color=colour, linewidth=2, label=name)
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
        handles.append(_band_key(text="bands: 90% of futures; lines: median"))
    top.legend(handles=handles, loc="best", frameon=False, fontsize=9)

    drawn = 0
    for column, colour, name, hatch in (
        ("teams_supervising", "#2f7d32", "Teams with group supervision", None),
        ("champions", "#8e3fb0", "Active champions", "////"),
    ):
        if column not in timeseries or not (timeseries[column] > 0).any():
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

    fig.text(
        0.01,
        0.01,
        "Shaded grey: funded phases (a line at each boundary); pink: gaps between phases. "
        + FUTURE_NOTE,
        fontsize=7,
        color="#666666",
    )
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path


PHASE_COLOURS = (PHASE_COLOUR, "#e0e0e0")  # alternate, so adjoining phases stay apart
# Names in pictures are cut to these many characters (the tables carry them whole), and
# phases are named only when there are few enough to read: drawing thousands of long
# labels once took matplotlib minutes.
NAME_WIDTH = 40
PHASE_NAME_WIDTH = 30
MAX_LABELLED_PHASES = 12


def short(name: str, width: int = NAME_WIDTH) -> str:
    """``name`` cut to ``width`` characters with an ellipsis, on one line, for a picture:
    control characters shown escaped (``\\x1b``: no font draws them), a ``$`` escaped
    (matplotlib would read text between two as mathematics, and fail)."""
    one_line = " ".join(str(name).split())
    one_line = "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in one_line
    )
    cut = one_line if len(one_line) <= width else one_line[: width - 1].rstrip() + "…"
    return cut.replace("$", r"\$")


def _shade_phases(ax, scenario: Scenario, label: bool) -> None:
    """Phases shaded (alternating greys) with a line at every start and end; gaps pink."""
    phases = scenario.programme.phases
    dates = scenario.phase_dates()
    label = label and len(phases) <= MAX_LABELLED_PHASES
    for i, (phase, (start, end)) in enumerate(zip(phases, dates, strict=True)):
        left, right = _day(start), _day(end, end=True)
        ax.axvspan(left, right, color=PHASE_COLOURS[i % 2], zorder=0)
        for edge in (left, right):
            ax.axvline(edge, color="#8a8a8a", linewidth=0.8, zorder=0.5)
        if label:
            ax.text(
                left,
                0.985,
                f" {short(phase.name, PHASE_NAME_WIDTH)}",
                transform=ax.get_xaxis_transform(),
                va="top",
                fontsize=8,
                color="#444444",
                clip_on=True,
            )
        if i + 1 < len(phases):
            gap_start, gap_end = right, _day(dates[i + 1][0])
            if gap_end > gap_start:
                ax.axvspan(gap_start, gap_end, color=GAP_COLOUR, zorder=0)


def _day(when: date, end: bool = False) -> pd.Timestamp:
    stamp = pd.Timestamp(when)
    return stamp + pd.Timedelta(days=1) if end else stamp


STRATEGY_COLOURS = plt.get_cmap("tab10").colors


def _month_ends(frame: pd.DataFrame) -> pd.Series:
    # Rows describe the state at each month's end: draw them there.
    return pd.to_datetime(frame["date"]) + pd.offsets.MonthBegin(1)


def _percent_axis(ax) -> None:
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.grid(axis="y", color="#dddddd")


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path


def fan_chart(bands: pd.DataFrame, scenario: Scenario, path, reps: int | None = None) -> Path:
    """Coverage and practising share: median, 25-75% and 5-95% of futures, by month."""
    fig, ax = plt.subplots(figsize=(10, 5))
    _shade_phases(ax, scenario, label=True)
    for measure, colour, name in (
        ("coverage", COVERAGE_COLOUR, "Trained (coverage)"),
        ("practising_share", PRACTISING_COLOUR, "Practising"),
    ):
        part = bands[bands["measure"] == measure]
        x = _month_ends(part)
        ax.fill_between(x, part["p5"], part["p95"], color=colour, alpha=0.15, linewidth=0)
        ax.fill_between(x, part["p25"], part["p75"], color=colour, alpha=0.3, linewidth=0)
        ax.plot(x, part["p50"], color=colour, linewidth=2, label=f"{name}: median")
    _percent_axis(ax)
    ax.set_ylabel("Share of permanent staff")
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    handles, _ = ax.get_legend_handles_labels()
    handles += [
        _band_key(alpha=0.45, text="dark band: middle half of futures (25-75%)"),
        _band_key(alpha=0.15, text="light band: 90% of futures (5-95%)"),
    ]
    ax.legend(handles=handles, loc="best", frameon=False, fontsize=8)
    count = f", {reps} futures (replications)" if reps else ""
    ax.set_title(
        f"{short(scenario.name) or 'Scenario'}: how widely the futures spread{count}",
        fontsize=11,
    )
    fig.text(0.01, 0.01, FUTURE_NOTE, fontsize=7, color="#666666")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path


def compare_coverage(
    bands: pd.DataFrame,
    strategies: Sequence[str],
    path: Path,
    scenarios: Mapping[str, Scenario] | None = None,
) -> Path:
    """Every strategy over time on the same futures: coverage above, practising share below
    (median lines, bands holding 90% of futures), each strategy's phases as a bar beneath,
    and the common clock's dates marked, where the comparison tables judge every strategy."""
    panels = (("coverage", "Trained (coverage)"), ("practising_share", "Practising"))
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
    fig.text(0.01, 0.005, FUTURE_NOTE, fontsize=7, color="#666666")
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path


def horizons_figure(horizons: pd.DataFrame, strategies: Sequence[str], path: Path) -> Path:
    """Each total's paired difference from the first strategy, accumulated to the end of
    every year: the average (line) with its 95% interval (dark band) and the range in which
    9 futures in 10 fall (light band). Where a line crosses zero, the horizon decides."""
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
    fig.text(0.01, 0.005, FUTURE_NOTE, fontsize=7, color="#666666")
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path


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
    Two keys: a heatmap of the mean, cells meeting the target marked."""
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
        fig.text(0.01, 0.01, FUTURE_NOTE, fontsize=7, color="#666666")
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        fig.savefig(path, dpi=110, metadata={"Software": None})
        plt.close(fig)
        return path

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
    fig.text(
        0.01,
        0.01,
        "Each cell: the mean across futures (replications). Made with rollout.",
        fontsize=7,
        color="#666666",
    )
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path


def _label(value) -> str:
    return (
        value.isoformat()
        if hasattr(value, "isoformat")
        else f"{value:g}"
        if isinstance(value, float)
        else f"{value}"
    )


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


def draw(result: RunExperiment | Comparison | Sweep, folder: Path) -> list[str]:
    """Every picture of a result, drawn into ``folder``; the names of the files written."""
    if isinstance(result, RunExperiment):
        dates = list(result.bands.loc[result.bands["measure"] == "coverage", "date"])
        frame = _plot_frame(result.monthly, dates)
        coverage_figure(frame, result.scenario, folder / "coverage.png")
        fan_chart(result.bands, result.scenario, folder / "fan.png", len(result.summary))
        return ["coverage.png", "fan.png"]
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
