"""Small helpers shared by the mechanism tests: build scenarios, run one replication, read it."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
from conftest import make_scenario

from sim.model import Replication, ReplicationResult
from sim.model.measures import MONTHLY
from sim.model.trace import Record

DAYS_PER_MONTH = 365.25 / 12  # the model's average month (MODEL: durations in months)


def D(year: int, month: int, day: int = 1) -> date:  # noqa: N802 - short date constructor
    return date(year, month, day)


def roles_data(
    roles: dict[str, dict[str, Any]],
    supervisor: str | None = None,
    horizon: int = 24,
    **top: Any,
) -> dict[str, Any]:
    """A scenario dictionary starting 2020-01-01 with the given roles and no programme."""
    data: dict[str, Any] = {
        "scenario": {"name": "mech", "start": D(2020, 1, 1), "horizon_months": horizon},
        "workforce": {"supervisor_role": supervisor, "roles": roles},
        "practice": {"uptake": 1.0, "half_life_months": 12.0, "threshold": 0.5},
        "programme": {"phases": []},
    }
    for key, value in top.items():  # merge tables one level deep
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


def role(posts: int, turnover: float = 0.0, team: bool = False, **more: Any) -> dict[str, Any]:
    return {"posts": posts, "turnover": turnover, "team_member": team, **more}


def scen(data: dict[str, Any] | None = None, **changes: Any):
    return make_scenario(data, **changes)


def run(scenario, seed: int = 1, rep: int = 0) -> tuple[Replication, ReplicationResult]:
    """Run one traced replication; return the replication object (state) and its result."""
    replication = Replication(scenario, seed, rep, trace=True)
    return replication, replication.run()


def col(result: ReplicationResult, name: str) -> np.ndarray:
    return result.monthly[:, MONTHLY.index(name)]


def events(result: ReplicationResult, name: str) -> list[Record]:
    return [e for e in result.trace if e.kind == name]


def month_days(start: date, months: int) -> np.ndarray:
    """Day (since ``start``, a first of the month) on which each month begins: months+1 entries.

    Computed from the calendar here, not by the model's clock.
    """
    assert start.day == 1
    out = []
    for m in range(months + 1):
        y, mo = divmod(start.year * 12 + start.month - 1 + m, 12)
        out.append((date(y, mo + 1, 1) - start).days)
    return np.array(out, dtype=float)


def month_of_day(start: date, months: int, day: float) -> int:
    """Month containing ``day``."""
    return int(np.searchsorted(month_days(start, months), day, side="right")) - 1
