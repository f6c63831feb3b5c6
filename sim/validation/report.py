"""The validation report: run every case, write ``docs/validation.md`` and its pictures.

The report is generated, never edited by hand: ``python -m sim.validation --report
docs/validation.md``. For every case it gives the mechanism, the derivation, the verdict
rule, and for every check the expected value, the simulated mean with its 95 % interval,
the range the expected value had to fall in, and the verdict; pictures of simulated series
against their theoretical curves go to a folder beside the report. Two sections gather the
seed facts ("What the seeds report") and the published figures ("Published figures side by
side") in one table each: the fact as quoted, the simulated value, its 95 % interval and
the verdict.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no screen needed

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ..experiments.folders import versions  # noqa: E402
from . import CASES, INTERVAL_CHECKS, SEED, VERDICT_CONFIDENCE, run_case  # noqa: E402
from .changes import CHANGES  # noqa: E402
from .core import FAMILY_ALPHA, Case, Check, CheckResult, Picture  # noqa: E402

SIMULATED_COLOUR = "#1f5fa8"
EXPECTED_COLOUR = "#222222"
MARK_COLOUR = "#c0392b"


@dataclass(frozen=True)
class Outcome:
    """One case's results and how long it took."""

    case: Case
    results: list[CheckResult]
    reps: int
    seconds: float

    @property
    def passed(self) -> bool:
        """Whether every check passed."""
        return all(r.passed for r in self.results)

    @property
    def judged(self) -> list[CheckResult]:
        """The checks that can fail (every rule but ``reference``)."""
        return [r for r in self.results if r.check.rule != "reference"]

    @property
    def compared(self) -> list[CheckResult]:
        """The ``reference`` checks: figures from elsewhere, agreeing or differing."""
        return [r for r in self.results if r.check.rule == "reference"]


def run_all(seed: int = SEED, cases: tuple[Case, ...] = CASES) -> list[Outcome]:
    """Run every case with its own number of replications."""
    outcomes = []
    for case in cases:
        began = time.perf_counter()
        results = run_case(case, seed)
        outcomes.append(Outcome(case, results, case.reps, time.perf_counter() - began))
    return outcomes


def draw(picture: Picture, path: Path) -> Path:
    """Simulated mean (with its 95 % band and the spread of replications) against theory."""
    sim = np.asarray(picture.simulated, dtype=float)
    fig, ax = plt.subplots(figsize=(6.4, 3.6), dpi=100)
    mean = sim.mean(axis=0)
    if len(sim) > 1:
        low, high = np.percentile(sim, [5, 95], axis=0)
        ax.fill_between(
            picture.x,
            low,
            high,
            color=SIMULATED_COLOUR,
            alpha=0.12,
            lw=0,
            label=f"5-95 % of {len(sim)} replications",
        )
        half = 1.96 * sim.std(axis=0, ddof=1) / np.sqrt(len(sim))
        ax.fill_between(
            picture.x,
            mean - half,
            mean + half,
            color=SIMULATED_COLOUR,
            alpha=0.35,
            lw=0,
            label="95 % interval of the mean",
        )
        label = "simulated mean"
    else:
        label = "simulated"
    ax.plot(picture.x, mean, color=SIMULATED_COLOUR, lw=1.8, marker=".", ms=4, label=label)
    ax.plot(
        picture.x,
        picture.expected,
        color=EXPECTED_COLOUR,
        lw=1.2,
        ls="--",
        label=f"expected: {picture.expected_label}",
    )
    if picture.reference is not None:
        ax.axhline(
            picture.reference, color=EXPECTED_COLOUR, lw=1.0, ls=":", label=picture.reference_label
        )
    for x, y, tolerance, label in picture.marks:
        ax.errorbar(
            [x],
            [y],
            yerr=[[tolerance], [tolerance]],
            fmt="s",
            color=MARK_COLOUR,
            ms=5,
            capsize=3,
            label=label or None,
        )
    ax.set_title(picture.title, fontsize=10)
    ax.set_xlabel(picture.xlabel, fontsize=9)
    ax.set_ylabel(picture.ylabel, fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, frameon=False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def _num(x: float) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    return f"{x:.6g}"


def _interval(low: float, high: float) -> str:
    return f"[{_num(low)}, {_num(high)}]"


def _verdict(result: CheckResult) -> str:
    """Pass and FAIL in bold; a reference check's agrees, or differs in italics."""
    word = result.verdict
    if word == "differs":
        return "*differs*"
    return word if word == "agrees" else f"**{word}**"


def _row(result: CheckResult) -> str:
    check = result.check
    interval = result.interval
    if check.rule == "exact":
        lo, hi = result.observed_range
        allowed = f"every replication = {_num(check.expected)}"
        shown = f"{_num(lo)} … {_num(hi)} (min … max)"
    else:
        allowed = _interval(*result.allowed)
        if check.rule == "range":
            allowed = f"verdict interval within {allowed}"
        elif check.rule == "reference":
            allowed = f"mean within {allowed} to agree"
        elif check.tolerance:
            allowed += f" (incl. ± {_num(check.tolerance)})"
        shown = _interval(interval.low, interval.high)
    verdict = _verdict(result)
    cells = [
        check.label,
        check.rule,
        _num(check.expected),
        _num(interval.mean),
        shown,
        allowed,
        verdict,
    ]
    return "| " + " | ".join(cells) + " |"


def _short(x: float) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    return f"{x:.4g}"


def _expectation(check: Check) -> str:
    """What a check asks for, in a few characters."""
    e, tol = _short(check.expected), check.tolerance
    if check.rule == "exact":
        return f"= {e} in every replication"
    if check.rule == "range":
        low, high = _short(check.expected - tol), _short(check.expected + tol)
        return f"{e} ± {_short(tol)}: interval within [{low}, {high}]"
    if check.rule == "reference":
        return f"{e} ± {_short(tol)}" if tol else f"{e} (as reported)"
    return f"{e} (model's closed form)"


def _fact_cells(result: CheckResult) -> list[str]:
    interval = result.interval
    return [
        _short(interval.mean),
        f"[{_short(interval.low)}, {_short(interval.high)}]",
        _verdict(result),
    ]


def seeds_section(outcomes: list[Outcome]) -> list[str]:
    """'What the seeds report': one row per seed-fact check."""
    facts = [o for o in outcomes if o.case.kind == "seed fact"]
    if not facts:
        return []
    rows = [
        "## What the seeds report",
        "",
        "Facts the two seed documents report, checked on the bundled scenarios exactly as "
        "shipped (`camden`, `havering`; no key changed). Each row quotes the seed, says what "
        "is measured (linked to its case below, which says how and why), and gives the "
        "simulated mean across replications, its 95 % interval (Wilson for yes/no "
        "measures) and the verdict. Where the model, as shipped, does not reproduce a fact "
        "as the seed words it, the literal fact is a *reference* row marked *differs* beside "
        "the checks of what the model does guarantee; the case's text says why.",
        "",
        "| source | fact (quoted) | measured as | expected | simulated value | 95 % interval "
        "| verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for o in facts:
        source = o.case.source.split(" (")[0]
        for r in o.results:
            quote = f"“{r.check.quote}”" if r.check.quote else ""
            rows.append(
                "| "
                + " | ".join(
                    [
                        source,
                        quote,
                        f"[{r.check.label}](#{o.case.name})",
                        _expectation(r.check),
                        *_fact_cells(r),
                    ]
                )
                + " |"
            )
    differ = [(o, r) for o in facts for r in o.compared if not r.agrees]
    if differ:
        rows += ["", "Facts the scenarios as shipped do not reproduce in every future:", ""]
        rows += [f"- [{o.case.title}](#{o.case.name}): {r.check.label}." for o, r in differ]
    return rows + [""]


def _quantity(result: CheckResult, model: CheckResult | None) -> str:
    """The model quantity a published figure is set beside: the model check's label when it
    measures the same values, else the reference check's own.
    """
    if model is None or model.check.note:
        return result.check.label
    return model.check.label


def published_section(outcomes: list[Outcome], figures: dict[str, str]) -> list[str]:
    """'Published figures side by side': one row per published figure, then the pictures."""
    cases = [o for o in outcomes if o.case.kind == "published figure"]
    if not cases:
        return []
    rows = [
        "## Published figures side by side",
        "",
        "What the default behavioural parameters give (Camden's practice table: uptake "
        "0.62, half-life 12 months, spread 0.5, threshold 0.5) beside the published "
        "figures they stand for. The model's value is computed twice: by its closed form, "
        "which the simulation must reproduce (a real check, failing CI when it does not), "
        "and by simulation. The model *agrees* with a figure when its simulated mean lies "
        "within the stated tolerance, and *differs* otherwise; a difference never fails CI, "
        "because each figure measures something else in another setting: the case's text "
        "says what, and why the model may differ. Rows whose quantity says *assumptions "
        "drawn* give the same cohort with each replication drawing its practice values from "
        "Camden's `[uncertainty]` table, as the shipped scenario runs; their closed form "
        "depends on the draw and is checked replication by replication.",
        "",
        "| figure (source, quoted) | model's quantity | published (tolerance) "
        "| model's closed form | simulated value | 95 % interval | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for o in cases:
        by_label = {r.check.label: r for r in o.results}
        for r in o.compared:
            model = by_label.get(r.check.model_check)
            closed = "–"
            if model is not None:
                shown = model.check.note or _short(model.check.expected)
                closed = f"{shown} ({model.verdict})"
            rows.append(
                "| "
                + " | ".join(
                    [
                        r.check.quote,
                        f"[{_quantity(r, model)}](#{o.case.name})",
                        _expectation(r.check),
                        closed,
                        *_fact_cells(r),
                    ]
                )
                + " |"
            )
    for o in cases:
        if o.case.name in figures:
            rows += ["", f"![{o.case.title}]({figures[o.case.name]})"]
    return rows + [""]


def render(
    outcomes: list[Outcome],
    seed: int,
    figures: dict[str, str],
    levers: list[str] = (),
    out_of_sample: list[str] = (),
) -> str:
    """The Markdown of the report; ``figures`` maps case names to picture paths; ``levers``
    is the lever section (:mod:`.levers`), placed after the published figures, and
    ``out_of_sample`` the hindcast's (:mod:`.out_of_sample`) after it.
    """
    checks = sum(len(o.judged) for o in outcomes)
    passed = sum(r.passed for o in outcomes for r in o.judged)
    compared = [r for o in outcomes for r in o.compared]
    agree = sum(bool(r.agrees) for r in compared)
    failed_cases = [o.case.name for o in outcomes if not o.passed]
    found = versions()
    lines = [
        "# Validation report",
        "",
        "<!-- Generated by `python -m sim.validation --report docs/validation.md`; "
        "do not edit by hand. -->",
        "",
        "Each case below checks one mechanism of the model against an answer worked out "
        "outside the simulator: a closed form the mechanism implies, a hand count for a run "
        "in which nothing random reaches the checked quantity, or an extreme parameter value "
        "whose answer is obvious; then what the seed documents report, on the bundled "
        "scenarios as shipped, and published figures beside the model's own. The cases and "
        "their derivations are in `sim/validation/`; `tests/validation/test_validation.py` "
        "runs every one of them with the same seed and replications, so CI fails when a "
        "check fails.",
        "",
        f"**Result: {passed} of {checks} checks in {len(outcomes)} cases pass**"
        + (f"; failing: {', '.join(failed_cases)}." if failed_cases else ".")
        + (
            f" Compared with figures reported or published elsewhere (shown, never failing): "
            f"{agree} of {len(compared)} agree, {len(compared) - agree} differ."
            if compared
            else ""
        ),
        "",
        f"- Generated: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Seed: {seed}; replications per case as listed (replication r uses the streams of "
        "(seed, r))",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in found.items()),
        f"- Time: {sum(o.seconds for o in outcomes):.1f} s in all",
        "",
        "## How a verdict is reached",
        "",
        "- **exact**: every replication must equal the expected value exactly (the expected "
        "value is computed the way the quantity is defined, e.g. 12 / 40, so floating-point "
        "equality is fair). Used where nothing random reaches the quantity.",
        "- **interval**: the expected value must lie in the t-based confidence interval of the "
        "mean across replications, widened on each side by the tolerance the case states "
        "(0 unless the case names a discretisation). With "
        f"{INTERVAL_CHECKS} interval and range checks, ordinary 95 % intervals would fail "
        "about one "
        "check in twenty with a correct model, so the verdict uses intervals at "
        f"{100 * VERDICT_CONFIDENCE:.3f} % (1 − {FAMILY_ALPHA} / {INTERVAL_CHECKS}, "
        f"Bonferroni): if every expected value is right, the chance that *any* check fails "
        f"is at most {100 * FAMILY_ALPHA:g} %. The 95 % interval is shown beside it.",
        "- **range**: the verdict interval of the mean (at the same level; range checks "
        "count among the interval checks above) must lie wholly inside expected ± tolerance. "
        "Used for a reported figure such as 'about 250' (250 ± 25): the model meets it only "
        "if its mean is surely inside the band.",
        "- **reference**: a figure reported or published elsewhere, measured in another "
        "setting or with another construct. Shown, never failed: the model *agrees* when "
        "its simulated mean lies within the stated tolerance of the figure and *differs* "
        "otherwise, and the case says why it may differ. The model's own answer for the "
        "same quantity is checked by an exact or interval check, which does fail.",
        "",
        "## Summary",
        "",
        "| case | kind | mechanism | replications | checks passed | compared | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        good = sum(r.passed for r in o.judged)
        verdict = "pass" if o.passed else "**FAIL**"
        agreeing = sum(bool(r.agrees) for r in o.compared)
        shown = f"{agreeing} agree, {len(o.compared) - agreeing} differ" if o.compared else "–"
        lines.append(
            f"| [{o.case.title}](#{o.case.name}) | {o.case.kind} | {o.case.mechanism} | "
            f"{o.reps} | {good} / {len(o.judged)} | {shown} | {verdict} |"
        )
    lines += ["", *CHANGES.splitlines(), ""]
    lines += [*seeds_section(outcomes), *published_section(outcomes, figures), *levers]
    lines += ["", *out_of_sample] if out_of_sample else []
    for o in outcomes:
        case = o.case
        lines += [
            "",
            f'<a id="{case.name}"></a>',
            "",
            f"## {case.title}",
            "",
            f"*{case.kind}* · `{case.name}` · {o.reps} replications · {o.seconds:.2f} s",
            "",
            f"**Mechanism.** {case.mechanism[:1].upper()}{case.mechanism[1:]}.",
            "",
            f"**Derivation.** {case.derivation}",
            "",
            f"**Verdict rule.** {case.rule}",
            "",
            *([f"**Source.** {case.source}.", ""] if case.source else []),
            "| check | rule | expected | simulated mean | 95 % interval | verdict needs "
            "| verdict |",
            "|---|---|---|---|---|---|---|",
            *[_row(r) for r in o.results],
        ]
        if case.name in figures:
            lines += ["", f"![{case.title}]({figures[case.name]})"]
    return "\n".join(lines) + "\n"


def write_report(path: Path, seed: int = SEED, pictures: bool = True) -> list[Outcome]:
    """Run every case and write the report at ``path``, pictures in ``<stem>/`` beside it.

    The Markdown is written to a temporary name and moved into place, so a reader never
    sees half a report.
    """
    path = Path(path)
    outcomes = run_all(seed)
    folder = path.parent / path.stem
    figures: dict[str, str] = {}
    if pictures:
        for o in outcomes:
            if o.case.picture is None:
                continue
            png = draw(o.case.picture(o.reps, seed), folder / f"{o.case.name}.png")
            figures[o.case.name] = png.relative_to(path.parent).as_posix()
    from .levers import section

    levers = section(seed, folder if pictures else None, path.parent)
    from . import out_of_sample

    hindcast = out_of_sample.section(folder if pictures else None, path.parent)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(render(outcomes, seed, figures, levers, hindcast), encoding="utf-8")
    partial.replace(path)
    return outcomes


def main(argv: list[str] | None = None) -> int:
    """``python -m sim.validation [--report PATH] [--seed N] [--no-pictures]``.

    Prints one line per case; exit status 0 when every check passes, 1 otherwise.
    """
    parser = argparse.ArgumentParser(
        prog="python -m sim.validation",
        description="Run the validation cases; optionally write the Markdown report.",
    )
    parser.add_argument(
        "--report", type=Path, default=None, help="write the report here (e.g. docs/validation.md)"
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"seed (default {SEED})")
    parser.add_argument("--no-pictures", action="store_true", help="skip the PNG pictures")
    args = parser.parse_args(argv)
    if args.report is not None:
        outcomes = write_report(args.report, args.seed, pictures=not args.no_pictures)
    else:
        outcomes = run_all(args.seed)
    for o in outcomes:
        good = sum(r.passed for r in o.results)
        status = "pass" if o.passed else "FAIL"
        print(
            f"{status:4s}  {o.case.name:24s} {good}/{len(o.results)} checks  "
            f"{o.reps} reps  {o.seconds:.2f} s"
        )
        for r in o.compared:
            if not r.agrees:
                print(
                    f"      differs: {r.check.label}: figure {_num(r.check.expected)} "
                    f"± {_num(r.check.tolerance)}, simulated mean {_num(r.interval.mean)}"
                )
        for r in o.results:
            if not r.passed:
                print(
                    f"      failed: {r.check.label}: expected {_num(r.check.expected)}, "
                    f"mean {_num(r.interval.mean)}, allowed {_interval(*r.allowed)}"
                )
    if args.report is not None:
        print(f"report: {args.report}")
    return 0 if all(o.passed for o in outcomes) else 1
