"""Words and a picture for a calibration (``rollout calibrate``): prior against posterior per
key, and the simulated trajectories against what was observed.

Reads what :func:`sim.experiments.calibration.calibrate` returns; nothing here runs the model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..experiments.calibration import NOT_INFORMED, Calibration
from ..scenario.observed import Z95


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
        ax.set_title(f"{key} (sd {ratio:.0%} of the prior's{told})", fontsize=9)
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
        ax.set_title(f"{measure}: prior draws grey, accepted blue", fontsize=9)
        ax.set_xlabel("month from the start", fontsize=8)
        ax.legend(frameon=False, fontsize=7)
    for i in range(len(measures), rows):
        axes[i, 1].axis("off")
    return _save(fig, path)


def calibration_lines(result: Calibration) -> list[str]:
    """What the terminal says: each key's prior and posterior, and what could not be told."""
    accepted = len(result.posterior)
    lines = [
        f"Calibrated {len(result.table)} uncertain keys against {len(result.observations)} "
        f"observations: {accepted} of {len(result.draws)} prior draws accepted (rejection ABC).",
        f"  {'key':<48} {'prior mean (sd)':>18} {'posterior mean (sd)':>20}  95% range",
    ]
    for row in result.table.itertuples():
        lines.append(
            f"  {row.key:<48} {row.prior_mean:>9.3g} ({row.prior_sd:.3g}){'':>1} "
            f"{row.posterior_mean:>10.3g} ({row.posterior_sd:.3g})  "
            f"{row.posterior_low:.3g} to {row.posterior_high:.3g}"
        )
    if accepted < 20:
        lines.append(
            f"  Only {accepted} draws accepted: the posterior sds are rough, and a narrowing "
            "may be chance; use more --draws (200 or more gives 20 at --accept 0.1)."
        )
    vague = [row for row in result.table.itertuples() if not row.informed]
    for row in vague:
        lines.append(
            f"  The observations cannot tell {row.key}'s values apart: its posterior sd is "
            f"{row.sd_ratio:.0%} of the prior's; they say little about it."
        )
    if len(vague) == len(result.table):
        lines.append(
            "  None of the keys is narrowed: more or other observations are needed (try the "
            "measures these keys move)."
        )
    return lines
