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
:mod:`.targets` (their arguments), :mod:`.settings` (how and where an experiment runs:
one frozen :class:`RunSettings`, handed whole down the layers), :mod:`.intervals` and
:mod:`.tables` (statistics).

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

from ..lazy import attach

# Public name → its module, imported on first use: the settings and the arguments' words
# (:mod:`.settings`, :mod:`.grid`) load neither pandas, SciPy nor SimPy; running does.
__getattr__, __dir__, __all__ = attach(
    __name__,
    {
        ".comparisons": ["Comparison", "compare"],
        ".engines": ["Engine"],
        ".folders": ["Interrupted"],
        ".grid": ["Variant", "Vary"],
        ".runs": ["RunExperiment", "run"],
        ".settings": ["AUTO", "RunSettings"],
        ".sweeps": ["Sweep", "sweep"],
        ".targets": ["Target"],
    },
)
