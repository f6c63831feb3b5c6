"""The report in words: the strategies as run, the answer in sentences, what changed.

Plain text only (no markup): the page's template escapes every piece of it, so that
whatever a user wrote (names, descriptions, sources, strategy names) is shown as text.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ..experiments.display import BOTH_RANGES, range_text, with_interval, with_range
from ..experiments.verdicts import best_and_runner_up, verdict_sentence
from ..model.measures import direction
from ..model.vocabulary import (
    difference_text,
    key_value_text,
    plain_value,
)
from ..scenario import formats
from ..scenario.keys import ScenarioError
from ..scenario.schema import Scenario
from .report_folder import HEADLINE, Folder


def phase_lines(scenario: Scenario) -> list[str]:
    """Each phase as run: its name, months and what it supplies."""
    lines = []
    for phase, (start, end) in zip(scenario.programme.phases, scenario.phase_dates(), strict=True):
        supplies = ", ".join(s.replace("_", " ") for s in phase.supplies) or "nothing"
        lines.append(f"{phase.name}: {_month(start)} to {_month(end)}, supplying {supplies}")
    return lines or ["No phases: the do-nothing strategy"]


def _month(day: date) -> str:
    return day.strftime("%b %Y")


def _levers(scenario: Scenario) -> list[str]:
    """The strategy's main levers in words."""
    f = scenario.programme.foundation
    c = scenario.champions
    posts = sum(r.posts for r in scenario.workforce.roles.values())
    offer = "offered" if f.offer_new_starters else "not offered"
    lines = [
        f"{posts} posts; {scenario.scenario.horizon_months} months from "
        f"{_month(scenario.scenario.start)}",
        f"{f.cohorts} cohorts of {f.cohort_size} places, one every {plain_value(f.interval_months)}"
        f" months; places allocated: {f.allocation.replace('_', ' ')}; new starters {offer} places",
    ]
    if c.target:
        lines.append(
            f"{c.target} champions; leavers replaced: {c.replacement.replace('_', ' ')}; "
            f"{plain_value(c.induction_places_per_champion_per_month)} inductions of new "
            "starters per champion a month"
        )
    else:
        lines.append("No champions")
    return lines


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}{k}."))
        return out
    if isinstance(value, list | tuple) and value and all(isinstance(v, dict) for v in value):
        out = {}
        for i, v in enumerate(value):
            out.update(_flatten(v, f"{prefix}{i}."))
        return out
    return {prefix[:-1]: value}


def differences_in_words(base: Scenario, other: Scenario) -> list[str]:
    """How ``other`` differs from ``base``, key by key, in plain words."""
    a = _flatten(base.model_dump(mode="python", exclude={"sources"}))
    b = _flatten(other.model_dump(mode="python", exclude={"sources"}))
    changed = [k for k in b if a.get(k) != b[k] and b[k] is not None]
    changed += [k for k in a if k not in b and a[k] is not None]  # None: a table now given
    words = []
    for key in dict.fromkeys(changed):
        if key.endswith(".name") or key.startswith("scenario.description"):
            continue
        words.append(key_value_text(key, b.get(key), other))
    dates = [f"{p} {_month(s)} to {_month(e)}" for p, (s, e) in _phase_dates_named(other)]
    if dates and any(key.startswith("programme.phases") for key in changed):
        words.append("so its phases run: " + "; ".join(dates))
    return words or ["the same scenario"]


def _strategies_as_run(folder: Folder) -> str:
    """The strategies of a comparison in words: the first by its phases, the others by how
    they differ from it (what was run, whatever the file's description says).
    """
    first, *others = folder.scenarios.items()
    words = [f"{first[0]} ({'; '.join(phase_lines(first[1]))})"]
    for label, scenario in others:
        words.append(f"{label} ({'; '.join(differences_in_words(first[1], scenario))})")
    return ", ".join(words)


def _description_holds(folder: Folder) -> bool:
    """Whether the scenario's own description text describes what was run: a run of a
    scenario file as it stands, without --set. A comparison, a sweep, a run with changes
    or from the app (levers) may have moved what the description speaks of (Phase 2's
    date, the cohorts), so its text is not shown as theirs.
    """
    manifest = folder.manifest
    return (
        folder.kind == "run"
        and bool(folder.scenario.scenario.description)
        and bool(manifest.get("scenario_file"))
        and not manifest.get("overrides")
    )


def _phase_dates_named(scenario: Scenario) -> list[tuple[str, tuple[date, date]]]:
    return [
        (p.name, d) for p, d in zip(scenario.programme.phases, scenario.phase_dates(), strict=True)
    ]


# --------------------------------------------------------------------------- the answer


def run_answer(folder: Folder, stats: pd.DataFrame) -> list[str]:
    """A run's answer in sentences."""
    s = folder.scenario
    by = stats.set_index("measure")
    months = [m for m in s.clock_months() if f"coverage_m{m}" in by.index]
    sentences = []
    if months:
        peak = max(months, key=lambda m: by.loc[f"coverage_m{m}", "mean"])
        last = months[-1]

        def at(name: str, month: int) -> str:
            return with_range(f"{name}_m{month}", by.loc[f"{name}_m{month}"], words=True)

        # A figure with both ranges holds a semicolon of its own ("...; in 9 futures of 10
        # between ..."): each stands after its label, in a sentence of its own.
        sentences += [
            f"Share of permanent staff trained in {_month_after(s, peak)} ({peak} months in): "
            f"{at('coverage', peak)}. Practising then: {at('practising_share', peak)}.",
            f"Trained in {_month_after(s, last)} ({last} months in): {at('coverage', last)}. "
            f"Practising then: {at('practising_share', last)}.",
        ]
    if HEADLINE in by.index:
        sentences.append(
            "Practising person-months over the whole run: "
            f"{with_range(HEADLINE, by.loc[HEADLINE], words=True)}. Total cost: "
            f"{with_range('total_cost', by.loc['total_cost'], words=True)}."
        )
    sentences.append(f"Across {folder.reps} futures (replications); each figure: {BOTH_RANGES}.")
    return sentences


def _month_after(scenario: Scenario, months: int) -> str:
    from ..scenario.clock import add_months

    return _month(add_months(scenario.scenario.start, months))


def compare_answer(folder: Folder, differences: pd.DataFrame) -> list[str]:
    """A comparison's answer in sentences: each strategy against the first (named "the plan
    we run (NAME)" when the comparison started from a saved plan, ``plan:NAME``).
    """
    base = baseline_words(folder)
    sentences = []
    by = differences.set_index(["strategy", "measure"])
    for name in folder.strategies[1:]:
        if (name, HEADLINE) not in by.index:
            continue
        row = by.loc[(name, HEADLINE)]
        low, high = row["ci_low"], row["ci_high"]
        mean = row["mean_difference"]
        if np.isfinite(low) and np.isfinite(high) and (low > 0 or high < 0):
            sure = (
                "the interval of the average does not include zero, so this many futures tell "
                "the two apart over this horizon"
            )
        else:
            sure = "the interval includes zero: with this many futures, no clear difference"
        spread = range_text(HEADLINE, row, difference_text)
        if spread:
            between = spread.replace(" to ", " and ", 1)
            sure += f"; in 9 futures of 10 the difference is between {between}"
        more = "more" if mean >= 0 else "fewer"
        cost = ""
        if (name, "total_cost") in by.index:
            c = by.loc[(name, "total_cost")]
            cost = (
                f", and its total cost differs by "
                f"{with_interval('total_cost', c, difference_text, 'mean_difference')}"
            )
        sentences.append(
            f"{name} gives {formats.count(abs(mean))} {more} practising person-months over the "
            f"whole run than {base} (95% interval {difference_text(HEADLINE, low)} to "
            f"{difference_text(HEADLINE, high)}; {sure}); it is ahead in "
            f"{formats.percent(row['share_better'])} of the same futures and behind in "
            f"{formats.percent(row['share_worse'])}{cost}."
        )
    sentences += horizon_sentences(folder)
    sentences.append(
        "Practising person-months add up the whole run, so every strategy is judged on the same "
        "dates; a share at one date favours whichever strategy trained closest to it (see the "
        "table for every date of the common clock)."
    )
    return sentences


def baseline_words(folder: Folder) -> str:
    """How the first strategy of a comparison is named: "the plan we run (NAME)" when the
    command named a saved plan first, else its own name.
    """
    asked = folder.manifest.get("compare") or []
    first = asked[0] if isinstance(asked, list) and asked else ""
    if isinstance(first, str) and first.startswith("plan:"):
        return f"the plan we run ({folder.strategies[0]})"
    return folder.strategies[0]


def horizon_sentences(folder: Folder) -> list[str]:
    """When the sign of a total's difference changes within the horizon, one sentence each
    (from ``horizons.csv``); the discount rate when one is set.
    """
    from .account import horizon_lines

    horizons = folder.table("horizons.csv")
    if horizons is None or not len(horizons):
        return []
    return [line for line in horizon_lines(horizons, folder.strategies, folder.scenario) if line]


def sweep_answer(folder: Folder, sweep: pd.DataFrame, target: pd.DataFrame | None) -> list[str]:
    """A sweep's answer in sentences: the best point and how clearly."""
    grid = folder.manifest.get("grid") or {}
    keys = list(grid)
    metric = folder.manifest.get("metric") or HEADLINE
    part = sweep[sweep["measure"] == metric]
    sentences = []
    replications = folder.table("sweep_replications.csv")
    if len(part) and replications is not None and metric in replications:
        sign = direction(metric) or 1
        points = part.set_index("point")

        def where(point) -> str:
            row = points.loc[point]
            return "; ".join(key_value_text(k, _cell(row[k]), folder.scenario) for k in keys)

        verdict = best_and_runner_up(replications, "point", metric, sign)
        if verdict is not None:
            best = points.loc[verdict.best]
            sentences.append(
                "Of the values tried: "
                + verdict_sentence(verdict, metric, where, folder.scenario)
                + f" At {where(verdict.best)}: {with_range(metric, best, words=True)}."
            )
        worst = part.loc[(sign * part["mean"]).idxmin()]
        sentences.append(
            f"The least is {with_range(metric, worst, words=True)}, with {where(worst['point'])}."
        )
    if target is not None and len(target):
        condition = str(target["target"].iloc[0])
        probability = float(folder.manifest.get("probability") or 0.9)
        met = target[target["meets"].astype(str).str.lower() == "true"]
        if len(met):
            listed = ", ".join(
                " and ".join(key_value_text(k, _cell(r[k]), folder.scenario) for k in keys)
                for _, r in met.iterrows()
            )
            sentences.append(
                f"The target {condition} is met in at least {formats.percent(probability)} of "
                f"futures for: {listed}."
            )
        else:
            sentences.append(
                f"No value tried meets the target {condition} in {formats.percent(probability)} "
                "of futures."
            )
    horizons = folder.table("horizons.csv")
    if horizons is not None and "point" in horizons and len(part):
        from types import SimpleNamespace

        from .account import sweep_horizon_lines

        view = SimpleNamespace(horizons=horizons, sweep=sweep, keys=keys, scenario=folder.scenario)
        sentences += sweep_horizon_lines(view)
    sentences.append(f"Across {folder.reps} futures at each value; each figure: {BOTH_RANGES}.")
    return sentences


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _flat(data: Any, prefix: str = "") -> dict[str, Any]:
    """A scenario's values by dotted path (array elements by their index)."""
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list) and any(isinstance(v, (dict, list)) for v in data):
        items = ((str(i), v) for i, v in enumerate(data))
    else:
        return {prefix: data}
    out: dict[str, Any] = {}
    for key, value in items:
        out.update(_flat(value, f"{prefix}.{key}" if prefix else f"{key}"))
    return out


# Keys that describe a scenario rather than set a figure: not "changed values".
_NOT_FIGURES = ("name", "description", "sources")


def changed_values(folder: Folder) -> dict[str, tuple[Any, Any]]:
    """The values the run changed from its scenario file: dotted path → (the file's value,
    the run's). The file is the one the manifest records (a bundled name or a path); when it
    cannot be read any more, the manifest's ``--set`` overrides say which keys changed (the
    file's value then unknown).
    """
    from ..scenario.loading import load_scenario, resolve_scenario

    run = _flat(folder.scenario.model_dump(mode="json"))
    source = folder.manifest.get("scenario_file")
    try:
        original = load_scenario(resolve_scenario(str(source)))
    except (ScenarioError, OSError, ValueError):
        overrides = [o.split("=", 1)[0].strip() for o in folder.manifest.get("overrides") or []]
        return {k: (_UNKNOWN, run.get(k)) for k in overrides}
    before = _flat(original.model_dump(mode="json"))
    return {
        k: (before.get(k), run.get(k))
        for k in sorted(set(run) | set(before))
        if before.get(k) != run.get(k) and k.split(".", 1)[0] not in _NOT_FIGURES
    }


_UNKNOWN = object()  # the file's value, when the file cannot be read any more


def _value_words(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_value_words(v) for v in value) or "none"
    return plain_value(value) if not isinstance(value, dict) else f"{value}"


def _changed_text(was: Any, now: Any) -> str:
    if was is _UNKNOWN:
        return f"changed by this run (--set): {_value_words(now)} here"
    if was is None:
        return f"changed by this run: not set in the file, {_value_words(now)} here"
    if now is None:
        return f"changed by this run: {_value_words(was)} in the file, not set here"
    return f"changed by this run: {_value_words(was)} in the file, {_value_words(now)} here"
