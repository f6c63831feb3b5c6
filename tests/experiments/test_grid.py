"""Parsing of experiment arguments: --vary values and ranges, grids, --target, --variant."""

from __future__ import annotations

from datetime import date

import pytest

from sim.commands.requests import parse_compare_args
from sim.experiments.grid import expand_grid, parse_vary
from sim.experiments.targets import parse_target
from sim.scenario import ScenarioError

MEASURES = ["coverage_horizon", "months_to_80_coverage"]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("k=0:24:3", (0, 3, 6, 9, 12, 15, 18, 21, 24)),  # stop included: it lands on it
        ("k=0:10:4", (0, 4, 8)),  # stop not landed on: not included
        ("k=24:0:-12", (24, 12, 0)),
        ("k=0:1:0.25", (0.0, 0.25, 0.5, 0.75, 1.0)),
        ("k=0.1:0.3:0.1", (0.1, 0.2, 0.3)),  # no 0.30000000000000004, and 0.3 included
        ("k=1, 5:7:1, 10", (1, 5, 6, 7, 10)),
        ("k=0.5,0.75", (0.5, 0.75)),
        ("k=true,false", (True, False)),
        ("k=2017-11-01,2018-05-01", (date(2017, 11, 1), date(2018, 5, 1))),
        (
            "k=2017-11-01:2018-11-01:4",
            (date(2017, 11, 1), date(2018, 3, 1), date(2018, 7, 1), date(2018, 11, 1)),
        ),
        (
            "k=2018-01-31:2018-04-30:1",
            (date(2018, 1, 31), date(2018, 2, 28), date(2018, 3, 31), date(2018, 4, 30)),
        ),
    ],
)
def test_vary_values_and_ranges(text, values):
    vary = parse_vary(text)
    assert vary.key == "k", f"key {vary.key!r}"
    assert vary.values == values, f"{text}: {vary.values}"
    assert [type(v) for v in vary.values] == [type(v) for v in values], f"types {vary.values}"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("k", "expected KEY=V1,V2"),
        ("=1,2", "expected KEY=V1,V2"),
        ("k=", "expected KEY=V1,V2"),
        ("k=1,,2", "empty value"),
        ("k=0:10:0", "step must be non-zero"),
        ("k=0:10:-1", "step must be non-zero"),
        ("k=0:10", "must be start:stop:step"),
        ("k=a:b:1", "must be numbers"),
        ("k=2018-01-01:2019-01-01:0", "whole months"),
        ("k=1,2,1", "given twice"),
        ("a b=1", "not a dotted key path"),
        ("k=0:1000000:1", "too many"),
    ],
)
def test_bad_vary_is_one_line_naming_the_key(text, fragment):
    with pytest.raises(ScenarioError) as err:
        parse_vary(text)
    assert len(err.value.lines) == 1, f"lines {err.value.lines}"
    line = err.value.lines[0]
    assert line.startswith("--vary"), f"line {line!r}"
    assert fragment in line, f"{fragment!r} not in {line!r}"


def test_two_dimensional_grid_first_key_outermost():
    grid = expand_grid([parse_vary("a=1,2"), parse_vary("b=0:20:10")])
    want = [{"a": a, "b": b} for a in (1, 2) for b in (0, 10, 20)]
    assert grid == want, f"grid {grid}"


@pytest.mark.parametrize("count", [0, 3])
def test_grid_of_zero_or_three_keys_is_refused(count):
    with pytest.raises(ScenarioError) as err:
        expand_grid([parse_vary(f"k{i}=1,2") for i in range(count)])
    assert "one or two keys" in err.value.lines[0], f"{err.value.lines}"


def test_same_key_twice_is_refused():
    with pytest.raises(ScenarioError) as err:
        expand_grid([parse_vary("k=1,2"), parse_vary("k=3")])
    assert "swept twice" in err.value.lines[0], f"{err.value.lines}"


@pytest.mark.parametrize(
    ("text", "op", "value"),
    [
        ("coverage_horizon>=0.6", ">=", 0.6),
        ("coverage_horizon >= 60%", ">=", 0.6),
        ("months_to_80_coverage<=24", "<=", 24.0),
        ("coverage_horizon<0.5", "<", 0.5),
    ],
)
def test_target(text, op, value):
    target = parse_target(text, MEASURES)
    assert (target.op, target.value) == (op, pytest.approx(value)), f"{target}"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("coverage>=0.6", "unknown measure 'coverage'"),
        ("coverage_horizon=0.6", "expected METRIC>=VALUE"),
        ("coverage_horizon>=high", "not a number"),
        (">=0.6", "expected METRIC>=VALUE"),
    ],
)
def test_bad_target(text, fragment):
    with pytest.raises(ScenarioError) as err:
        parse_target(text, MEASURES)
    assert len(err.value.lines) == 1, f"{err.value.lines}"
    assert fragment in err.value.lines[0], f"{err.value.lines}"


def test_compare_arguments_with_variants():
    names, variants = parse_compare_args(
        ["camden", "--variant", "late", "a.b=1", "c=2019-01-01", "--variant", "x", "d=3"]
    )
    assert names == ["camden"], f"scenarios {names}"
    got = [(v.name, v.changes) for v in variants]
    assert got == [("late", ("a.b=1", "c=2019-01-01")), ("x", ("d=3",))], f"variants {got}"


@pytest.mark.parametrize(
    ("items", "fragment"),
    [
        (["camden"], "two or more"),
        (["camden", "--variant"], "expected --variant NAME"),
        (["camden", "--variant", "late"], "at least one KEY=VALUE"),
        (["camden", "--variant", "a=1"], "expected --variant NAME"),
        (["camden", "--variant", "late", "nonsense"], "is not KEY=VALUE"),
        (["a", "b", "--variant", "late", "k=1"], "name exactly one"),
        (["camden", "--rep", "5"], "unknown option"),
    ],
)
def test_bad_compare_arguments(items, fragment):
    with pytest.raises(ScenarioError) as err:
        parse_compare_args(items)
    assert len(err.value.lines) == 1, f"{err.value.lines}"
    assert fragment in err.value.lines[0], f"{err.value.lines}"
