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
  risk a false alarm; so each interval is taken at 1 − 0.01 / K for K interval and range
  checks (Bonferroni), which keeps the chance of *any* false alarm below 1 %. The report
  shows the ordinary 95 % interval beside it.
- ``range``: the verdict interval of the mean (the same Bonferroni level) must lie wholly
  inside [expected − tolerance, expected + tolerance]: a figure reported as "about 250" is
  met by 250 ± 25 only if the model's mean is surely inside that band, not merely near it.
- ``reference``: a figure published or reported elsewhere, measured in another setting or
  with another construct. It is shown, never failed: the model *agrees* when its mean lies
  within the stated tolerance of the figure and *differs* otherwise, and the case says why
  it may differ. The model's own arithmetic for the same quantity is checked separately by
  an ``interval`` or ``exact`` check, which does fail CI.

A check of yes/no values per replication (``yes_no``) is summarised by its share with a
Wilson interval instead of a t interval.

The cases themselves live in :mod:`~sim.validation.closed_form`,
:mod:`~sim.validation.deterministic`, :mod:`~sim.validation.extremes` (mechanisms),
:mod:`~sim.validation.seeds` (what the two seed documents report, on the bundled scenarios as
shipped) and :mod:`~sim.validation.published` (published figures beside the model's). Their
functions are pure: they build scenarios in memory and return arrays. The report
(:mod:`sim.validation.report`) runs them and writes ``docs/validation.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..experiments.intervals import Interval, mean_interval, proportion_interval
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


Rule = Literal["exact", "interval", "range", "reference"]
JUDGED_BY_INTERVAL = ("interval", "range")  # the rules that share the Bonferroni family


@dataclass(frozen=True)
class Check:
    """One comparison: a simulated quantity (one value per replication) against theory.

    ``tolerance`` widens the verdict interval on each side (``interval``), or is the half
    width of the band the interval must lie in (``range``) or the mean must lie in
    (``reference``). ``quote`` holds the words of the seed or publication a seed-fact or
    published-figure check reproduces; ``model_check`` names, for a ``reference`` check, the
    check of the same case that tests the model's own answer for the same quantity (its
    values, or their difference from a closed form that varies by replication, which
    ``note`` then names for the summary tables).
    """

    label: str
    expected: float
    rule: Rule
    tolerance: float = 0.0
    quote: str = ""
    yes_no: bool = False  # values are 0/1 per replication: Wilson intervals
    model_check: str = ""
    note: str = ""  # summary tables: said instead of the expected value (e.g. "per draw")


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
    # Published figures to mark: (x, y, ± tolerance, label), drawn as points with bars.
    marks: tuple[tuple[float, float, float, str], ...] = ()


@dataclass(frozen=True)
class Case:
    """A validation case.

    Parameters
    ----------
    name
        Short identifier (file names, test ids).
    title, kind, mechanism, derivation, rule
        What the report prints: a title, the kind of check (closed form, deterministic,
        extreme value, seed fact or published figure), the mechanism tested, how the
        expected value is derived, and how the verdict is reached (the tolerance and why).
    checks
        The expected values.
    simulate
        ``simulate(reps, seed)`` runs the model and returns, for each check's label, one
        simulated value per replication.
    reps
        Replications (the report and the test suite use the same number).
    picture
        Optional ``picture(reps, seed)`` giving a :class:`Picture` for the report.
    source
        For seed facts, the document the checks' quotes come from.
    """

    name: str
    title: str
    kind: Literal["closed form", "deterministic", "extreme value", "seed fact", "published figure"]
    mechanism: str
    derivation: str
    rule: str
    checks: tuple[Check, ...]
    simulate: Callable[[int, int], dict[str, np.ndarray]]
    reps: int = 200
    picture: Callable[[int, int], Picture] | None = field(default=None, compare=False)
    source: str = ""  # seed facts: the document quoted (e.g. "Camden seed")


@dataclass(frozen=True)
class CheckResult:
    """A check's verdict: the simulated values, their intervals and whether theory fits."""

    check: Check
    values: np.ndarray
    interval: Interval  # the ordinary 95 % interval, shown in the report
    verdict_interval: Interval  # the interval the verdict uses (see judge)
    passed: bool  # False fails CI; a reference check always passes
    agrees: bool | None = None  # reference checks: whether the model agrees with the figure

    @property
    def allowed(self) -> tuple[float, float]:
        """Where the verdict looks: the range the expected value had to fall in (exact: the
        value itself; interval: the widened verdict interval), or the band the verdict
        interval (range) or the mean (reference) had to lie in.
        """
        check = self.check
        if check.rule == "exact":
            return (check.expected, check.expected)
        tol = check.tolerance
        if check.rule in ("range", "reference"):
            return (check.expected - tol, check.expected + tol)
        return (self.verdict_interval.low - tol, self.verdict_interval.high + tol)

    @property
    def verdict(self) -> str:
        """The word the report shows: pass or FAIL; agrees or differs for a reference."""
        if self.check.rule == "reference":
            return "agrees" if self.agrees else "differs"
        return "pass" if self.passed else "FAIL"

    @property
    def observed_range(self) -> tuple[float, float]:
        """The smallest and largest finite value observed."""
        finite = self.values[np.isfinite(self.values)]
        return (float(finite.min()), float(finite.max())) if len(finite) else (np.nan, np.nan)


def verdict_confidence(interval_checks: int, family_alpha: float = FAMILY_ALPHA) -> float:
    """Confidence level of each interval (or range) check so that all of them together err
    at most ``family_alpha`` when every expected value is right (Bonferroni).
    """
    return 1.0 - family_alpha / max(interval_checks, 1)


def judge(check: Check, values: np.ndarray, confidence: float) -> CheckResult:
    """Compare per-replication ``values`` with the check's expected value by its rule.

    ``exact``: every value equals the expected value. ``interval``: the expected value lies
    in the interval of the mean at ``confidence``, widened by the tolerance. ``range``: that
    interval lies wholly inside expected ± tolerance. ``reference``: never fails; the model
    agrees when the mean lies within expected ± tolerance.
    """
    values = np.asarray(values, dtype=float)
    summarise = proportion_interval if check.yes_no else mean_interval
    interval = summarise(values)
    verdict = summarise(values, confidence)
    tol = check.tolerance
    agrees = None
    if check.rule == "exact":
        passed = bool(len(values) > 0 and np.all(values == check.expected))
    elif check.rule == "reference":
        if interval.n == 0:
            raise ValueError(f"{check.label}: no simulated values")
        passed = True
        agrees = bool(check.expected - tol <= interval.mean <= check.expected + tol)
    elif check.rule in JUDGED_BY_INTERVAL:
        if verdict.n < 2:
            raise ValueError(f"{check.label}: an interval needs at least 2 replications")
        if check.rule == "interval":
            passed = bool(verdict.low - tol <= check.expected <= verdict.high + tol)
        else:
            passed = bool(
                check.expected - tol <= verdict.low and verdict.high <= check.expected + tol
            )
    else:
        raise ValueError(f"{check.label}: unknown rule {check.rule!r}")
    return CheckResult(check, values, interval, verdict, passed, agrees)


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
    """A role's table for a validation scenario."""
    return {"posts": posts, "turnover": turnover, "hiring_delay_months": delay, **more}


def phase(first: date, last: date, supplies: list[str]) -> list[dict[str, Any]]:
    """A one-phase calendar for a validation scenario."""
    return [{"name": "Phase 1", "start": first, "end": last, "supplies": supplies}]


def per_rep(timeseries: pd.DataFrame, name: str) -> np.ndarray:
    """A monthly column as a (replications × months) array."""
    return timeseries.pivot(index="rep", columns="month", values=name).to_numpy(dtype=float)
