"""The generated scenario reference and JSON Schema: up to date, complete, and correct.

The committed docs/scenario-reference.md and docs/scenario.schema.json must be exactly what
``python -m sim.scenario.reference`` produces now (regenerated in memory here). The schema
is checked by an independent validator (the ``jsonschema`` package, a test dependency): it
must accept camden.toml and reject files with a wrong type, a value out of range or an
unknown key.
"""

from __future__ import annotations

import copy
import json
import tomllib
import typing
from datetime import date

import jsonschema
import pytest
from conftest import REPO
from pydantic import BaseModel

from sim.scenario import Scenario, reference

REGENERATE = "run `python -m sim.scenario.reference` and commit the result"


def test_the_committed_reference_is_up_to_date():
    committed = (REPO / "docs" / "scenario-reference.md").read_text(encoding="utf-8")
    assert committed == reference.markdown(), f"docs/scenario-reference.md is stale: {REGENERATE}"


def test_the_committed_schema_is_up_to_date():
    committed = (REPO / "docs" / "scenario.schema.json").read_text(encoding="utf-8")
    assert committed == reference.json_schema_text(), (
        f"docs/scenario.schema.json is stale: {REGENERATE}"
    )


def test_check_mode_reports_up_to_date_files():
    assert reference.main(["--check"]) == 0, f"--check found stale files: {REGENERATE}"


# --------------------------------------------------------------------------- completeness


def _models(model: type[BaseModel], seen: dict[str, type[BaseModel]]) -> None:
    """Every pydantic model reachable from ``model`` through its fields."""
    seen[model.__name__] = model
    for field in model.model_fields.values():
        stack = [field.annotation]
        while stack:
            item = stack.pop()
            if isinstance(item, type) and issubclass(item, BaseModel):
                if item.__name__ not in seen:
                    _models(item, seen)
            else:
                stack.extend(typing.get_args(item))


def test_every_key_of_every_table_has_a_row():
    text = reference.markdown()
    models: dict[str, type[BaseModel]] = {}
    _models(Scenario, models)
    assert {"Role", "Phase", "Session", "Group", "Source", "FoundationOverride"} <= set(models), (
        f"walk found only {sorted(models)}"
    )
    missing = [
        f"{name}.{key}"
        for name, model in models.items()
        if name != "Scenario"
        for key in model.model_fields
        if f"| `{key}` |" not in text
    ]
    assert missing == [], f"keys without a row in the reference: {missing}"
    for key in Scenario.model_fields:
        assert f"[`[{key}]`]" in text, f"top-level table {key} not listed"


def test_rows_show_units_defaults_and_ranges():
    text = reference.markdown()
    row = next(line for line in text.splitlines() if line.startswith("| `turnover` |"))
    assert "per person-year" in row, row
    assert "required" in row, row
    assert "0 to 100 |" in row, row
    row = next(line for line in text.splitlines() if line.startswith("| `threshold` |"))
    assert "`0.5`" in row, row
    assert "> 0 and < 1" in row, row
    assert "## `workforce.roles.<role>`" in text, "the roles table has no section"
    assert "## `programme.phases.N`" in text, "the phases table has no section"


def test_a_numeric_key_without_a_unit_stops_the_generator(monkeypatch):
    units = dict(reference.UNITS)
    del units["turnover"]
    monkeypatch.setattr(reference, "UNITS", units)
    with pytest.raises(ValueError, match="Role.turnover"):
        reference.markdown()


def test_camden_points_editors_at_the_schema():
    camden = REPO / "scenarios" / "camden.toml"
    first = camden.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#:schema "), f"first line: {first!r}"
    target = (camden.parent / first.removeprefix("#:schema ").strip()).resolve()
    assert target == (REPO / "docs" / "scenario.schema.json").resolve(), f"points at {target}"


# --------------------------------------------------------------------------- the JSON Schema


def _as_json(value):
    """TOML data as an editor's schema check sees it: dates become ISO strings."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((REPO / "docs" / "scenario.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)  # the schema itself is well formed for its draft
    assert cls is jsonschema.Draft7Validator, f"schema read as {cls.__name__}"
    assert schema["title"], "schema lacks a title or description"
    assert schema["description"], "schema lacks a title or description"
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def camden_data():
    return _as_json(tomllib.loads((REPO / "scenarios" / "camden.toml").read_text("utf-8")))


def test_the_schema_accepts_camden(validator, camden_data):
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(camden_data)]
    assert problems == [], f"camden.toml fails the schema: {problems}"


@pytest.mark.parametrize(
    ("where", "value", "expected"),
    [
        (("programme", "foundation", "cohort_size"), -3, "minimum"),
        (("practice", "uptake"), 1.5, "maximum"),
        (("practice", "threshold"), 1.0, "exclusiveMaximum"),
        (("scenario", "start"), "2015-13-01", "format"),
        (("scenario", "horizon_months"), "six years", "type"),
        (("practice", "uptak"), 0.5, "additionalProperties"),
        (("programme", "foundation", "allocation"), "by_team", "enum"),
        (("sources", "practice.uptake", "confidence"), "guess", "enum"),
    ],
)
def test_the_schema_rejects_a_bad_value(validator, camden_data, where, value, expected):
    data = copy.deepcopy(camden_data)
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    if where[0] == "sources":
        data["sources"]["practice.uptake"]["source"] = "x"
    kinds = [e.validator for e in validator.iter_errors(data)]
    kinds += [c.validator for e in validator.iter_errors(data) for c in (e.context or [])]
    assert expected in kinds, f"{'.'.join(where)} = {value!r}: schema errors {kinds}"
