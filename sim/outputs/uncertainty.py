"""Words and pictures for decisions under uncertainty: net benefit, the acceptability curve,
the value of information, and global sensitivity indices.

They read what :mod:`sim.experiments.decision` and :mod:`sim.experiments.sensitivity`
return; nothing here runs the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..experiments.comparisons import Comparison
from ..experiments.display import MIN_FOR_INTERVAL
from ..model.vocabulary import is_share, key_label, measure_label, value_text
from ..scenario import formats
from .phrases import _grid, fit_lines


def _save(fig, path: Path) -> Path:
    """:func:`sim.outputs.canvas.save`, loaded (with matplotlib) only when a picture is."""
    from .canvas import save

    return save(fig, path)


def _money(x: float) -> str:
    """GBP to the pound, in the house style: -£1,234 for a loss, £0 for nothing."""
    return formats.money(x)


def decision_lines(result: Comparison) -> list[str]:
    """Net benefit per strategy, the probability of each being best, the value of information."""
    lines: list[str] = []
    best = result.comparison.set_index(["strategy", "measure"])["probability_best"]
    shown = [
        m
        for m in ("practising_person_months", "coverage_months", "total_cost")
        if (result.strategies[0], m) in best.index
    ]
    if shown:
        lines += ["", "Probability of being the best strategy (share of futures; ties shared):"]
        width = max(len(s) for s in result.strategies)
        lines.append(
            "  " + " " * width + "  " + "  ".join(f"{measure_label(m):>24}" for m in shown)
        )
        for name in result.strategies:
            cells = "  ".join(f"{best.loc[(name, m)]:>24.0%}" for m in shown)
            lines.append(f"  {name:<{width}}  {cells}")
        # "Best" only with its evidence: the paired difference to the runner-up.
        from ..experiments.verdicts import best_and_runner_up, verdict_sentence

        for m in shown:
            verdict = best_and_runner_up(result.summary, "strategy", m)
            if verdict is not None:
                lines.append("  " + verdict_sentence(verdict, m))
    if result.net_benefit is not None:
        v = result.value_per_practising_month
        lines += [
            "",
            f"Net benefit at £{v:,.0f} per practising person-month "
            "(value × practising person-months − cost), means with 95% intervals:",
        ]
        for row in result.net_benefit.itertuples():
            spread = (
                f"; 9 futures in 10 between {_money(row.p5)} and {_money(row.p95)}"
                if row.n >= MIN_FOR_INTERVAL
                else ""
            )
            difference = (
                f"; difference from {result.strategies[0]} "
                f"{_money(row.difference_from_first)} ({_money(row.difference_ci_low)} to "
                f"{_money(row.difference_ci_high)})"
                if row.strategy != result.strategies[0]
                else ""
            )
            lines.append(
                f"  {row.strategy}: {_money(row.mean)} ({_money(row.ci_low)} to "
                f"{_money(row.ci_high)}){spread}{difference}; highest in "
                f"{row.probability_highest:.0%} of futures"
            )
    if result.evppi is not None:
        lines += [
            "",
            "What knowing an assumption exactly would be worth to this decision "
            "(expected value of perfect information, GBP):",
        ]
        for row in result.evppi.itertuples():
            # The table's own rows (all assumptions together, the noise floor) are named in
            # words already; a key is named in words and by its path.
            named = (
                row.parameter
                if row.parameter.startswith("(")
                else (f"{key_label(row.parameter)} ({row.parameter})")
            )
            lines.append(f"  {named}: {_money(row.evppi)}")
        lines.append(
            "  (regression estimates, Strong, Oakley & Brennan 2014; from "
            f"{int(result.evppi['futures'].iloc[0])} futures: more futures, steadier figures)"
        )
    return fit_lines(lines)


def acceptability_figure(
    curve: pd.DataFrame, strategies: Sequence[str], path: Path, value: float | None = None
) -> Path:
    """The probability each strategy has the highest net benefit, over the value per month."""
    from .pictures import STRATEGY_COLOURS, plt

    fig, ax = plt.subplots(figsize=(9, 4.6))
    for i, name in enumerate(strategies):
        part = curve[curve["strategy"] == name]
        ax.plot(
            part["value_per_practising_month"],
            part["probability"],
            color=STRATEGY_COLOURS[i % len(STRATEGY_COLOURS)],
            linestyle=("-", "--", ":", "-.")[i % 4],
            linewidth=2,
            label=name,
        )
    if value is not None:
        ax.axvline(value, color="#777777", ls=":", lw=1, label=f"£{value:,.0f} (the value given)")
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"£{v:,.0f}"))
    ax.grid(color="#dddddd")
    ax.set_xlabel("Value of one person practising for a month")
    ax.set_ylabel("Probability of the highest net benefit")
    ax.legend(frameon=False)
    ax.set_title(
        "Which strategy is best, for what the practice is worth (acceptability)", fontsize=11
    )
    return _save(fig, path)


def sensitivity_figure(table: pd.DataFrame, method: str, metric: str, path: Path) -> Path:
    """Each parameter's sensitivity index with its 95% confidence, ranked, and the noise
    floor (the index of a parameter that changes nothing).
    """
    from .pictures import plt

    index, conf = ("mu_star", "mu_star_conf") if method == "morris" else ("ST", "ST_conf")
    rows = table[~table["is_noise_floor"]].sort_values(index)
    floor = table.loc[table["is_noise_floor"], index]
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(rows) + 1.6))
    y = np.arange(len(rows))
    ax.barh(
        y,
        rows[index],
        xerr=rows[conf],
        color="#1f5fa8",
        alpha=0.8,
        capsize=3,
        label=(
            "effect (Morris's mu*) with its 95% confidence"
            if method == "morris"
            else "total share of the variance (Sobol's ST) with its 95% confidence"
        ),
    )
    if method == "sobol":
        ax.scatter(rows["S1"], y, color="#d9730d", zorder=3, label="S1 (alone)")
    if len(floor):
        ax.axvline(
            float(floor.iloc[0]),
            color="#aa0000",
            ls="--",
            lw=1,
            label="noise floor (an assumption with no effect)",
        )
    ax.set_yticks(y)
    ax.set_yticklabels([key_label(p) for p in rows["parameter"]], fontsize=8)
    label = measure_label(metric)
    ax.set_xlabel(
        f"effect on {label[0].lower() + label[1:]}"
        if method == "morris"
        else f"share of the variance of {label[0].lower() + label[1:]}"
    )
    if method == "sobol":
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    screening = "Morris screening" if method == "morris" else "Sobol indices"
    ax.set_title(f"What drives {label[0].lower() + label[1:]} ({screening})", fontsize=11)
    return _save(fig, path)


def sensitivity_lines(result) -> list[str]:
    """The ranked effects in words: each assumption by its label, its effect in the
    measure's own style (people, £, percentage points; never 1.07e+03), against the floor.

    Morris's mu* is said as what it is (how far the measure moves, on average, when the
    assumption steps across its range); Sobol's ST and S1 as shares of the measure's
    variance.
    """
    table = result.table
    scenario = getattr(result, "scenario", None)
    morris = result.method == "morris"
    index, conf = ("mu_star", "mu_star_conf") if morris else ("ST", "ST_conf")
    floor_rows = table[table["is_noise_floor"]]
    floor = float(floor_rows[index].iloc[0]) if len(floor_rows) else 0.0
    floor_conf = float(floor_rows[conf].iloc[0]) if len(floor_rows) else 0.0
    ranked = table[~table["is_noise_floor"]].sort_values(index, ascending=False)
    metric = result.metric
    label = measure_label(metric, scenario)

    def size(x: float) -> str:
        return _effect_text(metric, x) if morris else formats.percent(x)

    if morris:
        lines = [
            f"What drives {label}: Morris screening of {len(ranked)} uncertain assumptions, "
            f"{len(result.samples)} sample points.",
            "Effect: how far the measure moves, on average, when an assumption steps across "
            "its range (Morris's mu*, the mean absolute elementary effect), ± its 95% "
            "confidence.",
        ]
        header = ["effect", "noise floor", "assumption"]
    else:
        lines = [
            f"What drives {label}: Sobol indices of {len(ranked)} uncertain assumptions, "
            f"{len(result.samples)} sample points.",
            "Total share: the share of the measure's variance that goes with the assumption, "
            "alone or with others (Sobol's ST), ± its 95% confidence; alone: its first-order "
            "share (S1).",
        ]
        header = ["total share", "alone", "noise floor", "assumption"]
    rows = [header]
    for row in ranked.itertuples():
        value, half = getattr(row, index), getattr(row, conf)
        above = value - half > floor + floor_conf
        verdict = "above it" if above else "within it"
        cells = [f"{size(value)} ± {size(half)}"]
        if not morris:
            cells.append(formats.percent(row.S1))
        rows.append([*cells, verdict, key_label(row.parameter, scenario)])
    # The label last: a long one runs on (and wraps) without pushing the figures apart.
    lines += [f"  {line}" for line in _grid(rows)]
    lines.append(
        f"Noise floor (an assumption that changes nothing): {size(floor)} ± {size(floor_conf)}; "
        "an effect within it cannot be told from none. Replications share their random "
        "numbers at every sample point, so the floor is what the design itself leaves."
    )
    from ..experiments.sensitivity import held_keys

    held = held_keys(scenario, {p: None for p in ranked["parameter"]}) if scenario else []
    if held:
        lines.append(
            "Held at the scenario's own values (uncertain, but not varied here): "
            + "; ".join(key_label(k, scenario) for k in held)
            + "."
        )
    return fit_lines(lines)


def _effect_text(metric: str, x: float) -> str:
    """A size of change in ``metric``'s own style: "1,178" (people, person-months), "£1,234",
    and a share's change in percentage points ("4.2 percentage points").
    """
    if is_share(metric):
        return f"{100 * x:.1f} percentage points" if np.isfinite(x) else formats.DASH
    return value_text(metric, x)
