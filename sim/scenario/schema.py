"""The scenario: one immutable, validated description of a workforce and a roll-out strategy.

A scenario file (TOML) is read, optionally changed by ``--set KEY=VALUE`` overrides, and
validated here into a frozen :class:`Scenario`. Everything downstream (the model, the
runner, the reports) reads only this object, so a run can never be affected by a half-checked
value. Units live in the key names (``_months``, ``_days``) or in the field descriptions.

Errors are collected, not raised one at a time: :class:`ScenarioError` carries one line per
problem, each naming the file, the dotted key path, the value and what was allowed.
"""

from __future__ import annotations

import copy
import functools
import math
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from . import standing
from .base import MIN_HIRING_DELAY_MONTHS, FrozenDict, _Frozen, is_date
from .errors import describe, unique_lines
from .fixing import apply_set_values
from .keys import ScenarioError, set_by_path
from .paths_schema import paths_problems, started_shock_problem
from .practice_schema import Champions, Costs, Measures, Practice, Source
from .programme_schema import SUPPLIES, Programme, phase_dates
from .provenance import check_entries, drop_orphaned, source_problems
from .roster_schema import RosterPost, roster_problems
from .uncertainty import (
    Distribution,
    check_table,
    highest_draw,
    leaf_field,
    number_kind,
    uncertainty_problems,
)
from .workforce_schema import Meta, Role, Workforce

# The tables live each in the module of its idea; the scenario is read from here.

__all__ = [
    "MIN_HIRING_DELAY_MONTHS",
    "SUPPLIES",
    "Champions",
    "Costs",
    "Measures",
    "Meta",
    "Practice",
    "Programme",
    "Role",
    "RosterPost",
    "Scenario",
    "Source",
    "Workforce",
    "cross_reference_problems",
    "stands_alone",
    "validate",
]

# --------------------------------------------------------------------------- scenario


class Scenario(_Frozen):
    """A whole scenario: workforce, practice, programme, champions, costs and measures."""

    scenario: Meta
    workforce: Workforce
    practice: Practice = Field(default_factory=Practice)
    programme: Programme = Field(default_factory=Programme)
    champions: Champions = Field(default_factory=Champions)
    costs: Costs = Field(default_factory=Costs)
    measures: Measures = Field(default_factory=Measures)
    sources: Annotated[
        dict[str, Source], BeforeValidator(check_entries), AfterValidator(FrozenDict)
    ] = Field(
        default_factory=dict,
        description="Where figures come from: each key is the quoted dotted path of another "
        'key (e.g. "workforce.roles.social_worker.turnover"; a table\'s path covers every '
        "key in it), each value a source and a confidence. Not used by the model.",
    )

    uncertainty: Annotated[
        dict[str, Distribution],
        BeforeValidator(check_table),
        AfterValidator(lambda table: FrozenDict(sorted(table.items()))),  # file order is noise
    ] = Field(
        default_factory=dict,
        description="Distributions for uncertain assumptions: each key is the quoted dotted "
        'path of a numeric key (e.g. "practice.uptake"), each value a distribution (beta, '
        "uniform, triangular, normal, lognormal or gamma) with its parameters and a source. "
        "Each replication draws its own values; --point-values runs without the table. "
        "A key given a value (--set, --variant, --vary, the app's levers) is fixed at it: "
        "its entry is off for that run; KEY~=VALUE moves the entry's centre instead. Kept "
        "in the order of the keys (the order of their columns in summary.csv).",
    )
    # Keys whose entry a set value fixed or shifted ({key: "fixed" | "shifted"}): how the
    # scenario was made, not part of it, so kept beside the fields (sim.scenario.fixing).
    _fixed: dict[str, str] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        problems = cross_reference_problems(self.model_dump())
        for i, phase in enumerate(self.programme.phases):
            # Each table was valid alone; the design a phase runs must be valid as merged.
            try:
                self.programme.foundation_for(phase)
            except ValidationError as exc:
                for err in exc.errors():
                    message = str((err.get("ctx") or {}).get("error", err["msg"]))
                    problems.append(
                        f"programme.phases.{i}.foundation: with programme.foundation, {message}"
                    )
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.scenario.name

    @property
    def fixed(self) -> dict[str, str]:
        """The keys a set value fixed (``"fixed"``: their uncertainty is off) or shifted
        (``"shifted"``: their distribution's centre moved), by dotted path.
        """
        return dict(self._fixed)

    def with_fixed(self, fixed: dict[str, str]) -> Scenario:
        """The same scenario, remembering that ``fixed`` keys were fixed or shifted."""
        copied = self.model_copy()
        copied._fixed = {**self._fixed, **fixed}
        return copied

    def clock_months(self) -> tuple[int, ...]:
        """The months of the common clock: ``measures.at_months`` or every 12 to the horizon."""
        if self.measures.at_months is not None:
            return self.measures.at_months
        horizon = self.scenario.horizon_months
        return tuple(range(12, horizon + 1, 12)) or (horizon,)

    def phase_dates(self) -> list[tuple[date, date]]:
        """The first and last day of each phase (relative timings resolved)."""
        return phase_dates(self.scenario.start, self.programme.phases)  # type: ignore[return-value]

    def without_uncertainty(self) -> Scenario:
        """A copy that runs on the point values alone (``--point-values``)."""
        return self.model_copy(update={"uncertainty": FrozenDict()})

    def with_values(self, values: dict[str, float]) -> Scenario:
        """A copy with these keys set (whole-number keys rounded) and no uncertainty table:
        one replication's draw of its uncertain assumptions.

        Keys that no rule ties to another key (:func:`stands_alone`) are set on a copy
        directly: the ``[uncertainty]`` check has already confined their values to the
        key's range, so nothing is left to validate, and a replication saves the 5 ms a
        full validation takes. Any other key goes through full validation.
        """
        rounded = {
            key: int(round(value)) if _whole_number(key) else float(value)
            for key, value in values.items()
        }
        if all(stands_alone(key) for key in rounded):
            changes: dict[str, Any] = {}  # nested by the key's parts: one copy per table
            for key, value in rounded.items():
                *tables, leaf = key.split(".")
                node = changes
                for part in tables:
                    node = node.setdefault(part, {})
                node[leaf] = value
            updates = {head: _changed(getattr(self, head), rest) for head, rest in changes.items()}
            return self.model_copy(update={**updates, "uncertainty": FrozenDict()})
        data = _plain(self.model_dump(mode="python"))
        data["uncertainty"] = {}
        for key, value in rounded.items():
            set_by_path(data, key, value, "<draw>", label="draw")
        return validate(data, "<draw>")

    def with_changes(
        self, changes: dict[str, Any], source: str = "<changes>", strict: bool = False
    ) -> Scenario:
        """A validated copy with dotted-key changes applied; the original is untouched.

        ``strict``: the changes are a person's (``--vary`` values), checked as a file's are
        (a NumPy number counts as the Python number it holds).
        """
        data = _plain(self.model_dump(mode="python"))
        for key, value in changes.items():
            if strict and type(value).__module__ == "numpy" and hasattr(value, "item"):
                value = value.item()
            set_by_path(data, key, value, source, label="change")
        drop_orphaned(data, Scenario, set())  # sources of keys the changes removed
        # A value set is the value used: its [uncertainty] entry goes (sim.scenario.fixing).
        fixed, _ = apply_set_values(data, changes, source=source)
        changed = validate(data, source, strict=strict)
        if strict and self.workforce.shock is None:  # a person's values started a shock
            problem = started_shock_problem(changed.workforce.shock, list(changes), source)
            if problem:
                raise ScenarioError([problem])
        return changed.with_fixed({**self._fixed, **fixed}) if fixed or self._fixed else changed


def _plain(value: Any) -> Any:
    """Dumped data with arrays as lists, so dotted paths can step into them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _table(data: Any, key: str) -> dict:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def cross_reference_problems(data: Any) -> list[str]:
    """Problems between keys (phase dates and order, supplies, role names), as key lines.

    Works on plain data and skips whatever is malformed, so it can also run on a file whose
    fields failed validation: the user then sees every problem in one go.
    """
    scenario, programme = _table(data, "scenario"), _table(data, "programme")
    champions = _table(data, "champions")
    roles = _table(_table(data, "workforce"), "roles")
    groups = _table(programme, "groups")
    start = scenario.get("start")
    known_supplies = set(SUPPLIES) | set(groups)
    clinician = _table(programme, "consultation").get("clinician_role")
    phases = programme.get("phases")
    phases = phases if isinstance(phases, list | tuple) else ()
    dates = phase_dates(start, phases) if is_date(start) else [None] * len(phases)
    problems: list[str] = []
    previous_end = None
    for i, phase in enumerate(phases):
        if not isinstance(phase, dict):
            continue
        supplies = phase.get("supplies")
        supplies = supplies if isinstance(supplies, list | tuple) else ()
        for item in supplies:
            if isinstance(item, str) and item not in known_supplies:
                problems.append(
                    f"programme.phases.{i}.supplies: unknown supply {item!r} "
                    f"(allowed: {', '.join(sorted(known_supplies))})"
                )
        if "consultation" in supplies and clinician is None:
            problems.append(
                f"programme.phases.{i}.supplies: 'consultation' needs "
                "programme.consultation.clinician_role"
            )
        for given, relative in (("start", "start_after_months"), ("end", "months")):
            if (phase.get(given) is None) == (phase.get(relative) is None):
                problems.append(f"programme.phases.{i}: give exactly one of {given} and {relative}")
        if dates[i] is None:
            continue
        begins, ends = dates[i]
        if is_date(start) and begins < start:
            problems.append(
                f"programme.phases.{i}.start: {begins} is before scenario.start ({start})"
            )
        if ends < begins:
            problems.append(
                f"programme.phases.{i}.end: {ends} is before the phase's start ({begins})"
            )
            continue
        if previous_end is not None and begins <= previous_end:
            problems.append(
                f"programme.phases.{i}.start: {begins} must be after the previous phase's end "
                f"({previous_end}); phases run in date order without overlap"
            )
        previous_end = ends
    if roles:
        for name, group in groups.items():
            group_roles = group.get("roles") if isinstance(group, dict) else None
            for role in group_roles if isinstance(group_roles, list | tuple) else ():
                if isinstance(role, str) and role not in roles:
                    problems.append(f"programme.groups.{name}.roles: unknown role {role!r}")
        if isinstance(clinician, str) and clinician not in roles:
            problems.append(f"programme.consultation.clinician_role: unknown role {clinician!r}")
        champion_roles = champions.get("roles")
        for role in champion_roles if isinstance(champion_roles, list | tuple) else ():
            if isinstance(role, str) and role not in roles:
                problems.append(f"champions.roles: unknown role {role!r}")
    appoint = champions.get("appoint_from")
    if is_date(appoint) and is_date(start) and appoint < start:
        problems.append(f"champions.appoint_from: {appoint} is before scenario.start ({start})")
    at_months = _table(data, "measures").get("at_months")
    horizon = scenario.get("horizon_months")
    if isinstance(at_months, list | tuple) and isinstance(horizon, int):
        beyond = [m for m in at_months if isinstance(m, int) and m > horizon]
        if beyond:
            problems.append(
                f"measures.at_months: {beyond} beyond scenario.horizon_months ({horizon})"
            )
    problems += roster_problems(data)
    problems += paths_problems(start, horizon, _table(data, "workforce"))
    return problems + source_problems(data, Scenario) + uncertainty_problems(data, Scenario)


def validate(
    data: dict, source: str, set_keys: set[str] | None = None, strict: bool = False
) -> Scenario:
    """Validate raw scenario data, turning every problem into one readable line.

    ``strict`` (a file a person wrote, with its ``--set`` values): no text for a number,
    no true/false for a count, no number for true/false, a date without a time of day.
    Without it (data this program wrote, as JSON), values are converted as pydantic does.
    """
    try:
        if strict:
            scenario = Scenario.model_validate(_arrays_as_tuples(data), strict=True)
        else:
            scenario = Scenario.model_validate(copy.deepcopy(data))
    except ValidationError as exc:
        lines = [describe(err, source, set_keys or set(), Scenario) for err in exc.errors()]
        # When fields fail, the cross-reference check never ran: run it on the raw data.
        lines += [f"{source}: {line}" for line in cross_reference_problems(data)]
        raise ScenarioError(unique_lines(lines)) from None
    problems = draw_problems(scenario)
    if problems:
        raise ScenarioError(unique_lines([f"{source}: {line}" for line in problems]))
    return scenario


def draw_problems(scenario: Scenario) -> list[str]:
    """Draws of ``[uncertainty]`` that would make the scenario invalid, found before a run
    meets them: each key that a rule ties to others (:func:`stands_alone` keys cannot break
    one) is tried at the lowest and highest values a replication can draw, alone and all
    together (e.g. a role's posts drawn below its initial vacancies).
    """
    extremes: dict[str, tuple[float, float]] = {}
    for key, dist in scenario.uncertainty.items():
        if stands_alone(key):
            continue
        low, high = dist.support()
        if math.isinf(high):
            high = highest_draw(dist)
        if math.isinf(low):  # a normal's lowest draw, as far below its mean as the highest
            low = 2 * dist.mean - high
        if dist.open_at_bottom():  # never drawn exactly
            low += 1e-9 * max(1.0, abs(high - low))
        extremes[key] = (low, high)
    if not extremes:
        return []
    trials = [{key: value} for key, ends in extremes.items() for value in ends]
    if len(extremes) > 1:
        trials += [{k: ends[0] for k, ends in extremes.items()}]
        trials += [{k: ends[1] for k, ends in extremes.items()}]
    problems = []
    for values in trials:
        try:
            scenario.with_values(values)
        except ScenarioError as exc:
            drawn = ", ".join(f"{k} = {_draw_text(k, v)}" for k, v in values.items())
            keys = ", ".join(f'"{k}"' for k in values)
            reason = exc.lines[0].removeprefix("<draw>: ")
            problems.append(
                f"uncertainty.{keys}: a replication can draw {drawn}, which makes the "
                f"scenario invalid: {reason}"
            )
    return problems


def _draw_text(key: str, value: float) -> str:
    return str(int(round(value))) if _whole_number(key) else f"{value:g}"


def _arrays_as_tuples(value: Any) -> Any:
    """A copy with every array a tuple, the one container strict validation leaves alone
    (a TOML array is a list; the schema's arrays are tuples).
    """
    if isinstance(value, dict):
        return {k: _arrays_as_tuples(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return tuple(_arrays_as_tuples(v) for v in value)
    return value


def stands_alone(key: str) -> bool:
    """Whether a key's value can change without any other key's rule being affected: read
    from the schema's rules themselves (:mod:`sim.scenario.standing`), so that a new rule
    that reads a key takes it off the quick path of :meth:`Scenario.with_values`.
    """
    return standing.stands_alone(key, Scenario, (cross_reference_problems,))


def _changed(model: BaseModel | FrozenDict, changes: Any) -> Any:
    """A copy of ``model`` (a table or a named table) with ``changes`` made: a plain dict
    nesting new values by their key's parts below ``model``, or a value to put in its place.
    """
    if not isinstance(changes, dict):
        return changes
    if isinstance(model, dict):
        return FrozenDict({**model, **{k: _changed(model[k], v) for k, v in changes.items()}})
    return model.model_copy(update={k: _changed(getattr(model, k), v) for k, v in changes.items()})


@functools.cache
def _whole_number(key: str) -> bool:
    """Whether a valid dotted key holds a whole number (its drawn values are rounded)."""
    field = leaf_field(key, Scenario)
    return field is not None and number_kind(field) == "int"
