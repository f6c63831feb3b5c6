"""Experiments: replications with intervals, paired comparisons of strategies, sweeps.

The experiments floor: many replications of the model, and what they say together. The
three questions users bring are each one function returning pandas DataFrames (the
``rollout run``, ``compare`` and ``sweep`` commands are thin wrappers of these):

- :func:`run`: one scenario, many futures: per-replication summaries, their means with 95 %
  intervals, and monthly percentile bands of coverage and practice;
- :func:`compare`: several strategies on the same seeds. Replication ``r`` of every strategy
  sees the same staff join and leave (common random numbers, :mod:`sim.model.streams`), so the
  paired difference, replication by replication, is the strategy's effect alone and its
  interval is narrower than comparing two independent sets of futures;
- :func:`sweep`: one scenario over a one- or two-dimensional grid of key values, on shared
  seeds, with an optional target ("coverage ≥ 60 % in 90 % of futures") searched along it.

The work runs in batches (:mod:`.batches`) spread over processes and saved as each
finishes, so results are the same for any number of workers, an interrupted experiment
resumes where it stopped, and no experiment holds every replication's monthly rows in
memory unless asked (``keep_timeseries``). Pictures and words are the next floor up
(:mod:`sim.outputs`): nothing here draws or prints.

Modules: :mod:`.batches` (the one path replications run by), :mod:`.engines` (where the
batches run: this machine's processes or a Dask cluster), :mod:`.formats` (CSV or Parquet
per-replication tables), :mod:`.replications` (tables in
memory), :mod:`.folders` (the run folder and its manifest), :mod:`.runs`,
:mod:`.comparisons`, :mod:`.sweeps` (the three experiments), :mod:`.grid` and
:mod:`.targets` (their arguments), :mod:`.requests` (a command's arguments checked before
any work, without loading pandas, SciPy or SimPy), :mod:`.intervals` and :mod:`.tables`
(statistics).

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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .comparisons import Comparison, compare
    from .engines import Engine
    from .folders import Interrupted
    from .grid import Variant, Vary
    from .replications import RunResults
    from .requests import AUTO, destination, load_strategies, resume_hint, sweep_request
    from .runs import RunExperiment, run
    from .sweeps import Sweep, sweep
    from .targets import Target

# Public name → the module that defines it, imported on first use: checking a command's
# arguments (:mod:`.requests`) loads neither pandas, SciPy nor SimPy; running does.
_LAZY = {
    "AUTO": ".requests",
    "Comparison": ".comparisons",
    "Engine": ".engines",
    "Interrupted": ".folders",
    "RunExperiment": ".runs",
    "RunResults": ".replications",
    "Sweep": ".sweeps",
    "Target": ".targets",
    "Variant": ".grid",
    "Vary": ".grid",
    "compare": ".comparisons",
    "destination": ".requests",
    "load_strategies": ".requests",
    "resume_hint": ".requests",
    "run": ".runs",
    "sweep": ".sweeps",
    "sweep_request": ".requests",
}

__all__ = [
    "AUTO",
    "Comparison",
    "Engine",
    "Interrupted",
    "RunExperiment",
    "RunResults",
    "Sweep",
    "Target",
    "Variant",
    "Vary",
    "compare",
    "destination",
    "load_strategies",
    "resume_hint",
    "run",
    "sweep",
    "sweep_request",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'sim.experiments' has no attribute {name!r}")
