"""The selection procedure on toy problems whose right answers are known.

How the guarantee is tested: a configuration is run on many seeded trials and the number of
right choices counted. If the procedure's true chance of choosing right were exactly the
stated one, the count would be Binomial(trials, pcs); the test fails when the observed count
is so low that a count this low or lower would happen with probability below 0.001
(a one-sided binomial test, :func:`meets`). A procedure that keeps its guarantee therefore
fails a given check with probability under 0.001, while one whose chance falls well short
(``test_the_check_has_teeth``: a naive rule at 85 %) fails it. The seeds are fixed, so every
run gives the same counts.

The hardest configuration for an indifference-zone guarantee is the slippage one: the best
candidate better by exactly delta, every other equal.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from toys import Toy

from sim.optimise import Constraint, select
from sim.optimise.selection import h_squared

RISK = 0.001  # the chance that a procedure keeping its guarantee fails one check


def meets(right: int, trials: int, pcs: float) -> bool:
    """True unless ``right`` of ``trials`` is implausibly few for a chance of ``pcs``."""
    return stats.binom.cdf(right, trials, pcs) >= RISK


def count_right(trials, make, expect, **options) -> tuple[int, list]:
    """Run ``select`` on ``make(seed)`` for each seed; count choices equal to ``expect``."""
    results = [select(make(seed), **options) for seed in range(trials)]
    return sum(r.chosen == expect for r in results), results


# ---- the constant -------------------------------------------------------------------


@pytest.mark.parametrize(("alpha", "tests", "n0"), [(0.05, 1, 10), (0.025, 4, 10), (0.1, 9, 25)])
def test_h_squared_gives_each_test_its_share_of_the_error(alpha, tests, n0):
    """Fabian's bound averaged over the first stage's variance, 1/2 (1 + h²/(n0-1)) **
    (-(n0-1)/2), must equal the error allowed to one test, alpha / tests.
    """
    h2 = h_squared(alpha, tests, n0)
    bound = 0.5 * (1 + h2 / (n0 - 1)) ** (-(n0 - 1) / 2)
    assert bound == pytest.approx(alpha / tests, rel=1e-12), f"h² {h2}: bound {bound}"


# ---- the guarantee, without constraints ---------------------------------------------


@pytest.mark.parametrize(
    ("k", "sds", "rho", "pcs"),
    [
        (2, 3.0, 0.5, 0.95),  # two candidates: the bound is tightest
        (2, 3.0, 0.5, 0.80),  # a low stated chance
        (5, 2.0, 0.5, 0.95),
        (4, [1.0, 2.0, 3.0, 4.0], 0.8, 0.90),  # unequal variances, strong CRN
        (3, [3.0, 1.0, 2.0], 0.0, 0.95),  # independent futures: no CRN at all
    ],
)
def test_slippage_configuration_meets_the_stated_chance(k, sds, rho, pcs):
    means = [0.0] + [1.0] * (k - 1)  # candidate 0 is best by exactly delta
    trials = 1000
    right, results = count_right(
        trials, lambda s: Toy(means, sds, rho, seed=s), 0, k=k, delta=1.0, pcs=pcs, n0=10
    )
    spent = np.mean([r.spent for r in results])
    assert meets(right, trials, pcs), (
        f"chose the best in {right} of {trials} trials (mean {spent:.0f} futures); stated {pcs}"
    )


def test_best_not_listed_first_is_found():
    means = [1.0, 1.0, 0.0, 1.0]  # the best is candidate 2, so ties to 0 cannot help
    trials = 500
    right, _ = count_right(
        trials, lambda s: Toy(means, 2.0, 0.5, seed=s), 2, k=4, delta=1.0, pcs=0.95, n0=10
    )
    assert meets(right, trials, 0.95), f"chose candidate 2 in {right} of {trials}"


def test_maximising_chooses_the_highest():
    means = [1.0, 1.0, 2.0]
    trials = 500
    right, results = count_right(
        trials,
        lambda s: Toy(means, 1.5, 0.5, seed=s),
        2,
        k=3,
        delta=1.0,
        n0=10,
        minimise=False,
        objective="benefit",
    )
    assert meets(right, trials, 0.95), f"chose candidate 2 in {right} of {trials}"
    assert "highest benefit" in results[0].guarantee, results[0].guarantee
    assert results[0].means[2] > 1.5, f"means reported with their own sign: {results[0].means}"


def test_the_check_has_teeth():
    """A rule that falls short of the guarantee fails the same binomial check."""
    trials = 1000
    right = 0
    for seed in range(trials):  # best mean of 10 futures, differences' sd 3 (true chance 85 %)
        x = Toy([0.0, 1.0], 3.0, 0.5, seed=seed).outputs(0, 10)[0]
        right += int(np.argmin(x.mean(axis=1)) == 0)
    assert not meets(right, trials, 0.95), f"the naive rule was right {right} of {trials}"


def test_common_random_numbers_save_futures():
    """Paired differences' variance, not the sum of the two variances, sets the stopping.

    With sd 3 and correlation 0.95 a difference has variance 0.9, against 18 unpaired; the
    triangle closes after h² S² / δ² stages, so ignoring CRN would need some 20 times more.
    """
    sd, rho, n0 = 3.0, 0.95, 10
    unpaired = h_squared(0.05, 1, n0) * 2 * sd**2  # stages to close with unpaired variance
    results = [select(Toy([0.0, 1.0], sd, rho, seed=s), 2, delta=1.0, n0=n0) for s in range(200)]
    used = np.mean([r.futures[0] for r in results])
    assert used < unpaired / 4, f"used {used:.1f} futures per candidate; unpaired {unpaired:.0f}"
    assert sum(r.chosen == 0 for r in results) >= 190, "and still chose right"


def test_runner_up_is_the_candidate_that_lasted_longest():
    """Candidate 1 is close behind the best, 2 and 3 far behind: 1 is eliminated last."""
    result = select(Toy([0.0, 1.0, 6.0, 6.0], 2.0, 0.5, seed=5), 4, delta=1.0, n0=10)
    assert (result.chosen, result.runner_up) == (0, 1), result
    assert result.futures[1] >= max(result.futures[2:]), f"futures {result.futures}"


def test_more_candidates_than_the_first_stage_decides_need_more_futures():
    """Small differences relative to the noise keep the comparison open beyond n0."""
    result = select(Toy([0.0, 1.0, 1.0], 4.0, 0.0, seed=3), 3, delta=1.0, n0=10)
    assert max(result.futures) > 10, f"futures per candidate {result.futures}"
    assert result.spent == sum(result.futures), f"spent {result.spent} of {result.futures}"


# ---- feasibility first --------------------------------------------------------------

SHARE = Constraint(
    "practising share at month 48 >= 0.40", threshold=0.9, tolerance=0.05, chance=True
)


def test_the_cheapest_candidate_is_infeasible():
    """Candidate 0 is cheapest but meets the target in only 85 % of futures (the tolerance
    band's edge); candidate 1 is the cheapest feasible (95 %, the other edge), by delta.
    """
    means = [0.0, 1.0, 2.0, 2.0]
    chances = [0.85, 0.95, 0.95, 0.99]
    trials = 500
    right, results = count_right(
        trials,
        lambda s: Toy(means, 1.0, 0.5, chances=chances, seed=s),
        1,
        k=4,
        delta=1.0,
        pcs=0.95,
        n0=10,
        constraints=[SHARE],
        batch_size=5,
    )
    assert meets(right, trials, 0.95), f"chose candidate 1 in {right} of {trials}"
    rejected = sum(0 in r.infeasible for r in results)
    assert rejected >= 0.95 * trials, f"candidate 0 rejected in {rejected} of {trials}"
    assert all(r.missed[0] == SHARE.name for r in results if 0 in r.infeasible)


def test_a_chance_check_is_not_fooled_by_a_first_stage_that_agrees():
    """At 85 % against 90 %, ten single futures all meet the target one time in five; the
    variance floor keeps such a first stage from passing the candidate at once.
    """
    trials = 1000
    rejected = sum(
        select(Toy([0.0], chances=[0.85], seed=s), 1, delta=1.0, n0=10, constraints=[SHARE]).chosen
        is None
        for s in range(trials)
    )
    assert meets(rejected, trials, 0.95), f"rejected in {rejected} of {trials}"


@pytest.mark.parametrize(("mean", "feasible"), [(0.45, False), (0.55, True)])
def test_a_mean_constraint_at_the_edge_of_its_tolerance(mean, feasible):
    rule = Constraint("practising share", threshold=0.5, tolerance=0.05)

    def make(seed):
        toy = Toy([mean], 0.2, seed=seed)
        return lambda ids, a, b: [toy(ids, a, b) * 0, toy(ids, a, b)]

    trials = 1000
    right = sum(
        (select(make(s), 1, delta=1.0, constraints=[rule]).chosen == 0) == feasible
        for s in range(trials)
    )
    assert meets(right, trials, 0.95), f"classified right in {right} of {trials}"


def test_no_candidate_is_feasible():
    toy = Toy([0.0, 1.0, 2.0], chances=[0.5, 0.6, 0.4], seed=1)
    result = select(toy, 3, delta=1.0, constraints=[SHARE])
    assert result.chosen is None, result
    assert result.runner_up is None, result
    assert result.feasible == (), result
    assert result.infeasible == (0, 1, 2), result
    assert result.guarantee.startswith("No plan meets the target"), result.guarantee


def test_an_at_most_constraint():
    rule = Constraint(
        "futures over budget", threshold=0.1, tolerance=0.05, at_least=False, chance=True
    )
    toy = Toy([0.0, 1.0], chances=[0.5, 0.0], seed=2)  # indicator "over budget"
    result = select(toy, 2, delta=1.0, constraints=[rule])
    assert result.chosen == 1, result
    assert result.infeasible == (0,), result


# ---- edge cases ---------------------------------------------------------------------


def test_one_candidate():
    toy = Toy([5.0], seed=0)
    result = select(toy, 1, delta=1.0, n0=8)
    assert result.chosen == 0, result
    assert result.runner_up is None, result
    assert result.spent == 8, f"one candidate needs only the first stage, spent {result.spent}"
    assert result.guarantee.startswith("Only one plan was compared"), result.guarantee


def test_identical_candidates():
    values = np.tile(np.random.default_rng(0).normal(size=500), (3, 1))
    result = select(Toy([0, 0, 0], values=values), 3, delta=1.0, n0=10)
    assert result.chosen == 0, result
    assert result.runner_up == 1, result
    assert result.futures == (10, 10, 10), f"no difference to resolve: {result.futures}"


def test_zero_variance_differences_decide_at_the_first_stage():
    """Outputs vary wildly from future to future but every difference is constant, so the
    comparison is settled after n0 futures, however small the gap against the noise.
    """
    noise = 100 * np.random.default_rng(1).normal(size=500)
    values = np.array([1.0, 0.25, 0.5])[:, None] + noise
    result = select(Toy([0, 0, 0], values=values), 3, delta=1.0, n0=10)
    assert result.chosen == 1, result
    assert result.futures == (10, 10, 10), f"futures per candidate {result.futures}"


def test_blocks_change_the_futures_spent_but_not_the_decision():
    means, chances = [0.0, 0.6, 1.0, 1.0], [0.95, 0.95, 0.6, 0.99]
    runs = {
        step: select(
            Toy(means, 3.0, 0.3, chances=chances, seed=7),
            4,
            delta=1.0,
            n0=10,
            step=step,
            constraints=[SHARE],
        )
        for step in (1, 7, 50)
    }
    decisions = {step: (r.chosen, r.runner_up, r.feasible, r.means) for step, r in runs.items()}
    assert len(set(decisions.values())) == 1, decisions
    spent = [runs[s].spent for s in (1, 7, 50)]
    assert spent[0] <= spent[1] <= spent[2], f"spent by step 1, 7, 50: {spent}"


def test_sample_is_asked_for_blocks_of_fresh_futures():
    toy = Toy([0.0, 0.5, 1.0, 1.0], 4.0, 0.2, chances=[0.99] * 4, seed=4)
    result = select(
        toy, 4, delta=1.0, n0=10, step=20, batch_size=2, first_future=1000, constraints=[SHARE]
    )
    asked: dict[int, list[int]] = {}
    for ids, first, stop in toy.calls:
        for i in ids:
            asked.setdefault(i, []).extend(range(first, stop))
    for i, futures in asked.items():
        assert futures == list(range(1000, 1000 + len(futures))), (
            f"candidate {i}: not each future once, in order from first_future"
        )
        assert len(futures) == result.futures[i], (i, len(futures), result.futures)
    assert all(f % 2 == 0 for f in result.futures), f"whole batches of 2: {result.futures}"
    assert len(toy.calls) * 20 < result.spent, (
        f"{len(toy.calls)} calls for {result.spent} futures: not batched"
    )


# ---- the guarantee in words ---------------------------------------------------------


def test_guarantee_names_the_zone_the_chance_and_the_target():
    toy = Toy([0.0, 1.0], chances=[0.99, 0.99], seed=0)
    result = select(toy, 2, delta=10_000, pcs=0.95, delta_words="£10,000", constraints=[SHARE])
    words = result.guarantee
    for part in ("£10,000", "0.95", "lowest cost", SHARE.name, "90%", "5 points"):
        assert part in words, f"{part!r} not in {words!r}"


# ---- bad arguments ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"k": 0}, "k: the number of candidates"),
        ({"k": 2.5}, "k: the number of candidates"),
        ({"delta": 0}, "delta: the indifference zone"),
        ({"delta": float("nan")}, "delta: the indifference zone"),
        ({"delta": True}, "delta: the indifference zone"),
        ({"pcs": 1.0}, r"pcs: the probability of correct selection must be in \(0.5, 1\)"),
        ({"pcs": 0.5}, r"pcs: the probability of correct selection must be in \(0.5, 1\)"),
        ({"n0": 1}, "n0: the first stage needs at least 2"),
        ({"batch_size": 0}, "batch_size"),
        ({"step": 0}, "step"),
        ({"first_future": -1}, "first_future"),
        ({"constraints": ["x"]}, "every item must be a Constraint"),
        ({"constraints": [SHARE, SHARE]}, "same name"),
        ({"constraints": [SHARE], "feasibility_share": 1.0}, "feasibility_share"),
    ],
)
def test_bad_arguments(options, message):
    arguments = {"k": 2, "delta": 1.0} | options
    toy = Toy([0.0, 1.0], seed=0)
    with pytest.raises(ValueError, match=message):
        select(toy, **arguments)
    assert toy.calls == [], "a bad argument is caught before any sampling"


@pytest.mark.parametrize(
    ("threshold", "tolerance", "chance", "message"),
    [
        (float("inf"), 0.1, False, "threshold must be finite"),
        (0.5, 0.0, False, "tolerance must be > 0"),
        (0.98, 0.05, True, "a chance constraint needs"),
    ],
)
def test_bad_constraints(threshold, tolerance, chance, message):
    with pytest.raises(ValueError, match=message):
        Constraint("share", threshold, tolerance, chance=chance)


@pytest.mark.parametrize(
    ("answer", "constraints", "message"),
    [
        (lambda ids, a, b: np.zeros((len(ids), b - a + 1)), [], r"shape .* for the objective"),
        (lambda ids, a, b: np.full((len(ids), b - a), np.nan), [], "expected a finite number"),
        (
            lambda ids, a, b: [np.zeros((len(ids), b - a))] * 3,
            [SHARE],
            "returned 3 arrays; expected 2",
        ),
        (
            lambda ids, a, b: [np.zeros((len(ids), b - a)), np.full((len(ids), b - a), 0.5)],
            [SHARE],
            "expected a 0/1 indicator",
        ),
    ],
)
def test_bad_samples(answer, constraints, message):
    with pytest.raises(ValueError, match=message):
        select(answer, 2, delta=1.0, constraints=constraints)
