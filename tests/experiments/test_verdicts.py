"""The word "best" only with the paired difference to the runner-up, on hand-made futures.

- the best and runner-up are picked by the mean in the measure's better direction, and the
  lead is the paired difference (its mean, t interval, percentiles, shares) of numpy/scipy;
- a lead whose interval holds zero is "cannot be told apart", with n·(t·sd/|d|)² futures
  needed; a clear lead is said with its interval; fewer than 10 futures give no interval.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.experiments.verdicts import best_and_runner_up, verdict_sentence


def futures(values: dict[str, list[float]], metric: str = "practising_person_months"):
    return pd.DataFrame(
        [{"rep": r, "option": k, metric: v} for k, vs in values.items() for r, v in enumerate(vs)]
    )


def test_a_clear_lead_is_said_with_its_interval():
    rng = np.random.default_rng(4)
    base = rng.normal(1000, 200, 20)
    table = futures({"a": list(base), "b": list(base + 50 + rng.normal(0, 5, 20)), "c": [0] * 20})
    verdict = best_and_runner_up(table, "option", "practising_person_months")
    assert (verdict.best, verdict.runner_up) == ("b", "a"), f"{verdict}"
    diff = table[table.option == "b"]["practising_person_months"].to_numpy() - base
    low, high = stats.t.interval(0.95, 19, loc=diff.mean(), scale=diff.std(ddof=1) / math.sqrt(20))
    assert (verdict.ci_low, verdict.ci_high) == pytest.approx((low, high)), f"{verdict}"
    assert (verdict.p5, verdict.p95) == pytest.approx(np.percentile(diff, (5, 95))), f"{verdict}"
    assert verdict.told_apart, f"{verdict}"
    assert verdict.share_better == 1.0, f"{verdict}"
    text = verdict_sentence(verdict, "practising_person_months")
    assert text.startswith(
        "The best for practising person-months is b, ahead of the runner-up, a: "
        "b − a is on average +"
    ), text
    assert "in 9 futures of 10 between" in text, text


def test_lower_is_better_for_cost():
    table = futures({"cheap": [10.0] * 12, "dear": [20.0] * 12}, "total_cost")
    verdict = best_and_runner_up(table, "option", "total_cost")
    assert verdict.best == "cheap", f"{verdict}"
    assert verdict.mean == -10.0, f"{verdict}"


def test_a_lead_within_the_noise_cannot_be_told_apart_and_says_how_many_futures():
    base = np.linspace(800, 1200, 20)
    other = base + np.array([32.0, -27.0] * 10)  # b ahead by 2.5 on average, spread 30
    verdict = best_and_runner_up(
        futures({"a": list(base), "b": list(other)}), "option", "practising_person_months"
    )
    assert verdict.ci_low < 0 < verdict.ci_high, f"interval should hold zero: {verdict}"
    assert not verdict.told_apart, f"{verdict}"
    t = stats.t.ppf(0.975, 19)
    want = math.ceil(20 * (t * verdict.sd / abs(verdict.mean)) ** 2)
    assert verdict.futures_needed() == want, f"needed {verdict.futures_needed()}, want {want}"
    text = verdict_sentence(verdict, "practising_person_months")
    assert "cannot be told apart on practising person-months with 20 futures" in text, text
    assert f"about {want:,} futures ({want - 20:,} more)" in text, text
    assert "best" not in text, text


def test_identical_options_need_no_more_futures():
    table = futures({"a": [5.0] * 12, "b": [5.0] * 12})
    verdict = best_and_runner_up(table, "option", "practising_person_months")
    assert verdict.futures_needed() is None, f"{verdict}"
    assert "do not differ" in verdict_sentence(verdict, "practising_person_months")
