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
        assert not array.flags.writeable, f"{name} is writeable"
        with pytest.raises(ValueError, match="read-only"):
            array[0] = array[0]


def test_the_cache_is_bounded_and_results_do_not_depend_on_it(monkeypatch):
    scenario = make_scenario(workforce__roles__worker__turnover=0.3)
    cached = run_replication(scenario, 5, 0)
    for months in range(13, 13 + 2 * CACHE_SIZE):  # push the scenario out of the cache
        prepare(scenario.with_changes({"scenario.horizon_months": months}))
    assert len(prepared_module._cache) <= CACHE_SIZE, len(prepared_module._cache)
    fresh = run_replication(scenario, 5, 0)
    assert np.array_equal(cached.monthly, fresh.monthly), "monthly rows differ after rebuild"
    assert cached.summary == pytest.approx(fresh.summary, nan_ok=True), "summaries differ"


def test_quick_quantiles_give_scipy_s_bits_for_every_family():
    """The inverse CDF without scipy's per-call checks gives exactly scipy's ppf."""
    from sim.model.prepared import Quantiles
    from sim.scenario.uncertainty import Distribution

    families = [
        {"distribution": "uniform", "low": 6.5, "high": 13.0},
        {"distribution": "triangular", "low": 800, "mode": 1000, "high": 1400},
        {"distribution": "normal", "mean": 3.0, "sd": 2.0},
        {"distribution": "beta", "mean": 0.62, "sd": 0.08},
        {"distribution": "lognormal", "mean": 2.0, "sd": 0.7},
        {"distribution": "gamma", "mean": 0.1, "sd": 0.05},
    ]
    rng = np.random.default_rng(6)
    u = np.concatenate([rng.random(2000), [1e-300, 1 - 2**-53, 0.0]])
    for family in families:
        distribution = Distribution(**family, source="test")
        quantile = Quantiles(distribution.frozen())
        assert quantile._quick is not None, f"{family['distribution']}: no quick path"
        got = np.array([quantile(float(x)) for x in u])
        expected = np.array([float(distribution.ppf(float(x))) for x in u])
        assert got.tobytes() == expected.tobytes(), f"{family['distribution']}: values differ"


def test_quantiles_fall_back_to_scipy_when_its_private_names_change():
    from sim.model.prepared import Quantiles
    from sim.scenario.uncertainty import Distribution

    distribution = Distribution(distribution="beta", mean=0.62, sd=0.08, source="test")
    frozen = distribution.frozen()

    class Changed:  # a scipy whose frozen distribution has no .dist
        def ppf(self, u):
            return frozen.ppf(u)

    quantile = Quantiles(Changed())
    assert quantile._quick is None, "a quick path without scipy's private names"
    assert quantile(0.3) == float(frozen.ppf(0.3)), "the fallback is not scipy's ppf"


def test_draws_share_the_preparation_unless_they_move_posts_dates_or_groups():
    from sim import load_scenario, resolve_scenario

    camden = load_scenario(resolve_scenario("camden"))
    assert prepare(camden).serves_draws, "Camden's draws touch no date, post or group"
    data = camden.model_dump(mode="python")
    data["uncertainty"] = {
        **data["uncertainty"],
        "workforce.roles.social_worker.posts": {
            "distribution": "triangular",
            "low": 150,
            "mode": 180,
            "high": 200,
            "source": "t",
        },
    }
    from sim.scenario.schema import validate

    moving = validate(data, "<test>")
    assert not prepare(moving).serves_draws, "a draw of posts must not share the posts"
    result = run_replication(moving, 1, 0)
    posts = result.summary["workforce.roles.social_worker.posts"]
    headcount_and_vacancies = result.monthly[0, 0] + result.monthly[0, 1]
    assert headcount_and_vacancies == 250 - 180 + posts, (
        f"posts drawn {posts}, headcount + vacancies {headcount_and_vacancies}"
    )


def test_scenarios_with_the_same_uncertainty_share_their_distributions():
    """Every batch of a sweep is a scenario object of its own: equal [uncertainty] entries
    still make their (costly) scipy distributions once.
    """
    from sim import load_scenario, resolve_scenario

    camden = load_scenario(resolve_scenario("camden"))
    other = camden.with_changes({"champions.target": 20})
    for (key, mine, _), (_, theirs, _) in zip(
        prepare(camden).uncertain, prepare(other).uncertain, strict=True
    ):
        assert mine is theirs, f"{key}: the distribution was made again"
