"""``rollout new --council`` writes the council's observed path and a projection beyond it
(sim/councils/projected_path.py), which load, validate and are said in words.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from sim.councils.builder import new_scenario
from sim.councils.names import find_council
from sim.scenario.explain import explain
from sim.scenario.loading import scenario_from_text

START = date(2020, 10, 1)


@pytest.fixture(scope="module")
def camden():
    made = new_scenario("camden", years="2017:2020", start=START)
    return made, scenario_from_text(made.text, "<camden>")


def test_one_point_per_year_read_then_the_projection_on_the_start(camden):
    made, scenario = camden
    points = scenario.workforce.over_time.points
    dates = [p.date for p in points]
    assert dates[:-1] == [date(y, 9, 30) for y in made.years], dates
    assert dates[-1] == START, dates
    last, projected = points[-2], points[-1]
    assert projected.posts_factor == last.posts_factor, (last, projected)
    assert projected.turnover_points == last.turnover_points, (last, projected)


def test_a_years_posts_factor_is_its_posts_over_the_pooled_posts(camden):
    made, scenario = camden
    row = find_council("Camden").figures[2019]
    posts = sum(r.posts for r in scenario.workforce.roles.values())
    wanted = (row["inpost_fte"] + row["vacancy_fte"]) / posts
    point = scenario.workforce.over_time.points[made.years.index(2019)]
    assert point.posts_factor == pytest.approx(wanted, abs=0.0006), (point, wanted)
    turnover = next(iter(scenario.workforce.roles.values())).turnover
    points = 100 * (row["leavers_fte"] / row["inpost_fte"] - turnover)
    assert point.turnover_points == pytest.approx(points, abs=0.006), (point, points)


def test_the_projection_is_drawn_once_per_future_and_the_delay_on_a_log_scale(camden):
    made, scenario = camden
    index = len(made.years)
    for name in ("posts_factor", "turnover_points", "agency_cover_factor"):
        key = f"workforce.over_time.points.{index}.{name}"
        assert key in scenario.uncertainty, list(scenario.uncertainty)
        assert "naive+national" in scenario.uncertainty[key].source, scenario.uncertainty[key]
    delay = scenario.uncertainty["workforce.hiring_delay_factor"]
    assert delay.distribution == "lognormal", delay
    assert float(delay.ppf(0.001)) > 0, delay
    # No observed point is uncertain: the years read happened.
    earlier = [
        k for k in scenario.uncertainty if re.match(r"workforce\.over_time\.points\.[0-3]\.", k)
    ]
    assert earlier == [], earlier
    # ... and the council's own-spread gamma factors are not drawn on top.
    assert "workforce.turnover_factor" not in scenario.uncertainty, list(scenario.uncertainty)


def test_validate_says_what_the_projection_assumes_in_plain_words(camden):
    _, scenario = camden
    lines = explain(scenario).lines
    start = next(i for i, line in enumerate(lines) if "Workforce over time" in line)
    section = " ".join(" ".join(lines[start : start + 40]).split())
    assert "from 2017-09-30 (before the start)" in section, section
    assert section.count("from the start:") == 1, section
    assert "carries the last one before it (2020-09-30) forward" in section, section
    assert "90% of futures" in section, section
    assert "on a log scale" in section, section
    raw = re.findall(r"\d+\.\d{3,}", section)
    assert raw == [], f"raw figures {raw} in: {section}"


def test_without_projection_the_constants_stand():
    made = new_scenario("camden", years="2017:2020", start=START, projection=False)
    scenario = scenario_from_text(made.text, "<camden>")
    assert scenario.workforce.over_time is None, scenario.workforce.over_time
    assert scenario.uncertainty["workforce.turnover_factor"].distribution == "gamma"
