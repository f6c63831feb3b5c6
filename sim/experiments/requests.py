"""What a command asks for, checked before any work: strategies, grids, targets, folders.

Every function here reads the command's arguments and raises
:class:`~sim.scenario.ScenarioError` with every problem at once, so a mistyped argument
ends with exit 2 before anything is written. It loads only the scenario floor and the
measures' names (no pandas, SciPy, SimPy or matplotlib), so such mistakes are reported at once.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..scenario.destinations import check_folder, check_new
from ..scenario.keys import ScenarioError
from ..scenario.loading import load_scenario, resolve_scenario
from .grid import Vary, expand_grid, parse_compare_args, parse_vary, unique_names

if TYPE_CHECKING:
    from ..scenario.schema import Scenario
    from .targets import Target

AUTO = "auto"  # ``out=AUTO``: a new dated folder under outputs/
DEFAULT_BASE = "outputs"  # where AUTO's folders go (sim.experiments.folders.new_run_folder)

# What a sweep draws unless told: a total over the whole horizon, so on the common clock,
# which weighs practice early and late alike (a share at one date favours whichever
# strategy trained closest to it).
DEFAULT_METRIC = "practising_person_months"


def already_exists(folder: str | Path) -> str:
    """The problem with an ``--out`` folder that exists: runs never overwrite."""
    return (
        f"--out {folder}: already exists; runs never overwrite earlier results, choose a new folder"
    )


def destination(out: str | None, resume: str | None) -> tuple[str | Path, bool]:
    """Where a command writes: ``(out, resume)`` arguments for :func:`run` and the others.

    A folder that ``--out`` names must not exist and must be creatable, and one that
    ``--resume`` names must exist and be writable (:mod:`sim.scenario.destinations`), so a
    destination that cannot be written stops the command before any work. The rest of
    ``--resume``'s checks need the plan, and are made when the experiment opens it.
    """
    if out is not None and resume is not None:
        raise ScenarioError([f"--out {out} and --resume {resume}: give one or the other"])
    if resume is not None:
        if not os.path.isdir(resume):  # os.path: a name too long is no folder, not an OSError
            raise ScenarioError([f"--resume {resume}: no such run folder"])
        check_folder(resume, "--resume")
        return resume, True
    if out is None:
        base = Path(DEFAULT_BASE)
        if base.is_dir():
            check_folder(base, "outputs folder")
        elif os.path.lexists(base):
            raise ScenarioError(
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
        raise ScenarioError([already_exists(out)])
    return out, False


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
    from ..model.measures import summary_columns  # numpy, needed by no other request
    from .targets import parse_target

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
