"""The options every simulating command shares, declared once for ``cli.py``.

Here rather than in ``cli.py`` so that the entry point stays a short list of commands; the
flags' names, defaults and help are part of the stable contract (docs/cli).
"""

from __future__ import annotations

import click

from ..scenario.limits import MAX_REPS


def _common_options(reps_help: str, resume_help: str, tables: bool) -> list:
    """The common options; ``tables`` adds ``--format`` (for commands that write
    per-replication tables: optimise writes small tables of plans, always CSV).
    """
    options = [
        click.option(
            "--reps",
            type=click.IntRange(min=1, max=MAX_REPS),
            default=20,
            show_default=True,
            help=f"{reps_help} (at most {MAX_REPS:,}).",
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
            help=resume_help,
        ),
    ]
    if tables:
        options.append(
            click.option(
                "--format",
                "file_format",
                type=click.Choice(["csv", "parquet"]),  # sim.experiments.formats.FORMATS
                default="csv",
                show_default=True,
                help="Format of the per-replication tables (timeseries, summary); parquet is "
                "far smaller for large runs and needs the cluster extra.",
            )
        )
    options += [
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
    return options


def _apply(options: list, command):
    for option in reversed(options):
        command = option(command)
    return command


def common(command):
    """Options every simulating command shares: how many futures, which, where, changes,
    the tables' format, and where the work runs (processes here, or a Dask cluster).
    """
    options = _common_options(
        "Replications (futures) of every scenario, strategy or grid point",
        "Carry on an interrupted run in DIR (same command), skipping saved batches.",
        tables=True,
    )
    return _apply(options, command)


def search(command):
    """The common options as optimise takes them: no ``--format`` (it writes no
    per-replication tables; candidates.csv and front.csv are small and always CSV), and
    help in terms of plans.
    """
    options = _common_options(
        "Futures each plan of the search is run on, the same for every plan",
        "Carry on an interrupted search in DIR (same command), skipping the plans already run.",
        tables=False,
    )
    return _apply(options, command)


def experiment(command):
    """Options of compare and sweep: the common ones, and whether to keep monthly rows."""
    keep = click.option(
        "--keep-timeseries",
        is_flag=True,
        help="Also write every replication's monthly rows (timeseries.csv).",
    )
    return common(keep(command))


point_values = click.option(
    "--point-values",
    is_flag=True,
    help="Run on the scenario's own values, without its [uncertainty] table.",
)


def calibration(command):
    """Options of calibrate: its own default of replications (every draw is averaged over
    them), the seed, the folder, changes and where the draws run.
    """
    options = [
        click.option(
            "--reps",
            type=click.IntRange(min=1, max=MAX_REPS),
            default=2,
            show_default=True,
            help="Replications of every draw (averaged; common random numbers).",
        ),
        click.option(
            "--seed", type=click.IntRange(min=0), default=1, show_default=True, help="Seed."
        ),
        click.option("--out", type=click.Path(), default=None, help="New folder for the results."),
        click.option(
            "--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Change a key."
        ),
        click.option("--workers", type=click.IntRange(min=1), default=None, help="Processes."),
        click.option(
            "--resume", type=click.Path(), default=None, metavar="DIR", help="Carry on DIR."
        ),
        click.option(
            "--dask", is_flag=True, help="Run the draws on a Dask cluster started on this machine."
        ),
        click.option(
            "--scheduler",
            default=None,
            metavar="ADDRESS",
            help="Run the draws on an existing cluster.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def levers(command):
    """Options of optimise: the levers and their ranges, the target and its chance, what
    to minimise (or the front), the budget of plans, and the choice's guarantee.
    """
    options = [
        click.option(
            "--lever",
            "levers",
            multiple=True,
            required=True,
            metavar="KEY=LOW:HIGH[:STEP] | KEY=a,b,c",
            help="A lever to move and its range (whole numbers, reals, months) or its "
            "choices. Repeatable: any number of levers.",
        ),
        click.option(
            "--target",
            default=None,
            metavar="'MEASURE>=X'",
            help="A condition each future meets or not, e.g. 'practising_share_m48>=0.4'.",
        ),
        click.option(
            "--probability",
            type=float,
            default=0.9,
            show_default=True,
            help="Share of futures in which the target must be met (above 0, below 1).",
        ),
        click.option(
            "--minimise",
            default=None,
            metavar="MEASURE",
            help="The measure to make least (default: total_cost).",
        ),
        click.option(
            "--pareto",
            default=None,
            metavar="COST,BENEFIT",
            help="Search the front of two measures instead, e.g. "
            "total_cost,practising_person_months.",
        ),
        click.option(
            "--budget",
            type=click.IntRange(min=1),
            default=50,
            show_default=True,
            help="Plans (candidates) the search runs; at least the number of levers.",
        ),
        click.option(
            "--pcs",
            type=float,
            default=0.95,
            show_default=True,
            help="Chance that the plan chosen is the best (the selection's guarantee).",
        ),
        click.option(
            "--indifference",
            "delta",
            type=float,
            default=None,
            metavar="AMOUNT",
            help="Differences smaller than this do not matter, in the measure's units "
            "(default: 1% of the scenario's own).",
        ),
        click.option(
            "--first-stage",
            type=click.IntRange(min=2),
            default=10,
            show_default=True,
            help="Observations of every plan compared in the choice's first stage (each 5 "
            "futures with a target); they estimate the variances the guarantee rests on.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command
