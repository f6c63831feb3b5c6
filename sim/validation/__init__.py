"""Validation: the model checked case by case against answers derived outside it.

The cases live by kind in :mod:`~sim.validation.closed_form` and
:mod:`~sim.validation.closed_form_programme` (expected values from what a mechanism
implies), :mod:`~sim.validation.deterministic` (hand counts where nothing random reaches
the checked quantity), :mod:`~sim.validation.extremes` (parameters at their limits),
:mod:`~sim.validation.uncertain` (the ``[uncertainty]`` draws and the sensitivity methods
against known answers), :mod:`~sim.validation.seeds` (what the seed documents report, on
the bundled scenarios as shipped: data in ``seeds_camden``, ``seeds_camden_phase_2`` and
``seeds_havering``) and :mod:`~sim.validation.published` with
:mod:`~sim.validation.published_cohort` (published figures beside the model's own);
:mod:`~sim.validation.core` holds the case records and the verdict rules, and
:mod:`~sim.validation.report` runs every case and writes ``docs/validation.md``::

    python -m sim.validation --report docs/validation.md

The test suite (``tests/validation/``) runs every case with the same seed and replications
and fails when any check fails (a ``reference`` check, a figure from elsewhere, is shown as
agreeing or differing and never fails).
"""

from __future__ import annotations

import functools

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


@functools.cache
def all_cases() -> tuple[Case, ...]:
    """Every case, in the report's order, built on first use: importing the package loads
    no scenario (the published figures' modules read Camden's when imported).
    """
    from . import (
        closed_form,
        closed_form_programme,
        deterministic,
        extremes,
        published,
        seeds,
        uncertain,
    )

    return (
        closed_form.TURNOVER,
        closed_form.HIRING,
        deterministic.COHORTS,
        closed_form.DECAY,
        closed_form.REINFORCEMENT,
        closed_form_programme.CAPACITY,
        deterministic.MENTORING,
        closed_form_programme.SHRINKAGE,
        closed_form_programme.UPTAKE,
        deterministic.COSTS,
        extremes.NO_TURNOVER,
        extremes.HIGH_TURNOVER,
        extremes.MORE_PLACES,
        extremes.NO_CHAMPIONS,
        extremes.UNLIMITED,
        uncertain.UPTAKE_UNCERTAIN,
        uncertain.SOBOL_ONE_DRIVER,
        uncertain.MORRIS_FLOOR,
        *seeds.cases(),
        *published.CASES,
    )


def interval_checks() -> int:
    """Interval and range checks in the suite: they share one family-wise error rate
    (core.judge).
    """
    return sum(check.rule in JUDGED_BY_INTERVAL for case in all_cases() for check in case.checks)


def run_case(case: Case, seed: int = SEED, reps: int | None = None) -> list[CheckResult]:
    """Run one case with its replications (or ``reps``) and judge every check."""
    confidence = verdict_confidence(interval_checks())
    return evaluate(case, case.reps if reps is None else reps, seed, confidence)


def __getattr__(name: str):
    # CASES, INTERVAL_CHECKS and VERDICT_CONFIDENCE are worked out when first asked for, so
    # that importing the package builds no seed fact (PEP 562).
    if name == "CASES":
        return all_cases()
    if name == "INTERVAL_CHECKS":
        return interval_checks()
    if name == "VERDICT_CONFIDENCE":
        return verdict_confidence(interval_checks())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CASES",
    "INTERVAL_CHECKS",
    "SEED",
    "VERDICT_CONFIDENCE",
    "Case",
    "Check",
    "CheckResult",
    "Picture",
    "all_cases",
    "evaluate",
    "judge",
    "interval_checks",
    "run_case",
    "verdict_confidence",
]
