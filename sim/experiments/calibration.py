"""Calibration to what was observed (``rollout calibrate``): rejection ABC over ``[uncertainty]``.

The keys of the scenario's ``[uncertainty]`` table are the unknowns, their distributions the
prior. Approximate Bayesian computation by rejection:

1. draw ``draws`` points from the prior (each key's own quantile, from one generator seeded by
   ``seed``; within the central 99 % of each distribution, as the sensitivity analysis does);
2. run every point as a point of one experiment (:mod:`.batches`: parallel, resumable, with
   progress), ``reps`` replications each on common random numbers, and average each observed
   measure over them at the observed month;
3. score each point by its distance to the observations, each difference scaled by the
   observation's sd: ``sqrt(mean(((simulated - observed) / sd)²))``;
4. accept the closest ``accept`` fraction: their values are the posterior sample.

Each key's posterior is then fitted: by its mean and sd in the prior's family (beta, normal,
lognormal, gamma), or, for a uniform or triangular prior, as a triangle over the accepted
range with the accepted mean (:func:`fit`); the calibrated scenario carries those fits as its
``[uncertainty]`` table. A key whose posterior sd is close to its prior's (over
:data:`NOT_INFORMED` of it) is one the observations cannot tell apart, and the result says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..scenario.keys import BadArgument, ScenarioError
from ..scenario.observed import Observation, read_observed
from ..scenario.schema import Scenario, validate
from ..scenario.uncertainty import Distribution
from ..scenario.writing import to_toml
from . import batches
from .batches import Point
from .folders import session
from .formats import write_csv
from .sensitivity import values_at
from .settings import UNNAMED, RunSettings, settings_of

NOT_INFORMED = 0.8  # posterior sd / prior sd above this: the data say little about the key


def fit(prior: Distribution, values: np.ndarray, key: str) -> Distribution:
    """The posterior sample's distribution, always within the prior's own range.

    A prior given by mean and sd (beta, normal, lognormal, gamma) gets the same family with
    the sample's mean and sd. A uniform or triangular prior gets a triangle over the accepted
    values' range with the sample's mean (mode = 3 × mean − low − high, kept in the range).
    """
    source = f"rollout calibrate: posterior of {key} from {len(values)} accepted draws"
    mean, sd = float(np.mean(values)), float(np.std(values, ddof=1))
    if prior.distribution in ("uniform", "triangular"):
        low, high = float(np.min(values)), float(np.max(values))
        if not high > low:
            return prior.model_copy(update={"source": source + " (all alike: prior kept)"})
        mode = min(max(3 * mean - low - high, low), high)
        return Distribution(distribution="triangular", low=low, mode=mode, high=high, source=source)
    sd = max(sd, 1e-6 * max(abs(mean), 1.0))
    if prior.distribution == "beta":
        sd = min(sd, 0.99 * math.sqrt(mean * (1 - mean)))
    return Distribution(distribution=prior.distribution, mean=mean, sd=sd, source=source)


@dataclass
class Calibration:
    """A calibration: every draw with its distance, the accepted ones, the fits and the new
    scenario; ``trajectories`` holds each draw's mean of every observed measure by month.
    """

    scenario: Scenario
    observations: list[Observation]
    draws: pd.DataFrame
    posterior: pd.DataFrame
    table: pd.DataFrame
    fitted: dict[str, Distribution]
    calibrated: Scenario
    calibrated_text: str
    trajectories: pd.DataFrame
    folder: Path | None = None


def calibrate(
    scenario: Scenario,
    observations: Sequence[Observation],
    draws: int = 200,
    accept: float = 0.1,
    settings: RunSettings | None = None,
    **options: Any,
) -> Calibration:
    """Rejection ABC of the ``[uncertainty]`` keys against ``observations``.

    The draws run as the points of one experiment on ``engine`` (local processes by
    default, or a Dask cluster: :mod:`.engines`), saved and resumable like any other.
    ``settings`` and ``options`` as :func:`~sim.experiments.runs.run` (default: 2
    replications a draw); the draws' monthly rows are always kept, as CSV.
    """
    settings = settings_of(settings, options, reps=2).but(keep_timeseries=True, file_format="csv")
    seed = settings.seed
    if not scenario.uncertainty:
        raise ScenarioError(
            [
                f"{settings.scenario_file}: [uncertainty] is empty: "
                "nothing to calibrate (give the keys to fit distributions there)"
            ]
        )
    if not 0 < accept < 1:
        raise BadArgument("{accept} {given}: must be between 0 and 1", given=accept)
    keep = max(2, round(accept * draws))
    if draws < 4 or keep >= draws:
        raise BadArgument(
            "{draws} {given}: too few to accept {keep} of them", given=draws, keep=keep
        )
    priors = dict(scenario.uncertainty)
    base = scenario.without_uncertainty()
    unit = np.random.default_rng(seed).random((draws, len(priors)))
    values = values_at(unit, priors)
    points = [Point({"draw": i}, base.with_values(v)) for i, v in enumerate(values)]
    manifest = {
        **settings.manifest,
        "draws": draws,
        "accept": accept,
        "observations": len(observations),
    }
    name = settings.name or f"calibrate-{scenario.name or 'scenario'}"
    with session("calibrate", points, settings.but(name=name, manifest=manifest), scenario) as s:
        header = batches.timeseries_header(points)
        path = s.folder / "calibration_timeseries.csv"
        batches.concatenate(s.folder, s.batches, "timeseries.csv", header, path)
        series = pd.read_csv(path)
        path.unlink()
        measured = sorted({o.measure for o in observations})
        trajectories = series.groupby(["draw", "month"])[measured].mean().reset_index()
        by_draw = trajectories.set_index(["draw", "month"])
        scaled = np.zeros((draws, len(observations)))
        for j, o in enumerate(observations):
            simulated = by_draw[o.measure].xs(o.month, level="month").sort_index().to_numpy()
            scaled[:, j] = (simulated - o.value) / o.sd
        distance = np.sqrt(np.nanmean(scaled**2, axis=1))
        order = np.argsort(distance, kind="stable")
        accepted = np.zeros(draws, dtype=bool)
        accepted[order[:keep]] = True
        table_draws = pd.DataFrame(
            {"draw": range(draws), **{k: [v[k] for v in values] for k in priors}}
        )
        table_draws["distance"] = distance
        table_draws["accepted"] = accepted
        posterior = table_draws[accepted].sort_values("distance").reset_index(drop=True)
        fitted = {k: fit(priors[k], posterior[k].to_numpy(float), k) for k in priors}
        rows = []
        for key, prior in priors.items():
            prior_mean, prior_sd = prior.moments()
            post = posterior[key].to_numpy(float)
            ratio = float(np.std(post, ddof=1)) / prior_sd if prior_sd > 0 else math.nan
            rows.append(
                {
                    "key": key,
                    "prior_mean": prior_mean,
                    "prior_sd": prior_sd,
                    "posterior_mean": float(post.mean()),
                    "posterior_sd": float(np.std(post, ddof=1)),
                    "posterior_low": float(np.quantile(post, 0.025)),
                    "posterior_high": float(np.quantile(post, 0.975)),
                    "sd_ratio": ratio,
                    "informed": bool(ratio <= NOT_INFORMED),
                }
            )
        table = pd.DataFrame(rows)
        calibrated = scenario.model_copy(update={"uncertainty": fitted})
        source = {"overrides": list(settings.overrides)}
        if settings.scenario_file != UNNAMED:
            source["scenario_file"] = settings.scenario_file
        text = scenario_text(calibrated, source, observations, draws, keep)
        calibrated = validate(_loads(text), "<calibrated scenario>")
        write_csv(table_draws, s.folder / "calibration_draws.csv")
        write_csv(posterior, s.folder / "posterior.csv")
        write_csv(table, s.folder / "calibration.csv")
        write_csv(trajectories, s.folder / "calibration_trajectories.csv")
        (s.folder / "calibrated.toml").write_text(text, encoding="utf-8")
        s.files += [
            "calibration.csv",
            "posterior.csv",
            "calibration_draws.csv",
            "calibration_trajectories.csv",
            "calibrated.toml",
        ]
        folder = None if settings.out is None else s.folder
    return Calibration(
        scenario,
        list(observations),
        table_draws,
        posterior,
        table,
        fitted,
        calibrated,
        text,
        trajectories,
        folder,
    )


def _loads(text: str) -> dict:
    import tomllib

    return tomllib.loads(text)


def scenario_text(
    scenario: Scenario,
    record: Mapping[str, Any],
    observations: Sequence[Observation],
    draws: int,
    keep: int,
) -> str:
    """The calibrated scenario as TOML: the scenario file it came from, its comments and
    order kept (tomlkit), with the run's values and the posterior table; the resolved
    scenario written whole when that file cannot be read any more.
    """
    from ..scenario.loading import resolve_scenario

    overrides = record.get("overrides")
    try:
        original = resolve_scenario(str(record.get("scenario_file"))).read_text(encoding="utf-8")
    except (ScenarioError, OSError, UnicodeDecodeError):
        original = None
    comments = [
        f"Calibrated by rollout calibrate from {record.get('scenario_file', 'a scenario')}"
        + (f" with --set {' '.join(overrides)}" if overrides else ""),
        f"against {len(observations)} observation{'s' if len(observations) != 1 else ''}: "
        f"rejection ABC, {keep} of {draws} prior "
        "draws accepted.",
        "[uncertainty] is the posterior: each key's accepted values fitted by mean and sd.",
    ]
    try:
        return to_toml(scenario, comments, original=original)
    except ScenarioError:  # the file changed since the run and no longer validates
        return to_toml(scenario, comments)


def uninformed(table: pd.DataFrame) -> list[str]:
    """The keys the observations cannot tell apart."""
    return list(table.loc[~table["informed"], "key"])


__all__ = ["Calibration", "Observation", "calibrate", "read_observed"]
