"""Practice: uptake, decay with a half-life (and its spread), the threshold, reinforcement."""

from __future__ import annotations

import math

import numpy as np
from conftest import base_data, one_phase
from mechkit import DAYS_PER_MONTH, D, col, month_days, role, roles_data, run, scen
from scipy.special import gammaincc


def _state(practice, engaged, half_lives):
    """A PracticeState whose people take the practice up exactly where ``engaged`` says."""
    from sim.model.practice import PracticeState
    from sim.model.streams import Streams

    return PracticeState(practice, np.where(engaged, 0.0, 1.0), None, half_lives, Streams(1, 0))


def _initially_trained(**practice):
    data = base_data()
    data["workforce"]["initial_trained_fraction"] = 1.0
    data["practice"].update(practice)
    return scen(data)


def test_practice_lapses_after_half_life_times_log2_one_over_threshold():
    # Level 0.5^(t / h) with h = 6 months = 182.625 days; θ = 0.5 -> practising while
    # t < 182.625 days. Month ends (2020): row 5 at day 182 (still), row 6 at day 213 (not).
    _, res = run(_initially_trained(half_life_months=6.0, threshold=0.5))
    practising = col(res, "practising")
    assert np.all(practising[:6] == 5), f"rows 0-5 practising {practising[:6]}"
    assert np.all(practising[6:] == 0), f"rows 6+ practising {practising[6:]}"
    # θ = 0.25 -> two half-lives = 365.25 days: row 10 (day 335) yes, row 11 (day 366) no.
    _, res = run(_initially_trained(half_life_months=6.0, threshold=0.25))
    practising = col(res, "practising")
    assert np.all(practising[:11] == 5), f"rows 0-10 practising {practising[:11]}"
    assert np.all(practising[11:] == 0), f"rows 11+ practising {practising[11:]}"
    # trained is not practising: coverage stays 1 throughout
    assert np.all(col(res, "coverage") == 1.0), f"coverage {col(res, 'coverage')}"


def _big_cohort(uptake: float, horizon: int = 3):
    data = roles_data({"worker": role(1000)}, horizon=horizon)
    data["practice"]["uptake"] = uptake
    data["programme"] = {
        "phases": one_phase(D(2020, 1), D(2020, 12, 31), ["foundation"]),
        "foundation": {"cohorts": 1, "cohort_size": 2000},
    }
    return scen(data)


def test_uptake_share_of_trained_who_practise():
    for uptake in (0.3, 0.62):
        _, res = run(_big_cohort(uptake))
        trained, practising = col(res, "trained")[0], col(res, "practising")[0]
        assert trained == 1000, f"trained {trained}"
        share = practising / trained
        sd = math.sqrt(uptake * (1 - uptake) / trained)
        assert abs(share - uptake) < 4 * sd, (
            f"uptake {uptake}: share practising right after training {share:.3f}"
        )


def test_uptake_zero_nobody_practises_whatever_the_support():
    data = base_data()
    data["workforce"]["initial_trained_fraction"] = 1.0
    data["practice"]["uptake"] = 0.0
    sc = scen(
        data,
        programme__phases=one_phase(D(2020, 1), D(2021, 12, 31), ["mentoring"]),
        champions__target=2,
        champions__workshops_per_year=12,
        champions__workshop_places=5,
    )
    _, res = run(sc)
    for name in ("practising", "teams_supervising", "champions"):
        assert col(res, name).max() == 0, f"{name} with uptake 0: {col(res, name)}"
    assert np.all(col(res, "coverage") == 1.0), "uptake does not change who is trained"


def test_half_life_spread_is_gamma_around_the_mean():
    # Each person's half-life H ~ gamma with mean h and coefficient of variation s
    # (shape k = 1/s², scale h/k). With θ = 0.5 a person practises at t iff H > t, so the
    # share still practising at t is the gamma survival function Q(k, k t / h).
    h, s = 6.0, 0.5
    data = roles_data({"worker": role(2000)}, horizon=12)
    data["workforce"]["initial_trained_fraction"] = 1.0
    data["practice"].update(half_life_months=h, half_life_spread=s)
    _, res = run(scen(data))
    k = 1 / s**2
    ends = month_days(D(2020, 1), 12)[1:]
    for row in (2, 5, 11):
        expected = gammaincc(k, k * ends[row] / (h * DAYS_PER_MONTH))
        got = col(res, "practising_share")[row]
        sd = math.sqrt(expected * (1 - expected) / 2000)
        assert abs(got - expected) < 4 * sd + 1e-3, (
            f"row {row}: share practising {got:.3f}, gamma survival {expected:.3f}"
        )


def _regular_group(threshold: float, reinforcement: float, half_life: float = 3.0):
    data = roles_data({"worker": role(10)}, horizon=36)
    data["workforce"]["initial_trained_fraction"] = 1.0
    data["practice"].update(
        half_life_months=half_life, threshold=threshold, reinforcement=reinforcement
    )
    data["programme"] = {
        "phases": one_phase(D(2020, 1), D(2022, 12, 31), ["staff"]),
        "groups": {"staff": {"roles": ["worker"], "interval_months": 1}},
    }
    return scen(data)


def test_partial_reinforcement_converges_to_its_fixed_point():
    # Monthly reinforcement restoring share r of the gap: just after a session the level
    # converges to L+ = r / (1 - d (1 - r)), d = 0.5^(1/h) the decay over a month; at the
    # end of the month (when the row is taken) it is d·L+. h = 3, r = 0.5:
    # L+ = 0.829, d·L+ = 0.658 — practising at month ends when θ = 0.6, not when θ = 0.7.
    h, r = 3.0, 0.5
    d = 0.5 ** (1 / h)
    post = r / (1 - d * (1 - r))
    end_level = d * post
    assert 0.6 < end_level < 0.7 < post
    rep, res = run(_regular_group(0.6, r, h))
    assert np.all(col(res, "practising")[12:] == 10), f"θ=0.6: {col(res, 'practising')}"
    # the level at the horizon (end of a 31-day December) against the closed form
    last = month_days(D(2020, 1), 36)
    december = (last[36] - last[35]) / DAYS_PER_MONTH
    expected = post * 0.5 ** (december / h)
    level = rep.practice.level(last[36], np.arange(10))
    assert np.allclose(level, expected, atol=0.01), f"level {level[0]:.4f} vs {expected:.4f}"
    _, res = run(_regular_group(0.7, r, h))
    assert np.all(col(res, "practising")[12:] == 0), f"θ=0.7: {col(res, 'practising')}"


def test_full_reinforcement_restores_the_full_level():
    rep, res = run(_regular_group(0.5, 1.0, 3.0))
    last = month_days(D(2020, 1), 36)
    december = (last[36] - last[35]) / DAYS_PER_MONTH
    level = rep.practice.level(last[36], np.arange(10))
    assert np.allclose(level, 0.5 ** (december / 3.0)), f"level {level[0]:.4f}"


def test_full_reinforcement_shortcut_gives_the_same_lapse_days_as_the_long_way():
    """A reinforcement of 1.0 sets the lapse day to the day plus the person's full span,
    with no exp or log; the bits must be those of level → now + 1.0 · (1 − now) → log.
    """
    from sim.scenario.schema import Practice

    rng = np.random.default_rng(3)
    n = 2000
    for threshold in (0.5, 0.123, 0.9):
        practice = Practice(threshold=threshold, reinforcement=1.0)
        half_lives = rng.gamma(4.0, 90.0, n)
        short = _state(practice, rng.random(n) < 0.8, half_lives)
        short.complete_training(np.arange(n), rng.uniform(0, 300, n), 1.0, cap=0.8)
        long = _state(practice, short.engaged, half_lives)
        long.complete_training(np.arange(n), 0.0, 1.0)
        long.lapse_day[:], long.trained[:] = short.lapse_day, short.trained
        who = np.sort(rng.choice(n, 1500, replace=False))
        for day in (300.0, 301.5, 700.25):  # the same day twice over: level a hair above 1
            short.reinforce(who, day)
            short.reinforce(who, day)
            capable = who[long.trained[who] & long.engaged[who]]
            for _ in range(2):
                now = long.level(day, capable)
                long._set_level(capable, now + 1.0 * (1.0 - now), day)
            assert np.array_equal(short.lapse_day, long.lapse_day), (
                f"threshold {threshold}, day {day}: "
                f"{np.count_nonzero(short.lapse_day != long.lapse_day)} lapse days differ"
            )


def test_partial_reinforcement_in_place_gives_the_bits_of_level_then_set_level():
    """reinforce() with a share below 1 works in place; the lapse days must be those of
    level(), now + share · (1 − now), then _set_level().
    """
    from sim.scenario.schema import Practice

    rng = np.random.default_rng(4)
    n = 1500
    for threshold, share in ((0.5, 0.1), (0.23, 0.77)):
        practice = Practice(threshold=threshold, reinforcement=share)
        half_lives = rng.gamma(4.0, 90.0, n)
        fast = _state(practice, rng.random(n) < 0.8, half_lives)
        fast.complete_training(np.arange(n), rng.uniform(0, 300, n), 1.0, cap=0.9)
        slow = _state(practice, fast.engaged, half_lives)
        slow.complete_training(np.arange(n), 0.0, 1.0)
        slow.lapse_day[:] = fast.lapse_day
        who = np.sort(rng.choice(n, 1000, replace=False))
        for day in (250.0, 420.5):
            fast.reinforce(who, day)
            capable = who[slow.engaged[who]]
            now = slow.level(day, capable)
            slow._set_level(capable, now + share * (1.0 - now), day)
            assert fast.lapse_day.tobytes() == slow.lapse_day.tobytes(), (
                f"threshold {threshold}, share {share}, day {day}: "
                f"{np.count_nonzero(fast.lapse_day != slow.lapse_day)} lapse days differ"
            )


def test_reinforcing_a_team_and_its_supervisor_in_one_pass_gives_the_bits_of_two_calls():
    """reinforce_team(members, their strengths, supervisors, b, day) = reinforce(members) then
    reinforce(supervisors, boost=b), for full and partial shares on either side.
    """
    from sim.scenario.schema import Practice

    rng = np.random.default_rng(5)
    n = 1200
    for share, second in ((1.0, 0.1), (0.8, 0.1), (0.8, 1.0), (1.0, 1.0)):
        practice = Practice(threshold=0.45, reinforcement=share)
        half_lives = rng.gamma(4.0, 90.0, n)
        one = _state(practice, rng.random(n) < 0.7, half_lives)
        one.complete_training(np.arange(n), rng.uniform(0, 200, n), 1.0, cap=0.9)
        two = _state(practice, one.engaged, half_lives)
        two.complete_training(np.arange(n), 0.0, 1.0)
        two.lapse_day[:] = one.lapse_day
        people = rng.permutation(n)
        members = np.sort(people[:800])
        leaders = np.sort(people[800:900])
        leaders = leaders[one.capable[leaders]]  # supervisors who run a group practise
        for day in (210.0, 210.0, 333.5):  # twice on one day: levels a hair above 1
            one.reinforce_team(members, np.full(len(members), share), leaders, second, day)
            two.reinforce(members, day)
            two.reinforce(leaders, day, second, capable=True)
            assert one.lapse_day.tobytes() == two.lapse_day.tobytes(), (
                f"shares {share}/{second}, day {day}: "
                f"{np.count_nonzero(one.lapse_day != two.lapse_day)} lapse days differ"
            )
