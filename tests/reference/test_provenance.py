"""Provenance in the scenario format: the ``[sources]`` table, its checks, Camden's sources.

Each source's key must name a real key of the scenario (schema keys, the scenario's own
role and group names, array elements that exist); a wrong one is an error naming
``sources."the.path"``, with a suggestion when one is close. Camden must give a source for
every parameter it sets, and a run's manifest must carry the sources and their counts.
"""

from __future__ import annotations

import copy
import tomllib
from collections import Counter
from datetime import date

import pytest
from conftest import base_data, make_scenario

from sim.experiments import folders as output
from sim.scenario import ScenarioError, load_scenario, validate

SRC = "<test>"


def with_sources(sources: dict, data: dict | None = None) -> dict:
    data = copy.deepcopy(data if data is not None else base_data())
    data["sources"] = sources
    return data


def phase_data() -> dict:
    """The tiny scenario with one phase, so that array paths have something to index."""
    data = base_data()
    data["programme"] = {
        "phases": [
            {
                "name": "Phase 1",
                "start": date(2020, 1, 1),
                "end": date(2020, 12, 31),
                "supplies": ["foundation"],
            }
        ],
        "foundation": {"cohorts": 1, "sessions": [{"after_months": 0, "days": 1}]},
    }
    return data


def errors_of(data: dict) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        validate(data, SRC)
    return caught.value.lines


def entry(confidence: str = "data") -> dict:
    return {"source": "somewhere", "confidence": confidence}


# --------------------------------------------------------------------------- good paths


@pytest.mark.parametrize(
    "path",
    [
        "workforce.roles.worker.turnover",  # a role's key, by the role's name
        "workforce.agency_cover",  # a key left at its default still names a key
        "practice.uptake",
        "programme.phases.0.start",  # an array element by its index
        "programme.phases.0",  # a whole table
        "programme.foundation.sessions.0.days",
        "scenario.horizon_months",
    ],
)
def test_a_source_naming_a_real_key_is_accepted(path):
    scenario = validate(with_sources({path: entry("estimate")}, phase_data()), SRC)
    assert path in scenario.sources, f"{path} missing from {dict(scenario.sources)}"
    assert scenario.sources[path].confidence == "estimate", f"got {scenario.sources[path]}"


def test_every_confidence_level_is_accepted():
    sources = {
        "practice.uptake": entry("data"),
        "practice.threshold": entry("estimate"),
        "practice.reinforcement": entry("assumption"),
    }
    scenario = validate(with_sources(sources), SRC)
    levels = sorted(s.confidence for s in scenario.sources.values())
    assert levels == ["assumption", "data", "estimate"], f"got {levels}"


def test_sources_cannot_be_changed_after_validation():
    scenario = validate(with_sources({"practice.uptake": entry()}), SRC)
    with pytest.raises(TypeError):
        scenario.sources["practice.threshold"] = entry()  # type: ignore[index]
    assert list(scenario.sources) == ["practice.uptake"], f"got {list(scenario.sources)}"


# --------------------------------------------------------------------------- bad paths


def test_a_mistyped_key_is_an_error_with_a_hint():
    lines = errors_of(with_sources({"workforce.roles.worker.turnvoer": entry()}))
    assert len(lines) == 1, f"expected one line, got {lines}"
    line = lines[0]
    assert line.startswith(f'{SRC}: sources."workforce.roles.worker.turnvoer":'), line
    assert 'did you mean "workforce.roles.worker.turnover"?' in line, line


def test_a_role_that_does_not_exist_is_an_error_naming_the_roles():
    lines = errors_of(with_sources({"workforce.roles.workr.posts": entry()}))
    assert len(lines) == 1, f"expected one line, got {lines}"
    line = lines[0]
    assert line.startswith(f'{SRC}: sources."workforce.roles.workr.posts":'), line
    assert "'workr'" in line, line
    assert "supervisor, worker" in line, line
    assert 'did you mean "workforce.roles.worker.posts"?' in line, line


def test_a_group_that_does_not_exist_is_an_error():
    lines = errors_of(with_sources({"programme.groups.managers.interval_months": entry()}))
    assert len(lines) == 1, f"got {lines}"
    assert 'sources."programme.groups.managers.interval_months"' in lines[0], f"got {lines}"
    assert "programme.groups has no entry 'managers'" in lines[0], lines[0]


def test_an_index_past_the_end_of_an_array_is_an_error():
    lines = errors_of(with_sources({"programme.phases.1.start": entry()}, phase_data()))
    assert len(lines) == 1, f"expected one line, got {lines}"
    assert 'sources."programme.phases.1.start"' in lines[0], lines[0]
    assert "programme.phases has no element 1 (it has 1" in lines[0], lines[0]


def test_a_path_below_a_value_is_an_error():
    lines = errors_of(with_sources({"practice.uptake.low": entry()}))
    assert lines == [
        f'{SRC}: sources."practice.uptake.low": practice.uptake is a value, not a table'
    ], f"got {lines}"


def test_a_bad_confidence_is_an_error_listing_the_levels():
    lines = errors_of(with_sources({"practice.uptake": entry("guess")}))
    assert len(lines) == 1, f"expected one line, got {lines}"
    line = lines[0]
    assert line.startswith(f'{SRC}: sources."practice.uptake".confidence:'), line
    for level in ("'data'", "'estimate'", "'assumption'", "'guess'"):
        assert level in line, f"{level} not in {line}"


def test_a_missing_source_text_and_an_unknown_field_are_errors():
    lines = errors_of(with_sources({"practice.uptake": {"confidence": "data", "note": "x"}}))
    assert any('sources."practice.uptake".source: required key is missing' in x for x in lines), (
        f"got {lines}"
    )
    assert any('sources."practice.uptake".note: unknown key' in x for x in lines), f"got {lines}"


def test_unquoted_dotted_keys_get_one_line_showing_the_quoted_form():
    # [sources] workforce.roles.worker.turnover = {...} without quotes: TOML nests tables.
    text = 'workforce.roles.worker.turnover = { source = "x", confidence = "data" }\n'
    data = with_sources(tomllib.loads(text))
    lines = errors_of(data)
    assert len(lines) == 1, f"expected one line, got {lines}"
    assert '"workforce.roles" = {' in lines[0], lines[0]
    assert "quotes" in lines[0], lines[0]


def test_source_errors_come_with_the_other_errors_of_the_file():
    data = with_sources({"practice.uptak": entry()})
    data["practice"]["uptake"] = 2.0
    lines = errors_of(data)
    assert any("practice.uptake: must be ≤ 1" in x for x in lines), f"got {lines}"
    assert any('sources."practice.uptak"' in x and '"practice.uptake"' in x for x in lines), (
        f"got {lines}"
    )


# --------------------------------------------------------------------------- variants


def test_a_change_that_removes_a_sourced_key_drops_its_source_only():
    scenario = validate(
        with_sources({"programme.phases.0.end": entry(), "practice.uptake": entry()}, phase_data()),
        SRC,
    )
    variant = scenario.with_changes({"programme.phases": []})
    assert list(variant.sources) == ["practice.uptake"], f"got {list(variant.sources)}"
    assert "programme.phases.0.end" in scenario.sources, "the original lost its source"


def test_set_that_removes_a_sourced_key_drops_its_source(tmp_path, camden_path):
    scenario = load_scenario(camden_path, ["programme.phases=[]"])
    left = [p for p in scenario.sources if p.startswith("programme.phases")]
    assert left == [], f"sources of removed phases kept: {left}"
    assert "champions.target" in scenario.sources, "an unrelated source was dropped"


def test_set_does_not_excuse_a_wrong_path_in_the_file(tmp_path, camden_path):
    text = camden_path.read_text(encoding="utf-8") + (
        '"programme.phases.7.start" = { source = "x", confidence = "data" }\n'
    )
    broken = tmp_path / "broken.toml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(broken, ["champions.target=3"])
    assert any('sources."programme.phases.7.start"' in x for x in caught.value.lines), (
        f"got {caught.value.lines}"
    )


# --------------------------------------------------------------------------- Camden


def _set_keys(table: dict, prefix: str = "") -> list[str]:
    """Every value the TOML sets, as a dotted path; arrays of tables entered by index."""
    found = []
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            found += _set_keys(value, path + ".")
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for i, item in enumerate(value):
                found += _set_keys(item, f"{path}.{i}.")
        else:
            found.append(path)
    return found


# Labels, not figures: they need no source.
LABELS = {"scenario.name", "scenario.description"}


def test_camden_gives_a_source_for_every_parameter_it_sets(camden_path):
    data = tomllib.loads(camden_path.read_text(encoding="utf-8"))
    sources = data["sources"]
    params = [
        p
        for p in _set_keys({k: v for k, v in data.items() if k not in ("sources", "uncertainty")})
        if p not in LABELS and not (p.startswith("programme.phases.") and p.endswith(".name"))
    ]
    assert len(params) > 80, f"only {len(params)} parameters found: the walk is wrong"

    def covered(path: str) -> bool:
        parts = path.split(".")
        return any(".".join(parts[:n]) in sources for n in range(1, len(parts) + 1))

    missing = [p for p in params if not covered(p)]
    assert missing == [], f"Camden parameters without a source: {missing}"
    for path, value in sources.items():
        assert value["confidence"] in ("data", "estimate", "assumption"), f"{path}: {value}"
        assert value["source"].strip(), f"{path}: empty source"


def test_camden_loads_with_its_sources(camden_path):
    data = tomllib.loads(camden_path.read_text(encoding="utf-8"))
    scenario = load_scenario(camden_path)
    assert set(scenario.sources) == set(data["sources"]), "sources lost or added on loading"


def test_manifest_holds_the_sources_and_their_counts(camden_path):
    data = tomllib.loads(camden_path.read_text(encoding="utf-8"))
    wanted = Counter(v["confidence"] for v in data["sources"].values())
    scenario = load_scenario(camden_path)
    content = output.manifest(
        scenario=scenario,
        scenario_file=str(camden_path),
        overrides=[],
        seed=1,
        reps=1,
        workers=1,
        status="complete",
    )
    assert content["provenance"] == {
        "data": wanted["data"],
        "estimate": wanted["estimate"],
        "assumption": wanted["assumption"],
    }, f"got {content['provenance']}"
    dumped = content["scenario"]["sources"]
    assert dumped["workforce.agency_cover"] == data["sources"]["workforce.agency_cover"], (
        f"got {dumped.get('workforce.agency_cover')}"
    )


def test_a_scenario_without_sources_counts_zero_of_each():
    content = output.manifest(
        scenario=make_scenario(),
        scenario_file="x",
        overrides=[],
        seed=1,
        reps=1,
        workers=1,
        status="running",
    )
    assert content["provenance"] == {"data": 0, "estimate": 0, "assumption": 0}, (
        f"got {content['provenance']}"
    )
