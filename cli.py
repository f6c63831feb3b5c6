"""The ``rollout`` command. It parses, calls the ``sim`` package, and writes; no model logic.

Exit status: 0 done; 2 bad input (scenario, key, value or argument), one line per problem
on stderr naming the file and the key, and nothing written; 1 anything else; 130 Ctrl-C.

Start-up is kept light: only click loads before a command runs, and each command imports
the floors it needs (pandas, matplotlib, scipy and simpy only for work that simulates), so
help and bad-input errors come back at once.
"""

from __future__ import annotations

import os
import signal
import sys

# Ctrl-C, at any moment: a short message and exit 130, never a traceback. Until main() takes
# over, and again while it writes its last words, Ctrl-C stops at once (_stop_now); while a
# command works it raises KeyboardInterrupt (_interrupt), so the experiments finish and save
# the batches in hand. Library code can lose that exception (a C extension interrupted while
# it loads fails with ImportError; an exception in a callback is "ignored"), so the first
# Ctrl-C is also remembered and honoured at the next batch and when the command ends.
# Inside the standard library's thread and process machinery an exception raised at an
# arbitrary instant can leave a lock held and hang the worker pool, so there the Ctrl-C is
# only remembered: the command waits on its workers there, and stops after the next batch.
INTERRUPTED = 130
_interrupted = False
_main_pid = os.getpid()
_LOCKING = tuple(
    os.path.join(os.path.dirname(os.__file__), name)
    for name in ("concurrent", "multiprocessing", "threading.py", "queue.py")
)


def _stop_now(signum, frame) -> None:  # pragma: no cover - timing-dependent
    sys.stderr.write("rollout: interrupted\n")
    sys.exit(INTERRUPTED)


def _interrupt(signum, frame) -> None:
    global _interrupted
    if os.getpid() != _main_pid:
        return  # a worker forked from the command: the command decides, workers carry on
    _interrupted = True
    while frame is not None:
        if frame.f_code.co_filename.startswith(_LOCKING):
            return  # remembered; raised at the next batch (_check_interrupt)
        frame = frame.f_back
    raise KeyboardInterrupt


def _check_interrupt() -> None:
    """Raise the Ctrl-C that library code lost, if there was one."""
    if _interrupted:
        raise KeyboardInterrupt


if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # ignored (a background job): kept
    signal.signal(signal.SIGINT, _stop_now)

import traceback  # noqa: E402

import click  # noqa: E402

from sim.scenario.limits import MAX_REPS  # noqa: E402  (plain numbers: loads nothing)

BAD_INPUT = 2


def _say(line: str, err: bool = False) -> None:
    """Print a line; the one way this command prints, so that a name holding control
    characters (an escape sequence) is shown escaped, never obeyed by the terminal."""
    from sim.scenario.safe_text import terminal

    click.echo(terminal(line), err=err)


def _common_options(command):
    """Options every simulating command takes: how many futures, which, where, changes,
    and where the work runs (processes here, or a Dask cluster)."""
    options = [
        click.option(
            "--reps",
            type=click.IntRange(min=1, max=MAX_REPS),
            default=20,
            show_default=True,
            help="Replications (futures) of every scenario, strategy or grid point "
            f"(at most {MAX_REPS:,}).",
        ),
        click.option(
            "--seed",
            type=click.IntRange(min=0),
            default=1,
            show_default=True,
            help="Seed of every random stream; replication r uses (seed, r) everywhere.",
        ),
        click.option(
            "--out",
            type=click.Path(),
            default=None,
            help="New folder for the results (default: a new folder under outputs/).",
        ),
        click.option(
            "--set",
            "overrides",
            multiple=True,
            metavar="KEY=VALUE",
            help="Change a scenario key by its dotted path, e.g. "
            "programme.phases.1.start=2018-11-01; the value is used (the key's [uncertainty] "
            "is off). KEY~=VALUE moves its distribution's centre instead. Repeatable.",
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            default=None,
            help="Processes (default: every core); results do not depend on it.",
        ),
        click.option(
            "--resume",
            type=click.Path(),
            default=None,
            metavar="DIR",
            help="Carry on an interrupted run in DIR (same command), skipping saved batches.",
        ),
        click.option(
            "--format",
            "file_format",
            type=click.Choice(["csv", "parquet"]),  # sim.experiments.formats.FORMATS
            default="csv",
            show_default=True,
            help="Format of the per-replication tables (timeseries, summary); parquet is "
            "far smaller for large runs and needs the cluster extra.",
        ),
        click.option(
            "--dask",
            is_flag=True,
            help="Run the batches on a Dask cluster started on this machine (--workers "
            "processes); needs the cluster extra. Results do not depend on it.",
        ),
        click.option(
            "--scheduler",
            default=None,
            metavar="ADDRESS",
            help="Run the batches on an existing Dask cluster, e.g. tcp://host:8786 "
            "(see docs/cluster.md). Results do not depend on it.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _experiment_options(command):
    """Options of compare and sweep: the common ones, and whether to keep monthly rows."""
    keep = click.option(
        "--keep-timeseries",
        is_flag=True,
        help="Also write every replication's monthly rows (timeseries.csv).",
    )
    return _common_options(keep(command))


_point_values = click.option(
    "--point-values",
    is_flag=True,
    help="Run on the scenario's own values, without its [uncertainty] table.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def rollout() -> None:
    """Simulate a workforce training roll-out and whether it lasts."""


@rollout.command()
@click.argument("scenario")
@_point_values
@_common_options
def run(
    scenario: str,
    point_values: bool,
    reps: int,
    seed: int,
    out: str | None,
    overrides: tuple[str, ...],
    workers: int | None,
    resume: str | None,
    file_format: str,
    dask: bool,
    scheduler: str | None,
) -> None:
    """Run SCENARIO (a .toml file or a bundled name such as 'camden')."""
    from sim.experiments.engines import choose
    from sim.scenario.loading import load_scenario, resolve_scenario

    engine = choose(dask, scheduler, workers)

    path = resolve_scenario(scenario)
    model = load_scenario(path, overrides)
    model = model.without_uncertainty() if point_values else model
    from sim.experiments.requests import destination

    where, resuming = destination(out, resume)
    from sim import experiments, outputs  # the work: pandas, SciPy, SimPy, matplotlib
    from sim.outputs import account

    record = {
        "scenario_file": str(path),
        "overrides": list(overrides),
        "name": path.stem,
        "pictures": True,  # the folder is complete once outputs.draw has drawn them
    }
    result = _carry_out(
        experiments.run,
        model,
        reps=reps,
        seed=seed,
        workers=workers,
        engine=engine,
        file_format=file_format,
        out=where,
        resume=resuming,
        record=record,
    )
    _draw(outputs.draw, result)
    from sim.scenario.fixing import fixed_lines

    lines = account.describe(model, result.summary, seed, result.monthly)
    for line in [*lines, *fixed_lines(model)]:
        _say(line)
    _say(_results_line(result.folder))


def _results_line(folder) -> str:
    """Where the results are, and the files the run folder's manifest lists."""
    import json

    files = json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("files", [])
    return f"Results: {folder}/ ({', '.join(files)})"


def _carry_out(function, *args, **kwargs):
    """Call an experiment with a progress bar; on Ctrl-C say how to resume, exit 130."""
    from sim import experiments
    from sim.outputs.progress import ProgressBar

    bar = ProgressBar("rollout")

    def progress(done: int, total: int) -> None:
        _check_interrupt()  # a Ctrl-C that library code lost stops the work at the next batch
        bar(done, total)

    try:
        _check_interrupt()
        return function(*args, progress=progress, **kwargs)
    except experiments.Interrupted as stop:
        bar.close()
        _say(
            f"rollout: interrupted; {stop.done} of {stop.total} replications done.", err=True
        )
        if stop.folder is not None:
            hint = experiments.resume_hint(sys.argv[1:], stop.folder)
            _say(f"rollout: finished batches are saved; to carry on:\n  {hint}", err=True)
        sys.exit(INTERRUPTED)
    finally:
        bar.close()


def _draw(draw, result) -> None:
    """Draw a result's pictures; on Ctrl-C say how to finish the folder (its tables and
    batches are saved, status ``drawing``), exit 130."""
    try:
        draw(result)
        _check_interrupt()
    except KeyboardInterrupt:
        from sim import experiments

        _say("rollout: interrupted while drawing the pictures; the tables are saved.", err=True)
        if result.folder is not None:
            hint = experiments.resume_hint(sys.argv[1:], result.folder)
            _say(f"rollout: to draw them and complete the folder:\n  {hint}", err=True)
        sys.exit(INTERRUPTED)


@rollout.command(context_settings={"ignore_unknown_options": True})
@click.argument("strategies", nargs=-1, type=click.UNPROCESSED, required=True)
@click.option(
    "--name",
    "first_name",
    default=None,
    help="Name of the first strategy in the tables (default: its scenario's file name).",
)
@click.option(
    "--value-per-practising-month",
    "value",
    type=float,
    default=None,
    metavar="GBP",
    help="What one person practising for a month is worth: adds net benefit (value x "
    "practising person-months - cost) and the acceptability curve.",
)
@click.option(
    "--evppi",
    is_flag=True,
    help="Also estimate what knowing each uncertain assumption exactly would be worth "
    "(needs --value-per-practising-month and an [uncertainty] table).",
)
@_point_values
@_experiment_options
def compare(
    strategies: tuple[str, ...],
    first_name: str | None,
    value: float | None,
    evppi: bool,
    point_values: bool,
    reps: int,
    seed: int,
    out: str | None,
    overrides: tuple[str, ...],
    workers: int | None,
    resume: str | None,
    file_format: str,
    dask: bool,
    scheduler: str | None,
    keep_timeseries: bool,
) -> None:
    """Compare strategies on the same futures: A B [C ...] (files or bundled names), or
    A --variant NAME KEY=VALUE [KEY=VALUE ...] [--variant ...]. Differences are from the first.
    """
    from sim.experiments.engines import choose
    from sim.experiments.requests import destination, load_strategies

    engine = choose(dask, scheduler, workers)
    scenarios = load_strategies(strategies, overrides, first_name)
    if point_values:
        scenarios = {name: s.without_uncertainty() for name, s in scenarios.items()}
    where, resuming = destination(out, resume)
    from sim import experiments, outputs  # the work: pandas, SciPy, SimPy, matplotlib
    from sim.outputs import account, uncertainty

    first = next(iter(scenarios.values()))
    record = {
        "scenario_file": strategies[0],
        "overrides": list(overrides),
        "manifest": {"compare": list(strategies)},
        "name": f"compare-{first.name}",
        "pictures": True,
    }
    result = _carry_out(
        experiments.compare,
        scenarios,
        reps=reps,
        seed=seed,
        workers=workers,
        engine=engine,
        file_format=file_format,
        out=where,
        resume=resuming,
        keep_timeseries=keep_timeseries,
        record=record,
        value_per_practising_month=value,
        evppi=evppi,
    )
    _draw(outputs.draw, result)
    lines = account.compare_lines(
        result.comparison, result.differences, result.strategies, seed, first
    )
    lines += account.horizon_lines(result.horizons, result.strategies, first)
    from sim.scenario.fixing import fixed_lines

    fixed = [line for name, s in scenarios.items() for line in fixed_lines(s, name)]
    for line in [*lines, *uncertainty.decision_lines(result), *fixed]:
        _say(line)
    _say(_results_line(result.folder))


@rollout.command()
@click.argument("scenario")
@click.option(
    "--vary",
    "varies",
    multiple=True,
    required=True,
    metavar="KEY=V1,V2,...",
    help="A key and its values (numbers, dates, start:stop:step ranges). Once or twice.",
)
@click.option(
    "--metric",
    default=None,
    help="Measure to draw and tabulate (default: the target's, else practising_person_months: "
    "practising staff summed over every month, on the common clock).",
)
@click.option(
    "--target",
    default=None,
    metavar="'METRIC>=VALUE'",
    help="A condition met or not in each future, e.g. 'coverage_m36>=0.6' (coverage 36 months "
    "after the start).",
)
@click.option(
    "--probability",
    type=click.FloatRange(0, 1, min_open=True),
    default=0.9,
    show_default=True,
    help="Share of futures in which the target must be met.",
)
@_point_values
@_experiment_options
def sweep(
    scenario: str,
    point_values: bool,
    varies: tuple[str, ...],
    metric: str | None,
    target: str | None,
    probability: float,
    reps: int,
    seed: int,
    out: str | None,
    overrides: tuple[str, ...],
    workers: int | None,
    resume: str | None,
    file_format: str,
    dask: bool,
    scheduler: str | None,
    keep_timeseries: bool,
) -> None:
    """Run SCENARIO over a grid of one or two keys' values, on shared seeds."""
    from sim.experiments.engines import choose
    from sim.scenario.loading import load_scenario, resolve_scenario

    engine = choose(dask, scheduler, workers)

    path = resolve_scenario(scenario)
    model = load_scenario(path, overrides)
    model = model.without_uncertainty() if point_values else model
    from sim.experiments.requests import destination, sweep_request

    grid, metric, wanted = sweep_request(model, varies, metric, target)
    where, resuming = destination(out, resume)
    from sim import experiments, outputs  # the work: pandas, SciPy, SimPy, matplotlib
    from sim.outputs import account

    record = {
        "scenario_file": str(path),
        "overrides": list(overrides),
        "name": f"sweep-{path.stem}",
        "pictures": True,
    }
    result = _carry_out(
        experiments.sweep,
        model,
        grid,
        metric=metric,
        target=wanted,
        probability=probability,
        reps=reps,
        seed=seed,
        workers=workers,
        engine=engine,
        file_format=file_format,
        out=where,
        resume=resuming,
        keep_timeseries=keep_timeseries,
        record=record,
    )
    _draw(outputs.draw, result)
    for line in account.sweep_lines(
        result.sweep, result.keys, metric, result.target, result.scenario
    ):
        _say(line)
    for answer in account.sweep_answers(result):
        _say(answer)
    from sim.scenario.fixing import fixed_lines, swept_lines

    for line in [*account.sweep_horizon_lines(result), *fixed_lines(model)]:
        _say(line)
    for line in swept_lines(model, result.keys):
        _say(line)
    _say(_results_line(result.folder))


@rollout.command()
@click.argument("scenario")
@click.option(
    "--method",
    type=click.Choice(["morris", "sobol"]),
    default="morris",
    show_default=True,
    help="Morris screening (elementary effects) or Sobol indices (variance shares).",
)
@click.option(
    "--metric",
    default="practising_person_months",
    show_default=True,
    help="The measure whose drivers are sought.",
)
@click.option(
    "--samples",
    type=click.IntRange(min=2, max=MAX_REPS),
    default=10,
    show_default=True,
    help="Morris trajectories, or Sobol's base sample N (points: N x (parameters + 2)).",
)
@click.option(
    "--vary",
    "ranges",
    multiple=True,
    metavar="KEY=LOW:HIGH",
    help="Vary these keys uniformly instead of the [uncertainty] table. Repeatable.",
)
@_common_options
def sensitivity(
    scenario: str,
    method: str,
    metric: str,
    samples: int,
    ranges: tuple[str, ...],
    reps: int,
    seed: int,
    out: str | None,
    overrides: tuple[str, ...],
    workers: int | None,
    resume: str | None,
    file_format: str,
    dask: bool,
    scheduler: str | None,
) -> None:
    """Which uncertain assumptions drive a measure: global sensitivity of SCENARIO over the
    keys of its [uncertainty] table (or --vary ranges), with the noise floor."""
    from sim.experiments.engines import choose
    from sim.scenario.loading import load_scenario, resolve_scenario

    engine = choose(dask, scheduler, workers)

    path = resolve_scenario(scenario)
    model = load_scenario(path, overrides)
    from sim import experiments, outputs
    from sim.experiments.sensitivity import sensitivity as analyse
    from sim.outputs import uncertainty

    where, resuming = experiments.destination(out, resume)
    record = {
        "scenario_file": str(path),
        "overrides": list(overrides),
        "name": f"sensitivity-{path.stem}",
        "pictures": True,
    }
    result = _carry_out(
        analyse,
        model,
        method=method,
        metric=metric,
        samples=samples,
        reps=reps,
        seed=seed,
        ranges=ranges,
        workers=workers,
        engine=engine,
        file_format=file_format,
        out=where,
        resume=resuming,
        record=record,
    )
    _draw(outputs.draw, result)
    from sim.scenario.fixing import fixed_lines

    for line in [*uncertainty.sensitivity_lines(result), *fixed_lines(model)]:
        _say(line)
    _say(_results_line(result.folder))


@rollout.command()
@click.argument("scenario")
@click.option(
    "--lever",
    "only",
    multiple=True,
    metavar="KEY",
    help="Audit only this lever (its key, e.g. champions.target). Repeatable. Default: "
    "every lever switched on in SCENARIO.",
)
@_point_values
@_common_options
def levers(
    scenario: str,
    only: tuple[str, ...],
    point_values: bool,
    reps: int,
    seed: int,
    out: str | None,
    overrides: tuple[str, ...],
    workers: int | None,
    resume: str | None,
    file_format: str,
    dask: bool,
    scheduler: str | None,
) -> None:
    """Audit SCENARIO's levers: each one nudged on the same futures, its effect on
    practising person-months and on coverage 36 months in, against a noise floor."""
    from sim.experiments.engines import choose
    from sim.scenario.loading import load_scenario, resolve_scenario

    engine = choose(dask, scheduler, workers)
    path = resolve_scenario(scenario)
    model = load_scenario(path, overrides)
    model = model.without_uncertainty() if point_values else model
    from sim.experiments.requests import destination
    from sim.scenario.levers import check_request

    check_request(model, reps, only, str(path))
    where, resuming = destination(out, resume)
    from sim import outputs  # the work: pandas, SciPy, SimPy, matplotlib
    from sim.experiments.levers import audit
    from sim.outputs.levers import lever_lines

    record = {
        "scenario_file": str(path),
        "overrides": list(overrides),
        "name": f"levers-{path.stem}",
    }
    result = _carry_out(
        audit,
        model,
        reps=reps,
        seed=seed,
        only=only,
        workers=workers,
        engine=engine,
        file_format=file_format,
        out=where,
        resume=resuming,
        record=record,
    )
    _draw(outputs.draw, result)
    for line in lever_lines(result):
        _say(line)
    _say(_results_line(result.folder))


@rollout.command()
@click.argument("scenario")
@click.option(
    "--observed",
    required=True,
    type=click.Path(dir_okay=False),
    help="CSV of what was seen: date, measure, value, and sd (or low, high: a 95% interval).",
)
@click.option(
    "--draws",
    type=click.IntRange(min=4, max=MAX_REPS),
    default=200,
    show_default=True,
    help="Points drawn from the [uncertainty] table (the prior).",
)
@click.option(
    "--accept",
    type=float,
    default=0.1,
    show_default=True,
    help="Share of the draws, the closest to the observations, kept as the posterior.",
)
@click.option(
    "--reps",
    type=click.IntRange(min=1, max=MAX_REPS),
    default=2,
    show_default=True,
    help="Replications of every draw (averaged; common random numbers).",
)
@click.option("--seed", type=click.IntRange(min=0), default=1, show_default=True, help="Seed.")
@click.option("--out", type=click.Path(), default=None, help="New folder for the results.")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Change a key.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Processes.")
@click.option("--resume", type=click.Path(), default=None, metavar="DIR", help="Carry on DIR.")
@click.option(
    "--dask", is_flag=True, help="Run the draws on a Dask cluster started on this machine."
)
@click.option(
    "--scheduler", default=None, metavar="ADDRESS", help="Run the draws on an existing cluster."
)
def calibrate(
    scenario, observed, draws, accept, reps, seed, out, overrides, workers, resume, dask, scheduler
):
    """Fit SCENARIO's [uncertainty] keys to what was observed (rejection ABC): writes the
    posterior sample, pictures and a calibrated scenario."""
    from sim.scenario.loading import load_scenario, resolve_scenario

    path = resolve_scenario(scenario)
    model = load_scenario(path, overrides)
    from sim import experiments
    from sim.experiments.calibration import calibrate as fit
    from sim.experiments.calibration import read_observed
    from sim.outputs.calibration import calibration_figure, calibration_lines

    seen = read_observed(observed, model)
    from sim.experiments.engines import choose

    engine = choose(dask, scheduler, workers)
    where, resuming = experiments.destination(out, resume)
    record = {
        "scenario_file": str(path),
        "overrides": list(overrides),
        "name": f"calibrate-{path.stem}",
        "pictures": True,
    }
    result = _carry_out(
        fit,
        model,
        seen,
        draws=draws,
        accept=accept,
        reps=reps,
        seed=seed,
        workers=workers,
        out=where,
        resume=resuming,
        record=record,
        engine=engine,
    )
    if result.folder is not None:
        from sim.experiments.folders import add_files

        calibration_figure(result, result.folder / "calibration.png")
        add_files(result.folder, ["calibration.png"])
    from sim.scenario.fixing import fixed_lines

    for line in [*calibration_lines(result), *fixed_lines(model)]:
        _say(line)
    _say(_results_line(result.folder))


@rollout.command(name="validate")
@click.argument("scenario")
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change a scenario key by its dotted path before checking it. Repeatable.",
)
def validate_command(scenario: str, overrides: tuple[str, ...]) -> None:
    """Check SCENARIO and say what it means: workforce, calendar, capacity, sources, warnings.

    Warnings (likely mistakes) do not fail: exit 0. Bad input: every problem listed, exit 2.
    """
    from sim.scenario.explain import validate_file
    from sim.scenario.loading import resolve_scenario

    path = resolve_scenario(scenario)
    for line in validate_file(path, overrides).lines:
        _say(line)


@rollout.command(name="councils")
@click.option("--search", default="", metavar="TEXT", help="Only councils whose name has TEXT.")
def councils_command(search: str) -> None:
    """List councils with their latest DfE workforce figures (for `rollout new`)."""
    from sim.councils.names import listing

    for line in listing(search):
        _say(line)


@rollout.command(name="new")
@click.option("--council", default=None, help="Council name; matched forgivingly.")
@click.option("--year", type=int, default=None, help="One reporting year of DfE figures.")
@click.option("--years", default=None, metavar="Y1:Y2", help="Years to pool (default: latest 5).")
@click.option(
    "--template",
    type=click.Choice(["camden", "havering"]),  # sim.councils.templates.TEMPLATES
    default="camden",
    show_default=True,
    help="Programme to start from: camden (cohorts) or havering (continuous academy).",
)
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Scenario start date, e.g. 2026-04-01 (default: the next 1 April).",
)
@click.option(
    "--roster",
    type=click.Path(dir_okay=False),
    default=None,
    help="Your staff list (CSV, one row per post; docs/roster.md): the starting state.",
)
@click.option(
    "--leavers",
    type=click.Path(dir_okay=False),
    default=None,
    help="With --roster: past holders (CSV: role, started, left) to estimate turnover.",
)
@click.option(
    "--roster-template",
    is_flag=True,
    help="Write the blank roster template (CSV) to -o instead of a scenario.",
)
@click.option("-o", "--out", required=True, type=click.Path(), help="New file to write.")
def new_command(
    council, year, years, template, start, roster, leavers, roster_template, out
) -> None:
    """Write a commented starting scenario: from a council's DfE figures, or from your own
    staff list (--roster), or write the roster template (--roster-template)."""
    from sim.councils import builder
    from sim.scenario.keys import ScenarioError

    day = start.date() if start else None
    builder.check_destination(out)  # before any work
    if roster_template:
        from sim.councils.roster import roster_template_text

        builder.write_new(out, roster_template_text())
        _say(f"Wrote {out}: the roster template; fill it in (docs/roster.md)")
        return
    if roster is None and leavers is not None:
        raise ScenarioError(["--leavers: needs --roster (the staff list it goes with)"])
    if roster is not None:
        from sim.councils.from_roster import new_roster_scenario

        command = builder.command_line(council, year, years, template, day, out, roster, leavers)
        made = new_roster_scenario(roster, leavers, council, years, template, day, command)
        builder.write_new(out, made.text)
        for line in made.summary_lines(out):
            _say(line)
        return
    if council is None:
        raise ScenarioError(
            ["rollout new: give --council NAME, --roster FILE or --roster-template"]
        )
    command = builder.command_line(council, year, years, template, day, out)
    made = builder.new_scenario(council, year, years, template, day, command)
    builder.write_new(out, made.text)
    for line in made.summary_lines(out, council):
        _say(line)


@rollout.command(name="report")
@click.argument("run_dir", metavar="RUN_DIR")
@click.option(
    "-o",
    "--out",
    default=None,
    type=click.Path(),
    help="HTML file to write (default: report.html in RUN_DIR); never overwritten.",
)
def report_command(run_dir: str, out: str | None) -> None:
    """Write a self-contained HTML report for the board from a run, compare or sweep folder,
    and its tables as an Excel workbook beside it."""
    from sim.outputs.report import write_report

    page, workbook = write_report(run_dir, out)
    _say(f"Wrote {page} (open it in a browser; prints to PDF) and {workbook}")


@rollout.command(name="app")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Port."
)
def app_command(port: int) -> None:
    """Start the web app for planners on http://localhost:PORT (Streamlit)."""
    from sim.app.serve import serve

    sys.exit(serve(port))


@rollout.command(name="national")
@click.option(
    "--template",
    default="camden",
    show_default=True,
    metavar="camden|havering|FILE",
    help="Programme run in every council: a bundled template or a scenario file.",
)
@click.option("--years", default=None, metavar="Y1:Y2", help="Years to pool (default: latest 5).")
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Start date of every council's scenario (default: the next 1 April).",
)
@click.option(
    "--councils",
    "council_names",
    default=None,
    metavar="NAME,NAME",
    help="Only these councils (matched forgivingly), e.g. camden,havering. Default: all.",
)
@click.option(
    "--metric",
    default=None,
    help="Measure councils are ranked by (default: practising share at the latest "
    "common-clock month, else at the horizon).",
)
@_common_options
def national_command(
    template: str,
    years: str | None,
    start,
    council_names: str | None,
    metric: str | None,
    reps: int,
    seed: int,
    out: str | None,
    overrides: tuple[str, ...],
    workers: int | None,
    resume: str | None,
    file_format: str,
    dask: bool,
    scheduler: str | None,
) -> None:
    """Run one programme in every English council, built from its DfE figures as
    `rollout new` does; rank the councils and say which figures explain the difference."""
    from sim.experiments.engines import choose

    engine = choose(dask, scheduler, workers)
    from sim import experiments, national
    from sim.national import account, scenarios
    from sim.national.experiment import national as run_national

    names = [n.strip() for n in (council_names or "").split(",") if n.strip()]
    day = start.date() if start else scenarios.default_start()
    built = scenarios.build(template, years, day, overrides, names)
    where, resuming = experiments.destination(out, resume)
    record = {
        "scenario_file": template,
        "overrides": list(overrides),
        "manifest": {"years": years, "start": day.isoformat()},
        "pictures": True,
    }
    result = _carry_out(
        run_national,
        built,
        template,
        headline=metric,
        reps=reps,
        seed=seed,
        workers=workers,
        engine=engine,
        file_format=file_format,
        out=where,
        resume=resuming,
        record=record,
    )
    _draw(national.draw, result)
    for line in account.national_lines(result):
        _say(line)
    _say(_results_line(result.folder))


def main() -> None:
    """Entry point: map bad input to exit 2 with one line per problem, no traceback;
    Ctrl-C at any moment to a short message and exit 130."""
    global _interrupted, _main_pid
    from sim.scenario.keys import ScenarioError

    before = signal.getsignal(signal.SIGINT)
    if before is None:
        before = signal.default_int_handler  # a handler set outside Python: Python's own
    unraisable = sys.unraisablehook

    def quiet(what) -> None:
        # A Ctrl-C that landed in a callback (Python prints it as "Exception ignored"):
        # no traceback; it is honoured at the next check.
        if not (_interrupted and isinstance(what.exc_value, KeyboardInterrupt)):
            unraisable(what)

    def finish(lines: list[str], code: int) -> None:
        signal.signal(signal.SIGINT, before)  # from here a Ctrl-C ends at once
        for line in lines:
            _say(line, err=True)
        sys.exit(code)

    _interrupted, _main_pid = False, os.getpid()
    sys.unraisablehook = quiet
    try:
        if before is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, _interrupt)  # Ctrl-C now raises, caught below
        rollout.main(standalone_mode=False, prog_name="rollout")
        _check_interrupt()
    except ScenarioError as exc:
        finish([f"rollout: {line}" for line in exc.lines], BAD_INPUT)
    except click.ClickException as exc:
        finish([f"rollout: {exc.format_message()}"], exc.exit_code)
    except (KeyboardInterrupt, click.Abort):
        finish(["rollout: interrupted"], INTERRUPTED)
    except Exception:
        if _interrupted:  # the error is Ctrl-C's doing
            finish(["rollout: interrupted"], INTERRUPTED)
        finish(
            [
                "rollout: internal error (please report it with the lines below):",
                traceback.format_exc().rstrip("\n"),
            ],
            1,
        )
    finally:
        signal.signal(signal.SIGINT, before)
        sys.unraisablehook = unraisable


if __name__ == "__main__":
    main()
