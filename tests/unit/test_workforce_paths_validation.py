"""Validation of [workforce.over_time] and [workforce.shock]: one line per problem, exit 2."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from conftest import base_data, make_scenario, run_main

from sim.scenario import ScenarioError, validate
from sim.scenario.lever_conditions import CONDITIONS
from sim.scenario.lever_registry import lever_for


def data_with(points=None, shock=None, **over_time) -> dict:
    data = base_data()  # starts 2020-01-01, runs 24 months
    if points is not None:
        data["workforce"]["over_time"] = {"points": points, **over_time}
    if shock is not None:
        data["workforce"]["shock"] = shock
    return data


def problems(data: dict) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        validate(copy.deepcopy(data), "<test>", strict=True)
    return caught.value.lines


def test_dates_out_of_order_name_both_points():
    points = [{"date": date(2021, 1, 1)}, {"date": date(2020, 6, 1)}, {"date": date(2020, 6, 1)}]
    lines = problems(data_with(points))
    out_of_order = [line for line in lines if "strictly increase" in line]
    assert len(out_of_order) == 2, f"lines: {lines}"
    assert "workforce.over_time.points.1.date" in out_of_order[0], f"line: {out_of_order[0]}"
    assert "points.0.date (2021-01-01)" in out_of_order[0], f"line: {out_of_order[0]}"
    assert "workforce.over_time.points.2.date" in out_of_order[1], f"line: {out_of_order[1]}"


def test_a_point_after_the_horizon_is_refused():
    lines = problems(data_with([{"date": date(2022, 1, 2), "posts_factor": 1.1}]))
    assert lines == [
        "<test>: workforce.over_time.points.0.date: 2022-01-02 is after the horizon's end "
        "(2022-01-01); a point falls within the run or before it"
    ], f"lines: {lines}"


def test_a_point_before_the_start_is_allowed():
    scenario = make_scenario(data_with([{"date": date(2019, 1, 1), "posts_factor": 1.5}]))
    point = scenario.workforce.over_time.points[0]
    assert point.posts_factor == 1.5, f"point: {point}"


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("posts_factor", 11.0, "must be ≤ 10"),
        ("posts_factor", -0.1, "must be ≥ 0"),
        ("turnover_points", 101.0, "must be ≤ 100"),
        ("turnover_points", -101.0, "must be ≥ -100"),
        ("hiring_delay_factor", -1.0, "must be ≥ 0"),
        ("agency_cover_factor", float("inf"), "finite"),
        ("bogus", 1.0, "unknown key"),
    ],
)
def test_point_values_out_of_range_name_the_key(key, value, says):
    lines = problems(data_with([{"date": date(2020, 6, 1), key: value}]))
    assert len(lines) == 1, f"lines: {lines}"
    assert f"workforce.over_time.points.0.{key}" in lines[0], f"line: {lines[0]}"
    assert says in lines[0], f"line: {lines[0]}"


def test_every_problem_is_reported_at_once():
    lines = problems(
        data_with(
            [{"date": date(2021, 1, 1), "posts_factor": 20.0}, {"date": date(2020, 1, 1)}],
            shock={"posts_cut": 1.5, "months": -1.0},
            interpolation="cubic",
        )
    )
    keys = sorted(line.split(": ")[1] for line in lines)
    assert keys == [
        "workforce.over_time.interpolation",
        "workforce.over_time.points.0.posts_factor",
        "workforce.over_time.points.1.date",
        "workforce.shock.months",
        "workforce.shock.posts_cut",
    ], f"lines: {lines}"


def test_growth_beyond_the_posts_limit_is_refused():
    data = data_with([{"date": date(2020, 6, 1), "posts_factor": 10.0}])
    data["workforce"]["roles"]["worker"]["posts"] = 20_000
    lines = problems(data)
    assert any("at most 100,000 can run" in line for line in lines), f"lines: {lines}"


def test_bad_path_on_the_command_line_exits_2_with_one_line_and_no_output(
    tmp_path, monkeypatch, capsys, camden_path
):
    out = tmp_path / "out"
    code, _, err = run_main(
        ["run", str(camden_path), "--set", "workforce.shock.posts_cut=2", "--out", str(out)],
        tmp_path,
        monkeypatch,
        capsys,
    )
    assert code == 2, f"exit {code}, stderr {err!r}"
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"stderr: {err!r}"
    assert "workforce.shock.posts_cut: must be ≤ 1, got 2" in lines[0], f"stderr: {err!r}"
    assert not out.exists(), "bad input wrote a folder"


def test_set_starts_a_shock_the_file_left_out():
    scenario = make_scenario().with_changes({"workforce.shock.months": 6})
    shock = scenario.workforce.shock
    assert shock is not None, "no shock after --set workforce.shock.months"
    assert shock.months == 6, f"months: {shock.months}"
    assert shock.turnover_points == 0, f"turnover_points: {shock.turnover_points}"


def test_shock_levers_are_in_the_registry_and_switched_on_with_a_shock():
    for key in ("turnover_points", "months", "start_after_months", "hiring_freeze", "posts_cut"):
        lever = lever_for(f"workforce.shock.{key}")
        assert lever is not None, f"workforce.shock.{key} not in the lever registry"
        assert lever.mechanism == "workforce", f"{key} works through {lever.mechanism}"
        assert lever.when == "shock", f"{key} switched on when {lever.when}"
    without = make_scenario()
    with_shock = make_scenario(data_with(shock={"months": 12, "turnover_points": 5.0}))
    assert not CONDITIONS["shock"](without, {}), "shock levers on without a shock"
    assert CONDITIONS["shock"](with_shock, {}), "shock levers off with a shock"
