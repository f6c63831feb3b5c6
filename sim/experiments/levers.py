"""The lever audit (``rollout levers``): whether every lever moves the outcome, and how much.

Each lever of the registry (:mod:`sim.scenario.levers`) that is switched on in the scenario
is set at two values, ``low`` and ``high`` (the scenario's own value and a nudge from it),
and both run on the same futures: replication ``r`` of every point uses the streams of
``(seed, r)`` (common random numbers). The lever's elementary effect on a measure is the
paired mean difference, high minus low, with its t-based 95 % interval.

A value a nudge sets is the value used in every future: the lever's keys leave the
``[uncertainty]`` table at both ends (:func:`sim.scenario.levers.at_end`), so the effect is
the lever's, not a draw's.

The noise floor is a dummy lever that changes nothing in the scenario but the futures: the
scenario as set, run on other futures (replications ``reps`` to ``2 reps - 1``), compared
unpaired with the scenario on the audit's futures. Its interval is what an effect of
nothing looks like without common random numbers. A lever is *on the noise floor* when
its paired interval holds 0 for both measures: on these futures, nudging it changed neither
practice nor coverage by more than the replications' noise.

The points run as one experiment, in batches (:mod:`.batches`): parallel, resumable,
with progress, on a Dask cluster if asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..scenario import levers as registry
from ..scenario.schema import Scenario
from .batches import Point
from .folders import session
from .formats import write_csv
from .intervals import mean_interval
from .settings import RunSettings, settings_of

AS_SET = "(as set)"
NOISE = "noise_floor"  # the dummy lever's row in levers.csv
MEASURES = tuple(registry.MEASURES)


@dataclass
class LeverAudit:
    """A lever audit: ``table`` (one row per lever, the noise floor first; see
    :func:`audit` for its columns), and the replications' measures per point.
    """

    scenario: Scenario
    table: pd.DataFrame
    reps: int
    seed: int
    folder: Path | None = None

    @property
    def audited(self) -> pd.DataFrame:
        """The levers that ran (not the noise floor, not those switched off)."""
        return self.table[self.table["status"] == "audited"]

    @property
    def noise(self) -> pd.Series:
        """The noise row: the same scenario run twice on other futures."""
        return self.table[self.table["lever"] == NOISE].iloc[0]

    def active_on_floor(self) -> pd.DataFrame:
        """Levers the documentation calls active that sat on the noise floor."""
        rows = self.audited
        return rows[rows["active"] & rows["on_noise_floor"]]


def with_common_month(scenario: Scenario) -> Scenario:
    """The scenario with month 36 on its common clock (a measure setting: the simulation
    is unchanged), so every point reports ``coverage_m36``.
    """
    month = registry.COVERAGE_MONTH
    if month in scenario.clock_months():
        return scenario
    months = sorted({*scenario.clock_months(), month})
    return scenario.with_changes({"measures.at_months": months}, source="levers")


def unpaired_interval(a, b, confidence: float = 0.95) -> tuple[float, float, float]:
    """mean(b) - mean(a) with its Welch t interval: (difference, low, high)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    difference = float(b.mean() - a.mean())
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = float(np.sqrt(va + vb))
    if se == 0:
        return difference, difference, difference
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = float(stats.t.ppf(0.5 + confidence / 2, dof)) * se
    return difference, difference - half, difference + half


def audit(
    scenario: Scenario,
    only: Sequence[str] = (),
    settings: RunSettings | None = None,
    **options: Any,
) -> LeverAudit:
    """Audit the levers switched on in ``scenario`` (``only``: these lever ids or keys).

    Writes ``levers.csv``: one row per lever of the registry, the noise floor first, with
    ``lever`` (its id), ``key``, ``label``, ``mechanism`` (id) and ``mechanism_name``,
    ``how``, ``active`` (the documentation says it moves practice or coverage), ``status``
    (``audited``, ``switched off``, ``not nudged: ...``), ``as_set`` (which end is the
    scenario as set), ``low`` and ``high`` (the values compared), for each measure
    ``{measure}_effect``, ``{measure}_ci_low`` and ``{measure}_ci_high`` (high minus low,
    paired, 95 %), ``on_noise_floor`` and ``reps``; and the replications' measures
    (``levers_replications.csv``). ``settings`` and ``options`` as
    :func:`~sim.experiments.runs.run`.
    """
    settings = settings_of(settings, options).but(keep_timeseries=False)
    reps, seed = settings.reps, settings.seed
    registry.check_request(scenario, reps, only, settings.scenario_file)
    base = with_common_month(scenario)
    chosen = [s for s in registry.settings(base) if registry.chosen(s, only)]
    runs = [s for s in chosen if s.switched_on and s.problem is None]

    points = [
        Point({"lever": AS_SET, "end": "as set"}, base),
        Point({"lever": NOISE, "end": "other futures"}, base, futures_from=reps),
    ]
    where: dict[tuple[str, str], str] = {}  # (lever, end) -> the point's lever label
    for setting in runs:
        uncertain = any(k in base.uncertainty for k in setting.keys)
        for end, changes in (("low", setting.low), ("high", setting.high)):
            if setting.base_is == end and not uncertain:
                where[(setting.id, end)] = AS_SET
                continue
            points.append(Point({"lever": setting.id, "end": end}, registry.at_end(base, changes)))
            where[(setting.id, end)] = setting.id
    manifest = {**settings.manifest, "levers": [s.id for s in runs], "measures": list(MEASURES)}
    name = settings.name or f"levers-{scenario.name or 'scenario'}"
    with session("levers", points, settings.but(name=name, manifest=manifest), scenario) as s:
        replications = s.read(s.assemble("summary.csv", "levers_replications"))
        table = _table(replications, chosen, where, reps)
        write_csv(table, s.folder / "levers.csv")
        s.files.append("levers.csv")
        folder = None if settings.out is None else s.folder
    return LeverAudit(scenario, table, reps, seed, folder)


def _values(rows: pd.DataFrame, lever: str, end: str, measure: str) -> pd.Series:
    picked = rows[(rows["lever"] == lever) & (rows["end"] == end)]
    return picked.set_index("rep")[measure].astype(float).sort_index()


def _table(rows: pd.DataFrame, chosen, where, reps: int) -> pd.DataFrame:
    records: list[dict[str, Any]] = []
    noise: dict[str, Any] = {
        "lever": NOISE,
        "key": "",
        "label": "Nothing changed but the futures (noise floor)",
        "mechanism": "none",
        "mechanism_name": "none",
        "how": "the scenario as set on other futures, compared unpaired",
        "active": False,
        "status": "audited",
        "as_set": "low",
        "low": "these futures",
        "high": "other futures",
    }
    for measure in MEASURES:
        a = _values(rows, AS_SET, "as set", measure).to_numpy()
        b = _values(rows, NOISE, "other futures", measure).to_numpy()
        noise.update(zip(_columns(measure), unpaired_interval(a, b), strict=True))
    records.append(noise)
    for setting in chosen:
        lever = setting.lever
        row: dict[str, Any] = {
            "lever": setting.id,
            "key": setting.id.split(":")[0],
            "label": setting.label,
            "mechanism": lever.mechanism,
            "mechanism_name": lever.mechanism_name,
            "how": lever.how,
            "active": lever.active,
            "status": "audited",
            "as_set": setting.base_is or "",
            "low": setting.low_text,
            "high": setting.high_text,
        }
        if not setting.switched_on:
            row["status"] = "switched off"
        elif setting.problem is not None:
            row["status"] = f"not nudged: {setting.problem}"
        else:
            for measure in MEASURES:
                low = _values(
                    rows, where[(setting.id, "low")], _end(where, setting, "low"), measure
                )
                high = _values(
                    rows, where[(setting.id, "high")], _end(where, setting, "high"), measure
                )
                found = mean_interval((high - low).to_numpy())
                row.update(zip(_columns(measure), (found.mean, found.low, found.high), strict=True))
        records.append(row)
    table = pd.DataFrame(records)
    for measure in MEASURES:
        for column in _columns(measure):
            if column not in table:
                table[column] = np.nan
    holds_zero = np.ones(len(table), dtype=bool)
    for measure in MEASURES:
        _, low, high = (table[c].to_numpy(float) for c in _columns(measure))
        holds_zero &= (low <= 0) & (high >= 0)
    table["on_noise_floor"] = pd.array(
        [
            bool(z) if s == "audited" else pd.NA
            for z, s in zip(holds_zero, table["status"], strict=True)
        ],
        dtype="boolean",
    )
    table["reps"] = reps
    return table


def _end(where, setting, end: str) -> str:
    return "as set" if where[(setting.id, end)] == AS_SET else end


def _columns(measure: str) -> tuple[str, str, str]:
    return f"{measure}_effect", f"{measure}_ci_low", f"{measure}_ci_high"
