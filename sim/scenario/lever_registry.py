"""The lever registry: every scenario key a planner can pull, what it works through, how
to nudge it, and what it is called.

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
- when it is switched on in a scenario (a name of
  :data:`sim.scenario.lever_conditions.CONDITIONS`: champion levers only with champions, a
  phase's supply only when the phase supplies it, ...);
- the words the tables, the app and the report use for the key itself (``words``: a label
  and a meaning, :func:`sim.model.vocabulary.key_term`), and the app's name for it when
  the app offers it (``app``: :data:`sim.app.logic.LEVER_KEYS` derives from it).

Adding a lever is one entry in :data:`LEVERS`: the audit, the validation report, the
picture, the vocabulary and the app's key names all derive from it. Only data lives here
(no pandas, SciPy or SimPy): ``rollout --help``, ``rollout validate`` and the app read it at
no cost. How a lever is resolved on a scenario is :mod:`sim.scenario.levers`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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
        """The nudge in words, e.g. "+10%"."""
        return f"{self.step:+.0%}"


@dataclass(frozen=True)
class Absolute:
    """Add ``step`` to the value."""

    step: float

    def text(self) -> str:
        """The nudge in words, e.g. "+2"."""
        return f"{self.step:+g}"


@dataclass(frozen=True)
class Values:
    """Compare two values of a choice or a true/false key (``low`` then ``high``)."""

    low: Any
    high: Any

    def text(self) -> str:
        """The two values in words, e.g. "0.5 vs 0.9"."""
        return f"{_plain(self.low)} vs {_plain(self.high)}"


@dataclass(frozen=True)
class Drop:
    """A phase with and without one of its supplies (the ``{supply}`` of the key)."""

    def text(self) -> str:
        """The nudge in words: without the feature and with it."""
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
    # The key in plain words (label, meaning) where they differ from the fallback of
    # sim.model.vocabulary.key_term; a label may hold {role}, {phase} and {previous}.
    words: tuple[str, str] | None = None

    @property
    def mechanism_name(self) -> str:
        """The mechanism the lever works through, in words."""
        return MECHANISMS[self.mechanism]


# --------------------------------------------------------------------------- the registry

LEVERS: tuple[Lever, ...] = (
    # The dose of training: how many are trained, how much, who.
    Lever("programme.foundation.cohorts", "Foundation cohorts", "dose",
          "more cohorts train more staff", Absolute(-2), True, "foundation", app="cohorts",
          words=("Cohorts", "Foundation cohorts each training phase runs.")),
    Lever("programme.foundation.cohort_size", "Places per cohort", "dose",
          "more places train more staff", Relative(-0.5), True, "foundation",
          app="cohort_size",
          words=("Places per cohort", "Places in each cohort.")),
    Lever("programme.foundation.interval_months", "Months between cohorts", "dose",
          "cohorts further apart: later, and fewer within the phase", Absolute(1), True,
          "foundation",
          words=("Months between cohorts", "Between cohort starts.")),
    Lever("programme.foundation.attendance", "Attendance per session", "dose",
          "more sessions attended: more complete the training", Absolute(-0.2), True,
          "foundation",
          words=("Attendance", "Chance a participant attends a session.")),
    Lever("programme.foundation.sessions.*.days", "Training days (every session)", "dose",
          "more days of training (the days needed to complete move with them)",
          Relative(0.5), True, "foundation",
          scale_also=("programme.foundation.min_days_to_complete",)),
    Lever("programme.foundation.min_days_to_complete", "Days needed to count as trained",
          "dose", "fewer days needed: more count as trained", Relative(-0.4), True,
          "foundation_min_days"),
    Lever("programme.foundation.allocation", "Who fills the places", "dose",
          "mixed levels or whole teams (a team trained with its supervisor)",
          Values("mixed", "whole_teams"), True, "allocation_binds", app="allocation",
          words=("Who fills the places (mix)",
                 "mixed: every level in each cohort; senior_first; whole_teams; random.")),
    Lever("programme.foundation.offer_new_starters", "Places offered to new starters",
          "workforce", "staff who join later can be trained", Values(False, True), True,
          "foundation", app="offer_new_starters",
          words=("Places offered to new starters",
                 "Whether staff who joined after the programme began are offered places.")),
    Lever("programme.foundation.offer_agency", "Places offered to agency workers",
          "workforce", "agency workers covering vacancies can be trained",
          Values(False, True), True, "foundation_agency",
          words=("Places offered to agency workers",
                 "Whether agency workers covering vacancies are offered places.")),
    # Live mentoring, then group supervision in the team.
    Lever("programme.mentoring.months", "Months of live mentoring", "team_learning",
          "supervisors mentored for fewer months lead weaker groups (the dose of mentoring)",
          Absolute(-4), True, "mentoring",
          words=("Months of live mentoring", "")),
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
          True, "mentoring",
          words=("Mentoring for supervisors who join later",
                 "Whether supervisors who joined after the programme began are mentored.")),
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
          "champions", app="champions",
          words=("Champions", "Number of champions appointed.")),
    Lever("champions.replacement", "Champions replaced when they leave", "champions",
          "the group kept at its target", Values("none", "at_once"), True, "champions",
          app="replacement",
          words=("Champions who leave are replaced",
                 "none: never; at_once: straight away; yearly: topped up each year.")),
    Lever("champions.induction_places_per_champion_per_month",
          "Induction places per champion a month", "champions",
          "champions induct untrained new starters", Absolute(0.25), True, "champions",
          app="induction_places",
          words=("New starters each champion inducts a month",
                 "Champions' capacity to bring new starters into the practice.")),
    Lever("champions.workshops_per_year", "Champions' workshops a year", "champions",
          "workshops reinforce the staff who attend", Absolute(3), True,
          "champion_workshops",
          words=("Champion workshops a year", "")),
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
          "later_phase", app="phase2_after_months",
          words=("{phase} starts … months after {previous} ends",
                 "The gap before the phase: nothing external runs in it.")),
    Lever("programme.phases.{i}.months", "Months {phase} lasts", "calendar",
          "external support for longer", Absolute(12), True, "later_phase",
          app="phase2_months",
          words=("Length of {phase}", "Months the phase runs.")),
    Lever("programme.phases.{i}.foundation.cohorts", "Foundation cohorts in {phase}", "dose",
          "more cohorts in the phase train more staff", Absolute(-2), True,
          "phase_foundation", app="phase2_cohorts",
          words=("Cohorts in {phase}", "Foundation cohorts this phase runs.")),
    Lever("programme.phases.{i}.supplies", "{phase} supplies {supply}", "calendar",
          "the phase with or without this supply", Drop(), True, "later_phase",
          app="phase2_supplies",
          words=("What {phase} supplies", "What the external provider runs in it.")),
    # Practice: who engages, how it fades, what a session restores.
    Lever("practice.uptake", "Uptake after training", "engagement",
          "more of the trained take the practice up", Absolute(0.2), True, "anyone_trained",
          words=("Uptake after training", "Chance a trained person starts practising.")),
    Lever("practice.half_life_months", "Half-life of the practice (months)", "reinforcement",
          "the practice fades more slowly between reinforcements", Relative(0.5), True,
          "anyone_trained",
          words=("Months for practice to halve without support",
                 "How fast practice fades when nothing reinforces it.")),
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
          "recruits arrive trained", Absolute(0.2), True,
          words=("New starters arriving trained", "")),
    Lever("workforce.agency_cover", "Vacancies covered by agency workers", "workforce",
          "who covers vacancies (agency workers count only if offered training)",
          Absolute(0.2), False,
          words=("Vacancies covered by agency workers", "")),
    Lever("workforce.roles.*.turnover", "Turnover (every role)", "workforce",
          "leavers take their training with them", Relative(0.5), True,
          words=("Turnover: {role}", "Leavers per person-year (DfE definition).")),
    Lever("workforce.roles.*.hiring_delay_months", "Months a vacancy lasts (every role)",
          "workforce", "vacant posts hold no one who practises", Relative(0.5), True,
          words=("Time a post stays vacant: {role}",
                 "Mean months before a leaver's post is filled.")),
    # A workforce shock ([workforce.shock]): it works through turnover, hiring and posts,
    # so through the workforce's flows: leavers take their training with them, a freeze
    # leaves posts without anyone who practises, a cut leaves fewer staff to train.
    Lever("workforce.shock.turnover_points", "Turnover added by a shock", "workforce",
          "more leavers while it lasts take their training with them", Absolute(5.0), True,
          "shock", app="shock_turnover_points",
          words=("Shock: added turnover",
                 "Percentage points on every role's annual turnover while it lasts.")),
    Lever("workforce.shock.months", "Months a shock lasts", "workforce",
          "a longer spell of the shock's turnover, freeze or cut", Absolute(12), True,
          "shock", app="shock_months",
          words=("Shock: months", "How long the workforce shock lasts.")),
    Lever("workforce.shock.start_after_months", "When a shock begins", "workforce",
          "the shock meets the programme earlier or later", Absolute(12), True, "shock",
          app="shock_start_after_months",
          words=("Shock: start", "Months after the start that the shock begins.")),
    Lever("workforce.shock.hiring_freeze", "Recruitment freeze in a shock", "workforce",
          "vacant posts stay empty while it lasts: fewer staff to train and to practise",
          Values(False, True), True, "shock",
          app="shock_hiring_freeze",
          words=("Shock: recruitment freeze", "Whether no post is filled while it lasts.")),
    Lever("workforce.shock.posts_cut", "Share of posts a shock cuts", "workforce",
          "fewer posts: fewer staff to train, and cuts by attrition take leavers' posts",
          Absolute(0.1), True, "shock",
          app="shock_posts_cut",
          words=("Shock: posts cut", "Share of each role's posts cut when it begins.")),
    # The window measured, and prices.
    Lever("scenario.horizon_months", "Months simulated", "calendar",
          "a longer window to count practice in (not a change to the practice)",
          Absolute(12), False, app="horizon_months",
          words=("Horizon", "How long the run lasts.")),
    Lever("costs.provider_day_rate", "Provider's day rate", "cost", "prices only",
          Relative(0.5), False,
          words=("Provider day rate", "Cost of one external provider day.")),
    Lever("programme.foundation.trainers_per_session", "Trainers per training day", "cost",
          "provider days only", Relative(0.5), False, "foundation"),
    Lever("programme.mentoring.provider_days_per_session", "Provider days per mentoring session",
          "cost", "provider days only", Relative(0.5), False, "mentoring"),
    Lever("champions.meeting_days", "Staff days per champions' meeting", "cost",
          "staff time only", Relative(0.5), False, "champions"),
)  # fmt: skip


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    return str(value)


def lever_for(key: str, levers: tuple[Lever, ...] | None = None) -> Lever | None:
    """The registry's entry for a dotted key (patterns matched), or None."""
    for lever in LEVERS if levers is None else levers:
        pattern = re.escape(lever.key).replace(r"\*", r"[^.]+")
        pattern = re.sub(r"\\\{(i|group)\\\}", r"[^.]+", pattern)
        if re.fullmatch(pattern, key):
            return lever
    return None


def app_keys(levers: tuple[Lever, ...] | None = None) -> dict[str, str]:
    """The app's name of each lever it offers → the dotted key it sets (a later phase's
    pattern bound to the second phase, the only one the app moves).
    """
    return {
        lever.app: lever.key.replace("{i}", "1")
        for lever in (LEVERS if levers is None else levers)
        if lever.app
    }
