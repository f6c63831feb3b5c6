"""An observation's 95% bar stops where its measure can go no further (0, and 100% for a share)."""

from __future__ import annotations

from datetime import date

import pytest

from sim.outputs.canvas import plt
from sim.outputs.observed import draw_observations
from sim.scenario.observed import Z95, Observation


def bar_ends(measure, value, sd):
    fig, ax = plt.subplots()
    seen = [Observation(2, date(2017, 9, 30), 22, measure, value, sd)]
    handle = draw_observations(ax, seen, measure, "#d9730d")
    (segment,) = handle.lines[2][0].get_segments()
    plt.close(fig)
    return float(segment[:, 1].min()), float(segment[:, 1].max())


def test_a_share_at_100_percent_has_no_bar_above_it():
    low, high = bar_ends("coverage", 1.0, 0.1)
    assert high == pytest.approx(1.0), f"the bar reaches {high:.0%}, above 100%"
    assert low == pytest.approx(1.0 - Z95 * 0.1), f"the bar below was cut too: {low}"


def test_a_count_near_zero_has_no_bar_below_zero():
    low, high = bar_ends("trained", 10.0, 25.0)
    assert low == pytest.approx(0.0), f"the bar reaches {low}, below 0"
    assert high == pytest.approx(10.0 + Z95 * 25.0), f"a count's bar was cut above: {high}"
