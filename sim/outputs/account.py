"""What the terminal says: a run's account, comparisons, sweeps and targets, in plain words.

Reads the tables of :mod:`sim.experiments`; never runs the model. Shares print as
percentages, differences of shares as percentage points, costs with thousands separators.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..experiments.display import BOTH_RANGES, MIN_FOR_INTERVAL, interval_text, with_range
from ..experiments.intervals import mean_interval, proportion_interval
from ..experiments.sweeps import Sweep
from ..experiments.tables import futures_range
from ..experiments.targets import Target, TargetAnswer
from ..model.vocabulary import (
    difference_text,
    key_label,
    key_measures,
    measure_label,
    plain_value,
    value_text,
)
from ..scenario import formats
from ..scenario.clock import Clock
from ..scenario.schema import Scenario


def _with_interval(text, measure: str, row: Mapping[str, Any]) -> str:
    """The mean with its 95% interval, and how many futures it rests on when not all.

    A measure known in fewer than :data:`MIN_FOR_INTERVAL` futures gets no interval but the
    count ("19.0, in 5 of 200 futures: too few for an interval"), so that five values that
    happen to agree do not read as certainty.
    """
    n = int(row["n"]) if "n" in row and np.isfinite(row["n"]) else None
    total = n + int(row["n_missing"]) if n is not None and "n_missing" in row else None
    value = text(measure, row["mean"])
    if n is not None and n == 0:
        return f"– (in none of {total} futures)" if total else "–"
    some = f"in {n} of {total} futures" if total and n < total else ""
    if n is not None and n < MIN_FOR_INTERVAL:
        return f"{value} ({some or f'from {n} futures'}: too few for an interval)"
    low, high = row["ci_low"], row["ci_high"]
    if not (np.isfinite(low) and np.isfinite(high)) or low == high:  # no spread: no interval
        return f"{value} ({some})" if some else value
    interval = interval_text(measure, low, high, text)
    return f"{value} ({interval}{'; ' + some if some else ''})"


def _with_range(text, measure: str, row: Mapping[str, Any], words: bool = False) -> str:
    """:func:`_with_interval` and the range of futures after it (``p5`` to ``p95``), named:
    "on average 10% (7% to 13%); in 9 futures of 10 between 1% and 24%" (``words``), or in
    a table cell "10% (7% to 13%); 9 in 10: 1% to 24%"."""
    return with_range(
        measure, row, text, words=words, interval=lambda m, r: _with_interval(text, m, r)
    )


def mean_with_interval(measure: str, row: Mapping[str, Any]) -> str:
    """A row of ``summary_stats.csv`` as the terminal shows it: "74% (71% to 77%)"."""
    return _with_interval(value_text, measure, row)


def _grid(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def compare_lines(
    comparison: pd.DataFrame,
    differences: pd.DataFrame,
    strategies: Sequence[str],
    seed: int,
    scenario: Scenario | None = None,
) -> list[str]:
    """A table of key measures per strategy, then the paired differences from the first.

    The measures on the common clock (the same dates for every strategy) lead; those judged
    at dates set by each strategy's own phases follow under a heading that says so. Their
    differences stand apart too, with no better/worse shares: a difference judged at each
    strategy's own dates mixes the strategy's effect with the passing of time, so it is no
    verdict on the strategy. Every figure gives the mean with its 95% interval and the range
    of futures. Measures are named in plain words (:mod:`sim.model.vocabulary`); the CSV
    files keep the raw names.
    """
    reps = int((comparison["n"] + comparison["n_missing"]).max()) if len(comparison) else 0
    common, relative = key_measures(list(dict.fromkeys(comparison["measure"])))
    lines = [
        f"{len(strategies)} strategies on the same {reps} futures (seed {seed}; a future is one "
        "replication: who joins and leaves, and when).",
        f"Each figure: {BOTH_RANGES}.",
    ]
    by = comparison.set_index(["strategy", "measure"])
    base = strategies[0]
    for title, measures in (
        ("On the common clock (the same dates for every strategy):", common),
        ("At dates set by each strategy's own phases (not comparable in time):", relative),
    ):
        if not measures:
            continue
        rows = [["measure", *strategies]]
        for m in measures:
            rows.append(
                [measure_label(m, scenario)]
                + [_with_range(value_text, m, by.loc[(s, m)]) for s in strategies]
            )
        lines += ["", title, *_grid(rows)]

    def difference(row) -> str:
        return _with_range(difference_text, row.name, {**row, "mean": row["mean_difference"]})

    lines += [
        "",
        f"Paired differences from {base} on the common clock (same futures, replication by "
        "replication):",
    ]
    rows = [["measure", "strategy", "difference (95% interval); 9 in 10", "better", "worse"]]
    for name in strategies[1:]:
        part = differences[differences["strategy"] == name].set_index("measure")
        for m in common:
            if m not in part.index:
                continue
            row = part.loc[m]
            rows.append(
                [
                    measure_label(m, scenario),
                    name,
                    difference(row),
                    _share(row["share_better"]),
                    _share(row["share_worse"]),
                ]
            )
    lines += _grid(rows)
    lines.append(
        f"better/worse: share of futures in which the strategy beats / trails {base}. "
        "Differences of percentages are in percentage points."
    )
    shown = [
        (name, m)
        for name in strategies[1:]
        for m in relative
        if m in set(differences.loc[differences["strategy"] == name, "measure"])
    ]
    if shown:
        lines += [
            "",
            f"Differences from {base} at each strategy's own dates (own dates: no verdict, "
            "since each is judged at a different date and mixes the strategy with the "
            "calendar):",
        ]
        rows = [["measure", "strategy", "difference (95% interval); 9 in 10"]]
        for name, m in shown:
            part = differences[differences["strategy"] == name].set_index("measure")
            rows.append([measure_label(m, scenario), name, difference(part.loc[m])])
        lines += _grid(rows)
    if scenario is not None and "champions_alive_horizon" in common:
        lines.append(_alive_definition(scenario))
    return lines


def horizon_lines(
    horizons: pd.DataFrame | None, strategies: Sequence[str], scenario: Scenario | None = None
) -> list[str]:
    """What the horizon does to the totals: one sentence per difference whose sign changes
    within the run ("a 24-month delay gives less ... over the first 5 years and more from
    year 6"), or one saying none does; and the discount rate whenever one is set."""
    from ..experiments.horizons import GREEN_BOOK_RATE, sign_changes, sign_sentence

    if horizons is None or not len(horizons):
        return []
    rate = float(horizons["discount_rate"].iloc[0])
    years = int(horizons["year"].max())
    base = strategies[0]
    lines = [""]
    if rate > 0:
        lines.append(
            f"Totals discounted at {rate:.1%} a year (HM Treasury's Green Book rate is "
            f"{GREEN_BOOK_RATE:.1%}): a month t months after the start counts (1 + "
            f"{rate:g})^(-t/12); measures.discount_rate sets it."
        )
    changes = sign_changes(horizons)
    if not len(changes):
        lines.append(
            f"Accumulated year by year (horizons.csv), no average difference from {base} in "
            f"the totals changes sign within the {years}-year horizon."
        )
        return lines
    for row in changes.itertuples():
        cost = row.measure.startswith("total_cost")
        label = measure_label(row.measure, scenario)
        lines.append(sign_sentence(row.strategy, base, label, row.segments, cost))
    lines.append(
        "A total over the whole run depends on where the run stops: horizons.csv and "
        "horizons.png give each difference accumulated to the end of every year."
    )
    return lines


def sweep_horizon_lines(result: Sweep) -> list[str]:
    """For a sweep: one sentence per grid point whose practising person-months, against the
    first point's, change sign within the horizon (from ``horizons.csv``)."""
    from ..experiments.horizons import sign_changes, sign_sentence
    from ..model.vocabulary import key_value_text

    table = result.horizons
    if table is None or not len(table):
        return []
    wanted = [m for m in table["measure"].unique() if m.startswith("practising_person_months")]
    part = table[table["measure"].isin(wanted)]
    changes = sign_changes(part, label="point")
    if not len(changes):
        return []
    points = part.drop_duplicates("point").set_index("point")
    first = int(part["baseline"].iloc[0])

    def name(point) -> str:
        row = points.loc[point] if point in points.index else None
        if row is None:  # the first point: its values from the sweep table
            row = result.sweep[result.sweep["point"] == point].iloc[0]
        return "; ".join(key_value_text(k, row[k], result.scenario) for k in result.keys)

    lines = []
    for row in changes.itertuples():
        label = measure_label(row.measure, result.scenario)
        lines.append(sign_sentence(name(row.point), name(first), label, row.segments, False))
    return lines


def _alive_definition(scenario: Scenario) -> str:
    size = scenario.champions.min_group_size
    return (
        f"Champion group still working at the end: at least {size} "
        f"champion{'s' if size != 1 else ''} active in the last month."
    )


def _share(x: float) -> str:
    return formats.percent(x)


def sweep_lines(
    table: pd.DataFrame,
    keys: Sequence[str],
    metric: str,
    shares: pd.DataFrame | None,
    scenario: Scenario | None = None,
) -> list[str]:
    """The chosen measure at every grid point, with its interval and the target's share.

    Columns are labelled in plain words: the swept keys (``programme.phases.1.
    start_after_months`` → "Phase 2 starts … months after Phase 1 ends") and the measure.
    """
    part = table[table["measure"] == metric]
    header = [key_label(k, scenario) for k in keys]
    header.append(f"{measure_label(metric, scenario)} (95% interval); 9 in 10")
    if shares is not None:
        header.append("target met in (share of futures)")
        met = shares.set_index("point")["share_met"]
    rows = [header]
    for _, row in part.iterrows():
        cells = [_plain(row[k]) for k in keys] + [_with_range(value_text, metric, row)]
        if shares is not None:
            cells.append(_share(met.loc[row["point"]]))
        rows.append(cells)
    return _grid(rows)


def _plain(value: Any) -> str:
    return plain_value(value)


def target_text(target: Target) -> str:
    op = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}[target.op]
    return f"{measure_label(target.metric)} {op} {value_text(target.metric, target.value)}"


_PHASE_DELAY = re.compile(r"programme\.phases\.(\d+)\.start_after_months")


def target_sentence(
    answer: TargetAnswer,
    given: Mapping[str, Any],
    key: str,
    target: Target,
    probability: float,
    shares: pd.DataFrame,
    table: pd.DataFrame,
    scenario: Scenario,
) -> str:
    """One plain sentence: how far along ``key`` the target holds in enough futures.

    ``shares`` holds this grid row's points in order of ``key``; ``table`` the sweep table
    (for the interval of the measure at the answer).
    """
    keep = f"keep {target_text(target)} in at least {probability:.0%} of futures"
    values = list(shares[key])
    span = f"{_plain(values[0])} to {_plain(values[-1])}"
    delay = _PHASE_DELAY.fullmatch(key)
    if delay:
        i = int(delay.group(1))
        phases = scenario.programme.phases
        name = phases[i].name if i < len(phases) else f"phase {i + 1}"
        after = f"after {phases[i - 1].name} ends" if i >= 1 else "after the scenario starts"
        subject, unit = f"{name} may start", f" months {after}"
    else:
        subject, unit = f"{key_label(key, scenario)} may be", ""
    if answer.kind == "up_to":
        text = f"{subject} up to {_plain(answer.value)}{unit} and still {keep}"
    elif answer.kind == "at_least":
        text = f"{subject} no less than {_plain(answer.value)}{unit} to {keep}"
    elif answer.kind == "all" and delay:
        text = f"{subject} anywhere from {span}{unit} (every delay tried) and still {keep}"
    elif answer.kind == "all":
        text = f"{subject} anything tried, {span}, and still {keep}"
        answer = TargetAnswer(answer.kind, values[-1], answer.values)
    elif answer.kind == "none":
        best = shares.loc[shares["share_met"].idxmax()]
        text = (
            f"Nothing tried ({span}{unit}) would {keep}; the best, {_plain(best[key])}, "
            f"does in {best['share_met']:.0%}"
        )
        answer = TargetAnswer(answer.kind, best[key], answer.values)
    else:
        listed = ", ".join(_plain(v) for v in answer.values)
        text = f"Only {listed}{unit} ({key_label(key, scenario)}) {keep}; the others tried do not"
        answer = TargetAnswer(answer.kind, answer.values[-1], answer.values)
    point = shares.loc[shares[key] == answer.value].iloc[0]
    at = table[(table["point"] == point["point"]) & (table["measure"] == target.metric)].iloc[0]
    evidence = (
        f" (at {_plain(answer.value)}: met in {point['share_met']:.0%} of {int(point['n'])} "
        f"futures; mean {_with_interval(value_text, target.metric, at)})"
    )
    prefix = "".join(f"With {key_label(k, scenario)} = {_plain(v)}: " for k, v in given.items())
    return f"{prefix}{text}{evidence}."


def sweep_answers(result: Sweep) -> list[str]:
    """One plain sentence per grid row: how far along the last key the target still holds."""
    if result.condition is None or result.target is None:
        return []
    keys, last, shares = result.keys, result.keys[-1], result.target
    rows = [((), shares)] if len(keys) == 1 else list(shares.groupby(keys[0], sort=False))
    sentences = []
    for (row_key, part), answer in zip(rows, result.answers, strict=True):
        given = (
            {}
            if len(keys) == 1
            else {keys[0]: row_key[0] if isinstance(row_key, tuple) else row_key}
        )
        sentences.append(
            target_sentence(
                answer,
                given,
                last,
                result.condition,
                result.probability,
                part.sort_values(last),
                result.sweep,
                result.scenario,
            )
        )
    return sentences


# --------------------------------------------------------------------------- a run


def _row(values, proportion: bool = False) -> dict[str, float]:
    """A column across futures as the row :func:`_with_interval` reads."""
    x = pd.Series(values, dtype="float64").to_numpy()
    i = (proportion_interval if proportion else mean_interval)(x)
    p5, p95 = futures_range(x)
    return {
        "mean": i.mean,
        "ci_low": i.low,
        "ci_high": i.high,
        "n": i.n,
        "n_missing": int(np.count_nonzero(~np.isfinite(x))),
        "p5": p5,
        "p95": p95,
        "sd": i.sd,
    }


def _of(summary: pd.DataFrame, measure: str, words: bool = True) -> str:
    """A measure across futures: its mean with its interval and the range of futures, in a
    sentence (``words``) or a table cell."""
    row = _row(summary[measure], measure in BOOLEANS)
    return _with_range(value_text, measure, row, words)


def _mean_of(summary: pd.DataFrame, measure: str) -> str:
    """The mean and its interval only (a figure inside another's brackets)."""
    return _with_interval(value_text, measure, _row(summary[measure], measure in BOOLEANS))


BOOLEANS = ("sustained", "champions_alive_horizon")


def _month_year(day) -> str:
    return day.strftime("%b %Y")


def describe(
    scenario: Scenario,
    summary: pd.DataFrame,
    seed: int,
    monthly: Mapping[str, np.ndarray] | None = None,
) -> list[str]:
    """Lines that say what happened, with 95% intervals across futures (replications).

    The common clock leads (the state M months after the start, the same dates whatever the
    strategy); then each phase, with what was judged at dates its phases set.
    """
    clock = Clock(scenario.scenario.start, scenario.scenario.horizon_months)
    reps = len(summary)
    last_month = clock.month_dates[clock.horizon_months - 1]
    lines = [
        f"{scenario.name or 'Scenario'}: {reps} future{'s' if reps != 1 else ''} "
        f"(replications), seed {seed}, {_month_year(scenario.scenario.start)} to "
        f"{_month_year(last_month)}.",
        f"Each figure: {BOTH_RANGES}.",
        "",
        "On the common clock (the same dates for any strategy):",
    ]
    rows = [
        [
            "months from start",
            "date",
            "trained (coverage); 9 in 10",
            "practising; 9 in 10",
        ]
    ]
    for m in scenario.clock_months():
        if f"coverage_m{m}" not in summary:
            continue
        rows.append(
            [
                f"{m}",
                _month_year(clock.month_dates[m]) if m < len(clock.month_dates) else "",
                _of(summary, f"coverage_m{m}", words=False),
                _of(summary, f"practising_share_m{m}", words=False),
            ]
        )
    table = ["  " + line for line in _grid(rows)]
    lines += table
    lines.append(
        f"  Practising person-months over the {clock.horizon_months} months: "
        f"{_of(summary, 'practising_person_months')}."
    )
    for level in (50, 80):
        lines.append(
            f"  Months to {level}% of staff trained: {_of(summary, f'months_to_{level}_coverage')}."
        )
    if scenario.champions.target > 0:
        lines.append(
            f"  Champion group still working at the end (at least "
            f"{scenario.champions.min_group_size} active): "
            f"{_of(summary, 'champions_alive_horizon')} of futures."
        )

    phases = scenario.programme.phases
    dates = scenario.phase_dates()
    lines += ["", "Phases (judged at dates the phases set):"]
    if not phases:
        lines.append("  No phases: the do-nothing strategy.")
    for i, (phase, (start, end)) in enumerate(zip(phases, dates, strict=True), start=1):
        lines.append(
            f"  {phase.name} ({_month_year(start)} to {_month_year(end)}): people who completed "
            f"foundation training: {_of(summary, f'completed_phase_{i}')}. At its end, staff "
            f"trained: {_of(summary, f'coverage_end_phase_{i}')}; practising: "
            f"{_of(summary, f'practising_share_end_phase_{i}')}."
        )
        if i < len(phases):
            gap_days = (dates[i][0] - end).days - 1
            if gap_days > 0:
                lines.append(
                    f"    Gap of {gap_days / 30.44:.0f} month(s) before {phases[i].name}: "
                    f"lowest coverage: {_of(summary, f'min_coverage_gap_{i}')}."
                )
            else:
                lines.append(f"    No gap before {phases[i].name}.")
    m = scenario.measures
    after = "the last phase ends" if phases else "the start"
    lines.append(
        f"  Coverage at or above {m.sustain_target:.0%} {m.sustain_after_months} months after "
        f"{after}: {_of(summary, 'sustained')} of futures."
    )

    within = _of(summary, "new_starters_offered_within_12_months")
    median = summary["median_wait_new_starters_months"]
    median_text = (
        f"median wait in months: {_of(summary, 'median_wait_new_starters_months')}"
        if median.notna().any()
        else "more than half were never offered one, so the median wait is beyond the horizon"
    )
    lines += [
        "",
        f"New starters: {summary['new_starters'].mean():.0f} joined on average. Offered a "
        f"training or induction place within 12 months of joining: {within}. Never offered "
        f"one by the horizon or their leaving: {_of(summary, 'new_starters_never_offered')}. "
        f"{median_text[0].upper() + median_text[1:]} (those never offered count as still "
        "waiting).",
        f"Cost: {_of(summary, 'total_cost')}. Per practising person-month: "
        f"{_of(summary, 'cost_per_practising_month')}. On average "
        f"{_mean_of(summary, 'total_provider_days')} provider days, "
        f"{_mean_of(summary, 'total_training_days')} staff training days and "
        f"{_mean_of(summary, 'total_activity_days')} staff days in supervision, groups and "
        "champion work.",
    ]
    lines += _discounted_lines(scenario, monthly)
    return _wrapped(lines, keep=set(table))


def _discounted_lines(scenario: Scenario, monthly: Mapping[str, np.ndarray] | None) -> list[str]:
    """With ``measures.discount_rate`` set: the totals discounted, and the rate, always."""
    from ..experiments.horizons import GREEN_BOOK_RATE, accumulated

    rate = scenario.measures.discount_rate
    if rate <= 0 or monthly is None:
        return []
    totals = {m: a[:, -1] for m, a in accumulated(monthly, rate).items()}
    return [
        f"Discounted at {rate:.1%} a year (measures.discount_rate; HM Treasury's Green Book "
        f"rate is {GREEN_BOOK_RATE:.1%}): practising person-months "
        f"{_of(totals, 'practising_person_months_discounted')}; cost "
        f"{_of(totals, 'total_cost_discounted')}."
    ]


def _wrapped(lines: list[str], width: int = 100, keep: set[str] | None = None) -> list[str]:
    """Long lines wrapped at ``width``, continuation lines indented under their start; the
    rows of a table (``keep``) stay whole, so that its columns stay aligned."""
    out = []
    for line in lines:
        if keep and line in keep:
            out.append(line)
            continue
        lead = " " * (len(line) - len(line.lstrip()))
        out += textwrap.wrap(line, width, subsequent_indent=lead + "  ") or [""]
    return out
