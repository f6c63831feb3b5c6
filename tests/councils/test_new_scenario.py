"""``rollout new``: the generated scenario's values, comments, sources, and the command.

The expected Camden figures are added up by hand from the CSV rows for 2021-2025:

=========  =======  ========  =======  =========  ===========================
year       in post  starters  leavers  vacancies  vacancies covered by agency
=========  =======  ========  =======  =========  ===========================
2021       185.6    34.6      34.3     29         67.3 %
2022       170.7    19.2      26.9     31         54.2 %
2023       172.2    28.0      27.8     51         46.9 %
2024       178.8    34.0      29.1     23         98.6 %
2025       185.2    38.8      36.1     22         83.6 %
sum        892.5    154.6     154.2    156        350.6
=========  =======  ========  =======  =========  ===========================

turnover = 154.2 / 892.5 = 0.17277; hiring delay = 156 / 154.6 years = 12.109 months;
posts = (892.5 + 156) / 5 = 209.7 -> 210; agency cover = 350.6 / 5 = 70.1 %. Camden's
template splits posts 6 : 14 : 30 : 180 (of 230): 5.48, 12.78, 27.39, 164.35 -> floors 5, 12,
27, 164 (208) plus the two largest remainders (team_manager .78, senior_leader .48) -> 6, 13,
27, 164. The run starts as 2025 stood (the year the projection carries forward): 22 / (185.2
+ 22) = 10.62 % vacant, and 2025's posts factor 207.2 / 210 = 0.987 opens 6, 13, 27, 162 of
them (fewer than 210, so the vacant are counted on all 210): 0.1062 x 210 = 22.3 -> 22 vacant
at the start (the pooled 14.88 % would have given 31).
"""

from __future__ import annotations

import tomllib
from datetime import date

import pytest
from conftest import run_main as call

from sim import load_scenario, run
from sim.councils.builder import new_scenario, next_april, write_new
from sim.councils.figures import ATTRIBUTION
from sim.councils.toml_text import split_by_shares, template_comments
from sim.scenario import BadInput
from sim.scenario.provenance import parameter_paths, unsourced

START = date(2026, 4, 1)


@pytest.fixture(scope="module")
def camden(tmp_path_factory):
    path = tmp_path_factory.mktemp("new") / "camden-new.toml"
    built = new_scenario("camden", years="2021:2025", start=START)
    write_new(path, built.text)
    return path, built


def test_camden_flows_match_the_hand_calculation(camden):
    path, _ = camden
    scenario = load_scenario(path)
    roles = scenario.workforce.roles
    assert list(roles) == ["senior_leader", "team_manager", "senior_practitioner", "social_worker"]
    posts = {name: role.posts for name, role in roles.items()}
    assert posts == {
        "senior_leader": 6,
        "team_manager": 13,
        "senior_practitioner": 27,
        "social_worker": 164,
    }, f"posts {posts}"
    for name, role in roles.items():
        assert role.turnover == pytest.approx(154.2 / 892.5, abs=1e-4), f"{name} {role.turnover}"
        assert role.hiring_delay_months == pytest.approx(12 * 156 / 154.6, abs=0.01), (
            f"{name} hiring delay {role.hiring_delay_months}"
        )
    vacant = sum(role.initial_vacancies for role in roles.values())
    assert vacant == 22, f"initial vacancies {vacant}"
    assert scenario.workforce.agency_cover == pytest.approx(0.701, abs=1e-3), (
        f"agency cover {scenario.workforce.agency_cover}"
    )


def test_generated_file_carries_attribution_and_comments(camden):
    path, _ = camden
    text = path.read_text()
    assert ATTRIBUTION in text.split("[scenario]")[0], "no OGL attribution in the header"
    for line in text.splitlines():
        code = line.split("#")[0].strip()
        if "=" in code and not line.startswith(("#", '"')) and not code.endswith("["):
            if code.startswith("{"):
                continue  # an element of a session array (its comment is the template's)
            assert "#" in line, f"value without a comment: {line!r}"


def test_every_parameter_has_a_source(camden):
    path, _ = camden
    data = tomllib.loads(path.read_text())
    sources = data["sources"]
    missing = unsourced(parameter_paths(data), sources)
    assert not missing, f"no source for {missing}"
    turnover = sources["workforce.roles.social_worker.turnover"]
    assert turnover["confidence"] == "data", turnover
    assert "Camden 2021-2025" in turnover["source"], turnover
    assert "leavers_fte" in turnover["source"], turnover
    assert sources["programme.foundation.cohorts"]["confidence"] == "assumption"


def test_template_dates_move_with_the_start(camden):
    """Camden starts 2015-11-01; 2026-04-01 is 125 months later. Phase 1 ends the day before
    2017-10-01 + 125 months = 2028-03-01, i.e. 2028-02-29 (a leap year); Phase 2 runs from
    2017-11-01 + 125 months = 2028-04-01 to the day before 2029-04-01.
    """
    path, _ = camden
    dates = load_scenario(path).phase_dates()
    assert dates == [
        (date(2026, 4, 1), date(2028, 2, 29)),
        (date(2028, 4, 1), date(2029, 3, 31)),
    ], f"phases {dates}"


def test_generated_scenario_runs(camden):
    path, _ = camden
    results = run(load_scenario(path), reps=2, seed=1)
    assert results.summary["coverage_horizon"].notna().all(), results.summary
    assert results.timeseries["trained"].max() > 0, "nobody trained by the camden template"


def test_cohort_size_scales_with_posts(camden):
    """Camden's 35 places for 230 social-work posts, at 210 posts: 35 x 210 / 230 = 32.0."""
    path, _ = camden
    assert load_scenario(path).programme.foundation.cohort_size == 32


def test_havering_template_keeps_its_features(tmp_path):
    built = new_scenario("Hammersmith and Fulham", template="havering", start=START)
    path = write_new(tmp_path / "hf.toml", built.text)
    scenario = load_scenario(path)
    assert {"business_support", "family_therapist"} <= set(scenario.workforce.roles)
    assert scenario.programme.consultation.clinician_role == "family_therapist"
    assert scenario.programme.foundation.offer_new_starters is True
    assert scenario.programme.foundation.total_days == 18
    assert scenario.phase_dates()[0][0] == START, scenario.phase_dates()
    run(scenario, reps=1, seed=1)


def test_default_start_is_the_next_first_of_april():
    assert next_april(date(2026, 3, 31)) == date(2026, 4, 1)
    assert next_april(date(2026, 4, 1)) == date(2027, 4, 1)
    assert next_april(date(2026, 12, 25)) == date(2027, 4, 1)


@pytest.mark.parametrize(
    ("total", "shares"), [(210, [6, 14, 30, 180]), (5, [6, 14, 30, 180]), (3, [1, 1, 1, 1])]
)
def test_split_by_shares_adds_up(total, shares):
    parts = split_by_shares(total, shares)
    assert sum(parts) == total, f"{parts} for {total}"
    if total >= len(shares):
        assert min(parts) >= 1, f"a role vanished: {parts}"


def test_template_comments_are_found_by_key_path():
    text = (
        '[a]\nx = 1  # one\ns = "# not a comment"\nlist = [\n  { d = 1 },  # first\n'
        "  { d = 2 },\n]\n[[p]]\nname = 'P1'  # phase one\n[p.f]\nk = 2  # inner\n"
    )
    comments = template_comments(text)
    assert comments == {
        "a.x": "one",
        "a.list.0": "first",
        "p.0.name": "phase one",
        "p.0.f.k": "inner",
    }, comments


# --------------------------------------------------------------------------- the commands


def test_new_command_writes_and_attributes(tmp_path, monkeypatch, capsys):
    code, out, err = call(
        ["new", "--council", "hammersmith", "--start", "2026-04-01", "-o", "hf.toml"],
        tmp_path,
        monkeypatch,
        capsys,
    )
    assert code == 0, f"exit {code}: {err}"
    assert "Hammersmith and Fulham" in out, out
    assert ATTRIBUTION in out, out
    assert load_scenario(tmp_path / "hf.toml").name == "Hammersmith and Fulham"
    assert "rollout new --council hammersmith" in (tmp_path / "hf.toml").read_text()


def test_new_command_refuses_to_overwrite(tmp_path, monkeypatch, capsys):
    target = tmp_path / "mine.toml"
    target.write_text("precious = true\n")
    code, out, err = call(
        ["new", "--council", "Camden", "-o", "mine.toml"], tmp_path, monkeypatch, capsys
    )
    assert code == 2, f"exit {code}"
    assert target.read_text() == "precious = true\n", "the existing file was changed"
    assert len(err.strip().splitlines()) == 1, err
    assert "already exists" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.toml"], list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--council", "kingston"], "ambiguous"),
        (["--council", "Atlantis"], "no council"),
        (["--council", "Cumbria", "--years", "2021:2025"], "no figures after 2022"),
        (["--council", "Camden", "--year", "2030"], "no figures for 2030"),
        (["--council", "Camden", "--years", "2025:2021"], "--years"),
        (["--council", "Camden", "--year", "2020", "--years", "2020:2021"], "either --year"),
        (["--council", "Camden", "--start", "2026-13-01"], "--start"),
        (["--council", "Camden", "--template", "leeds"], "--template"),
        (["--council", "Isles of Scilly"], "Isles of Scilly"),
    ],
)
def test_new_command_bad_input(args, words, tmp_path, monkeypatch, capsys):
    code, out, err = call(["new", *args, "-o", "x.toml"], tmp_path, monkeypatch, capsys)
    assert code == 2, f"exit {code}; stderr {err!r}"
    lines = err.strip().splitlines()
    assert words in err, err
    assert "Traceback" not in err, err
    assert 1 <= len(lines) <= 2, f"stderr lines {lines}"  # Scilly: two separate problems
    assert list(tmp_path.iterdir()) == [], f"written: {list(tmp_path.iterdir())}"


def test_councils_command_lists_with_attribution(tmp_path, monkeypatch, capsys):
    code, out, err = call(["councils", "--search", "hammersmith"], tmp_path, monkeypatch, capsys)
    assert code == 0, f"exit {code}: {err}"
    assert "Hammersmith and Fulham" in out, out
    assert ATTRIBUTION in out, out


def test_write_new_needs_an_existing_folder(tmp_path):
    with pytest.raises(BadInput) as error:
        write_new(tmp_path / "no" / "such" / "x.toml", "a = 1\n")
    assert "does not exist" in error.value.lines[0], error.value.lines


@pytest.mark.parametrize(
    ("council", "said"),
    [
        (
            "northamptonshire",
            "no figures after 2020 (reorganised into North Northamptonshire / West "
            "Northamptonshire in 2021): these are its last figures, 2017-2020",
        ),
        (
            "poole",
            "no figures after 2018 (merged into Bournemouth, Christchurch and Poole in 2019): "
            "these are its last figures, 2017-2018",
        ),
        ("cumberland", "no figures before 2023 (created in 2023 from Cumbria): only 2023-2025"),
    ],
)
def test_new_says_which_years_a_reorganised_council_has(
    council, said, tmp_path, monkeypatch, capsys
):
    code, out, err = call(
        ["new", "--council", council, "-o", "s.toml"], tmp_path, monkeypatch, capsys
    )
    assert code == 0, err
    assert f"  note: {said}" in out.splitlines(), out
    header = " ".join(
        line.removeprefix("# ") for line in (tmp_path / "s.toml").read_text().splitlines()[:40]
    )
    assert f"Note: {said}." in header, header


def test_new_says_nothing_of_a_creation_its_years_do_not_reach(tmp_path, monkeypatch, capsys):
    # Bournemouth, Christchurch and Poole began in 2019; the latest five years start in 2021.
    code, out, err = call(
        ["new", "--council", "bournemouth christchurch", "-o", "s.toml"],
        tmp_path,
        monkeypatch,
        capsys,
    )
    assert code == 0, err
    assert "no figures before" not in out, out
