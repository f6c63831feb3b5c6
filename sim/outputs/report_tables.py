"""The report's tables of measures, as plain text for the page's template to lay out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..experiments.display import BOTH_RANGES, with_range
from ..model.measures import is_common_clock
from ..model.vocabulary import (
    difference_text,
    key_label,
    key_measures,
    measure_label,
    measure_term,
    plain_value,
)
from ..scenario import formats
from .report_folder import HEADLINE, Folder
from .report_words import _cell

RANGES_HEADER = "average (95% interval); 9 futures in 10"

# --------------------------------------------------------------------------- tables
#
# The measures' section as parts the template lays out in order: a heading ({"h3": text}),
# a table ({"header": [...], "rows": [[...]]}) or a note ({"note": text}), all plain text.

Part = dict[str, Any]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> Part:
    return {"header": list(header), "rows": [list(r) for r in rows]}


def run_tables(folder: Folder, stats: pd.DataFrame) -> list[Part]:
    """A run's tables: common-clock measures, strategy-relative ones, and the rest."""
    by = stats.set_index("measure")
    common, relative = key_measures(list(by.index))
    rest = [m for m in by.index if m not in common and m not in relative]
    parts: list[Part] = []
    for title, measures in (
        ("On the common clock (the same dates for every strategy) and over the whole run", common),
        ("At dates set by the strategy's own phases", relative),
        ("Every other measure", rest),
    ):
        if not measures:
            continue
        rows = [
            [
                measure_label(m, folder.scenario),
                with_range(m, by.loc[m]),
                f"{int(by.loc[m, 'n'])}",
                measure_term(m, folder.scenario).meaning,
            ]
            for m in measures
        ]
        parts.append({"h3": title})
        parts.append(_table(["measure", RANGES_HEADER, "futures", "what it is"], rows))
    parts.append({"note": f"Each figure: {BOTH_RANGES}."})
    return parts


def compare_tables(
    folder: Folder, comparison: pd.DataFrame, differences: pd.DataFrame
) -> list[Part]:
    """A comparison's tables: each strategy's measures and the paired differences."""
    names = folder.strategies
    first = folder.scenario
    by = comparison.set_index(["strategy", "measure"])
    common, relative = key_measures(list(dict.fromkeys(comparison["measure"])))
    parts: list[Part] = []
    for title, measures in (
        ("On the common clock (the same dates for every strategy) and over the whole run", common),
        ("At dates set by each strategy's own phases (not comparable in time)", relative),
    ):
        if not measures:
            continue
        rows = [
            [measure_label(m, first)] + [with_range(m, by.loc[(s, m)]) for s in names]
            for m in measures
        ]
        parts.append({"h3": title})
        parts.append(_table(["measure", *names], rows))
    diff = differences.set_index(["strategy", "measure"])

    def difference(row) -> str:
        return with_range(row.name[1], row, difference_text, "mean_difference")

    rows = []
    for s in names[1:]:
        for m in common:
            if (s, m) not in diff.index:
                continue
            row = diff.loc[(s, m)]
            rows.append(
                [
                    measure_label(m, first),
                    s,
                    difference(row),
                    formats.percent(row["share_better"]),
                    formats.percent(row["share_worse"]),
                ]
            )
    parts.append(
        {"h3": f"Paired differences from {names[0]} on the common clock (the same futures)"}
    )
    parts.append(
        _table(
            ["measure", "strategy", f"difference: {RANGES_HEADER}", "ahead in", "behind in"],
            rows,
        )
    )
    parts.append(
        {
            "note": f"Each figure: {BOTH_RANGES}. Ahead in / behind in: the share of "
            f"futures in which the strategy beats / trails {names[0]}. Differences of "
            "percentages are in percentage points."
        }
    )
    own = [
        [measure_label(m, first), s, difference(diff.loc[(s, m)])]
        for s in names[1:]
        for m in relative
        if (s, m) in diff.index
    ]
    if own:
        parts.append(
            {"h3": f"Differences from {names[0]} at each strategy's own dates (no verdict)"}
        )
        parts.append(_table(["measure", "strategy", f"difference: {RANGES_HEADER}"], own))
        parts.append(
            {
                "note": "Each of these is judged at a date set by the strategy's own "
                "phases, so its difference mixes the strategy with the passing of time: it is "
                "shown, not scored."
            }
        )
    return parts


def sweep_tables(folder: Folder, sweep: pd.DataFrame, target: pd.DataFrame | None) -> list[Part]:
    """A sweep's table: each point's measures and, with a target, the share meeting it."""
    keys = list(folder.manifest.get("grid") or {})
    metric = folder.manifest.get("metric") or HEADLINE
    clock = [m for m in dict.fromkeys(sweep["measure"]) if is_common_clock(m)]
    shown = list(dict.fromkeys([metric, HEADLINE, *clock[-2:]]))
    met = None if target is None else target.set_index("point")["share_met"]
    parts: list[Part] = []
    for m in shown:
        part = sweep[sweep["measure"] == m].sort_values("point")
        if not len(part):
            continue
        header = [key_label(k, folder.scenario) for k in keys] + [RANGES_HEADER]
        if met is not None and m == metric:
            header.append("target met in")
        rows = []
        for _, r in part.iterrows():
            row = [plain_value(_cell(r[k])) for k in keys] + [with_range(m, r)]
            if met is not None and m == metric:
                row.append(formats.percent(met.loc[r["point"]]))
            rows.append(row)
        parts.append({"h3": measure_label(m, folder.scenario)})
        parts.append(_table(header, rows))
    return parts
