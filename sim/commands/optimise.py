"""``rollout optimise``: search many levers at once for the cheapest plan that meets a
target, and choose among the best with a stated chance of being right.

The request is checked first (:func:`request`: levers, measures, target, probability,
budget; exit 2 with one line each, nothing written), then the destination. One engine runs
the whole command (:func:`sim.experiments.engines.started`): the status quo, every
generation of the search and every block of the selection go to it, so a process pool (or
a Dask cluster) starts once. The folder holds the search's Optuna journal, so ``--resume``
carries on a killed search (:mod:`sim.optimise.search`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..experiments.settings import AUTO
from ..scenario.keys import BadArgument, BadInput, ScenarioError
from ..scenario.loading import load_scenario, resolve_scenario
from . import interrupts
from .flags import Stopped, resume_hint
from .requests import choose_engine, destination

DEFAULT_MINIMISE = "total_cost"
DEFAULT_BENEFIT = "practising_person_months"
KIND = "optimise"


@dataclass(frozen=True)
class Request:
    """What ``rollout optimise`` was asked, checked: the search's problem and the choice's
    settings.
    """

    problem: Any  # sim.optimise.search.Problem
    pcs: float
    delta: float | None
    first_stage: int = 10


def _measure_problems(name: str, flag: str, measures: Sequence[str]) -> list[str]:
    if name in measures:
        return []
    return [f"{flag} {name}: unknown measure (measures: {', '.join(measures)})"]


def request(
    scenario,
    source: str,
    levers: Sequence[str],
    target: str | None,
    probability: float,
    minimise: str | None,
    pareto: str | None,
    budget: int,
    reps: int,
    seed: int,
    pcs: float = 0.95,
    delta: float | None = None,
    first_stage: int = 10,
) -> Request:
    """The checked request; every problem at once, as :class:`~sim.scenario.BadInput`."""
    from ..experiments.targets import parse_target
    from ..model.measures import summary_columns
    from ..optimise.search import Problem
    from ..optimise.space import check_budget, check_space, parse_space

    measures = summary_columns(scenario)
    problems: list[str] = []
    space = []
    try:
        space = parse_space(levers)
        check_space(scenario, space, source)
    except ScenarioError as exc:
        problems += exc.lines
    wanted = None
    if target is not None:
        try:
            wanted = parse_target(target, measures)
        except ScenarioError as exc:
            problems += exc.lines
    if not 0 < probability < 1:
        problems.append(f"--probability {probability:g}: must be above 0 and below 1")
    if not 0.5 < pcs < 1:
        problems.append(f"--pcs {pcs:g}: must be above 0.5 and below 1")
    if delta is not None and not delta > 0:
        problems.append(f"--indifference {delta:g}: must be above 0")
    if minimise is not None and pareto is not None:
        problems.append(
            f"--minimise {minimise} and --pareto {pareto}: give one or the other (a front "
            "minimises its cost)"
        )
    cost, benefit, is_pareto = minimise or DEFAULT_MINIMISE, None, pareto is not None
    if pareto is not None:
        parts = [p.strip() for p in pareto.split(",")]
        if len(parts) != 2 or not all(parts) or parts[0] == parts[1]:
            problems.append(f"--pareto {pareto}: expected COST,BENEFIT, two measures")
        else:
            cost, benefit = parts
            problems += _measure_problems(benefit, "--pareto", measures)
    problems += _measure_problems(cost, "--pareto" if is_pareto else "--minimise", measures)
    if benefit is None:
        benefit = wanted.metric if wanted is not None else DEFAULT_BENEFIT
    if space:
        try:
            check_budget(budget, space)
        except BadInput as exc:
            problems += exc.lines
    if problems:
        raise ScenarioError(list(dict.fromkeys(problems)))
    problem = Problem(
        scenario=scenario,
        space=tuple(space),
        objective=cost,
        benefit=benefit,
        pareto=is_pareto,
        target=wanted,
        probability=probability,
        budget=budget,
        reps=reps,
        seed=seed,
        source=source,
    )
    return Request(problem, pcs, delta, first_stage)


def digest(req: Request) -> str:
    """What must match for ``--resume`` to carry on a folder's search."""
    p = req.problem
    content = {
        "kind": KIND,
        "scenario": p.scenario.model_dump(mode="json"),
        "space": [repr(d) for d in p.space],
        "objective": p.objective,
        "benefit": p.benefit,
        "pareto": p.pareto,
        "target": None if p.target is None else repr(p.target),
        "probability": p.probability,
        "budget": p.budget,
        "reps": p.reps,
        "seed": p.seed,
        "pcs": req.pcs,
        "delta": req.delta,
        "first_stage": req.first_stage,
    }
    text = json.dumps(content, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _open(out: str | Path, resuming: bool, name: str, plan_digest: str) -> Path:
    from ..experiments.folders import new_run_folder, resumable_manifest

    if not resuming:
        return new_run_folder(None if out == AUTO else out, name)
    folder = Path(out)
    previous = resumable_manifest(folder, "search", KIND)
    if previous.get("plan_digest") != plan_digest:
        raise BadArgument(
            "{resume} {given}: made by a different command (scenario, --set, --point-values, "
            "--lever, --target, --probability, --minimise, --pareto, --budget, --reps, "
            "--seed, --pcs, --indifference or --first-stage differ); repeat that command",
            given=folder,
        )
    return folder


def optimise(scenario_name: str, point_values: bool, flags: Mapping[str, Any]) -> list[str]:
    """``rollout optimise``: the search, the choice, the files, the lines to print.

    ``flags`` holds the command's own (``levers``, ``target``, ``probability``,
    ``minimise``, ``pareto``, ``budget``, ``pcs``, ``delta``, ``first_stage``) and the
    common ones (:mod:`sim.commands.work`).
    """
    engine = choose_engine(flags["dask"], flags["scheduler"], flags["workers"])
    path = resolve_scenario(scenario_name)
    scenario = load_scenario(path, flags["overrides"])
    scenario = scenario.without_uncertainty() if point_values else scenario
    req = request(
        scenario,
        str(path),
        flags["levers"],
        flags["target"],
        flags["probability"],
        flags["minimise"],
        flags["pareto"],
        flags["budget"],
        flags["reps"],
        flags["seed"],
        flags["pcs"],
        flags["delta"],
        flags["first_stage"],
    )
    _optuna_installed()
    where, resuming = destination(flags["out"], flags["resume"])
    return run_request(req, path, engine, where, resuming, flags)


def _optuna_installed() -> None:
    try:
        import optuna  # noqa: F401
    except ImportError:
        raise BadInput(
            ["rollout optimise: Optuna is not installed; pip install 'rollout[optimise]'"]
        ) from None


def run_request(req: Request, path: Path, engine, where, resuming: bool, common) -> list[str]:
    """Carry out a checked request into ``where`` (new, or resumed); the lines to print."""
    from ..experiments import engines
    from ..experiments.folders import manifest, write_manifest
    from ..optimise.choose import choose, finalists
    from ..optimise.results import write_all
    from ..optimise.search import evaluate_status_quo, search
    from ..optimise.space import current
    from ..outputs.progress import ProgressBar, Tally

    problem = req.problem
    command = tuple(sys.argv)
    plan_digest = digest(req)
    workers = common["workers"] or os.cpu_count() or 1
    slug = re.sub(r"[^a-z0-9]+", "-", f"optimise-{path.stem}".lower()).strip("-")
    bar = ProgressBar("rollout searching")

    def progress(done: int, total: int) -> None:
        interrupts.check()
        bar(done, total)

    with engines.started(engine, workers) as runner:
        folder = _open(where, resuming, slug, plan_digest)
        details = dict(
            scenario=problem.scenario,
            scenario_file=str(path),
            overrides=list(common["overrides"]),
            command=list(command),
            seed=problem.seed,
            reps=problem.reps,
            workers=runner.description.get("workers", workers),
        )
        extra = {
            "kind": KIND,
            "plan_digest": plan_digest,
            "engine": runner.description,
            "levers": [d.key for d in problem.space],
            "objective": problem.objective,
            "benefit": problem.benefit,
            "pareto": problem.pareto,
            "target": None if problem.target is None else str(problem.target),
            "probability": problem.probability,
            "budget": problem.budget,
        }

        def write(status: str, **more: Any) -> None:
            write_manifest(folder, {**manifest(status=status, **details, **more), **extra})

        write("running")
        stage = "search"  # where a Ctrl-C lands: what is kept, what a resume does
        tally = None
        try:
            interrupts.check()
            plan = {d.key: current(problem.scenario, d.key) for d in problem.space}
            quo = evaluate_status_quo(problem, plan, runner)
            found = search(problem, folder, runner, quo, progress)
            bar.close()
            stage = "choice"
            compared = len(finalists(problem, found.candidates))
            words = f"choosing among {compared} plans on fresh futures"
            tally = Tally("rollout", words, after=bar)
            tally(0)
            choice = choose(
                problem,
                found.candidates,
                runner,
                delta=req.delta,
                pcs=req.pcs,
                n0=req.first_stage,
                progress=_counted(tally),
            )
            tally.close()
            files = write_all(folder, problem, found.candidates, choice)
            extra.update(
                chosen=choice.chosen,
                runner_up=choice.runner_up,
                guarantee=choice.selection.guarantee,
                selection_futures=choice.selection.spent,
            )
            write("complete", files=[*files, "search.journal", "manifest.json"])
        except KeyboardInterrupt:
            bar.close()
            if tally is not None:
                tally.close()
            write("interrupted")
            raise Stopped(_stopped_lines(stage, command, folder), interrupts.INTERRUPTED) from None
        except Exception as exc:
            write("failed", error=repr(exc))
            raise
        finally:
            bar.close()
            if tally is not None:
                tally.close()
    return _lines(problem, found.candidates, choice, folder)


def _counted(tally) -> Callable[[int, int], None]:
    """The choice's progress callback: it checks for Ctrl-C and shows the futures run so far.

    The choice runs its futures in blocks whose number is not known in advance; each block
    reports ``(done, total)`` of its own, so the count carries on across blocks.
    """
    before = 0

    def progress(done: int, total: int) -> None:
        nonlocal before
        interrupts.check()
        tally(before + done)
        if done >= total:
            before += total

    return progress


def _stopped_lines(stage: str, command: Sequence[str], folder: Path) -> list[str]:
    """What a Ctrl-C kept, and how to carry on, in the words of the stage it stopped."""
    if stage == "choice":
        kept = (
            "rollout: interrupted while choosing; the search is complete and saved in the "
            "search journal, and carrying on runs the choice again from its start."
        )
    else:
        kept = "rollout: interrupted; the plans already run are saved in the search journal."
    return [kept, f"rollout: to carry on:\n  {resume_hint(command, folder)}"]


def _lines(problem, candidates, choice, folder: Path) -> list[str]:
    from ..model.vocabulary import measure_label, value_text
    from ..optimise.choice_words import plan_words

    lines = [f"Plans tried: {len(candidates) - 1:,}, each on {problem.reps:,} futures."]
    quo = candidates[0]
    cost = measure_label(problem.objective)
    quo_cost = value_text(problem.objective, quo.mean(problem.objective))
    lines.append(f"The scenario as given: {cost.lower()} {quo_cost}")
    if choice.chosen is None:
        lines.append("No plan within the ranges meets the target on fresh futures.")
    elif choice.chosen == 0:
        lines.append("Chosen: keep the scenario as given (no plan searched does better).")
    else:
        c = candidates[choice.chosen]
        lines.append(
            f"Chosen: {plan_words(c.plan, problem.scenario)} "
            f"({cost.lower()} {value_text(problem.objective, c.mean(problem.objective))})"
        )
    lines.append(choice.selection.guarantee)
    lines.append(f"Results: {folder}/ (choice.md, candidates.csv, front.csv, front.png)")
    return lines
