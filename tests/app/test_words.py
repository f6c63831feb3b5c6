"""Plain words on the page: the explanation as sections of paragraphs and tables without
dotted keys outside the keys' expander, lever choices in words, a council start without a
warning the planner did not cause, one default start date, Phase 2's warnings under Phase
2's lever, and the comparison as two tables (strategies as rows, differences apart).
"""

from __future__ import annotations

import re

import pytest
from experiments.expkit import cohort_scenario

from sim.app import logic, words
from sim.councils.builder import next_april

DOTTED = re.compile(r"\b[a-z_]+\.[a-z_]+\.[a-z_]+\b")


def test_the_explanation_has_no_keys_outside_the_expander():
    camden = logic.from_bundled("camden")
    sections = words.sections(logic.explanation(camden).lines, camden)
    shown = [s for s in sections if not s.keys]
    assert len(shown) >= 5, [s.title for s in sections]
    for section in shown:
        for kind, part in section.parts:
            text = part if kind == "text" else " ".join(" ".join(r.values()) for r in part)
            assert not DOTTED.search(text), f"{section.title}: a key on the screen: {text[:200]}"
            assert "senior_practitioner" not in text, f"{section.title}: {text[:200]}"
    assert any(s.keys for s in sections), "the keys are nowhere (not even on request)"


def test_the_workforce_is_a_table_with_a_row_per_role():
    camden = logic.from_bundled("camden")
    workforce = next(
        s for s in words.sections(logic.explanation(camden).lines, camden) if s.title == "Workforce"
    )
    tables = [part for kind, part in workforce.parts if kind == "table"]
    assert tables, workforce.parts
    roles = [row["role"] for row in tables[0]]
    assert "senior practitioner" in roles, roles
    total = next(row for row in tables[0] if row["role"] == "all roles")
    assert total["turnover"] == "", f"a figure landed in the wrong column: {total}"
    assert total["posts"] == str(sum(r.posts for r in camden.workforce.roles.values())), total


def test_uncertain_assumptions_are_labelled_in_words():
    camden = logic.from_bundled("camden")
    section = next(
        s
        for s in words.sections(logic.explanation(camden).lines, camden)
        if s.title.startswith("Uncertain assumptions")
    )
    rows = next(part for kind, part in section.parts if kind == "table")
    assert len(rows) == len(camden.uncertainty), (len(rows), len(camden.uncertainty))
    assert all("." not in row["assumption"] for row in rows), rows


@pytest.mark.parametrize("value", [*logic.ALLOCATIONS, *logic.REPLACEMENTS, "team_managers"])
def test_lever_choices_are_words(value):
    label = words.choice_label(value)
    assert "_" not in label, label


@pytest.mark.parametrize(
    ("council", "template"),
    # Councils whose starting staff are fewer than the template's places (Camden's were,
    # until a council's start took its latest year's vacancies, not the pooled ones).
    [("Leeds", "camden"), ("Manchester", "camden"), ("City of London", "havering")],
)
def test_a_council_start_opens_without_a_warning(council, template):
    built = logic.council_as_built(council, template)
    assert logic.explanation(built).warnings, "the template no longer overfills: test moot"
    scenario = logic.from_council(council, template)
    assert logic.explanation(scenario).warnings == []
    f, before = scenario.programme.foundation, built.programme.foundation
    assert f.cohort_size >= min(2, before.cohort_size), f
    assert f.cohorts * f.cohort_size < before.cohorts * before.cohort_size, (f, before)


def test_the_fill_says_what_it_changed():
    _, note = logic.fill_cohorts(logic.council_as_built("Leeds"))
    assert note.startswith("So that every cohort fills"), note
    unchanged, nothing = logic.fill_cohorts(logic.from_bundled("camden"))
    assert nothing == "", nothing
    assert unchanged == logic.from_bundled("camden")


def test_one_default_start_date_everywhere():
    assert logic.default_start() == next_april()
    assert logic.from_council("Camden").scenario.start == next_april()


def test_phase_2s_cohort_warnings_go_under_phase_2s_lever():
    camden = logic.from_bundled("camden")
    now = logic.levers_dict(logic.levers_of(camden))
    scenario = logic.apply_levers(
        camden,
        logic.Levers(**{**now, "phase2_supplies": ("foundation",), "phase2_cohorts": 12}),
    )
    warnings = logic.explanation(scenario).warnings
    assert warnings, "no Phase 2 warning to place"
    for warning in warnings:
        key, _, text = warning.partition(": ")
        assert logic.warning_lever(key, text, scenario) == "phase2_cohorts", warning
    assert (
        logic.warning_lever("programme.foundation.cohort_size", "Phase 2 offers 90", scenario)
        == "phase2_cohorts"
    )
    assert (
        logic.warning_lever("programme.foundation.cohort_size", "Phase 1 offers 90", scenario)
        == "cohort_size"
    )


def test_a_comparison_is_two_tables_strategies_as_rows():
    base = cohort_scenario()
    more = base.with_changes({"programme.foundation.cohort_size": 8})
    result = logic.compare_experiment(
        {"four places": logic.to_json(base), "eight places": logic.to_json(more)}, 1, 3, workers=1
    )
    assert [row["strategy"] for row in result["levels"]] == ["four places", "eight places"]
    assert [row["strategy"] for row in result["changes"]] == ["eight places, against four places"]
    assert set(result["levels"][0]) == set(result["changes"][0]), "the tables' columns differ"
    # From 3 futures no figure has an interval: the screen says so once, not in every cell.
    assert result["few"].startswith("From 3 futures, too few for an interval"), result["few"]
    cells = [v for row in result["levels"] + result["changes"] for k, v in row.items()]
    assert not any("too few" in v for v in cells), cells


def test_the_phase_calendar_is_a_table_with_named_columns():
    camden = logic.from_bundled("camden")
    calendar = next(
        s
        for s in words.sections(logic.explanation(camden).lines, camden)
        if s.title.startswith("Phase calendar")
    )
    rows = next(part for kind, part in calendar.parts if kind == "table")
    assert list(rows[0]) == ["part", "dates", "length", "what is supplied"], rows[0]
    assert [r["part"] for r in rows] == ["Phase 1", "gap", "Phase 2", "after"], rows
