"""rollout: a discrete-event simulation of how a training roll-out spreads through a
children's social work service, and whether it lasts.

The path through the package is one way: scenario file → :mod:`sim.scenario` (validated,
immutable) → :mod:`sim.model` (one replication in SimPy) → :mod:`sim.runner` (replications,
tidy tables) → :mod:`sim.output` / :mod:`sim.plotting` / :mod:`sim.report`.
:mod:`sim.experiments` (run, compare, sweep: parallel, saved, resumable) is what the
``rollout`` commands call.

>>> from sim import load_scenario, resolve_scenario, run
>>> scenario = load_scenario(resolve_scenario("camden"))
>>> results = run(scenario, reps=5, seed=1)
>>> results.summary["coverage_horizon"].mean()  # doctest: +SKIP
"""

from .model import run_replication
from .runner import RunResults, run
from .scenario import Scenario, ScenarioError, load_scenario, resolve_scenario

__all__ = [
    "RunResults",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "resolve_scenario",
    "run",
    "run_replication",
]
__version__ = "0.1.0"
