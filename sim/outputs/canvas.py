"""The drawing board every picture shares: matplotlib set up for files, colours, names cut
to fit, phases shaded, and the label of a measure on a chart (from its registry entry).

Split from the pictures themselves so that the time pictures (:mod:`sim.outputs.pictures`),
the sweep pictures (:mod:`sim.outputs.sweep_pictures`) and the others draw alike.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no screen needed

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from ..model.registry import REGISTRY, Registry  # noqa: E402
from ..model.vocabulary import measure_term  # noqa: E402
from ..scenario.schema import Scenario  # noqa: E402

COVERAGE_COLOUR = "#1f5fa8"
PRACTISING_COLOUR = "#d9730d"
PHASE_COLOUR = "#ececec"
GAP_COLOUR = "#f9dcdc"


def bands(timeseries: pd.DataFrame, column: str) -> pd.DataFrame:
    """Median and 5th-95th percentiles of ``column`` across replications, by month
    (:func:`sim.outputs.observed.band_of_futures`, the one band of 9 futures in 10).
    """
    from .observed import band_of_futures, futures_by_month

    low, median, high = band_of_futures(futures_by_month(timeseries, column))
    months = pd.Index(sorted(timeseries["month"].unique()), name="month")
    return pd.DataFrame({"low": low, "median": median, "high": high}, index=months)


FUTURE_NOTE = (
    "A future is one replication: one possible run of who joins and leaves, and when. "
    "Made with rollout."
)


def _band_key(colour: str = "#888888", alpha: float = 0.2, text: str = "90% of futures"):
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, alpha=alpha, edgecolor="none", label=text)


def chart_label(measure: str, registry: Registry = REGISTRY) -> str:
    """A measure's label on a chart: its registry label (:mod:`sim.model.registry`)."""
    return measure_term(measure, registry=registry).label


PHASE_COLOURS = (PHASE_COLOUR, "#e0e0e0")  # alternate, so adjoining phases stay apart
# Names in pictures are cut to these many characters (the tables carry them whole), and
# phases are named only when there are few enough to read: drawing thousands of long
# labels once took matplotlib minutes.
NAME_WIDTH = 40
PHASE_NAME_WIDTH = 30
MAX_LABELLED_PHASES = 12


def short(name: str, width: int = NAME_WIDTH) -> str:
    r"""``name`` cut to ``width`` characters with an ellipsis, on one line, for a picture:
    control characters shown escaped (``\x1b``: no font draws them), a ``$`` escaped
    (matplotlib would read text between two as mathematics, and fail).
    """
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


def save(
    fig,
    path: str | Path,
    footnote: str | None = None,
    *,
    at: float = 0.01,
    bottom: float = 0.03,
    colour: str | None = "#666666",
) -> Path:
    """The end of every picture: its footnote, laid out, written without metadata, closed.

    ``footnote`` is drawn small at the foot (``at``: its height, as a share of the figure)
    and the layout keeps the lowest ``bottom`` of the figure for it. With no ``Software``
    metadata matplotlib writes the same bytes for the same picture, so pictures can be
    compared by hash; closing frees the figure, which a long session would otherwise keep.
    """
    if footnote is not None:
        fig.text(0.01, at, footnote, fontsize=7, color=colour)
        fig.tight_layout(rect=(0, bottom, 1, 1))
    else:
        fig.tight_layout()
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path
