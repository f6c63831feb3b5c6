"""Pictures of a run. Plotting reads the tidy tables; it never runs the model."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no screen needed

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .scenario import Scenario  # noqa: E402

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
