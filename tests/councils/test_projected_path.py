"""``rollout new --council`` writes the council's observed path and a projection beyond it
(sim/councils/projected_path.py), which load, validate and are said in words.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import base_data, make_scenario

from sim.councils.builder import new_scenario
from sim.councils.names import find_council
from sim.councils.scenario_writer import starting_vacancies
from sim.experiments.replications import replicate
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


def test_the_run_starts_as_the_last_year_read_stood(camden):
    """Camden 2020 (the year the projection carries forward): 13.0 vacancies / 202.0 posts
    (in post 189.0 + vacancies 13.0) = 6.44 %. The posts pooled over 2017-2020 are 234, and
    the start's posts_factor (202.0 / 234 = 0.863) opens fewer of them than that, so the
    vacant are counted on all 234: 0.0644 x 234 = 15.06 -> 15 (about 13 of them on the 202
    open posts). The pooled 2017-2020 rate would have given 0.199 x 234 = 47.
    """
    made, scenario = camden
    row = find_council("Camden").figures[2020]
    rate = row["vacancy_fte"] / (row["inpost_fte"] + row["vacancy_fte"])
    posts = sum(r.posts for r in scenario.workforce.roles.values())
    factor = scenario.workforce.over_time.points[-1].posts_factor
    assert factor < 1, factor  # posts were cut by 2020: the case where the count needs all posts
    vacant = sum(r.initial_vacancies for r in scenario.workforce.roles.values())
    assert vacant == round(rate * posts) == 15, (vacant, rate, posts)
    assert made.vacant == vacant, made.vacant
    line = next(x for x in made.text.splitlines() if x.startswith("initial_vacancies = 12"))
    assert "vacancy rate 2020 6.4 %" in line, line
    assert "starts as 2020 stood" in line, line


@pytest.mark.parametrize(
    ("posts", "rate", "factor", "wanted"),
    [
        ([100], 0.1, 1.0, [10]),  # no path: the rate of the posts
        ([100], 0.1, 1.3, [13]),  # 130 open, the 30 grown ones filled: 13 of 130
        ([100], 0.1, 0.8, [10]),  # 80 open, 10 drawn among 100: 8 of the 80 on average
        ([10], 0.5, 3.0, [10]),  # never more than the role's own posts
        ([30, 70], 0.2, 1.0, [6, 14]),  # split by posts
    ],
)
def test_starting_vacancies_give_the_rate_of_the_posts_open_at_the_start(
    posts, rate, factor, wanted
):
    assert starting_vacancies(posts, rate, factor) == wanted


@pytest.mark.parametrize("factor", [0.8, 1.25])
def test_in_the_model_the_rate_of_open_posts_vacant_on_day_0_is_the_rate_asked(factor):
    """1,000 posts, nobody leaves and no vacancy is filled within the first month (a
    10,000-month delay), a path point on the start with ``factor``, and the vacancies of
    :func:`starting_vacancies` for 20 %. Grown (1.25): 250 drawn among the 1,000 posts,
    all open, and the 250 new posts filled: 250 of 1,250, exactly. Cut (0.8): 200 drawn
    among 1,000 of which 800 are open: hypergeometric, mean 160, sd sqrt(200 x 0.8 x 0.2 x
    800 / 999) = 5.06, so the mean of 20 futures is 160 within 4 x 5.06 / sqrt(20) = 4.5.
    Counting the vacant on the open posts (0.2 x 800 = 160 drawn) would give a mean of 128.
    """
    start = date(2021, 1, 1)
    data = base_data()
    data["scenario"].update(start=start, horizon_months=2)
    data["workforce"]["supervisor_role"] = None
    (vacant,) = starting_vacancies([1000], 0.2, factor)
    data["workforce"]["roles"] = {
        "worker": {
            "posts": 1000,
            "turnover": 0.0,
            "hiring_delay_months": 1e4,
            "initial_vacancies": vacant,
        }
    }
    data["workforce"]["over_time"] = {"points": [{"date": start, "posts_factor": factor}]}
    ts = replicate(make_scenario(data), reps=20, seed=5).timeseries
    first = ts[ts["month"] == 0]
    opened = round(1000 * factor)
    assert (first["vacancies"] + first["headcount"] == opened).all(), first
    if factor > 1:
        assert (first["vacancies"] == 250).all(), first["vacancies"].tolist()
    else:
        assert abs(first["vacancies"].mean() - 160) < 4.5, first["vacancies"].tolist()
