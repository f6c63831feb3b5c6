"""What happened, beside what was planned: observed figures (``rollout calibrate``'s CSV)
set against the band of futures of a run, in a picture and in words.

Where an observation falls, and what that means for the plan, are the command line's own
rule and words (:func:`sim.outputs.observed.where_falls`, :func:`~sim.outputs.observed.verdict`):
outside the range of 9 futures in 10 only when its whole 95 % interval is, so a figure known
only roughly is not called off track for a difference within its own error. Nothing here
imports Streamlit.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ..outputs.observed import (
    ABOVE,
    BELOW,
    INSIDE,
    band_of_futures,
    futures_by_month,
    verdict,
    where_falls,
)
from ..scenario.keys import ScenarioError


def read_figures(name: str, data: bytes, scenario) -> list:
    """The observations in an uploaded or attached CSV, checked as ``rollout calibrate``
    checks them (every problem at once, each naming ``name``, the row and the column).
    """
    from ..scenario.observed import read_observed

    with tempfile.TemporaryDirectory(prefix="rollout-observed-") as tmp:
        path = Path(tmp) / "observed.csv"
        path.write_bytes(data)
        try:
            return read_observed(path, scenario)
        except ScenarioError as exc:
            raise ScenarioError([line.replace(str(path), name) for line in exc.lines]) from None


def bands(timeseries_csv: bytes, measures: Sequence[str]):
    """Per measure and month: the 5th, 50th and 95th percentiles over the futures, from
    the command line's own band (:func:`sim.outputs.observed.band_of_futures`).
    """
    import pandas as pd

    table = pd.read_csv(io.BytesIO(timeseries_csv))
    wanted = [m for m in dict.fromkeys(measures) if m in table.columns]
    dates = table.groupby("month")["date"].first()
    found = {}
    for m in wanted:
        low, middle, high = band_of_futures(futures_by_month(table, m))
        found[m] = pd.DataFrame({"date": dates, "low": low, "middle": middle, "high": high})
    return found


def _month_words(day: date) -> str:
    return f"{day:%B %Y}"


def _value(measure: str, x: float) -> str:
    from ..scenario import formats

    if measure in ("coverage", "practising_share"):
        return formats.percent(x)
    if measure == "cost":
        return formats.money(x)
    return formats.number(x) if abs(x) < 100 and x != int(x) else formats.count(x)


def against(observations: Sequence, timeseries_csv: bytes, scenario) -> dict[str, Any]:
    """Each observation set against its month's band: rows for a table, sentences for
    where they fall outside, and a verdict sentence.
    """
    from ..model.vocabulary import measure_label

    found = bands(timeseries_csv, [o.measure for o in observations])
    rows, outside = [], []
    behind = ahead = 0
    for o in observations:
        band = found[o.measure]
        month = min(o.month, band.index.max())
        low, middle, high = (float(band.loc[month, c]) for c in ("low", "middle", "high"))
        label = measure_label(o.measure, scenario)
        code = where_falls(o.value, o.sd, low, high)
        where = {
            BELOW: "below 9 futures in 10",
            ABOVE: "above 9 futures in 10",
            INSIDE: "within the range of 9 futures in 10"
            if low <= o.value <= high
            else "outside 9 futures in 10 but within its own margin of error",
        }[code]
        rows.append(
            {
                "date": _month_words(o.day),
                "measure": label,
                "observed": _value(o.measure, o.value),
                "9 futures in 10": f"{_value(o.measure, low)} to {_value(o.measure, high)}",
                "middle future": _value(o.measure, middle),
                "where it falls": where,
            }
        )
        if code == INSIDE:
            continue
        meaning = verdict(o.measure, code)  # the command line's words for it
        behind += meaning.endswith("running behind")
        ahead += meaning.endswith("running ahead")
        sentence = f"{label} in {_month_words(o.day)} was {where}: {meaning}"
        outside.append(sentence[0].upper() + sentence[1:] + ".")
    count = len(observations)
    figures = "figure" if count == 1 else "figures"
    if not outside:
        summary = (
            f"{'The' if count == 1 else f'All {count}'} observed {figures} fall within the "
            "range of 9 futures in 10: on track so far."
        )
    elif behind == len(outside):
        summary = f"{behind} of {count} observed {figures} below the range: running behind."
    elif ahead == len(outside):
        summary = f"{ahead} of {count} observed {figures} above the range: running ahead."
    else:
        summary = f"{len(outside)} of {count} observed {figures} outside the range."
    return {"rows": rows, "outside": outside, "verdict": summary, "bands": found}


def chart(observations: Sequence, found: dict, scenario) -> bytes:
    """The band of futures per observed measure with the observations drawn on it (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from ..model.vocabulary import measure_label

    measures = list(found)
    figure, axes = plt.subplots(
        len(measures), 1, figsize=(9, 3.2 * len(measures)), squeeze=False, dpi=100
    )
    for axis, m in zip(axes[:, 0], measures, strict=True):
        band = found[m]
        days = pd.to_datetime(band["date"])
        scale = 100 if m in ("coverage", "practising_share") else 1
        axis.fill_between(
            days, band["low"] * scale, band["high"] * scale, alpha=0.25, label="9 futures in 10"
        )
        axis.plot(days, band["middle"] * scale, label="middle future")
        mine = [o for o in observations if o.measure == m]
        axis.errorbar(
            pd.to_datetime([o.day for o in mine]),
            [o.value * scale for o in mine],
            yerr=[1.96 * o.sd * scale for o in mine],
            fmt="o",
            color="black",
            label="observed (95% interval)",
        )
        axis.set_title(measure_label(m, scenario))
        axis.set_ylabel("%" if scale == 100 else "")
        axis.legend(loc="best", fontsize=8)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    plt.close(figure)
    return out.getvalue()


def calibrate_words(plan_name: str | None) -> tuple[str, str]:
    """What calibration would do, and the command that does it."""
    scenario = f"plans/{plan_name}.toml" if plan_name else "scenario.toml"
    figures = f"plans/{plan_name}.observed.csv" if plan_name else "observed.csv"
    return (
        "Where the figures fall outside the range, the scenario's uncertain assumptions "
        "(how fast staff leave, how many take the practice up) may be wrong. Calibration "
        "keeps the values of those assumptions that reproduce what was observed and writes "
        "a calibrated scenario to run instead. It takes a while, so it runs from the "
        "command line:",
        f"rollout calibrate {scenario} --observed {figures}",
    )
