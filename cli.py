"""The ``rollout`` command. It parses, calls the ``sim`` package, and writes; no model logic.

Exit status: 0 done; 2 bad input (scenario, key, value or argument), one line per problem
on stderr naming the file and the key, and nothing written; 1 anything else; 130 Ctrl-C.

Start-up is kept light: only click loads before a command runs, and each command imports
the floors it needs (pandas, matplotlib, scipy and simpy only for work that simulates), so
help and bad-input errors come back at once.
"""

from __future__ import annotations

import sys

# Ctrl-C handling first, before click loads (sim.commands.interrupts says why).
from sim.commands import interrupts  # loads nothing heavy

interrupts.install()

import traceback  # noqa: E402

import click  # noqa: E402

from sim.commands import options  # noqa: E402  (click and plain numbers: loads nothing)
from sim.scenario.limits import MAX_REPS  # noqa: E402

BAD_INPUT = 2


def _say(line: str, err: bool = False) -> None:
    """Print a line; the one way this command prints, so that a name holding control
    characters (an escape sequence) is shown escaped, never obeyed by the terminal.
    """
    from sim.scenario.safe_text import terminal

    click.echo(terminal(line), err=err)


def _say_all(lines) -> None:
    for line in lines:
        _say(line)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def rollout() -> None:
    """Simulate a workforce training roll-out and whether it lasts."""


@rollout.command()
@click.argument("scenario")
@click.option(
    "--observed",
    default=None,
    type=click.Path(dir_okay=False),
    help="What happened (CSV: date, measure, value, sd): drawn against the futures and said "
    "in words; observed_check.csv. A plan:NAME run uses the plan's attached figures.",
)
@options.point_values
@options.common
def run(scenario: str, observed: str | None, point_values: bool, **common) -> None:
    """Run SCENARIO (a .toml file, a bundled name such as 'camden', or plan:NAME)."""
    from sim.commands import work

    _say_all(work.run(scenario, point_values, common, observed))


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
@options.point_values
@options.experiment
def compare(strategies, first_name, value, evppi, point_values, **common) -> None:
    """Compare strategies on the same futures: A B [C ...] (files or bundled names), or
    A --variant NAME KEY=VALUE [KEY=VALUE ...] [--variant ...]. Differences are from the first.
    """
    from sim.commands import work

    _say_all(work.compare(strategies, first_name, value, evppi, point_values, common))


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
@options.point_values
@options.experiment
def sweep(scenario, point_values, varies, metric, target, probability, **common) -> None:
    """Run SCENARIO over a grid of one or two keys' values, on shared seeds."""
    from sim.commands import work

    _say_all(work.sweep(scenario, point_values, varies, metric, target, probability, common))


@rollout.command()
@click.argument("scenario")
@options.levers
@options.point_values
@options.search
def optimise(scenario: str, point_values: bool, **flags) -> None:
    """Search many levers of SCENARIO at once for the plan that meets a target for the least
    money (or the cost-practice front), and choose among the best with a stated chance of
    being right.
    """
    from sim.commands.optimise import optimise as search

    _say_all(search(scenario, point_values, flags))


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
@options.common
def sensitivity(scenario, method, metric, samples, ranges, **common) -> None:
    """Which uncertain assumptions drive a measure: global sensitivity of SCENARIO over the
    keys of its [uncertainty] table (or --vary ranges), with the noise floor.
    """
    from sim.commands import work

    _say_all(work.sensitivity(scenario, method, metric, samples, ranges, common))


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
@options.point_values
@options.common
def levers(scenario: str, only: tuple[str, ...], point_values: bool, **common) -> None:
    """Audit SCENARIO's levers: each one nudged on the same futures, its effect on
    practising person-months and on coverage 36 months in, against a noise floor.
    """
    from sim.commands import work

    _say_all(work.levers(scenario, only, point_values, common))


@rollout.command()
@click.argument("scenario")
@click.option(
    "--observed",
    default=None,
    type=click.Path(dir_okay=False),
    help="CSV of what was seen: date, measure, value, and sd (or low, high: a 95% interval). "
    "Needed unless SCENARIO is plan:NAME with figures attached.",
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
@options.calibration
def calibrate(scenario, observed, draws, accept, **common) -> None:
    """Fit SCENARIO's [uncertainty] keys to what was observed (rejection ABC): writes the
    posterior sample, pictures and a calibrated scenario.
    """
    from sim.commands import work

    _say_all(work.calibrate(scenario, observed, draws, accept, common))


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
@click.option(
    "--observed-template",
    default=None,
    metavar="SCENARIO",
    help="Write a blank observed-figures CSV (date, measure, value, sd) at SCENARIO's dates "
    "to -o instead, for rollout run --observed and rollout calibrate.",
)
@click.option("-o", "--out", required=True, type=click.Path(), help="New file to write.")
def new_command(
    council, year, years, template, start, roster, leavers, roster_template, observed_template, out
) -> None:
    """Write a commented starting scenario: from a council's DfE figures, or from your own
    staff list (--roster), or write the roster template (--roster-template) or a blank
    observed-figures file for a scenario (--observed-template SCENARIO).
    """
    from sim.commands import work

    _say_all(
        work.new(
            council,
            year,
            years,
            template,
            start,
            roster,
            leavers,
            roster_template,
            out,
            observed_template,
        )
    )


_FOLDER_HELP = "Plans folder (default: $ROLLOUT_PLANS, else ./plans); shared with the app."


@rollout.group(name="plans", invoke_without_command=True)
@click.option("--folder", default=None, type=click.Path(file_okay=False), help=_FOLDER_HELP)
@click.pass_context
def plans_command(context: click.Context, folder: str | None) -> None:
    """List the saved plans (who saved each, when, and whether observed figures are
    attached); save or delete one. A saved plan runs as plan:NAME wherever a scenario goes.
    """
    context.obj = folder
    if context.invoked_subcommand is None:
        from sim.commands import plans

        _say_all(plans.listing(folder))


@plans_command.command(name="save")
@click.argument("name")
@click.argument("scenario")
@click.option("--by", default=None, metavar="WHO", help="Who saves it (default: your login).")
@click.option("--replace", is_flag=True, help="Save over a plan of that name (it is kept).")
@click.option(
    "--observed",
    default=None,
    type=click.Path(dir_okay=False),
    help="Attach what happened: a CSV of date, measure, value, sd (rollout calibrate's format).",
)
@click.option("--folder", default=None, type=click.Path(file_okay=False), help=_FOLDER_HELP)
@click.pass_obj
def plans_save(outer, name, scenario, by, replace, observed, folder) -> None:
    """Keep SCENARIO (a file, a bundled name or plan:NAME) as the plan NAME."""
    from sim.commands import plans

    _say_all(plans.save(name, scenario, by, replace, observed, folder or outer))


@plans_command.command(name="delete")
@click.argument("name")
@click.option("--folder", default=None, type=click.Path(file_okay=False), help=_FOLDER_HELP)
@click.pass_obj
def plans_delete(outer, name, folder) -> None:
    """Delete the plan NAME (a copy is kept in the folder's previous/)."""
    from sim.commands import plans

    _say_all(plans.delete(name, folder or outer))


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
    and its tables as an Excel workbook beside it.
    """
    from sim.outputs.report import write_report

    page, workbook = write_report(run_dir, out)
    _say(f"Wrote {page} (open it in a browser; prints to PDF) and {workbook}")


@rollout.command(name="app")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Port (default 8501, or the settings file's).",
)
@click.option(
    "--settings",
    "settings_file",
    default=None,
    metavar="FILE",
    help="Server settings (TOML): workers, upload limit, plans folder, address, port, "
    "base path; see docs/deploy.md.",
)
def app_command(port: int | None, settings_file: str | None) -> None:
    """Start the web app for planners on http://localhost:PORT (Streamlit)."""
    from sim.app.serve import serve

    sys.exit(serve(port, settings_file))


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
@options.common
def national_command(template, years, start, council_names, metric, **common) -> None:
    """Run one programme in every English council, built from its DfE figures as
    `rollout new` does; rank the councils and say which figures explain the difference.
    """
    from sim.commands import work

    _say_all(work.national(template, years, start, council_names, metric, common))


@rollout.command(name="hindcast")
@click.option(
    "--fit",
    default="2017:2020",
    show_default=True,
    metavar="Y1:Y2",
    help="DfE years each council is built from (the run starts on 1 October after the last).",
)
@click.option(
    "--check",
    default="2021:2025",
    show_default=True,
    metavar="Y1:Y2",
    help="Later DfE years the futures are set against (the run ends on 30 September of the last).",
)
@click.option(
    "--council",
    "council_names",
    multiple=True,
    metavar="NAME",
    help="Only this council (matched forgivingly); give it again for more. Default: all.",
)
@click.option(
    "--template",
    default="camden",
    show_default=True,
    metavar="camden|havering|FILE",
    help="Template the scenarios are built with (its programme is taken out).",
)
@options.common
def hindcast_command(fit, check, council_names, template, **common) -> None:
    """Build every council from its DfE figures for --fit, run it on with no programme, and
    say how often the band of 90% of futures held what the DfE published for --check.
    """
    from sim.commands.hindcast import hindcast

    _say_all(hindcast(fit, check, council_names, template, common))


def main() -> None:
    """Entry point: bad input to exit 2 with one line per problem (naming the flags), no
    traceback; Ctrl-C at any moment to a short message and exit 130; anything else exit 1.
    """
    from sim.commands.flags import Stopped, flag_lines
    from sim.scenario.keys import BadInput

    with interrupts.watching() as watch:

        def finish(lines: list[str], code: int) -> None:
            watch.end()  # from here a Ctrl-C ends at once
            for line in lines:
                _say(line, err=True)
            sys.exit(code)

        try:
            rollout.main(standalone_mode=False, prog_name="rollout")
            interrupts.check()
        except Stopped as stop:
            finish(stop.lines, stop.code)
        except BadInput as exc:
            finish([f"rollout: {line}" for line in flag_lines(exc)], BAD_INPUT)
        except click.ClickException as exc:
            finish([f"rollout: {exc.format_message()}"], exc.exit_code)
        except (KeyboardInterrupt, click.Abort):
            finish(["rollout: interrupted"], interrupts.INTERRUPTED)
        except Exception:
            if interrupts.happened():  # the error is Ctrl-C's doing
                finish(["rollout: interrupted"], interrupts.INTERRUPTED)
            finish(
                [
                    "rollout: internal error (please report it with the lines below):",
                    traceback.format_exc().rstrip("\n"),
                ],
                1,
            )


if __name__ == "__main__":
    main()
