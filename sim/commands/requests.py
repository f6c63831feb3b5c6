"""What a command asks for, checked before any work: strategies, grids, targets, folders,
the engine.

Every function here reads the command's flags and raises :class:`~sim.scenario.BadInput`
(a :class:`~sim.scenario.ScenarioError` for a scenario's problems) with every problem at
once, so a mistyped argument ends with exit 2 before anything is written. It loads only
the scenario floor and the measures' names (no pandas, SciPy, SimPy or matplotlib), so
such mistakes are reported at once.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..experiments.engines import LOCAL, Engine
from ..experiments.grid import DEFAULT_METRIC, Vary, expand_grid, parse_vary, unique_names
from ..experiments.settings import ALREADY_EXISTS, AUTO
from ..scenario.destinations import check_folder, check_new
from ..scenario.keys import BadArgument, BadInput, ScenarioError
from ..scenario.loading import load_scenario, resolve_scenario

if TYPE_CHECKING:
    from ..experiments.targets import Target
    from ..scenario.schema import Scenario

DEFAULT_BASE = "outputs"  # where AUTO's folders go (sim.experiments.folders.new_run_folder)


def choose_engine(dask: bool, scheduler: str | None, workers: int | None) -> Engine:
    """The engine the command's ``--dask``, ``--scheduler`` and ``--workers`` ask for.

    Raises
    ------
    BadInput
        ``--dask`` with ``--scheduler``; ``--workers`` with ``--scheduler`` (an existing
        cluster brings its own workers); an empty address.
    """
    if dask and scheduler is not None:
        raise BadInput(
            [
                f"--dask and --scheduler {scheduler}: give one or the other (--dask starts a "
                "cluster on this machine, --scheduler uses one that exists)"
            ]
        )
    if scheduler is not None:
        if not scheduler.strip():
            raise BadInput(["--scheduler: give the scheduler's address, e.g. tcp://host:8786"])
        if workers is not None:
            raise BadInput(
                [
                    f"--workers {workers} and --scheduler {scheduler}: the cluster's own workers "
                    "run the batches; leave out --workers"
                ]
            )
        return Engine("dask", scheduler.strip())
    return Engine("dask") if dask else LOCAL


def destination(out: str | None, resume: str | None) -> tuple[str | Path, bool]:
    """Where a command writes: ``(out, resume)`` of its :class:`RunSettings`.

    A folder that ``--out`` names must not exist and must be creatable, and one that
    ``--resume`` names must exist and be writable (:mod:`sim.scenario.destinations`), so a
    destination that cannot be written stops the command before any work. The rest of
    ``--resume``'s checks need the plan, and are made when the experiment opens it.
    """
    if out is not None and resume is not None:
        raise BadInput([f"--out {out} and --resume {resume}: give one or the other"])
    if resume is not None:
        if not os.path.isdir(resume):  # os.path: a name too long is no folder, not an OSError
            raise BadInput([f"--resume {resume}: no such run folder"])
        check_folder(resume, "--resume")
        return resume, True
    if out is None:
        base = Path(DEFAULT_BASE)
        if base.is_dir():
            check_folder(base, "outputs folder")
        elif os.path.lexists(base):
            raise BadInput(
                [
                    f"outputs folder {base}: not a folder; runs go in new folders under it "
                    "(or give --out)"
                ]
            )
        else:
            check_new(base, "outputs folder")
        return AUTO, False
    check_new(out, "--out")
    if Path(out).exists():
        raise BadArgument(ALREADY_EXISTS, given=out)
    return out, False


@dataclass(frozen=True)
class Variant:
    """A named strategy: the base scenario with ``KEY=VALUE`` changes."""

    name: str
    changes: tuple[str, ...]


def parse_compare_args(items: Sequence[str]) -> tuple[list[str], list[Variant]]:
    """Split ``A B … --variant NAME KEY=VALUE … --variant …`` into scenarios and variants."""
    scenarios: list[str] = []
    variants: list[Variant] = []
    i = 0
    while i < len(items) and items[i] != "--variant":
        if items[i].startswith("-"):
            raise ScenarioError([f"compare: unknown option {items[i]!r}"])
        scenarios.append(items[i])
        i += 1
    for word in items[i:]:
        if word.startswith("-") and word != "--variant":
            raise ScenarioError([f"compare: unknown option {word!r}"])
    while i < len(items):
        i += 1  # past --variant
        if i >= len(items) or items[i] == "--variant" or "=" in items[i]:
            raise ScenarioError(["--variant: expected --variant NAME KEY=VALUE [KEY=VALUE …]"])
        name = items[i]
        i += 1
        changes: list[str] = []
        while i < len(items) and items[i] != "--variant":
            if "=" not in items[i] or items[i].startswith("="):
                raise ScenarioError([f"--variant {name}: {items[i]!r} is not KEY=VALUE"])
            changes.append(items[i])
            i += 1
        if not changes:
            raise ScenarioError([f"--variant {name}: give at least one KEY=VALUE"])
        variants.append(Variant(name, tuple(changes)))
    if not scenarios:
        raise ScenarioError(["compare: name at least one scenario (a file or a bundled name)"])
    if variants and len(scenarios) != 1:
        raise ScenarioError(["compare: --variant changes one scenario; name exactly one"])
    if len(scenarios) + len(variants) < 2:
        raise ScenarioError(["compare: give two or more scenarios, or one and a --variant"])
    return scenarios, variants


def load_strategies(
    items: Sequence[str], overrides: Sequence[str] = (), first_name: str | None = None
) -> dict[str, Scenario]:
    """Strategies from the command's words: ``A B …`` or ``A --variant NAME K=V … …``.

    Every scenario gets ``overrides`` (``--set``); a variant gets its own changes after
    them. The first strategy is named ``first_name`` if given, else after its file. Problems
    in every strategy are reported together.
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
    labels = unique_names([first_name or paths[0].stem, *(p.stem for p in paths[1:])])
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


def sweep_request(
    scenario: Scenario, varies: Sequence[str], metric: str | None, target: str | None
) -> tuple[list[Vary], str, Target | None]:
    """The parsed ``--vary``, ``--metric`` and ``--target`` arguments, every problem at once.

    ``--metric`` defaults to the target's measure, else :data:`DEFAULT_METRIC`.
    """
    from ..experiments.targets import parse_target
    from ..model.measures import summary_columns  # numpy, needed by no other request

    measures = summary_columns(scenario)
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
    metric = metric or (wanted.metric if wanted else DEFAULT_METRIC)
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
