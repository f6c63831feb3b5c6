"""What the "Find the cheapest plan" screen does, as plain functions (no Streamlit).

The planner ticks a few levers from a short fixed list, each with a lowest and highest
value, and a target; the search and the choice are those of ``rollout optimise``
(:mod:`sim.optimise`), called as :mod:`sim.commands.optimise` calls them, in a temporary
folder removed before the function returns, on the runner the app's pool gives.

Its progress comes in words, stage by stage (:func:`stage_words`): the scenario as given,
the search (a known number of runs), then the choice, which re-runs the best plans on fresh
futures in rounds until it is sure, so its bar is the current round's.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..scenario.keys import ScenarioError
from ..scenario.lever_registry import app_keys

MAX_LEVERS = 3
# The levers offered (the app's names of registry levers), in the order shown.
OFFERED = ("cohorts", "cohort_size", "champions", "phase2_after_months")
MINIMISE = "total_cost"
# progress(done, total, words): how far the current stage is, and the stage in words
Progress = Callable[[int, int, str], None]
ProgressTwo = Callable[[int, int], None]  # what the search and the choice call


def offered(scenario) -> dict[str, str]:
    """The levers this scenario can offer: app name → label in words."""
    from ..model.vocabulary import key_label
    from ..optimise.space import MISSING, current

    keys = app_keys()
    out = {}
    for name in OFFERED:
        key = keys[name]
        if current(scenario, key, MISSING) is MISSING:
            continue  # e.g. no second phase to time
        out[name] = key_label(key, scenario).replace("…", "N")
    return out


def target_measures(scenario) -> list[str]:
    """The measures a target may be set on: practising and trained shares at the clock."""
    months = scenario.clock_months()
    return [f"{kind}_m{m}" for kind in ("practising_share", "coverage") for m in months]


def default_measure(scenario) -> str:
    """Practising at month 48 when the clock has it, else the last month's."""
    months = scenario.clock_months()
    month = 48 if 48 in months else months[-1]
    return f"practising_share_m{month}"


def target_sentence(label: str, percent: int, share: int) -> str:
    """The target as a planner would say it: "at least 40 % in at least 90 % of futures"."""
    lowered = label[:1].lower() + label[1:]
    tenths = f" ({share // 10} futures in 10)" if share % 10 == 0 else ""
    return f"The target: {lowered} at least {percent} %, in at least {share} % of futures{tenths}."


def range_problems(scenario, ranges: Mapping[str, tuple[int, int]]) -> dict[str, str]:
    """One plain line per lever whose range cannot be searched (lever name → line).

    The highest must be above the lowest, and each end must give a valid scenario.
    """
    from ..optimise.space import with_timing

    keys = app_keys()
    problems: dict[str, str] = {}
    for name, (low, high) in ranges.items():
        if not high > low:
            problems[name] = f"The highest ({high:,}) must be above the lowest ({low:,})."
            continue
        for value in (low, high):
            try:
                scenario.with_changes(
                    with_timing(scenario, {keys[name]: int(value)}), source="app", strict=True
                )
            except ScenarioError as exc:
                said = exc.lines[0].split(": ")[-1] if exc.lines else "not valid"
                problems[name] = f"{value:,} cannot be used: {said}."
                break
    return problems


def against_words(cost: float, given: float) -> str:
    """The chosen plan's cost against the scenario as given's, on the search's futures."""
    from ..model.vocabulary import measure_label, value_text

    what = measure_label(MINIMISE).lower()
    gap = cost - given
    if not (math.isfinite(cost) and math.isfinite(given)):
        return ""
    more = "more" if gap > 0 else "less"
    change = f"{value_text(MINIMISE, abs(gap))} {more}" if gap else "the same"
    return (
        f"Against the scenario as given: {what} {value_text(MINIMISE, cost)} against "
        f"{value_text(MINIMISE, given)} ({change}), on average over the search's futures."
    )


def status_quo_words(reps: int) -> str:
    """What runs first: the scenario as given, the yardstick every plan is read against."""
    return f"Running the scenario as given on {reps:,} futures, to compare the plans against."


def search_words(done: int, total: int, reps: int) -> str:
    """The search's progress: runs are plans times futures, all known from the start."""
    return (
        f"Trying plans on the same futures: {done:,} of {total:,} runs "
        f"({total // max(reps, 1):,} plans, {reps:,} futures each)."
    )


def choice_words(round_: int, done: int, total: int, before: int) -> str:
    """The choice's progress: one round at a time, since it stops as soon as it is sure.

    ``before`` is the runs of the rounds already finished.
    """
    return (
        f"Checking the best plans on fresh futures: round {round_:,}, {done:,} of {total:,} "
        f"runs ({before + done:,} in all so far; it stops as soon as the choice is sure)."
    )


def stage_words(progress: Progress, reps: int) -> tuple[ProgressTwo, ProgressTwo]:
    """The search's and the choice's ``progress(done, total)``, each passing on its words.

    The choice asks for fresh futures block by block; each block's count starts again at 0,
    which is how a new round is told from the last.
    """
    rounds = {"number": 0, "before": 0, "last_total": 0}

    def search_progress(done: int, total: int) -> None:
        progress(done, total, search_words(done, total, reps))

    def choice_progress(done: int, total: int) -> None:
        if done == 0 or not rounds["number"]:
            if rounds["number"]:
                rounds["before"] += rounds["last_total"]
            rounds["number"] += 1
        rounds["last_total"] = total
        words = choice_words(rounds["number"], done, total, rounds["before"])
        progress(done, total, words)

    return search_progress, choice_progress


def optimise(
    scenario,
    ranges: Sequence[tuple[str, int, int]],
    measure: str,
    percent: float,
    probability: float,
    budget: int,
    seed: int,
    reps: int,
    progress: Progress | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """Search the levers' ranges for the cheapest plan meeting the target, then choose.

    Returns the chosen plan in words (``chosen``), its cost against the scenario as given's
    (``against``, empty when the scenario as given is kept or nothing meets the target), the
    guarantee, ``choice.md``'s text and
    the files (``front.png``, ``candidates.csv``, ``front.csv``, ``choice.md``) as bytes.
    ``progress(done, total, words)`` hears each stage (:func:`stage_words`).

    Raises
    ------
    ScenarioError
        A range or target that cannot be searched, in plain words.
    """
    from ..experiments import engines
    from ..experiments.targets import Target
    from ..optimise.choice_words import plan_words
    from ..optimise.choose import choose
    from ..optimise.results import write_all
    from ..optimise.search import Problem, evaluate_status_quo, search
    from ..optimise.space import check_budget, current, parse_space

    keys = app_keys()
    problems = range_problems(scenario, {n: (lo, hi) for n, lo, hi in ranges})
    labels = offered(scenario)
    if problems:
        raise ScenarioError([f"{labels.get(n, n)}: {line}" for n, line in problems.items()])
    if not 1 <= len(ranges) <= MAX_LEVERS:
        raise ScenarioError([f"Tick between 1 and {MAX_LEVERS} levers to move."])
    if measure not in target_measures(scenario):
        raise ScenarioError(["Choose the target's measure from the list."])
    space = parse_space([f"{keys[n]}={int(lo)}:{int(hi)}" for n, lo, hi in ranges])
    check_budget(budget, space)
    problem = Problem(
        scenario=scenario,
        space=tuple(space),
        objective=MINIMISE,
        benefit=measure,
        pareto=False,
        target=Target(measure, ">=", percent / 100),
        probability=probability,
        budget=budget,
        reps=reps,
        seed=seed,
        source="the app's search",
    )
    with (
        tempfile.TemporaryDirectory(prefix="rollout-app-", ignore_cleanup_errors=True) as tmp,
        engines.started(engines.LOCAL, workers or 1) as runner,
    ):
        folder = Path(tmp)
        plan = {d.key: current(scenario, d.key) for d in space}
        searching, choosing = stage_words(progress, reps) if progress else (None, None)
        if progress:
            progress(0, 0, status_quo_words(reps))
        quo = evaluate_status_quo(problem, plan, runner)
        found = search(problem, folder, runner, quo, searching)
        choice = choose(problem, found.candidates, runner, progress=choosing)
        files = write_all(folder, problem, found.candidates, choice)
        data = {name: (folder / name).read_bytes() for name in files}
    against = ""
    if choice.chosen is None:
        chosen = "No plan in these ranges meets the target."
    elif choice.chosen == 0:
        chosen = "Keep the scenario as given: no plan searched does better."
    else:
        chosen = f"The plan chosen: {plan_words(found.candidates[choice.chosen].plan, scenario)}."
        against = against_words(
            found.candidates[choice.chosen].mean(MINIMISE), found.candidates[0].mean(MINIMISE)
        )
    return {
        "chosen": chosen,
        "met": choice.chosen is not None,
        "against": against,
        "guarantee": choice.selection.guarantee,
        "choice_md": data["choice.md"].decode("utf-8"),
        "files": data,
    }
