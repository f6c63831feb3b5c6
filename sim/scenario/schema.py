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
import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from .base import (
    MIN_HIRING_DELAY_MONTHS,
    FrozenDict,
    Name,
    NonNegative,
    Share,
    _Frozen,
    capped,
    count,
    is_date,
)
from .errors import describe, unique_lines
from .fixing import apply_set_values
from .keys import ScenarioError, set_by_path
from .limits import (
    MAX_HORIZON_MONTHS,
    MAX_MONTHS,
    MAX_PLACES,
    MAX_POSTS,
    MAX_RATE,
    MAX_ROLES,
)
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

# --------------------------------------------------------------------------- meta


class Meta(_Frozen):
    """When the scenario starts and how long it runs."""

    name: Name = Field("", description="A short name shown in reports.")
    description: str = Field("", description="What this scenario represents.")
    start: date = Field(description="First day of month 0 of the simulation.")
    horizon_months: int = Field(
        ge=1, le=MAX_HORIZON_MONTHS, description="Length of the run in months."
    )


# --------------------------------------------------------------------------- workforce


class Role(_Frozen):
    """One staff role: how many posts, how fast people leave, how fast posts are refilled."""

    posts: count(MAX_POSTS) = Field(description="Number of posts (permanent establishment).")
    turnover: capped(MAX_RATE) = Field(
        description="Leavers per person-year (the DfE turnover rate as a fraction), "
        "applied as a constant hazard."
    )
    hiring_delay_months: NonNegative = Field(
        0.0,
        description="Mean months a post lacks a permanent holder after a leaver "
        "(exponential; 0 = refilled at once).",
    )
    initial_vacancies: count(MAX_POSTS) = Field(0, description="Posts vacant on the start date.")
    agency_cover: Share | None = Field(
        None,
        description="Share of this role's vacancies covered by agency workers; "
        "defaults to workforce.agency_cover.",
    )
    day_cost: NonNegative = Field(
        0.0, description="Cost (GBP) of one day of this role's time away from casework."
    )
    team_member: bool = Field(
        False,
        description="Whether these posts are dealt round the teams led by the "
        "workforce.supervisor_role (and so have group supervision).",
    )

    @model_validator(mode="after")
    def _vacancies_fit(self) -> Role:
        if self.initial_vacancies > self.posts:
            raise ValueError(
                f"initial_vacancies ({self.initial_vacancies}) cannot exceed posts ({self.posts})"
            )
        if self.initial_vacancies and self.hiring_delay_months < MIN_HIRING_DELAY_MONTHS:
            raise ValueError(
                f"initial_vacancies needs hiring_delay_months of at least "
                f"{MIN_HIRING_DELAY_MONTHS} (a shorter delay refills every post at once)"
            )
        return self


class Workforce(_Frozen):
    """Posts by role, teams, and who is trained at the start."""

    initial_trained_fraction: Share = Field(
        0.0, description="Share of staff in post at the start who are already trained."
    )
    recruits_trained_fraction: Share = Field(
        0.0, description="Share of new starters who arrive already trained."
    )
    agency_cover: Share = Field(
        0.0, description="Share of vacancies covered by an agency worker (all roles)."
    )
    turnover_factor: float = Field(
        1.0,
        gt=0,
        description="Multiplies every role's turnover: one level of turnover for the whole "
        "workforce in a run, so that its [uncertainty] entry (the spread of the council's "
        "own yearly DfE rates around their pooled value) moves all roles together, as their "
        "shared DfE rate does. 1 = the roles' rates as written.",
    )
    hiring_delay_factor: float = Field(
        1.0,
        gt=0,
        description="Multiplies every role's hiring_delay_months (how long a vacant post "
        "waits), for the same reason as turnover_factor. 1 = the delays as written.",
    )
    supervisor_role: str | None = Field(
        None,
        description="Role whose posts each lead one team (the group supervisors).",
    )
    roles: Annotated[dict[str, Role], AfterValidator(FrozenDict)] = Field(
        min_length=1,
        max_length=MAX_ROLES,
        description="Roles by name. Their order is workforce.seniority's, never the file's "
        "alone: a validated scenario lists them from most to least senior.",
    )
    seniority: tuple[str, ...] | None = Field(
        None,
        description="Roles from most to least senior: the order senior_first, mixed cohorts "
        "and the champions' appointment use. Roles it leaves out follow the ones it names, in "
        "the order of their tables in the file (so without it, the file order is the "
        "seniority). A validated scenario names every role here, so its meaning does not "
        "depend on the order of its tables.",
    )
    roster: tuple[RosterPost, ...] = Field(
        (),
        description="The starting state from a staff list (rollout new --roster): one row per "
        "post, without identifiers; the k-th row of a role is that role's k-th post. Empty: "
        "vacancies drawn at random, team members dealt round the teams.",
    )

    @model_validator(mode="after")
    def _in_seniority_order(self) -> Workforce:
        # Everything downstream lays out posts role by role in dict order; making that
        # order the explicit seniority means a file with its role tables in another order
        # (or the app's JSON, whose keys are sorted) gives the same scenario, posts and
        # random streams.
        named = tuple(self.seniority or ())
        unknown = [r for r in named if r not in self.roles]
        if unknown:
            raise ValueError(
                f"seniority names {', '.join(map(repr, unknown))}, not a role "
                f"(roles: {', '.join(self.roles)})"
            )
        if len(set(named)) != len(named):
            raise ValueError("seniority names a role more than once")
        order = named + tuple(r for r in self.roles if r not in named)
        object.__setattr__(self, "roles", FrozenDict((r, self.roles[r]) for r in order))
        object.__setattr__(self, "seniority", order)
        return self

    @model_validator(mode="after")
    def _supervisor_known(self) -> Workforce:
        posts = sum(role.posts for role in self.roles.values())
        if posts > MAX_POSTS:
            raise ValueError(f"roles have {posts:,} posts in all; at most {MAX_POSTS:,} can run")
        if self.supervisor_role is not None and self.supervisor_role not in self.roles:
            raise ValueError(
                f"supervisor_role {self.supervisor_role!r} is not a role "
                f"(roles: {', '.join(self.roles)})"
            )
        if self.supervisor_role is None and any(r.team_member for r in self.roles.values()):
            raise ValueError("team_member roles need a workforce.supervisor_role to lead teams")
        if self.supervisor_role is not None and self.roles[self.supervisor_role].team_member:
            raise ValueError("the supervisor_role leads teams and cannot also be a team_member")
        return self


# --------------------------------------------------------------------------- practice


class Practice(_Frozen):
    """How staff take the practice up and how it fades without reinforcement.

    The theory of change (docs/model.md): what a person completes sets their chance of
    taking the practice up at once and their starting level, through a saturating
    dose-response d / (d + dose_half_days); some who do not take it up at once take it up
    later with support (``late_share``); staff in a team whose group supervision runs can
    learn it there without training (``team_learning_rate``); and each source of
    reinforcement restores its own share of the gap to the full level.
    """

    uptake: Share = Field(
        1.0,
        description="Probability of taking the practice up at once after a saturating dose of "
        "training (the dose-response scales it down for shorter training; with "
        "dose_half_days = 0 every completed course is a saturating dose).",
    )
    dose_half_days: NonNegative = Field(
        0.0,
        description="Training days that give half the effect of a saturating dose: a person "
        "who completed d days takes the practice up at once with probability "
        "uptake * d / (d + dose_half_days) and starts at level "
        "threshold + (1 - threshold) * d / (d + dose_half_days). 0 = no dose effect.",
    )
    late_share: Share = Field(
        0.0,
        description="Of those trained who do not take the practice up at once, the share who "
        "may take it up later, with support (the rest never engage).",
    )
    late_engagement_per_session: Share = Field(
        0.1,
        description="Chance that a late engager takes the practice up at each reinforcement "
        "session they receive (group supervision, mentoring, workshops, consultation, groups).",
    )
    team_learning_rate: NonNegative = Field(
        0.0,
        description="Rate a year at which a team member without training takes the practice up "
        "while their team's group supervision runs with a practising, mentored supervisor "
        "(0 = nobody learns in the team).",
    )
    half_life_months: float = Field(
        12.0, gt=0, description="Months for the practice level to halve without reinforcement."
    )
    half_life_spread: NonNegative = Field(
        0.0,
        description="Coefficient of variation of the half-life across people "
        "(gamma distributed; 0 = everyone alike).",
    )
    threshold: float = Field(
        0.5, gt=0, lt=1, description="A person practises while their level is above this."
    )
    reinforcement: float = Field(
        1.0,
        gt=0,
        le=1,
        description="Share of the gap to the full level that one reinforcement session "
        "restores, for every source that sets no strength of its own. Sources in the same "
        "month combine: strengths s1, s2 restore 1 - (1 - s1)(1 - s2) of the gap.",
    )

    def effect(self, days):
        """The saturating effect r(d) = d / (d + dose_half_days) of ``days`` of training (a
        number or a NumPy array), in [0, 1]; 1 with no dose effect (dose_half_days = 0).
        The one formula the model, ``rollout validate`` and the docs' picture use."""
        return 1.0 if self.dose_half_days == 0 else days / (days + self.dose_half_days)


# --------------------------------------------------------------------------- champions


class Champions(_Frozen):
    """Internal champions who carry the practice on when the provider leaves."""

    target: count(MAX_POSTS) = Field(0, description="Number of champions to appoint.")
    appoint_from: date | None = Field(
        None, description="Date champions are appointed (default: the scenario start)."
    )
    roles: tuple[str, ...] | None = Field(
        None, description="Roles champions may come from (default: every role)."
    )
    min_group_size: count(MAX_POSTS, low=1) = Field(
        2, description="Fewest active champions for the group to meet and work."
    )
    meeting_interval_months: count(MAX_MONTHS, low=1) = Field(
        1, description="Months between their meetings."
    )
    meeting_days: NonNegative = Field(
        0.25,
        description="Staff days each champion spends at a meeting (costed; an assumption).",
    )
    meeting_strength: Share | None = Field(
        None,
        description="Share of the gap to full level a champions' meeting restores for each "
        "champion (default: practice.reinforcement).",
    )
    dropout_supported: capped(MAX_RATE) = Field(
        0.1, description="Champions stepping down per champion-year while externally supervised."
    )
    dropout_unsupported: capped(MAX_RATE) = Field(
        0.3, description="Champions stepping down per champion-year without external supervision."
    )
    replacement: Literal["none", "at_once", "yearly"] = Field(
        "none",
        description="How champions who leave or step down are replaced: none (never), "
        "at_once (straight away) or yearly (topped up to the target on each anniversary of "
        "the appointment).",
    )
    induction_places_per_champion_per_month: capped(MAX_PLACES) = Field(
        0.0, description="New starters each active champion can induct per month."
    )
    induction_days: NonNegative = Field(1.0, description="Staff days one induction takes.")
    induction_level: Share = Field(
        1.0,
        description="The highest practice level an induction gives an engaged person; the "
        "dose-response of induction_days and the champions' own practice level scale it down.",
    )
    workshops_per_year: capped(365.0) = Field(
        0.0, description="Workshops the champions run a year."
    )
    workshop_places: count(MAX_POSTS) = Field(
        0, description="Trained staff reinforced per workshop."
    )
    workshop_days: NonNegative = Field(
        0.5, description="Staff days each attendee spends at a workshop (costed as training)."
    )
    workshop_strength: Share | None = Field(
        None,
        description="Share of the gap to full level a workshop restores for an attendee, when "
        "the champions themselves are at the full level (their own mean level scales it; "
        "default: practice.reinforcement).",
    )
    days_per_month: NonNegative = Field(
        1.0,
        description="Days a month each champion spends on champion work besides meetings (costed).",
    )


# --------------------------------------------------------------------------- costs, measures


class Costs(_Frozen):
    """Prices. Every default is an assumption."""

    provider_day_rate: NonNegative = Field(
        0.0, description="Cost (GBP) of one external provider day."
    )


class Measures(_Frozen):
    """Settings of the per-replication measures."""

    at_months: tuple[int, ...] | None = Field(
        None,
        description="The common clock: months from the start at which every strategy's "
        "coverage and practising share are reported (coverage_m{M}, practising_share_m{M}: "
        "the state M months after scenario.start). Default: every 12 months up to the "
        "horizon.",
    )
    sustain_target: Share = Field(0.5, description="Coverage that counts as sustained (0-1).")
    sustain_after_months: count(MAX_MONTHS) = Field(
        12,
        description="Months after the last phase ends at which 'sustained' is judged (a "
        "strategy-relative measure: its date moves with the phases).",
    )
    discount_rate: float = Field(
        0.0,
        ge=0,
        lt=1,
        description="A yearly rate at which a comparison discounts later months in its totals "
        "(practising person-months, coverage-months, cost) and net benefit: a month t months "
        "after the start counts (1 + rate)^(-t/12). 0 (the default) discounts nothing; HM "
        "Treasury's Green Book rate is 0.035.",
    )

    @field_validator("at_months")
    @classmethod
    def _increasing(cls, months: tuple[int, ...] | None) -> tuple[int, ...] | None:
        if months is not None:
            if not months:
                raise ValueError("give at least one month, or leave the key out")
            if any(m < 1 for m in months):
                raise ValueError(f"months must be at least 1, got {list(months)}")
            if list(months) != sorted(set(months)):
                raise ValueError(f"months must increase without repeats, got {list(months)}")
        return months


class Source(_Frozen):
    """Where one figure comes from and how far to trust it (see :mod:`sim.scenario.provenance`)."""

    source: str = Field(
        min_length=1, description="Where the figure comes from: document, table, year, column."
    )
    confidence: Literal["data", "estimate", "assumption"] = Field(
        description="data: published or measured; estimate: derived from data by a stated "
        "calculation; assumption: a planning guess."
    )


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
        return self.scenario.name

    @property
    def fixed(self) -> dict[str, str]:
        """The keys a set value fixed (``"fixed"``: their uncertainty is off) or shifted
        (``"shifted"``: their distribution's centre moved), by dotted path."""
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
    together (e.g. a role's posts drawn below its initial vacancies)."""
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
    (a TOML array is a list; the schema's arrays are tuples)."""
    if isinstance(value, dict):
        return {k: _arrays_as_tuples(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return tuple(_arrays_as_tuples(v) for v in value)
    return value


# Keys that no cross-key rule mentions: a value within the key's own range keeps the whole
# scenario valid. (Posts, vacancies, hiring delays, phase timing, cohort designs and the like
# are tied to other keys and are always validated in full.)
_STANDS_ALONE = re.compile(
    r"practice\.[a-z_]+|costs\.[a-z_]+|"
    r"champions\.(dropout_supported|dropout_unsupported|induction_places_per_champion_per_month"
    r"|induction_days|induction_level|workshops_per_year|workshop_places|workshop_days"
    r"|days_per_month|meeting_days|meeting_strength|workshop_strength|target)|"
    r"programme\.(group_supervision|champion_supervision)\.[a-z_]+|"
    r"programme\.mentoring\.(group_size|strength|dose_half_sessions|staff_days_per_session"
    r"|provider_days_per_session"
    r"|provider_days_per_supported_team_month)|"
    r"programme\.consultation\.(sessions_per_clinician_per_month|strength|staff_days_per_session)|"
    r"programme\.groups\.[^.]+\.strength|"
    r"workforce\.roles\.[^.]+\.(turnover|day_cost|agency_cover)|"
    r"workforce\.(turnover_factor|hiring_delay_factor)"
)


def stands_alone(key: str) -> bool:
    """Whether a key's value can change without any other key's rule being affected."""
    return bool(_STANDS_ALONE.fullmatch(key))


def _changed(model: BaseModel | FrozenDict, changes: Any) -> Any:
    """A copy of ``model`` (a table or a named table) with ``changes`` made: a plain dict
    nesting new values by their key's parts below ``model``, or a value to put in its place."""
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
