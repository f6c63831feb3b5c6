"""rollout: a discrete-event simulation of how a training roll-out spreads through a
children's social work service, and whether it lasts.

The package is a house of floors, each importing only the floors below it:

- :mod:`sim.scenario`: the scenario file, validated and immutable; its phase calendar; what
  ``rollout validate`` says of it; the generated reference;
- :mod:`sim.model`: one replication in SimPy (workforce, practice, one module per
  mechanism, the measures);
- :mod:`sim.experiments`: many replications (in memory or saved, parallel, resumable),
  comparisons, sweeps and their statistics;
- :mod:`sim.outputs`: pictures and words;
- :mod:`sim.councils`: every council's DfE figures and scenarios built from them;
- :mod:`sim.national`: one strategy in every council at once (above experiments, outputs
  and councils);
- :mod:`sim.validation`: the model checked against answers known without it;
- :mod:`sim.optimise`: choosing among plans with a stated chance of being right (above
  experiments);
- :mod:`sim.commands`: the top floor, what each ``rollout`` command does (its flags made
  into one :class:`~sim.experiments.settings.RunSettings`, its request checked, its
  experiment run, its lines returned); ``cli.py`` above it only parses and prints.

Importing :mod:`sim` loads nothing heavy: the names below load their floor on first use
(:mod:`sim.lazy`). :func:`run` is :func:`sim.experiments.run`.

>>> from sim import load_scenario, resolve_scenario, run
>>> scenario = load_scenario(resolve_scenario("camden"))
>>> results = run(scenario, reps=5, seed=1)
>>> results.summary["coverage_horizon"].mean()  # doctest: +SKIP
"""

from __future__ import annotations

from .lazy import attach

# Public name → the module that defines it, imported when the name is first used; the
# floors themselves load as modules.
__getattr__, __dir__, __all__ = attach(
    __name__,
    {
        ".experiments.runs": ["RunExperiment", "run"],
        ".experiments.settings": ["RunSettings"],
        ".model.replication": ["run_replication"],
        ".scenario.keys": ["BadInput", "ScenarioError"],
        ".scenario.loading": ["load_scenario", "resolve_scenario"],
        ".scenario.schema": ["Scenario"],
    },
    also=(
        "commands",
        "councils",
        "experiments",
        "model",
        "national",
        "optimise",
        "outputs",
        "scenario",
        "validation",
    ),
)
__version__ = "0.2.0"
