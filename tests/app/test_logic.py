"""The web app's logic, without a browser: where a scenario comes from, the levers and the
keys they set, problems placed next to what they concern, experiments and downloads.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from experiments.expkit import cohort_scenario

from sim.app import logic
from sim.scenario import ScenarioError, scenario_from_text
from sim.scenario.writing import to_toml

BROKEN = b"""
[scenario]
name = "broken"
start = 2020-01-01
horizon_months = 24

[workforce]
roles = { worker = { posts = 5, turnover = 0.1 } }

[programme.foundation]
cohort_size = -3
cohorts = 2
"""


def test_an_uploaded_file_is_checked_as_the_command_line_checks_it(camden_path):
    uploaded = logic.from_upload("camden.toml", camden_path.read_bytes())
    assert uploaded == logic.from_bundled("camden"), "the upload differs from the bundled file"


def test_problems_in_an_upload_name_the_key():
    with pytest.raises(ScenarioError) as caught:
        logic.from_upload("broken.toml", BROKEN)
    lines = caught.value.lines
    assert all(line.startswith("broken.toml: ") for line in lines), lines
    grouped = logic.problems_by_key(lines)
    assert "programme.foundation.cohort_size" in grouped, grouped
    assert grouped["programme.foundation.cohort_size"] == ["must be ≥ 1, got -3"], grouped
    assert logic.lever_for_key("programme.foundation.cohort_size") == "cohort_size"


def test_an_upload_with_a_byte_order_mark_is_read(camden_path):
    uploaded = logic.from_upload("camden.toml", b"\xef\xbb\xbf" + camden_path.read_bytes())
    assert uploaded == logic.from_bundled("camden"), "a BOM changed or refused the upload"


@pytest.mark.parametrize(
    "tail",
    ["x = " + "[" * 1000 + "]" * 1000, "[" + ".".join(["a"] * 500) + "]\nb = 1"],
    ids=["deep-array", "deep-table-header"],
)
def test_deep_nesting_in_an_upload_is_one_line(camden_path, tail):
    with pytest.raises(ScenarioError) as caught:
        logic.from_upload("odd.toml", camden_path.read_bytes() + b"\n" + tail.encode())
    lines = caught.value.lines
    assert len(lines) == 1, lines
    assert "nest more than 12 levels" in lines[0], lines


def test_a_date_with_a_time_of_day_in_an_upload_is_one_line_naming_the_key(camden_path):
    text = camden_path.read_text(encoding="utf-8")
    text = text.replace("start = 2015-11-01", "start = 2015-11-01T10:00:00Z", 1)
    with pytest.raises(ScenarioError) as caught:
        logic.from_upload("odd.toml", text.encode())
    grouped = logic.problems_by_key(caught.value.lines)
    assert list(grouped) == ["scenario.start"], caught.value.lines
    assert "without a time of day" in grouped["scenario.start"][0], grouped


@pytest.mark.parametrize(
    ("data", "words"),
    [(b"\xff\xfe not text", "not a text file"), (b"x" * 1_000_001, "at most 1,000,000 bytes")],
)
def test_uploads_that_are_not_scenario_files(data, words):
    with pytest.raises(ScenarioError, match=words):
        logic.from_upload("odd.toml", data)


def test_levers_read_and_set_the_scenario():
    camden = logic.from_bundled("camden")
    now = logic.levers_of(camden)
    assert (now.cohorts, now.cohort_size, now.champions) == (8, 35, 12), now
    assert (now.phase2_after_months, now.phase2_months) == (1, 12), now
    assert logic.lever_changes(camden, now) == {}, "unchanged levers change nothing"
    later = logic.apply_levers(
        camden, logic.Levers(**{**logic.levers_dict(now), "phase2_after_months": 12})
    )
    start, end = later.phase_dates()[1]
    assert (start, end) == (date(2018, 10, 1), date(2019, 9, 30)), (start, end)
    assert logic.levers_of(later).phase2_after_months == 12, logic.levers_of(later)


def test_phase_2_that_trains_offers_places_as_the_lever_says():
    camden = logic.from_bundled("camden")
    now = logic.levers_dict(logic.levers_of(camden))
    supplies = ("foundation", "mentoring", "champion_supervision")
    changed = logic.apply_levers(
        camden,
        logic.Levers(**{**now, "phase2_supplies": supplies, "phase2_cohorts": 3}),
    )
    design = changed.programme.foundation_for(changed.programme.phases[1])
    assert design.cohorts == 3, design
    assert design.offer_new_starters, design


def test_a_council_scenario_is_built_as_rollout_new_builds_it():
    scenario = logic.from_council("Camden", "camden", date(2026, 4, 1))
    assert scenario.scenario.start == date(2026, 4, 1), scenario.scenario.start
    assert "Camden" in scenario.name, scenario.name


@pytest.mark.parametrize("name", ["camden", "havering"])
def test_the_scenario_download_loads_back_unchanged(name):
    scenario = logic.from_bundled(name)
    again = scenario_from_text(to_toml(scenario), f"{name}.toml")
    assert again == scenario, f"{name}: the written TOML loads as a different scenario"


def test_an_experiment_returns_its_files_and_keeps_none(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    seen = []
    result = logic.run_experiment(
        logic.to_json(cohort_scenario()), seed=3, reps=3, progress=lambda d, t: seen.append(d)
    )
    for name in ("coverage.png", "fan.png", "report.html", "tables.xlsx", "summary_stats.csv"):
        assert name in result["files"], f"no {name}: {sorted(result['files'])}"
    assert seen, f"progress reported {seen}"
    assert seen[-1] == 3, f"progress reported {seen}"
    assert list(Path(tmp_path).iterdir()) == [], "the experiment left files behind"


def test_the_phase_2_question_answers_in_a_sentence():
    scenario = cohort_scenario(horizon_months=36).with_changes(
        {
            "programme.phases": [
                {
                    "name": "Phase 1",
                    "start": date(2020, 1, 1),
                    "months": 6,
                    "supplies": ["foundation"],
                },
                {
                    "name": "Phase 2",
                    "start_after_months": 1,
                    "months": 6,
                    "supplies": ["foundation"],
                },
            ]
        }
    )
    result = logic.phase2_sweep(
        logic.to_json(scenario), [0, 6], 6, "practising_person_months", None, 0.9, seed=2, reps=3
    )
    sentence = result["answers"][0]
    # "Best" only with the paired difference to the runner-up: from 3 futures, the two
    # delays cannot be told apart, and the sentence says how many futures would.
    assert sentence.startswith("Of the delays tried (Phase 2 starts"), sentence
    assert "month delay and a " in sentence, sentence
    assert "cannot be told apart" in sentence, sentence
    assert "too few for an interval" in sentence, sentence
    assert "futures (" in sentence, sentence
    assert "the best" not in sentence, sentence
    assert "sweep.png" in result["files"], sorted(result["files"])
    assert "report.html" in result["files"], sorted(result["files"])


def test_the_heading_describes_the_strategy_as_run():
    camden = logic.from_bundled("camden")
    own = camden.scenario.description
    assert logic.heading_words(camden, camden).startswith(own), "unchanged: its own words"
    moved = camden.with_changes({"programme.phases.1.start_after_months": 12})
    words = logic.heading_words(camden, moved)
    assert own not in words, f"the file's text describes another Phase 2: {words}"
    assert "Phase 2: Oct 2018 to" in words, words
    assert "12 months after Phase 1" in words, words
