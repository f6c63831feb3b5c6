"""The preparation shared by a scenario's replications: built once, never shared wrongly.

The clock, phase calendar and establishment are built once per scenario object and reused
by every replication of it (:mod:`sim.model.prepared`). A variant is another object and
gets its own; nothing shared can be written to; and a replication run on a prepared
scenario gives the same bytes as one run on a scenario prepared afresh.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import make_scenario

from sim.model import prepared as prepared_module
from sim.model import run_replication
from sim.model.prepared import CACHE_SIZE, prepare


def test_the_same_scenario_object_is_prepared_once():
    scenario = make_scenario()
    first, second = prepare(scenario), prepare(scenario)
    assert first is second, "a second preparation of the same scenario object was built"


def test_a_variant_gets_its_own_preparation():
    scenario = make_scenario()
    longer = scenario.with_changes({"scenario.horizon_months": 36})
    assert prepare(longer) is not prepare(scenario), "a variant reused another's preparation"
    assert prepare(longer).clock.horizon_months == 36, prepare(longer).clock.horizon_months


def test_shared_arrays_cannot_be_written():
    shared = prepare(make_scenario())
    for name, array in [
        ("month_start_days", shared.clock.month_start_days),
        ("post_role", shared.establishment.post_role),
        ("post_team", shared.establishment.post_team),
        ("role_day_cost", shared.role_day_cost),
    ]:
        with pytest.raises(ValueError):
            array[0] = array[0]
            pytest.fail(f"{name} could be written")


def test_the_cache_is_bounded_and_results_do_not_depend_on_it(monkeypatch):
    scenario = make_scenario(workforce__roles__worker__turnover=0.3)
    cached = run_replication(scenario, 5, 0)
    for months in range(13, 13 + 2 * CACHE_SIZE):  # push the scenario out of the cache
        prepare(scenario.with_changes({"scenario.horizon_months": months}))
    assert len(prepared_module._cache) <= CACHE_SIZE, len(prepared_module._cache)
    fresh = run_replication(scenario, 5, 0)
    assert np.array_equal(cached.monthly, fresh.monthly), "monthly rows differ after rebuild"
    assert cached.summary == pytest.approx(fresh.summary, nan_ok=True), "summaries differ"
