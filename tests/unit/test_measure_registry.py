"""The registry of measures is the one place a measure is defined: every table of names,
directions, words, integer columns and chart labels derives from it, and a registry with
one more measure carries it everywhere without any other edit.
"""

from __future__ import annotations

import importlib

import pytest

from sim.experiments.batches import COUNT_COLUMNS
from sim.model import measures
from sim.model.registry import COUNT, MEASURES, MONTHS, REGISTRY, SHARE, Measure, Registry
from sim.model.vocabulary import (
    MONTHLY_TERMS,
    SUMMARY_TERMS,
    measure_term,
    monthly_terms,
    summary_terms,
)
from sim.outputs.canvas import chart_label
from sim.scenario import load_scenario, resolve_scenario

# Two measures nobody has yet: a monthly count and a per-replication wait.
NEW_MONTHLY = Measure(
    "supervisors_in_post", "Supervisors in post", "people", "Supervisors in post.", "state",
    COUNT, whole=True, computed="snapshot",
)  # fmt: skip
NEW_SUMMARY = Measure(
    "months_to_90_coverage", "Months to 90% trained", "months",
    "Months until 90% of staff are trained.", "summary", MONTHS, -1,
)  # fmt: skip


@pytest.fixture(scope="module")
def camden():
    return load_scenario(resolve_scenario("camden"), [])


def test_the_module_tables_are_the_registry_s():
    assert REGISTRY.monthly == measures.MONTHLY, f"MONTHLY {measures.MONTHLY}"
    assert REGISTRY.count_columns == COUNT_COLUMNS, f"COUNT_COLUMNS {COUNT_COLUMNS}"
    assert list(MONTHLY_TERMS) == list(measures.MONTHLY), f"monthly words {list(MONTHLY_TERMS)}"
    assert set(measures.SUMMARY) <= set(SUMMARY_TERMS), "a summary measure without words"
    assert "coverage" not in COUNT_COLUMNS, COUNT_COLUMNS
    assert "headcount" in COUNT_COLUMNS, COUNT_COLUMNS


def test_summary_columns_keep_their_order(camden):
    columns = measures.summary_columns(camden)
    assert columns[: len(camden.clock_months())] == [
        f"coverage_m{m}" for m in camden.clock_months()
    ], f"the common clock's coverage first: {columns[:6]}"
    first = columns.index("coverage_end_phase_1")
    assert columns[first + 1] == "practising_share_end_phase_1", columns[first : first + 3]
    assert columns[first + 2] == "coverage_end_phase_2", columns[first : first + 3]
    assert columns[-1 - len(camden.uncertainty)] == "sustained", columns[-6:]
    assert "net_benefit" not in columns, "a decision measure is no summary column"


@pytest.mark.parametrize("measure", MEASURES, ids=lambda m: m.name)
def test_each_entry_says_where_its_value_is_computed(measure):
    module, _, function = measure.computed.rpartition(".")
    found = getattr(importlib.import_module(module or "sim.model.measures"), function, None)
    assert callable(found), f"{measure.name}: computed by {measure.computed!r}, not a function"
    assert measure.direction in (-1, 0, 1), f"{measure.name}: direction {measure.direction}"
    assert measure.kind in ("state", "flow", "summary", "decision"), measure.kind


def test_a_family_is_found_by_its_names(camden):
    words = measure_term("coverage_end_phase_2", camden)
    assert camden.programme.phases[1].name in words.label, words.label
    assert measures.direction("min_coverage_gap_3") == 1
    assert measures.is_strategy_relative("min_coverage_gap_3")
    assert measures.is_common_clock("practising_share_m24")
    assert not measures.is_measure("coverage_mx"), "not a month: no measure"


def test_one_more_measure_reaches_every_table(camden):
    """Adding a measure is one entry: nothing else is edited, and it is everywhere."""
    # The new monthly measure goes after the last monthly one, the summary one last.
    last_monthly = max(i for i, m in enumerate(MEASURES) if m.monthly)
    extended = Registry(
        [*MEASURES[: last_monthly + 1], NEW_MONTHLY, *MEASURES[last_monthly + 1 :], NEW_SUMMARY]
    )
    assert extended.monthly == (*REGISTRY.monthly, "supervisors_in_post"), extended.monthly
    assert "supervisors_in_post" in extended.count_columns, extended.count_columns
    assert "months_to_90_coverage" in extended.summary, extended.summary
    assert extended.directions["months_to_90_coverage"] == -1, extended.directions
    columns = extended.summary_columns(camden.clock_months(), len(camden.programme.phases))
    before = REGISTRY.summary_columns(camden.clock_months(), len(camden.programme.phases))
    assert columns == [*before, "months_to_90_coverage"], columns[-3:]
    assert monthly_terms(extended)["supervisors_in_post"].label == "Supervisors in post"
    assert summary_terms(extended)["months_to_90_coverage"].kind == MONTHS
    term = measure_term("months_to_90_coverage", registry=extended)
    assert term.label == "Months to 90% trained", term
    assert chart_label("supervisors_in_post", extended) == "Supervisors in post"
    # The shipped registry knows neither: the extension changed nothing else.
    assert measure_term("months_to_90_coverage").label == "months_to_90_coverage"


def test_a_share_is_written_as_a_percentage():
    from sim.model.vocabulary import is_share, value_text

    shares = [m.name for m in MEASURES if m.shown == SHARE and not m.per]
    assert shares, shares
    assert all(is_share(name) for name in shares), shares
    assert value_text("coverage_horizon", 0.74) == "74%", value_text("coverage_horizon", 0.74)
