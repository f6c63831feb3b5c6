"""A short plain-English account of a run, for the terminal."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .clock import Clock
from .scenario import Scenario
from .stats import mean_interval, proportion_interval


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
