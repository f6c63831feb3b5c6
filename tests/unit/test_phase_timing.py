"""Phases given by dates or relative to the previous phase, and overrides that move them."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import REPO, make_scenario

from sim.scenario import ScenarioError, load_scenario


def phases(*tables):
    return [{"name": f"P{i + 1}", "supplies": [], **t} for i, t in enumerate(tables)]


def test_relative_phases_resolve_from_the_previous_end():
    # P1 by dates; P2 starts 3 months after the day after P1 ends (2020-07-01 + 3 months =
    # 2020-10-01) and lasts 12 months (to 2021-09-30); P3 follows at once for 1 month.
    scenario = make_scenario(
        scenario__horizon_months=36,
        programme__phases=phases(
            {"start": date(2020, 1, 1), "end": date(2020, 6, 30)},
            {"start_after_months": 3, "months": 12},
            {"start_after_months": 0, "months": 1},
        ),
    )
    expected = [
        (date(2020, 1, 1), date(2020, 6, 30)),
        (date(2020, 10, 1), date(2021, 9, 30)),
        (date(2021, 10, 1), date(2021, 10, 31)),
    ]
    assert scenario.phase_dates() == expected, f"resolved {scenario.phase_dates()}"


def test_first_relative_phase_counts_from_the_scenario_start():
    scenario = make_scenario(programme__phases=phases({"start_after_months": 2, "months": 3}))
    got = scenario.phase_dates()
    assert got == [(date(2020, 3, 1), date(2020, 5, 31))], f"resolved {got}"


@pytest.mark.parametrize(
    ("table", "missing"),
    [
        ({"start": date(2020, 1, 1), "start_after_months": 1, "months": 2}, "start and start"),
        ({"months": 2}, "start and start_after_months"),
        ({"start": date(2020, 1, 1), "end": date(2020, 2, 1), "months": 2}, "end and months"),
    ],
)
def test_exactly_one_form_of_each_date(table, missing):
    with pytest.raises(ScenarioError) as caught:
        make_scenario(programme__phases=phases(table))
    lines = caught.value.lines
    assert any("programme.phases.0" in line and missing in line for line in lines), lines


def test_override_of_one_form_replaces_the_other():
    # Camden gives Phase 2 by dates; placing it relative to Phase 1 by --set moves both ends:
    # Phase 1 ends 2017-09-30, so 6 months after 2017-10-01 is 2018-04-01, for 12 months.
    camden = REPO / "scenarios" / "camden.toml"
    moved = load_scenario(
        camden, ["programme.phases.1.start_after_months=6", "programme.phases.1.months=12"]
    )
    got = moved.phase_dates()[1]
    assert got == (date(2018, 4, 1), date(2019, 3, 31)), f"Phase 2 resolved to {got}"
    assert moved.programme.phases[1].start is None, "the replaced start should be gone"


def test_a_later_phase_moves_with_the_one_before():
    base = make_scenario(
        scenario__horizon_months=48,
        programme__phases=phases(
            {"start": date(2020, 1, 1), "months": 6},
            {"start_after_months": 1, "months": 6},
        ),
    )
    longer = base.with_changes({"programme.phases.0.months": 12})
    assert longer.phase_dates()[1] == (date(2021, 2, 1), date(2021, 7, 31)), (
        f"second phase resolved to {longer.phase_dates()[1]}"
    )
    assert base.phase_dates()[1] == (date(2020, 8, 1), date(2021, 1, 31)), "original changed"
