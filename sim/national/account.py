"""The plain account of a national run, printed and saved as ``national.md``: how far the
programme gets in each council, where it lasts and where it does not, which council figures
go with the difference, and which councils could not be run and why.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..experiments.display import MIN_FOR_INTERVAL
from ..model.vocabulary import is_share, value_text
from .experiment import COMMON_CLOCK, National
from .explain import FIGURE_WORDS, MORE_OF, Explanation

LISTED = 5  # councils named at each end of the ranking


def share_measure(measure: str) -> bool:
    """Whether ``measure`` is a share (shown as a percentage)."""
    return is_share(measure) or bool(COMMON_CLOCK.fullmatch(measure))


def _value(measure: str, x: float) -> str:
    if share_measure(measure):
        return "–" if not np.isfinite(x) else f"{x:.0%}"
    return value_text(measure, x)


def measure_words(measure: str) -> str:
    """A measure's name as a reader says it."""
    if measure.startswith("practising_share_m"):
        return f"practising share at month {measure.rsplit('_m', 1)[1]}"
    if measure.startswith("coverage_m"):
        return f"coverage at month {measure.rsplit('_m', 1)[1]}"
    return {
        "practising_share_horizon": "practising share at the horizon",
        "coverage_horizon": "coverage at the horizon",
        "champions_alive_horizon": "a living champion group at the horizon",
        "sustained": "coverage sustained after the last phase",
        "total_cost": "total cost (GBP)",
    }.get(measure, measure)


def has_interval(row: pd.Series, measure: str) -> bool:
    """Whether a council's measure rests on enough futures for an interval (the same rule as
    every other table: none from fewer than :data:`MIN_FOR_INTERVAL`).
    """
    n = row.get(f"{measure}_n", np.nan)
    return not (np.isfinite(n) and n < MIN_FOR_INTERVAL)


def interval_ends(row: pd.Series, measure: str) -> tuple[float, float]:
    """The ends of a council's interval, inside what the measure can be: never below 0 (no
    national measure is negative) nor, for a share, above 100 %.
    """
    low, high = row[f"{measure}_ci_low"], row[f"{measure}_ci_high"]
    return max(low, 0.0), min(high, 1.0) if share_measure(measure) else high


def _council(row: pd.Series, measure: str) -> str:
    mean = row[f"{measure}_mean"]
    low, high = interval_ends(row, measure)
    interval = (
        f" ({_value(measure, low)}–{_value(measure, high)})"
        if np.isfinite(low) and np.isfinite(high) and has_interval(row, measure)
        else ""
    )
    return f"{row['council']} {_value(measure, mean)}{interval}"


def _strength(rho: float) -> str:
    size = abs(rho)
    if size < 0.1:
        return "no clear"
    if size < 0.3:
        return "a weak"
    if size < 0.5:
        return "a moderate"
    return "a strong"


def explanation_lines(explanation: Explanation) -> list[str]:
    """What the council figures say about the spread, in words."""
    h = measure_words(explanation.headline)
    if not explanation.correlations:
        return [f"Too few councils ({explanation.n}) to say which figures explain the differences."]
    lines = []
    ordered = sorted(explanation.correlations.items(), key=lambda kv: -abs(kv[1][0]))
    for figure, (rho, _p, n) in ordered:
        way = "higher" if rho > 0 else "lower"
        lines.append(
            f"- Councils with {MORE_OF[figure]} have {way} {h}: "
            f"{_strength(rho)} rank correlation (Spearman rho = {rho:+.2f}, {n} councils)."
        )
    if explanation.effects and np.isfinite(explanation.r2):
        strongest = max(explanation.effects.items(), key=lambda kv: abs(kv[1]))
        figure, effect = strongest
        amount = (
            f"{100 * abs(effect):.1f} points"
            if share_measure(explanation.headline)
            else f"{abs(effect):.2f}"
        )
        words = [FIGURE_WORDS[f] for f in explanation.effects]
        named = ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]
        lines.append(
            f"- Together, {named} account for {explanation.r2:.0%} of the differences in "
            f"{h} between councils (R² of a linear regression). The largest "
            f"part is {FIGURE_WORDS[figure]}: one standard deviation more goes with "
            f"{amount} {'more' if effect > 0 else 'less'}, the others held fixed."
        )
    return lines


def national_lines(result: National) -> list[str]:
    """The account as Markdown lines (also what the command prints)."""
    h = result.headline
    ran, skipped = result.ran, result.skipped
    template = result.template
    lines = [
        f"# The {template} programme in every council",
        "",
        f"{len(ran)} councils run, {len(skipped)} skipped; {result.reps} futures each "
        f"(seed {result.seed}; replication r of every council uses the same random streams, "
        "so councils differ by their figures alone).",
        "",
        f"## Ranked by {measure_words(h)}",
        "",
    ]
    means = ran[f"{h}_mean"].to_numpy(dtype=float)
    if np.isfinite(means).any():
        lines.append(
            f"Across councils the median is {_value(h, float(np.nanmedian(means)))}, from "
            f"{_value(h, float(np.nanmin(means)))} to {_value(h, float(np.nanmax(means)))} "
            + (
                "(means over futures; 95 % intervals in brackets)."
                if result.reps >= MIN_FOR_INTERVAL
                else f"(means over futures; {result.reps} futures are too few for an interval)."
            )
        )
        lines.append("")
    top = ran.head(LISTED)
    bottom = ran.tail(min(LISTED, max(0, len(ran) - LISTED)))
    lines.append("Highest: " + "; ".join(_council(r, h) for _, r in top.iterrows()) + ".")
    if len(bottom):
        lines.append("Lowest: " + "; ".join(_council(r, h) for _, r in bottom.iterrows()) + ".")
    lines += ["", "## Where it lasts", ""]
    lines += _lasting_lines(ran)
    lines += ["", "## What explains the difference", ""]
    lines += explanation_lines(result.explanation)
    lines += [
        "",
        "These describe the model's councils run with one template on their published "
        "figures, not a causal finding about the real ones.",
    ]
    lines += ["", "## Skipped", ""]
    if len(skipped):
        lines += [f"- {r['council']}: {r['reason']}" for _, r in skipped.iterrows()]
    else:
        lines.append("None: every council's figures gave a scenario.")
    return lines


def _names(frame: pd.DataFrame, most: int = 8) -> str:
    names = list(frame["council"])  # some names hold commas ("Bristol, City of")
    more = f"; and {len(names) - most} more" if len(names) > most else ""
    return "; ".join(names[:most]) + more


def _lasting_lines(ran: pd.DataFrame) -> list[str]:
    lines: list[str] = []
    share = ran["sustained_mean"] if "sustained_mean" in ran else pd.Series(dtype=float)
    judged = ran[np.isfinite(share.to_numpy(dtype=float))] if len(share) else ran.iloc[:0]
    if len(judged):
        lasts = judged[judged["sustained_mean"] >= 0.5].sort_values(
            "sustained_mean", ascending=False
        )
        fades = judged[judged["sustained_mean"] < 0.5].sort_values("sustained_mean")
        lines.append(
            f"Coverage is sustained after the last phase in most futures in {len(lasts)} of "
            f"{len(judged)} councils"
            + (f" ({_names(lasts)})" if len(lasts) else "")
            + "; it is not in "
            + f"{len(fades)}"
            + (f" (lowest first: {_names(fades)})" if len(fades) else "")
            + "."
        )
    else:
        lines.append("Whether coverage is sustained is not judged within the horizon.")
    if "champions_alive_horizon_mean" in ran:
        alive = ran[ran["champions_alive_horizon_mean"] >= 0.5]
        lines.append(
            f"The champion group is still alive at the horizon in most futures in {len(alive)} "
            f"of {len(ran)} councils."
        )
    return lines


def write(result: National, lines: Sequence[str]) -> str:
    """Save the account as ``national.md`` in the run folder; return the file name."""
    if result.folder is None:
        return ""
    (result.folder / "national.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "national.md"
