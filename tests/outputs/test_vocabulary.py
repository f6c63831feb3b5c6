"""Plain words: every measure and the keys a planner touches have a label, a unit and a
meaning; values and differences are written in one style everywhere.
"""

from __future__ import annotations

import pandas as pd
import pytest

from sim.experiments.display import keyed
from sim.model.measures import MONTHLY, summary_columns
from sim.model.vocabulary import (
    difference_text,
    key_label,
    key_value_text,
    measure_label,
    measure_term,
    value_text,
)
from sim.scenario import formats, load_scenario


@pytest.fixture(scope="module")
def camden(camden_path):
    return load_scenario(camden_path)


def test_every_measure_has_plain_words(camden):
    names = [*MONTHLY, *summary_columns(camden)]
    for name in names:
        term = measure_term(name, camden)
        assert term.label, f"{name}: label {term.label!r}"
        assert term.label != name, f"{name}: label {term.label!r}"
        assert term.meaning.endswith("."), f"{name}: meaning {term.meaning!r}"
        assert term.unit, f"{name}: no unit"
        assert "_" not in term.label, f"{name}: raw words in the label {term.label!r}"


def test_phase_measures_use_the_scenarios_phase_names(camden):
    assert measure_label("completed_phase_2", camden) == "People trained in Phase 2"
    label = measure_label("min_coverage_gap_1", camden)
    assert label == "Lowest coverage between Phase 1 and Phase 2 (own dates)", label


@pytest.mark.parametrize(
    ("measure", "value", "text"),
    [
        ("coverage_m36", 0.7412, "74%"),
        ("practising_person_months", 4892.4, "4,892"),
        ("total_cost", 1128542.3, "£1,128,542"),
        ("months_to_50_coverage", 11.0, "11.0"),
        ("sustained", float("nan"), "–"),
    ],
)
def test_values_in_one_style(measure, value, text):
    assert value_text(measure, value) == text, f"{measure} {value}: {value_text(measure, value)}"


def test_differences_of_shares_in_percentage_points():
    assert difference_text("practising_share_m48", 0.021) == "+2.1 percentage points"
    assert difference_text("total_cost", -2352.0) == "-£2,352"
    assert formats.percent(0.5) == "50%", formats.percent(0.5)


def test_phase_2_timing_in_words(camden):
    key = "programme.phases.1.start_after_months"
    assert key_label(key, camden) == "Phase 2 starts … months after Phase 1 ends"
    text = key_value_text(key, 6, camden)
    assert text == "Phase 2 starts 6 months after Phase 1 ends", text
    assert key_label("champions.target", camden) == "Champions", key_label("champions.target")
    assert "share" not in key_value_text("practice.uptake", 0.62), key_value_text(
        "practice.uptake", 0.62
    )


def test_an_unknown_key_still_reads_as_words():
    label = key_label("programme.mentoring.group_size")
    assert label == "Group size of mentoring (supervisors)", label


def test_a_wide_result_table_prints_the_difference():
    frame = pd.DataFrame(
        {c: [1.5] for c in ("strategy", "measure", "mean_difference", "ci_low", "ci_high")}
        | {f"other_{i}": [0.0] for i in range(9)}
    )
    text = repr(keyed(frame, ["strategy", "measure", "mean_difference", "ci_low", "ci_high"]))
    assert "mean_difference" in text, text
    assert "columns]" not in text, text
    assert "and 9 more columns" in text, text


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [
        ("workforce.shock.posts_cut", 0.1, "Shock cuts 10% of each role's posts when it begins"),
        ("workforce.shock.restore", False, "Posts cut are not restored when the shock ends"),
        (
            "workforce.shock.restore",
            True,
            "Posts cut are restored (opened vacant) when the shock ends",
        ),
        ("workforce.shock.months", 12.0, "Shock lasts 12 months"),
        ("workforce.shock.start_after_months", 6, "Shock begins 6 months after the start"),
        (
            "workforce.shock.turnover_points",
            5.0,
            "Shock adds 5 percentage points to every role's annual turnover",
        ),
        (
            "workforce.shock.hiring_freeze",
            True,
            "Shock freezes recruitment: no post is filled while it lasts",
        ),
    ],
)
def test_a_shock_in_words(key, value, text):
    said = key_value_text(key, value)
    assert said == text, f"{key}={value!r}: {said!r}"


def test_a_share_of_something_reads_as_a_percentage_of_it():
    said = key_value_text("programme.mentoring.strength", 0.6)
    assert said.endswith(": 60% of the gap to full"), said
    assert key_label("workforce.shock.restore") == "Shock: posts cut restored at its end"


def test_a_count_whose_unit_is_its_label_is_not_said_twice():
    assert key_value_text("champions.target", 8) == "Champions: 8"
    assert key_value_text("programme.foundation.cohorts", 6) == "Cohorts: 6"
    # A unit that is not the label stays.
    assert key_value_text("programme.foundation.cohort_size", 30) == "Places per cohort: 30 places"
