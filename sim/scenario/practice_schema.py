"""How practice is taken up and kept, champions, costs, measures and sources.

Tables of :class:`sim.scenario.schema.Scenario`, kept apart so that each module holds one
idea; :mod:`sim.scenario.schema` re-exports them.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import (
    Field,
    field_validator,
)

from .base import (
    NonNegative,
    Share,
    _Frozen,
    capped,
    count,
)
from .limits import (
    MAX_MONTHS,
    MAX_PLACES,
    MAX_POSTS,
    MAX_RATE,
)

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
        The one formula the model, ``rollout validate`` and the docs' picture use.
        """
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
