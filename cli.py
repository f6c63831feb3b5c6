"""The ``rollout`` command. It parses, calls the ``sim`` package, and writes; no model logic.

Exit status: 0 done; 2 bad input (scenario, key, value or argument), one line per problem
on stderr naming the file and the key, and nothing written; 1 anything else.
"""

from __future__ import annotations

import sys
import time
import traceback

import click

from sim import output, plotting, report
from sim.runner import run_replications, tabulate
from sim.scenario import ScenarioError, load_scenario, resolve_scenario

BAD_INPUT = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def rollout() -> None:
    """Simulate a workforce training roll-out and whether it lasts."""


@rollout.command()
@click.argument("scenario")
@click.option(
    "--reps",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Replications (independent futures) to run.",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Seed of every random stream; same seed, same results.",
)
@click.option(
    "--out",
    type=click.Path(),
    default=None,
    help="New folder for the results (default: a new folder under outputs/).",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change a scenario key by its dotted path, e.g. "
    "programme.phases.1.start=2018-11-01. Repeatable.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes to run replications on; results do not depend on it.",
)
def run(
    scenario: str, reps: int, seed: int, out: str | None, overrides: tuple[str, ...], workers: int
) -> None:
    """Run SCENARIO (a .toml file or a bundled name such as 'camden')."""
    path = resolve_scenario(scenario)
    model = load_scenario(path, overrides)
    folder = output.new_run_folder(out, path.stem)
    details = dict(
        scenario=model,
        scenario_file=str(path),
        overrides=list(overrides),
        seed=seed,
        reps=reps,
        workers=workers,
    )
    output.write_manifest(folder, output.manifest(status="running", **details))
    try:
        began = time.perf_counter()
        tables = tabulate(model, run_replications(model, reps, seed, workers))
        simulated = time.perf_counter() - began
        tables.timeseries.to_csv(folder / "timeseries.csv", index=False)
        tables.summary.to_csv(folder / "summary.csv", index=False)
        plotting.coverage_figure(tables.timeseries, model, folder / "coverage.png")
        timings = {
            "simulation_seconds": round(simulated, 3),
            "ms_per_replication": round(1000 * simulated / reps, 2),
            "total_seconds": round(time.perf_counter() - began, 3),
        }
        files = ["timeseries.csv", "summary.csv", "coverage.png", "manifest.json"]
        output.write_manifest(
            folder, output.manifest(status="complete", timings=timings, files=files, **details)
        )
    except KeyboardInterrupt:
        output.write_manifest(folder, output.manifest(status="interrupted", **details))
        raise
    except Exception as exc:
        output.write_manifest(folder, output.manifest(status="failed", error=repr(exc), **details))
        raise
    for line in report.describe(model, tables.summary, seed):
        click.echo(line)
    click.echo(f"Results: {folder}/ (coverage.png, timeseries.csv, summary.csv, manifest.json)")


def main() -> None:
    """Entry point: map bad input to exit 2 with one line per problem, no traceback."""
    try:
        rollout.main(standalone_mode=False, prog_name="rollout")
    except ScenarioError as exc:
        for line in exc.lines:
            click.echo(f"rollout: {line}", err=True)
        sys.exit(BAD_INPUT)
    except click.ClickException as exc:
        click.echo(f"rollout: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, click.Abort):
        click.echo("rollout: interrupted", err=True)
        sys.exit(130)
    except Exception:
        click.echo("rollout: internal error (please report it with the lines below):", err=True)
        traceback.print_exc()
        sys.exit(1)


if __name__ == "__main__":
    main()
