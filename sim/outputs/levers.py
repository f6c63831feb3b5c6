"""Words and a picture for the lever audit (``rollout levers``).

They read the table :func:`sim.experiments.levers.audit` returns; nothing here runs the
model. :func:`lever_lines` is what the terminal says; :func:`levers_figure` draws
``levers.png``: each lever's effect with its 95 % interval, one panel per measure, the
noise floor shaded.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..model.vocabulary import difference_text, is_share, key_term
from ..scenario import formats
from ..scenario.levers import MEASURES
from .phrases import fit_lines

LABEL_WIDTH = 44


def _is_share(measure: str) -> bool:
    """Whether a measure is a share (shown in percentage points): its registry entry says."""
    return is_share(measure)


def _effect(measure: str, x: float) -> str:
    return difference_text(measure, x, short=True)


def _interval(measure: str, row) -> str:
    effect = getattr(row, f"{measure}_effect")
    low, high = getattr(row, f"{measure}_ci_low"), getattr(row, f"{measure}_ci_high")
    if _is_share(measure):
        return f"{_effect(measure, effect)} ({100 * low:+.1f} to {100 * high:+.1f})"
    return f"{_effect(measure, effect)} ({low:+,.0f} to {high:+,.0f})"


def _half(measure: str, row: pd.Series) -> str:
    half = (row[f"{measure}_ci_high"] - row[f"{measure}_ci_low"]) / 2
    if _is_share(measure):
        return f"±{100 * half:.1f} percentage points"
    return f"±{half:,.0f}"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def lever_lines(result) -> list[str]:
    """The audit in plain words: what was done, the noise floor, each lever, the verdict.

    Each lever is a short block (its label and the two values it was set at, then its effect
    on each measure), every lever and measure named by its label, never by its key, and
    every line within the terminal's 100 columns.
    """
    table, audited = result.table, result.audited
    levers = audited[audited["lever"] != "noise_floor"]
    name = result.scenario.name or "the scenario"
    noise = result.noise
    lines = [
        f"Lever audit of {name}: {len(levers)} levers switched on, each set at two values "
        f"(low, high) on the same {result.reps} futures (seed {result.seed}); the effect is "
        "high minus low, paired, with its 95% interval (pp: percentage points).",
        "Noise floor (nothing changed but the futures: the scenario as set on "
        f"{result.reps} other futures, unpaired): "
        + "; ".join(f"{label} {_half(m, noise)}" for m, label in MEASURES.items())
        + ". A lever sits on the floor when its paired interval holds 0 for every measure.",
    ]
    for row in levers.itertuples():
        verdict = ""
        if row.on_noise_floor:
            verdict = "; on the noise floor" + (" (said to be active)" if row.active else "")
        lines.append("")
        key = row.key if isinstance(row.key, str) else row.lever
        settings = f"{_value(key, row.low)} → {_value(key, row.high)}"
        lines.append(f"{row.label}: {settings}{verdict}")
        effects = "; ".join(f"{label} {_interval(m, row)}" for m, label in MEASURES.items())
        lines.append(f"  {effects}")
    lines.append("")
    stuck = result.active_on_floor()
    if len(stuck):
        lines.append(
            f"{len(stuck)} levers the documentation calls active sit on the noise floor: "
            + "; ".join(_labels(stuck))
            + f". On these {result.reps} futures their effect on practice and on coverage "
            "cannot be told from none (more futures, --reps, narrow the intervals)."
        )
    else:
        lines.append("Every lever the documentation calls active moved practice or coverage.")
    off = table[table["status"] == "switched off"]
    if len(off):
        lines.append(f"Switched off in this scenario (not audited): {'; '.join(_labels(off))}.")
    failed = table[table["status"].str.startswith("not nudged")]
    for row in failed.itertuples():
        label = row.label if isinstance(row.label, str) and row.label else row.lever
        lines.append(f"Could not nudge {label}: {row.status[len('not nudged: ') :]}")
    return fit_lines(lines)


def _labels(rows: pd.DataFrame) -> list[str]:
    """Each lever's label (its key only where the registry gives none)."""
    return [
        label if isinstance(label, str) and label else lever
        for lever, label in zip(rows["lever"], rows.get("label", rows["lever"]), strict=True)
    ]


def _value(key: str, value: object) -> str:
    """A lever's setting as people read it: yes/no for a switch, a probability or share as a
    percentage, a choice in words ("at once"), other numbers as they are.
    """
    text = str(value)
    switch = {"true": "yes", "false": "no", "True": "yes", "False": "no"}
    if text in switch:
        return switch[text]
    try:
        number = float(text)
    except ValueError:
        return text.replace("_", " ")
    if key_term(key).unit in ("probability", "share"):
        return formats.percent(number)
    return text


def levers_figure(table: pd.DataFrame, path: Path, title: str = "") -> Path:
    """Each audited lever's effect with its 95% interval, one panel per measure; the noise
    floor shaded around zero (± the half-width of the unpaired interval of an effect of
    nothing: how far noise alone reaches without common random numbers).
    """
    from .pictures import plt
    from .uncertainty import _save

    audited = table[table["status"] == "audited"]
    noise = audited[audited["lever"] == "noise_floor"]
    rows = audited[audited["lever"] != "noise_floor"].iloc[::-1]
    y = np.arange(len(rows))
    fig, axes = plt.subplots(
        1, len(MEASURES), figsize=(12, 0.28 * len(rows) + 1.8), sharey=True, squeeze=False
    )
    colours = np.where(
        rows["active"] & rows["on_noise_floor"].fillna(False),
        "#aa0000",
        np.where(rows["active"], "#1f5fa8", "#999999"),
    )
    for ax, (measure, label) in zip(axes[0], MEASURES.items(), strict=True):
        scale = 100.0 if _is_share(measure) else 1.0
        effect = rows[f"{measure}_effect"].to_numpy(float) * scale
        low = rows[f"{measure}_ci_low"].to_numpy(float) * scale
        high = rows[f"{measure}_ci_high"].to_numpy(float) * scale
        if len(noise):
            n = noise.iloc[0]
            half = (n[f"{measure}_ci_high"] - n[f"{measure}_ci_low"]) / 2 * scale
            ax.axvspan(
                -half,
                half,
                color="#bbbbbb",
                alpha=0.35,
                lw=0,
                label="noise floor: ± an unpaired 95% interval (nothing changed but the futures)",
            )
        ax.barh(y, effect, color=colours, alpha=0.85)
        ax.errorbar(
            effect,
            y,
            xerr=[effect - low, high - effect],
            fmt="none",
            ecolor="#222222",
            elinewidth=0.8,
            capsize=2,
        )
        ax.axvline(0, color="#222222", lw=0.6)
        unit = " (points)" if scale == 100.0 else ""
        ax.set_xlabel(f"{label}{unit}\nhigh minus low, paired, 95% interval", fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
    axes[0][0].set_yticks(y)
    axes[0][0].set_yticklabels([_short(t, 48) for t in rows["label"]], fontsize=7)
    axes[0][0].legend(frameon=False, fontsize=7, loc="lower right")
    fig.suptitle(
        (title + ": " if title else "")
        + "what each lever does (blue: said to be active; red: active but on the noise "
        "floor; grey: not meant to move practice)",
        fontsize=9,
    )
    return _save(fig, path)
