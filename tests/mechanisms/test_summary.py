"""Per-replication measures: months to 50/80 % coverage, coverage at phase ends, the lowest
coverage in a gap, sustained, coverage-months.
"""

from __future__ import annotations

import math

import numpy as np
from conftest import base_data, one_phase
from mechkit import D, col, role, roles_data, run, scen


def _late_cohort(places: int):
    # One cohort of `places` of the 5 staff on 2020-03-10 (day 69, inside month 2), one day.
    data = base_data()
    data["programme"] = {
        "phases": one_phase(D(2020, 3, 10), D(2020, 12, 31), ["foundation"]),
        "foundation": {"cohorts": 1, "cohort_size": places},
    }
    return scen(data)


def test_months_to_coverage():
    # Coverage reaches 1 at day 69 = 2.3 months; the first month-end at which it is seen is
    # the end of month 2, three months from the start.
    _, res = run(_late_cohort(5))
    assert res.summary["months_to_50_coverage"] == 3, res.summary["months_to_50_coverage"]
    assert res.summary["months_to_80_coverage"] == 3, res.summary["months_to_80_coverage"]
    # 3 places: coverage 0.6, which reaches 50 % but never 80 %
    _, res = run(_late_cohort(3))
    assert col(res, "coverage").max() == 0.6, f"coverage {col(res, 'coverage')}"
    assert res.summary["months_to_50_coverage"] == 3, res.summary["months_to_50_coverage"]
    assert math.isnan(res.summary["months_to_80_coverage"]), res.summary["months_to_80_coverage"]


def test_months_to_coverage_empty_when_never_reached():
    data = base_data()
    data["workforce"]["initial_trained_fraction"] = 0.4  # 2 of 5
    _, res = run(scen(data))
    for level in (50, 80):
        value = res.summary[f"months_to_{level}_coverage"]
        assert math.isnan(value), f"months_to_{level}_coverage {value} though never reached"


def _decaying(**measures):
    # Everyone trained on day 0 (Phase 1, Jan-Jun 2020); high turnover and untrained recruits
    # make coverage fall month after month.
    data = roles_data({"worker": role(100, turnover=1.0)}, horizon=24)
    data["programme"] = {
        "phases": one_phase(D(2020, 1), D(2020, 6, 30), ["foundation"]),
        "foundation": {"cohorts": 1, "cohort_size": 100},
    }
    data["measures"] = {"sustain_after_months": 6, **measures}
    return scen(data)


def test_sustained_is_judged_n_months_after_the_last_phase_ends():
    # Last phase ends 2020-06-30 (month 5); 6 months later is the end of month 11: row 11.
    _, res = run(_decaying())
    coverage = col(res, "coverage")
    assert coverage[10] > coverage[11] > coverage[12], f"coverage {coverage[9:13]}"
    _, res = run(_decaying(sustain_target=float(coverage[11])))
    assert res.summary["sustained"] == 1.0, f"target = coverage at row 11 {coverage[11]}"
    _, res = run(_decaying(sustain_target=float(coverage[11]) + 1e-6))
    assert res.summary["sustained"] == 0.0, f"target just above row 11 {coverage[11]}"
    # judged after the horizon: empty
    _, res = run(_decaying(sustain_after_months=30))
    assert math.isnan(res.summary["sustained"]), f"sustained {res.summary['sustained']}"


def _two_phases(recruits_trained: float, supplies2: list[str]):
    data = roles_data({"worker": role(100, turnover=1.0)}, horizon=24)
    data["workforce"]["recruits_trained_fraction"] = recruits_trained
    data["programme"] = {
        "phases": [
            {"name": "P1", "start": D(2020, 1), "end": D(2020, 6, 30), "supplies": ["foundation"]},
            {"name": "P2", "start": D(2021, 1), "end": D(2021, 6, 30), "supplies": supplies2},
        ],
        "foundation": {"cohorts": 1, "cohort_size": 50},
    }
    return scen(data)


def test_lowest_coverage_in_a_gap_and_coverage_at_phase_ends():
    # Gap from 2020-07-01 (the end of month 5) to 2021-01-01 (the end of month 11): the rows
    # taken inside it, boundaries included, are rows 5-11.
    _, res = run(_two_phases(0.0, ["foundation"]))
    coverage = col(res, "coverage")
    assert res.summary["coverage_end_phase_1"] == coverage[5], res.summary
    assert res.summary["coverage_end_phase_2"] == coverage[17], res.summary
    # coverage falls through the gap, so its lowest point is where the gap ends
    assert coverage[11] < coverage[5:11].min(), f"coverage {coverage[5:12]}"
    assert res.summary["min_coverage_gap_1"] == coverage[11], (
        f"min_coverage_gap_1 {res.summary['min_coverage_gap_1']}, rows 5-11 {coverage[5:12]}"
    )
    # with every recruit trained coverage rises instead, so the lowest point is where the
    # gap begins (row 5), below every later row of the gap
    _, res = run(_two_phases(1.0, []))
    coverage = col(res, "coverage")
    assert coverage[5] < coverage[6:12].min(), f"coverage {coverage[4:13]}"
    assert res.summary["min_coverage_gap_1"] == coverage[5], (
        f"min_coverage_gap_1 {res.summary['min_coverage_gap_1']}, rows 5-11 {coverage[5:12]}"
    )


def test_practising_share_and_coverage_months():
    # 5 staff trained at the start, half-life 6 months (lapse after month 5, see
    # test_practice): practising share 1 for 6 rows, 0 after; coverage 1 throughout.
    data = base_data()
    data["workforce"]["initial_trained_fraction"] = 1.0
    data["practice"]["half_life_months"] = 6.0
    _, res = run(scen(data))
    s = res.summary
    assert s["coverage_months"] == 24, f"coverage_months {s['coverage_months']}"
    assert s["practising_share_months"] == 6, f"practising_share_months {s}"
    assert s["practising_share_horizon"] == 0, s
    assert s["coverage_horizon"] == 1, s
    assert s["cost_per_practising_month"] == 0, f"nothing spent: {s['cost_per_practising_month']}"


def test_waiting_times_count_those_never_offered_as_censored():
    """Kaplan-Meier by hand: waits 1, 2 (offered), 3 (never offered, left), 4 (offered).

    At t=1: 4 at risk, 1 offered → 3/4 still waiting; t=2: 3 at risk → 3/4 · 2/3 = 1/2;
    the censored person leaves the risk set after 3; t=4: 1 at risk → 0.
    """
    from sim.model.measures import waiting_times

    waited = np.array([1.0, 2.0, 3.0, 4.0])
    offered = np.array([True, True, False, True])
    times, still = waiting_times(waited, offered)
    assert times.tolist() == [1.0, 2.0, 4.0], f"event times {times}"
    assert np.allclose(still, [0.75, 0.5, 0.0]), f"share still waiting {still}"
    # dropping the never-offered person (the old mean wait's mistake) would give 2/3 at t=1
    times, still = waiting_times(waited[offered], offered[offered])
    assert np.allclose(still[0], 2 / 3), f"without the censored person {still}"


def test_waiting_times_in_one_pass_equal_the_step_by_step_estimate():
    """The Kaplan-Meier estimate, worked out for all event times at once, gives the bits of
    the estimate taken one event time after another (ties, censoring, no events).
    """
    from sim.model.measures import waiting_times

    def step_by_step(waited, offered):
        times = np.unique(waited[offered])
        still = np.ones(len(times))
        share = 1.0
        for i, t in enumerate(times):
            at_risk = np.count_nonzero(waited >= t)
            events = np.count_nonzero(offered & (waited == t))
            share *= 1.0 - events / at_risk
            still[i] = share
        return times, still

    rng = np.random.default_rng(8)
    for n in (0, 1, 5, 300, 3000):
        waited = np.round(rng.exponential(6.0, n), 1)  # rounded: many ties
        for offered in (rng.random(n) < 0.7, np.zeros(n, dtype=bool), np.ones(n, dtype=bool)):
            times, still = waiting_times(waited, offered)
            expected_times, expected_still = step_by_step(waited, offered)
            assert np.array_equal(times, expected_times), f"n {n}: times differ"
            assert still.tobytes() == expected_still.tobytes(), f"n {n}: shares differ"
