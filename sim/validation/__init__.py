"""Validation: the model checked case by case against answers derived outside it.

The cases live by kind in :mod:`~sim.validation.closed_form` (expected values from what a
mechanism implies), :mod:`~sim.validation.deterministic` (hand counts where nothing random
reaches the checked quantity), :mod:`~sim.validation.extremes` (parameters at their
limits), :mod:`~sim.validation.uncertain` (the ``[uncertainty]`` draws and the sensitivity
methods against known answers), :mod:`~sim.validation.seeds` (what the seed documents
report, on the bundled scenarios as shipped) and :mod:`~sim.validation.published`
(published figures beside the model's own); :mod:`~sim.validation.core` holds the case
records and the verdict rules, and :mod:`~sim.validation.report` runs every case and writes
``docs/validation.md``::

    python -m sim.validation --report docs/validation.md

The test suite (``tests/validation/``) runs every case with the same seed and replications
and fails when any check fails (a ``reference`` check, a figure from elsewhere, is shown as
agreeing or differing and never fails).
"""

from __future__ import annotations

from . import closed_form, deterministic, extremes, published, seeds, uncertain
from .core import (
    JUDGED_BY_INTERVAL,
    SEED,
    Case,
    Check,
    CheckResult,
    Picture,
    evaluate,
    judge,
    verdict_confidence,
)

CASES: tuple[Case, ...] = (
    closed_form.TURNOVER,
    closed_form.HIRING,
    deterministic.COHORTS,
    closed_form.DECAY,
    closed_form.REINFORCEMENT,
    closed_form.CAPACITY,
    deterministic.MENTORING,
    closed_form.SHRINKAGE,
    closed_form.UPTAKE,
    deterministic.COSTS,
    extremes.NO_TURNOVER,
    extremes.HIGH_TURNOVER,
    extremes.MORE_PLACES,
    extremes.NO_CHAMPIONS,
    extremes.UNLIMITED,
    uncertain.UPTAKE_UNCERTAIN,
    uncertain.SOBOL_ONE_DRIVER,
    uncertain.MORRIS_FLOOR,
    *seeds.CASES,
    *published.CASES,
)

# Every interval and range check in the suite shares one family-wise error rate (core.judge).
INTERVAL_CHECKS = sum(check.rule in JUDGED_BY_INTERVAL for case in CASES for check in case.checks)
VERDICT_CONFIDENCE = verdict_confidence(INTERVAL_CHECKS)


def run_case(case: Case, seed: int = SEED, reps: int | None = None) -> list[CheckResult]:
    """Run one case with its replications (or ``reps``) and judge every check."""
    return evaluate(case, case.reps if reps is None else reps, seed, VERDICT_CONFIDENCE)


__all__ = [
    "CASES",
    "INTERVAL_CHECKS",
    "SEED",
    "VERDICT_CONFIDENCE",
    "Case",
    "Check",
    "CheckResult",
    "Picture",
    "evaluate",
    "judge",
    "run_case",
    "verdict_confidence",
]
