"""The programme's part of the schema: phases, what they supply, and its designs.

A phase runs foundation cohorts, live mentoring, champion supervision, clinician
consultation and provider-run groups; each has one design here, which a phase may override
(foundation only). :func:`phase_dates` resolves phases given relative to the previous one.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from .base import (
    FrozenDict,
    Months,
    Name,
    NonNegative,
    Share,
    _Frozen,
    capped,
    count,
    is_date,
)
from .clock import add_months
from .limits import (
    MAX_COHORT_SIZE,
    MAX_COHORTS,
    MAX_MONTHS,
    MAX_PHASES,
    MAX_PLACES,
    MAX_POSTS,
    MAX_ROLES,
    MAX_SESSION_DAYS,
    MAX_SESSIONS,
)

SUPPLIES = ("foundation", "mentoring", "champion_supervision", "consultation")
ALLOCATION_POLICIES = ("mixed", "senior_first", "whole_teams", "random")
REPLACEMENT_POLICIES = ("none", "at_once", "yearly")


class Session(_Frozen):
    """One block of training days within a cohort."""

    after_months: Months = Field(description="Months after the cohort starts.")
    days: float = Field(gt=0, le=MAX_SESSION_DAYS, description="Training days in this block.")


class Foundation(_Frozen):
    """The foundation cohort design that a phase supplying ``foundation`` runs."""

    cohorts: count(MAX_COHORTS) = Field(
        0,
        description="Cohorts each phase supplying foundation runs (a cohort that would start "
        "after the phase ends does not run).",
    )
    cohort_size: count(MAX_COHORT_SIZE, low=1) = Field(1, description="Places per cohort.")
    interval_months: Months = Field(
        3.0, description="Months between the starts of successive cohorts."
    )
    attendance: Share = Field(1.0, description="Probability a participant attends a session.")
    sessions: tuple[Session, ...] = Field(
        (Session(after_months=0, days=1),),
        min_length=1,
        max_length=MAX_SESSIONS,
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
        None,
        ge=1,
        le=MAX_COHORTS,
        description="Trainer capacity: cohorts in training at once (default: no limit).",
    )
    trainers_per_session: NonNegative = Field(
        2.0, description="Provider days per training day delivered."
    )

    @property
    def total_days(self) -> float:
        """Days of all the course's sessions."""
        return sum(s.days for s in self.sessions)

    @property
    def days_to_complete(self) -> float:
        """Days a person must attend to complete (all of them unless a minimum is set)."""
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

    cohorts: int | None = Field(None, ge=0, le=MAX_COHORTS)
    cohort_size: int | None = Field(None, ge=1, le=MAX_COHORT_SIZE)
    interval_months: Months | None = None
    attendance: Share | None = None
    sessions: tuple[Session, ...] | None = Field(None, min_length=1, max_length=MAX_SESSIONS)
    min_days_to_complete: NonNegative | None = None
    allocation: Literal["mixed", "senior_first", "whole_teams", "random"] | None = None
    offer_new_starters: bool | None = None
    offer_agency: bool | None = None
    max_concurrent_cohorts: int | None = Field(None, ge=1, le=MAX_COHORTS)
    trainers_per_session: NonNegative | None = None


class Mentoring(_Frozen):
    """Live mentoring of trained supervisors, then supported group supervision."""

    group_size: count(MAX_POSTS, low=1) = Field(6, description="Supervisors per mentoring group.")
    dose_half_sessions: NonNegative = Field(
        0.0,
        description="Live mentoring sessions that take a supervisor half way from "
        "group_supervision.unmentored_strength to group_supervision.strength: k sessions give "
        "k / (k + dose_half_sessions) of the way. 0 = one session gives the full strength.",
    )
    months: count(MAX_MONTHS) = Field(6, description="Monthly mentoring sessions per group.")
    supported_months: count(MAX_MONTHS) = Field(
        12,
        description="Months from the first mentoring session during which the supervisor's "
        "group supervision is supported (reinforcing the supervisor monthly).",
    )
    max_groups: int | None = Field(
        None,
        ge=1,
        le=MAX_POSTS,
        description="Mentoring groups running at once (default: no limit).",
    )
    provider_days_per_session: NonNegative = Field(
        1.0, description="Provider days per mentoring group session."
    )
    provider_days_per_supported_team_month: NonNegative = Field(
        0.0, description="Provider days per team per month of support after mentoring ends."
    )
    staff_days_per_session: NonNegative = Field(
        0.5,
        description="Staff days each supervisor spends at a mentoring session "
        "(costed at each person's day cost; an assumption).",
    )
    begins: Literal["after_training", "with_training"] = Field(
        "after_training",
        description="When a supervisor can join a mentoring group: once they have completed "
        "foundation training (after_training), or from their cohort's first session "
        "(with_training: Camden's live mentoring ran alongside the five days).",
    )
    strength: Share | None = Field(
        None,
        description=(
            "Share of the gap to full level a mentoring session or a month of supported "
            "supervision restores for the supervisor (default: practice.reinforcement)."
        ),
    )
    offer_new_starters: bool = Field(
        True,
        description="Whether supervisors who joined after the programme began are mentored "
        "(false: only those in post at its start, Camden's 'newly recruited staff did not "
        "receive the additional offer').",
    )


class GroupSupervision(_Frozen):
    """The monthly group supervision a mentored, practising supervisor runs for their team."""

    interval_months: count(MAX_MONTHS, low=1) = Field(1, description="Months between sessions.")
    strength: Share | None = Field(
        None,
        description=(
            "Share of the gap to full level a session restores for each team member of a "
            "mentored supervisor (default: practice.reinforcement)."
        ),
    )
    unmentored_strength: Share = Field(
        0.0,
        description="Strength of group supervision led by a practising supervisor whom the "
        "provider never mentored (inducted, or trained later): 0 = such supervisors do not "
        "lead group supervision, as before mentoring reaches them.",
    )
    supervisor_reinforcement: Share = Field(
        0.0,
        description="Share of the gap to full level that running a session restores for "
        "the supervisor themselves (0 = only external support keeps supervisors going).",
    )
    staff_days_per_session: NonNegative = Field(
        0.25,
        description="Staff days each team member and the supervisor spend at a session "
        "(costed at each person's day cost; an assumption).",
    )


class ChampionSupervision(_Frozen):
    """External supervision of the champion group while a phase supplies it."""

    interval_months: count(MAX_MONTHS, low=1) = Field(2, description="Months between sessions.")
    strength: Share | None = Field(
        None,
        description=(
            "Share of the gap to full level a session restores for each champion (their "
            "level also sets the quality of the workshops and inductions they run) "
            "(default: practice.reinforcement)."
        ),
    )
    provider_days_per_session: NonNegative = Field(1.0, description="Provider days per session.")
    staff_days_per_session: NonNegative = Field(
        0.25,
        description="Staff days each champion spends at a session "
        "(costed at each person's day cost; an assumption).",
    )


class Consultation(_Frozen):
    """Embedded clinicians (Havering-style) who reinforce team members by consultation."""

    clinician_role: str | None = Field(
        None, description="Workforce role of the clinicians giving consultations."
    )
    sessions_per_clinician_per_month: capped(MAX_PLACES) = Field(
        0.0, description="Consultations each clinician in post gives per month."
    )
    strength: Share | None = Field(
        None,
        description=(
            "Share of the gap to full level a consultation restores for the team member "
            "consulted (default: practice.reinforcement)."
        ),
    )
    staff_days_per_session: NonNegative = Field(
        0.125,
        description="Staff days a team member spends in one consultation "
        "(costed at each person's day cost; an assumption).",
    )


class Group(_Frozen):
    """A provider-run group (e.g. team managers, senior leaders) that reinforces its members."""

    roles: tuple[str, ...] = Field(
        min_length=1, max_length=MAX_ROLES, description="Roles whose members attend."
    )
    interval_months: count(MAX_MONTHS, low=1) = Field(2, description="Months between sessions.")
    strength: Share | None = Field(
        None,
        description=(
            "Share of the gap to full level a session restores for each member (default: "
            "practice.reinforcement)."
        ),
    )
    provider_days_per_session: NonNegative = Field(
        1.0, description="Provider days per session (charged only when someone attends)."
    )
    staff_days_per_session: NonNegative = Field(
        0.25,
        description="Staff days each member in post spends at a session "
        "(costed at each person's day cost; an assumption).",
    )


class Phase(_Frozen):
    """A funded period of external provision.

    Its dates are given either as ``start``/``end`` or relative to the previous phase:
    ``start_after_months`` (the gap before it) and ``months`` (its length), so that moving one
    phase moves what depends on it. :meth:`Scenario.phase_dates` resolves them.
    """

    name: Name = Field(min_length=1, description="Name shown in reports.")
    start: date | None = Field(
        None, description="First day of the phase (or give start_after_months)."
    )
    start_after_months: int | None = Field(
        None,
        ge=0,
        le=MAX_MONTHS,
        description="Whole months after the previous phase ends (the first phase: after "
        "scenario.start) that this phase starts, instead of start: the gap before it.",
    )
    end: date | None = Field(None, description="Last day of the phase (or give months).")
    months: int | None = Field(
        None, ge=1, le=MAX_MONTHS, description="Length in whole months, instead of end."
    )
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
        (),
        max_length=MAX_PHASES,
        description="Funded phases, in date order; empty = the do-nothing strategy.",
    )
    foundation: Foundation = Field(default_factory=Foundation)
    mentoring: Mentoring = Field(default_factory=Mentoring)
    group_supervision: GroupSupervision = Field(default_factory=GroupSupervision)
    champion_supervision: ChampionSupervision = Field(default_factory=ChampionSupervision)
    consultation: Consultation = Field(default_factory=Consultation)
    groups: Annotated[dict[str, Group], AfterValidator(FrozenDict)] = Field(
        default_factory=dict,
        max_length=MAX_ROLES,
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


def phase_dates(start: date, phases: Any) -> list[tuple[date, date] | None]:
    """The first and last day of each phase, from its dates or from the previous phase.

    ``start_after_months`` counts from the day after the previous phase's end (the first
    phase: from ``start``); ``months`` gives the last day as the day before the same day
    that many months on. An entry is None when the phase's dates cannot be worked out
    (raw data not yet validated: a date with a time of day, or months beyond the calendar).
    """
    resolved: list[tuple[date, date] | None] = []
    anchor: date | None = start
    for phase in phases:
        get = phase.get if isinstance(phase, dict) else lambda key, p=phase: getattr(p, key, None)
        begins, ends = get("start"), get("end")
        after, months = get("start_after_months"), get("months")
        try:
            if begins is None and isinstance(after, int) and anchor is not None:
                begins = add_months(anchor, after)
            if ends is None and isinstance(months, int) and is_date(begins):
                ends = add_months(begins, months) - timedelta(days=1)
        except (ValueError, OverflowError):  # beyond the year 9999
            begins = ends = None
        if is_date(begins) and is_date(ends):
            resolved.append((begins, ends))
            anchor = ends + timedelta(days=1)
        else:
            resolved.append(None)
            anchor = None
    return resolved
