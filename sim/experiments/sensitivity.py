"""Global sensitivity: which uncertain assumptions drive a measure (``rollout sensitivity``).

The parameters are the keys of the scenario's ``[uncertainty]`` table (or ranges given as
``--vary KEY=LOW:HIGH``, taken as uniform). SALib designs the sample (Morris elementary
effects, or Saltelli's design for Sobol indices) in the unit cube; each coordinate is a
quantile, turned into the key's value by its distribution's inverse CDF, kept to the
central 99 % (0.5 % to 99.5 %) so that unbounded distributions give finite values.

The model is stochastic, and its own noise must not pass for sensitivity:

- **common random numbers**: replication ``r`` of every sample point uses the streams of
  ``(seed, r)``, so two points differ only by their parameters, not by who leaves when;
- **averaged replications**: each point's output is the mean of the measure over ``reps``
  replications;
- **a noise floor**: a dummy parameter that changes nothing joins the design, and its index
  is reported beside the others (``is_noise_floor``). An index no larger than the floor is
  not distinguishable from noise.

Sample points run as the points of one experiment, in batches (:mod:`.batches`): parallel,
resumable, with progress, exactly as a sweep.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..model.measures import summary_columns
from ..scenario.keys import BadArgument, ScenarioError
from ..scenario.schema import Scenario
from ..scenario.uncertainty import Distribution
from .batches import Point
from .folders import session
from .formats import write_csv
from .settings import RunSettings, settings_of

METHODS = ("morris", "sobol")
DUMMY = "(no effect: noise floor)"
CENTRAL = 0.99  # the central share of each distribution that the design spans
MORRIS_LEVELS = 4


@dataclass
class Sensitivity:
    """A global sensitivity analysis: ``table`` (one row per parameter; the dummy marks the
    noise floor), ``samples`` (each point's parameter values and mean measure).
    """

    scenario: Scenario
    method: str
    metric: str
    table: pd.DataFrame
    samples: pd.DataFrame
    folder: Path | None = None


def parse_range(text: str) -> tuple[str, float, float]:
    """``KEY=LOW:HIGH`` → (key, low, high)."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_.]+)\s*=\s*([-+0-9.eE]+)\s*:\s*([-+0-9.eE]+)\s*", text)
    if not match:
        raise ScenarioError(
            [f"--vary {text!r}: expected KEY=LOW:HIGH, e.g. practice.uptake=0.4:0.8"]
        )
    key, low, high = match.group(1), float(match.group(2)), float(match.group(3))
    if not low < high:
        raise ScenarioError([f"--vary {text!r}: LOW must be below HIGH"])
    return key, low, high


def parameters(
    scenario: Scenario, ranges: Sequence[str] = (), source: str = "<sensitivity>"
) -> dict[str, Distribution]:
    """The parameters analysed: ``--vary`` ranges if given, else the ``[uncertainty]`` table.

    Ranges are checked as an ``[uncertainty]`` table would be (unknown keys, values outside
    a key's allowed range), every problem at once.
    """
    if not ranges:
        if not scenario.uncertainty:
            raise ScenarioError(
                [f"{source}: no [uncertainty] table and no --vary KEY=LOW:HIGH: nothing to vary"]
            )
        return dict(scenario.uncertainty)
    table: dict[str, Any] = {}
    problems: list[str] = []
    for text in ranges:
        try:
            key, low, high = parse_range(text)
        except ScenarioError as exc:
            problems += exc.lines
            continue
        table[key] = {"distribution": "uniform", "low": low, "high": high, "source": "--vary"}
    if problems:
        raise ScenarioError(problems)
    checked = scenario.with_changes({"uncertainty": table}, source=source)
    return dict(checked.uncertainty)


def held_keys(scenario: Scenario, dists: Mapping[str, Distribution]) -> list[str]:
    """The ``[uncertainty]`` keys the analysis does not vary: every sample point runs them
    at the scenario's own (point) values, not at draws, so that a point's output moves
    only with the parameters analysed.
    """
    return [key for key in scenario.uncertainty if key not in dists]


def _problem(names: Sequence[str]) -> dict[str, Any]:
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def design(method: str, names: Sequence[str], samples: int, seed: int) -> np.ndarray:
    """SALib's sample in the unit cube: (points × parameters), the dummy last."""
    problem = _problem([*names, DUMMY])
    if method == "morris":
        from SALib.sample import morris

        return morris.sample(problem, samples, num_levels=MORRIS_LEVELS, seed=seed)
    from SALib.sample import sobol

    return sobol.sample(problem, samples, calc_second_order=False, seed=seed)


def values_at(unit: np.ndarray, dists: Mapping[str, Distribution]) -> list[dict[str, float]]:
    """Each design point's key values: quantiles within the central 99 % of each distribution."""
    quantile = (1 - CENTRAL) / 2 + CENTRAL * unit
    columns = {
        key: np.asarray(dist.ppf(quantile[:, j]), dtype=float)
        for j, (key, dist) in enumerate(dists.items())
    }
    return [{key: float(columns[key][i]) for key in dists} for i in range(len(unit))]


def analyse(
    method: str, names: Sequence[str], unit: np.ndarray, output: np.ndarray, seed: int
) -> pd.DataFrame:
    """The method's indices per parameter (SALib), the dummy's marked as the noise floor."""
    problem = _problem([*names, DUMMY])
    if method == "morris":
        from SALib.analyze import morris

        found = morris.analyze(
            problem, unit, output, num_levels=MORRIS_LEVELS, seed=seed, print_to_console=False
        )
        columns = ("mu_star", "mu_star_conf", "sigma", "mu")
    else:
        from SALib.analyze import sobol

        found = sobol.analyze(
            problem, output, calc_second_order=False, seed=seed, print_to_console=False
        )
        columns = ("S1", "S1_conf", "ST", "ST_conf")
    table = pd.DataFrame({"parameter": problem["names"]})
    for column in columns:
        table[column] = np.asarray(found[column], dtype=float)
    table["is_noise_floor"] = table["parameter"] == DUMMY
    return table


def sensitivity(
    scenario: Scenario,
    method: str = "morris",
    metric: str = "practising_person_months",
    samples: int = 10,
    ranges: Sequence[str] = (),
    settings: RunSettings | None = None,
    **options: Any,
) -> Sensitivity:
    """Morris or Sobol indices of ``metric`` for the uncertain parameters.

    ``samples``: Morris trajectories, or Sobol's base sample N (a power of 2 is best; the
    design has N × (parameters + 2) points). Each point runs ``reps`` replications on common
    random numbers and its output is their mean. Writes ``sensitivity.csv`` (``parameter``,
    ``metric``, the indices, ``is_noise_floor``), ``sensitivity_samples.csv`` and, via
    :func:`sim.outputs.draw`, a ranked chart. ``settings`` and ``options`` as
    :func:`~sim.experiments.runs.run` (default: 10 replications a point).
    """
    settings = settings_of(settings, options, reps=10).but(keep_timeseries=False)
    seed, source = settings.seed, settings.scenario_file
    if method not in METHODS:
        raise BadArgument("{method} {given}: choose morris or sobol", given=method)
    if samples < 2:
        raise BadArgument("{samples} {given}: need at least 2", given=samples)
    measures = summary_columns(scenario.without_uncertainty())
    if metric not in measures:
        raise BadArgument(
            "{metric} {given}: unknown measure (measures: {known})",
            given=metric,
            known=", ".join(measures),
        )
    dists = parameters(scenario, ranges, source)
    base = scenario.without_uncertainty()
    unit = design(method, list(dists), samples, seed)
    points = []
    for i, values in enumerate(values_at(unit, dists)):
        try:
            points.append(Point({"point": i}, base.with_values(values)))
        except ScenarioError as exc:
            lines = [f"{line} (sample point {i}: {values})" for line in exc.lines]
            raise ScenarioError(lines) from None
    manifest = {
        **settings.manifest,
        "method": method,
        "metric": metric,
        "samples": samples,
        "parameters": {k: d.model_dump() for k, d in dists.items()},
        # The [uncertainty] keys not varied (--vary named others): held at their values.
        "held_at_point_values": held_keys(scenario, dists),
    }
    name = settings.name or f"sensitivity-{scenario.name or 'scenario'}"
    settings = settings.but(name=name, manifest=manifest)
    with session("sensitivity", points, settings, scenario) as s:
        replications = s.read(s.assemble("summary.csv", "sensitivity_replications"))
        output = replications.groupby("point")[metric].mean().sort_index().to_numpy(float)
        if not np.isfinite(output).all():
            raise ScenarioError(
                [
                    f"--metric {metric}: empty in every replication of some sample points; "
                    "choose a measure that always exists"
                ]
            )
        table = analyse(method, list(dists), unit, output, seed)
        table.insert(1, "metric", metric)
        sample_table = pd.DataFrame(
            [{"sample": i, **v} for i, v in enumerate(values_at(unit, dists))]
        )
        sample_table[metric] = output
        write_csv(table, s.folder / "sensitivity.csv")
        write_csv(sample_table, s.folder / "sensitivity_samples.csv")
        s.files += ["sensitivity.csv", "sensitivity_samples.csv"]
        folder = None if settings.out is None else s.folder
    return Sensitivity(scenario, method, metric, table, sample_table, folder)
