"""Words and a picture for a calibration (``rollout calibrate``): prior against posterior per
key, and the simulated trajectories against what was observed.

Reads what :func:`sim.experiments.calibration.calibrate` returns; nothing here runs the model.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np

from ..experiments.calibration import NOT_INFORMED, Calibration
from ..model.vocabulary import key_label, key_term, measure_label
from ..scenario import formats
from ..scenario.observed import Z95
from .phrases import _grid, fit_lines


def key_number(key: str, x: float) -> str:
    """A value of the key ``key`` as people read it: a probability or share as a percentage
    ("62%"), else a plain number with the digits it needs ("15.2", "0.035", "1,234"), never
    in scientific notation.
    """
    unit = key_term(key).unit
    if unit in ("share", "probability"):
        return formats.percent(x, 1 if abs(x) < 0.1 else 0)
    if not np.isfinite(x):
        return formats.DASH
    size = abs(x)
    if size >= 100:
        return f"{x:,.0f}"
    digits = 1 if size >= 10 else 2 if size >= 1 else 3 if size >= 0.01 else 4
    text = f"{x:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def calibration_figure(result: Calibration, path: Path) -> Path:
    """Left: each key's prior draws and accepted draws. Right: each observed measure's
    trajectories (every draw faint, accepted ones strong) and the observations (95%).
    """
    from .pictures import plt
    from .uncertainty import _save

    keys = list(result.table["key"])
    measures = sorted({o.measure for o in result.observations})
    rows = max(len(keys), len(measures))
    fig, axes = plt.subplots(rows, 2, figsize=(11, 2.6 * rows + 0.6), squeeze=False)
    draws, posterior = result.draws, result.posterior
    for i, key in enumerate(keys):
        ax = axes[i, 0]
        bins = np.histogram_bin_edges(draws[key], bins=20)
        ax.hist(draws[key], bins=bins, color="#bbbbbb", density=True, label="prior draws")
        ax.hist(
            posterior[key],
            bins=bins,
            color="#1f5fa8",
            alpha=0.8,
            density=True,
            label="accepted (posterior)",
        )
        ratio = float(result.table.loc[i, "sd_ratio"])
        told = "" if ratio <= NOT_INFORMED else ": not told apart"
        ax.set_title(f"{key_label(key)} (spread {ratio:.0%} of the prior's{told})", fontsize=9)
        ax.legend(frameon=False, fontsize=7)
    for i in range(len(keys), rows):
        axes[i, 0].axis("off")
    accepted = set(posterior["draw"])
    series = result.trajectories
    for i, measure in enumerate(measures):
        ax = axes[i, 1]
        for draw, rows_of in series.groupby("draw"):
            strong = draw in accepted
            ax.plot(
                rows_of["month"],
                rows_of[measure],
                lw=1.0 if strong else 0.5,
                color="#1f5fa8" if strong else "#cccccc",
                alpha=0.9 if strong else 0.5,
                zorder=2 if strong else 1,
            )
        seen = [o for o in result.observations if o.measure == measure]
        ax.errorbar(
            [o.month for o in seen],
            [o.value for o in seen],
            yerr=[Z95 * o.sd for o in seen],
            fmt="o",
            color="#d9730d",
            capsize=3,
            zorder=3,
            label="observed (95%)",
        )
        ax.set_title(f"{measure_label(measure)}: prior draws grey, accepted blue", fontsize=9)
        ax.set_xlabel("month from the start", fontsize=8)
        ax.legend(frameon=False, fontsize=7)
    for i in range(len(measures), rows):
        axes[i, 1].axis("off")
    return _save(fig, path)


def calibration_lines(result: Calibration) -> list[str]:
    """What the terminal says: each assumption's prior and posterior by its label, in its
    own units (a probability as a percentage), and what could not be told apart.
    """
    scenario = result.scenario
    accepted = len(result.posterior)
    seen = len(result.observations)
    lines = [
        f"Calibrated {len(result.table)} uncertain assumptions against "
        f"{seen} observation{'s' if seen != 1 else ''}: {accepted} of {len(result.draws)} draws "
        "from their distributions (the prior) came closest and were kept (the posterior; "
        "rejection ABC).",
        "Each: the average before, then after, ± its spread (sd); then the range holding 95% "
        "of the kept draws.",
    ]
    rows = [["before", "after", "95% of kept", "assumption"]]
    for row in result.table.itertuples():
        number = partial(key_number, row.key)
        rows.append(
            [
                f"{number(row.prior_mean)} ± {number(row.prior_sd)}",
                f"{number(row.posterior_mean)} ± {number(row.posterior_sd)}",
                f"{number(row.posterior_low)} to {number(row.posterior_high)}",
                key_label(row.key, scenario),
            ]
        )
    lines += [f"  {line}" for line in _grid(rows)]
    if accepted < 20:
        lines.append(
            f"  Only {accepted} draws kept: the spreads after are rough, and a narrowing "
            "may be chance; use more --draws (200 or more keeps 20 at --accept 0.1)."
        )
    vague = [row for row in result.table.itertuples() if not row.informed]
    for row in vague:
        lines.append(
            f"  The observations cannot tell apart the values of {key_label(row.key, scenario)}: "
            f"its spread after is {row.sd_ratio:.0%} of the spread before; they say little "
            "about it."
        )
    if len(vague) == len(result.table):
        lines.append(
            "  None of the assumptions is narrowed: more or other observations are needed (try "
            "the measures these assumptions move)."
        )
    return fit_lines(lines)
