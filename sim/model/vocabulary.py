"""Plain words for every measure and every scenario key a planner touches, defined once.

Each measure (monthly and per replication, with its words in :mod:`sim.model.registry`)
and each key (a lever's words in :mod:`sim.scenario.lever_registry`) gets a :class:`Term`:
a label for tables and charts, a unit, and a one-line explanation. Tables, pictures, the
terminal, the web app and the board report all take their words from here; raw names stay
in CSV headers, where scripts read them. Values are written in one style
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
from ..scenario.lever_registry import LEVERS, Lever
from ..scenario.reference_text import SAID, UNITS
from .measures import BOOLEAN_SUMMARY, is_common_clock, is_strategy_relative
from .registry import COUNT, MONEY, NUMBER, REGISTRY, SHARE, YES_NO, Measure, Registry


@dataclass(frozen=True)
class Term:
    """A label, a unit and a one-line explanation; ``kind`` says how values are written."""

    label: str
    unit: str
    meaning: str
    kind: str = NUMBER


def _term(measure: Measure) -> Term:
    return Term(measure.label, measure.unit, measure.meaning, measure.shown)


def monthly_terms(registry: Registry = REGISTRY) -> dict[str, Term]:
    """The words of every monthly measure, in the registry's order."""
    return {name: _term(registry.by_name[name]) for name in registry.monthly}


def summary_terms(registry: Registry = REGISTRY) -> dict[str, Term]:
    """The words of every per-replication measure of fixed name (and of the decisions')."""
    return {m.name: _term(m) for m in registry.measures if not m.monthly and not m.per}


MONTHLY_TERMS = monthly_terms()
SUMMARY_TERMS = summary_terms()


def _phase_name(scenario: Any, number: int) -> str:
    """The name of phase ``number`` (from 1), from the scenario when it is known."""
    phases = getattr(getattr(scenario, "programme", None), "phases", ())
    if 1 <= number <= len(phases):
        return phases[number - 1].name
    return f"phase {number}"


def measure_term(name: str, scenario: Any = None, registry: Registry = REGISTRY) -> Term:
    """The words for a measure (monthly or per replication); ``scenario`` names its phases.

    An unknown name (an uncertain key's draw, a label) gets itself as its label.
    """
    found = registry.words(name, lambda number: _phase_name(scenario, number))
    if found is not None:
        measure, label, meaning = found
        return Term(label, measure.unit, meaning, measure.shown)
    if name.endswith("_discounted"):  # a comparison's total at measures.discount_rate
        term = measure_term(name.removesuffix("_discounted"), scenario, registry)
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
    """Whether ``name`` is true or false in each future."""
    return name in BOOLEAN_SUMMARY


# --------------------------------------------------------------------------- scenario keys

_ROLE = r"workforce\.roles\.([A-Za-z0-9_\-]+)\."
_PHASE_KEY = r"programme\.phases\.(\d+)\."

# Keys a planner touches that are not levers, by dotted path (a pattern where a name or
# index varies). The levers' own words are in their registry entries
# (sim.scenario.lever_registry, ``words``). Labels holding {phase}, {previous} or {role}
# are filled from the scenario.
_OTHER_KEYS: tuple[tuple[str, str, str], ...] = (
    ("scenario.start", "Start date", "First day of the run: month 0."),
    ("workforce.initial_trained_fraction", "Already trained at the start", ""),
    (_ROLE + "posts", "Posts: {role}", "Permanent posts of this role."),
    (_PHASE_KEY + "foundation.cohort_size", "Places per cohort in {phase}", ""),
    (_PHASE_KEY + "foundation.offer_new_starters", "{phase} offers places to new starters", ""),
    (_PHASE_KEY + "start", "{phase} starts on", "First day of the phase."),
    (_PHASE_KEY + "end", "{phase} ends on", "Last day of the phase."),
    ("champions.appoint_from", "Champions appointed from", ""),
    (
        "workforce.shock.restore",
        "Shock: posts cut restored at its end",
        "Whether the posts the shock cut are opened again (vacant) when it ends.",
    ),
)


def _key_pattern(lever_key: str) -> str:
    """A lever's key as a regular expression: a role's ``*``, a phase's ``{i}`` and a
    group's ``{group}`` each one group.
    """
    pattern = re.escape(lever_key)
    pattern = pattern.replace(r"roles\.\*", r"roles\.([A-Za-z0-9_\-]+)")
    pattern = pattern.replace(r"\*", r"[^.]+").replace(r"\{i\}", r"(\d+)")
    return pattern.replace(r"\{group\}", r"([^.]+)")


def key_patterns(levers: Sequence[Lever] = LEVERS) -> list[tuple[re.Pattern, str, str]]:
    """Every key with words: the levers' (from their registry entries), then the others."""
    table = [(_key_pattern(v.key), *v.words) for v in levers if v.words is not None]
    return [(re.compile(p), label, meaning) for p, label, meaning in [*table, *_OTHER_KEYS]]


_KEY_PATTERNS = key_patterns()


def _humane(word: str) -> str:
    return word.replace("_", " ")


def key_term(key: str, scenario: Any = None, levers: Sequence[Lever] | None = None) -> Term:
    """The words for a scenario key (a dotted path); ``scenario`` names phases and roles;
    ``levers`` (the registry's unless given) say the levers' words.
    """
    last = key.rsplit(".", 1)[-1]
    unit = UNITS.get(last, "")
    for pattern, label, meaning in _KEY_PATTERNS if levers is None else key_patterns(levers):
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
    """A key set to a value in words: "Phase 2 starts 6 months after Phase 1 ends",
    "Shock cuts 10% of each role's posts when it begins" (:data:`SAID`), "Uptake: 62%".
    """
    term = key_term(key, scenario)
    said = SAID.get(key)
    if isinstance(said, tuple) and isinstance(value, bool):
        return said[0] if value else said[1]
    shown = plain_value(value)
    unit = f" {term.unit}" if term.unit and isinstance(value, int | float) else ""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and term.unit in ("share", "probability"):
        shown, unit = formats.percent(value), ""
    elif number and term.unit.startswith("share of "):  # 0.1 "share of each role's posts"
        shown, unit = formats.percent(value), f" {term.unit.removeprefix('share ')}"
    if isinstance(said, str):
        return said.format(value=shown)
    if "…" in term.label:
        return term.label.replace("…", shown)
    if unit.strip().lower() == term.label.lower():  # "Champions: 8", not "…: 8 champions"
        unit = ""
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
