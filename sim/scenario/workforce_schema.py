"""The scenario's own name and dates, and its workforce: roles, posts, turnover, hiring.

Tables of :class:`sim.scenario.schema.Scenario`, kept apart so that each module holds one
idea; :mod:`sim.scenario.schema` re-exports them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import (
    AfterValidator,
    Field,
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
)
from .limits import (
    MAX_HORIZON_MONTHS,
    MAX_POSTS,
    MAX_RATE,
    MAX_ROLES,
)
from .paths_schema import OverTime, Shock
from .roster_schema import RosterPost

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

    over_time: OverTime | None = Field(
        None,
        description="How posts, turnover, hiring delay and agency cover change over time "
        "(dated points). Absent: every role keeps its constants for the whole run.",
    )
    shock: Shock | None = Field(
        None,
        description="A workforce shock: turnover up, a recruitment freeze or posts cut for "
        "a spell. Absent: none.",
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
        factors = [p.posts_factor for p in self.over_time.points] if self.over_time else []
        grown = round(posts * max(factors, default=1.0))
        if grown > MAX_POSTS:
            raise ValueError(
                f"workforce.over_time grows the roles' {posts:,} posts to {grown:,}; "
                f"at most {MAX_POSTS:,} can run"
            )
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
