"""The levers: every scenario key a planner can pull, what it works through, how to nudge it.

One registry (:data:`LEVERS`), read by ``rollout levers`` (the lever audit,
:mod:`sim.experiments.levers`), by the theory-of-change picture in docs/model.md
(``docs/diagrams.py``) and by the validation report. Each entry says:

- the dotted key, or a pattern resolved on the scenario: ``{i}`` a phase after the first
  (one lever per phase), ``{group}`` a provider-run group (one lever per group),
  ``{supply}`` what a phase supplies (one lever per supply), ``*`` every element of a table
  or array (one lever that moves them all together, e.g. every role's turnover);
- a plain label, and the mechanism it works through (one of :data:`MECHANISMS`, with a short
  phrase saying how);
- how it is nudged for an elementary effect (:class:`Relative`, :class:`Absolute`,
  :class:`Values` for choices and true/false, :class:`Drop` for a phase's supplies);
- whether the documentation calls it *active* (it should move practice or coverage);
- when it is switched on in a scenario (:data:`CONDITIONS`: champion levers only with
  champions, a phase's supply only when the phase supplies it, ...).

Adding a lever is one entry in :data:`LEVERS`. Only data and pydantic live here (no pandas,
SciPy or SimPy): ``rollout validate`` and the app can read it at no cost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .base import FrozenDict
from .keys import ScenarioError
from .schema import Scenario
from .uncertainty import leaf_field, number_kind

# The mechanisms a lever can work through: id -> plain name. The order is the picture's.
MECHANISMS: dict[str, str] = {
    "dose": "dose of training",
    "reinforcement": "reinforcement",
    "team_learning": "learning in the team",
    "engagement": "engagement",
    "champions": "champions' capacity",
    "workforce": "workforce flows",
    "calendar": "calendar",
    "cost": "cost only",
}

# What each mechanism should move (the theory of change: levers -> mechanisms -> measures).
MOVES: dict[str, tuple[str, ...]] = {
    "dose": ("coverage", "practice"),
    "reinforcement": ("practice",),
    "team_learning": ("practice",),
    "engagement": ("practice",),
    "champions": ("coverage", "practice"),
    "workforce": ("coverage", "practice"),
    "calendar": ("coverage", "practice"),
    "cost": ("cost",),
}

# What the audit measures: practice summed over the horizon, coverage three years in.
# Practice 36 months in as well as over the horizon: a lever that moves *when* support
# comes (a later phase) can leave the whole-run total where it was and still change the
# practice at a fixed date.
MEASURES: dict[str, str] = {
    "practising_person_months": "practising person-months",
    "coverage_m36": "coverage 36 months in",
    "practising_share_m36": "practising 36 months in",
}
COVERAGE_MONTH = 36


# --------------------------------------------------------------------------- nudges


@dataclass(frozen=True)
class Relative:
    """Multiply the value by ``1 + step`` (whole-number keys move by at least 1)."""

    step: float

    def text(self) -> str:
        return f"{self.step:+.0%}"


@dataclass(frozen=True)
class Absolute:
    """Add ``step`` to the value."""

    step: float

    def text(self) -> str:
        return f"{self.step:+g}"


@dataclass(frozen=True)
class Values:
    """Compare two values of a choice or a true/false key (``low`` then ``high``)."""

    low: Any
    high: Any

    def text(self) -> str:
        return f"{_plain(self.low)} vs {_plain(self.high)}"


@dataclass(frozen=True)
class Drop:
    """A phase with and without one of its supplies (the ``{supply}`` of the key)."""

    def text(self) -> str:
        return "without vs with"


Nudge = Relative | Absolute | Values | Drop


@dataclass(frozen=True)
class Lever:
    """One lever of the registry (see the module's docstring)."""

    key: str
    label: str
    mechanism: str
    how: str
    nudge: Nudge
    active: bool
    when: str = "always"
    scale_also: tuple[str, ...] = ()  # keys moved by the same factor (a relative nudge)
    app: str | None = None  # the app's name for this lever (sim.app.logic.LEVER_KEYS)

    @property
    def mechanism_name(self) -> str:
        return MECHANISMS[self.mechanism]


# --------------------------------------------------------------------------- the registry

LEVERS: tuple[Lever, ...] = (
    # The dose of training: how many are trained, how much, who.
    Lever("programme.foundation.cohorts", "Foundation cohorts", "dose",
          "more cohorts train more staff", Absolute(-2), True, "foundation", app="cohorts"),
    Lever("programme.foundation.cohort_size", "Places per cohort", "dose",
          "more places train more staff", Relative(-0.5), True, "foundation",
          app="cohort_size"),
    Lever("programme.foundation.interval_months", "Months between cohorts", "dose",
          "cohorts further apart: later, and fewer within the phase", Absolute(1), True,
          "foundation"),
    Lever("programme.foundation.attendance", "Attendance per session", "dose",
          "more sessions attended: more complete the training", Absolute(-0.2), True,
          "foundation"),
    Lever("programme.foundation.sessions.*.days", "Training days (every session)", "dose",
          "more days of training (the days needed to complete move with them)",
          Relative(0.5), True, "foundation",
          scale_also=("programme.foundation.min_days_to_complete",)),
    Lever("programme.foundation.min_days_to_complete", "Days needed to count as trained",
          "dose", "fewer days needed: more count as trained", Relative(-0.4), True,
          "foundation_min_days"),
    Lever("programme.foundation.allocation", "Who fills the places", "dose",
          "mixed levels or whole teams (a team trained with its supervisor)",
          Values("mixed", "whole_teams"), True, "allocation_binds", app="allocation"),
    Lever("programme.foundation.offer_new_starters", "Places offered to new starters",
          "workforce", "staff who join later can be trained", Values(False, True), True,
          "foundation", app="offer_new_starters"),
    Lever("programme.foundation.offer_agency", "Places offered to agency workers",
          "workforce", "agency workers covering vacancies can be trained",
          Values(False, True), True, "foundation_agency"),
    # Live mentoring, then group supervision in the team.
    Lever("programme.mentoring.months", "Months of live mentoring", "team_learning",
          "supervisors mentored for fewer months lead weaker groups (the dose of mentoring)",
          Absolute(-4), True, "mentoring"),
    Lever("programme.mentoring.dose_half_sessions", "Mentoring sessions for half the effect",
          "team_learning", "the same mentoring makes supervisors lead weaker groups",
          Relative(1.0), True, "mentoring_dose"),
    Lever("programme.mentoring.supported_months", "Months group supervision is supported",
          "team_learning", "supervisors reinforced by the provider for longer", Absolute(6),
          True, "mentoring"),
    Lever("programme.mentoring.group_size", "Supervisors per mentoring group",
          "team_learning", "larger groups mentor more supervisors at once", Absolute(2), True,
          "mentoring_max_groups"),
    Lever("programme.mentoring.max_groups", "Mentoring groups at once", "team_learning",
          "more groups at once mentor supervisors sooner", Absolute(1), True,
          "mentoring_max_groups"),
    Lever("programme.mentoring.offer_new_starters", "Mentoring for new supervisors",
          "team_learning", "supervisors who join later are mentored too", Values(False, True),
          True, "mentoring"),
    Lever("programme.group_supervision.interval_months", "Months between group supervisions",
          "reinforcement", "a mentored supervisor's team reinforced less often", Absolute(1),
          True, "mentoring"),
    Lever("programme.group_supervision.supervisor_reinforcement",
          "What leading supervision gives the supervisor", "reinforcement",
          "leading the group keeps the supervisor's own practice alive", Absolute(0.3), True,
          "mentoring"),
    # Champions.
    Lever("champions.target", "Champions", "champions",
          "more champions: meetings, workshops and inductions for longer", Relative(0.5), True,
          "champions", app="champions"),
    Lever("champions.replacement", "Champions replaced when they leave", "champions",
          "the group kept at its target", Values("none", "at_once"), True, "champions",
          app="replacement"),
    Lever("champions.induction_places_per_champion_per_month",
          "Induction places per champion a month", "champions",
          "champions induct untrained new starters", Absolute(0.25), True, "champions",
          app="induction_places"),
    Lever("champions.workshops_per_year", "Champions' workshops a year", "champions",
          "workshops reinforce the staff who attend", Absolute(3), True,
          "champion_workshops"),
    Lever("champions.workshop_places", "Places per workshop", "champions",
          "more staff reinforced at each workshop", Relative(0.5), True,
          "champion_workshop_places"),
    Lever("champions.meeting_interval_months", "Months between champions' meetings",
          "champions", "champions reinforce each other less often", Absolute(5), True,
          "champions"),
    Lever("champions.dropout_supported", "Champions stepping down while supervised",
          "champions", "the group shrinks faster", Relative(2.0), True,
          "champion_supervision"),
    Lever("champions.dropout_unsupported", "Champions stepping down unsupervised",
          "champions", "the group shrinks faster once support ends", Relative(2.0), True,
          "champions"),
    Lever("programme.champion_supervision.interval_months",
          "Months between the provider's supervisions of the champions", "champions",
          "champions supported less often", Absolute(2), True, "champion_supervision"),
    # Other reinforcement supplied by the provider.
    Lever("programme.consultation.sessions_per_clinician_per_month",
          "Consultations per clinician a month", "reinforcement",
          "embedded clinicians reinforce more staff", Relative(0.5), True, "consultation"),
    Lever("programme.groups.{group}.interval_months", "Months between sessions of {group}",
          "reinforcement", "the group's members reinforced less often", Absolute(4), True,
          "group"),
    # Later phases: when, how long, what.
    Lever("programme.phases.{i}.start_after_months", "Months before {phase} starts",
          "calendar", "a longer gap without external support", Absolute(12), True,
          "later_phase", app="phase2_after_months"),
    Lever("programme.phases.{i}.months", "Months {phase} lasts", "calendar",
          "external support for longer", Absolute(12), True, "later_phase",
          app="phase2_months"),
    Lever("programme.phases.{i}.foundation.cohorts", "Foundation cohorts in {phase}", "dose",
          "more cohorts in the phase train more staff", Absolute(-2), True,
          "phase_foundation", app="phase2_cohorts"),
    Lever("programme.phases.{i}.supplies", "{phase} supplies {supply}", "calendar",
          "the phase with or without this supply", Drop(), True, "later_phase",
          app="phase2_supplies"),
    # Practice: who engages, how it fades, what a session restores.
    Lever("practice.uptake", "Uptake after training", "engagement",
          "more of the trained take the practice up", Absolute(0.2), True, "anyone_trained"),
    Lever("practice.half_life_months", "Half-life of the practice (months)", "reinforcement",
          "the practice fades more slowly between reinforcements", Relative(0.5), True,
          "anyone_trained"),
    Lever("practice.threshold", "Level needed to count as practising", "engagement",
          "a higher bar to count as practising", Absolute(0.1), True, "anyone_trained"),
    Lever("practice.reinforcement", "Share of the level a session restores",
          "reinforcement", "each session restores more of the level", Absolute(-0.3), True,
          "default_strength"),
    Lever("practice.dose_half_days", "Days of training for half the effect", "dose",
          "the same course does less: fewer take it up at once, from a lower level",
          Relative(1.0), True, "dose"),
    Lever("practice.late_share", "Share of the rest who engage later", "engagement",
          "more of those not engaging at once take the practice up with support",
          Absolute(0.2), True, "anyone_trained"),
    Lever("practice.late_engagement_per_session", "Chance a late engager starts at a session",
          "engagement", "late engagers take the practice up after fewer sessions",
          Relative(1.0), True, "late_engagers"),
    Lever("practice.team_learning_rate", "Learning in the team (a year)", "team_learning",
          "staff without training take the practice up in a supervising team",
          Absolute(0.3), True, "mentoring"),
    # The strength of each source of reinforcement.
    Lever("programme.mentoring.strength", "What a mentoring session restores",
          "reinforcement", "mentored supervisors and their live-mentored teams kept nearer "
          "the full level", Absolute(-0.6), True, "mentoring_strength"),
    Lever("programme.group_supervision.strength", "What group supervision restores",
          "reinforcement", "a mentored supervisor's team kept nearer the full level",
          Absolute(-0.3), True, "supervision_strength"),
    Lever("programme.group_supervision.unmentored_strength",
          "Group supervision led by a supervisor never mentored", "team_learning",
          "a practising supervisor the provider never mentored leads a weaker group",
          Absolute(0.3), True, "anyone_trained"),
    Lever("programme.champion_supervision.strength",
          "What the provider's supervision of the champions restores", "champions",
          "champions kept nearer the full level, so they pass on more",
          Absolute(-0.3), True, "champion_supervision_strength"),
    Lever("champions.meeting_strength", "What a champions' meeting restores", "champions",
          "champions kept nearer the full level, so they pass on more", Absolute(0.3), True,
          "meeting_strength"),
    Lever("champions.workshop_strength", "What a champions' workshop restores", "champions",
          "staff at a workshop reinforced more", Absolute(0.3), True,
          "workshop_strength"),
    Lever("programme.consultation.strength", "What a consultation restores", "reinforcement",
          "consulted staff kept nearer the full level", Absolute(-0.3), True,
          "consultation_strength"),
    Lever("programme.groups.{group}.strength", "What a session of {group} restores",
          "reinforcement", "the group's members kept nearer the full level", Absolute(-0.3),
          True, "group_strength"),
    # The workforce.
    Lever("workforce.recruits_trained_fraction", "New starters already trained", "workforce",
          "recruits arrive trained", Absolute(0.2), True),
    Lever("workforce.agency_cover", "Vacancies covered by agency workers", "workforce",
          "who covers vacancies (agency workers count only if offered training)",
          Absolute(0.2), False),
    Lever("workforce.roles.*.turnover", "Turnover (every role)", "workforce",
          "leavers take their training with them", Relative(0.5), True),
    Lever("workforce.roles.*.hiring_delay_months", "Months a vacancy lasts (every role)",
          "workforce", "vacant posts hold no one who practises", Relative(0.5), True),
    # The window measured, and prices.
    Lever("scenario.horizon_months", "Months simulated", "calendar",
          "a longer window to count practice in (not a change to the practice)",
          Absolute(12), False, app="horizon_months"),
    Lever("costs.provider_day_rate", "Provider's day rate", "cost", "prices only",
          Relative(0.5), False),
    Lever("programme.foundation.trainers_per_session", "Trainers per training day", "cost",
          "provider days only", Relative(0.5), False, "foundation"),
    Lever("programme.mentoring.provider_days_per_session", "Provider days per mentoring session",
          "cost", "provider days only", Relative(0.5), False, "mentoring"),
    Lever("champions.meeting_days", "Staff days per champions' meeting", "cost",
          "staff time only", Relative(0.5), False, "champions"),
)  # fmt: skip


# --------------------------------------------------------------------------- switched on


def _supplied(scenario: Scenario, supply: str) -> bool:
    return any(supply in phase.supplies for phase in scenario.programme.phases)


def _allocation_binds(scenario: Scenario) -> bool:
    """Whether who fills the places can matter: the first phase that trains runs the
    programme's own allocation (no override of it) with fewer places in all than staff in
    post. With places for everyone (Camden's 280 for about 205) the allocation changes only
    the order in which people are trained, and each cohort then takes about as many
    supervisors either way. Later phases mostly train the few who joined since, whom every
    cohort takes whatever the allocation (Havering's Academy after its Launch)."""
    programme = scenario.programme
    for phase in programme.phases:
        design = programme.foundation_for(phase)
        if "foundation" in phase.supplies and design.cohorts > 0:
            overridden = phase.foundation is not None and phase.foundation.allocation is not None
            staff = sum(r.posts - r.initial_vacancies for r in scenario.workforce.roles.values())
            places = design.cohorts * design.cohort_size
            return not overridden and places < staff
    return False


def _takes_default_strength(scenario: Scenario) -> bool:
    """Whether some source that runs has no strength of its own (so takes
    ``practice.reinforcement``)."""
    programme, champions = scenario.programme, scenario.champions
    mentoring = _mentoring(scenario)
    sources = [
        (mentoring, programme.mentoring.strength),
        (mentoring, programme.group_supervision.strength),
        (_champions(scenario), champions.meeting_strength),
        (_champions(scenario) and champions.workshops_per_year > 0, champions.workshop_strength),
        (
            _champions(scenario) and _supplied(scenario, "champion_supervision"),
            programme.champion_supervision.strength,
        ),
        (_consultation(scenario), programme.consultation.strength),
        *((_supplied(scenario, name), group.strength) for name, group in programme.groups.items()),
    ]
    return any(runs and strength is None for runs, strength in sources)


def _anyone_trained(scenario: Scenario) -> bool:
    workforce = scenario.workforce
    return (
        _trains(scenario)
        or workforce.initial_trained_fraction > 0
        or workforce.recruits_trained_fraction > 0
    )


def _trains(scenario: Scenario) -> bool:
    programme = scenario.programme
    return any(
        "foundation" in phase.supplies and programme.foundation_for(phase).cohorts > 0
        for phase in programme.phases
    )


def _agency(scenario: Scenario) -> bool:
    roles = scenario.workforce.roles.values()
    return scenario.workforce.agency_cover > 0 or any((r.agency_cover or 0) > 0 for r in roles)


def _champions(scenario: Scenario) -> bool:
    return scenario.champions.target > 0


def _mentoring(scenario: Scenario) -> bool:
    return scenario.workforce.supervisor_role is not None and _supplied(scenario, "mentoring")


def _consultation(scenario: Scenario) -> bool:
    role = scenario.programme.consultation.clinician_role
    roles = scenario.workforce.roles
    return _supplied(scenario, "consultation") and role in roles and roles[role].posts > 0


Condition = Callable[[Scenario, Mapping[str, Any]], bool]

# When a lever is switched on: a scenario, and the lever's bound pattern parts.
CONDITIONS: dict[str, Condition] = {
    "always": lambda s, b: True,
    "anyone_trained": lambda s, b: _anyone_trained(s),
    "foundation": lambda s, b: _trains(s),
    "foundation_min_days": lambda s, b: (
        _trains(s) and s.programme.foundation.min_days_to_complete is not None
    ),
    "foundation_agency": lambda s, b: _trains(s) and _agency(s),
    "mentoring": lambda s, b: _mentoring(s),
    "mentoring_max_groups": lambda s, b: (
        _mentoring(s) and s.programme.mentoring.max_groups is not None
    ),
    "champions": lambda s, b: _champions(s),
    "champion_workshops": lambda s, b: _champions(s) and s.champions.workshop_places > 0,
    "champion_workshop_places": lambda s, b: _champions(s) and s.champions.workshops_per_year > 0,
    "champion_supervision": lambda s, b: _champions(s) and _supplied(s, "champion_supervision"),
    "consultation": lambda s, b: _consultation(s),
    "group": lambda s, b: _supplied(s, b["group"]),
    "later_phase": lambda s, b: True,  # the pattern only binds phases that exist
    "dose": lambda s, b: _anyone_trained(s) and s.practice.dose_half_days > 0,
    "allocation_binds": lambda s, b: _allocation_binds(s),
    "mentoring_dose": lambda s, b: (
        _mentoring(s) and s.programme.mentoring.dose_half_sessions > 0
    ),
    "default_strength": lambda s, b: _anyone_trained(s) and _takes_default_strength(s),
    # A source's own strength: switched on where the source runs and the scenario sets it
    # (unset, the source takes practice.reinforcement, which has its own lever).
    "mentoring_strength": lambda s, b: (
        _mentoring(s) and s.programme.mentoring.strength is not None
    ),
    "supervision_strength": lambda s, b: (
        _mentoring(s) and s.programme.group_supervision.strength is not None
    ),
    "champion_supervision_strength": lambda s, b: (
        _champions(s)
        and _supplied(s, "champion_supervision")
        and s.programme.champion_supervision.strength is not None
    ),
    "meeting_strength": lambda s, b: _champions(s) and s.champions.meeting_strength is not None,
    "workshop_strength": lambda s, b: (
        _champions(s)
        and s.champions.workshops_per_year > 0
        and s.champions.workshop_places > 0
        and s.champions.workshop_strength is not None
    ),
    "consultation_strength": lambda s, b: (
        _consultation(s) and s.programme.consultation.strength is not None
    ),
    "late_engagers": lambda s, b: _anyone_trained(s) and s.practice.late_share > 0,
    "group_strength": lambda s, b: (
        _supplied(s, b["group"]) and s.programme.groups[b["group"]].strength is not None
    ),
    "phase_foundation": lambda s, b: (
        "foundation" in s.programme.phases[b["i"]].supplies
        and s.programme.foundation_for(s.programme.phases[b["i"]]).cohorts > 0
    ),
}


# --------------------------------------------------------------------------- resolved


@dataclass(frozen=True)
class Setting:
    """A lever resolved on one scenario: the changes that give its two ends.

    ``low`` and ``high`` are dotted-key changes (``high`` is the larger value, or the second
    of a :class:`Values` pair, or the phase with its supply). ``base_is`` says which end the
    scenario already is (None: neither). ``problem`` says why the lever could not be
    nudged (then ``low`` and ``high`` are empty).
    """

    lever: Lever
    id: str
    label: str
    switched_on: bool
    low: dict[str, Any] = field(default_factory=dict)
    high: dict[str, Any] = field(default_factory=dict)
    low_text: str = ""
    high_text: str = ""
    base_is: str | None = None
    problem: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.low, *self.high]))


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    return str(value)


def _dump(scenario: Scenario) -> dict[str, Any]:
    return scenario.model_dump(mode="python")


def value_at(data: Any, key: str) -> Any:
    """The value at a dotted key of dumped scenario data (KeyError if absent)."""
    node = data
    for part in key.split("."):
        node = node[int(part)] if isinstance(node, list | tuple) else node[part]
    return node


def _matches(data: Any, pattern: str) -> list[str]:
    """Every dotted key that ``pattern``'s ``*`` parts match in the data."""
    found = [""]
    for part in pattern.split("."):
        nxt = []
        for prefix in found:
            node = value_at(data, prefix[1:]) if prefix else data
            if part == "*":
                names = range(len(node)) if isinstance(node, list | tuple) else node
                nxt += [f"{prefix}.{name}" for name in names]
            elif isinstance(node, dict) and part in node:
                nxt.append(f"{prefix}.{part}")
        found = nxt
    return [key[1:] for key in found]


def _months_between(first: date, second: date) -> int:
    """Whole months from ``first`` to ``second`` (rounded to the nearest month)."""
    months = (second.year - first.year) * 12 + second.month - first.month
    return months + (1 if second.day - first.day > 15 else -1 if first.day - second.day > 15 else 0)


def phase_timing(scenario: Scenario, i: int) -> tuple[int, int]:
    """Phase ``i``'s gap after the previous phase and its length, in whole months."""
    dates = scenario.phase_dates()
    begins, ends = dates[i]
    after = dates[i - 1][1] + timedelta(days=1) if i else scenario.scenario.start
    return max(0, _months_between(after, begins)), max(
        1, _months_between(begins, ends + timedelta(days=1))
    )


def _bindings(lever: Lever, scenario: Scenario) -> Iterator[dict[str, Any]]:
    """Each way the lever's ``{i}``, ``{group}`` and ``{supply}`` bind in the scenario."""
    phases = scenario.programme.phases
    if "{i}" in lever.key:
        for i in range(1, len(phases)):
            bound = {"i": i, "phase": phases[i].name}
            if isinstance(lever.nudge, Drop):
                for supply in phases[i].supplies:
                    yield {**bound, "supply": supply}
            else:
                yield bound
    elif "{group}" in lever.key:
        for name in scenario.programme.groups:
            yield {"group": name}
    else:
        yield {}


def _label(lever: Lever, bound: Mapping[str, Any]) -> str:
    text = lever.label
    for name, value in bound.items():
        text = text.replace("{" + name + "}", str(value).replace("_", " "))
    return text


def _whole(key: str) -> bool:
    found = leaf_field(re.sub(r"\.\d+\.", ".0.", key), Scenario)
    return found is not None and number_kind(found) == "int"


def _step(value: float, nudge: Relative | Absolute, whole: bool, sign: int) -> float:
    moved = (
        value * (1 + sign * nudge.step)
        if isinstance(nudge, Relative)
        else (value + sign * nudge.step)
    )
    if whole:
        moved = int(round(moved))
        if moved == value:
            moved = int(value) + (1 if sign * nudge.step > 0 else -1)
    return moved


def _tries(scenario: Scenario, lever: Lever, bound: Mapping[str, Any], key: str):
    """The lever's two ends, first nudged as the registry says, then the other way.

    Yields ``(low, high, low_text, high_text, as_set)``: the changes of each end, their
    values in words, and which end is the scenario as set (None: neither).
    """
    data = _dump(scenario)
    nudge = lever.nudge
    if isinstance(nudge, Values):
        value = value_at(data, key)
        as_set = "low" if _same(value, nudge.low) else "high" if _same(value, nudge.high) else None
        yield {key: nudge.low}, {key: nudge.high}, _plain(nudge.low), _plain(nudge.high), as_set
        return
    if isinstance(nudge, Drop):
        supplies = list(value_at(data, key))
        without = [s for s in supplies if s != bound["supply"]]
        yield {key: without}, {key: supplies}, "without", "with", "high"
        return
    if "{i}" in lever.key and key.endswith((".start_after_months", ".months")):
        gap, months = phase_timing(scenario, bound["i"])
        prefix = key.rsplit(".", 1)[0]
        value = gap if key.endswith(".start_after_months") else months
        now = {f"{prefix}.start_after_months": gap, f"{prefix}.months": months}
        # The phase restated by months is the scenario as set when it keeps its dates.
        same = _dates_kept(scenario, now)
        for sign in (1, -1):
            moved = _step(value, nudge, True, sign)
            new = {**now, key: moved}
            if moved >= value:
                yield now, new, _plain(value), _plain(moved), "low" if same else None
            else:
                yield new, now, _plain(moved), _plain(value), "high" if same else None
        return
    if "{i}.foundation." in lever.key:  # a phase's change to the cohort design
        phase = scenario.programme.phases[bound["i"]]
        name = key.rsplit(".", 1)[1]
        value = getattr(scenario.programme.foundation_for(phase), name)
        table = key.rsplit(".", 1)[0]
        for sign in (1, -1):
            moved = _step(value, nudge, _whole(key), sign)
            # A phase without a table of changes yet is given one.
            new = {table: {name: moved}} if phase.foundation is None else {key: moved}
            if moved >= value:
                yield {}, new, _plain(value), _plain(moved), "low"
            else:
                yield new, {}, _plain(moved), _plain(value), "high"
        return
    if "*" in key:
        keys = _matches(data, key) + [k for k in lever.scale_also if _present(data, k)]
        for sign in (1, -1):
            factor = 1 + sign * nudge.step
            now = {k: value_at(data, k) for k in keys}
            new = {k: (_step(v, nudge, _whole(k), sign) if v else v) for k, v in now.items()}
            if factor >= 1:
                yield now, new, "as set", f"x{factor:g}", "low"
            else:
                yield new, now, f"x{factor:g}", "as set", "high"
        return
    value = value_at(data, key)
    for sign in (1, -1):
        moved = _step(value, nudge, _whole(key), sign)
        also = {k: value_at(data, k) for k in lever.scale_also if _present(data, k)}
        factor = moved / value if value else 1.0
        now = {key: value, **also}
        new = {key: moved, **{k: v * factor for k, v in also.items()}}
        if moved >= value:
            yield now, new, _plain(value), _plain(moved), "low"
        else:
            yield new, now, _plain(moved), _plain(value), "high"


def _dates_kept(scenario: Scenario, changes: Mapping[str, Any]) -> bool:
    try:
        return scenario.with_changes(dict(changes)).phase_dates() == scenario.phase_dates()
    except ScenarioError:
        return False


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return list(a) == list(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def _present(data: Any, key: str) -> bool:
    try:
        return value_at(data, key) is not None
    except (KeyError, IndexError, TypeError):
        return False


def at_end(scenario: Scenario, changes: Mapping[str, Any]) -> Scenario:
    """The scenario with ``changes`` set, and those keys' ``[uncertainty]`` entries removed:
    a value a nudge sets is the value used in every future."""
    changed = scenario.with_changes(dict(changes), source="levers") if changes else scenario
    kept = {k: v for k, v in changed.uncertainty.items() if k not in changes}
    if len(kept) == len(changed.uncertainty):
        return changed
    return changed.model_copy(update={"uncertainty": FrozenDict(kept)})


def _resolve(scenario: Scenario, lever: Lever, bound: dict[str, Any]) -> Setting:
    key = lever.key.format(**{k: v for k, v in bound.items() if k in ("i", "group")})
    label = _label(lever, bound)
    ident = key + (f":{bound['supply']}" if "supply" in bound else "")
    if not CONDITIONS[lever.when](scenario, bound):
        return Setting(lever, ident, label, False)
    problems: list[str] = []
    for low, high, low_text, high_text, as_set in _tries(scenario, lever, bound, key):
        if low.keys() == high.keys() and all(_same(low[k], high[k]) for k in low):
            problems.append(f"{ident}: the nudge changes nothing here (every value is 0)")
            break
        try:
            at_end(scenario, low), at_end(scenario, high)
        except ScenarioError as exc:
            problems.append(exc.lines[0])
            continue
        return Setting(lever, ident, label, True, low, high, low_text, high_text, as_set)
    return Setting(lever, ident, label, True, problem="; ".join(problems))


def lever_ids(scenario: Scenario) -> list[str]:
    """The id of every lever of the registry in ``scenario`` (patterns bound), unresolved."""
    ids = []
    for lever in LEVERS:
        for bound in _bindings(lever, scenario):
            key = lever.key.format(**{k: v for k, v in bound.items() if k in ("i", "group")})
            ids.append(key + (f":{bound['supply']}" if "supply" in bound else ""))
    return ids


def check_request(scenario: Scenario, reps: int, only=(), source: str = "<levers>") -> None:
    """Bad input for an audit, every problem at once: too few futures, a horizon short of
    the coverage month, ``--lever`` keys that are not levers of the scenario."""
    problems = []
    if reps < 2:
        problems.append(f"--reps {reps}: the audit needs at least 2 futures for an interval")
    horizon = scenario.scenario.horizon_months
    if horizon < COVERAGE_MONTH:
        problems.append(
            f"{source}: scenario.horizon_months: the audit reads coverage {COVERAGE_MONTH} "
            f"months in; got a horizon of {horizon} months"
        )
    ids = lever_ids(scenario)
    known = {*ids, *(i.split(":")[0] for i in ids), *(lever.key for lever in LEVERS)}
    for wanted in only:
        if wanted not in known:
            problems.append(
                f"--lever {wanted}: not a lever of {source} (levers.csv lists them, "
                "e.g. programme.foundation.cohort_size)"
            )
    if problems:
        raise ScenarioError(problems)


def chosen(setting: Setting, only) -> bool:
    """Whether ``--lever`` picks this setting (by its id, its key or its pattern)."""
    return not only or bool({setting.id, setting.id.split(":")[0], setting.lever.key} & set(only))


def settings(scenario: Scenario) -> list[Setting]:
    """Every lever of the registry resolved on ``scenario``, switched on or not."""
    return [
        _resolve(scenario, lever, bound) for lever in LEVERS for bound in _bindings(lever, scenario)
    ]


def lever_for(key: str) -> Lever | None:
    """The registry's entry for a dotted key (patterns matched), or None."""
    for lever in LEVERS:
        pattern = re.escape(lever.key).replace(r"\*", r"[^.]+")
        pattern = re.sub(r"\\\{(i|group)\\\}", r"[^.]+", pattern)
        if re.fullmatch(pattern, key):
            return lever
    return None
