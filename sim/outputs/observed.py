"""What happened, set beside what was planned: observed figures against the band of futures.

Each observation (:mod:`sim.scenario.observed`) is read against the range in which 9 futures
in 10 of the run fall at its month (the 5th to 95th percentile of the replications), and said
in words: inside the range ("on track"), below it or above it ("the plan is running behind" /
"ahead" for a measure where more is progress), judged with the observation's own 95 %
interval (:func:`where_falls`). The table goes to ``observed_check.csv``; the
pictures draw the observations on the bands (:mod:`.pictures`). Nothing here runs the model.
"""

from __future__ import annotations

import calendar
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..experiments.display import MIN_FOR_INTERVAL
from ..model.vocabulary import is_share, measure_label, value_text

if TYPE_CHECKING:
    from ..experiments.runs import RunExperiment
    from ..scenario.observed import Observation
    from ..scenario.schema import Scenario

CHECK_FILE = "observed_check.csv"
INSIDE, BELOW, ABOVE = "inside", "below", "above"
WIDTH = 100  # columns of the terminal's lines
LOW, HIGH = 5, 95  # the band of futures: 9 futures in 10 fall between these percentiles

# Monthly measures where more is progress of the roll-out, and where less is better; the
# rest (staff in post, joiners) are said as higher or lower than the run expected.
PROGRESS = {
    "trained",
    "inducted",
    "coverage",
    "practising",
    "practising_share",
    "teams_supervising",
    "champions",
    "completed",
}
LESS_IS_BETTER = {"vacancies", "agency", "leavers", "waiting", "practising_untrained"}


def band_of_futures(values: np.ndarray, axis: int = 0) -> tuple[np.ndarray, ...]:
    """The band in which 9 futures in 10 fall, and its middle: the 5th, 50th and 95th
    percentiles of ``values`` over its futures (along ``axis``), as (low, middle, high).

    The one place they are computed, so that the command line's check and picture, the
    report and the app draw and judge an observation against the same band.
    """
    low, middle, high = np.percentile(np.asarray(values, dtype=float), [LOW, 50, HIGH], axis=axis)
    return low, middle, high


def futures_by_month(timeseries: pd.DataFrame, column: str) -> np.ndarray:
    """A monthly table's ``column`` as futures × months (rows ``rep``, columns ``month``)."""
    return timeseries.pivot(index="rep", columns="month", values=column).to_numpy(dtype=float)


def check_observations(
    observations: Sequence[Observation], values: Mapping[str, np.ndarray]
) -> pd.DataFrame:
    """One row per observation: its value, the band of futures at its month, where it falls.

    ``values`` maps each observed measure to its replications × months array (the run's
    monthly rows). Columns: ``date, measure, value, sd, month, futures, p5, p50, p95,
    where`` (``inside``, ``below`` or ``above`` the band).
    """
    rows = []
    for o in observations:
        series = np.asarray(values[o.measure], dtype=float)[:, o.month]
        low, middle, high = band_of_futures(series)
        where = where_falls(o.value, o.sd, low, high)
        rows.append(
            {
                "date": o.day.isoformat(),
                "measure": o.measure,
                "value": o.value,
                "sd": o.sd,
                "month": o.month,
                "futures": len(series),
                "p5": float(low),
                "p50": float(middle),
                "p95": float(high),
                "where": where,
            }
        )
    return pd.DataFrame(rows)


def where_falls(value: float, sd: float, low: float, high: float) -> str:
    """Where an observation falls against the band ``low``–``high`` of futures: below it
    only when even the top of its own 95 % interval (value + 1.96 sd) is below, above it only
    when even the bottom is above, else inside. A figure known only roughly is not called off
    track for a difference within its own error; with sd 0 it is its value against the band.
    The one rule of the command line, the report and the app.
    """
    from ..scenario.observed import Z95

    if value + Z95 * sd < low:
        return BELOW
    if value - Z95 * sd > high:
        return ABOVE
    return INSIDE


def observed_values(result: RunExperiment, seen: Sequence[Observation]) -> dict[str, np.ndarray]:
    """Each observed measure's replications × months values: from the run's band arrays
    where it has them, else from its folder's monthly rows (``timeseries.csv`` or
    ``.parquet``), or the rows it kept in memory.
    """
    wanted = sorted({o.measure for o in seen} - set(result.monthly))
    values = {m: result.monthly[m] for m in {o.measure for o in seen} & set(result.monthly)}
    if wanted:
        rows = result.timeseries
        if rows is None:
            folder = result.folder
            csv, parquet = folder / "timeseries.csv", folder / "timeseries.parquet"
            rows = (
                pd.read_csv(csv, usecols=["rep", "month", *wanted])
                if csv.is_file()
                else pd.read_parquet(parquet, columns=["rep", "month", *wanted])
            )
        for m in wanted:
            values[m] = futures_by_month(rows, m)
    return values


def verdict(measure: str, where: str) -> str:
    """What an observation outside the band means for the plan, in a few words."""
    if where == INSIDE:
        return "on track"
    higher = where == ABOVE
    if measure in PROGRESS:
        return "the plan is running ahead" if higher else "the plan is running behind"
    if measure in LESS_IS_BETTER:
        return "worse than the plan expected" if higher else "better than the plan expected"
    return "higher than the plan expected" if higher else "lower than the plan expected"


def observed_sentences(check: pd.DataFrame, scenario: Scenario | None) -> list[str]:
    """One sentence per observation: where it falls against 9 futures in 10, and what that
    means for the plan ("… was below 9 futures in 10 (41% to 58%): the plan is running behind").
    """
    sentences = []
    for row in check.itertuples():
        label = measure_label(row.measure, scenario)
        month = _month_year(row.date)
        value = value_text(row.measure, row.value)
        band = f"{value_text(row.measure, row.p5)} to {value_text(row.measure, row.p95)}"
        if row.where == INSIDE and not row.p5 <= row.value <= row.p95:
            said = (
                f"outside 9 futures in 10 ({band}) but within its own margin of error: "
                "on track so far"
            )
        elif row.where == INSIDE:
            said = f"within 9 futures in 10 ({band}): on track"
        else:
            said = f"{row.where} 9 futures in 10 ({band}): {verdict(row.measure, row.where)}"
        sentences.append(f"{label} in {month} was {value}, {said}.")
    return sentences


def observed_lines(
    check: pd.DataFrame,
    scenario: Scenario | None,
    observed_file: str,
    scenario_argument: str,
    attached: bool = False,
) -> list[str]:
    """The check in words: one sentence per observation, then how to fit the model to them.

    ``attached``: the figures are those saved with the plan ``scenario_argument``, which
    ``rollout calibrate plan:NAME`` finds by itself; the command then needs no file.
    """
    outside = int((check["where"] != INSIDE).sum())
    futures = int(check["futures"].max())
    lines = [
        "",
        *_wrapped(
            f"What happened ({observed_file}), against the range in which 9 futures in 10 fall:",
            indent="",
        ),
    ]
    for sentence in observed_sentences(check, scenario):
        lines += _wrapped(sentence)
    if futures < MIN_FOR_INTERVAL:
        lines += _wrapped(
            f"(from {futures} futures the range is rough; give --reps {MIN_FOR_INTERVAL} or "
            "more before reading much into it)"
        )
    if outside:
        lines += _wrapped(
            f"{outside} of {len(check)} {_fall(len(check))} outside the range. To fit the "
            "model's uncertain assumptions to these figures, run:",
            indent="",
        )
    else:
        lines += _wrapped(
            "Every observation falls within the range, allowing for its margin of error. To "
            "narrow the assumptions, run:",
            indent="",
        )
    given = "" if attached else f" --observed {_quoted(observed_file)}"
    lines.append(f"  rollout calibrate {_quoted(scenario_argument)}{given}")
    return lines


def _wrapped(text: str, indent: str = "  ") -> list[str]:
    """A sentence in lines of at most :data:`WIDTH` columns, its later lines indented more."""
    return textwrap.wrap(
        text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ", break_on_hyphens=False
    )


def _fall(n: int) -> str:
    return "observation falls" if n == 1 else "observations fall"


def _month_year(day: str) -> str:
    year, month = int(day[:4]), int(day[5:7])
    return f"{calendar.month_name[month]} {year}"


def _quoted(text: str) -> str:
    import shlex

    return shlex.quote(text)


def draw_observations(ax, observations: Sequence[Observation], measure: str, colour: str):
    """Observations of ``measure`` on ``ax`` as points with their 95 % bars, at month ends.

    A bar stops where the measure can go no further: at 0 (every observed measure is a
    count or a share) and, for a share, at 100%; a coverage of 100% with sd 0.1 would
    otherwise draw a bar to 120%, out of the chart and across its title.

    Returns the handle for the legend, or None when none of them is of that measure.
    """
    from ..scenario.observed import Z95

    seen = [o for o in observations if o.measure == measure]
    if not seen:
        return None
    x = [pd.Timestamp(o.day) for o in seen]
    y = [o.value for o in seen]
    top = 1.0 if is_share(measure) else np.inf
    below = [min(Z95 * o.sd, max(o.value, 0.0)) for o in seen]
    above = [min(Z95 * o.sd, max(top - o.value, 0.0)) for o in seen]
    return ax.errorbar(
        x,
        y,
        yerr=[below, above],
        fmt="o",
        color=colour,
        markeredgecolor="black",
        markersize=6,
        capsize=3,
        linewidth=1,
        zorder=5,
        clip_on=False,  # an observation at 100% sits on the axis's edge, whole
        label=f"{measure_label(measure)}: observed",
    )


__all__ = [
    "CHECK_FILE",
    "band_of_futures",
    "check_observations",
    "draw_observations",
    "futures_by_month",
    "observed_lines",
    "observed_sentences",
    "observed_values",
    "verdict",
]
