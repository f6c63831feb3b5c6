"""Targets: a condition on one measure ("coverage_m36 >= 0.6"), met in each future or not,
and where along a swept key it is still met in enough futures.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..scenario.keys import ScenarioError, parse_value

if TYPE_CHECKING:  # pandas and the tables load when shares are counted, not for parsing
    import pandas as pd

_OPERATORS: dict[str, Callable[[np.ndarray, float], np.ndarray]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}


@dataclass(frozen=True)
class Target:
    """A condition on one measure, met in a replication or not: ``coverage_horizon>=0.6``."""

    metric: str
    op: str
    value: float

    def met(self, values: np.ndarray) -> np.ndarray:
        """Which replications meet it; an empty value (never reached) never does."""
        values = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore"):
            return np.isfinite(values) & _OPERATORS[self.op](values, self.value)

    def __str__(self) -> str:
        return f"{self.metric} {self.op.replace('>=', '≥').replace('<=', '≤')} {self.value:g}"


def target_shares(table: pd.DataFrame, target: Target, by: Sequence[str]) -> pd.DataFrame:
    """Share of replications meeting ``target`` at each grid point (columns ``by``)."""
    import pandas as pd

    from .tables import as_float

    met = target.met(as_float(table[target.metric]))
    frame = table[list(by)].copy()
    frame["met"] = met
    grouped = frame.groupby(list(by), sort=False)["met"]
    return pd.DataFrame({"share_met": grouped.mean(), "n": grouped.size()}).reset_index()


@dataclass(frozen=True)
class TargetAnswer:
    """Where along one key a target is met with the required probability.

    ``kind`` is ``"up_to"`` (met for every value up to ``value`` and none above),
    ``"at_least"`` (met from ``value`` upwards), ``"all"``, ``"none"`` or ``"some"`` (met at
    scattered values, listed in ``values``).
    """

    kind: str
    value: object
    values: tuple


def search_target(values: Sequence, shares: Sequence[float], probability: float) -> TargetAnswer:
    """The last value (or least value) along an ordered key whose share meets ``probability``.

    ``values`` are the key's values in increasing order and ``shares`` the share of
    replications meeting the target at each. When the values meeting it form a leading run
    (0, 3, 6 … then no more) the answer is "up to" the last of them; a trailing run gives
    "at least" the first; otherwise the values meeting it are listed.
    """
    ok = [s >= probability for s in shares]
    meeting = tuple(v for v, good in zip(values, ok, strict=True) if good)
    if all(ok):
        return TargetAnswer("all", values[-1], meeting)
    if not any(ok):
        return TargetAnswer("none", None, meeting)
    first_bad = ok.index(False)
    if not any(ok[first_bad:]):
        return TargetAnswer("up_to", values[first_bad - 1], meeting)
    first_good = ok.index(True)
    if all(ok[first_good:]):
        return TargetAnswer("at_least", values[first_good], meeting)
    return TargetAnswer("some", None, meeting)


def parse_target(text: str, measures: Sequence[str]) -> Target:
    """``METRIC>=VALUE`` (or ``<=``, ``>``, ``<``) with METRIC one of ``measures``."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_]+)\s*(>=|<=|>|<)\s*(\S+)\s*", text)
    if not match:
        raise ScenarioError([f"--target {text!r}: expected METRIC>=VALUE (or <=, >, <)"])
    metric, op, raw = match.groups()
    if metric not in measures:
        raise ScenarioError(
            [f"--target {text!r}: unknown measure {metric!r} (measures: {', '.join(measures)})"]
        )
    raw = raw.strip()
    percent = raw.endswith("%")
    value = parse_value(raw[:-1] if percent else raw)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ScenarioError([f"--target {text!r}: {raw!r} is not a number"])
    return Target(metric, op, value / 100 if percent else float(value))
