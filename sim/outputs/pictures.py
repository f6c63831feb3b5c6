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
from ..scenario.schema import Scenario  # noqa: E402
from .account import is_share, target_text, value_text  # noqa: E402

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


def coverage_figure(timeseries: pd.DataFrame, scenario: Scenario, path: Path) -> Path:
    """Coverage and practising share over time, phases shaded and gaps marked.

    With several replications each line is the median and the band holds 90 % of them.
    """
    months = sorted(timeseries["month"].unique())
    dates = pd.to_datetime(timeseries.loc[timeseries["rep"] == timeseries["rep"].iloc[0], "date"])
    # Rows describe the state at each month's end: draw them there.
    ends = dates + pd.offsets.MonthBegin(1)
    reps = timeseries["rep"].nunique()

    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(10, 6.4), sharex=True, gridspec_kw={"height_ratios": [3, 1.2]}
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
    band = " (lines: median; bands: 90 % of futures)" if reps > 1 else ""
    top.set_title(
        f"{scenario.name or 'Scenario'}: coverage and practice over time, "
        f"{reps} replication{'s' if reps > 1 else ''}{band}",
        fontsize=11,
    )
    top.legend(loc="best", frameon=False)

    for column, colour, name in (
        ("teams_supervising", "#4a7d2b", "Teams with group supervision"),
        ("champions", "#7a3b9c", "Active champions"),
    ):
        b = bands(timeseries, column).loc[months]
        if reps > 1:
            bottom.fill_between(ends, b["low"], b["high"], color=colour, alpha=0.15, linewidth=0)
        bottom.plot(ends, b["median"], color=colour, linewidth=1.6, label=name)
    bottom.set_ylabel("Count")
    bottom.set_ylim(bottom=0)
    bottom.grid(axis="y", color="#dddddd")
    bottom.legend(loc="best", frameon=False, fontsize=8)
    bottom.xaxis.set_major_locator(mdates.YearLocator())
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    bottom.set_xlim(dates.iloc[0], ends.iloc[-1])

    fig.text(
        0.01,
        0.01,
        "Shaded grey: funded phases; pink: gaps between phases. Made with rollout.",
        fontsize=7,
        color="#666666",
    )
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path


def _shade_phases(ax, scenario: Scenario, label: bool) -> None:
    phases = scenario.programme.phases
    dates = scenario.phase_dates()
    for i, (phase, (start, end)) in enumerate(zip(phases, dates, strict=True)):
        ax.axvspan(_day(start), _day(end, end=True), color=PHASE_COLOUR, zorder=0)
        if label:
            ax.text(
                _day(start),
                0.985,
                f" {phase.name}",
                transform=ax.get_xaxis_transform(),
                va="top",
                fontsize=8,
                color="#444444",
            )
        if i + 1 < len(phases):
            gap_start, gap_end = _day(end, end=True), _day(dates[i + 1][0])
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


def fan_chart(bands: pd.DataFrame, scenario: Scenario, path: Path) -> Path:
    """Coverage and practising share: median, 25-75 % and 5-95 % of futures, by month."""
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
        ax.plot(x, part["p50"], color=colour, linewidth=2, label=name)
    _percent_axis(ax)
    ax.set_ylabel("Share of permanent staff")
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.legend(loc="best", frameon=False)
    ax.set_title(
        f"{scenario.name or 'Scenario'}: line, median; dark band, half of futures; "
        "light band, 90 %",
        fontsize=11,
    )
    return _save(fig, path)


def compare_coverage(
    bands: pd.DataFrame,
    strategies: Sequence[str],
    path: Path,
    scenarios: Mapping[str, Scenario] | None = None,
) -> Path:
    """Every strategy over time on the same futures: coverage above, practising share below
    (median lines, bands holding 90 % of futures), each strategy's phases as a bar beneath,
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
            ax.plot(x, part["p50"], color=colour, linewidth=2, linestyle=style, label=name)
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
        "Strategies on the same futures (lines: median; bands: 90 % of futures)", fontsize=11
    )
    return _save(fig, path)


def _phase_bars(ax, strategies: Sequence[str], scenarios: Mapping[str, Scenario] | None) -> None:
    """Each strategy's phases as a bar on its own row: when its external support ran."""
    ax.set_yticks(range(len(strategies)))
    ax.set_yticklabels(strategies, fontsize=8)
    ax.set_ylim(len(strategies) - 0.5, -0.5)
    ax.set_ylabel("phases", fontsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if not scenarios:
        return
    for row, name in enumerate(strategies):
        scenario = scenarios[name]
        colour = STRATEGY_COLOURS[row % len(STRATEGY_COLOURS)]
        for phase, (start, end) in zip(
            scenario.programme.phases, scenario.phase_dates(), strict=True
        ):
            left, right = _day(start), _day(end, end=True)
            ax.barh(row, right - left, left=left, height=0.6, color=colour, alpha=0.7)
            ax.text(left, row, f" {phase.name}", va="center", fontsize=7, color="white")


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
    path: Path,
) -> Path:
    """One key: the measure's mean with its 95 % interval (and 5-95 % of futures) along it.
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
            label="5-95 % of futures",
        )
        ax.fill_between(
            x,
            part["ci_low"],
            part["ci_high"],
            color=COVERAGE_COLOUR,
            alpha=0.35,
            linewidth=0,
            label="95 % interval of the mean",
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
        ax.set_xlabel(keys[0])
        ax.set_ylabel(metric)
        if is_share(metric):
            _percent_axis(ax)
        ax.legend(frameon=False, fontsize=8)
        ax.set_title(f"{metric} along {keys[0]}", fontsize=11)
        return _save(fig, path)

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
    fig.colorbar(image, ax=ax, label=metric)
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
    ax.set_xlabel(keys[1])
    ax.set_ylabel(keys[0])
    title = f"mean {metric}"
    if met is not None:
        title += f"\n✓: {target_text(target)} in ≥ {probability:.0%} of futures"
    ax.set_title(title, fontsize=10)
    return _save(fig, path)


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
        fan_chart(result.bands, result.scenario, folder / "fan.png")
        return ["coverage.png", "fan.png"]
    if isinstance(result, Comparison):
        compare_coverage(result.bands, result.strategies, folder / "coverage.png", result.scenarios)
        return ["coverage.png"]
    sweep_figure(
        result.sweep,
        result.keys,
        result.metric,
        result.condition,
        result.probability,
        result.target,
        folder / "sweep.png",
    )
    return ["sweep.png"]
