"""Uncertainty in the assumptions, checked against closed forms.

With only uptake uncertain and everything else deterministic, the practising share of a
fully trained staff is the share who engage: given a replication's drawn uptake u, a
binomial share of n staff. Across replications (u drawn from its beta), its mean is the
beta's mean m and its variance, by the law of total variance, is

    Var = Var(u) + E[u (1 − u)] / n = s² + (m (1 − m) − s²) / n.

The variance is checked as the mean of (share − m)², whose expectation it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..experiments.replications import replicate as run
from .core import Case, Check, per_rep, role, scenario

if TYPE_CHECKING:
    import pandas as pd

STAFF, MEAN, SD = 200, 0.6, 0.1
VARIANCE = SD**2 + (MEAN * (1 - MEAN) - SD**2) / STAFF


def _simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    s = scenario(
        {"worker": role(STAFF)},
        3,
        workforce={"initial_trained_fraction": 1.0},
        uncertainty={
            "practice.uptake": {"distribution": "beta", "mean": MEAN, "sd": SD, "source": "test"}
        },
    )
    share = per_rep(run(s, reps, seed).timeseries, "practising_share")[:, -1]
    return {
        "mean practising share": share,
        "variance of the practising share (mean of (share − m)²)": (share - MEAN) ** 2,
    }


UPTAKE_UNCERTAIN = Case(
    name="uncertain_uptake",
    title="Uncertain uptake: the practising share's mean and spread across futures",
    kind="closed form",
    mechanism="the [uncertainty] table: uptake drawn per replication from a beta, then each "
    "person engaging with that probability",
    derivation=(
        f"{STAFF} staff trained on day 0, no turnover, half-life 600 months (nobody lapses in "
        f"3 months); uptake ~ beta(mean {MEAN}, sd {SD}). The practising share's mean is "
        f"{MEAN}; its variance s² + (m(1 − m) − s²)/n = {VARIANCE:.6f} (law of total variance: "
        "the beta's own spread plus the binomial spread of n people around each draw)."
    ),
    rule="The verdict interval must contain the expected value; tolerance 0. (With 1,000 "
    "futures the variance is pinned to about ±15 %, the mean to about ±0.01.)",
    checks=(
        Check("mean practising share", MEAN, "interval"),
        Check("variance of the practising share (mean of (share − m)²)", VARIANCE, "interval"),
    ),
    simulate=_simulate,
    reps=1000,
)


# --------------------------------------------------------------------------- global sensitivity

SENS_RANGES = ("practice.uptake=0.2:0.9", "costs.provider_day_rate=100:2000")


def _sens_scenario():
    return scenario({"worker": role(100)}, 3, workforce={"initial_trained_fraction": 1.0})


def _analyses(method: str, samples: int, reps: int, seed: int) -> list[pd.DataFrame]:
    """``reps`` independent sensitivity analyses of the one-driver scenario (each a design
    of its own seed, one future per point), their tables indexed by parameter.
    """
    from ..experiments.sensitivity import sensitivity

    return [
        sensitivity(
            _sens_scenario(),
            method,
            "practising_share_m3",
            samples=samples,
            reps=1,
            seed=seed + k,
            ranges=SENS_RANGES,
            workers=1,
        ).table.set_index("parameter")
        for k in range(reps)
    ]


def _sobol_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    tables = _analyses("sobol", 32, reps, seed)
    cost = [t.loc["costs.provider_day_rate"] for t in tables]
    return {
        "S1 of the provider day rate": np.array([c["S1"] for c in cost]),
        "ST of the provider day rate": np.array([c["ST"] for c in cost]),
    }


SOBOL_ONE_DRIVER = Case(
    name="sobol_one_driver",
    title="Sobol indices of a measure that one parameter alone decides",
    kind="closed form",
    mechanism="global sensitivity (SALib's Sobol design and indices) on common random numbers",
    derivation=(
        "100 staff trained on day 0, no turnover, no decay: the practising share after 3 "
        "months is the share who engage, decided by uptake (varied 0.2-0.9) and by nothing "
        "else; the provider's day rate (varied 100-2000) prices days but cannot touch "
        "practice. So uptake's first-order index S1 = 1, and the day rate's S1 = ST = 0 "
        "exactly, because every sample point runs the same futures (the outputs of two "
        "points that differ only in the day rate are identical). Each replication here is a "
        "whole analysis (16 base samples, one future per point) with its own design seed."
    ),
    rule="The day rate's indices: exactly 0 in every analysis. Uptake's S1 ≈ 1 is estimated "
    "with too much scatter at 16 base samples for a tight interval; "
    "tests/uncertainty/test_sensitivity.py checks it at 64 (0.85 to 1.15).",
    checks=(
        Check("S1 of the provider day rate", 0.0, "exact"),
        Check("ST of the provider day rate", 0.0, "exact"),
    ),
    simulate=_sobol_simulate,
    reps=4,
)


def _morris_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    from ..experiments.sensitivity import DUMMY

    tables = _analyses("morris", 6, reps, seed)
    return {
        "mu* of the provider day rate": np.array(
            [t.loc["costs.provider_day_rate", "mu_star"] for t in tables]
        ),
        "mu* of the noise floor (a parameter that changes nothing)": np.array(
            [t.loc[DUMMY, "mu_star"] for t in tables]
        ),
    }


MORRIS_FLOOR = Case(
    name="morris_noise_floor",
    title="Morris ranks a parameter that cannot touch the measure at the noise floor",
    kind="extreme value",
    mechanism="global sensitivity (SALib's Morris design) on common random numbers",
    derivation=(
        "The scenario of the Sobol case. The provider's day rate cannot change the practising "
        "share, and every sample point runs the same futures, so each of its elementary "
        "effects is exactly 0: mu* = 0, the same as the dummy parameter that changes nothing."
    ),
    rule="Exactly 0 in every analysis.",
    checks=(
        Check("mu* of the provider day rate", 0.0, "exact"),
        Check("mu* of the noise floor (a parameter that changes nothing)", 0.0, "exact"),
    ),
    simulate=_morris_simulate,
    reps=2,
)
