"""Scenario validation: every problem is one line naming the file, the key path and what is allowed.

Small TOML files are written to ``tmp_path``; ``--set`` overrides go through ``load_scenario``
exactly as the CLI passes them.
"""

from __future__ import annotations

import contextlib
import tomllib
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, base_data, make_scenario, one_phase
from pydantic import ValidationError

from sim.scenario import Scenario, ScenarioError, load_scenario, resolve_scenario

# A small valid scenario with two phases. Tests change single lines of it with replace(),
# so each line they touch is unique in the text.
GOOD = """\
[scenario]
name = "small"
start = 2015-11-01
horizon_months = 72

[workforce]
supervisor_role = "supervisor"

[workforce.roles.supervisor]
posts = 1
turnover = 0.1

[workforce.roles.worker]
posts = 4
turnover = 0.2
team_member = true

[programme.foundation]
cohorts = 2
cohort_size = 3
attendance = 0.9

[[programme.phases]]
name = "Phase 1"
start = 2020-01-01
end = 2020-06-30
supplies = ["foundation"]

[[programme.phases]]
name = "Phase 2"
start = 2020-08-01
end = 2020-12-31
supplies = ["mentoring"]

[champions]
target = 2
"""

# GOOD with an explicitly empty phase list: the do-nothing strategy.
NO_PHASES = GOOD.split("[[programme.phases]]")[0].replace(
    "[programme.foundation]", "[programme]\nphases = []\n\n[programme.foundation]"
)


def write(tmp_path: Path, text: str, name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def variant(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, f"{old!r} occurs {GOOD.count(old)} times in GOOD"
    return GOOD.replace(old, new)


def errors(path: Path, overrides: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The error lines of loading ``path`` with ``overrides`` (it must fail)."""
    try:
        scenario = load_scenario(path, overrides)
    except ScenarioError as exc:
        lines = exc.lines
    else:
        raise AssertionError(f"{path} with {overrides} loaded without error: {scenario!r}")
    assert lines, "ScenarioError without lines"
    return lines


def only_line(lines: list[str]) -> str:
    assert len(lines) == 1, f"expected one error line, got {len(lines)}: {lines}"
    return lines[0]


def assert_mentions(line: str, *parts: str) -> None:
    for part in parts:
        assert part in line, f"{part!r} not in error line {line!r}"


# --------------------------------------------------------------------------- the good file


def test_good_file_loads(tmp_path):
    scenario = load_scenario(write(tmp_path, GOOD))
    assert scenario.scenario.horizon_months == 72, f"horizon {scenario.scenario.horizon_months}"
    assert len(scenario.programme.phases) == 2, f"phases {scenario.programme.phases}"
    assert scenario.programme.foundation.cohort_size == 3, (
        f"cohort_size {scenario.programme.foundation.cohort_size}"
    )


# --------------------------------------------------------------------------- single problems


def test_unknown_key_has_did_you_mean_hint(tmp_path):
    path = write(tmp_path, variant("cohort_size = 3", "cohort_sise = 3"))
    line = only_line(errors(path))
    assert line.startswith(f"{path}: "), f"line does not start with the file: {line!r}"
    assert_mentions(
        line,
        "programme.foundation.cohort_sise",
        "unknown key",
        "did you mean 'cohort_size'",
        "allowed here:",
        "interval_months",
    )


@pytest.mark.parametrize(
    ("old", "new", "key", "suggestion"),
    [
        (
            "team_member = true",
            "team_membr = true",
            "workforce.roles.worker.team_membr",
            "team_member",
        ),
        (
            'supplies = ["mentoring"]',
            'suplies = ["mentoring"]',
            "programme.phases.1.suplies",
            "supplies",
        ),
        ("target = 2", "targt = 2", "champions.targt", "target"),
        ("[champions]", "[champoins]", "champoins", "champions"),
    ],
    ids=["in-a-named-role", "in-an-array-element", "in-champions", "top-level-table"],
)
def test_unknown_key_anywhere_is_named_with_hint(tmp_path, old, new, key, suggestion):
    path = write(tmp_path, variant(old, new))
    line = only_line(errors(path))
    assert line.startswith(f"{path}: {key}: unknown key"), f"unexpected line {line!r}"
    assert_mentions(line, f"did you mean {suggestion!r}", "allowed here:")


def test_negative_cohort_size(tmp_path):
    path = write(tmp_path, variant("cohort_size = 3", "cohort_size = -3"))
    line = only_line(errors(path))
    assert line.startswith(f"{path}: programme.foundation.cohort_size: "), f"line {line!r}"
    assert_mentions(line, "must be ≥ 1", "got -3")


def test_phase_ending_before_it_starts(tmp_path):
    path = write(tmp_path, variant("end = 2020-06-30", "end = 2019-12-31"))
    line = only_line(errors(path))
    assert line.startswith(f"{path}: programme.phases.0"), f"line {line!r}"
    assert_mentions(line, "2019-12-31", "before", "2020-01-01")


def test_overlapping_phases(tmp_path):
    path = write(tmp_path, variant("start = 2020-08-01", "start = 2020-06-01"))
    line = only_line(errors(path))
    assert line.startswith(f"{path}: programme.phases.1.start: "), f"line {line!r}"
    assert_mentions(line, "2020-06-01", "previous phase's end (2020-06-30)", "without overlap")


def test_phases_out_of_order(tmp_path):
    text = variant("start = 2020-08-01", "start = 2019-01-01").replace(
        "end = 2020-12-31", "end = 2019-06-30"
    )
    path = write(tmp_path, text)
    line = only_line(errors(path))
    assert line.startswith(f"{path}: programme.phases.1.start: "), f"line {line!r}"
    assert_mentions(line, "date order")


def test_unknown_supply_name(tmp_path):
    path = write(tmp_path, variant('supplies = ["mentoring"]', 'supplies = ["mentorin"]'))
    line = only_line(errors(path))
    assert line.startswith(f"{path}: programme.phases.1.supplies: "), f"line {line!r}"
    assert_mentions(line, "'mentorin'", "allowed:", "mentoring", "foundation")


def test_initial_vacancies_above_posts(tmp_path):
    text = variant("team_member = true", "team_member = true\ninitial_vacancies = 5")
    path = write(tmp_path, text)
    line = only_line(errors(path))
    assert line.startswith(f"{path}: workforce.roles.worker"), f"line {line!r}"
    assert_mentions(line, "initial_vacancies (5)", "posts (4)")


def test_missing_required_key(tmp_path):
    path = write(tmp_path, variant("horizon_months = 72\n", ""))
    line = only_line(errors(path))
    assert line == f"{path}: scenario.horizon_months: required key is missing", f"line {line!r}"


@pytest.mark.parametrize(
    ("old", "new", "key", "allowed"),
    [
        (
            "horizon_months = 72",
            'horizon_months = "long"',
            "scenario.horizon_months",
            "must be a whole number",
        ),
        ("start = 2015-11-01", 'start = "soon"', "scenario.start", "must be a date like"),
        ("attendance = 0.9", "attendance = 1.5", "programme.foundation.attendance", "must be ≤ 1"),
    ],
    ids=["text-for-integer", "text-for-date", "share-above-one"],
)
def test_wrong_value_types(tmp_path, old, new, key, allowed):
    path = write(tmp_path, variant(old, new))
    line = only_line(errors(path))
    assert line.startswith(f"{path}: {key}: "), f"line {line!r}"
    assert_mentions(line, allowed)


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.toml"
    line = only_line(errors(path))
    assert line == f"{path}: no such scenario file", f"line {line!r}"


def test_invalid_toml(tmp_path):
    path = write(tmp_path, GOOD + "\n[oops\n")
    line = only_line(errors(path))
    assert line.startswith(f"{path}: not valid TOML"), f"line {line!r}"
    assert_mentions(line, "line ")


def test_unknown_bundled_name_lists_the_bundled_ones(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError) as caught:
        resolve_scenario("camdn")
    line = only_line(caught.value.lines)
    assert_mentions(line, "camdn", "bundled: camden")


def test_bundled_name_resolves(tmp_path, monkeypatch, camden_path):
    monkeypatch.chdir(tmp_path)
    found = resolve_scenario("camden")
    assert found == camden_path, f"resolved to {found}"


def test_several_errors_reported_together(tmp_path):
    text = (
        variant("cohort_size = 3", "cohort_sise = 3")
        .replace("attendance = 0.9", "attendance = 1.5")
        .replace("cohorts = 2", "cohorts = -1")
        .replace("target = 2", 'target = "x"')
    )
    path = write(tmp_path, text)
    lines = errors(path)
    assert len(lines) == 4, f"expected 4 lines, got {len(lines)}: {lines}"
    for line in lines:
        assert line.startswith(f"{path}: "), f"line does not name the file: {line!r}"
    keys = sorted(line.split(": ")[1] for line in lines)
    expected = sorted(
        [
            "programme.foundation.cohort_sise",
            "programme.foundation.attendance",
            "programme.foundation.cohorts",
            "champions.target",
        ]
    )
    assert keys == expected, f"keys named {keys}"


def test_field_errors_in_different_tables_reported_together(tmp_path):
    text = variant("turnover = 0.2", "turnover = -0.2").replace('name = "Phase 2"', 'name = ""')
    path = write(tmp_path, text)
    lines = errors(path)
    assert len(lines) == 2, f"expected 2 lines, got {lines}"
    assert any("workforce.roles.worker.turnover" in line for line in lines), f"lines {lines}"
    assert any("programme.phases.1.name" in line for line in lines), f"lines {lines}"


def test_cross_reference_errors_reported_with_field_errors(tmp_path):
    # One run should list every problem (the module promises "all found at once"). The
    # cross-reference checks (phase dates, supplies) run in Scenario's after-validator, which
    # pydantic skips when any field fails, so today only the field error is reported and the
    # user meets the phase problems one run later.
    text = (
        variant("cohort_size = 3", "cohort_size = -3")
        .replace('supplies = ["mentoring"]', 'supplies = ["mentorin"]')
        .replace("end = 2020-06-30", "end = 2019-12-31")
    )
    path = write(tmp_path, text)
    lines = errors(path)
    keys = sorted(line.split(": ")[1] for line in lines)
    assert len(lines) == 3, f"expected 3 lines, got {len(lines)}: {lines}"
    assert keys[0] == "programme.foundation.cohort_size", f"keys {keys}"
    assert keys[1].startswith("programme.phases.0"), f"keys {keys}"
    assert keys[2] == "programme.phases.1.supplies", f"keys {keys}"


# --------------------------------------------------------------------------- --set overrides


@pytest.mark.parametrize(
    ("override", "read", "expected"),
    [
        ("programme.foundation.cohort_size=5", lambda s: s.programme.foundation.cohort_size, 5),
        ("programme.foundation.attendance=0.75", lambda s: s.programme.foundation.attendance, 0.75),
        (
            "programme.foundation.allocation=senior_first",
            lambda s: s.programme.foundation.allocation,
            "senior_first",
        ),
        (
            "programme.foundation.offer_agency=true",
            lambda s: s.programme.foundation.offer_agency,
            True,
        ),
        ("scenario.start = 2015-06-01", lambda s: s.scenario.start, date(2015, 6, 1)),
        (
            "programme.phases.0.start=2016-01-01",
            lambda s: s.programme.phases[0].start,
            date(2016, 1, 1),
        ),
        (
            "programme.phases.1.supplies=['mentoring', 'foundation']",
            lambda s: s.programme.phases[1].supplies,
            ("mentoring", "foundation"),
        ),
        ("workforce.roles.worker.posts=9", lambda s: s.workforce.roles["worker"].posts, 9),
    ],
    ids=[
        "integer",
        "float",
        "bare-text",
        "boolean",
        "date-with-spaces",
        "array-element-date",
        "array-value",
        "named-role",
    ],
)
def test_set_parses_values(tmp_path, override, read, expected):
    scenario = load_scenario(write(tmp_path, GOOD), [override])
    got = read(scenario)
    assert got == expected, f"--set {override}: read back {got!r}"
    assert type(got) is type(expected), f"--set {override}: type {type(got).__name__}"


def test_later_set_wins(tmp_path):
    scenario = load_scenario(
        write(tmp_path, GOOD),
        ["programme.foundation.cohort_size=5", "programme.foundation.cohort_size=7"],
    )
    size = scenario.programme.foundation.cohort_size
    assert size == 7, f"cohort_size {size}"


def test_set_validates_the_result(tmp_path):
    path = write(tmp_path, GOOD)
    line = only_line(errors(path, ["programme.foundation.cohort_size=-3"]))
    assert line == f"{path}: programme.foundation.cohort_size: must be ≥ 1, got -3", f"{line!r}"


def test_set_unknown_key_says_it_came_from_set(tmp_path):
    path = write(tmp_path, GOOD)
    line = only_line(errors(path, ["programme.foundation.cohort_sise=4"]))
    assert line.startswith(f"{path}: programme.foundation.cohort_sise: "), f"{line!r}"
    assert_mentions(line, "(from --set)", "did you mean 'cohort_size'")


def test_set_array_index_out_of_range(tmp_path):
    path = write(tmp_path, GOOD)
    line = only_line(errors(path, ["programme.phases.2.start=2021-01-01"]))
    assert line.startswith(f"{path}: --set programme.phases.2.start: "), f"{line!r}"
    assert_mentions(line, "programme.phases has no element 2", "(it has 2)")


def test_set_array_index_not_a_number(tmp_path):
    path = write(tmp_path, GOOD)
    line = only_line(errors(path, ["programme.phases.first.start=2021-01-01"]))
    assert_mentions(line, str(path), "programme.phases has no element first", "(it has 2)")


def test_set_index_into_empty_phases(tmp_path):
    path = write(tmp_path, NO_PHASES)
    line = only_line(errors(path, ["programme.phases.0.start=2016-01-01"]))
    assert_mentions(line, str(path), "programme.phases has no element 0", "(it has 0)")


def test_set_through_a_value(tmp_path):
    path = write(tmp_path, GOOD)
    line = only_line(errors(path, ["scenario.start.day=3"]))
    assert_mentions(line, str(path), "--set scenario.start.day", "scenario.start is a value")


@pytest.mark.parametrize("item", ["programme.foundation.cohort_size", "=3", ""])
def test_set_without_equals_or_key(tmp_path, item):
    path = write(tmp_path, GOOD)
    line = only_line(errors(path, [item]))
    assert line == f"{path}: --set {item!r}: expected KEY=VALUE", f"line {line!r}"


def test_bad_sets_all_reported_together(tmp_path):
    path = write(tmp_path, GOOD)
    lines = errors(path, ["cohort_size", "programme.phases.5.end=2021-01-01", "x=1"])
    # The first two are malformed paths (reported before validation); the third is fine as a
    # path and would only fail validation, which does not run once overrides are malformed.
    assert len(lines) == 2, f"expected 2 lines, got {lines}"
    assert_mentions(lines[0], "'cohort_size'", "expected KEY=VALUE")
    assert_mentions(lines[1], "programme.phases has no element 5", "(it has 2)")


# --------------------------------------------------------------------------- valid edge cases


def test_empty_phases_is_the_do_nothing_strategy(tmp_path):
    scenario = load_scenario(write(tmp_path, NO_PHASES))
    assert scenario.programme.phases == (), f"phases {scenario.programme.phases}"
    built = make_scenario()
    assert built.programme.phases == (), f"phases {built.programme.phases}"


def test_phases_may_be_left_out(tmp_path):
    text = GOOD.split("[[programme.phases]]")[0]
    scenario = load_scenario(write(tmp_path, text))
    assert scenario.programme.phases == (), f"phases {scenario.programme.phases}"


def test_adjacent_phases_are_valid():
    phases = one_phase(date(2020, 1, 1), date(2020, 6, 30), ["foundation"]) + [
        {"name": "Phase 2", "start": date(2020, 7, 1), "end": date(2020, 12, 31), "supplies": []}
    ]
    scenario = make_scenario(programme__phases=phases)
    assert len(scenario.programme.phases) == 2, f"phases {scenario.programme.phases}"


# --------------------------------------------------------------------------- immutability


def test_scenario_fields_cannot_be_assigned():
    scenario = make_scenario()
    with pytest.raises(ValidationError):
        scenario.scenario.horizon_months = 3
    with pytest.raises(ValidationError):
        scenario.programme = scenario.programme
    with pytest.raises(ValidationError):
        scenario.workforce.roles["worker"].posts = 10
    assert scenario.scenario.horizon_months == 24, (
        f"horizon changed to {scenario.scenario.horizon_months}"
    )
    assert scenario.workforce.roles["worker"].posts == 4, (
        f"posts changed to {scenario.workforce.roles['worker'].posts}"
    )


def test_nested_tables_cannot_be_changed_either():
    # The roles table is a plain dict inside the frozen model, so it can be edited in place,
    # which would let code change a validated scenario (e.g. remove the supervisor role).
    scenario = make_scenario()
    with contextlib.suppress(TypeError):
        del scenario.workforce.roles["worker"]
    assert list(scenario.workforce.roles) == ["supervisor", "worker"], (
        f"roles are now {list(scenario.workforce.roles)}"
    )


def test_with_changes_returns_a_new_scenario_and_keeps_the_original():
    original = make_scenario()
    before = original.model_dump()
    changed = original.with_changes(
        {"programme.foundation.cohort_size": 3, "scenario.horizon_months": 36}
    )
    assert isinstance(changed, Scenario), f"got {type(changed)}"
    assert changed is not original, "with_changes returned the same object"
    assert changed.programme.foundation.cohort_size == 3, (
        f"cohort_size {changed.programme.foundation.cohort_size}"
    )
    assert changed.scenario.horizon_months == 36, f"horizon {changed.scenario.horizon_months}"
    assert original.model_dump() == before, "the original scenario changed"
    assert original.programme.foundation.cohort_size == 1, (
        f"original cohort_size {original.programme.foundation.cohort_size}"
    )


def test_with_changes_validates():
    with pytest.raises(ScenarioError) as caught:
        make_scenario().with_changes({"programme.foundation.cohort_size": -3})
    line = only_line(caught.value.lines)
    assert_mentions(line, "<changes>", "programme.foundation.cohort_size", "must be ≥ 1")


def test_with_changes_can_change_an_array_element():
    # The MODEL.md example: move a phase's start by its index. model_dump() gives tuples for
    # array fields, which set_by_path does not walk into.
    phases = one_phase(date(2020, 1, 1), date(2020, 6, 30), ["foundation"])
    original = make_scenario(programme__phases=phases)
    changed = original.with_changes({"programme.phases.0.start": date(2020, 2, 1)})
    start = changed.programme.phases[0].start
    assert start == date(2020, 2, 1), f"start {start}"
    assert original.programme.phases[0].start == date(2020, 1, 1), (
        f"original start {original.programme.phases[0].start}"
    )


# --------------------------------------------------------------------------- bundled camden


def test_camden_validates(camden_path):
    scenario = load_scenario(camden_path)
    assert scenario.name == "Camden", f"name {scenario.name!r}"
    assert scenario.scenario.start == date(2015, 11, 1), f"start {scenario.scenario.start}"
    assert len(scenario.programme.phases) == 2, f"phases {len(scenario.programme.phases)}"


def test_camden_has_the_contract_keys(camden_path):
    raw = tomllib.loads(camden_path.read_text(encoding="utf-8"))
    meta = raw["scenario"]
    assert isinstance(meta["start"], date), f"scenario.start {meta['start']!r}"
    assert isinstance(meta["horizon_months"], int), (
        f"scenario.horizon_months {meta['horizon_months']!r}"
    )
    fraction = raw["workforce"]["initial_trained_fraction"]
    assert 0 <= fraction <= 1, f"workforce.initial_trained_fraction {fraction!r}"
    roles = raw["workforce"]["roles"]
    assert roles, "workforce.roles is empty"
    for name, role in roles.items():
        for key in ("posts", "turnover", "hiring_delay_months"):
            assert key in role, f"workforce.roles.{name}.{key} missing: {sorted(role)}"
    phases = raw["programme"]["phases"]
    assert isinstance(phases, list), f"programme.phases {phases!r}"
    assert phases, f"programme.phases {phases!r}"
    for i, phase in enumerate(phases):
        for key in ("name", "start", "end"):
            assert key in phase, f"programme.phases.{i}.{key} missing: {sorted(phase)}"
    foundation = raw["programme"]["foundation"]
    for key in ("cohorts", "cohort_size", "interval_months", "attendance"):
        assert key in foundation, f"programme.foundation.{key} missing: {sorted(foundation)}"
    assert "target" in raw["champions"], f"champions.target missing: {sorted(raw['champions'])}"


def test_conftest_base_data_is_valid():
    scenario = make_scenario(base_data())
    assert scenario.workforce.supervisor_role == "supervisor", (
        f"supervisor_role {scenario.workforce.supervisor_role}"
    )
    assert REPO.joinpath("scenarios").is_dir(), f"{REPO}/scenarios missing"


def test_set_index_into_absent_phases_is_an_error(tmp_path):
    # No programme.phases key at all: the override cannot create an array element.
    path = write(tmp_path, GOOD.split("[[programme.phases]]")[0])
    line = only_line(errors(path, ["programme.phases.0.start=2016-01-01"]))
    assert_mentions(line, str(path), "programme.phases")
