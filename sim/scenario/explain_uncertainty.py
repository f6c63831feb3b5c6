"""``rollout validate``, the uncertain assumptions: which figures each future draws afresh.

Each ``[uncertainty]`` entry is listed in plain words (what the family says about the value,
without computing quantiles: ``validate`` loads no SciPy), with its source; the workforce's
factors are also put in the roles' own terms (the turnover each future may face). Keys a
set value fixed or shifted for this run (:mod:`.fixing`) are named as well.
"""

from __future__ import annotations

from .explain_staff import Report
from .fixing import fixed_lines
from .schema import Scenario
from .uncertainty import Distribution

# What a workforce factor multiplies, in words, and the role key it scales.
FACTORS = {
    "workforce.turnover_factor": ("every role's turnover", "turnover"),
    "workforce.hiring_delay_factor": ("every role's hiring delay", "hiring_delay_months"),
}


def spread_text(d: Distribution) -> str:
    """A distribution in plain words: "around 0.62 (sd 0.08, beta)", "anywhere from 6.5 to 13"."""
    if d.distribution == "uniform":
        return f"anywhere from {d.low:g} to {d.high:g}, equally likely"
    if d.distribution == "triangular":
        return f"from {d.low:g} to {d.high:g}, most likely {d.mode:g}"
    return f"around {d.mean:g} (sd {d.sd:g}, {d.distribution})"


def _factor_text(scenario: Scenario, key: str, d: Distribution) -> str:
    what, field = FACTORS[key]
    values = sorted({getattr(r, field) for r in scenario.workforce.roles.values()})
    if d.mean is None or d.sd is None or not values:
        return f"multiplies {what}"
    low, high = max(0.0, d.mean - d.sd), d.mean + d.sd
    if field == "turnover":
        shown = ", ".join(
            f"{100 * v:.1f}% a year, within one sd {100 * v * low:.1f}-{100 * v * high:.1f}%"
            for v in values
        )
    else:
        shown = ", ".join(
            f"{v:.1f} months, within one sd {v * low:.1f}-{v * high:.1f}" for v in values
        )
    return f"multiplies {what}, the same draw for all roles ({shown})"


def uncertainty_section(report: Report, scenario: Scenario) -> None:
    """The heading "Uncertain assumptions: N", one line per entry, and the fixed keys."""
    table = scenario.uncertainty
    report.heading(f"Uncertain assumptions: {len(table) or 'none'}")
    if table:
        report.say(
            "Each future (replication) draws its own value of these, so the intervals carry "
            "what is not known as well as who leaves when (--point-values runs without them):"
        )
    else:
        report.say("Every figure is taken as certain: the intervals carry only who leaves when.")
    for key, d in table.items():
        words = spread_text(d)
        if key in FACTORS:
            words += "; " + _factor_text(scenario, key, d)
        report.say(f"{key}: {words}. Source: {d.source}", indent=2)
    for line in fixed_lines(scenario):
        report.say(f"{line}.", indent=2)
