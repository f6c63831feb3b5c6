"""Optimise: choosing among candidate plans with a stated chance of being right.

The optimise floor sits above :mod:`sim.experiments`: a search proposes plans (candidate
scenarios), the experiments floor runs their futures, and this floor decides which plan to
recommend and how sure that recommendation is. The decision is a statistical procedure, not
a simulation, so it is written against a plain callable that returns outputs per candidate
and future; it imports nothing from the rest of :mod:`sim`, and can be tested on toy
problems whose answers are known.

Modules: :mod:`.selection` (fully sequential ranking and selection with a feasibility check,
on paired differences under common random numbers; see ``docs/optimise.md``).
"""

from __future__ import annotations

from .selection import Constraint, Selection, select

__all__ = ["Constraint", "Selection", "select"]
