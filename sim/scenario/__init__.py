"""The scenario floor: what is simulated, validated and immutable.

A scenario file (TOML) → :mod:`.loading` (files, ``--set``, the bundled scenarios) →
:mod:`.schema` (the validated :class:`Scenario`; its programme part in
:mod:`.programme_schema`) → :mod:`.phase_calendar` (phases and cohort dates in days).
Beside them: :mod:`.provenance` (the ``[sources]`` table), :mod:`.explain` (what
``rollout validate`` says), :mod:`.reference` (the generated reference and JSON Schema).
Nothing here runs the model; everything above this floor reads only a :class:`Scenario`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .keys import ScenarioError, parse_value, set_by_path
    from .loading import (
        bundled_dir,
        bundled_names,
        load_scenario,
        resolve_scenario,
        scenario_from_text,
    )
    from .schema import MIN_HIRING_DELAY_MONTHS, Scenario, validate

# Loaded on first use, so that ``sim.scenario.keys`` (the error type every command needs)
# can be imported without the schema and pydantic.
_LAZY = {
    "ScenarioError": ".keys",
    "parse_value": ".keys",
    "set_by_path": ".keys",
    "bundled_dir": ".loading",
    "bundled_names": ".loading",
    "load_scenario": ".loading",
    "scenario_from_text": ".loading",
    "resolve_scenario": ".loading",
    "MIN_HIRING_DELAY_MONTHS": ".schema",
    "Scenario": ".schema",
    "validate": ".schema",
}
__all__ = [
    "MIN_HIRING_DELAY_MONTHS",
    "Scenario",
    "ScenarioError",
    "bundled_dir",
    "bundled_names",
    "load_scenario",
    "scenario_from_text",
    "parse_value",
    "resolve_scenario",
    "set_by_path",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'sim.scenario' has no attribute {name!r}")
