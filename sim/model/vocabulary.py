"""Plain words for every measure and every scenario key a planner touches, defined once.

Each measure (monthly and per replication, :mod:`sim.model.measures`) and each key gets a
:class:`Term`: a label for tables and charts, a unit, and a one-line explanation. Tables,
pictures, the terminal, the web app and the board report all take their words from here;
raw names stay in CSV headers, where scripts read them. Values are written in one style
(:mod:`sim.scenario.formats`): shares "74%", differences of shares "+2.1 percentage points",
counts "1,234", money "£1,234".

The words sit beside the measures' names on the model floor, so that the experiments' own
results (their ``repr`` in a notebook) can use them as well as the floors above.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..scenario import formats
from ..scenario.reference_text import UNITS
from .measures import BOOLEAN_SUMMARY, WAIT_MONTHS, is_common_clock, is_strategy_relative

# Kinds of value, which decide how a value and a difference are written.
SHARE = "share"  # of permanent staff in post, 0-1
YES_NO = "yes/no"  # true or false in each future; its mean is a share of futures
COUNT = "count"  # people, person-months, days
MONEY = "money"  # GBP
MONTHS = "months"
NUMBER = "number"


@dataclass(frozen=True)
class Term:
    """A label, a unit and a one-line explanation; ``kind`` says how values are written."""

    label: str
    unit: str
    meaning: str
    kind: str = NUMBER


# --------------------------------------------------------------------------- monthly measures

MONTHLY_TERMS: dict[str, Term] = {
    "headcount": Term("Staff in post", "people", "Permanent staff in post.", COUNT),
    "vacancies": Term(
        "Vacant posts", "posts", "Posts without a permanent holder (agency-covered or not).", COUNT
    ),
    "agency": Term("Agency workers", "people", "Agency workers covering vacant posts.", COUNT),
    "starters": Term("Joiners", "people", "Permanent staff who joined that month.", COUNT),
    "leavers": Term("Leavers", "people", "Permanent staff who left that month.", COUNT),
    "trained": Term(
        "Staff trained",
        "people",
        "Permanent staff in post who completed foundation training or a champion induction.",
        COUNT,
    ),
    "inducted": Term(
        "Staff inducted by champions",
        "people",
        "Trained staff whose training was a champion induction.",
        COUNT,
    ),
    "coverage": Term(
        "Trained (coverage)",
        "share of staff",
        "Share of permanent staff in post who are trained.",
        SHARE,
    ),
    "practising": Term(
        "Staff practising", "people", "Permanent staff in post who practise the model.", COUNT
    ),
    "practising_share": Term(
        "Practising",
        "share of staff",
        "Share of permanent staff in post whose practice is still alive (above the threshold).",
        SHARE,
    ),
    "teams_supervising": Term(
        "Teams with group supervision",
        "teams",
        "Teams whose supervisor is in post, mentored and practising.",
        COUNT,
    ),
    "champions": Term("Active champions", "people", "Champions in post and active.", COUNT),
    "waiting": Term(
        "Waiting for a place", "people", "Untrained staff for whom a place is still to come.", COUNT
    ),
    "in_training": Term("In training", "people", "Staff in a cohort that has not finished.", COUNT),
    "training_days": Term("Training days", "staff days", "Staff days spent in training.", COUNT),
    "provider_days": Term("Provider days", "days", "Days of the external provider's time.", COUNT),
    "cost": Term("Cost", "GBP", "Provider days and every staff day of the programme.", MONEY),
    "completed": Term(
        "People completing training", "people", "People who completed foundation training.", COUNT
    ),
    "activity_days": Term(
        "Practice activity days",
        "staff days",
        "Staff days in mentoring, supervision, groups, consultation and champion work.",
        COUNT,
    ),
    "practising_untrained": Term(
        "Practising without training",
        "people",
        "Staff who took the practice up in their team's group supervision without "
        "completing training or an induction.",
        COUNT,
    ),
}

# --------------------------------------------------------------------------- per-replication

SUMMARY_TERMS: dict[str, Term] = {
    "coverage_horizon": Term(
        "Trained at the end", "share of staff", "Share of staff trained in the last month.", SHARE
    ),
    "practising_share_horizon": Term(
        "Practising at the end",
        "share of staff",
        "Share of staff practising in the last month.",
        SHARE,
    ),
    "coverage_months": Term(
        "Coverage-months",
        "share × months",
        "The share trained, added up over every month of the run.",
        NUMBER,
    ),
    "practising_share_months": Term(
        "Practice-share-months",
        "share × months",
        "The share practising, added up over every month of the run.",
        NUMBER,
    ),
    "practising_person_months": Term(
        "Practising person-months",
        "person-months",
        "Staff practising, added up over every month of the run (the whole run, so the same "
        "dates for every strategy).",
        COUNT,
    ),
    "months_to_50_coverage": Term(
        "Months to 50% trained", "months", "Months until half of staff are trained.", MONTHS
    ),
    "months_to_80_coverage": Term(
        "Months to 80% trained", "months", "Months until 80% of staff are trained.", MONTHS
    ),
    "champions_alive_horizon": Term(
        "Champion group still working at the end",
        "share of futures",
        "Futures in which enough champions are active in the last month for the group to meet.",
        YES_NO,
    ),
    "new_starters": Term(
        "New starters", "people", "Permanent staff who joined after the first phase began.", COUNT
    ),
    "new_starters_offered_place": Term(
        "New starters offered a place",
        "people",
        "New starters offered a training or induction place.",
        COUNT,
    ),
    "new_starters_never_offered": Term(
        "New starters never offered a place",
        "share of new starters",
        "New starters never offered a place before the end of the run or their leaving.",
        SHARE,
    ),
    **{
        f"new_starters_offered_within_{m}_months": Term(
            f"New starters offered a place within {m} months",
            "share of new starters",
            f"Share of new starters offered a training or induction place within {m} months "
            "of joining.",
            SHARE,
        )
        for m in WAIT_MONTHS
    },
    "median_wait_new_starters_months": Term(
        "New starters' median wait",
        "months",
        "Median months from joining to an offer (those never offered count as still waiting).",
        MONTHS,
    ),
    "mean_wait_offered_months": Term(
        "Mean wait of those offered", "months", "Mean months from joining to an offer.", MONTHS
    ),
    "total_completed": Term(
        "People trained", "people", "People who completed foundation training.", COUNT
    ),
    "total_training_days": Term(
        "Staff training days", "staff days", "Staff days spent in training.", COUNT
    ),
    "total_activity_days": Term(
        "Staff days in supervision and groups",
        "staff days",
        "Staff days in mentoring, supervision, groups, consultation and champion work.",
        COUNT,
    ),
    "total_provider_days": Term(
        "Provider days", "days", "Days of the external provider's time.", COUNT
    ),
    "total_cost": Term(
        "Total cost", "GBP", "Provider days and every staff day of the programme.", MONEY
    ),
    "cost_per_practising_month": Term(
        "Cost per practising person-month", "GBP", "Total cost ÷ practising person-months.", MONEY
    ),
    "net_benefit": Term(
        "Net benefit",
        "GBP",
        "The value put on a practising person-month × practising person-months − total cost.",
        MONEY,
    ),
    "sustained": Term(
        "Coverage sustained after the last phase",
        "share of futures",
        "Futures in which coverage is at or above the target a set time after the last phase "
        "ends (judged at the strategy's own date).",
        YES_NO,
    ),
}

_CLOCK = re.compile(r"(coverage|practising_share)_m(\d+)")
_PHASE = re.compile(r"(completed_phase|coverage_end_phase|practising_share_end_phase)_(\d+)")
_GAP = re.compile(r"min_coverage_gap_(\d+)")


def _phase_name(scenario: Any, number: int) -> str:
    """The name of phase ``number`` (from 1), from the scenario when it is known."""
    phases = getattr(getattr(scenario, "programme", None), "phases", ())
    if 1 <= number <= len(phases):
        return phases[number - 1].name
    return f"phase {number}"


def measure_term(name: str, scenario: Any = None) -> Term:
    """The words for a measure (monthly or per replication); ``scenario`` names its phases.

    An unknown name (an uncertain key's draw, a label) gets itself as its label.
    """
    if name in SUMMARY_TERMS:
        return SUMMARY_TERMS[name]
    if name in MONTHLY_TERMS:
        return MONTHLY_TERMS[name]
    if match := _CLOCK.fullmatch(name):
        month = int(match.group(2))
        years = f" ({month // 12} year{'s' if month != 12 else ''})" if month % 12 == 0 else ""
        what = "Trained" if match.group(1) == "coverage" else "Practising"
        return Term(
            f"{what} at month {month}",
            "share of staff",
            f"Share of permanent staff {what.lower()} {month} months{years} after the start: "
            "the same date for every strategy.",
            SHARE,
        )
    if match := _PHASE.fullmatch(name):
        phase = _phase_name(scenario, int(match.group(2)))
        if match.group(1) == "completed_phase":
            return Term(
                f"People trained in {phase}",
                "people",
                f"People who completed foundation training during {phase}.",
                COUNT,
            )
        what = "Trained" if match.group(1) == "coverage_end_phase" else "Practising"
        return Term(
            f"{what} at the end of {phase}",
            "share of staff",
            f"Share of staff {what.lower()} when {phase} ends (a date that moves with the "
            "strategy's phases).",
            SHARE,
        )
    if match := _GAP.fullmatch(name):
        number = int(match.group(1))
        before, after = _phase_name(scenario, number), _phase_name(scenario, number + 1)
        return Term(
            f"Lowest coverage between {before} and {after}",
            "share of staff",
            f"The lowest share trained in the gap after {before} ends and before {after} "
            "starts (empty when they adjoin).",
            SHARE,
        )
    if name.endswith("_discounted"):  # a comparison's total at measures.discount_rate
        term = measure_term(name.removesuffix("_discounted"), scenario)
        return Term(
            f"{term.label} (discounted)",
            term.unit,
            f"{term.meaning} Later months weigh less, at measures.discount_rate a year.",
            term.kind,
        )
    if "." in name:  # an [uncertainty] key's draw, named by its dotted path
        term = key_term(name, scenario)
        return Term(
            f"{term.label}: this future's draw",
            term.unit or "value",
            "The value drawn for this future from the scenario's [uncertainty] table.",
            NUMBER,
        )
    return Term(name, "", "", NUMBER)


def measure_label(name: str, scenario: Any = None) -> str:
    """A measure's label, marked when it is judged at the strategy's own dates."""
    label = measure_term(name, scenario).label
    return f"{label} (own dates)" if is_strategy_relative(name) else label


def is_share(name: str) -> bool:
    """Whether a measure is a share of staff or of futures (written as a percentage)."""
    return measure_term(name).kind in (SHARE, YES_NO)


def value_text(name: str, x: float) -> str:
    """A measure's value as people read it: "74%", "1,234", "£1,234", "14.5"."""
    kind = measure_term(name).kind
    if kind in (SHARE, YES_NO):
        return formats.percent(x)
    if kind == COUNT:
        return formats.count(x)
    if kind == MONEY:
        return formats.money(x)
    return formats.number(x)


def difference_text(name: str, x: float, short: bool = False) -> str:
    """A difference of a measure: "+2.1 percentage points", "+1,234", "+£1,234", "-0.5"."""
    kind = measure_term(name).kind
    if kind in (SHARE, YES_NO):
        return formats.points(x, short=short)
    if kind == COUNT:
        return formats.count(x, signed=True)
    if kind == MONEY:
        return formats.money(x, signed=True)
    return formats.number(x, signed=True)


# The measures a comparison shows first (all of them are in comparison.csv): the common clock
# and totals over the whole run; then the strategy-relative ones, under their own heading.
KEY_TOTALS = (
    "practising_person_months",
    "coverage_months",
    "months_to_50_coverage",
    "months_to_80_coverage",
    "champions_alive_horizon",
    "new_starters_offered_within_12_months",
    "new_starters_never_offered",
    "total_completed",
    "total_cost",
    "cost_per_practising_month",
)
KEY_STRATEGY_RELATIVE = ("sustained", "min_coverage_gap_1")


def key_measures(names: Sequence[str]) -> tuple[list[str], list[str]]:
    """The measures to show, in order: on the common clock and totals; strategy-relative."""
    present = set(names)
    clock = [m for m in names if is_common_clock(m)]
    clock = sorted(clock, key=lambda m: (int(m.rsplit("_m", 1)[1]), not m.startswith("cov")))
    totals = [t for m in KEY_TOTALS for t in (m, f"{m}_discounted")]
    common = clock + [m for m in totals if m in present]
    relative = [m for m in KEY_STRATEGY_RELATIVE if m in present]
    return common, relative


def is_yes_no(name: str) -> bool:
    return name in BOOLEAN_SUMMARY


# --------------------------------------------------------------------------- scenario keys

_ROLE = r"workforce\.roles\.([A-Za-z0-9_\-]+)\."
_PHASE_KEY = r"programme\.phases\.(\d+)\."

# Keys a planner touches, by dotted path (a pattern where a name or index varies). Labels
# holding {phase}, {previous} or {role} are filled from the scenario.
_KEY_TERMS: tuple[tuple[str, str, str], ...] = (
    ("scenario.start", "Start date", "First day of the run: month 0."),
    ("scenario.horizon_months", "Horizon", "How long the run lasts."),
    ("workforce.initial_trained_fraction", "Already trained at the start", ""),
    ("workforce.recruits_trained_fraction", "New starters arriving trained", ""),
    ("workforce.agency_cover", "Vacancies covered by agency workers", ""),
    (_ROLE + "posts", "Posts: {role}", "Permanent posts of this role."),
    (_ROLE + "turnover", "Turnover: {role}", "Leavers per person-year (DfE definition)."),
    (
        _ROLE + "hiring_delay_months",
        "Time a post stays vacant: {role}",
        "Mean months before a leaver's post is filled.",
    ),
    ("practice.uptake", "Uptake after training", "Chance a trained person starts practising."),
    (
        "practice.half_life_months",
        "Months for practice to halve without support",
        "How fast practice fades when nothing reinforces it.",
    ),
    ("programme.foundation.cohorts", "Cohorts", "Foundation cohorts each training phase runs."),
    ("programme.foundation.cohort_size", "Places per cohort", "Places in each cohort."),
    ("programme.foundation.interval_months", "Months between cohorts", "Between cohort starts."),
    ("programme.foundation.attendance", "Attendance", "Chance a participant attends a session."),
    (
        "programme.foundation.allocation",
        "Who fills the places (mix)",
        "mixed: every level in each cohort; senior_first; whole_teams; random.",
    ),
    (
        "programme.foundation.offer_new_starters",
        "Places offered to new starters",
        "Whether staff who joined after the programme began are offered places.",
    ),
    (
        "programme.foundation.offer_agency",
        "Places offered to agency workers",
        "Whether agency workers covering vacancies are offered places.",
    ),
    (
        _PHASE_KEY + "foundation.cohorts",
        "Cohorts in {phase}",
        "Foundation cohorts this phase runs.",
    ),
    (_PHASE_KEY + "foundation.cohort_size", "Places per cohort in {phase}", ""),
    (_PHASE_KEY + "foundation.offer_new_starters", "{phase} offers places to new starters", ""),
    (
        _PHASE_KEY + "start_after_months",
        "{phase} starts … months after {previous} ends",
        "The gap before the phase: nothing external runs in it.",
    ),
    (_PHASE_KEY + "months", "Length of {phase}", "Months the phase runs."),
    (_PHASE_KEY + "start", "{phase} starts on", "First day of the phase."),
    (_PHASE_KEY + "end", "{phase} ends on", "Last day of the phase."),
    (_PHASE_KEY + "supplies", "What {phase} supplies", "What the external provider runs in it."),
    (
        "programme.mentoring.offer_new_starters",
        "Mentoring for supervisors who join later",
        "Whether supervisors who joined after the programme began are mentored.",
    ),
    ("programme.mentoring.months", "Months of live mentoring", ""),
    ("champions.target", "Champions", "Number of champions appointed."),
    (
        "champions.induction_places_per_champion_per_month",
        "New starters each champion inducts a month",
        "Champions' capacity to bring new starters into the practice.",
    ),
    (
        "champions.replacement",
        "Champions who leave are replaced",
        "none: never; at_once: straight away; yearly: topped up each year.",
    ),
    ("champions.workshops_per_year", "Champion workshops a year", ""),
    ("champions.appoint_from", "Champions appointed from", ""),
    ("costs.provider_day_rate", "Provider day rate", "Cost of one external provider day."),
)
_KEY_PATTERNS = [(re.compile(p), label, meaning) for p, label, meaning in _KEY_TERMS]


def _humane(word: str) -> str:
    return word.replace("_", " ")


def key_term(key: str, scenario: Any = None) -> Term:
    """The words for a scenario key (a dotted path); ``scenario`` names phases and roles."""
    last = key.rsplit(".", 1)[-1]
    unit = UNITS.get(last, "")
    for pattern, label, meaning in _KEY_PATTERNS:
        match = pattern.fullmatch(key)
        if not match:
            continue
        fill: dict[str, str] = {}
        if "{role}" in label:
            fill["role"] = _humane(match.group(1))
        if "{phase}" in label:
            index = int(match.group(1))
            fill["phase"] = _phase_name(scenario, index + 1)
            fill["previous"] = (
                _phase_name(scenario, index) if index >= 1 else "the start of the scenario"
            )
        return Term(label.format(**fill), unit, meaning)
    parts = [p for p in key.split(".") if not p.isdigit()]
    if len(parts) >= 2 and parts[-2] not in ("scenario", "workforce", "practice", "champions"):
        return Term(f"{_humane(parts[-1])} of {_humane(parts[-2])}".capitalize(), unit, "")
    return Term(_humane(parts[-1]).capitalize(), unit, "")


def key_label(key: str, scenario: Any = None) -> str:
    """A key's label with its unit when the label does not already carry it."""
    term = key_term(key, scenario)
    if "…" in term.label or not term.unit or term.unit in term.label.lower():
        return term.label
    return f"{term.label} ({term.unit})"


def key_value_text(key: str, value: Any, scenario: Any = None) -> str:
    """A key set to a value in words: "Phase 2 starts 6 months after Phase 1 ends"."""
    term = key_term(key, scenario)
    shown = plain_value(value)
    if "…" in term.label:
        return term.label.replace("…", shown)
    unit = f" {term.unit}" if term.unit and isinstance(value, int | float) else ""
    if term.unit in ("share", "probability") and isinstance(value, int | float):
        shown, unit = formats.percent(value), ""
    return f"{term.label}: {shown}{unit}"


def plain_value(value: Any) -> str:
    """A key's value as text: dates ISO, whole floats without decimals, lists joined."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(plain_value(v) for v in value) or "nothing"
    return f"{value}"


def glossary() -> dict[str, str]:
    """Words used across tables and pictures that need saying once."""
    return {
        "future": "one replication: one possible run of who joins and leaves, and when",
        "95% interval": "the range that holds the mean across futures with 95% confidence",
        "percentage points": "the difference between two percentages (74% and 76% differ "
        "by 2 percentage points)",
        "common clock": "the same calendar dates for every strategy (months from the start)",
        "own dates": "judged at a date set by the strategy's own phases, so not comparable "
        "in time between strategies",
        "better / worse": "the share of futures in which a strategy beats / trails the first",
    }
