"""How results show themselves in a notebook or a console: the key measures in plain words.

``RunExperiment``, ``Comparison`` and ``Sweep`` print (``repr``) and render (``_repr_html_``)
a short table of their key measures, labelled from :mod:`sim.model.vocabulary`, instead of
pandas' ``[1 rows x 14 columns]``. The full tables stay on the result as DataFrames.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..model.vocabulary import (
    difference_text,
    is_share,
    is_yes_no,
    key_label,
    key_measures,
    measure_label,
    plain_value,
    value_text,
)

# Intervals from fewer futures than this are not shown: they would look far more certain
# than they are (a handful of values can agree by chance). The terminal, the app, the
# report and a notebook all follow it.
MIN_FOR_INTERVAL = 10


def with_interval(
    measure: str,
    row: Mapping[str, Any],
    text=value_text,
    mean: str = "mean",
    few_said: bool = False,
) -> str:
    """``"74% (72% to 76%)"``: a value with its 95% interval when it has one.

    A difference of shares gives its unit once: "+2.1 percentage points (+0.5 to +3.7)".
    A row that says it rests on fewer than :data:`MIN_FOR_INTERVAL` futures (``n``) gets no
    interval, and says so, unless ``few_said``: the page or table already says it once
    (:func:`few_futures_note`), and the cell gives the value alone.
    """
    value = text(measure, row[mean])
    n = row.get("n", np.nan)
    if np.isfinite(n) and 0 < n < MIN_FOR_INTERVAL:
        return value if few_said else f"{value} (from {int(n)} futures: too few for an interval)"
    low, high = row.get("ci_low", np.nan), row.get("ci_high", np.nan)
    if not (np.isfinite(low) and np.isfinite(high)) or low == high:
        return value
    return f"{value} ({interval_text(measure, low, high, text)})"


def interval_text(measure: str, low: float, high: float, text=value_text) -> str:
    """An interval's ends as text, "72% to 76%". A t interval of shares may cross 0 or 100%:
    a share is shown inside what it can be, and a difference of shares in percentage points
    with the unit left to the mean ("+0.5 to +3.7").
    """
    if is_share(measure) and text in (value_text, difference_text):
        low, high = max(low, 0.0 if text is value_text else -1.0), min(high, 1.0)
        if text is difference_text:
            return f"{100 * low:+.1f} to {100 * high:+.1f}"
    return f"{text(measure, low)} to {text(measure, high)}"


# The column header of a figure given with both ranges (a table cell of :func:`with_range`).
RANGES_HEADER = "average (95% interval); 9 futures in 10"

# How the two ranges are named wherever a figure is shown (terminal, app, report, notebook).
BOTH_RANGES = (
    "on average, with the 95% confidence interval of the average in brackets (how well the "
    "average is known: it narrows as futures are added); then the range in which 9 futures in "
    "10 fall (the 5th to 95th percentile of the futures: how far they spread, which more "
    "futures do not narrow)"
)


def range_text(measure: str, row: Mapping[str, Any], text=value_text) -> str:
    """The range of futures, "1% to 24%" (``p5`` to ``p95``), or "" when it is not shown.

    Not shown for yes/no measures (a future is yes or no: its share says it all), nor from
    fewer than :data:`MIN_FOR_INTERVAL` futures (the same rule as intervals).
    """
    low, high = row.get("p5", np.nan), row.get("p95", np.nan)
    n = row.get("n", np.nan)
    if is_yes_no(measure) or not (np.isfinite(low) and np.isfinite(high)):
        return ""
    if np.isfinite(n) and n < MIN_FOR_INTERVAL:
        return ""
    if low == high:
        return text(measure, low)
    return interval_text(measure, low, high, text)


def with_range(
    measure: str,
    row: Mapping[str, Any],
    text=value_text,
    mean: str = "mean",
    words: bool = False,
    interval=None,
    few_said: bool = False,
) -> str:
    """A value with both ranges, named.

    ``words``: "on average 10% (7% to 13%); in 9 futures of 10 between 1% and 24%"; else
    (a table cell) "10% (7% to 13%); 9 in 10: 1% to 24%". ``interval`` formats the mean and
    its interval (default :func:`with_interval`, told ``few_said``).
    """
    default = lambda m, r: with_interval(m, r, text, mean, few_said)  # noqa: E731
    shown = (interval or default)(measure, row)
    spread = range_text(measure, row, text)
    if spread and row.get("sd", np.nan) == 0:  # every future agrees: one value, said once
        return f"{shown} in every future" if words else f"{shown} (every future)"
    if not spread:
        known = not shown.startswith("–")  # "– (in none of 5 futures)" has no average
        return f"on average {shown}" if words and known and not is_yes_no(measure) else shown
    if not words:
        return f"{shown}; 9 in 10: {spread}"
    between = spread.replace(" to ", " and ", 1) if " to " in spread else spread
    verb = "between" if " to " in spread else "at"
    return f"on average {shown}; in 9 futures of 10 {verb} {between}"


def few_futures_note(rows: pd.DataFrame) -> str | None:
    """One sentence for a table whose figures rest on fewer than :data:`MIN_FOR_INTERVAL`
    futures (its smallest ``n``), said once above it instead of in every cell; None when
    every figure has enough for an interval.
    """
    if "n" not in rows or not len(rows):
        return None
    n = pd.to_numeric(rows["n"], errors="coerce")
    n = n[n > 0]
    if not len(n) or n.min() >= MIN_FOR_INTERVAL:
        return None
    return (
        f"From {int(n.max())} futures, too few for an interval: each figure is the average "
        f"over them (ask for {MIN_FOR_INTERVAL} futures or more for intervals and the range "
        "of futures)."
    )


class KeyedFrame(pd.DataFrame):
    """A DataFrame that prints its key columns in full (``shown``) and names the others.

    Wide result tables (``differences`` has 14 columns) otherwise print as
    ``[1 rows x 14 columns]`` with the difference itself hidden behind "...". Everything
    else is an ordinary DataFrame; ``pd.DataFrame(frame)`` gives a plain one.
    """

    _metadata = ["shown"]

    @property
    def _constructor(self):
        return KeyedFrame

    def __repr__(self) -> str:
        shown = [c for c in (getattr(self, "shown", None) or []) if c in self.columns]
        if not shown or len(shown) == len(self.columns):
            return pd.DataFrame(self).__repr__()
        others = [c for c in self.columns if c not in shown]
        body = pd.DataFrame(self[shown]).to_string(max_rows=60, max_cols=len(shown))
        return f"{body}\n(and {len(others)} more columns: {', '.join(others)})"


def keyed(frame: pd.DataFrame, shown: Sequence[str]) -> KeyedFrame:
    """``frame`` as a :class:`KeyedFrame` printing ``shown`` first."""
    out = KeyedFrame(frame)
    out.shown = list(shown)
    return out


def run_table(stats: pd.DataFrame, scenario: Any = None, few_said: bool = False) -> pd.DataFrame:
    """Key measures of a run: label, mean with its interval, futures it rests on
    (``few_said``: "too few for an interval" is said once above the table, not per row).
    """
    by = stats.set_index("measure")
    common, relative = key_measures(list(by.index))
    rows = []
    for m in [*common, *relative]:
        row = by.loc[m]
        rows.append(
            {
                "measure": measure_label(m, scenario),
                RANGES_HEADER: with_range(m, row, few_said=few_said),
                "futures": int(row["n"]),
            }
        )
    return pd.DataFrame(rows)


def comparison_table(
    comparison: pd.DataFrame,
    differences: pd.DataFrame,
    strategies: Sequence[str],
    scenario: Any = None,
) -> pd.DataFrame:
    """Key measures per strategy, then each later strategy's paired difference from the first;
    every figure with both ranges (:func:`with_range`; :data:`BOTH_RANGES` says which is
    which).
    """
    by = comparison.set_index(["strategy", "measure"])
    diff = differences.set_index(["strategy", "measure"]) if len(differences) else None
    common, relative = key_measures(list(dict.fromkeys(comparison["measure"])))
    rows = []
    for m in [*common, *relative]:
        row: dict[str, str] = {"measure": measure_label(m, scenario)}
        for s in strategies:
            row[s] = with_range(m, by.loc[(s, m)])
        for s in strategies[1:]:
            key = (s, m)
            row[f"{s} − {strategies[0]}"] = (
                with_range(m, diff.loc[key], difference_text, "mean_difference")
                if diff is not None and key in diff.index
                else "–"
            )
        rows.append(row)
    return pd.DataFrame(rows)


def sweep_table(
    table: pd.DataFrame,
    keys: Sequence[str],
    metric: str,
    shares: pd.DataFrame | None = None,
    scenario: Any = None,
) -> pd.DataFrame:
    """The swept measure at every grid point, labelled by the keys' values (not indices)."""
    part = table[table["measure"] == metric].sort_values("point")
    met = None if shares is None else shares.set_index("point")["share_met"]
    rows = []
    for _, r in part.iterrows():
        row = {key_label(k, scenario): plain_value(r[k]) for k in keys}
        row[f"{measure_label(metric, scenario)}: {RANGES_HEADER}"] = with_range(metric, r)
        if met is not None:
            row["target met in"] = value_text("sustained", met.loc[r["point"]])
        rows.append(row)
    return pd.DataFrame(rows)


def text(title: str, frame: pd.DataFrame) -> str:
    """A title and a frame as plain text, every column shown."""
    return f"{title}\n{frame.to_string(index=False)}"


def html(title: str, frame: pd.DataFrame) -> str:
    """A title and a frame as escaped HTML (names given by users are escaped)."""
    from html import escape

    return f"<p><b>{escape(title)}</b></p>" + frame.to_html(index=False, escape=True)
