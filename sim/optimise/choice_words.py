"""A plan in words a board reads, its guardrails, and ``choice.md``.

"6 cohorts of 40; Phase 2 starts 12 months after Phase 1 ends; Champions: 14": the levers'
values through the vocabulary (:func:`sim.model.vocabulary.key_value_text`), cohorts and
their places said together. Guardrails flag what a board should question before it
believes a plan: a value at the edge of a lever's range (the best plan may lie beyond it),
and a plan that asks for more training places than there are staff.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..experiments.targets import Target
from ..model.vocabulary import key_value_text, measure_label, value_text
from ..scenario import formats
from ..scenario.schema import Scenario
from .space import Dimension, plan_changes

COHORTS = "programme.foundation.cohorts"
PLACES = "programme.foundation.cohort_size"


def plan_words(plan: Mapping[str, Any], scenario: Scenario | None = None) -> str:
    """The plan's lever values as one line of words, in the order the levers were given."""
    plan = plan_changes(plan)
    parts: list[str] = []
    for key, value in plan.items():
        if key == PLACES and COHORTS in plan:
            continue  # said with the cohorts
        if key == COHORTS and PLACES in plan:
            n, size = plan[COHORTS], plan[PLACES]
            parts.append(f"{n} cohort{'s' if n != 1 else ''} of {size}")
            continue
        parts.append(key_value_text(key, spoken(value), scenario))
    return "; ".join(parts) if parts else "the scenario as given"


def spoken(value: Any) -> Any:
    """A choice's value as a board reads it: ``whole_teams`` → ``whole teams`` (in a list
    too); numbers, dates and yes/no as they are.
    """
    if isinstance(value, str):
        return value.replace("_", " ")
    if isinstance(value, list | tuple):
        return [spoken(v) for v in value]
    return value


def staff(scenario: Scenario) -> int:
    """Posts in the workforce (every role)."""
    return int(sum(role.posts for role in scenario.workforce.roles.values()))


def places(scenario: Scenario) -> int:
    """Foundation places the plan offers in every phase that supplies foundation training."""
    f = scenario.programme.foundation
    total = 0
    for phase in scenario.programme.phases:
        if "foundation" not in phase.supplies:
            continue
        own = phase.foundation  # a later phase's own cohorts and places, where it sets them
        cohorts = getattr(own, "cohorts", None) if own is not None else None
        size = getattr(own, "cohort_size", None) if own is not None else None
        cohorts = f.cohorts if cohorts is None else cohorts
        total += int(cohorts) * int(f.cohort_size if size is None else size)
    return total


def guardrails(
    plan: Mapping[str, Any], space: Sequence[Dimension], scenario: Scenario
) -> list[str]:
    """What to question in a plan: values at the edge of a lever's range, and more
    places than staff.
    """
    lines = []
    for dim in space:
        value = plan.get(dim.key)
        if value is not None and dim.at_edge(value):
            shown = spoken(plan_changes({dim.key: value})[dim.key])
            lines.append(
                f"{key_value_text(dim.key, shown, scenario)} "
                f"is at the edge of the range searched ({dim.text()}): a better plan may lie "
                "beyond it; widen the range to see"
            )
    offered, posts = places(scenario), staff(scenario)
    if offered > posts:
        lines.append(
            f"The plan offers {formats.count(offered)} training places for "
            f"{formats.count(posts)} posts: more places than staff (places are filled by "
            "leavers' successors, or stay empty)"
        )
    return lines


def target_words(target: Target | None) -> str:
    """A target in words: "Practising at month 48 ≥ 40%"."""
    if target is None:
        return ""
    sign = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}[target.op]
    return f"{measure_label(target.metric)} {sign} {value_text(target.metric, target.value)}"


def measure_line(name: str, mean: float, low: float | None, high: float | None) -> str:
    """A measure's mean with its 95 % interval, in its own units."""
    text = f"{measure_label(name)}: {value_text(name, mean)}"
    if low is not None and high is not None and math.isfinite(low) and math.isfinite(high):
        text += f" (95% interval {value_text(name, low)} to {value_text(name, high)})"
    return text


def share_line(share: float | None, probability: float, target_text: str) -> str:
    """How often a plan met the target on the search's futures."""
    if share is None:
        return f"Met {target_text}: never judged"
    return (
        f"Met {target_text} in {formats.percent(share)} of futures (needed: "
        f"{formats.percent(probability)})"
    )
