"""Decisions under uncertainty: best shares, net benefit, acceptability, value of information
— each against an answer known without the model.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.experiments.decision import (
    NOISE_FLOOR,
    acceptability,
    best_shares,
    evppi,
    net_benefit_table,
    probability_best,
    spline_basis,
    value_of_information,
)


def summary(rows):
    return pd.DataFrame(rows)


def test_best_shares_split_ties_and_never_crown_an_empty_value():
    values = np.array([[1.0, 2.0], [3.0, 3.0], [np.nan, 0.0], [5.0, 1.0]])
    shares = best_shares(values, +1)
    # futures: b, tie, b (a empty), a → a: 0.5 + 1 = 1.5 of 4, b: 1 + 0.5 + 1 = 2.5 of 4
    assert np.allclose(shares, [1.5 / 4, 2.5 / 4]), shares
    assert np.allclose(best_shares(values[:, ::-1], -1), [1.5 / 4, 2.5 / 4][::-1]), "lower"


def _two_strategies():
    # a: 100 practising person-months for 1,000; b: 130 for 4,000, in each of 4 futures
    rows = []
    for rep in range(4):
        rows.append(
            {"strategy": "a", "rep": rep, "practising_person_months": 100.0, "total_cost": 1000.0}
        )
        rows.append(
            {
                "strategy": "b",
                "rep": rep,
                "practising_person_months": 130.0 + rep,
                "total_cost": 4000.0,
            }
        )
    return summary(rows)


def test_net_benefit_by_hand():
    table = net_benefit_table(_two_strategies(), ["a", "b"], 200.0).set_index("strategy")
    # a: 200 x 100 - 1000 = 19,000; b: 200 x (130 + rep) - 4000 = 22,000 + 200 rep → 22,300
    assert table.loc["a", "mean"] == 19_000, table
    assert table.loc["b", "mean"] == 22_300, table
    assert table.loc["b", "difference_from_first"] == 3_300, table
    assert table.loc["b", "probability_highest"] == 1.0, table


def test_acceptability_switches_where_the_values_cross():
    """B costs 3,000 more for 30-33 more person-months: it wins above £100 a month (rep 0),
    for every future above 3000 / 30 = £100, for none below 3000 / 33 ≈ £90.9.
    """
    curve = acceptability(_two_strategies(), ["a", "b"], [0.0, 50.0, 95.0, 150.0])
    b = curve[curve["strategy"] == "b"].set_index("value_per_practising_month")["probability"]
    assert b.loc[0.0] == 0.0, b
    assert b.loc[50.0] == 0.0, b
    assert b.loc[95.0] == 0.5, f"at £95 only futures with 32 and 33 more months win: {b}"
    assert b.loc[150.0] == 1.0, b
    total = curve.groupby("value_per_practising_month")["probability"].sum()
    assert np.allclose(total, 1.0), f"probabilities per value sum to 1: {total}"


def test_probability_best_follows_each_measures_direction():
    table = probability_best(_two_strategies(), ["a", "b"]).set_index(["strategy", "measure"])
    assert table.loc[("b", "practising_person_months"), "probability_best"] == 1.0, table
    assert table.loc[("a", "total_cost"), "probability_best"] == 1.0, "lower cost is better"


def test_evppi_matches_its_exact_value():
    """Incremental net benefit θ + ε, θ ~ N(0, 1), ε ~ N(0, 1) noise the decision cannot
    learn. Knowing θ: choose b when θ > 0, worth E[max(θ, 0)] − max(E θ, 0) = 1/√(2π) ≈ 0.399.
    A second assumption ψ that does not enter is worth 0, and so is the noise floor.
    """
    rng = np.random.default_rng(7)
    n = 20_000
    theta, psi, noise = rng.normal(size=n), rng.normal(size=n), rng.normal(size=n)
    incremental = np.column_stack([np.zeros(n), theta + noise])
    exact = 1 / math.sqrt(2 * math.pi)
    got = value_of_information(incremental, spline_basis(theta))
    assert abs(got - exact) < 0.02, f"EVPPI(θ) {got:.4f}, exact {exact:.4f}"
    unrelated = value_of_information(incremental, spline_basis(psi))
    assert unrelated < 0.01, f"EVPPI(ψ) {unrelated:.4f}, exact 0"
    # the per-future maximum would count the unlearnable noise as information
    naive = np.maximum(incremental[:, 1], 0).mean() - max(incremental[:, 1].mean(), 0)
    assert naive > exact + 0.1, f"per-future EVPI {naive:.3f} should overstate {exact:.3f}"


def test_evppi_table_reports_each_key_the_whole_and_the_floor():
    rng = np.random.default_rng(3)
    rows = []
    for rep in range(400):
        theta = rng.normal()
        for name, gain in (("a", 0.0), ("b", 10 * theta)):
            rows.append(
                {
                    "strategy": name,
                    "rep": rep,
                    "practising_person_months": gain,
                    "total_cost": 0.0,
                    "k.theta": theta,
                    "k.other": rng.random(),
                }
            )
    table = evppi(summary(rows), ["a", "b"], 1.0, ["k.theta", "k.other"])
    got = table.set_index("parameter")["evppi"]
    assert list(got.index) == ["(all uncertain assumptions)", "k.theta", "k.other", NOISE_FLOOR]
    assert got["k.theta"] == pytest.approx(10 / math.sqrt(2 * math.pi), rel=0.15), got
    assert got["k.other"] < 0.5, got
    assert got[NOISE_FLOOR] < 0.5, got
