"""Reading the DfE file, finding councils by name, choosing years, pooling the flows.

Expected values come from the CSV rows themselves, added up by hand in the comments, or
from small files written here whose answers are obvious.
"""

from __future__ import annotations

import csv

import pytest

from sim.councils import figures as councils
from sim.councils.figures import (
    ATTRIBUTION,
    FIGURES,
    choose_years,
    parse_years,
    pooled_flows,
    read_councils,
    to_number,
)
from sim.councils.names import find_council, listing, normalise
from sim.scenario import ScenarioError

# --------------------------------------------------------------------------- the file


def test_shipped_file_has_every_council_and_year():
    """155 local-authority names (the data README), nine years for a council not reorganised."""
    pool = councils.councils()
    assert len(pool) == 155, f"{len(pool)} councils"
    assert pool["Camden"].years == tuple(range(2017, 2026)), f"{pool['Camden'].years}"
    assert councils.DATA_FILE.parent.name == "data", f"data file at {councils.DATA_FILE}"
    assert councils.DATA_FILE.is_file(), f"data file at {councils.DATA_FILE}"


def test_package_data_is_declared_for_installation():
    """The CSV must be installed with the package, not only present in a checkout."""
    import tomllib

    from conftest import REPO

    setup = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = setup.get("package-data", {}).get("sim.councils", [])
    assert "data/*.csv" in patterns, f"package-data for sim.councils: {patterns}"
    readme = (councils.DATA_FILE.parent / "README.md").read_text()
    assert ATTRIBUTION in readme, "sim/councils/data/README.md lacks the OGL attribution"


@pytest.mark.parametrize("token", ["x", "z", "u", "c", "low", "", " x ", "LOW", "n/a"])
def test_placeholder_tokens_are_missing(token):
    assert to_number(token) is None, f"{token!r} read as {to_number(token)!r}"


@pytest.mark.parametrize(("text", "value"), [("12.5", 12.5), ("0", 0.0), ("1,234.5", 1234.5)])
def test_numbers_are_numbers(text, value):
    assert to_number(text) == value, f"{text!r} read as {to_number(text)!r}"


def _write_csv(path, rows):
    columns = ["time_period", "geographic_level", "region_name", "new_la_code", "la_name"]
    columns += list(FIGURES)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def test_suppressed_years_are_left_out_of_each_pool(tmp_path):
    """A year whose leavers are 'x' drops out of turnover only; 'low' and 'z' likewise.

    Three years: in post 100, 100, 100; leavers 10, x, 30; starters 10, 20, z; vacancies 10,
    20, 30. Turnover pools years 1 and 3: (10 + 30) / (100 + 100) = 0.2. The hiring delay
    pools years 1 and 2: (10 + 20) / (10 + 20) years = 12 months. Posts use all three:
    (110 + 120 + 130) / 3 = 120. Agency cover: year 2 is 'low', so (50 + 70) / 2 = 60 %.
    """
    base = {"geographic_level": "Local authority", "la_name": "Testshire", "inpost_fte": "100"}
    rows = [
        {**base, "time_period": "2021", "leavers_fte": "10", "starters_fte": "10",
         "vacancy_fte": "10", "vacancy_agency_cover_rate_fte": "50"},
        {**base, "time_period": "2022", "leavers_fte": "x", "starters_fte": "20",
         "vacancy_fte": "20", "vacancy_agency_cover_rate_fte": "low"},
        {**base, "time_period": "2023", "leavers_fte": "30", "starters_fte": "z",
         "vacancy_fte": "30", "vacancy_agency_cover_rate_fte": "70"},
        {"geographic_level": "National", "time_period": "2023", "inpost_fte": "999"},
    ]  # fmt: skip
    path = tmp_path / "mini.csv"
    _write_csv(path, rows)
    pool = read_councils(path)
    assert list(pool) == ["Testshire"], f"councils read: {list(pool)}"
    flows = pooled_flows(pool["Testshire"], (2021, 2022, 2023))
    assert flows.turnover == pytest.approx(0.2), f"turnover {flows.turnover}"
    assert flows.hiring_delay_months == pytest.approx(12.0), f"delay {flows.hiring_delay_months}"
    assert flows.posts_fte == pytest.approx(120.0), f"posts {flows.posts_fte}"
    assert flows.agency_cover == pytest.approx(0.6), f"agency cover {flows.agency_cover}"
    assert flows.vacancy_rate == pytest.approx(60 / 360), f"vacancy rate {flows.vacancy_rate}"
    notes = " | ".join(flows.notes)
    assert "turnover: 2022 left out" in notes, notes
    assert "hiring delay: 2023 left out" in notes, notes


def test_every_year_suppressed_is_a_clear_error(tmp_path):
    row = {"geographic_level": "Local authority", "la_name": "Testshire", "inpost_fte": "100",
           "starters_fte": "5", "vacancy_fte": "5", "leavers_fte": "u",
           "vacancy_agency_cover_rate_fte": "50"}  # fmt: skip
    path = tmp_path / "mini.csv"
    _write_csv(path, [{**row, "time_period": "2024"}, {**row, "time_period": "2025"}])
    with pytest.raises(ScenarioError) as error:
        pooled_flows(read_councils(path)["Testshire"], (2024, 2025))
    message = str(error.value)
    assert "Testshire: turnover cannot be worked out for 2024-2025" in message, message
    assert "leavers_fte" in message, message


def test_real_suppression_portsmouth_2021():
    """Portsmouth's 2021 leavers are 'x' in the file: turnover pools 2019, 2020, 2022."""
    council = find_council("Portsmouth")
    assert council.figures[2021]["leavers_fte"] is None, "2021 leavers should be missing"
    flows = pooled_flows(council, (2019, 2020, 2021, 2022))
    fig = council.figures
    years = (2019, 2020, 2022)
    expected = sum(fig[y]["leavers_fte"] for y in years) / sum(fig[y]["inpost_fte"] for y in years)
    assert flows.turnover == pytest.approx(expected), f"turnover {flows.turnover}, {expected}"


def test_no_one_in_post_is_an_error():
    """The Isles of Scilly report 0 in post and 0 starters from 2021: no flows to work out."""
    with pytest.raises(ScenarioError) as error:
        pooled_flows(find_council("Isles of Scilly"), (2021, 2022, 2023, 2024, 2025))
    assert "Isles of Scilly" in str(error.value), str(error.value)


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("hammersmith", "Hammersmith and Fulham"),
        ("Hammersmith & Fulham", "Hammersmith and Fulham"),
        ("HAMMERSMITH AND FULHAM", "Hammersmith and Fulham"),
        ("bristol", "Bristol, City of"),
        ("City of Bristol", "Bristol, City of"),
        ("Bristol City Council", "Bristol, City of"),
        ("kingston upon hull", "Kingston upon Hull, City of"),
        ("st helens", "St. Helens"),
        ("Saint Helens", "St. Helens"),
        ("stoke on trent", "Stoke-on-Trent"),
        ("London Borough of Havering", "Havering"),
        ("havering council", "Havering"),
        ("Haverring", "Havering"),  # one close spelling
        ("york", "York"),  # exact beats North Yorkshire, East Riding of Yorkshire
        ("richmond", "Kingston upon Thames / Richmond upon Thames"),
        ("west northamptonshire", "North Northamptonshire / West Northamptonshire"),
        ("northamptonshire", "Northamptonshire"),  # exact beats the successor
    ],
)
def test_forgiving_names(text, name):
    found = find_council(text).name
    assert found == name, f"{text!r} found {found!r}, expected {name!r}"


def test_normalise_ignores_case_punctuation_and_filler():
    assert normalise("Bristol, City of") == normalise("city of BRISTOL") == "bristol", (
        f"{normalise('Bristol, City of')!r} vs {normalise('city of BRISTOL')!r}"
    )
    assert normalise("Brighton & Hove") == normalise("Brighton and Hove") == "brighton hove"


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        (
            "kingston",
            ["Kingston upon Hull, City of", "Kingston upon Thames / Richmond upon Thames"],
        ),
        ("north", ["North Somerset", "North Tyneside", "North Yorkshire"]),
    ],
)
def test_ambiguous_names_list_the_candidates(text, candidates):
    with pytest.raises(ScenarioError) as error:
        find_council(text)
    lines = error.value.lines
    assert len(lines) == 1, f"lines: {lines}"
    assert "ambiguous" in lines[0], f"lines: {lines}"
    for candidate in candidates:
        assert candidate in lines[0], f"{candidate!r} not listed: {lines[0]}"


def test_unknown_name_suggests_close_ones():
    with pytest.raises(ScenarioError) as error:
        find_council("Camdon Town")
    line = error.value.lines[0]
    assert "no council of that name" in line, line
    assert "Camden" in line, line


def test_unknown_name_with_nothing_close_points_to_the_listing():
    with pytest.raises(ScenarioError) as error:
        find_council("Atlantis")
    line = error.value.lines[0]
    assert "'Atlantis'" in line, line
    assert "rollout councils" in line, line


# --------------------------------------------------------------------------- years


@pytest.mark.parametrize(
    ("text", "span"),
    [("2019:2023", (2019, 2023)), ("2021-2025", (2021, 2025)), ("2020", (2020, 2020))],
)
def test_parse_years(text, span):
    assert parse_years(text) == span, f"{text!r} -> {parse_years(text)}"


@pytest.mark.parametrize("text", ["2025:2021", "twenty", "2019:2020:2021", ""])
def test_bad_year_ranges(text):
    with pytest.raises(ScenarioError) as error:
        parse_years(text)
    assert error.value.lines[0].startswith("--years"), error.value.lines


def test_default_years_are_the_latest_five():
    assert choose_years(find_council("Camden")) == (2021, 2022, 2023, 2024, 2025)
    assert choose_years(find_council("Cumbria")) == (2018, 2019, 2020, 2021, 2022)


@pytest.mark.parametrize(
    ("council", "years", "expected"),
    [
        (
            "Cumbria",
            (2021, 2025),
            "Cumbria: no figures after 2022 (reorganised into Cumberland and Westmorland and "
            "Furness in 2023); choose --years up to 2022 or one of the successors",
        ),
        (
            "Cumberland",
            (2020, 2024),
            "Cumberland: no figures before 2023 (created in 2023 from Cumbria); choose --years "
            "from 2023 or the former authority (Cumbria)",
        ),
        (
            "Northamptonshire",
            (2019, 2022),
            "Northamptonshire: no figures after 2020 (reorganised into North Northamptonshire / "
            "West Northamptonshire in 2021)",
        ),
        (
            "west northamptonshire",
            (2019, 2022),
            "no figures before 2021 (created in 2021 from Northamptonshire)",
        ),
        (
            "Poole",
            (2018, 2019),
            "Poole: no figures after 2018 (merged into Bournemouth, Christchurch and Poole in "
            "2019); choose --years up to 2018 or the successor",
        ),
        (
            "Bournemouth, Christchurch and Poole",
            (2017, 2020),
            "no figures before 2019 (created in 2019 from Bournemouth and Poole)",
        ),
        ("Camden", (2014, 2016), "Camden: no figures for 2014, 2015, 2016"),
    ],
)
def test_missing_years_explain_themselves(council, years, expected):
    with pytest.raises(ScenarioError) as error:
        choose_years(find_council(council), years=years)
    lines = error.value.lines
    assert len(lines) == 1, f"lines: {lines}"
    assert expected in lines[0], f"lines: {lines}"


def test_one_year_and_a_range_together_is_an_error():
    with pytest.raises(ScenarioError):
        choose_years(find_council("Camden"), year=2020, years=(2020, 2021))


# --------------------------------------------------------------------------- listing


def test_listing_shows_latest_figures_and_attribution():
    """Camden 2025 row: in post 185.2, turnover 19.5, vacancy 10.6, agency 9.4."""
    lines = listing("camden")
    row = next(line for line in lines if line.startswith("Camden"))
    for cell in ("2025", "185.2", "19.5", "10.6", "9.4"):
        assert cell in row.split(), f"{cell} not in {row!r}"
    assert ATTRIBUTION in lines[-1], f"last line {lines[-1]!r}"


def test_listing_of_a_reorganised_council_shows_its_last_year():
    lines = listing("cumbria")
    row = next(line for line in lines if line.startswith("Cumbria"))
    assert "2022" in row.split(), row


def test_listing_with_no_match_still_attributes():
    lines = listing("zzzzqqq")
    assert lines[0].startswith("No council matches"), lines
    assert ATTRIBUTION in lines[-1], lines
