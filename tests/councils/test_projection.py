"""Projections of a council's figures and their hindcast (sim.councils.projection).

Closed forms first (a straight line, a constant, a random walk whose spread is worked out
by hand), then the guarantees every projection keeps (ordered quantiles, bounds, finite),
then the hindcast's scores on a tiny made-up panel whose answer is counted by hand, then
bad input, and last the documented default checked against the shipped figures.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import REPO
from scipy.stats import t as student

from sim.councils.figures import councils
from sim.councils.projection import (
    BASE_METHODS,
    DEFAULT_METHOD,
    MEASURES,
    METHODS,
    NationalSpread,
    national_spread,
    project,
    project_council,
)
from sim.councils.projection_hindcast import hindcast, main, table

FIT = (2017, 2018, 2019, 2020)
AHEAD = (2021, 2022, 2023, 2024, 2025)


def history(**columns: list[float | None]) -> dict[int, dict[str, float | None]]:
    """``{year: {column: value}}`` from one list per column, 2017 onwards."""
    length = len(next(iter(columns.values())))
    return {2017 + i: {c: v[i] for c, v in columns.items()} for i in range(length)}


def full(inpost, vacancy, agency, turnover, leavers) -> dict[int, dict[str, float | None]]:
    """A history with every projected measure (rates in per cent, as published)."""
    return history(
        inpost_fte=inpost,
        vacancy_rate_fte=vacancy,
        agency_rate_fte=agency,
        turnover_rate_fte=turnover,
        leavers_fte=leavers,
    )


def spread(measure: str, sd: float) -> NationalSpread:
    """A national spread of ``sd`` at every gap (a random walk's sd would grow; this is flat)."""
    return NationalSpread(measure, {1: sd}, 0.0, 100)


# --------------------------------------------------------------------------- closed forms


@pytest.mark.parametrize("method", ["trend", "drift"])
def test_a_straight_line_projects_that_line_with_no_spread(method):
    line = history(inpost_fte=[100.0, 110.0, 120.0, 130.0])
    p = project(line, "inpost_fte", FIT, AHEAD, method)
    expected = [130.0 + 10.0 * (year - 2020) for year in AHEAD]
    for j in range(len(p.levels)):
        assert np.allclose(p.values[:, j], expected), (
            f"{method} quantile {p.levels[j]}: {p.values[:, j]}, expected the line {expected}"
        )


@pytest.mark.parametrize("method", BASE_METHODS)
def test_a_constant_history_projects_the_constant_with_zero_spread(method):
    flat = history(vacancy_rate_fte=[15.0] * 4)
    p = project(flat, "vacancy_rate", FIT, AHEAD, method)
    assert np.allclose(p.values, 0.15), f"{method}: {p.values} from a constant 15 %"
    assert np.allclose(p.sd, 0.0), f"{method}: sd {p.sd} from a constant history"


def test_a_constant_history_widened_by_the_nation_keeps_its_median_but_spreads():
    flat = history(vacancy_rate_fte=[15.0] * 4)
    p = project(flat, "vacancy_rate", FIT, AHEAD, "naive+national", spread("vacancy_rate", 0.02))
    assert np.allclose(p.quantile(0.5), 0.15), f"median {p.quantile(0.5)}"
    # Own spread 0, so the band is the national one alone, normal: 0.15 ± 1.645 x 0.02.
    assert np.allclose(p.quantile(0.95), 0.15 + 1.6448536 * 0.02), f"{p.quantile(0.95)}"
    assert np.allclose(p.quantile(0.05), 0.15 - 1.6448536 * 0.02), f"{p.quantile(0.05)}"


def test_a_random_walks_spread_is_the_root_mean_square_change_growing_as_root_h():
    # Changes +2, -2, +2: sigma^2 = 12 / 3 years = 4, so sigma = 2, with 3 degrees of freedom.
    zigzag = history(inpost_fte=[10.0, 12.0, 10.0, 12.0])
    p = project(zigzag, "inpost_fte", FIT, (2021, 2024), "random_walk")
    for i, h in enumerate((1, 4)):
        high = 12.0 + student.ppf(0.95, 3) * 2.0 * math.sqrt(h)
        assert math.isclose(p.quantile(0.95)[i], high, rel_tol=1e-9), (
            f"h={h}: 95th {p.quantile(0.95)[i]}, by hand {high}"
        )
        assert math.isclose(p.quantile(0.5)[i], 12.0), f"median {p.quantile(0.5)[i]}"


def test_the_trend_band_is_the_textbook_prediction_interval():
    # x = 0..3, y = 1, 3, 2, 4: slope 0.8, intercept 1.3, residuals -0.3, 0.9, -0.9, 0.3.
    y = [1.0, 3.0, 2.0, 4.0]
    p = project(history(inpost_fte=y), "inpost_fte", FIT, (2021,), "trend")
    s = math.sqrt((0.09 + 0.81 + 0.81 + 0.09) / 2)
    centre = 1.3 + 0.8 * 4
    half = student.ppf(0.95, 2) * s * math.sqrt(1 + 1 / 4 + (4 - 1.5) ** 2 / 5)
    assert math.isclose(p.quantile(0.5)[0], centre, rel_tol=1e-9), f"{p.quantile(0.5)}"
    assert math.isclose(p.quantile(0.95)[0], centre + half, rel_tol=1e-9), f"{p.quantile(0.95)}"


def test_suppressed_years_are_left_out_of_the_fit():
    # 2019 suppressed: the line through 2017, 2018 and 2020 is still 100 + 10 a year.
    gappy = history(inpost_fte=[100.0, 110.0, None, 130.0])
    p = project(gappy, "inpost_fte", FIT, (2021,), "trend")
    assert p.fitted_years == (2017, 2018, 2020), f"fitted {p.fitted_years}"
    assert math.isclose(p.quantile(0.5)[0], 140.0), f"{p.quantile(0.5)}"


def test_the_national_spread_of_two_opposite_councils_is_known_by_hand():
    # Ten councils gain d a year, ten lose d: over g years the changes are ±g·d, so the
    # central 90 % spans 2·g·d and the scale is g·d / 1.645; it grows linearly (exponent 1).
    d = 2.0
    up = history(vacancy_rate_fte=[10.0, 12.0, 14.0, 16.0, 90.0])
    down = history(vacancy_rate_fte=[20.0, 18.0, 16.0, 14.0, 1.0])
    panel = {f"up {i}": up for i in range(10)} | {f"down {i}": down for i in range(10)}
    s = national_spread(panel, "vacancy_rate", FIT)  # 2021 (the odd year) is not read
    for gap in (1, 2, 3):
        assert math.isclose(s.at(gap), gap * d / 100 / 1.6448536269514722), (
            f"gap {gap}: {s.at(gap)}"
        )
    assert math.isclose(s.exponent, 1.0), f"exponent {s.exponent}"
    assert math.isclose(s.at(5), 5 * d / 100 / 1.6448536269514722), f"gap 5: {s.at(5)}"
    assert s.changes == 120, f"{s.changes} changes from 20 councils x 6 pairs of years"


# --------------------------------------------------------------------------- guarantees

# Values near the bounds, so that clipping is needed: a tiny council, rates near 0 and 100 %.
EDGY = full(
    inpost=[2.0, 0.5, 3.0, 0.4],
    vacancy=[1.0, 0.0, 3.0, 0.5],
    agency=[95.0, 99.0, 92.0, 100.0],
    turnover=[10.0, 60.0, 5.0, 80.0],
    leavers=[0.0, 1.0, 0.0, 2.0],
)


@pytest.mark.parametrize("method", METHODS)
def test_quantiles_are_ordered_finite_and_within_bounds(method):
    national = {m: spread(m, 0.3) for m in MEASURES}
    result = project_council(EDGY, FIT, AHEAD, national, method)
    assert set(result) == set(MEASURES), f"measures {sorted(result)}"
    for measure, p in result.items():
        low, high = MEASURES[measure].bounds
        assert np.isfinite(p.values).all(), f"{method} {measure}: {p.values}"
        assert (np.diff(p.values, axis=1) >= 0).all(), f"{method} {measure} unordered: {p.values}"
        assert (p.values >= low).all(), f"{method} {measure} outside [{low}, {high}]: {p.values}"
        assert (p.values <= high).all(), f"{method} {measure} outside [{low}, {high}]: {p.values}"


def test_every_council_projects_inside_the_bounds_by_the_default_method():
    panel = {name: c.figures for name, c in councils().items()}
    national = {m: national_spread(panel, m, FIT) for m in MEASURES}
    checked = 0
    for name, figures in panel.items():
        try:
            result = project_council(figures, FIT, AHEAD, national)
        except ValueError:
            continue  # a council without 2017-2020
        for measure, p in result.items():
            low, high = MEASURES[measure].bounds
            assert np.isfinite(p.values).all(), f"{name} {measure}: {p.values}"
            assert (np.diff(p.values, axis=1) >= 0).all(), f"{name} {measure}: {p.values}"
            assert (p.values >= low).all(), f"{name} {measure}"
            assert (p.values <= high).all(), f"{name} {measure}"
        checked += 1
    assert checked > 100, f"only {checked} councils projected"


def test_rows_are_tidy_one_per_year_and_level():
    p = project(history(inpost_fte=[100.0, 110.0, 120.0, 130.0]), "inpost_fte", FIT, AHEAD, "trend")
    rows = p.rows()
    assert len(rows) == len(AHEAD) * len(p.levels), f"{len(rows)} rows"
    first = rows[0]
    assert (first["year"], first["quantile"]) == (2021, 0.05), f"first row {first}"
    assert math.isclose(first["value"], 140.0), f"first row {first}"


# --------------------------------------------------------------------------- hindcast


def test_the_hindcast_counts_coverage_and_errors_as_by_hand():
    # A: constant 100 -> trend 100 exactly; published 100, 100, 110: inside, inside, outside.
    # B: 10, 20, 30, 40 -> trend 50, 60; published 50, 70, (2023 suppressed): inside, outside.
    panel = {
        "A": history(inpost_fte=[100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 110.0]),
        "B": history(inpost_fte=[10.0, 20.0, 30.0, 40.0, 50.0, 70.0, None]),
    }
    (score,) = hindcast(panel, FIT, (2021, 2022, 2023), ("trend",), ("inpost_fte",))
    assert (score.councils, score.council_years, score.inside) == (2, 5, 3), f"{score}"
    assert math.isclose(score.coverage, 0.6), f"coverage {score.coverage}"
    # Errors in % of the published figure. Trend: 0, 0, 10/110, 0, 10/70 -> median 0.
    # Naive (A 100, B 40): 0, 0, 10/110, 10/50, 30/70 -> median 10/110.
    assert math.isclose(score.error, 0.0), f"median error {score.error}"
    assert math.isclose(score.naive_error, 100 * 10 / 110), f"naive {score.naive_error}"
    assert score.ratio == 0.0, f"ratio {score.ratio}"
    assert score.by_year == ((2021, 2, 2), (2022, 1, 2), (2023, 0, 1)), f"{score.by_year}"
    assert "| in-post FTE | trend | 2 | 5 | 60.0 % |" in table([score]), table([score])


def test_the_hindcast_reads_rates_in_points():
    # Vacancy 10 % each fitted year, published 12 % then 10 %: naive misses by 2 points once.
    panel = {"A": history(vacancy_rate_fte=[10.0, 10.0, 10.0, 10.0, 12.0, 10.0])}
    (score,) = hindcast(panel, FIT, (2021, 2022), ("naive",), ("vacancy_rate",))
    assert (score.council_years, score.inside) == (2, 1), f"{score}"
    assert math.isclose(score.naive_error, 1.0), f"median of 2 and 0 points: {score.naive_error}"


# --------------------------------------------------------------------------- bad input


def test_too_few_years_is_one_clear_error():
    short = history(inpost_fte=[100.0, 110.0])
    with pytest.raises(
        ValueError, match=r"^inpost_fte: trend needs at least 3 published fitted years, got 2"
    ):
        project(short, "inpost_fte", FIT, AHEAD, "trend")


def test_a_missing_measure_is_one_clear_error():
    no_vacancy = history(inpost_fte=[100.0, 110.0, 120.0, 130.0])
    with pytest.raises(ValueError, match=r"^vacancy_rate: the history has no 'vacancy_rate_fte'"):
        project(no_vacancy, "vacancy_rate", FIT, AHEAD, "naive")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "spline"}, r"unknown method 'spline'"),
        ({"measure": "caseload"}, r"unknown measure 'caseload'"),
        ({"years": (2019, 2021)}, r"must come after the last fitted year \(2020\)"),
        ({"method": "naive+national"}, r"naive\+national needs the national spread"),
        ({"levels": (0.0, 0.5)}, r"strictly between 0 and 1"),
    ],
)
def test_other_bad_requests_are_one_clear_error(kwargs, message):
    args = {"measure": "inpost_fte", "years": AHEAD, "method": "naive"} | kwargs
    line = history(inpost_fte=[100.0, 110.0, 120.0, 130.0])
    with pytest.raises(ValueError, match=message) as caught:
        project(
            line,
            args["measure"],
            FIT,
            args["years"],
            args["method"],
            levels=args.get("levels", (0.5,)),
        )
    assert "\n" not in str(caught.value), f"not one line: {caught.value!r}"


# --------------------------------------------------------------------------- the default


def test_the_default_meets_the_documented_aim_on_the_dfe_figures():
    panel = {name: c.figures for name, c in councils().items()}
    scores = hindcast(panel, FIT, AHEAD, (DEFAULT_METHOD,))
    for s in scores:
        if s.measure in ("inpost_fte", "vacancy_rate"):
            assert s.council_years > 500, f"{s.measure}: only {s.council_years} council-years"
            assert s.coverage >= 0.80, f"{s.measure}: {100 * s.coverage:.1f} % inside the band"
            assert s.ratio <= 1.0, f"{s.measure}: median error {s.ratio:.3f} x naive's"
    # docs/projection.md shows the default's table as the code computes it today.
    page = (REPO / "docs" / "projection.md").read_text(encoding="utf-8")
    stale = [line for line in table(scores).splitlines()[2:] if line not in page]
    assert not stale, f"docs/projection.md lacks these rows (rerun the hindcast): {stale}"
    assert f"`{DEFAULT_METHOD}`" in page, f"docs/projection.md does not name {DEFAULT_METHOD}"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--fit", "abc"], "projection_hindcast: --fit 'abc': expected FIRST:LAST"),
        (["--check", "2019:2022"], "projection_hindcast: --check 2019:2022 must come after"),
        (["--fit", "2010:2012", "--check", "2013:2014"], "no council has this measure"),
    ],
)
def test_the_hindcast_script_refuses_bad_years_in_one_line_and_writes_nothing(
    argv, message, tmp_path, capsys
):
    picture, table_file = tmp_path / "h.png", tmp_path / "h.csv"
    code = main([*argv, "--png", str(picture), "--csv", str(table_file)])
    err = capsys.readouterr().err
    assert code == 2, f"exit {code}"
    assert message in err, f"stderr {err!r}"
    assert err.count("\n") == 1, f"stderr {err!r}"
    assert not picture.exists(), "something was written"
    assert not table_file.exists(), "something was written"
