"""Observed figures beside the futures: read as ``rollout calibrate`` reads them (problems
naming the upload), set against the band of 9 futures in 10 month by month, in words.
"""

from __future__ import annotations

import pytest
from experiments.expkit import cohort_scenario

from sim.app import logic, observed
from sim.scenario.keys import ScenarioError


@pytest.fixture(scope="module")
def run():
    scenario = cohort_scenario()
    result = logic.run_experiment(logic.to_json(scenario), 2, 6, workers=1)
    return scenario, result["files"]["timeseries.csv"]


def _csv(rows: list[tuple[str, str, float]]) -> bytes:
    lines = ["date,measure,value,sd"] + [f"{d},{m},{v},0.02" for d, m, v in rows]
    return ("\n".join(lines) + "\n").encode()


def test_a_figure_below_the_band_says_the_plan_is_behind(run):
    scenario, timeseries = run
    band = observed.bands(timeseries, ["coverage"])["coverage"]
    month = 12  # 2021-01-01, the first day of month 12
    low, middle = float(band.loc[month, "low"]), float(band.loc[month, "middle"])
    assert low > 0.05, f"the band starts too low for a figure below it: {low}"
    within = float(band.loc[6, "middle"])
    data = _csv([("2021-01-01", "coverage", low - 0.05), ("2020-07-01", "coverage", within)])
    seen = observed.read_figures("figures.csv", data, scenario)
    answer = observed.against(seen, timeseries, scenario)
    assert answer["outside"] == [
        "Trained (coverage) in January 2021 was below 9 futures in 10: the plan is running behind."
    ], answer["outside"]
    assert answer["verdict"].endswith("running behind."), answer["verdict"]
    places = [row["where it falls"] for row in answer["rows"]]
    assert places == ["below 9 futures in 10", "within the range of 9 futures in 10"], places
    assert middle >= low, (middle, low)


def test_figures_within_the_band_are_on_track(run):
    scenario, timeseries = run
    band = observed.bands(timeseries, ["coverage"])["coverage"]
    data = _csv([("2020-12-01", "coverage", float(band.loc[11, "middle"]))])
    answer = observed.against(observed.read_figures("f.csv", data, scenario), timeseries, scenario)
    assert answer["outside"] == [], answer
    assert "on track" in answer["verdict"], answer["verdict"]


def test_the_chart_is_a_picture(run):
    scenario, timeseries = run
    data = _csv([("2020-12-01", "coverage", 0.5), ("2020-12-01", "headcount", 18)])
    seen = observed.read_figures("f.csv", data, scenario)
    found = observed.bands(timeseries, ["coverage", "headcount"])
    assert observed.chart(seen, found, scenario)[:8] == b"\x89PNG\r\n\x1a\n"


def test_problems_name_the_upload_not_a_temporary_file():
    data = b"date,measure,value,sd\n2020-02-01,coverag,0.5,0.1\n1999-01-01,coverage,0.5,0.1\n"
    with pytest.raises(ScenarioError) as caught:
        observed.read_figures("quarter.csv", data, cohort_scenario())
    lines = caught.value.lines
    assert len(lines) == 2, lines
    assert all(line.startswith("quarter.csv, row ") for line in lines), lines


def test_calibrate_is_offered_with_the_plans_files():
    words, command = observed.calibrate_words("Camden 2026")
    assert "Calibration" in words, words
    assert command == (
        "rollout calibrate plans/Camden 2026.toml --observed plans/Camden 2026.observed.csv"
    )


def test_a_figure_known_roughly_is_not_called_off_track_within_its_error(run):
    scenario, timeseries = run
    high = float(observed.bands(timeseries, ["coverage"])["coverage"].loc[12, "high"])
    rough = b"date,measure,value,sd\n2021-01-01,coverage," + str(high + 0.05).encode() + b",0.1\n"
    sure = b"date,measure,value,sd\n2021-01-01,coverage," + str(high + 0.05).encode() + b",0.01\n"
    said = {}
    for name, data in (("rough", rough), ("sure", sure)):
        seen = observed.read_figures(f"{name}.csv", data, scenario)
        said[name] = observed.against(seen, timeseries, scenario)["rows"][0]["where it falls"]
    assert said == {
        "rough": "outside 9 futures in 10 but within its own margin of error",
        "sure": "above 9 futures in 10",
    }, said


def test_the_app_and_the_command_line_use_one_band(run):
    # The app's band (observed.bands), the command line's check (check_observations) and
    # the run's coverage picture (canvas.bands) are one computation: the same numbers.
    import io

    import pandas as pd

    from sim.outputs.canvas import bands as picture_bands
    from sim.outputs.observed import check_observations, futures_by_month

    scenario, timeseries = run
    measures = ["coverage", "practising_share", "headcount"]
    app = observed.bands(timeseries, measures)
    table = pd.read_csv(io.BytesIO(timeseries))
    rows = [f"{day},{m},0.5,0.1" for m in measures for day in ("2020-07-01", "2021-01-01")]
    seen = observed.read_figures(
        "f.csv", ("date,measure,value,sd\n" + "\n".join(rows) + "\n").encode(), scenario
    )
    values = {m: futures_by_month(table, m) for m in measures}
    check = check_observations(seen, values)
    for row in check.itertuples():
        band = app[row.measure].loc[row.month]
        said = (band["low"], band["middle"], band["high"])
        assert said == (row.p5, row.p50, row.p95), f"{row.measure} month {row.month}: {said}"
    for m in measures:
        drawn = picture_bands(table, m)
        assert drawn["low"].tolist() == app[m]["low"].tolist(), f"{m}: picture's low differs"
        assert drawn["high"].tolist() == app[m]["high"].tolist(), f"{m}: picture's high differs"


def test_the_band_is_the_5th_to_95th_percentile_of_futures():
    import numpy as np

    from sim.outputs.observed import band_of_futures

    futures = np.arange(101, dtype=float)[:, None] * [1.0, 2.0]  # 101 futures, 2 months
    low, middle, high = band_of_futures(futures)
    assert low.tolist() == [5.0, 10.0], f"low {low}"
    assert middle.tolist() == [50.0, 100.0], f"middle {middle}"
    assert high.tolist() == [95.0, 190.0], f"high {high}"
