"""The validation suite in CI: every case of sim.validation must pass.

The cases (sim/validation/) compare the model with answers derived outside it; the report
docs/validation.md is generated from the same cases, seed and replications by
``python -m sim.validation --report docs/validation.md``. This file fails when any check
fails, and also checks the verdict rule itself and that the suite can see a real error.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest

from sim.validation import (
    CASES,
    INTERVAL_CHECKS,
    SEED,
    VERDICT_CONFIDENCE,
    Check,
    CheckResult,
    run_case,
)
from sim.validation.closed_form import TURNOVER, recursion_levels, settled_level
from sim.validation.core import FAMILY_ALPHA, judge
from sim.validation.report import Outcome, draw, main, render


@functools.cache
def outcome(name: str):
    case = next(c for c in CASES if c.name == name)
    return run_case(case, SEED)


@pytest.mark.parametrize("name", [case.name for case in CASES])
def test_case_passes(name):
    failed = [r for r in outcome(name) if not r.passed]
    assert not failed, f"{name}: " + "; ".join(
        f"{r.check.label}: expected {r.check.expected:.6g}, simulated mean "
        f"{r.interval.mean:.6g} (min {r.observed_range[0]:.6g}, max {r.observed_range[1]:.6g}), "
        f"allowed [{r.allowed[0]:.6g}, {r.allowed[1]:.6g}] ({r.check.rule})"
        for r in failed
    )


def test_the_suite_covers_what_issue_5_asks_for():
    names = {case.name for case in CASES}
    wanted = {
        "turnover",
        "hiring_delays",
        "cohort_capacity",
        "decay",
        "reinforcement",
        "champion_capacity",
        "mentoring_groups",
        "champion_shrinkage",
        "no_turnover",
        "high_turnover",
        "more_places_than_staff",
        "no_champions",
        "unlimited_champions",
    }
    assert wanted <= names, f"missing cases: {sorted(wanted - names)}"
    assert len(names) == len(CASES), f"case names repeat: {[c.name for c in CASES]}"
    closed = [c for c in CASES if c.kind == "closed form"]
    assert len(closed) >= 6, f"only {len(closed)} closed-form cases"
    for case in CASES:
        labels = [check.label for check in case.checks]
        assert len(set(labels)) == len(labels), f"{case.name}: repeated labels {labels}"
        assert case.derivation, f"{case.name}: undocumented"
        assert case.rule, f"{case.name}: undocumented"
        assert case.mechanism, f"{case.name}: undocumented"


def test_interval_checks_are_tight_enough_to_see_a_five_percent_error():
    """A check is only worth its pass if a real error would fail it: every interval check
    must reject an expected value 5 % away from its own (at least 0.02 away for small values,
    such as shares).
    """
    for case in CASES:
        for r in outcome(case.name):
            if r.check.rule != "interval":
                continue
            low, high = r.allowed
            margin = max(0.05 * abs(r.check.expected), 0.02)
            assert high - r.check.expected < margin, (
                f"{case.name}, {r.check.label}: allowed [{low:.5g}, {high:.5g}] around "
                f"{r.check.expected:.5g} would not reject an error of {margin:.3g}"
            )
            assert r.check.expected - low < margin, (
                f"{case.name}, {r.check.label}: allowed [{low:.5g}, {high:.5g}] around "
                f"{r.check.expected:.5g} would not reject an error of {margin:.3g}"
            )


def test_a_wrong_expectation_fails():
    """The turnover case judged against exp(-1.1 λ t) (10 % faster leaving) must fail."""
    values = TURNOVER.simulate(TURNOVER.reps, SEED)
    for check in TURNOVER.checks:
        years = -np.log(check.expected) / 0.3  # the t the check was derived for
        wrong = Check(check.label, float(np.exp(-0.33 * years)), "interval")
        result = judge(wrong, values[check.label], VERDICT_CONFIDENCE)
        assert not result.passed, (
            f"{check.label}: exp(-0.33 t) = {wrong.expected:.4f} accepted; simulated mean "
            f"{result.interval.mean:.4f}, allowed {result.allowed}"
        )


def test_judge_rules():
    exact = Check("count", 12 / 40, "exact")
    assert judge(exact, np.array([0.3, 0.3]), 0.95).passed, "12/40 == 0.3 should pass"
    off = judge(exact, np.array([0.3, 0.3 + 1e-15]), 0.95)
    assert not off.passed, f"an exact check passed values {off.values}"
    values = np.array([1.0, 2.0, 3.0, 4.0])  # mean 2.5, sd 1.29, 95 % t interval ±2.05
    inside = judge(Check("x", 4.5, "interval"), values, 0.95)
    assert inside.passed, f"allowed {inside.allowed}"
    assert inside.allowed[1] > 4.5, f"allowed {inside.allowed}"
    outside = judge(Check("x", 4.6, "interval"), values, 0.95)
    assert not outside.passed, f"4.6 accepted, allowed {outside.allowed}"
    widened = judge(Check("x", 4.6, "interval", tolerance=0.1), values, 0.95)
    assert widened.passed, f"tolerance 0.1 not applied: allowed {widened.allowed}"
    flat = judge(Check("x", 2.0, "interval"), np.array([2.0, 2.0, 2.0]), 0.95)
    assert flat.passed, f"no-spread interval {flat.allowed}"
    assert flat.allowed == (2.0, 2.0), f"no-spread interval {flat.allowed}"
    assert pytest.approx(1 - FAMILY_ALPHA / INTERVAL_CHECKS) == VERDICT_CONFIDENCE, (
        f"verdict confidence {VERDICT_CONFIDENCE} for {INTERVAL_CHECKS} interval checks"
    )


def test_range_rule():
    """range: the verdict interval of the mean must lie wholly inside expected ± tolerance."""
    values = np.array([1.0, 2.0, 3.0, 4.0])  # mean 2.5, 95 % t interval [0.446, 4.554]
    inside = judge(Check("about 2.5", 2.5, "range", 2.1), values, 0.95)
    assert inside.passed, inside.allowed
    assert inside.allowed == pytest.approx((0.4, 4.6)), inside.allowed
    assert inside.verdict == "pass", inside
    assert inside.agrees is None, inside
    # The interval [0.446, 4.554] holds 2.5 but pokes out of 2.5 ± 2: not met.
    narrow = judge(Check("about 2.5", 2.5, "range", 2.0), values, 0.95)
    assert not narrow.passed, f"band {narrow.allowed} accepted"
    assert narrow.verdict == "FAIL", f"band {narrow.allowed} accepted"
    shifted = judge(Check("about 3.5", 3.5, "range", 2.1), values, 0.95)
    assert not shifted.passed, f"interval {shifted.verdict_interval} inside {shifted.allowed}"
    # The verdict interval, not the 95 % one, decides: wider at higher confidence.
    strict = judge(Check("about 2.5", 2.5, "range", 2.1), values, 0.999)
    assert not strict.passed, f"99.9 % interval {strict.verdict_interval} inside 2.5 ± 2.1"


def test_reference_rule_never_fails_and_says_whether_it_agrees():
    values = np.array([1.0, 2.0, 3.0, 4.0])  # mean 2.5
    agrees = judge(Check("figure", 2.2, "reference", 0.3), values, 0.95)
    assert agrees.passed, agrees
    assert agrees.agrees, agrees
    assert agrees.verdict == "agrees", agrees
    differs = judge(Check("figure", 1.0, "reference", 0.5), values, 0.95)
    assert differs.passed, differs
    assert differs.agrees is False, differs
    assert differs.verdict == "differs", differs
    share = judge(Check("yes/no", 1.0, "reference", yes_no=True), np.ones(20), 0.95)
    assert share.agrees, f"Wilson interval {share.interval}"
    assert 0.8 < share.interval.low < 0.85, f"Wilson interval {share.interval}"


def test_range_checks_share_the_bonferroni_family():
    counted = sum(c.rule in ("interval", "range") for case in CASES for c in case.checks)
    assert counted == INTERVAL_CHECKS, f"{INTERVAL_CHECKS} counted, {counted} interval/range"
    assert any(c.rule == "range" for case in CASES for c in case.checks), "no range check"


def test_seed_facts_and_published_figures_are_quoted():
    """Every seed fact and every published figure quotes its source; a reference check that
    names the check of the model's own answer measures the same quantity (unless that check
    is a difference from a per-replication closed form, which its note says).
    """
    kinds = {case.kind for case in CASES}
    assert {"seed fact", "published figure"} <= kinds, f"kinds: {sorted(kinds)}"
    for case in CASES:
        if case.kind not in ("seed fact", "published figure"):
            continue
        labels = {c.label: c for c in case.checks}
        for check in case.checks:
            if case.kind == "seed fact" or check.rule == "reference":
                assert check.quote, f"{case.name}: {check.label} quotes nothing"
            if check.model_check:
                model = labels[check.model_check]
                assert model.rule in ("interval", "exact"), f"{case.name}: {model.label}"
                if model.note:
                    continue  # a difference from a closed form that varies by replication
                assert np.array_equal(
                    *(outcome_values(case.name, x) for x in (check.label, model.label))
                ), f"{case.name}: {check.label} and {model.label} are different quantities"


def outcome_values(name: str, label: str) -> np.ndarray:
    return next(r.values for r in outcome(name) if r.check.label == label)


def test_reinforcement_fixed_point_and_recursion_agree():
    """Independent of the model: the hand recursion settles at the closed-form fixed point
    within the band that 28- and 31-day months allow.
    """
    d = 0.5 ** (1 / 6.0)
    fixed = settled_level(d, 0.3)
    assert fixed == pytest.approx(d * 0.3 / (1 - d * 0.7)), f"fixed point {fixed}"
    levels = recursion_levels(48)
    assert levels[:11] == pytest.approx([d] * 11, abs=0.01), f"supported: {levels[:11]}"
    assert abs(levels[-1] - fixed) < 0.003, f"settled at {levels[-1]}, fixed point {fixed}"


def test_report_renders_every_check_and_its_verdict():
    outcomes = [Outcome(case, outcome(case.name), case.reps, 0.0) for case in CASES]
    text = render(outcomes, SEED, {"turnover": "validation/turnover.png"})
    checks = sum(c.rule != "reference" for case in CASES for c in case.checks)
    assert f"**Result: {checks} of {checks} checks in {len(CASES)} cases pass**" in text, text[:600]
    for title in ("## What the seeds report", "## Published figures side by side"):
        assert title in text, f"no section {title!r}"
    for case in CASES:
        for check in case.checks:
            if check.quote and case.kind == "seed fact":
                assert f"“{check.quote}”" in text, f"{case.name}: quote missing: {check.quote}"
            elif check.quote and check.rule == "reference":
                assert check.quote in text, f"{case.name}: quote missing: {check.quote}"
    for case in CASES:
        assert f"## {case.title}" in text, f"no section for {case.name}"
        for check in case.checks:
            assert f"| {check.label} |" in text, f"no row for {case.name}: {check.label}"
    assert "![" in text, "picture link missing"
    assert "validation/turnover.png" in text, "picture link missing"
    good = outcomes[0].results[0]
    failing = CheckResult(
        Check("made up", 1.0, "exact"), np.array([0.0]), good.interval, good.interval, False
    )
    bad = [Outcome(CASES[0], [failing], 1, 0.0)]
    assert "**FAIL**" in render(bad, SEED, {}), "a failing check is not shown as FAIL"


def test_picture_is_drawn(tmp_path):
    case = next(c for c in CASES if c.name == "champion_shrinkage")
    path = draw(case.picture(5, SEED), tmp_path / "shrink.png")
    assert path.stat().st_size > 5000, f"picture only {path.stat().st_size} bytes"


def test_one_command_writes_the_report(tmp_path, capsys):
    report = tmp_path / "docs" / "validation.md"
    status = main(["--report", str(report), "--no-pictures"])
    out = capsys.readouterr().out
    assert status == 0, f"exit status {status}:\n{out}"
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Validation report"), text[:200]
    assert f"Seed: {SEED}" in text, "seed not recorded"
    assert "numpy" in text, "versions not recorded"
    assert "simpy" in text, "versions not recorded"
    assert not list(report.parent.glob("*.partial")), "a partial file was left behind"


def test_the_committed_report_is_current():
    """docs/validation.md must come from the current cases (regenerate it when they change)."""
    report = Path(__file__).resolve().parents[2] / "docs" / "validation.md"
    assert report.exists(), f"{report} missing: python -m sim.validation --report {report}"
    text = report.read_text(encoding="utf-8")
    stale = [
        f"{case.name}: {check.label}"
        for case in CASES
        for check in case.checks
        if f"| {check.label} | {check.rule} | {check.expected:.6g} |" not in text
    ]
    assert not stale, (
        f"docs/validation.md lacks these checks or their expected values: {stale}; "
        "regenerate it: python -m sim.validation --report docs/validation.md"
    )
    assert "**FAIL**" not in text, "docs/validation.md records a failing check"
    for title in ("## What the seeds report", "## Published figures side by side"):
        assert title in text, f"docs/validation.md has no section {title!r}: regenerate it"


def test_seed_facts_load_nothing_until_their_cases_are_built():
    """Importing the package and the seed modules loads no scenario and runs nothing; the
    cases, built on first use, load the two bundled scenarios (Camden and Havering).
    """
    import subprocess
    import sys

    code = (
        "import sys, sim.validation, sim.validation.seeds as seeds\n"
        "from sim.validation.seed_runs import bundled, traced\n"
        "print(bundled.cache_info().currsize, traced.cache_info().currsize,"
        " 'sim.validation.published' in sys.modules)\n"
        "print(len(seeds.cases()), sorted(c.kind for c in seeds.cases())[0],"
        " bundled.cache_info().currsize)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    at_import, built = done.stdout.splitlines()
    assert at_import == "0 0 False", f"at import: scenarios, runs, published loaded {at_import}"
    assert built == "8 seed fact 2", f"built: cases, kind, scenarios {built}"
