"""Reproducibility and common random numbers.

- the same (scenario, seed) gives identical tables; another seed gives different ones;
- the number of worker processes, and which other replications run alongside, change
  nothing: replication r always uses the streams of (seed, r);
- running a scenario leaves the Scenario object as it was;
- two strategies run on the same seed face exactly the same comings and goings of staff
  (MODEL.md section 3: paired differences between strategies on the same seeds).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import make_scenario

from sim import load_scenario
from sim.experiments.replications import replicate as run
from sim.model import Replication, run_replication

SEED = 424242
STAFFING = ["headcount", "vacancies", "agency", "starters", "leavers"]

# Strategies that differ from Camden in every training mechanism but not in the workforce.
STRATEGIES: dict[str, dict] = {
    "do_nothing": {"programme.phases": []},
    "whole_teams_new_starters": {
        "programme.foundation.allocation": "whole_teams",
        "programme.foundation.offer_new_starters": True,
        "programme.foundation.cohort_size": 45,
    },
    "champions_inducting": {
        "champions.target": 25,
        "champions.replacement": "at_once",
        "champions.induction_places_per_champion_per_month": 0.5,
    },
    "practice_and_start": {
        "practice.uptake": 0.3,
        "practice.half_life_months": 4.0,
        "workforce.initial_trained_fraction": 0.5,
        "workforce.recruits_trained_fraction": 0.4,
    },
}


@pytest.fixture(scope="module")
def camden(camden_path):
    return load_scenario(camden_path)


def test_same_seed_gives_identical_tables(camden):
    first = run(camden, reps=3, seed=SEED)
    second = run(camden, reps=3, seed=SEED)
    pd.testing.assert_frame_equal(first.timeseries, second.timeseries, obj="timeseries, run 2")
    pd.testing.assert_frame_equal(first.summary, second.summary, obj="summary, run 2")


def test_different_seed_gives_different_tables(camden):
    first = run(camden, reps=3, seed=SEED).timeseries
    other = run(camden, reps=3, seed=SEED + 1).timeseries
    for column in ("headcount", "leavers", "trained", "practising"):
        same = (first[column].to_numpy() == other[column].to_numpy()).all()
        assert not same, f"seed {SEED} and {SEED + 1} gave the same {column} column"


def test_replications_differ_from_each_other(camden):
    ts = run(camden, reps=3, seed=SEED).timeseries
    columns = ts[ts.rep == 0].headcount.to_numpy(), ts[ts.rep == 1].headcount.to_numpy()
    assert not np.array_equal(*columns), f"reps 0 and 1 have the same headcount {columns[0][:8]}"


def test_workers_do_not_change_results(camden):
    """The same tables whether the replications run in one process or two."""
    serial = run(camden, reps=5, seed=SEED, workers=1)
    parallel = run(camden, reps=5, seed=SEED, workers=2)
    pd.testing.assert_frame_equal(
        serial.timeseries, parallel.timeseries, obj="timeseries, workers=2 vs 1"
    )
    pd.testing.assert_frame_equal(serial.summary, parallel.summary, obj="summary, workers=2 vs 1")


def test_replication_does_not_depend_on_its_neighbours(camden):
    """Replication 3 run alone equals replication 3 of a batch of five."""
    batch = run(camden, reps=5, seed=SEED).timeseries
    alone = run_replication(camden, SEED, 3)
    rows = batch[batch.rep == 3].drop(columns=["rep", "month", "date"]).to_numpy(dtype=float)
    np.testing.assert_allclose(
        alone.monthly, rows, rtol=0, atol=1e-9, err_msg="replication 3 alone vs in a batch"
    )


def test_run_leaves_the_scenario_unchanged(camden):
    changed = camden.with_changes({"champions.target": 5})
    before, before_changed = camden.model_dump(), changed.model_dump()
    run(camden, reps=2, seed=SEED)
    run(changed, reps=2, seed=SEED, workers=2)
    after = camden.model_dump()
    assert after == before, f"the scenario changed during a run: {after} vs {before}"
    assert changed.model_dump() == before_changed, "the changed copy changed during a run"
    assert camden.champions.target == 12, (
        f"with_changes altered the original: target {camden.champions.target}"
    )


@pytest.mark.parametrize("strategy", list(STRATEGIES))
def test_strategies_share_the_comings_and_goings_of_staff(camden, strategy):
    """Common random numbers: the staffing columns do not depend on the strategy."""
    other = camden.with_changes(STRATEGIES[strategy])
    base = run(camden, reps=4, seed=SEED).timeseries
    alt = run(other, reps=4, seed=SEED).timeseries
    pd.testing.assert_frame_equal(
        base[["rep", "month", *STAFFING]],
        alt[["rep", "month", *STAFFING]],
        obj=f"staffing columns, Camden vs {strategy}",
    )
    differs = not np.array_equal(base.trained.to_numpy(), alt.trained.to_numpy())
    assert differs, f"{strategy}: trained column identical to Camden's, strategy had no effect"


@pytest.mark.parametrize("strategy", list(STRATEGIES))
def test_strategies_share_the_staffing_plan(camden, strategy):
    """At the source: every person's post, start, end and agency flag are the same arrays,
    and the same people engage with the practice when the uptake is the same.
    """
    other = camden.with_changes(STRATEGIES[strategy])
    for rep in (0, 1, 2):
        a, b = Replication(camden, SEED, rep), Replication(other, SEED, rep)
        assert a.plan.n_people == b.plan.n_people, (
            f"{strategy} rep {rep}: {a.plan.n_people} vs {b.plan.n_people} people in the plan"
        )
        for field in ("post", "start", "end", "is_agency", "is_initial"):
            np.testing.assert_array_equal(
                getattr(a.plan, field),
                getattr(b.plan, field),
                err_msg=f"{strategy} rep {rep}: staffing plan field {field!r} differs",
            )
        if other.practice.uptake == camden.practice.uptake:
            np.testing.assert_array_equal(
                a.practice.engaged, b.practice.engaged, err_msg=f"{strategy}: engagement differs"
            )


def test_small_scenario_staffing_independent_of_programme():
    """The same check on a small scenario built in code: a foundation programme vs none."""
    from datetime import date

    from conftest import one_phase

    staffing = {
        "workforce__roles__worker__posts": 12,
        "workforce__roles__worker__turnover": 0.4,
        "workforce__roles__worker__hiring_delay_months": 4.0,
        "workforce__roles__supervisor__turnover": 0.4,
        "workforce__agency_cover": 0.5,
    }
    none = make_scenario(**staffing)
    some = make_scenario(
        **staffing,
        programme__phases=one_phase(date(2020, 3, 1), date(2021, 6, 30), ["foundation"]),
        programme__foundation__cohorts=4,
        programme__foundation__cohort_size=5,
        champions__target=2,
    )
    a, b = run(none, reps=6, seed=8).timeseries, run(some, reps=6, seed=8).timeseries
    assert b.trained.max() > 0, "the programme trained nobody"
    pd.testing.assert_frame_equal(a[STAFFING], b[STAFFING], obj="staffing, no programme vs one")


def test_each_stream_is_the_spawned_child_at_its_fixed_index():
    """Streams builds only the generators a replication uses, each the child at its fixed
    index of SeedSequence(seed, spawn_key=(replication,)) (as spawning them all gives).
    """
    from sim.model.streams import SPARE_STREAMS, STREAMS, Streams

    for seed, replication in ((SEED, 0), (3, 17)):
        root = np.random.SeedSequence(entropy=seed, spawn_key=(replication,))
        children = root.spawn(len(STREAMS) + SPARE_STREAMS)
        streams = Streams(seed, replication)
        for index, name in enumerate(STREAMS):
            expected = np.random.Generator(np.random.PCG64(children[index])).random(4)
            got = streams[name].random(4)
            assert np.array_equal(got, expected), f"stream {name} of ({seed}, {replication})"
