"""The ``[uncertainty]`` table: a distribution for each assumption, by its dotted key path.

Most behavioural figures are assumptions or carried over from other settings. A scenario may
give any numeric key a distribution::

    [uncertainty]
    "practice.uptake" = { distribution = "beta", mean = 0.62, sd = 0.08, source = "S&B 2006" }

Each replication then draws its own value of every such key (``sim.model.parameters``), so
the spread of the replications (the range of futures, ``p5``-``p95``) carries what we do
not know as well as who leaves when; the 95 % interval of a mean only says how well the
average is known.

A distribution is checked like every other key: the path must name a numeric key, the
parameters must be possible (a beta's sd below sqrt(mean(1 - mean)), a triangle's mode
between its ends, …), and the distribution's values must lie within the key's allowed range
(a normal cannot vary a share, whose values must stay in 0-1). Whole-number keys get the
nearest whole number of each draw.

Each distribution is drawn through its inverse CDF (:meth:`Distribution.ppf`) from a uniform
number of the key's own, so replication ``r`` of every strategy draws the same quantile.
"""

from __future__ import annotations

import math
import typing
from statistics import NormalDist
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from .base import CAP, _Frozen
from .limits import MAX_MAGNITUDE
from .provenance import _shape, path_problem

DISTRIBUTIONS = ("beta", "uniform", "triangular", "normal", "lognormal", "gamma")
# The parameters each distribution takes, besides ``source``.
PARAMETERS = {
    "beta": ("mean", "sd"),
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("mean", "sd"),
    "gamma": ("mean", "sd"),
}
# Keys whose change would change the measures themselves (the common clock's months).
NOT_UNCERTAIN = ("scenario.horizon_months",)


class Distribution(_Frozen):
    """One uncertain key's distribution and where it comes from."""

    distribution: Literal["beta", "uniform", "triangular", "normal", "lognormal", "gamma"] = Field(
        description="The family: beta and normal, lognormal, gamma by mean and sd; "
        "uniform by low and high; triangular by low, mode and high."
    )
    mean: float | None = Field(None, description="Mean (beta, normal, lognormal, gamma).")
    sd: float | None = Field(
        None, description="Standard deviation (beta, normal, lognormal, gamma)."
    )
    low: float | None = Field(None, description="Lowest value (uniform, triangular).")
    mode: float | None = Field(None, description="Most likely value (triangular).")
    high: float | None = Field(None, description="Highest value (uniform, triangular).")
    source: str = Field(min_length=1, description="Where the distribution comes from, and why.")

    @model_validator(mode="after")
    def _possible(self) -> Distribution:
        wanted = PARAMETERS[self.distribution]
        given = [p for p in ("mean", "sd", "low", "mode", "high") if getattr(self, p) is not None]
        missing = [p for p in wanted if p not in given]
        extra = [p for p in given if p not in wanted]
        if missing or extra:
            needs = ", ".join(wanted)
            raise ValueError(
                f"a {self.distribution} distribution takes {needs}"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; {', '.join(extra)} not used" if extra else "")
            )
        problem = _impossible(self)
        if problem:
            raise ValueError(f"{self.distribution}: {problem}")
        return self

    def support(self) -> tuple[float, float]:
        """The lowest and highest values it can give (infinite for unbounded families)."""
        if self.distribution in ("uniform", "triangular"):
            return (self.low, self.high)  # type: ignore[return-value]
        if self.distribution == "beta":
            return (0.0, 1.0)
        if self.distribution == "normal":
            return (-math.inf, math.inf)
        return (0.0, math.inf)  # lognormal, gamma

    def open_at_bottom(self) -> bool:
        """Whether the lowest value of the support is never reached (beta, lognormal, gamma)."""
        return self.distribution in ("beta", "lognormal", "gamma")

    def ppf(self, u):
        """The value at quantile ``u`` (0 < u < 1): the inverse CDF."""
        return self.frozen().ppf(u)

    def frozen(self):
        """The scipy distribution (frozen with its parameters). Making one costs about a
        millisecond (scipy builds its documentation), so the model makes it once per
        scenario and keeps it.
        """
        from scipy import stats  # loaded only when a scenario with uncertainty runs

        return self._frozen(stats)

    def moments(self) -> tuple[float, float]:
        """Mean and standard deviation."""
        from scipy import stats

        frozen = self._frozen(stats)
        return float(frozen.mean()), float(frozen.std())

    def _frozen(self, stats):
        d = self.distribution
        if d == "uniform":
            return stats.uniform(loc=self.low, scale=self.high - self.low)
        if d == "triangular":
            width = self.high - self.low
            return stats.triang((self.mode - self.low) / width, loc=self.low, scale=width)
        if d == "normal":
            return stats.norm(loc=self.mean, scale=self.sd)
        if d == "beta":
            k = self.mean * (1 - self.mean) / self.sd**2 - 1
            return stats.beta(self.mean * k, (1 - self.mean) * k)
        if d == "lognormal":
            sigma2 = math.log(1 + (self.sd / self.mean) ** 2)
            return stats.lognorm(
                math.sqrt(sigma2), scale=math.exp(math.log(self.mean) - sigma2 / 2)
            )
        shape = (self.mean / self.sd) ** 2  # gamma
        return stats.gamma(shape, scale=self.sd**2 / self.mean)


def _impossible(d: Distribution) -> str | None:
    """Why the parameters describe no distribution, or None."""
    family = d.distribution
    if family in ("uniform", "triangular"):
        if not d.low < d.high:
            return f"low ({d.low}) must be below high ({d.high})"
        if family == "triangular" and not d.low <= d.mode <= d.high:
            return f"mode ({d.mode}) must lie between low ({d.low}) and high ({d.high})"
        return None
    if not d.sd > 0:
        return f"sd must be above 0, got {d.sd}"
    # A narrower spread than this is no uncertainty, and takes a gamma's or beta's shape
    # parameter past what floating point holds.
    if family != "normal" and d.sd < 1e-6 * abs(d.mean):
        return f"sd must be at least a millionth of the mean ({abs(d.mean) * 1e-6:.3g}), got {d.sd}"
    if family == "beta":
        if not 0 < d.mean < 1:
            return f"mean must be between 0 and 1, got {d.mean}"
        limit = math.sqrt(d.mean * (1 - d.mean))
        if not d.sd < limit:
            return f"sd must be below sqrt(mean × (1 − mean)) = {limit:.3g}, got {d.sd}"
    if family in ("lognormal", "gamma") and not d.mean > 0:
        return f"mean must be above 0, got {d.mean}"
    return None


# --------------------------------------------------------------------------- the keys


def leaf_field(path: str, root: type[BaseModel]) -> Any:
    """The pydantic field a valid dotted path ends at, or None if it ends at a table."""
    kind, inner, field = "model", root, None
    for part in path.split("."):
        if kind == "model":
            field = inner.model_fields[part]
            kind, inner = _shape(field.annotation)
        elif kind in ("names", "array"):
            kind, inner = _shape(inner)
    return field if kind == "value" else None


def _number_type(field: Any) -> Any:
    """The one type of a field, optional (``X | None``) or annotated (``Share``) or not."""
    annotation = field.annotation
    args = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    if len(args) != 1:
        return None
    return typing.get_args(args[0])[0] if typing.get_origin(args[0]) is Annotated else args[0]


def number_kind(field: Any) -> str | None:
    """``"int"`` or ``"float"`` for a numeric field, else None (dates, text, true/false)."""
    kind = _number_type(field)
    if kind is bool:
        return None
    return {int: "int", float: "float"}.get(kind)


def _constraints(field: Any) -> list[Any]:
    """The field's range rules, also those of an optional annotated type (``Share | None``)."""
    rules = list(field.metadata)
    for arg in typing.get_args(field.annotation):
        if typing.get_origin(arg) is Annotated:
            for item in typing.get_args(arg)[1:]:
                rules += getattr(item, "metadata", [item])
    return rules


def bounds(field: Any) -> tuple[float, bool, float, bool]:
    """The key's allowed range: (lowest, lowest allowed?, highest, highest allowed?)."""
    low, low_in, high, high_in = -math.inf, False, math.inf, False
    for rule in _constraints(field):  # pydantic's Ge, Gt, Le and Lt constraints, by attribute
        if getattr(rule, "ge", None) is not None:
            low, low_in = float(rule.ge), True
        elif getattr(rule, "gt", None) is not None:
            low, low_in = float(rule.gt), False
        elif getattr(rule, "le", None) is not None:
            high, high_in = float(rule.le), True
        elif getattr(rule, "lt", None) is not None:
            high, high_in = float(rule.lt), False
    return low, low_in, high, high_in


def capped_above(field: Any) -> bool:
    """Whether the key's upper bound bounds work (:data:`sim.scenario.base.CAP`) rather
    than meaning: an open upper tail is then allowed within it.
    """
    return any(rule is CAP for rule in field.metadata)


# The highest uniform number a replication draws (53 random bits, below 1): the quantile
# there is the largest value a distribution can give a run.
TOP_QUANTILE = 1 - 2.0**-53


def highest_draw(dist: Distribution) -> float:
    """The largest value a replication can draw from an open-tailed ``dist`` (normal,
    lognormal, gamma), without SciPy: its quantile at :data:`TOP_QUANTILE`, exactly for the
    normal and lognormal, and for the gamma an upper bound from the Chernoff bound
    P(X ≥ t·mean) ≤ exp(−k (t − 1 − ln t)), k its shape.
    """
    z = NormalDist().inv_cdf(TOP_QUANTILE)
    if dist.distribution == "normal":
        return dist.mean + z * dist.sd
    if dist.distribution == "lognormal":
        sigma = math.sqrt(math.log(1 + (dist.sd / dist.mean) ** 2))
        return math.exp(math.log(dist.mean) - sigma**2 / 2 + z * sigma)
    shape = (dist.mean / dist.sd) ** 2
    wanted = -math.log(1 - TOP_QUANTILE) / shape  # t − 1 − ln t, which grows with t > 1
    low, high = 1.0, 2.0
    while high - 1 - math.log(high) < wanted:
        high *= 2
    for _ in range(100):
        middle = (low + high) / 2
        low, high = (middle, high) if middle - 1 - math.log(middle) < wanted else (low, middle)
    return high * dist.mean


def _range_text(low: float, low_in: bool, high: float, high_in: bool) -> str:
    if math.isinf(low) and math.isinf(high):
        return "any number"
    parts = []
    if not math.isinf(low):
        parts.append(f"{'≥' if low_in else '>'} {low:g}")
    if not math.isinf(high):
        parts.append(f"{'≤' if high_in else '<'} {high:g}")
    return " and ".join(parts)


def uncertainty_problems(data: Any, root: type[BaseModel]) -> list[str]:
    """One line per ``[uncertainty]`` key that names no numeric key, or whose distribution
    reaches outside the key's allowed range. Works on raw data (skips what is malformed).
    """
    table = data.get("uncertainty") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        return []
    problems = []
    for path, entry in table.items():
        where = f'uncertainty."{path}"'
        if path in NOT_UNCERTAIN:
            problems.append(f"{where}: {path} cannot be uncertain (it sets the measures' dates)")
            continue
        wrong = path_problem(path, data, root)
        if path.split(".")[0] in ("sources", "uncertainty"):
            wrong = wrong or "not a key of the scenario's model"
        if wrong:
            problems.append(f"{where}: {wrong}")
            continue
        field = leaf_field(path, root)
        kind = number_kind(field) if field is not None else None
        if kind is None:
            problems.append(f"{where}: {path} is not a number, so it cannot have a distribution")
            continue
        try:
            dist = Distribution.model_validate(entry)
        except ValueError:
            continue  # the table's own validation reports it
        low, low_in, high, high_in = bounds(field)
        s_low, s_high = dist.support()
        if kind == "int":
            s_low, s_high = (
                round(s_low) if math.isfinite(s_low) else s_low,
                (round(s_high) if math.isfinite(s_high) else s_high),
            )
        below = math.isfinite(low) and (
            s_low < low or (s_low == low and not low_in and not dist.open_at_bottom())
        )
        if math.isinf(s_high) and (capped_above(field) or math.isinf(high)):
            s_high = highest_draw(dist)  # the open tail, as far as a run can draw
            if math.isinf(high):  # no bound of its own: the one every number obeys
                high, high_in = MAX_MAGNITUDE, True
        above = math.isfinite(high) and (s_high > high or (s_high == high and not high_in))
        if below or above:
            allowed = _range_text(low, low_in, high, high_in)
            reach = "to" if math.isfinite(dist.support()[1]) else "(as far as a run draws) to"
            problems.append(
                f"{where}: a {dist.distribution} distribution gives values from {s_low:g} "
                f"{reach} {s_high:g}, outside what {path} allows ({allowed})"
            )
    return problems


def check_table(value: Any) -> Any:
    """Refuse an ``[uncertainty]`` written as nested tables, with the fix in the message."""
    if not isinstance(value, dict):
        return value
    for key, entry in value.items():
        if (
            isinstance(entry, dict)
            and "distribution" not in entry
            and all(isinstance(v, dict) for v in entry.values())
        ):
            raise ValueError(
                f"write each key of [uncertainty] as one quoted dotted path, e.g. "
                f'"{key}.….…" = {{ distribution = "beta", mean = …, sd = …, source = "…" }}'
            )
    return value
