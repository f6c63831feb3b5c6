"""What the web app does, as plain functions the page calls and the tests call directly.

Where a scenario comes from (a bundled one, a council's DfE figures through the same
builder as ``rollout new``, or an uploaded file checked exactly as the command line checks
one), the levers a planner moves and the scenario keys they set, the problems and warnings
placed next to the lever they concern, and the experiments with everything a page shows or
offers for download (pictures, tables, the board report, the workbook, the scenario as
TOML). Nothing here imports Streamlit; :mod:`sim.app.page` is the thin page on top.

An uploaded file is read as TOML text and validated; nothing in it is executed, and it is
kept only in the page's session (the experiments write into a temporary folder removed
before the function returns).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

from ..scenario.keys import ScenarioError
from ..scenario.lever_registry import app_keys
from ..scenario.limits import MAX_FILE_BYTES
from ..scenario.loading import bundled_names, load_scenario, resolve_scenario, scenario_from_text
from ..scenario.programme_schema import SUPPLIES
from ..scenario.schema import Scenario, validate

MAX_UPLOAD_BYTES = MAX_FILE_BYTES  # what the command line reads (serve.py: Streamlit's limit)
MAX_STRATEGIES = 4
ALLOCATIONS = ("mixed", "senior_first", "whole_teams", "random")
REPLACEMENTS = ("none", "at_once", "yearly")
Progress = Callable[[int, int], None]


# --------------------------------------------------------------------------- where from


def bundled() -> list[str]:
    """The names of the bundled scenarios."""
    return bundled_names()


def from_bundled(name: str) -> Scenario:
    """A bundled scenario, loaded and validated."""
    return load_scenario(resolve_scenario(name))


def council_names() -> list[str]:
    """Every council with DfE figures, in alphabetical order."""
    from ..councils.figures import councils

    return sorted(councils())


def default_start() -> date:
    """The start date a council's scenario gets unless the planner picks one: the same as
    ``rollout new``'s (the next 1 April).
    """
    from ..councils.builder import next_april

    return next_april()


def from_council(council: str, template: str = "camden", start: date | None = None) -> Scenario:
    """A council's starting scenario, built as ``rollout new --council`` builds it, with
    places per cohort lowered until every cohort can fill (:func:`fill_cohorts`).
    """
    return fill_cohorts(council_as_built(council, template, start))[0]


def council_as_built(council: str, template: str = "camden", start: date | None = None) -> Scenario:
    """A council's starting scenario exactly as ``rollout new --council`` builds it."""
    from ..councils.builder import new_scenario

    made = new_scenario(council, template=template, start=start or default_start())
    return scenario_from_text(made.text, f"<{made.council}>")


_TOO_MANY = re.compile(r"offers (\d+) places but only about (\d+) people")
SIZE_KEY = "programme.foundation.cohort_size"
COHORTS_KEY = "programme.foundation.cohorts"
MIN_COHORT = 2  # never cohorts of one


def _too_many_places(scenario: Scenario) -> tuple[int, int] | None:
    """(places, people) when Phase 1 offers more places than people can take them."""
    for warning in explanation(scenario).warnings:
        key, _, text = warning.partition(": ")
        match = _TOO_MANY.search(text)
        if key == SIZE_KEY and match:
            return int(match.group(1)), int(match.group(2))
    return None


def _cohorts(cohorts: int, size: int) -> str:
    return f"{cohorts} cohorts of {size} place{'s' if size != 1 else ''}"


def fill_cohorts(scenario: Scenario) -> tuple[Scenario, str]:
    """The scenario with fewer places per cohort (or, for a tiny council, fewer cohorts) so
    that every cohort fills, and a sentence saying what was changed ("" when nothing was).

    A template's cohorts are sized for Camden; a council's start should not open with a
    warning the planner did not cause. Cohorts never shrink below :data:`MIN_COHORT`.
    """
    found = _too_many_places(scenario)
    if found is None:
        return scenario, ""
    f = scenario.programme.foundation
    size, cohorts = f.cohort_size, f.cohorts
    before = (size, cohorts)
    for _ in range(200):  # each step removes places; a few steps suffice in practice
        places, people = found
        wanted = max(MIN_COHORT, min(size - 1, (size * people) // max(places, 1)))
        if wanted < size and size > MIN_COHORT:
            size = wanted
        elif cohorts > 1:
            cohorts -= 1
        else:
            break
        scenario = scenario.with_changes(
            {SIZE_KEY: size, COHORTS_KEY: cohorts}, source="the app's council start"
        )
        found = _too_many_places(scenario)
        if found is None:
            break
    if (size, cohorts) == before:
        return scenario, ""
    return scenario, (
        f"So that every cohort fills, this start has {_cohorts(cohorts, size)} (the template "
        f"has {_cohorts(*before[::-1])}): about {people:,} people can take places."
    )


def from_upload(name: str, data: bytes) -> Scenario:
    """An uploaded scenario file, checked exactly as ``rollout validate`` checks a file.

    Raises
    ------
    ScenarioError
        One line per problem, each naming the file and the key.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise ScenarioError(
            [
                f"{name}: the file is {len(data):,} bytes; a scenario file may be at most "
                f"{MAX_UPLOAD_BYTES:,} bytes"
            ]
        )
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark (some Windows editors) is fine
    except UnicodeDecodeError:
        raise ScenarioError([f"{name}: not a text file (UTF-8 TOML expected)"]) from None
    try:
        return scenario_from_text(text, name)
    except ScenarioError:
        raise
    except Exception as exc:  # a defect, but the page shows a line, never a stack trace
        raise ScenarioError(
            [f"{name}: this file could not be checked ({type(exc).__name__}); please report it"]
        ) from exc


_LINE = re.compile(r"^(?P<source>.*?): (?P<key>[A-Za-z0-9_\-.\"]+(?: \(from --set\))?): ")


def problems_by_key(lines: Sequence[str]) -> dict[str, list[str]]:
    """Problem lines grouped by the dotted key they name ("" for the file as a whole).

    ``camden.toml: programme.foundation.cohort_size: must be ≥ 1, got -3`` goes under
    ``programme.foundation.cohort_size`` as "must be ≥ 1, got -3".
    """
    grouped: dict[str, list[str]] = {}
    for line in lines:
        match = _LINE.match(line)
        if match and "." in match.group("key") or (match and match.group("key") == "sources"):
            key = match.group("key").replace(" (from --set)", "")
            grouped.setdefault(key, []).append(line[match.end() :])
        else:
            text = line.split(": ", 1)[1] if ": " in line else line
            grouped.setdefault("", []).append(text)
    return grouped


def warning_lever(key: str, text: str, scenario: Scenario) -> str | None:
    """The lever a warning belongs under: its key's lever, except that a warning on the
    foundation design that speaks of Phase 2 ("Phase 2 offers 90 places…") goes under Phase
    2's lever, since Phase 2's cohorts are what the planner moved.
    """
    phases = scenario.programme.phases
    if len(phases) >= 2 and key.startswith("programme.foundation"):
        second = phases[1].name or "Phase 2"
        if text.startswith(second) or f"{second} cohort" in text:
            return "phase2_cohorts"
    return lever_for_key(key)


def warnings_by_key(warnings: Sequence[str]) -> dict[str, list[str]]:
    """``rollout validate``'s warnings ("key: text") grouped by key."""
    grouped: dict[str, list[str]] = {}
    for warning in warnings:
        key, _, text = warning.partition(": ")
        grouped.setdefault(key, []).append(text)
    return grouped


def explanation(scenario: Scenario):
    """What ``rollout validate`` says of the scenario (a Report: lines and warnings)."""
    from ..scenario.explain import explain

    return explain(scenario, source=scenario.name or "scenario")


def heading_words(base: Scenario, scenario: Scenario) -> str:
    """What the page says under its heading: the strategy as it will run.

    The scenario's own description was written for the file as loaded; once a lever moves
    what it speaks of (Phase 2's date, the cohorts), it is no longer shown as this strategy's.
    """
    from ..outputs.report import differences_in_words, phase_lines

    phases = "; ".join(phase_lines(scenario))
    if scenario.model_dump() == base.model_dump():
        own = base.scenario.description
        return f"{own} As run: {phases}." if own else f"As run: {phases}."
    words = differences_in_words(base, scenario)
    changed = "; ".join(w for w in words if not w.startswith("so its phases run"))
    return f"As run: {phases}. Changed by the levers from {base.name or 'the scenario'}: {changed}."


# --------------------------------------------------------------------------- the levers


@dataclass(frozen=True)
class Levers:
    """The levers the page offers, and the keys they set (see :data:`LEVER_KEYS`).

    A field's name is the ``app`` name of a lever of the registry
    (:mod:`sim.scenario.lever_registry`), which gives its key and its words; the page
    builds one widget per field.
    """

    horizon_months: int
    cohorts: int
    cohort_size: int
    allocation: str
    offer_new_starters: bool
    champions: int
    induction_places: float
    replacement: str
    phase2_after_months: int | None = None  # None: the scenario has no second phase
    phase2_months: int | None = None
    phase2_supplies: tuple[str, ...] = ()
    phase2_cohorts: int | None = None
    # A workforce shock ([workforce.shock]): None leaves the scenario's own (if any) as it is.
    shock_turnover_points: float | None = None
    shock_start_after_months: float | None = None
    shock_months: float | None = None
    shock_hiring_freeze: bool | None = None
    shock_posts_cut: float | None = None


SHOCK_LEVERS = tuple(f.name for f in fields(Levers) if f.name.startswith("shock_"))
SHOCK_TABLE = "workforce.shock"
# What the shock's controls offer when the scenario has no shock of its own: a spell of
# five points more turnover for a year, a year in (the registry's nudges).
SHOCK_SUGGESTED = {
    "shock_turnover_points": 5.0,
    "shock_start_after_months": 12.0,
    "shock_months": 12.0,
    "shock_hiring_freeze": False,
    "shock_posts_cut": 0.0,
}


# The app's name of each lever → the key it sets, from the lever registry (its ``app``
# names): a lever's key, label and meaning live in its registry entry only.
LEVER_KEYS = app_keys()


def _months_between(first: date, second: date) -> int:
    """Whole months from ``first`` to ``second`` (rounded: a phase placed by dates)."""
    months = (second.year - first.year) * 12 + second.month - first.month
    return months + (1 if second.day - first.day > 15 else -1 if first.day - second.day > 15 else 0)


def levers_of(scenario: Scenario) -> Levers:
    """The levers' values in a scenario."""
    f = scenario.programme.foundation
    c = scenario.champions
    phase2: dict[str, Any] = {}
    phases = scenario.programme.phases
    if len(phases) >= 2:
        (_, end1), (start2, end2) = scenario.phase_dates()[:2]
        after_end = date.fromordinal(end1.toordinal() + 1)
        design = scenario.programme.foundation_for(phases[1])
        phase2 = {
            "phase2_after_months": max(0, _months_between(after_end, start2)),
            "phase2_months": max(
                1, _months_between(start2, date.fromordinal(end2.toordinal() + 1))
            ),
            "phase2_supplies": tuple(phases[1].supplies),
            "phase2_cohorts": design.cohorts,
        }
    return Levers(
        horizon_months=scenario.scenario.horizon_months,
        cohorts=f.cohorts,
        cohort_size=f.cohort_size,
        allocation=f.allocation,
        offer_new_starters=f.offer_new_starters,
        champions=c.target,
        induction_places=float(c.induction_places_per_champion_per_month),
        replacement=c.replacement,
        **phase2,
        **shock_of(scenario),
    )


def shock_of(scenario: Scenario) -> dict[str, Any]:
    """The shock levers' values in a scenario (all None when it has no shock table)."""
    shock = scenario.workforce.shock
    if shock is None:
        return {}
    return {name: getattr(shock, name.removeprefix("shock_")) for name in SHOCK_LEVERS}


def shock_controls_start(scenario: Scenario) -> dict[str, Any]:
    """Where the shock's controls start: the scenario's own shock, else :data:`SHOCK_SUGGESTED`."""
    return shock_of(scenario) or dict(SHOCK_SUGGESTED)


def with_shock(levers: Levers, shock: Mapping[str, Any] | None) -> Levers:
    """The levers with the shock's controls set (``None``: the scenario's own shock kept)."""
    values = dict.fromkeys(SHOCK_LEVERS) if shock is None else dict(shock)
    return Levers(**{**asdict(levers), **values})


def lever_changes(scenario: Scenario, levers: Levers) -> dict[str, Any]:
    """The dotted-key changes that give ``scenario`` these levers (only what differs).

    Phase 2's timing, once moved, is set relative to Phase 1 (``start_after_months`` and
    ``months`` together), so its length stays what the lever says. Phase 2's cohorts and
    its offer to new starters are set on the phase when it supplies foundation training.
    """
    now = levers_of(scenario)
    changes: dict[str, Any] = {}
    for item in fields(Levers):
        name = item.name
        value, before = getattr(levers, name), getattr(now, name)
        if value is None or value == before:
            continue
        if name in ("phase2_after_months", "phase2_months"):
            changes[LEVER_KEYS["phase2_after_months"]] = levers.phase2_after_months
            changes[LEVER_KEYS["phase2_months"]] = levers.phase2_months
        elif name == "phase2_supplies":
            changes[LEVER_KEYS[name]] = list(value)
        else:
            changes[LEVER_KEYS[name]] = value
    trains = "foundation" in (levers.phase2_supplies or ())
    override: dict[str, Any] = {}
    cohorts_key = LEVER_KEYS["phase2_cohorts"]
    if cohorts_key in changes:
        override["cohorts"] = changes.pop(cohorts_key)
    if trains and levers.offer_new_starters != now.offer_new_starters:
        override["offer_new_starters"] = levers.offer_new_starters
    if trains and override:
        phases = scenario.programme.phases
        if phases[1].foundation is None:  # no table yet: give the phase one
            changes["programme.phases.1.foundation"] = override
        else:
            changes.update({f"programme.phases.1.foundation.{k}": v for k, v in override.items()})
    if scenario.workforce.shock is None:  # no table yet: give the workforce one
        table = {
            LEVER_KEYS[name].removeprefix(SHOCK_TABLE + "."): changes.pop(LEVER_KEYS[name])
            for name in SHOCK_LEVERS
            if LEVER_KEYS[name] in changes
        }
        if table:
            changes[SHOCK_TABLE] = table
    return changes


def apply_levers(scenario: Scenario, levers: Levers) -> Scenario:
    """The scenario with the levers applied, validated; every problem at once.

    Raises
    ------
    ScenarioError
        Lines that name the key (``problems_by_key`` places them next to their lever).
    """
    changes = lever_changes(scenario, levers)
    return scenario.with_changes(changes, source="levers") if changes else scenario


def phase2_supply_choices(scenario: Scenario) -> list[str]:
    """What Phase 2 may supply: the programme's supplies and its provider groups."""
    return [*SUPPLIES, *scenario.programme.groups]


def lever_for_key(key: str) -> str | None:
    """The lever that sets ``key`` (for placing a problem or warning next to it)."""
    for name, lever_key in LEVER_KEYS.items():
        if key == lever_key or key.startswith(lever_key + "."):
            return name
    if key.startswith("programme.phases.1.foundation"):
        return "phase2_cohorts"
    if key.startswith("programme.phases.1"):
        return "phase2_after_months"
    if key.startswith("programme.foundation"):
        return "cohorts"
    if key.startswith("champions"):
        return "champions"
    if key.startswith(SHOCK_TABLE):
        return "shock_months"
    return None


# --------------------------------------------------------------------------- experiments


# Beside the scenario's keys in the app's JSON: the keys its levers fixed, so that a run's
# manifest records them (sim.scenario.fixing).
FIXED_JSON_KEY = "_fixed_by_levers"


def to_json(scenario: Scenario) -> str:
    """The scenario as JSON: the cache key of every experiment (with the seed)."""
    data = scenario.model_dump(mode="json")
    if scenario.fixed:
        data[FIXED_JSON_KEY] = scenario.fixed
    return json.dumps(data, sort_keys=True)


def from_json(text: str) -> Scenario:
    """A scenario from the app's JSON form, validated, with its fixed keys restored."""
    data = json.loads(text)
    fixed = data.pop(FIXED_JSON_KEY, None)
    scenario = validate(data, "<app>")
    return scenario.with_fixed(fixed) if fixed else scenario


def _bundle(folder: Path, files: Sequence[str]) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in files if (folder / name).is_file()}


def _finish(result, folder: Path) -> dict[str, bytes]:
    """Pictures, report and workbook of a finished experiment in ``folder``, as bytes."""
    from ..outputs import draw
    from ..outputs.report import write_report

    draw(result)
    write_report(folder)
    names = [p.name for p in folder.iterdir() if p.is_file()]
    return _bundle(folder, names)


def run_experiment(
    scenario_json: str,
    seed: int,
    reps: int,
    progress: Progress | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """Run a scenario: tables, and the folder's files (pictures, CSVs, report) as bytes."""
    from .. import experiments
    from ..experiments.display import few_futures_note, run_table

    scenario = from_json(scenario_json)
    with tempfile.TemporaryDirectory(prefix="rollout-app-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        result = experiments.run(
            scenario,
            reps=reps,
            seed=seed,
            out=work / "run",
            progress=progress,
            workers=workers,
            name=scenario.name or "app",
        )
        files = _finish(result, work / "run")
        return {
            "summary_stats": result.summary_stats,
            "table": run_table(result.summary_stats, scenario, few_said=True),
            "few": few_futures_note(result.summary_stats),
            "files": files,
        }


def compare_experiment(
    strategies: Mapping[str, str],
    seed: int,
    reps: int,
    progress: Progress | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """Compare strategies (name → scenario JSON, or such pairs) on the same futures."""
    from .. import experiments
    from ..experiments.display import comparison_table, few_futures_note
    from .words import comparison_tables

    scenarios = {name: from_json(text) for name, text in dict(strategies).items()}
    first = next(iter(scenarios.values()))
    with tempfile.TemporaryDirectory(prefix="rollout-app-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        result = experiments.compare(
            scenarios,
            reps=reps,
            seed=seed,
            out=work / "compare",
            progress=progress,
            workers=workers,
            name=f"compare-{first.name or 'app'}",
        )
        files = _finish(result, work / "compare")
        from ..outputs.account import horizon_lines

        return {
            "comparison": result.comparison,
            "differences": result.differences,
            "few": few_futures_note(result.comparison),
            "horizons": [
                line for line in horizon_lines(result.horizons, result.strategies, first) if line
            ],
            "table": comparison_table(
                result.comparison, result.differences, result.strategies, first
            ),
            **dict(
                zip(
                    ("levels", "changes"),
                    comparison_tables(
                        result.comparison, result.differences, result.strategies, first
                    ),
                    strict=True,
                )
            ),
            "files": files,
        }


PHASE2_DELAY = "programme.phases.1.start_after_months"


def phase2_sweep(
    scenario_json: str,
    delays: Sequence[int],
    phase_months: int,
    metric: str,
    target: str | None,
    probability: float,
    seed: int,
    reps: int,
    progress: Progress | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """The Phase-2 timing question as a sweep of the gap before Phase 2, its length fixed."""
    from .. import experiments
    from ..experiments.display import sweep_table
    from ..experiments.targets import parse_target
    from ..model.measures import summary_columns
    from ..outputs.account import sweep_answers, sweep_horizon_lines

    scenario = from_json(scenario_json).with_changes(
        {PHASE2_DELAY: int(delays[0]), "programme.phases.1.months": int(phase_months)},
        source="levers",
    )
    wanted = parse_target(target, summary_columns(scenario)) if target else None
    with tempfile.TemporaryDirectory(prefix="rollout-app-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        result = experiments.sweep(
            scenario,
            {PHASE2_DELAY: [int(d) for d in delays]},
            metric=metric,
            target=wanted,
            probability=probability,
            reps=reps,
            seed=seed,
            out=work / "sweep",
            progress=progress,
            workers=workers,
            name=f"sweep-{scenario.name or 'app'}",
        )
        files = _finish(result, work / "sweep")
        return {
            "table": sweep_table(result.sweep, result.keys, metric, result.target, scenario),
            "answers": (sweep_answers(result) or [best_delay(result, metric, scenario)])
            + sweep_horizon_lines(result),
            "files": files,
        }


def best_delay(result, metric: str, scenario: Scenario) -> str:
    """Which delay tried does best on ``metric``: only with its paired difference to the
    runner-up and that difference's interval, or, where the interval holds zero, that the
    two cannot be told apart with this many futures and how many would tell them apart.
    """
    from ..experiments.verdicts import best_and_runner_up, verdict_sentence
    from ..model.vocabulary import key_label, plain_value

    verdict = best_and_runner_up(result.replications, PHASE2_DELAY, metric)
    if verdict is None:
        return ""

    def name(delay) -> str:
        return f"a {plain_value(delay)}-month delay"

    return f"Of the delays tried ({key_label(PHASE2_DELAY, scenario)}): " + verdict_sentence(
        verdict, metric, name, scenario
    )


def levers_dict(levers: Levers) -> dict[str, Any]:
    """The levers as a plain dict (for the widgets' state)."""
    return asdict(levers)


def optimise_experiment(
    scenario_json: str,
    ranges: Sequence[tuple[str, int, int]],
    measure: str,
    percent: float,
    probability: float,
    budget: int,
    seed: int,
    reps: int,
    progress: Callable[[int, int, str], None] | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """The cheapest plan in the levers' ranges that meets the target (:mod:`.optimise_logic`);
    ``progress(done, total, words)`` hears each stage in words.
    """
    from .optimise_logic import optimise

    return optimise(
        from_json(scenario_json),
        ranges,
        measure,
        percent,
        probability,
        budget,
        seed,
        reps,
        progress=progress,
        workers=workers,
    )
