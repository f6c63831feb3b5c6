"""The validation framework: case records, the verdict rule, calendar and scenario helpers.

Each :class:`Case` names a mechanism, says in a sentence or two how its expected answer is
derived (a closed form the mechanism implies, a deterministic hand count, or an extreme
parameter value), and holds a function that builds the scenario, runs the simulation and
returns the simulated values, one per replication. No expected value is copied from a
model run: the calendar arithmetic is done with :mod:`datetime` here, not with the model's
clock.

Every case runs from 1 January 2021 (a non-leap year, so a calendar year has 365 days).
Durations given in months use the model's average month of 365.25 / 12 days, and turnover
is a hazard per person-year of 365.25 days (MODEL.md §2). A month's row is the state at the
month's *end*, the instant the next month begins.

The verdict rules (per check, see :func:`judge`):

- ``exact``: every replication must equal the expected value exactly (``==`` on floats;
  the expected value is computed the way the quantity is defined, e.g. ``12 / 40``);
- ``interval``: the expected value must lie inside the t-based confidence interval of the
  mean across replications (:func:`sim.experiments.intervals.mean_interval`), widened on
  each side by the check's stated ``tolerance`` (0 unless a discretisation is named in the
  case). With some two dozen interval checks, 95 % intervals would fail about one check in
  twenty with a correct model, and every model change that moves the random numbers would
  risk a false alarm; so each interval is taken at 1 − 0.01 / K for K interval checks
  (Bonferroni), which keeps the chance of *any* false alarm below 1 %. The report shows
  the ordinary 95 % interval beside it.

The cases themselves live in :mod:`~sim.validation.closed_form`,
:mod:`~sim.validation.deterministic` and :mod:`~sim.validation.extremes`. Their functions
are pure: they build scenarios in memory and return arrays. The report
(:mod:`sim.validation.report`) runs them and writes ``docs/validation.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..experiments.intervals import Interval, mean_interval
from ..scenario.schema import Scenario, validate

DAYS_PER_YEAR = 365.25  # the DfE turnover rate is per person-year
DAYS_PER_MONTH = DAYS_PER_YEAR / 12  # MODEL.md: durations in months use the average month
START = date(2021, 1, 1)
SEED = 2025  # the seed of the report and of the test suite
FAMILY_ALPHA = 0.01  # chance that any interval check fails when every expected value is right


# --------------------------------------------------------------------------- calendar


def month_start_day(month: int) -> int:
    """Days from START to the first day of month ``month`` (0 = January 2021)."""
    year, index = divmod(START.year * 12 + START.month - 1 + month, 12)
    return (date(year, index + 1, 1) - START).days


def row_day(month: int) -> int:
    """The instant month ``month``'s row is taken: the start of the next month."""
    return month_start_day(month + 1)


def month_length(month: int) -> int:
    """Days in month ``month``."""
    return month_start_day(month + 1) - month_start_day(month)


def month_holding(day: float) -> int:
    """The month (0 = January 2021) containing model day ``day``."""
    month = 0
    while month_start_day(month + 1) <= day:
        month += 1
    return month


# --------------------------------------------------------------------------- case records


@dataclass(frozen=True)
class Check:
    """One comparison: a simulated quantity (one value per replication) against theory."""

    label: str
    expected: float
    rule: Literal["exact", "interval"]
    tolerance: float = 0.0  # widening of the verdict interval on each side ("interval" only)


@dataclass(frozen=True)
class Picture:
    """A simulated series (replications × points) and its theoretical curve, for the report."""

    title: str
    ylabel: str
    x: np.ndarray  # months (the row of month m is plotted at m + 1: its end)
    simulated: np.ndarray
    expected: np.ndarray
    expected_label: str
    xlabel: str = "months since the start"
    reference: float | None = None  # a horizontal line, e.g. a long-run value
    reference_label: str = ""


@dataclass(frozen=True)
class Case:
    """A validation case.

    Parameters
    ----------
    name
        Short identifier (file names, test ids).
    title, kind, mechanism, derivation, rule
        What the report prints: a title, the kind of check (closed form, deterministic or
        extreme value), the mechanism tested, how the expected value is derived, and how
        the verdict is reached (the tolerance and why).
    checks
        The expected values.
    simulate
        ``simulate(reps, seed)`` runs the model and returns, for each check's label, one
        simulated value per replication.
    reps
        Replications (the report and the test suite use the same number).
    picture
        Optional ``picture(reps, seed)`` giving a :class:`Picture` for the report.
    """

    name: str
    title: str
    kind: Literal["closed form", "deterministic", "extreme value"]
    mechanism: str
    derivation: str
    rule: str
    checks: tuple[Check, ...]
    simulate: Callable[[int, int], dict[str, np.ndarray]]
    reps: int = 200
    picture: Callable[[int, int], Picture] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class CheckResult:
    """A check's verdict: the simulated values, their intervals and whether theory fits."""

    check: Check
    values: np.ndarray
    interval: Interval  # the ordinary 95 % interval, shown in the report
    verdict_interval: Interval  # the interval the verdict uses (see judge)
    passed: bool

    @property
    def allowed(self) -> tuple[float, float]:
        """The range the expected value had to fall in (exact checks: the value itself)."""
        if self.check.rule == "exact":
            return (self.check.expected, self.check.expected)
        tol = self.check.tolerance
        return (self.verdict_interval.low - tol, self.verdict_interval.high + tol)

    @property
    def observed_range(self) -> tuple[float, float]:
        finite = self.values[np.isfinite(self.values)]
        return (float(finite.min()), float(finite.max())) if len(finite) else (np.nan, np.nan)


def verdict_confidence(interval_checks: int, family_alpha: float = FAMILY_ALPHA) -> float:
    """Confidence level of each interval check so that all of them together err at most
    ``family_alpha`` when every expected value is right (Bonferroni)."""
    return 1.0 - family_alpha / max(interval_checks, 1)


def judge(check: Check, values: np.ndarray, confidence: float) -> CheckResult:
    """Compare per-replication ``values`` with the check's expected value by its rule.

    ``exact``: every value equals the expected value. ``interval``: the expected value lies
    in the t-based interval of the mean at ``confidence``, widened by the tolerance.
    """
    values = np.asarray(values, dtype=float)
    interval = mean_interval(values)
    verdict = mean_interval(values, confidence)
    if check.rule == "exact":
        passed = bool(len(values) > 0 and np.all(values == check.expected))
    else:
        if verdict.n < 2:
            raise ValueError(f"{check.label}: an interval needs at least 2 replications")
        tol = check.tolerance
        passed = bool(verdict.low - tol <= check.expected <= verdict.high + tol)
    return CheckResult(check, values, interval, verdict, passed)


def evaluate(case: Case, reps: int, seed: int, confidence: float) -> list[CheckResult]:
    """Run a case's simulation and judge each of its checks."""
    simulated = case.simulate(reps, seed)
    missing = {c.label for c in case.checks} - set(simulated)
    if missing:
        raise KeyError(f"{case.name}: no simulated values for {sorted(missing)}")
    return [judge(check, simulated[check.label], confidence) for check in case.checks]


# --------------------------------------------------------------------------- scenarios


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def scenario(
    roles: dict[str, dict[str, Any]],
    horizon: int,
    supervisor: str | None = None,
    **tables: Any,
) -> Scenario:
    """A validated scenario starting on START with these roles; ``tables`` merged in."""
    data: dict[str, Any] = {
        "scenario": {"name": "validation", "start": START, "horizon_months": horizon},
        "workforce": {"supervisor_role": supervisor, "roles": roles},
        "practice": {"uptake": 1.0, "half_life_months": 600.0, "threshold": 0.5},
        "programme": {"phases": []},
    }
    return validate(_merge(data, tables), "<validation>")


def role(posts: int, turnover: float = 0.0, delay: float = 0.0, **more: Any) -> dict[str, Any]:
    return {"posts": posts, "turnover": turnover, "hiring_delay_months": delay, **more}


def phase(first: date, last: date, supplies: list[str]) -> list[dict[str, Any]]:
    return [{"name": "Phase 1", "start": first, "end": last, "supplies": supplies}]


def per_rep(timeseries: pd.DataFrame, name: str) -> np.ndarray:
    """A monthly column as a (replications × months) array."""
    return timeseries.pivot(index="rep", columns="month", values=name).to_numpy(dtype=float)
