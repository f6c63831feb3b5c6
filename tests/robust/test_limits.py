"""One rule for every input: each case a careless or hostile user found (issue 19) gives one
line naming the file and the key, exit 2, and writes nothing; the limits that keep a run
within memory and time hold; values within them still work.
"""

from __future__ import annotations

import pytest
from conftest import run_main

from sim.scenario import ScenarioError, load_scenario, scenario_from_text
from sim.scenario.base import _Frozen
from sim.scenario.explain_programme import _completion_on_a_grid, completion_probability
from sim.scenario.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_REPS
from sim.scenario.programme_schema import Foundation

# --set value → the key its one line must name, and words it must say.
REFUSED = {
    "scenario.start=2015-11-01T10:00:00Z": ("scenario.start", "without a time of day"),
    "champions.appoint_from=2016-01-01T00:00:00": ("champions.appoint_from", "time of day"),
    "programme.phases.0.end=2016-11-01T09:30:00": ("programme.phases.0.end", "time of day"),
    "programme.phases.1.start_after_months=100000": (
        "programme.phases.1.start_after_months",
        "≤ 1200",
    ),
    "champions.induction_places_per_champion_per_month=inf": (
        "champions.induction_places_per_champion_per_month",
        "finite",
    ),
    "programme.foundation.sessions.0.days=inf": ("programme.foundation.sessions.0.days", "finite"),
    "programme.foundation.interval_months=1e300": ("programme.foundation.interval_months", "≤"),
    "workforce.roles.social_worker.turnover=inf": (
        "workforce.roles.social_worker.turnover",
        "finite",
    ),
    "workforce.roles.social_worker.day_cost=inf": (
        "workforce.roles.social_worker.day_cost",
        "finite",
    ),
    "workforce.roles.social_worker.day_cost=1e300": (
        "workforce.roles.social_worker.day_cost",
        "1e+09",
    ),
    "practice.uptake=nan": ("practice.uptake", "finite"),
    'champions.target="12"': ("champions.target", "whole number"),
    "champions.target=true": ("champions.target", "whole number"),
    "champions.target=12.0": ("champions.target", "whole number"),
    "workforce.roles.social_worker.initial_vacancies=true": (
        "workforce.roles.social_worker.initial_vacancies",
        "whole number",
    ),
    'practice.uptake="0.5"': ("practice.uptake", "must be a number"),
    'programme.foundation.offer_new_starters="yes"': (
        "programme.foundation.offer_new_starters",
        "true or false",
    ),
    "programme.foundation.offer_new_starters=1": (
        "programme.foundation.offer_new_starters",
        "true or false",
    ),
    "programme.foundation.cohorts=10000000": ("programme.foundation.cohorts", "≤ 1000"),
    "workforce.roles.social_worker.posts=99999999999999999999999": (
        "workforce.roles.social_worker.posts",
        "≤ 100000",
    ),
    "champions.appoint_from=9999-12-01": ("champions.appoint_from", "from 1900 to 2200"),
    f'scenario.name="{"n" * 300}"': ("scenario.name", "at most 200 characters"),
    f'programme.phases.0.name="{"n" * 300}"': ("programme.phases.0.name", "at most 200"),
}


@pytest.mark.parametrize("change", list(REFUSED), ids=[c[:50] for c in REFUSED])
@pytest.mark.parametrize("command", ["validate", "run"])
def test_each_bad_value_is_one_line_naming_the_key_and_writes_nothing(
    change, command, tmp_path, monkeypatch, capsys
):
    key, words = REFUSED[change]
    args = [command, "camden", "--set", change]
    code, out, err = run_main(args, tmp_path, monkeypatch, capsys)
    lines = err.strip().splitlines()
    assert code == 2, f"{change}: exit {code}, stderr {err[-2000:]}"
    assert len(lines) == 1, f"{change}: {len(lines)} lines: {lines}"
    assert f"camden.toml: {key}: " in lines[0], lines[0]
    assert words in lines[0], lines[0]
    assert len(lines[0]) < 400, f"{change}: a line of {len(lines[0])} characters"
    assert not list(tmp_path.iterdir()), f"{change}: wrote {list(tmp_path.iterdir())}"


def test_reps_beyond_the_maximum_is_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys):
    args = ["run", "camden", "--reps", "99999999999999999999"]
    code, out, err = run_main(args, tmp_path, monkeypatch, capsys)
    assert code == 2, (code, err)
    assert "--reps" in err, (code, err)
    assert f"{MAX_REPS}" in err, (code, err)
    assert not list(tmp_path.iterdir()), list(tmp_path.iterdir())


def test_the_batch_plan_refuses_more_reps_than_the_maximum():
    from sim.experiments.batches import plan

    assert len(plan(1, MAX_REPS)) <= 200, "the largest plan has more than 200 batches a point"
    with pytest.raises(ScenarioError, match="reps"):
        plan(1, MAX_REPS + 1)


# --------------------------------------------------------------------------- whole files


def _camden(camden_path) -> str:
    return camden_path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("tail", "words"),
    [
        ("x = " + "[" * 1000 + "]" * 1000, f"nest more than {MAX_DEPTH} levels"),
        ("x = " + "{ a = " * 500 + "1" + " }" * 500, f"nest more than {MAX_DEPTH} levels"),
        ("[" + ".".join(["a"] * 500) + "]\nb = 1", f"nest more than {MAX_DEPTH} levels"),
    ],
    ids=["array", "inline-table", "table-header"],
)
def test_deep_nesting_is_one_line(camden_path, tmp_path, tail, words):
    path = tmp_path / "deep.toml"
    path.write_text(_camden(camden_path) + "\n" + tail + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    lines = caught.value.lines
    assert len(lines) == 1, lines
    assert words in lines[0], lines
    assert str(path) in lines[0], lines


def test_brackets_inside_strings_and_comments_are_not_nesting(camden_path):
    tail = (
        "\n[scenario2]  # " + "[" * 50 + "\n"
        'a = "' + "[" * 50 + '\\""\n'
        "b = '" + "{" * 50 + "'\n"
        'c = """' + "[" * 50 + "\n" + "{" * 50 + '"""\n'
    )
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(_camden(camden_path) + tail, "strings.toml")
    assert caught.value.lines[0].startswith("strings.toml: scenario2: unknown key"), (
        caught.value.lines
    )


def test_a_file_too_big_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.toml"
    path.write_bytes(b"# " + b"x" * MAX_FILE_BYTES)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.lines == [
        f"{path}: the file is {MAX_FILE_BYTES + 2:,} bytes; a scenario file may be at most "
        f"{MAX_FILE_BYTES:,} bytes"
    ], caught.value.lines


def test_a_long_description_is_refused_and_a_shorter_one_kept(camden_path):
    text = _camden(camden_path)
    start = text.index('description = "') + len('description = "')
    end = text.index('"', start)
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(text[:start] + "x" * 20_000 + text[end:], "long.toml")
    assert caught.value.lines == [
        "long.toml: scenario.description: must be at most 10,000 characters, got 20,000"
    ], caught.value.lines
    kept = scenario_from_text(text[:start] + "x" * 9_000 + text[end:], "kept.toml")
    assert len(kept.scenario.description) == 9_000, len(kept.scenario.description)


def test_a_byte_order_mark_and_windows_line_ends_are_read(camden_path, tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + _camden(camden_path).replace("\n", "\r\n").encode())
    assert load_scenario(path) == load_scenario(camden_path), "a BOM changed the scenario"


def test_broken_utf8_names_the_byte(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_bytes(b'[scenario]\nname = "caf\xe9"\n')
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.lines == [
        f"{path}: not UTF-8 text (byte 23 cannot be read); save it as UTF-8"
    ], caught.value.lines


# --------------------------------------------------------------------------- [uncertainty]


@pytest.mark.parametrize(
    ("entry", "accepted"),
    [
        ('{ distribution = "gamma", mean = 1e300, sd = 1e300, source = "x" }', False),
        ('{ distribution = "gamma", mean = 0.3, sd = 1e-300, source = "x" }', False),
        ('{ distribution = "gamma", mean = 80, sd = 10, source = "x" }', False),  # draws > 100
        ('{ distribution = "lognormal", mean = 0.15, sd = 0.05, source = "x" }', True),
        ('{ distribution = "gamma", mean = 0.3, sd = 0.1, source = "x" }', True),
    ],
)
def test_uncertainty_on_a_capped_rate(camden_path, entry, accepted):
    key = '"workforce.roles.social_worker.turnover"'
    text = _camden(camden_path).replace("[uncertainty]\n", f"[uncertainty]\n{key} = {entry}\n")
    if accepted:
        scenario = scenario_from_text(text, "u.toml")
        assert "workforce.roles.social_worker.turnover" in scenario.uncertainty
        return
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(text, "u.toml")
    assert all(f"u.toml: uncertainty.{key}" in x for x in caught.value.lines), caught.value.lines


def test_huge_uncertainty_is_refused_by_validate_so_run_never_meets_it(
    tmp_path, monkeypatch, capsys, camden_path
):
    entry = '"champions.dropout_unsupported" = { distribution = "gamma", mean = 1e300, sd = 1e300'
    text = _camden(camden_path)
    start = text.index('"champions.dropout_unsupported" = {')
    text = text[:start] + entry + text[text.index(", source", start) :]
    path = tmp_path / "huge.toml"
    path.write_text(text, encoding="utf-8")
    for command in ("validate", "run"):
        code, out, err = run_main([command, str(path)], tmp_path, monkeypatch, capsys)
        assert code == 2, (code, err)
        assert 'uncertainty."champions.dropout_unsupported"' in err, (code, err)
    assert [p.name for p in tmp_path.iterdir()] == ["huge.toml"], "run wrote a folder"


# --------------------------------------------------------------------------- inherited


class _NewTable(_Frozen):
    """A table another engineer might add: plain annotations, no bounds of its own."""

    rate: float = 0.0
    label: str = ""
    counts: tuple[int, ...] = ()


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"rate": float("inf")}, "finite"),
        ({"rate": 1e12}, "at most 1e\\+09"),
        ({"label": "x" * 10_001}, "at most 10,000 characters"),
        ({"counts": (1, 10**12)}, "at most 1e\\+09"),
        ({"counts": tuple(range(10_001))}, "at most 10,000 items"),
    ],
)
def test_a_table_added_later_inherits_the_rule(values, words):
    with pytest.raises(ValueError, match=words):
        _NewTable(**values)


# --------------------------------------------------------------------------- bounded work


def test_the_completion_chance_on_a_grid_matches_the_exact_count():
    days = [1.0, 2.0, 0.5, 1.25, 0.75, 2.5, 1.5, 3.0, 0.25, 1.75]  # hundredths: exact
    design = Foundation(
        sessions=[{"after_months": 0, "days": d} for d in days],
        attendance=0.7,
        min_days_to_complete=8.0,
    )
    exact, grid = completion_probability(design), _completion_on_a_grid(design)
    assert abs(exact - grid) < 1e-12, (exact, grid)


def test_the_completion_chance_of_a_hundred_different_sessions_is_worked_out():
    design = Foundation(
        sessions=[{"after_months": 0, "days": 1 + i / 100} for i in range(100)],
        attendance=0.5,
        min_days_to_complete=75.0,  # half of the 149.5 days: about half complete
    )
    chance = completion_probability(design)
    assert 0.4 < chance < 0.6, chance


def test_pictures_cut_names_short_on_one_line_and_escape_dollars():
    from sim.outputs.pictures import NAME_WIDTH, short

    cut = short("Phase\n" + "n" * 1_000_000)
    assert len(cut) == NAME_WIDTH, cut[:80]
    assert cut.endswith("…"), cut[:80]
    assert "\n" not in cut, cut[:80]
    assert short("$x^$ cost") == r"\$x^\$ cost"
    assert short("Phase 2") == "Phase 2"
    assert short("\x1b[31mred\x00") == "\\x1b[31mred\\x00", short("\x1b[31mred\x00")


def test_a_megabyte_key_gives_a_short_line(camden_path):
    text = _camden(camden_path).replace("[scenario]\n", "[scenario]\n" + "k" * 900_000 + " = 1\n")
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(text, "long.toml")
    lines = caught.value.lines
    assert len(lines) == 1, lines[0][:300]
    assert "unknown key" in lines[0], lines[0][:300]
    assert len(lines[0]) <= 1_000, lines[0][:300]


def test_a_role_name_longer_than_a_name_is_refused(camden_path):
    text = _camden(camden_path).replace("[workforce.roles.senior_leader]", "[workforce.roles.x]")
    text = text.replace("roles.x]", "roles." + "s" * 201 + "]")
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(text, "role.toml")
    assert (
        "role.toml: workforce.roles: a name may be at most 200 characters, got one of 201"
        in caught.value.lines
    ), caught.value.lines[:3]


@pytest.mark.parametrize(
    ("vary", "words"),
    [
        ("champions.target=true", "champions.target: must be a whole number, got true"),
        ('champions.target="4"', "champions.target: must be a whole number, got '4'"),
    ],
)
def test_vary_values_are_as_strict_as_a_file(vary, words, tmp_path, monkeypatch, capsys):
    args = ["sweep", "camden", "--vary", vary, "--reps", "2"]
    code, out, err = run_main(args, tmp_path, monkeypatch, capsys)
    assert code == 2, (code, err)
    assert words in err, (code, err)
    assert not list(tmp_path.iterdir()), list(tmp_path.iterdir())


def test_a_date_range_stepping_past_the_calendar_ends_there():
    from datetime import date

    from sim.experiments.grid import parse_vary

    vary = parse_vary("programme.phases.1.start=2017-11-01:2018-11-01:99999999999")
    assert vary.values == (date(2017, 11, 1),), vary.values


@pytest.mark.parametrize(
    ("family", "mean", "sd"),
    [
        ("gamma", 0.3, 0.1),
        ("gamma", 0.3, 0.3),
        ("gamma", 1.0, 10.0),
        ("gamma", 5.0, 0.01),
        ("lognormal", 0.15, 0.05),
        ("lognormal", 1.0, 3.0),
        ("normal", 5.0, 1.0),
    ],
)
def test_the_highest_draw_is_at_or_above_the_top_quantile(family, mean, sd):
    from sim.scenario.uncertainty import TOP_QUANTILE, Distribution, highest_draw

    dist = Distribution(distribution=family, mean=mean, sd=sd, source="test")
    bound, top = highest_draw(dist), float(dist.ppf(TOP_QUANTILE))
    assert top <= bound * (1 + 1e-9), f"{family}({mean}, {sd}): bound {bound} below {top}"
    assert bound <= 1.5 * top, f"{family}({mean}, {sd}): bound {bound} far above {top}"


def test_an_open_tail_on_a_key_without_a_bound_stays_within_the_largest_number(camden_path):
    key = '"practice.half_life_months"'
    text = _camden(camden_path)
    start = text.index(f"{key} = {{")
    end = text.index("\n", start)
    entry = f'{key} = {{ distribution = "gamma", mean = 5e8, sd = 5e8, source = "x" }}'
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(text[:start] + entry + text[end:], "u.toml")
    assert any(
        f"u.toml: uncertainty.{key}: a gamma distribution gives values" in line
        and "≤ 1e+09" in line
        for line in caught.value.lines
    ), caught.value.lines


def test_a_draw_that_breaks_a_rule_between_keys_is_refused_before_any_run(
    camden_path, tmp_path, monkeypatch, capsys
):
    # Found by the fuzzer: posts drawn below the role's initial vacancies failed mid-run.
    key = '"workforce.roles.social_worker.posts"'
    entry = f'{key} = {{ distribution = "beta", mean = 0.5, sd = 0.49, source = "x" }}\n'
    path = tmp_path / "draws.toml"
    path.write_text(_camden(camden_path).replace("[uncertainty]\n", "[uncertainty]\n" + entry))
    code, out, err = run_main(["run", str(path), "--reps", "3"], tmp_path, monkeypatch, capsys)
    assert code == 2, (code, err)
    assert f"uncertainty.{key}: a replication can draw" in err
    assert "cannot exceed posts" in err
    assert [p.name for p in tmp_path.iterdir()] == ["draws.toml"], "run wrote a folder"
