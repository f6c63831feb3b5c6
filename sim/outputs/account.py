"""What the terminal says: a run's account, comparisons, sweeps and targets, in plain words.

Reads the tables of :mod:`sim.experiments`; never runs the model. Shares print as
percentages, differences of shares as percentage points, costs with thousands separators.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..experiments.intervals import mean_interval, proportion_interval
from ..experiments.sweeps import Sweep
from ..experiments.targets import Target, TargetAnswer
from ..scenario.clock import Clock
from ..scenario.schema import Scenario

# The measures a comparison prints in the terminal (all of them are in comparison.csv).
KEY_MEASURES = (
    "coverage_horizon",
    "practising_share_horizon",
    "coverage_months",
    "months_to_50_coverage",
    "months_to_80_coverage",
    "sustained",
    "champions_alive_horizon",
    "mean_wait_new_starters_months",
    "total_cost",
    "cost_per_practising_month",
)
_SHARE = re.compile(
    r"coverage_horizon|practising_share_horizon|coverage_end_phase_\d+|"
    r"practising_share_end_phase_\d+|min_coverage_gap_\d+|sustained|champions_alive_horizon"
)
_MONEY = re.compile(r"total_.*|cost_per_practising_month")


def is_share(measure: str) -> bool:
    """Whether a measure is a share of staff or of futures (printed as a percentage)."""
    return bool(_SHARE.fullmatch(measure))


def value_text(measure: str, x: float) -> str:
    if not np.isfinite(x):
        return "–"
    if is_share(measure):
        return f"{x:.0%}"
    if _MONEY.fullmatch(measure):
        return f"{x:,.0f}"
    return f"{x:.1f}"


def difference_text(measure: str, x: float) -> str:
    if not np.isfinite(x):
        return "–"
    if is_share(measure):
        return f"{100 * x:+.1f} pts"
    if _MONEY.fullmatch(measure):
        return f"{x:+,.0f}"
    return f"{x:+.1f}"


def _with_interval(text, measure: str, row: Mapping[str, Any]) -> str:
    low, high = row["ci_low"], row["ci_high"]
    if not (np.isfinite(low) and np.isfinite(high)):
        return text(measure, row["mean"])
    if is_share(measure):  # a t interval of shares may cross 0 or 100 %: show what can be
        floor = 0.0 if text is value_text else -1.0
        low, high = max(low, floor), min(high, 1.0)
    return f"{text(measure, row['mean'])} ({text(measure, low)} to {text(measure, high)})"


def _grid(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def compare_lines(
    comparison: pd.DataFrame, differences: pd.DataFrame, strategies: Sequence[str], seed: int
) -> list[str]:
    """A table of key measures per strategy, then the paired differences from the first."""
    reps = int((comparison["n"] + comparison["n_missing"]).max()) if len(comparison) else 0
    measures = [m for m in KEY_MEASURES if m in set(comparison["measure"])]
    lines = [
        f"{len(strategies)} strategies on the same {reps} futures (seed {seed}); "
        "means with 95 % intervals:"
    ]
    by = comparison.set_index(["strategy", "measure"])
    rows = [["measure", *strategies]]
    for m in measures:
        rows.append([m] + [_with_interval(value_text, m, by.loc[(s, m)]) for s in strategies])
    lines += _grid(rows)
    base = strategies[0]
    lines += ["", f"Paired differences from {base} (same futures, replication by replication):"]
    rows = [
        ["measure", "strategy", "difference (95 % CI)", "better", "worse", "CI width vs unpaired"]
    ]
    for name in strategies[1:]:
        part = differences[differences["strategy"] == name].set_index("measure")
        for m in measures:
            if m not in part.index:
                continue
            row = part.loc[m]
            ratio = row["width_ratio"]
            rows.append(
                [
                    m,
                    name,
                    _with_interval(difference_text, m, {**row, "mean": row["mean_difference"]}),
                    _share(row["share_better"]),
                    _share(row["share_worse"]),
                    f"{ratio:.2f}" if np.isfinite(ratio) else "–",
                ]
            )
    lines += _grid(rows)
    lines.append(
        "better/worse: share of futures in which the strategy beats / trails "
        f"{base}; CI width vs unpaired below 1: pairing narrowed the interval."
    )
    return lines


def _share(x: float) -> str:
    return "–" if not np.isfinite(x) else f"{x:.0%}"


def sweep_lines(
    table: pd.DataFrame,
    keys: Sequence[str],
    metric: str,
    shares: pd.DataFrame | None,
) -> list[str]:
    """The chosen measure at every grid point, with its interval and the target's share."""
    part = table[table["measure"] == metric]
    header = [*keys, f"{metric} (95 % CI)"]
    if shares is not None:
        header.append("target met in")
        met = shares.set_index("point")["share_met"]
    rows = [header]
    for _, row in part.iterrows():
        cells = [_plain(row[k]) for k in keys] + [_with_interval(value_text, metric, row)]
        if shares is not None:
            cells.append(_share(met.loc[row["point"]]))
        rows.append(cells)
    return _grid(rows)


def _plain(value: Any) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}"
    return f"{value}"


def target_text(target: Target) -> str:
    op = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}[target.op]
    return f"{target.metric} {op} {value_text(target.metric, target.value)}"


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
        subject, unit = f"{key} may be", ""
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
        text = f"Only {listed}{unit} ({key}) {keep}; the others tried do not"
        answer = TargetAnswer(answer.kind, answer.values[-1], answer.values)
    point = shares.loc[shares[key] == answer.value].iloc[0]
    at = table[(table["point"] == point["point"]) & (table["measure"] == target.metric)].iloc[0]
    evidence = (
        f" (at {_plain(answer.value)}: met in {point['share_met']:.0%} of {int(point['n'])} "
        f"futures; mean {_with_interval(value_text, target.metric, at)})"
    )
    prefix = "".join(f"With {k} = {_plain(v)}: " for k, v in given.items())
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


def _pct(values) -> str:
    """'74 %' or '74 % (95 % CI 72-76 %)' for a column of shares across replications."""
    i = mean_interval(values)
    if i.n == 0:
        return "not reached"
    if i.n == 1 or not np.isfinite(i.low):
        return f"{i.mean:.0%}"
    return f"{i.mean:.0%} (95% CI {i.low:.0%} to {i.high:.0%})"


def _share_of_futures(values: pd.Series) -> str:
    i = proportion_interval(values.dropna().astype(float))
    if i.n == 0:
        return "cannot be judged within the horizon"
    return f"{i.mean:.0%} of futures (95% CI {i.low:.0%} to {i.high:.0%})"


def _month_year(day) -> str:
    return day.strftime("%b %Y")


def describe(scenario: Scenario, summary: pd.DataFrame, seed: int) -> list[str]:
    """Lines that say what happened, with 95% intervals across replications."""
    clock = Clock(scenario.scenario.start, scenario.scenario.horizon_months)
    reps = len(summary)
    last_month = clock.month_dates[clock.horizon_months - 1]
    lines = [
        f"{scenario.name or 'Scenario'}: {reps} replication{'s' if reps != 1 else ''}, "
        f"seed {seed}, {_month_year(scenario.scenario.start)} to {_month_year(last_month)}."
    ]
    phases = scenario.programme.phases
    dates = scenario.phase_dates()
    if not phases:
        lines.append("No phases: the do-nothing strategy.")
    for i, (phase, (start, end)) in enumerate(zip(phases, dates, strict=True), start=1):
        lines.append(
            f"{phase.name} ({_month_year(start)} to {_month_year(end)}): at its end "
            f"{_pct(summary[f'coverage_end_phase_{i}'])} of staff trained, "
            f"{_pct(summary[f'practising_share_end_phase_{i}'])} practising."
        )
        if i < len(phases):
            gap_days = (dates[i][0] - end).days - 1
            if gap_days > 0:
                lines.append(
                    f"  Gap of {gap_days / 30.44:.0f} month(s) before {phases[i].name}: "
                    f"lowest coverage {_pct(summary[f'min_coverage_gap_{i}'])}."
                )
    lines.append(
        f"At the horizon: {_pct(summary['coverage_horizon'])} trained, "
        f"{_pct(summary['practising_share_horizon'])} practising."
    )
    m = scenario.measures
    after = "the last phase ends" if phases else "the start"
    lines.append(
        f"Coverage at or above {m.sustain_target:.0%} {m.sustain_after_months} months after "
        f"{after}: {_share_of_futures(summary['sustained'])}."
    )
    if scenario.champions.target > 0:
        lines.append(
            f"Champion group still alive at the horizon: "
            f"{_share_of_futures(summary['champions_alive_horizon'])}."
        )
    starters = summary["new_starters"].mean()
    offered = summary["new_starters_offered_place"].mean()
    wait = mean_interval(summary["mean_wait_new_starters_months"])
    waited = f", after {wait.mean:.1f} months on average" if wait.n else ""
    lines.append(
        f"New starters: {starters:.0f} joined on average; {offered:.0f} were offered a place"
        f"{waited}."
    )
    cost = mean_interval(summary["total_cost"])
    per = mean_interval(summary["cost_per_practising_month"])
    per_text = f"; {per.mean:,.0f} GBP per practising person-month" if per.n else ""
    lines.append(
        f"Cost: {cost.mean:,.0f} GBP ({summary['total_provider_days'].mean():,.0f} provider days, "
        f"{summary['total_training_days'].mean():,.0f} staff training days){per_text}."
    )
    return lines
