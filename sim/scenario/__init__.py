"""The scenario floor: what is simulated, validated and immutable.

A scenario file (TOML) → :mod:`.loading` (files, ``--set``, the bundled scenarios) →
:mod:`.schema` (the validated :class:`Scenario`; its programme part in
:mod:`.programme_schema`) → :mod:`.phase_calendar` (phases and cohort dates in days).
Beside them: :mod:`.provenance` (the ``[sources]`` table), :mod:`.explain` (what
``rollout validate`` says), :mod:`.reference` (the generated reference and JSON Schema).
Nothing here runs the model; everything above this floor reads only a :class:`Scenario`.
"""

from __future__ import annotations

from ..lazy import attach

# Loaded on first use, so that ``sim.scenario.keys`` (the error types every command needs)
# can be imported without the schema and pydantic.
__getattr__, __dir__, __all__ = attach(
    __name__,
    {
        ".keys": ["BadInput", "ScenarioError", "parse_value", "set_by_path"],
        ".loading": [
            "bundled_dir",
            "bundled_names",
            "load_scenario",
            "resolve_scenario",
            "scenario_from_text",
        ],
        ".schema": ["MIN_HIRING_DELAY_MONTHS", "Scenario", "validate"],
    },
)
