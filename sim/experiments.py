"""Experiments: replications with intervals, paired comparisons of strategies, sweeps.

The three questions users bring, each one function returning pandas DataFrames (the
``rollout run``, ``compare`` and ``sweep`` commands are thin wrappers of these):

- :func:`run`: one scenario, many futures: per-replication summaries, their means with 95 %
  intervals, and monthly percentile bands of coverage and practice;
- :func:`compare`: several strategies on the same seeds. Replication ``r`` of every strategy
  sees the same staff join and leave (common random numbers, :mod:`sim.streams`), so the
  paired difference, replication by replication, is the strategy's effect alone and its
  interval is narrower than comparing two independent sets of futures;
- :func:`sweep`: one scenario over a one- or two-dimensional grid of key values, on shared
  seeds, with an optional target ("coverage ≥ 60 % in 90 % of futures") searched along it.

The work runs in batches (:mod:`sim.batches`) spread over processes and saved as each
finishes, so results are the same for any number of workers, an interrupted experiment
resumes where it stopped, and no experiment holds every replication's monthly rows in
memory unless asked (``keep_timeseries``).

Example
-------
>>> from sim import load_scenario, resolve_scenario
>>> from sim import experiments
>>> camden = load_scenario(resolve_scenario("camden"))
>>> later = camden.with_changes({"programme.phases.1.start_after_months": 12,
...                              "programme.phases.1.months": 12})
>>> result = experiments.compare({"now": camden, "later": later}, reps=50)  # doctest: +SKIP
>>> result.differences.query("measure == 'coverage_horizon'")  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import batches, experiment_plots, metrics, output, plotting
from .batches import BAND_COLUMNS, Batch, Point, Progress
from .clock import Clock
from .grid import (
    Variant,
    Vary,
    expand_grid,
    parse_compare_args,
    parse_target,
    parse_vary,
    unique_names,
)
from .scenario import Scenario, ScenarioError, load_scenario, resolve_scenario
from .summaries import (
    BAND_MEASURES,
    Target,
    TargetAnswer,
    as_float,
    bands_table,
    comparison_table,
    differences_table,
    interval_row,
    is_yes_no,
    measures_of,
    search_target,
    summary_stats,
    target_shares,
)

AUTO = "auto"  # ``out=AUTO``: a new dated folder under outputs/


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during an experiment: the finished batches are saved in ``folder``."""

    def __init__(self, folder: Path | None, done: int, total: int):
        super().__init__(f"interrupted with {done} of {total} replications saved")
        self.folder, self.done, self.total = folder, done, total


@dataclass
class RunExperiment:
    """A scenario's replications: ``summary`` (one row per replication), ``summary_stats``
    (one row per measure), ``bands`` (monthly percentiles), ``timeseries`` when kept."""

    summary: pd.DataFrame
    summary_stats: pd.DataFrame
    bands: pd.DataFrame
    timeseries: pd.DataFrame | None = None
    folder: Path | None = None


@dataclass
class Comparison:
    """Strategies on common seeds: per-replication ``summary`` (with a ``strategy`` column),
    ``comparison`` (each measure per strategy), ``differences`` (paired, from the first)."""

    strategies: list[str]
    summary: pd.DataFrame
    comparison: pd.DataFrame
    differences: pd.DataFrame
    bands: pd.DataFrame
    timeseries: pd.DataFrame | None = None
    folder: Path | None = None


@dataclass
class Sweep:
    """A grid of key values: ``sweep`` (one row per grid point and measure), per-replication
    ``replications``, and with a target, ``target`` (share meeting it per point) and
    ``answers`` (one plain sentence per grid row)."""

    keys: list[str]
    metric: str
    sweep: pd.DataFrame
    replications: pd.DataFrame
    target: pd.DataFrame | None = None
    answers: list[str] = field(default_factory=list)
    timeseries: pd.DataFrame | None = None
    folder: Path | None = None


# --------------------------------------------------------------------------- the session


@dataclass
class _Session:
    folder: Path
    batches: list[Batch]
    files: list[str]
    timings: dict[str, float]
    manifest: dict[str, Any] = field(default_factory=dict)  # added to the final manifest


def _digest(kind: str, points: Sequence[Point], seed: int, reps: int, keep_rows: bool) -> str:
    """What must match for ``resume`` to reuse a folder's batches."""
    content = {
        "kind": kind,
        "seed": seed,
        "reps": reps,
        "batch_size": batches.batch_size(len(points), reps),
        "keep_rows": keep_rows,
        "points": [
            {"labels": p.labels, "scenario": p.scenario.model_dump(mode="json")} for p in points
        ],
    }
    text = json.dumps(content, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _open_folder(out: Any, resume: bool, name: str, digest: str) -> tuple[Path, bool]:
    """The run folder (new, resumed or temporary) and whether it is temporary."""
    if resume:
        folder = Path(out) if out not in (None, AUTO) else None
        if folder is None or not folder.is_dir():
            raise ScenarioError([f"--resume {out}: no such run folder"])
        try:
            previous = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise ScenarioError([f"--resume {folder}: no readable manifest.json there"]) from None
        if previous.get("status") == "complete":
            raise ScenarioError([f"--resume {folder}: that run is already complete"])
        if previous.get("plan_digest") != digest:
            raise ScenarioError(
                [
                    f"--resume {folder}: made by a different command (scenario, --set, --vary, "
                    "--variant, --reps, --seed or --keep-timeseries differ); repeat that command"
                ]
            )
        return folder, False
    if out is None:
        return Path(tempfile.mkdtemp(prefix="rollout-")), True
    return output.new_run_folder(None if out == AUTO else out, name), False


@contextmanager
def _session(
    kind: str,
    points: Sequence[Point],
    seed: int,
    reps: int,
    workers: int | None,
    out: Any,
    resume: bool,
    keep_rows: bool,
    progress: Progress | None,
    record: Mapping[str, Any],
) -> Iterator[_Session]:
    """Open the folder, keep its manifest current, run the batches, and clean up."""
    workers = workers or os.cpu_count() or 1
    digest = _digest(kind, points, seed, reps, keep_rows)
    name = record.get("name") or points[0].scenario.name or kind
    folder, temporary = _open_folder(out, resume, name, digest)
    details = dict(
        scenario=record.get("scenario", points[0].scenario),
        scenario_file=str(record.get("scenario_file", "<python>")),
        overrides=list(record.get("overrides", ())),
        seed=seed,
        reps=reps,
        workers=workers,
    )
    extra = {
        "kind": kind,
        "plan_digest": digest,
        "batch_size": batches.batch_size(len(points), reps),
        "keep_timeseries": keep_rows,
        **record.get("manifest", {}),
    }

    def write(status: str, **more: Any) -> None:
        if not temporary:
            content = output.manifest(status=status, **details, **more)
            output.write_manifest(folder, {**content, **extra})

    done = {"reps": 0, "total": len(points) * reps}

    def track(d: int, t: int) -> None:
        done["reps"] = d
        if progress:
            progress(d, t)

    write("running")
    began = time.perf_counter()
    try:
        plan = batches.execute(points, seed, reps, folder, keep_rows, workers, track)
        simulated = time.perf_counter() - began
        timings = {
            "simulation_seconds": round(simulated, 3),
            "ms_per_replication": round(1000 * simulated / (len(points) * reps), 2),
        }
        session = _Session(folder, plan, [], timings)
        yield session
        session.timings["total_seconds"] = round(time.perf_counter() - began, 3)
        extra.update(session.manifest)
        write("complete", timings=session.timings, files=[*session.files, "manifest.json"])
        batches.remove_batches(folder)
    except KeyboardInterrupt:
        write("interrupted")
        raise Interrupted(None if temporary else folder, done["reps"], done["total"]) from None
    except Exception as exc:
        write("failed", error=repr(exc))
        raise
    finally:
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)


def _read_summary(path: Path, points: Sequence[Point]) -> pd.DataFrame:
    """The per-replication table read back with its types: booleans, labels as given."""
    label_keys = list(points[0].labels)
    table = pd.read_csv(path, dtype={k: str for k in label_keys})
    for name in metrics.BOOLEAN_SUMMARY:
        if name in table.columns:
            table[name] = table[name].astype("boolean")
    return _restore_labels(table, points)


def _restore_labels(table: pd.DataFrame, points: Sequence[Point]) -> pd.DataFrame:
    # Grid values come back from the plan, not from text: dates stay dates, 3 stays 3.
    if "point" in points[0].labels:
        index = table["point"].astype(int)
        table["point"] = index
        for key in list(points[0].labels)[1:]:
            table[key] = [points[i].labels[key] for i in index]
    return table


def _read_timeseries(path: Path, points: Sequence[Point]) -> pd.DataFrame:
    label_keys = list(points[0].labels)
    table = pd.read_csv(path, dtype={"date": str, **{k: str for k in label_keys}})
    return _restore_labels(table, points)


def _dates(scenario: Scenario) -> list[str]:
    clock = Clock(scenario.scenario.start, scenario.scenario.horizon_months)
    return [d.isoformat() for d in clock.month_dates[: clock.horizon_months]]


def _band_arrays(session: _Session, point: int) -> dict[str, np.ndarray]:
    values = batches.load_bands(session.folder, session.batches, point)
    return {name: values[:, :, i] for i, name in enumerate(BAND_COLUMNS)}


def _plot_frame(arrays: dict[str, np.ndarray], scenario: Scenario) -> pd.DataFrame:
    """A timeseries-shaped frame holding only the columns the coverage picture draws."""
    reps, months = arrays["coverage"].shape
    dates = _dates(scenario)
    frame = pd.DataFrame(
        {
            "rep": np.repeat(np.arange(reps), months),
            "month": np.tile(np.arange(months), reps),
            "date": pd.Categorical(np.tile(dates, reps), categories=dates),
        }
    )
    for name, values in arrays.items():
        frame[name] = values.reshape(-1)
    return frame


# --------------------------------------------------------------------------- run


def run(
    scenario: Scenario,
    reps: int = 20,
    seed: int = 1,
    workers: int | None = None,
    out: str | Path | None = None,
    resume: bool = False,
    keep_timeseries: bool = False,
    progress: Progress | None = None,
    record: Mapping[str, Any] | None = None,
) -> RunExperiment:
    """Replicate one scenario; summaries with 95 % intervals and monthly percentile bands.

    Parameters
    ----------
    scenario, reps, seed
        What to run: replications ``0 .. reps - 1`` on the streams of ``(seed, r)``.
    workers
        Processes (default: every core). The results do not depend on it.
    out
        A new folder to write the run into (it must not exist), :data:`AUTO` for a new
        dated folder under ``outputs/``, or None to keep nothing on disk. A folder gets
        ``timeseries.csv``, ``summary.csv``, ``summary_stats.csv``, ``bands.csv``,
        ``coverage.png``, ``fan.png`` and ``manifest.json``.
    resume
        Carry on the interrupted run in ``out``, skipping the batches it saved.
    keep_timeseries
        Return every replication's monthly rows (written to a folder in any case).
    progress
        Called with (replications done, total) after each batch.
    record
        What the manifest records of the command: ``scenario_file``, ``overrides``.
    """
    record = dict(record or {})
    points = [Point({}, scenario)]
    keep_rows = keep_timeseries or out is not None
    with _session(
        "run", points, seed, reps, workers, out, resume, keep_rows, progress, record
    ) as s:
        header = batches.summary_header(points)
        batches.concatenate(s.folder, s.batches, "summary.csv", header, s.folder / "summary.csv")
        summary = _read_summary(s.folder / "summary.csv", points)
        stats = summary_stats(summary)
        arrays = _band_arrays(s, 0)
        bands = bands_table({m: arrays[m] for m in BAND_MEASURES}, _dates(scenario))
        timeseries = None
        if keep_rows:
            batches.concatenate(
                s.folder,
                s.batches,
                "timeseries.csv",
                batches.timeseries_header(points),
                s.folder / "timeseries.csv",
            )
            if keep_timeseries:
                timeseries = _read_timeseries(s.folder / "timeseries.csv", points)
        stats.to_csv(s.folder / "summary_stats.csv", index=False)
        bands.to_csv(s.folder / "bands.csv", index=False)
        s.files += ["timeseries.csv", "summary.csv", "summary_stats.csv", "bands.csv"]
        if out is not None:
            plotting.coverage_figure(
                _plot_frame(arrays, scenario), scenario, s.folder / "coverage.png"
            )
            experiment_plots.fan_chart(bands, scenario, s.folder / "fan.png")
            s.files += ["coverage.png", "fan.png"]
        folder = None if out is None else s.folder
    return RunExperiment(summary, stats, bands, timeseries, folder)


# --------------------------------------------------------------------------- compare


def load_strategies(items: Sequence[str], overrides: Sequence[str] = ()) -> dict[str, Scenario]:
    """Strategies from the command's words: ``A B …`` or ``A --variant NAME K=V … …``.

    Every scenario gets ``overrides`` (``--set``); a variant gets its own changes after
    them. Problems in every strategy are reported together.
    """
    names, variants = parse_compare_args(items)
    problems: list[str] = []
    strategies: dict[str, Scenario] = {}
    paths = []
    for name in names:
        try:
            paths.append(resolve_scenario(name))
        except ScenarioError as exc:
            problems += exc.lines
    if problems:
        raise ScenarioError(problems)
    labels = unique_names([p.stem for p in paths])
    wanted: list[tuple[str, Path, list[str]]] = [
        (label, path, list(overrides)) for label, path in zip(labels, paths, strict=True)
    ]
    seen = set(labels)
    for variant in variants:
        if variant.name in seen:
            problems.append(f"--variant {variant.name}: the name is already taken")
        seen.add(variant.name)
        wanted.append((variant.name, paths[0], [*overrides, *variant.changes]))
    for label, path, changes in wanted:
        try:
            strategies[label] = load_scenario(path, changes)
        except ScenarioError as exc:
            problems += [f"{line} (strategy {label})" for line in exc.lines]
    if problems:
        raise ScenarioError(list(dict.fromkeys(problems)))
    return strategies


def compare(
    strategies: Mapping[str, Scenario],
    reps: int = 20,
    seed: int = 1,
    workers: int | None = None,
    out: str | Path | None = None,
    resume: bool = False,
    keep_timeseries: bool = False,
    progress: Progress | None = None,
    record: Mapping[str, Any] | None = None,
) -> Comparison:
    """Run every strategy on the same seeds and compare them with the first.

    Writes (when ``out`` is given) ``summary.csv`` (per strategy and replication),
    ``comparison.csv``, ``differences.csv``, ``bands.csv``, ``coverage.png``,
    ``manifest.json`` and, with ``keep_timeseries``, ``timeseries.csv``. See
    :func:`sim.summaries.differences_table` for the paired differences and how much pairing
    narrowed their intervals (``width_ratio``). Other parameters as :func:`run`.
    """
    if len(strategies) < 2:
        raise ScenarioError(["compare: give two or more strategies"])
    names = list(strategies)
    points = [Point({"strategy": name}, strategies[name]) for name in names]
    record = dict(record or {})
    record.setdefault("name", f"compare-{names[0]}")
    record["manifest"] = {
        **record.get("manifest", {}),
        "strategies": names,
        "strategy_scenarios": {n: strategies[n].model_dump(mode="json") for n in names[1:]},
    }
    with _session(
        "compare", points, seed, reps, workers, out, resume, keep_timeseries, progress, record
    ) as s:
        header = batches.summary_header(points)
        batches.concatenate(s.folder, s.batches, "summary.csv", header, s.folder / "summary.csv")
        summary = _read_summary(s.folder / "summary.csv", points)
        table = comparison_table(summary, names)
        differences = differences_table(summary, names)
        bands = pd.concat(
            [
                bands_table(
                    {m: a for m, a in _band_arrays(s, i).items() if m in BAND_MEASURES},
                    _dates(points[i].scenario),
                    {"strategy": name},
                )
                for i, name in enumerate(names)
            ],
            ignore_index=True,
        )
        table.to_csv(s.folder / "comparison.csv", index=False)
        differences.to_csv(s.folder / "differences.csv", index=False)
        bands.to_csv(s.folder / "bands.csv", index=False)
        s.files += ["summary.csv", "comparison.csv", "differences.csv", "bands.csv"]
        timeseries = None
        if keep_timeseries:
            batches.concatenate(
                s.folder,
                s.batches,
                "timeseries.csv",
                batches.timeseries_header(points),
                s.folder / "timeseries.csv",
            )
            timeseries = _read_timeseries(s.folder / "timeseries.csv", points)
            s.files.append("timeseries.csv")
        if out is not None:
            experiment_plots.compare_coverage(bands, names, s.folder / "coverage.png")
            s.files.append("coverage.png")
        s.manifest["pairing_width_ratio_median"] = _median_ratio(differences)
        folder = None if out is None else s.folder
    return Comparison(names, summary, table, differences, bands, timeseries, folder)


def _median_ratio(differences: pd.DataFrame) -> float:
    ratios = differences["width_ratio"].dropna() if len(differences) else pd.Series([])
    return round(float(ratios.median()), 3) if len(ratios) else float("nan")


# --------------------------------------------------------------------------- sweep


def grid_points(scenario: Scenario, varies: Sequence[Vary], source: str) -> list[Point]:
    """One validated scenario per grid point; every problem once, with where it arises."""
    grid = expand_grid(varies)
    problems: dict[str, list[str]] = {}
    points: list[Point] = []
    for i, values in enumerate(grid):
        try:
            changed = scenario.with_changes(values, source=source)
        except ScenarioError as exc:
            where = ", ".join(f"{k}={_text(v)}" for k, v in values.items())
            for line in exc.lines:
                problems.setdefault(line, []).append(where)
            continue
        points.append(Point({"point": i, **values}, changed))
    if problems:
        lines = []
        for line, where in problems.items():
            if len(where) == len(grid):
                lines.append(f"{line} (--vary: at every grid point)")
            else:
                more = f" and {len(where) - 1} other grid point(s)" if len(where) > 1 else ""
                lines.append(f"{line} (--vary {where[0]}{more})")
        raise ScenarioError(lines)
    return points


def _text(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else f"{value}"


def sweep(
    scenario: Scenario,
    varies: Sequence[Vary] | Mapping[str, Sequence[Any]],
    metric: str = "coverage_horizon",
    target: Target | None = None,
    probability: float = 0.9,
    reps: int = 20,
    seed: int = 1,
    workers: int | None = None,
    out: str | Path | None = None,
    resume: bool = False,
    keep_timeseries: bool = False,
    progress: Progress | None = None,
    record: Mapping[str, Any] | None = None,
) -> Sweep:
    """Run a scenario over a grid of one or two keys' values, on shared seeds.

    Parameters
    ----------
    varies
        The swept keys and their values, first key outermost: ``{"programme.phases.1.
        start_after_months": range(0, 25, 3)}`` or :class:`~sim.grid.Vary` objects.
    metric
        The measure drawn (lines with 95 % intervals for one key, a heatmap for two).
    target, probability
        With a target, the share of replications meeting it at each grid point, and for
        each value of the first key (one-key sweeps: once) the last or least value of the
        last key at which that share is at least ``probability``, as a sentence.
    Other parameters as :func:`run`. Writes ``sweep.csv`` (one row per grid point and
    measure), ``sweep_replications.csv``, ``sweep.png``, ``target.csv`` with a target, and
    ``timeseries.csv`` with ``keep_timeseries``.
    """
    if isinstance(varies, Mapping):
        varies = [Vary(k, tuple(v)) for k, v in varies.items()]
    measures = metrics.summary_columns(scenario)
    if metric not in measures:
        raise ScenarioError(
            [f"--metric {metric}: unknown measure (measures: {', '.join(measures)})"]
        )
    if not 0 < probability <= 1:
        raise ScenarioError([f"--probability {probability}: must be above 0 and at most 1"])
    record = dict(record or {})
    source = str(record.get("scenario_file", "<python>"))
    points = grid_points(scenario, varies, source)
    keys = [v.key for v in varies]
    record.setdefault("name", f"sweep-{scenario.name or 'scenario'}")
    record["scenario"] = scenario  # the manifest holds the scenario before --vary
    record["manifest"] = {
        **record.get("manifest", {}),
        "grid": {v.key: [_text(x) for x in v.values] for v in varies},
        "metric": metric,
        "target": None if target is None else str(target),
        "probability": probability,
    }
    with _session(
        "sweep", points, seed, reps, workers, out, resume, keep_timeseries, progress, record
    ) as s:
        header = batches.summary_header(points)
        replications_path = s.folder / "sweep_replications.csv"
        batches.concatenate(s.folder, s.batches, "summary.csv", header, replications_path)
        replications = _read_summary(replications_path, points)
        table = sweep_table(replications, ["point", *keys])
        table.to_csv(s.folder / "sweep.csv", index=False)
        s.files += ["sweep.csv", "sweep_replications.csv"]
        shares, answers = None, []
        if target is not None:
            shares = target_shares(replications, target, ["point", *keys])
            shares.insert(len(keys) + 1, "target", str(target))
            shares["meets"] = shares["share_met"] >= probability
            answers = target_answers(shares, keys, target, probability, table, scenario)
            shares.to_csv(s.folder / "target.csv", index=False)
            s.files.append("target.csv")
        timeseries = None
        if keep_timeseries:
            batches.concatenate(
                s.folder,
                s.batches,
                "timeseries.csv",
                batches.timeseries_header(points),
                s.folder / "timeseries.csv",
            )
            timeseries = _read_timeseries(s.folder / "timeseries.csv", points)
            s.files.append("timeseries.csv")
        if out is not None:
            experiment_plots.sweep_figure(
                table, keys, metric, target, probability, shares, s.folder / "sweep.png"
            )
            s.files.append("sweep.png")
        s.manifest["answers"] = answers
        folder = None if out is None else s.folder
    return Sweep(keys, metric, table, replications, shares, answers, timeseries, folder)


def sweep_table(replications: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """One row per grid point and measure: mean, sd, 95 % interval, n, p5/p50/p95."""
    rows = []
    measures = measures_of(replications)
    for _, part in replications.groupby("point", sort=True):
        labels = {k: part[k].iloc[0] for k in by}
        for m in measures:
            values = as_float(part[m])
            finite = values[np.isfinite(values)]
            spread = np.percentile(finite, (5, 50, 95)) if len(finite) else [np.nan] * 3
            rows.append(
                {
                    **labels,
                    "measure": m,
                    **interval_row(values, is_yes_no(m)),
                    "p5": spread[0],
                    "p50": spread[1],
                    "p95": spread[2],
                }
            )
    return pd.DataFrame(rows)


def target_answers(
    shares: pd.DataFrame,
    keys: Sequence[str],
    target: Target,
    probability: float,
    table: pd.DataFrame,
    scenario: Scenario,
) -> list[str]:
    """One sentence per grid row: how far along the last key the target still holds."""
    from .experiment_report import target_sentence  # words live with the other words

    last = keys[-1]
    rows = [((), shares)] if len(keys) == 1 else list(shares.groupby(keys[0], sort=False))
    answers = []
    for row_key, part in rows:
        part = part.sort_values(last)
        answer: TargetAnswer = search_target(list(part[last]), list(part["share_met"]), probability)
        given = (
            {}
            if len(keys) == 1
            else {keys[0]: row_key[0] if isinstance(row_key, tuple) else row_key}
        )
        answers.append(
            target_sentence(answer, given, last, target, probability, part, table, scenario)
        )
    return answers


def destination(out: str | None, resume: str | None) -> tuple[str | Path, bool]:
    """Where a command writes: ``(out, resume)`` arguments for :func:`run` and the others."""
    if out is not None and resume is not None:
        raise ScenarioError([f"--out {out} and --resume {resume}: give one or the other"])
    if resume is not None:
        return resume, True
    return (AUTO if out is None else out), False


def sweep_request(
    scenario: Scenario, varies: Sequence[str], metric: str | None, target: str | None
) -> tuple[list[Vary], str, Target | None]:
    """The parsed ``--vary``, ``--metric`` and ``--target`` arguments, every problem at once.

    ``--metric`` defaults to the target's measure, else ``coverage_horizon``.
    """
    measures = metrics.summary_columns(scenario)
    problems: list[str] = []
    parsed: list[Vary] = []
    for text in varies:
        try:
            parsed.append(parse_vary(text))
        except ScenarioError as exc:
            problems += exc.lines
    wanted = None
    if target is not None:
        try:
            wanted = parse_target(target, measures)
        except ScenarioError as exc:
            problems += exc.lines
    metric = metric or (wanted.metric if wanted else "coverage_horizon")
    if metric not in measures:
        problems.append(f"--metric {metric}: unknown measure (measures: {', '.join(measures)})")
    if not problems:
        try:
            expand_grid(parsed)
        except ScenarioError as exc:
            problems += exc.lines
    if problems:
        raise ScenarioError(problems)
    return parsed, metric, wanted


def resume_hint(argv: Sequence[str], folder: Path) -> str:
    """The command that carries on an interrupted experiment in ``folder``."""
    words: list[str] = []
    skip = False
    for word in argv:
        if skip:
            skip = False
            continue
        if word in ("--out", "--resume"):
            skip = True
            continue
        if word.startswith(("--out=", "--resume=")):
            continue
        words.append(word)
    return " ".join(["rollout", *words, "--resume", str(folder)])


__all__ = [
    "AUTO",
    "Comparison",
    "Interrupted",
    "RunExperiment",
    "Sweep",
    "Variant",
    "compare",
    "load_strategies",
    "run",
    "sweep",
]
