"""The ranked picture of a national run: every council's headline measure with its 95 %
interval, best at the top, coloured by region, readable with 150 councils (one row each).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no screen needed

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ..experiments.display import MIN_FOR_INTERVAL  # noqa: E402
from .account import has_interval, interval_ends, measure_words, share_measure  # noqa: E402
from .experiment import National  # noqa: E402

ROW_INCHES = 0.16  # height of one council's row


def ranked_figure(result: National, path: Path) -> Path:
    """Councils ordered by the headline (best at the top), dots and interval bars."""
    h = result.headline
    ran = result.ran.reset_index(drop=True)
    n = len(ran)
    fig, ax = plt.subplots(figsize=(8.5, 1.6 + ROW_INCHES * max(n, 5)))
    y = np.arange(n)[::-1]
    regions = sorted(ran["region"].fillna("").unique())
    colours = plt.get_cmap("tab10")
    scale = 100 if share_measure(h) else 1
    for i, region in enumerate(regions):
        rows = ran["region"].fillna("") == region
        mean = ran.loc[rows, f"{h}_mean"].to_numpy(dtype=float) * scale
        # No bar below 0 (nor above 100 % for a share), and none from fewer than 10 futures.
        ends = [
            interval_ends(r, h) if has_interval(r, h) else (np.nan, np.nan)
            for _, r in ran.loc[rows].iterrows()
        ]
        low = np.array([e[0] for e in ends], dtype=float) * scale
        high = np.array([e[1] for e in ends], dtype=float) * scale
        error = np.vstack([np.nan_to_num(mean - low), np.nan_to_num(high - mean)])
        ax.errorbar(
            mean,
            y[rows.to_numpy()],
            xerr=error,
            fmt="o",
            markersize=3,
            elinewidth=1,
            color=colours(i % 10),
            label=region or "region unknown",
        )
    median = float(np.nanmedian(ran[f"{h}_mean"].to_numpy(dtype=float))) * scale
    ax.axvline(median, color="#888888", linewidth=0.8, linestyle="--", label="median council")
    ax.set_yticks(y)
    ax.set_yticklabels(ran["council"], fontsize=6 if n > 40 else 8)
    ax.set_ylim(-1, n)
    unit = " (%)" if share_measure(h) else ""
    bars = ", 95 % interval" if result.reps >= MIN_FOR_INTERVAL else " (too few for intervals)"
    ax.set_xlabel(f"{measure_words(h)}{unit}: mean of {result.reps} futures{bars}")
    ax.set_xlim(left=0)  # no national measure is below 0: neither dot nor bar goes there
    ax.xaxis.set_ticks_position("both")
    ax.tick_params(axis="x", labeltop=n > 40)
    ax.grid(axis="x", color="#e5e5e5")
    ax.set_title(f"The {result.template} programme in {n} councils, ranked", fontsize=11)
    ax.legend(fontsize=7, loc="lower right", frameon=True)
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")  # long names kept whole
    plt.close(fig)
    return path
