"""The lever audit on a tiny scenario: a lever that cannot matter sits on the noise floor,
one that must matter does not; effects are paired differences of the replications; a
nudged key's uncertainty is off; the noise floor runs on other futures.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from conftest import make_scenario, one_phase

from sim.experiments.levers import NOISE, audit, unpaired_interval

REPS = 10
LEVERS = ("costs.provider_day_rate", "programme.foundation.cohort_size", "practice.uptake")


def small():
    """Twenty staff leaving at 30 % a year; two cohorts of six places in 2020; a provider
    at £500 a day; uptake uncertain (beta around 0.7).
    """
    return make_scenario(
        scenario__horizon_months=36,
        workforce__roles__supervisor__posts=2,
        workforce__roles__supervisor__turnover=0.3,
        workforce__roles__supervisor__hiring_delay_months=2.0,
        workforce__roles__worker__posts=18,
        workforce__roles__worker__turnover=0.3,
        workforce__roles__worker__hiring_delay_months=2.0,
        practice__uptake=0.7,
        programme__phases=one_phase(date(2020, 1, 1), date(2020, 12, 31), ["foundation"]),
        programme__foundation__cohorts=2,
        programme__foundation__cohort_size=6,
        programme__foundation__interval_months=3,
        programme__foundation__attendance=1.0,
        programme__foundation__sessions=[{"after_months": 0, "days": 1}],
        programme__foundation__allocation="random",
        costs__provider_day_rate=500.0,
        uncertainty={
            "practice.uptake": {
                "distribution": "beta", "mean": 0.7, "sd": 0.1, "source": "test"
            }
        },
    )  # fmt: skip


@pytest.fixture(scope="module")
def done(tmp_path_factory):
    folder = tmp_path_factory.mktemp("audit") / "levers"
    result = audit(small(), reps=REPS, seed=3, only=LEVERS, workers=1, out=folder)
    rows = pd.read_csv(folder / "levers_replications.csv")
    return result, result.table.set_index("lever"), rows


def test_a_lever_that_cannot_matter_sits_on_the_noise_floor(done):
    _, table, _ = done
    price = table.loc["costs.provider_day_rate"]
    assert price["status"] == "audited", price["status"]
    assert bool(price["on_noise_floor"]), price.to_dict()
    for measure in ("practising_person_months", "coverage_m36"):
        assert price[f"{measure}_effect"] == 0, f"{measure}: {price[f'{measure}_effect']}"


def test_a_lever_that_must_matter_is_off_the_noise_floor(done):
    _, table, _ = done
    size = table.loc["programme.foundation.cohort_size"]
    assert (size["low"], size["high"]) == ("3", "6"), (size["low"], size["high"])
    assert not bool(size["on_noise_floor"]), size.to_dict()
    # Six places a cohort train more staff than three, on the same futures.
    assert size["coverage_m36_ci_low"] > 0, size.to_dict()


def test_an_effect_is_the_paired_mean_difference_of_the_replications(done):
    _, table, rows = done
    low = rows[(rows["lever"] == "programme.foundation.cohort_size") & (rows["end"] == "low")]
    base = rows[rows["lever"] == "(as set)"]  # six places: the scenario as set is the high end
    assert list(low["rep"]) == list(range(REPS)) == list(base["rep"]), (low["rep"], base["rep"])
    for measure in ("practising_person_months", "coverage_m36"):
        paired = base[measure].to_numpy() - low[measure].to_numpy()
        got = table.loc["programme.foundation.cohort_size", f"{measure}_effect"]
        assert got == pytest.approx(paired.mean()), f"{measure}: {got} vs {paired.mean()}"


def test_the_noise_floor_is_the_scenario_on_other_futures(done):
    _, table, rows = done
    other = rows[rows["lever"] == NOISE]
    base = rows[rows["lever"] == "(as set)"]
    assert list(other["rep"]) == list(range(REPS, 2 * REPS)), list(other["rep"])
    measure = "practising_person_months"
    want = unpaired_interval(base[measure], other[measure])
    got = tuple(table.loc[NOISE, [f"{measure}_effect", f"{measure}_ci_low", f"{measure}_ci_high"]])
    assert got == pytest.approx(want), f"{got} vs {want}"
    assert got[1] < got[0] < got[2], got


def test_a_nudged_key_is_fixed_in_every_future(done):
    _, table, rows = done
    uptake = rows[rows["lever"] == "practice.uptake"]
    base = rows[rows["lever"] == "(as set)"]
    # The scenario as set draws uptake in each future; the lever's two ends do not.
    assert base["practice.uptake"].notna().all(), base["practice.uptake"]
    assert base["practice.uptake"].nunique() == REPS, base["practice.uptake"]
    assert uptake["practice.uptake"].isna().all(), uptake["practice.uptake"]
    assert sorted(uptake["end"].unique()) == ["high", "low"], uptake["end"].unique()
    row = table.loc["practice.uptake"]
    assert (row["low"], row["high"]) == ("0.7", "0.9"), (row["low"], row["high"])
    assert row["practising_person_months_ci_low"] > 0, row.to_dict()


def test_the_table_lists_every_lever_with_its_status(done):
    result, table, _ = done
    assert list(table.index[:1]) == [NOISE], list(table.index)
    assert set(table.index) == {NOISE, *LEVERS}, sorted(table.index)
    assert (table["status"] == "audited").all(), table["status"].to_dict()
    assert table["reps"].eq(REPS).all(), table["reps"]
    assert list(result.active_on_floor()["lever"]) == [], result.active_on_floor()


def test_unpaired_interval_matches_welch():
    from scipy import stats

    a, b = np.array([1.0, 2.0, 4.0, 7.0]), np.array([3.0, 5.0, 4.0, 9.0, 10.0])
    diff, low, high = unpaired_interval(a, b)
    test = stats.ttest_ind(b, a, equal_var=False)
    ci = test.confidence_interval(0.95)
    assert diff == pytest.approx(b.mean() - a.mean()), diff
    assert (low, high) == pytest.approx((ci.low, ci.high)), (low, high, ci)
