"""One rule for where an observed figure falls against the band of futures, shared by the
command line, the report and the app.
"""

from sim.app import observed as app_observed
from sim.outputs.observed import ABOVE, BELOW, INSIDE, where_falls


def test_a_figure_known_exactly_is_its_value_against_the_band():
    assert where_falls(0.39, 0.0, 0.40, 0.60) == BELOW
    assert where_falls(0.61, 0.0, 0.40, 0.60) == ABOVE
    assert where_falls(0.50, 0.0, 0.40, 0.60) == INSIDE


def test_a_rough_figure_is_not_off_track_within_its_own_error():
    # 0.35 with sd 0.05: its 95 % interval (0.25 to 0.45) reaches the band's 0.40.
    assert where_falls(0.35, 0.05, 0.40, 0.60) == INSIDE
    # 0.20 with sd 0.05: its interval tops out at about 0.30, below the band.
    assert where_falls(0.20, 0.05, 0.40, 0.60) == BELOW
    assert where_falls(0.80, 0.05, 0.40, 0.60) == ABOVE


def test_the_app_says_what_the_command_line_says():
    """The app's sentence for a figure below the band ends with the command line's verdict."""
    from datetime import date

    import pandas as pd

    from sim.outputs.observed import verdict
    from sim.scenario.observed import Observation

    rows = pd.DataFrame(
        {
            "rep": [0, 0, 1, 1],
            "month": [0, 1, 0, 1],
            "date": ["2020-01-31", "2020-02-29"] * 2,
            "coverage": [0.5, 0.6, 0.5, 0.7],
        }
    )
    seen = [
        Observation(row=2, day=date(2020, 2, 29), month=1, measure="coverage", value=0.1, sd=0.0)
    ]
    answer = app_observed.against(seen, rows.to_csv(index=False).encode(), None)
    assert answer["outside"], answer
    assert answer["outside"][0].endswith(verdict("coverage", BELOW) + "."), answer["outside"]
    assert answer["verdict"].startswith("1 of 1 observed figure below the range"), answer


def test_a_figure_outside_the_band_but_within_its_error_says_so():
    import pandas as pd

    from sim.outputs.observed import observed_sentences

    check = pd.DataFrame(
        [
            {
                "date": "2017-09-30",
                "measure": "coverage",
                "value": 1.0,
                "sd": 0.1,
                "p5": 0.88,
                "p95": 0.96,
                "where": INSIDE,
            },
            {
                "date": "2017-09-30",
                "measure": "coverage",
                "value": 0.9,
                "sd": 0.0,
                "p5": 0.88,
                "p95": 0.96,
                "where": INSIDE,
            },
        ]
    )
    rough, plain = observed_sentences(check, None)
    assert "outside 9 futures in 10 (88% to 96%) but within its own margin of error" in rough, rough
    assert "within 9 futures in 10 (88% to 96%): on track" in plain, plain
