"""What the terminal says of one run: the account of a strategy's futures, in plain words.

Reads the tables of :mod:`sim.experiments`; never runs the model.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..experiments.display import BOTH_RANGES, MIN_FOR_INTERVAL
from ..experiments.intervals import mean_interval, proportion_interval
from ..experiments.tables import futures_range
from ..model.vocabulary import (
    value_text,
)
from ..scenario.clock import Clock
from ..scenario.schema import Scenario
from .phrases import _grid, _with_interval, _with_range, few_futures_line


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
    sentence (``words``) or a table cell.
    """
    row = _row(summary[measure], measure in BOOLEANS)
    return _with_range(value_text, measure, row, words, few_said=_few(row))


def _mean_of(summary: pd.DataFrame, measure: str) -> str:
    """The mean and its interval only (a figure inside another's brackets)."""
    row = _row(summary[measure], measure in BOOLEANS)
    return _with_interval(value_text, measure, row, few_said=_few(row))


def _few(row: Mapping[str, float]) -> bool:
    """Whether the whole run has too few futures for an interval: :func:`describe` then says
    so once, in its second line (:func:`few_futures_line`), and no figure repeats it.
    """
    return row["n"] + row["n_missing"] < MIN_FOR_INTERVAL


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
    few = reps < MIN_FOR_INTERVAL
    last_month = clock.month_dates[clock.horizon_months - 1]
    lines = [
        f"{scenario.name or 'Scenario'}: {reps} future{'s' if reps != 1 else ''} "
        f"(replications), seed {seed}, {_month_year(scenario.scenario.start)} to "
        f"{_month_year(last_month)}.",
        few_futures_line(reps) if few else f"Each figure: {BOTH_RANGES}.",
        "",
        "On the common clock (the same dates for any strategy):",
    ]
    spread = "" if few else "; 9 in 10"  # too few futures: no range of futures either
    rows = [["months from start", "date", f"trained (coverage){spread}", f"practising{spread}"]]
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
    rows of a table (``keep``) stay whole, so that its columns stay aligned.
    """
    out = []
    for line in lines:
        if keep and line in keep:
            out.append(line)
            continue
        lead = " " * (len(line) - len(line.lstrip()))
        out += textwrap.wrap(line, width, subsequent_indent=lead + "  ") or [""]
    return out
