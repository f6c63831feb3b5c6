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
import difflib
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .clock import add_months
from .provenance import broken_paths, check_entries, drop_orphaned, source_problems

# What a phase can supply, besides the names of the groups in ``programme.groups``.
SUPPLIES = ("foundation", "mentoring", "champion_supervision", "consultation")
ALLOCATION_POLICIES = ("mixed", "senior_first", "whole_teams", "random")
REPLACEMENT_POLICIES = ("none", "at_once", "yearly")


class FrozenDict(dict):
    """A dict that refuses changes, so a validated scenario stays exactly as validated."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("a scenario cannot be changed; make a copy with Scenario.with_changes")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __reduce__(self):  # pickle (for worker processes) and deepcopy without __setitem__
        return (FrozenDict, (dict(self),))


# Shorter than this (under a third of a day), a vacancy is no vacancy: initial vacancies
# need at least this delay to exist at all.
MIN_HIRING_DELAY_MONTHS = 0.01

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]


class _Frozen(BaseModel):
    """Base for every scenario table: unknown keys are errors, values cannot change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- meta


class Meta(_Frozen):
    """When the scenario starts and how long it runs."""

    name: str = Field("", description="A short name shown in reports.")
    description: str = Field("", description="What this scenario represents.")
    start: date = Field(description="First day of month 0 of the simulation.")
    horizon_months: int = Field(ge=1, le=600, description="Length of the run in months.")


# --------------------------------------------------------------------------- workforce


class Role(_Frozen):
    """One staff role: how many posts, how fast people leave, how fast posts are refilled."""

    posts: int = Field(ge=0, description="Number of posts (permanent establishment).")
    turnover: NonNegative = Field(
        description="Leavers per person-year (the DfE turnover rate as a fraction), "
        "applied as a constant hazard."
    )
    hiring_delay_months: NonNegative = Field(
        0.0,
        description="Mean months a post lacks a permanent holder after a leaver "
        "(exponential; 0 = refilled at once).",
    )
    initial_vacancies: int = Field(0, ge=0, description="Posts vacant on the start date.")
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
    supervisor_role: str | None = Field(
        None,
        description="Role whose posts each lead one team (the group supervisors).",
    )
    roles: Annotated[dict[str, Role], AfterValidator(FrozenDict)] = Field(
        min_length=1,
        description="Roles, listed from most to least senior (the order senior_first uses).",
    )

    @model_validator(mode="after")
    def _supervisor_known(self) -> Workforce:
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
    """How trained staff take up the practice and how it fades without reinforcement."""

    uptake: Share = Field(
        1.0, description="Probability that a person takes up the practice after training."
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
        description="Share of the gap to the full level restored by one reinforcement.",
    )


# --------------------------------------------------------------------------- programme


class Session(_Frozen):
    """One block of training days within a cohort."""

    after_months: NonNegative = Field(description="Months after the cohort starts.")
    days: float = Field(gt=0, description="Training days in this block.")


class Foundation(_Frozen):
    """The foundation cohort design that a phase supplying ``foundation`` runs."""

    cohorts: int = Field(
        0,
        ge=0,
        description="Cohorts each phase supplying foundation runs (a cohort that would start "
        "after the phase ends does not run).",
    )
    cohort_size: int = Field(1, ge=1, description="Places per cohort.")
    interval_months: NonNegative = Field(
        3.0, description="Months between the starts of successive cohorts."
    )
    attendance: Share = Field(1.0, description="Probability a participant attends a session.")
    sessions: tuple[Session, ...] = Field(
        (Session(after_months=0, days=1),),
        min_length=1,
        description="The session pattern of every cohort: blocks of training days at months "
        "after the cohort's start, in order.",
    )
    min_days_to_complete: NonNegative | None = Field(
        None, description="Days a participant must attend to count as trained (default: all)."
    )
    allocation: Literal["mixed", "senior_first", "whole_teams", "random"] = Field(
        "mixed",
        description="Who fills the places: mixed (every role in proportion to its share of "
        "those eligible), senior_first "
        "(the most senior roles first), whole_teams (a team and its supervisor together) or "
        "random.",
    )
    offer_new_starters: bool = Field(
        False,
        description="Whether staff who joined after the programme started are offered places.",
    )
    offer_agency: bool = Field(False, description="Whether agency workers are offered places.")
    max_concurrent_cohorts: int | None = Field(
        None, ge=1, description="Trainer capacity: cohorts in training at once (default: no limit)."
    )
    trainers_per_session: NonNegative = Field(
        2.0, description="Provider days per training day delivered."
    )

    @property
    def total_days(self) -> float:
        return sum(s.days for s in self.sessions)

    @property
    def days_to_complete(self) -> float:
        if self.min_days_to_complete is None:
            return self.total_days
        return self.min_days_to_complete

    @model_validator(mode="after")
    def _completion_possible(self) -> Foundation:
        if self.min_days_to_complete is not None and self.min_days_to_complete > self.total_days:
            raise ValueError(
                f"min_days_to_complete ({self.min_days_to_complete}) exceeds the "
                f"{self.total_days} days the sessions offer"
            )
        offsets = [s.after_months for s in self.sessions]
        if offsets != sorted(offsets):
            raise ValueError("sessions must be listed in order of after_months")
        return self


class FoundationOverride(_Frozen):
    """A phase's changes to ``programme.foundation``; absent keys keep the programme's value."""

    cohorts: int | None = Field(None, ge=0)
    cohort_size: int | None = Field(None, ge=1)
    interval_months: NonNegative | None = None
    attendance: Share | None = None
    sessions: tuple[Session, ...] | None = Field(None, min_length=1)
    min_days_to_complete: NonNegative | None = None
    allocation: Literal["mixed", "senior_first", "whole_teams", "random"] | None = None
    offer_new_starters: bool | None = None
    offer_agency: bool | None = None
    max_concurrent_cohorts: int | None = Field(None, ge=1)
    trainers_per_session: NonNegative | None = None


class Mentoring(_Frozen):
    """Live mentoring of trained supervisors, then supported group supervision."""

    group_size: int = Field(6, ge=1, description="Supervisors per mentoring group.")
    months: int = Field(6, ge=0, description="Monthly mentoring sessions per group.")
    supported_months: int = Field(
        12,
        ge=0,
        description="Months from the first mentoring session during which the supervisor's "
        "group supervision is supported (reinforcing the supervisor monthly).",
    )
    max_groups: int | None = Field(
        None, ge=1, description="Mentoring groups running at once (default: no limit)."
    )
    provider_days_per_session: NonNegative = Field(
        1.0, description="Provider days per mentoring group session."
    )
    provider_days_per_supported_team_month: NonNegative = Field(
        0.0, description="Provider days per team per month of support after mentoring ends."
    )


class GroupSupervision(_Frozen):
    """The monthly group supervision a mentored, practising supervisor runs for their team."""

    interval_months: int = Field(1, ge=1, description="Months between sessions.")
    supervisor_reinforcement: Share = Field(
        0.0,
        description="Share of the gap to full level that running a session restores for "
        "the supervisor themselves (0 = only external support keeps supervisors going).",
    )


class ChampionSupervision(_Frozen):
    """External supervision of the champion group while a phase supplies it."""

    interval_months: int = Field(2, ge=1, description="Months between sessions.")
    provider_days_per_session: NonNegative = Field(1.0, description="Provider days per session.")


class Consultation(_Frozen):
    """Embedded clinicians (Havering-style) who reinforce team members by consultation."""

    clinician_role: str | None = Field(
        None, description="Workforce role of the clinicians giving consultations."
    )
    sessions_per_clinician_per_month: NonNegative = Field(
        0.0, description="Consultations each clinician in post gives per month."
    )


class Group(_Frozen):
    """A provider-run group (e.g. team managers, senior leaders) that reinforces its members."""

    roles: tuple[str, ...] = Field(min_length=1, description="Roles whose members attend.")
    interval_months: int = Field(2, ge=1, description="Months between sessions.")
    provider_days_per_session: NonNegative = Field(1.0, description="Provider days per session.")


class Phase(_Frozen):
    """A funded period of external provision.

    Its dates are given either as ``start``/``end`` or relative to the previous phase:
    ``start_after_months`` (the gap before it) and ``months`` (its length), so that moving one
    phase moves what depends on it. :meth:`Scenario.phase_dates` resolves them.
    """

    name: str = Field(min_length=1, description="Name shown in reports.")
    start: date | None = Field(
        None, description="First day of the phase (or give start_after_months)."
    )
    start_after_months: int | None = Field(
        None,
        ge=0,
        description="Whole months after the previous phase ends (the first phase: after "
        "scenario.start) that this phase starts, instead of start: the gap before it.",
    )
    end: date | None = Field(None, description="Last day of the phase (or give months).")
    months: int | None = Field(None, ge=1, description="Length in whole months, instead of end.")
    supplies: tuple[str, ...] = Field(
        (),
        description="What the provider supplies: "
        + ", ".join(SUPPLIES)
        + ", or the name of a group in programme.groups.",
    )
    foundation: FoundationOverride | None = Field(
        None, description="This phase's changes to programme.foundation."
    )


class Programme(_Frozen):
    """The calendar of phases and the designs of what they supply."""

    phases: tuple[Phase, ...] = Field(
        (), description="Funded phases, in date order; empty = the do-nothing strategy."
    )
    foundation: Foundation = Field(default_factory=Foundation)
    mentoring: Mentoring = Field(default_factory=Mentoring)
    group_supervision: GroupSupervision = Field(default_factory=GroupSupervision)
    champion_supervision: ChampionSupervision = Field(default_factory=ChampionSupervision)
    consultation: Consultation = Field(default_factory=Consultation)
    groups: Annotated[dict[str, Group], AfterValidator(FrozenDict)] = Field(
        default_factory=dict,
        description="Provider-run groups by name (e.g. team_managers); a phase runs a group "
        "by naming it in its supplies.",
    )

    @field_validator("groups")
    @classmethod
    def _group_names_free(cls, groups: dict[str, Group]) -> dict[str, Group]:
        clash = sorted(set(groups) & set(SUPPLIES))
        if clash:
            raise ValueError(f"group name {clash[0]!r} is reserved for a kind of supply")
        return groups

    def foundation_for(self, phase: Phase) -> Foundation:
        """The cohort design a phase runs: the programme's, with the phase's changes."""
        if phase.foundation is None:
            return self.foundation
        changes = phase.foundation.model_dump(exclude_none=True)
        return Foundation.model_validate({**self.foundation.model_dump(), **changes})


# --------------------------------------------------------------------------- champions


class Champions(_Frozen):
    """Internal champions who carry the practice on when the provider leaves."""

    target: int = Field(0, ge=0, description="Number of champions to appoint.")
    appoint_from: date | None = Field(
        None, description="Date champions are appointed (default: the scenario start)."
    )
    roles: tuple[str, ...] | None = Field(
        None, description="Roles champions may come from (default: every role)."
    )
    min_group_size: int = Field(
        2, ge=1, description="Fewest active champions for the group to meet and work."
    )
    meeting_interval_months: int = Field(1, ge=1, description="Months between their meetings.")
    dropout_supported: NonNegative = Field(
        0.1, description="Champions stepping down per champion-year while externally supervised."
    )
    dropout_unsupported: NonNegative = Field(
        0.3, description="Champions stepping down per champion-year without external supervision."
    )
    replacement: Literal["none", "at_once", "yearly"] = Field(
        "none",
        description="How champions who leave or step down are replaced: none (never), "
        "at_once (straight away) or yearly (topped up to the target on each anniversary of "
        "the appointment).",
    )
    induction_places_per_champion_per_month: NonNegative = Field(
        0.0, description="New starters each active champion can induct per month."
    )
    induction_days: NonNegative = Field(1.0, description="Staff days one induction takes.")
    induction_level: Share = Field(
        1.0, description="Practice level an engaged person starts at after an induction."
    )
    workshops_per_year: NonNegative = Field(0.0, description="Workshops the champions run a year.")
    workshop_places: int = Field(0, ge=0, description="Trained staff reinforced per workshop.")
    workshop_days: NonNegative = Field(
        0.5, description="Staff days each attendee spends at a workshop (costed as training)."
    )
    days_per_month: NonNegative = Field(
        1.0, description="Days a month each champion spends on champion work (costed)."
    )


# --------------------------------------------------------------------------- costs, measures


class Costs(_Frozen):
    """Prices. Every default is an assumption."""

    provider_day_rate: NonNegative = Field(
        0.0, description="Cost (GBP) of one external provider day."
    )


class Measures(_Frozen):
    """Settings of the per-replication measures."""

    sustain_target: Share = Field(0.5, description="Coverage that counts as sustained (0-1).")
    sustain_after_months: int = Field(
        12, ge=0, description="Months after the last phase ends at which 'sustained' is judged."
    )


class Source(_Frozen):
    """Where one figure comes from and how far to trust it (see :mod:`sim.provenance`)."""

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

    def phase_dates(self) -> list[tuple[date, date]]:
        """The first and last day of each phase (relative timings resolved)."""
        return phase_dates(self.scenario.start, self.programme.phases)  # type: ignore[return-value]

    def with_changes(self, changes: dict[str, Any], source: str = "<changes>") -> Scenario:
        """A validated copy with dotted-key changes applied; the original is untouched."""
        data = _plain(self.model_dump(mode="python"))
        for key, value in changes.items():
            set_by_path(data, key, value, source, label="change")
        drop_orphaned(data, Scenario, set())  # sources of keys the changes removed
        return validate(data, source)


def phase_dates(start: date, phases: Any) -> list[tuple[date, date] | None]:
    """The first and last day of each phase, from its dates or from the previous phase.

    ``start_after_months`` counts from the day after the previous phase's end (the first
    phase: from ``start``); ``months`` gives the last day as the day before the same day
    that many months on. An entry is None when the phase's dates cannot be worked out.
    """
    resolved: list[tuple[date, date] | None] = []
    anchor: date | None = start
    for phase in phases:
        get = phase.get if isinstance(phase, dict) else lambda key, p=phase: getattr(p, key, None)
        begins, ends = get("start"), get("end")
        after, months = get("start_after_months"), get("months")
        if begins is None and isinstance(after, int) and anchor is not None:
            begins = add_months(anchor, after)
        if ends is None and isinstance(months, int) and isinstance(begins, date):
            ends = add_months(begins, months) - timedelta(days=1)
        if isinstance(begins, date) and isinstance(ends, date):
            resolved.append((begins, ends))
            anchor = ends + timedelta(days=1)
        else:
            resolved.append(None)
            anchor = None
    return resolved


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
    dates = phase_dates(start, phases) if isinstance(start, date) else [None] * len(phases)
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
        if isinstance(start, date) and begins < start:
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
                if role not in roles:
                    problems.append(f"programme.groups.{name}.roles: unknown role {role!r}")
        if isinstance(clinician, str) and clinician not in roles:
            problems.append(f"programme.consultation.clinician_role: unknown role {clinician!r}")
        champion_roles = champions.get("roles")
        for role in champion_roles if isinstance(champion_roles, list | tuple) else ():
            if role not in roles:
                problems.append(f"champions.roles: unknown role {role!r}")
    appoint = champions.get("appoint_from")
    if isinstance(appoint, date) and isinstance(start, date) and appoint < start:
        problems.append(f"champions.appoint_from: {appoint} is before scenario.start ({start})")
    return problems + source_problems(data, Scenario)


# --------------------------------------------------------------------------- loading


class ScenarioError(Exception):
    """Bad input: one message line per problem, all found at once."""

    def __init__(self, lines: list[str]):
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))


def load_scenario(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> Scenario:
    """Read a scenario file, apply ``KEY=VALUE`` overrides, and validate it.

    Raises
    ------
    ScenarioError
        When the file is missing or unreadable, is not TOML, an override is malformed, or
        the result fails validation. Every line names the file and the key.
    """
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([f"{source}: no such scenario file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([f"{source}: cannot read the file ({exc})"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"{source}: not valid TOML: {exc}"]) from None
    problems: list[str] = []
    set_keys: set[str] = set()
    wrong_in_file = broken_paths(data, Scenario)
    for item in overrides:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            problems.append(f"{source}: --set {item!r}: expected KEY=VALUE")
            continue
        try:
            set_by_path(data, key, parse_value(raw.strip()), source)
            set_keys.add(key)
        except ScenarioError as exc:
            problems.extend(exc.lines)
    if problems:
        raise ScenarioError(problems)
    drop_orphaned(data, Scenario, wrong_in_file)  # sources of keys the overrides removed
    return validate(data, source, set_keys)


def parse_value(raw: str) -> Any:
    """Read an override value as TOML (numbers, dates, booleans, arrays), else as text."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


# A phase's dates come in two forms; setting one form of a date replaces the other.
_PHASE_ALTERNATIVES = {
    "start": "start_after_months",
    "start_after_months": "start",
    "end": "months",
    "months": "end",
}


def set_by_path(data: dict, key: str, value: Any, source: str, label: str = "--set") -> None:
    """Set ``data[a][b][0][c] = value`` for the dotted key ``a.b.0.c``, creating tables.

    Setting a phase's ``start_after_months`` removes its ``start`` (and ``months`` its
    ``end``, and the other way round), so an override can move a phase given by dates.
    """
    parts = key.split(".")
    node: Any = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(node, dict) and not last and parts[depth + 1].isdigit():
            node.setdefault(part, [])  # an index into an absent array: it is empty
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                parent = ".".join(parts[:depth])
                raise ScenarioError(
                    [
                        f"{source}: {label} {key}: {parent} has no element {part} "
                        f"(it has {len(node)})"
                    ]
                )
            index = int(part)
            if last:
                node[index] = value
            else:
                node = node[index]
        elif isinstance(node, dict):
            if last:
                node[part] = value
                if parts[:2] == ["programme", "phases"] and len(parts) == 4:
                    node.pop(_PHASE_ALTERNATIVES.get(part, ""), None)
            else:
                node = node.setdefault(part, {})
        else:
            parent = ".".join(parts[:depth])
            raise ScenarioError([f"{source}: {label} {key}: {parent} is a value, not a table"])


def validate(data: dict, source: str, set_keys: set[str] | None = None) -> Scenario:
    """Validate raw scenario data, turning every problem into one readable line."""
    try:
        return Scenario.model_validate(copy.deepcopy(data))
    except ValidationError as exc:
        lines = [_describe(err, source, set_keys or set()) for err in exc.errors()]
        # When fields fail, the cross-reference check never ran: run it on the raw data.
        lines += [f"{source}: {line}" for line in cross_reference_problems(data)]
        raise ScenarioError(_unique(lines)) from None


def _unique(lines: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for line in lines:
        for part in line.split("\n"):
            seen.setdefault(part, None)
    return list(seen)


def _describe(err: dict, source: str, set_keys: set[str]) -> str:
    """One line for one pydantic error: file, key path, what was wrong, what was allowed."""
    loc = [str(p) for p in err["loc"] if not str(p).startswith(("function-", "lax-"))]
    if len(loc) > 1 and loc[0] == "sources":
        loc[1] = f'"{loc[1]}"'  # a key path inside a key path: quoted, as in the file
    path = ".".join(loc)
    kind = err["type"]
    ctx = err.get("ctx") or {}
    given = err.get("input")
    shown = f", got {given!r}" if not isinstance(given, dict | list) else ""
    if kind == "value_error":
        message = str(ctx.get("error", err["msg"]))
        # Cross-reference problems already carry their own key paths.
        if message.startswith(("programme.", "champions.", "workforce.", "sources.")) and not path:
            return "\n".join(f"{source}: {line}" for line in message.split("\n"))
        where = f"{path}: " if path else ""
        return f"{source}: {where}{message}"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(err["loc"][:-1])
        hint = difflib.get_close_matches(loc[-1], allowed, n=1)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
        from_set = any(k == path or k.startswith(path + ".") for k in set_keys)
        origin = " (from --set)" if from_set else ""
        return (
            f"{source}: {path}: unknown key{origin}{suggestion}; allowed here: {', '.join(allowed)}"
        )
    if kind == "missing":
        return f"{source}: {path}: required key is missing"
    messages = {
        "greater_than_equal": lambda: f"must be ≥ {ctx.get('ge')}",
        "greater_than": lambda: f"must be > {ctx.get('gt')}",
        "less_than_equal": lambda: f"must be ≤ {ctx.get('le')}",
        "less_than": lambda: f"must be < {ctx.get('lt')}",
        "int_parsing": lambda: "must be a whole number",
        "int_type": lambda: "must be a whole number",
        "int_from_float": lambda: "must be a whole number",
        "float_parsing": lambda: "must be a number",
        "float_type": lambda: "must be a number",
        "bool_parsing": lambda: "must be true or false",
        "bool_type": lambda: "must be true or false",
        "date_parsing": lambda: "must be a date like 2017-11-01",
        "date_from_datetime_parsing": lambda: "must be a date like 2017-11-01",
        "date_type": lambda: "must be a date like 2017-11-01",
        "literal_error": lambda: f"must be one of {ctx.get('expected')}",
        "too_short": lambda: f"needs at least {ctx.get('min_length')} item(s)",
        "string_type": lambda: "must be text in quotes",
        "dict_type": lambda: "must be a table",
        "model_type": lambda: "must be a table",
        "tuple_type": lambda: "must be an array",
    }
    message = messages.get(kind, lambda: err["msg"][0].lower() + err["msg"][1:])()
    return f"{source}: {path}: {message}{shown}"


def _allowed_keys(loc: tuple) -> list[str]:
    """The keys allowed in the table at ``loc``, found by walking the schema."""
    model: Any = Scenario
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            # Inside a dict of models (roles, groups): the part is a user's name.
            continue
        model = _model_of(field.annotation)
    fields = getattr(model, "model_fields", {})
    return list(fields)


def _model_of(annotation: Any) -> Any:
    """The pydantic model inside an annotation such as ``tuple[Phase, ...]`` or ``X | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_of(arg)
        if found is not None:
            return found
    return None


BUNDLED_DIR = Path(__file__).resolve().parent.parent / "scenarios"


def bundled_names() -> list[str]:
    """Names of the scenarios shipped in ``scenarios/``."""
    return sorted(p.stem for p in BUNDLED_DIR.glob("*.toml"))


def resolve_scenario(name_or_path: str) -> Path:
    """A scenario file's path: the path itself, or the bundled scenario of that name."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    bundled = BUNDLED_DIR / f"{name_or_path}.toml"
    if path.suffix == "" and bundled.is_file():
        return bundled
    names = ", ".join(bundled_names()) or "none"
    raise ScenarioError(
        [f"{name_or_path}: no such scenario file or bundled scenario (bundled: {names})"]
    )
