"""Seed facts: what the two seed documents report, reproduced by the bundled scenarios.

Each case quotes a fact from a seed document (MODEL.md §1: Camden,
``seeds/000_9d051a447a46a9b3.txt``; Havering, ``seeds/003_17d64653104798df.txt``) and checks
it on the bundled scenario exactly as shipped (``load_scenario(resolve_scenario(name))``):
no key is changed. Most facts are read from the trace of whole replications (who was placed
in which cohort, who had which session in which month), field by field from its records
(:mod:`sim.model.trace`), never from text; the months are counted from the scenario's start
date with :mod:`datetime`, not with the model's clock.

"As shipped" includes the scenarios' ``[uncertainty]`` tables: each replication draws its
own behavioural assumptions, as ``rollout run`` does. No expected value here rests on a drawn
key (:func:`~sim.validation.seed_runs.certain` refuses one when the cases are built), and
values that a replication may draw are read from that replication's own scenario.

A fact the model meets by construction in every replication is an ``exact`` check; a
reported number ("about 250") is a ``range`` check; where the scenario, as shipped, does not
reproduce the fact as the seed words it, the literal fact is kept as a ``reference`` check
(shown as *differs*, with the reason in the case's text) beside the ``exact`` check of what
the model does guarantee, so that nothing is weakened silently.

The cases are data (:class:`~sim.validation.seed_runs.SeedFact`) in
:mod:`~sim.validation.seeds_camden`, :mod:`~sim.validation.seeds_camden_phase_2` and
:mod:`~sim.validation.seeds_havering`, and their checks functions there: importing them
loads no scenario. :func:`cases` builds the cases on first use.
"""

from __future__ import annotations

import functools

from .core import Case
from .seed_runs import SeedFact
from .seeds_camden import CAMDEN_COHORTS, CAMDEN_FIRST_YEAR, CAMDEN_TRAINED
from .seeds_camden_phase_2 import CAMDEN_MEETINGS, CAMDEN_PHASE_2
from .seeds_havering import HAVERING_BUSINESS, HAVERING_CONSULTATION, HAVERING_DAYS

FACTS: tuple[SeedFact, ...] = (
    CAMDEN_TRAINED,
    CAMDEN_COHORTS,
    CAMDEN_FIRST_YEAR,
    CAMDEN_PHASE_2,
    CAMDEN_MEETINGS,
    HAVERING_DAYS,
    HAVERING_BUSINESS,
    HAVERING_CONSULTATION,
)


@functools.cache
def cases() -> tuple[Case, ...]:
    """The seed facts as cases, in the report's order (loads the bundled scenarios)."""
    return tuple(fact.case() for fact in FACTS)
