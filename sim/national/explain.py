"""What explains the spread between councils: rank correlations of the headline measure with
each council's figures, and a small regression of it on turnover, vacancy and agency cover.

The councils run the same programme on the same seeds, so their results differ only by their
workforce figures; these summaries say which figures go with a programme that lasts. They
describe the model's councils, not a causal finding about real ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

# The council figures related to the headline: how a sentence names more of each
# ("Councils with higher turnover …"), and the figure itself ("turnover, vacancy rate …").
MORE_OF = {
    "turnover": "higher turnover",
    "vacancy_rate": "a higher vacancy rate",
    "agency_cover": "more of their vacancies covered by agency staff",
    "hiring_delay_months": "posts that stay vacant longer",
    "posts": "more posts",
}
FIGURE_WORDS = {
    "turnover": "turnover",
    "vacancy_rate": "vacancy rate",
    "agency_cover": "agency cover",
    "hiring_delay_months": "time a post stays vacant",
    "posts": "posts",
}
REGRESSORS = ("turnover", "vacancy_rate", "agency_cover")
MIN_COUNCILS = 5  # fewer councils than this say nothing about what explains the spread


@dataclass
class Explanation:
    """``correlations``: figure → (Spearman rho, p-value, n); ``effects``: figure → change in
    the headline per standard deviation of the figure, the others held fixed; ``r2``.
    """

    headline: str
    n: int
    correlations: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    effects: dict[str, float] = field(default_factory=dict)
    r2: float = float("nan")

    def as_record(self) -> dict[str, Any]:
        """The explanation as a plain record for the manifest."""
        return {
            "headline": self.headline,
            "councils": self.n,
            "spearman": {
                k: {"rho": r, "p": p, "n": n} for k, (r, p, n) in self.correlations.items()
            },
            "regression_per_sd": self.effects,
            "r2": self.r2 if np.isfinite(self.r2) else None,
        }


def explain(table: pd.DataFrame, headline: str) -> Explanation:
    """Relate the headline's mean per council to the council's figures (councils run only)."""
    ran = table[table["status"] == "run"]
    y = ran[f"{headline}_mean"].to_numpy(dtype=float)
    result = Explanation(headline, int(np.isfinite(y).sum()))
    if result.n < MIN_COUNCILS:
        return result
    for figure in FIGURE_WORDS:
        x = ran[figure].to_numpy(dtype=float)
        keep = np.isfinite(x) & np.isfinite(y)
        if keep.sum() < MIN_COUNCILS or np.ptp(x[keep]) == 0 or np.ptp(y[keep]) == 0:
            continue
        rho, p = stats.spearmanr(x[keep], y[keep])
        result.correlations[figure] = (float(rho), float(p), int(keep.sum()))
    x = ran[list(REGRESSORS)].to_numpy(dtype=float)
    keep = np.isfinite(x).all(axis=1) & np.isfinite(y)
    if keep.sum() > len(REGRESSORS) + 2:
        xs, ys = x[keep], y[keep]
        sd = xs.std(axis=0, ddof=1)
        usable = sd > 0
        z = (xs[:, usable] - xs[:, usable].mean(axis=0)) / sd[usable]
        design = np.column_stack([np.ones(len(z)), z])
        coef, *_ = np.linalg.lstsq(design, ys, rcond=None)
        fitted = design @ coef
        total = ((ys - ys.mean()) ** 2).sum()
        result.r2 = float(1 - ((ys - fitted) ** 2).sum() / total) if total > 0 else float("nan")
        names = [r for r, u in zip(REGRESSORS, usable, strict=True) if u]
        result.effects = {name: float(b) for name, b in zip(names, coef[1:], strict=True)}
    return result
