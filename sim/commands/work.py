"""What each simulating command does, once ``cli.py`` has parsed its flags.

Each function checks the request before any work (:mod:`.requests`: a mistake is exit 2
with nothing written), builds the one :class:`~sim.experiments.settings.RunSettings` the
experiment takes whole, runs it with a progress bar, draws its pictures and returns the
lines to print. ``common`` is the dictionary of the flags every simulating command takes
(``reps``, ``seed``, ``out``, ``overrides``, ``workers``, ``resume``, ``file_format``,
``dask``, ``scheduler`` and, for compare and sweep, ``keep_timeseries``).

Ctrl-C while the batches run or the pictures are drawn ends in :class:`~.flags.Stopped`:
what to say (how to resume) and exit 130.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..experiments.engines import Engine
from ..experiments.settings import RunSettings
from ..scenario.loading import load_scenario, resolve_scenario
from . import interrupts
from .flags import Stopped, resume_hint
from .requests import choose_engine, destination

Common = Mapping[str, Any]


def settings(
    common: Common,
    engine: Engine,
    scenario_file: str,
    name: str | None = None,
    pictures: bool = False,
    manifest: Mapping[str, Any] | None = None,
) -> RunSettings:
    """The run's settings from the common flags, once the destination is checked (last:
    every other mistake is reported first).
    """
    import sys

    where, resuming = destination(common["out"], common["resume"])
    return RunSettings(
        reps=common["reps"],
        seed=common["seed"],
        workers=common["workers"],
        engine=engine,
        out=where,
        resume=resuming,
        file_format=common.get("file_format", "csv"),
        keep_timeseries=common.get("keep_timeseries", False),
        pictures=pictures,
        command=tuple(sys.argv),
        scenario_file=scenario_file,
        overrides=tuple(common["overrides"]),
        name=name,
        manifest=dict(manifest or {}),
    )


def engine_of(common: Common) -> Engine:
    """The engine the common flags ask for (this machine's pool, or a Dask cluster)."""
    return choose_engine(common["dask"], common["scheduler"], common["workers"])


def carry_out(function: Callable, *args: Any, settings: RunSettings, **kwargs: Any) -> Any:
    """Call an experiment with a progress bar; on Ctrl-C say how to resume (exit 130)."""
    from ..experiments.folders import Interrupted
    from ..outputs.progress import ProgressBar

    bar = ProgressBar("rollout")

    def progress(done: int, total: int) -> None:
        interrupts.check()  # a Ctrl-C that library code lost stops the work at the next batch
        bar(done, total)

    try:
        interrupts.check()
        return function(*args, settings=settings.but(progress=progress), **kwargs)
    except Interrupted as stop:
        bar.close()
        lines = [f"rollout: interrupted; {stop.done} of {stop.total} replications done."]
        if stop.folder is not None:
            hint = resume_hint(settings.command, stop.folder)
            lines.append(f"rollout: finished batches are saved; to carry on:\n  {hint}")
        raise Stopped(lines, interrupts.INTERRUPTED) from None
    finally:
        bar.close()


def draw(drawing: Callable, result: Any, settings: RunSettings) -> None:
    """Draw a result's pictures; on Ctrl-C say how to finish the folder (its tables and
    batches are saved, status ``drawing``), exit 130.
    """
    try:
        drawing(result)
        interrupts.check()
    except KeyboardInterrupt:
        lines = ["rollout: interrupted while drawing the pictures; the tables are saved."]
        if result.folder is not None:
            hint = resume_hint(settings.command, result.folder)
            lines.append(f"rollout: to draw them and complete the folder:\n  {hint}")
        raise Stopped(lines, interrupts.INTERRUPTED) from None


def results_line(folder: Path) -> str:
    """Where the results are, and the files the run folder's manifest lists."""
    files = json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("files", [])
    return f"Results: {folder}/ ({', '.join(files)})"


def run(
    scenario_name: str, point_values: bool, common: Common, observed: str | None = None
) -> list[str]:
    """``rollout run``: one scenario, many futures; with ``observed`` (or a plan's attached
    figures), what happened set against the band of futures.
    """
    from ..scenario.observed import read_observed

    engine = engine_of(common)
    path = resolve_scenario(scenario_name)
    scenario = load_scenario(path, common["overrides"])
    scenario = scenario.without_uncertainty() if point_values else scenario
    flag = "--observed" if observed else None  # else the plan's own attached figures
    observed = observed or attached_observed(scenario_name)
    seen = read_observed(observed, scenario, flag=flag) if observed else []
    chosen = settings(common, engine, str(path), name=path.stem, pictures=True)
    from .. import experiments, outputs  # the work: pandas, SciPy, SimPy, matplotlib
    from ..outputs import account
    from ..scenario.fixing import fixed_lines

    result = carry_out(experiments.run, scenario, settings=chosen)
    extra: list[str] = []
    if seen:
        from functools import partial

        from ..experiments.folders import add_files
        from ..experiments.formats import write_csv
        from ..outputs.observed import (
            CHECK_FILE,
            check_observations,
            observed_lines,
            observed_values,
        )

        values = observed_values(result, seen)
        check = check_observations(seen, values)
        write_csv(check, result.folder / CHECK_FILE)
        add_files(result.folder, [CHECK_FILE])
        draw(partial(outputs.draw, observed=seen, values=values), result, chosen)
        extra = observed_lines(check, scenario, str(observed), scenario_name, flag is None)
    else:
        draw(outputs.draw, result, chosen)
    lines = account.describe(scenario, result.summary, chosen.seed, result.monthly)
    return [*lines, *extra, *fixed_lines(scenario), results_line(result.folder)]


def attached_observed(scenario_name: str) -> str | None:
    """The observed figures attached to a saved plan (``plan:NAME``), or None."""
    from ..scenario.plan_folder import find_plan, plan_name

    name = plan_name(scenario_name)
    if name is None:
        return None
    plan = find_plan(name)
    return None if plan.observed is None else str(plan.observed)


def compare(
    strategies: tuple[str, ...],
    first_name: str | None,
    value: float | None,
    evppi: bool,
    point_values: bool,
    common: Common,
) -> list[str]:
    """``rollout compare``: strategies on the same futures."""
    from .requests import load_strategies

    engine = engine_of(common)
    scenarios = load_strategies(strategies, common["overrides"], first_name)
    if point_values:
        scenarios = {name: s.without_uncertainty() for name, s in scenarios.items()}
    first = next(iter(scenarios.values()))
    chosen = settings(
        common,
        engine,
        strategies[0],
        name=f"compare-{first.name}",
        pictures=True,
        manifest={"compare": list(strategies)},
    )
    from .. import experiments, outputs  # the work: pandas, SciPy, SimPy, matplotlib
    from ..outputs import account, uncertainty
    from ..outputs.phrases import fit_lines
    from ..scenario.fixing import fixed_lines

    result = carry_out(
        experiments.compare,
        scenarios,
        settings=chosen,
        value_per_practising_month=value,
        evppi=evppi,
    )
    draw(outputs.draw, result, chosen)
    baseline = plan_baseline(strategies[0], first_name)
    lines = account.compare_lines(
        result.comparison, result.differences, result.strategies, chosen.seed, first, baseline
    )
    lines += account.horizon_lines(result.horizons, result.strategies, first, baseline)
    fixed = [line for name, s in scenarios.items() for line in fixed_lines(s, name)]
    done = [*lines, *uncertainty.decision_lines(result), *fixed, results_line(result.folder)]
    return fit_lines(done)


def plan_baseline(first: str, first_name: str | None = None) -> str | None:
    """How a comparison names its baseline when it is a saved plan: "the plan we run (NAME)".

    None when the first strategy is a file or a bundled scenario (its differences read
    "from NAME" as before).
    """
    from ..scenario.plan_folder import plan_name

    name = plan_name(first)
    return None if name is None else f"the plan we run ({first_name or name})"


def sweep(
    scenario_name: str,
    point_values: bool,
    varies: tuple[str, ...],
    metric: str | None,
    target: str | None,
    probability: float,
    common: Common,
) -> list[str]:
    """``rollout sweep``: a grid of one or two keys' values, on shared seeds."""
    from .requests import sweep_request

    engine = engine_of(common)
    path = resolve_scenario(scenario_name)
    scenario = load_scenario(path, common["overrides"])
    scenario = scenario.without_uncertainty() if point_values else scenario
    grid, metric, wanted = sweep_request(scenario, varies, metric, target)
    chosen = settings(common, engine, str(path), name=f"sweep-{path.stem}", pictures=True)
    from .. import experiments, outputs  # the work: pandas, SciPy, SimPy, matplotlib
    from ..outputs import account
    from ..scenario.fixing import fixed_lines, swept_lines

    result = carry_out(
        experiments.sweep,
        scenario,
        grid,
        settings=chosen,
        metric=metric,
        target=wanted,
        probability=probability,
    )
    draw(outputs.draw, result, chosen)
    return [
        *account.sweep_lines(result.sweep, result.keys, metric, result.target, result.scenario),
        *account.sweep_answers(result),
        *account.sweep_horizon_lines(result),
        *fixed_lines(scenario),
        *swept_lines(scenario, result.keys),
        results_line(result.folder),
    ]


def sensitivity(
    scenario_name: str,
    method: str,
    metric: str,
    samples: int,
    ranges: tuple[str, ...],
    common: Common,
) -> list[str]:
    """``rollout sensitivity``: which uncertain assumptions drive a measure."""
    engine = engine_of(common)
    path = resolve_scenario(scenario_name)
    scenario = load_scenario(path, common["overrides"])
    from .. import outputs
    from ..experiments.sensitivity import sensitivity as analyse
    from ..outputs import uncertainty
    from ..scenario.fixing import fixed_lines

    chosen = settings(common, engine, str(path), name=f"sensitivity-{path.stem}", pictures=True)
    result = carry_out(
        analyse,
        scenario,
        settings=chosen,
        method=method,
        metric=metric,
        samples=samples,
        ranges=ranges,
    )
    draw(outputs.draw, result, chosen)
    lines = [*uncertainty.sensitivity_lines(result), *fixed_lines(scenario)]
    return [*lines, results_line(result.folder)]


def levers(scenario_name: str, only: tuple[str, ...], point_values: bool, common: Common):
    """``rollout levers``: each lever nudged on the same futures, against a noise floor."""
    from ..scenario.levers import check_request

    engine = engine_of(common)
    path = resolve_scenario(scenario_name)
    scenario = load_scenario(path, common["overrides"])
    scenario = scenario.without_uncertainty() if point_values else scenario
    check_request(scenario, common["reps"], only, str(path))
    chosen = settings(common, engine, str(path), name=f"levers-{path.stem}")
    from .. import outputs  # the work: pandas, SciPy, SimPy, matplotlib
    from ..experiments.levers import audit
    from ..outputs.levers import lever_lines

    result = carry_out(audit, scenario, settings=chosen, only=only)
    draw(outputs.draw, result, chosen)
    return [*lever_lines(result), results_line(result.folder)]


def calibrate(
    scenario_name: str, observed: str | None, draws: int, accept: float, common: Common
) -> list[str]:
    """``rollout calibrate``: fit the [uncertainty] keys to what was observed (``observed``,
    else the figures attached to the saved plan ``plan:NAME``).
    """
    from ..scenario.keys import BadInput

    path = resolve_scenario(scenario_name)
    flag = "--observed" if observed else None  # else the plan's own attached figures
    observed = observed or attached_observed(scenario_name)
    if observed is None:
        raise BadInput(
            [
                "--observed: give the CSV of what was seen (date, measure, value, sd); "
                "rollout new --observed-template SCENARIO -o FILE writes a blank one"
            ]
        )
    scenario = load_scenario(path, common["overrides"])
    from ..experiments.calibration import calibrate as fit
    from ..outputs.calibration import calibration_figure, calibration_lines
    from ..scenario.observed import read_observed

    seen = read_observed(observed, scenario, flag=flag)
    engine = engine_of(common)
    chosen = settings(common, engine, str(path), name=f"calibrate-{path.stem}", pictures=True)
    result = carry_out(fit, scenario, seen, settings=chosen, draws=draws, accept=accept)
    if result.folder is not None:
        from ..experiments.folders import add_files

        calibration_figure(result, result.folder / "calibration.png")
        add_files(result.folder, ["calibration.png"])
    from ..scenario.fixing import fixed_lines

    lines = [*calibration_lines(result), *fixed_lines(scenario)]
    return [*lines, results_line(result.folder)]


def national(
    template: str,
    years: str | None,
    start: Any,
    council_names: str | None,
    metric: str | None,
    common: Common,
) -> list[str]:
    """``rollout national``: one programme in every English council at once."""
    engine = engine_of(common)
    from .. import national as floor
    from ..national import account, scenarios
    from ..national.experiment import national as run_national

    names = [n.strip() for n in (council_names or "").split(",") if n.strip()]
    day = start.date() if start else scenarios.default_start()
    built = scenarios.build(template, years, day, common["overrides"], names)
    chosen = settings(
        common,
        engine,
        template,
        pictures=True,
        manifest={"years": years, "start": day.isoformat()},
    )
    result = carry_out(run_national, built, template, settings=chosen, headline=metric)
    draw(floor.draw, result, chosen)
    return [*account.national_lines(result), results_line(result.folder)]


def new(
    council,
    year,
    years,
    template,
    start,
    roster,
    leavers,
    roster_template,
    out,
    observed_template: str | None = None,
) -> list[str]:
    """``rollout new``: a commented starting scenario from a council's DfE figures or from
    a staff list, or the blank roster template, or a blank observed-figures file for a
    scenario (``observed_template``).
    """
    from ..councils import builder
    from ..scenario.keys import BadInput

    day = start.date() if start else None
    if observed_template is not None:
        others = [
            flag
            for flag, given in (
                ("--council", council),
                ("--roster", roster),
                ("--leavers", leavers),
                ("--roster-template", roster_template),
                ("--start", start),
            )
            if given
        ]
        if others:
            raise BadInput(
                [f"--observed-template: writes the figures file alone; leave out {others[0]}"]
            )
        from ..scenario.observed import observed_template as blank

        scenario = load_scenario(resolve_scenario(observed_template))
        builder.check_destination(out)
        builder.write_new(out, blank(scenario))
        return [
            f"Wrote {out}: a blank observed-figures file at {scenario.name or 'the scenario'}'s "
            "dates;",
            "  fill in value and sd (how sure the figure is) where you know them; blank rows are "
            "skipped.",
            f"Then: rollout run {shlex.quote(observed_template)} --observed {shlex.quote(out)}",
        ]
    builder.check_destination(out)  # before any work
    if roster_template:
        from ..councils.roster import roster_template_text

        builder.write_new(out, roster_template_text())
        return [f"Wrote {out}: the roster template; fill it in (docs/roster.md)"]
    if roster is None and leavers is not None:
        raise BadInput(["--leavers: needs --roster (the staff list it goes with)"])
    if roster is not None:
        from ..councils.from_roster import new_roster_scenario

        command = builder.command_line(council, year, years, template, day, out, roster, leavers)
        made = new_roster_scenario(roster, leavers, council, years, template, day, command)
        builder.write_new(out, made.text)
        return list(made.summary_lines(out))
    if council is None:
        raise BadInput(["rollout new: give --council NAME, --roster FILE or --roster-template"])
    command = builder.command_line(council, year, years, template, day, out)
    made = builder.new_scenario(council, year, years, template, day, command)
    builder.write_new(out, made.text)
    return list(made.summary_lines(out, council))
