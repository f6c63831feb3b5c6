"""What the terminal says: a run's account, comparisons, sweeps and targets, in plain words.

Reads the tables of :mod:`sim.experiments`; never runs the model. Shares print as
percentages, differences of shares as percentage points, costs with thousands separators.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..experiments.display import BOTH_RANGES, MIN_FOR_INTERVAL
from ..experiments.sweeps import Sweep
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
from ..scenario.schema import Scenario
from .phrases import (
    _grid,
    _with_interval,
    _with_range,
    columns_as_blocks,
    few_futures_line,
    fit_lines,
    fitted_grid,
    mean_with_interval,  # noqa: F401  (re-exported)
)
from .run_account import BOOLEANS, describe  # noqa: F401  (re-exported: a run's account)


def compare_lines(
    comparison: pd.DataFrame,
    differences: pd.DataFrame,
    strategies: Sequence[str],
    seed: int,
    scenario: Scenario | None = None,
    baseline: str | None = None,
) -> list[str]:
    """A table of key measures per strategy, then the paired differences from the first.

    ``baseline`` names the first strategy when it is the council's saved plan ("the plan
    we run (NAME)"): the differences then read "against the plan we run (NAME)".

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
    few = reps < MIN_FOR_INTERVAL
    lines = [
        f"{len(strategies)} strategies on the same {reps} futures (seed {seed}; a future is one "
        "replication: who joins and leaves, and when).",
        few_futures_line(reps) if few else f"Each figure: {BOTH_RANGES}.",
    ]
    by = comparison.set_index(["strategy", "measure"])
    base = baseline or strategies[0]
    against = f"against {base}" if baseline else f"from {base}"
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
                + [_with_range(value_text, m, by.loc[(s, m)], few_said=few) for s in strategies]
            )
        lines += ["", title, *columns_as_blocks(rows)]

    def difference(row) -> str:
        return _with_range(
            difference_text, row.name, {**row, "mean": row["mean_difference"]}, few_said=few
        )

    lines += [
        "",
        f"Paired differences {against} on the common clock (same futures, replication by "
        "replication):",
    ]
    spread = "difference" if few else "difference (95% interval); 9 in 10"
    rows = [["measure", "strategy", spread, "better", "worse"]]
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
    lines += fitted_grid(rows)
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
            f"Differences {against} at each strategy's own dates (own dates: no verdict, "
            "since each is judged at a different date and mixes the strategy with the "
            "calendar):",
        ]
        rows = [["measure", "strategy", spread]]
        for name, m in shown:
            part = differences[differences["strategy"] == name].set_index("measure")
            rows.append([measure_label(m, scenario), name, difference(part.loc[m])])
        lines += fitted_grid(rows)
    if scenario is not None and "champions_alive_horizon" in common:
        lines.append(_alive_definition(scenario))
    return fit_lines(lines)


def horizon_lines(
    horizons: pd.DataFrame | None,
    strategies: Sequence[str],
    scenario: Scenario | None = None,
    baseline: str | None = None,
) -> list[str]:
    """What the horizon does to the totals: one sentence per difference whose sign changes
    within the run ("a 24-month delay gives less ... over the first 5 years and more from
    year 6"), or one saying none does; and the discount rate whenever one is set. One
    sentence a line, unwrapped (the app shows each as a paragraph; the terminal wraps them).
    """
    from ..experiments.horizons import GREEN_BOOK_RATE, sign_changes, sign_sentence

    if horizons is None or not len(horizons):
        return []
    rate = float(horizons["discount_rate"].iloc[0])
    years = int(horizons["year"].max())
    base = baseline or strategies[0]
    against = f"against {base}" if baseline else f"from {base}"
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
            f"Accumulated year by year (horizons.csv), no average difference {against} in "
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
    first point's, change sign within the horizon (from ``horizons.csv``).
    """
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
    """A target in words, e.g. "practising share 36 months in ≥ 40 %"."""
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
