"""The model floor: one replication of a scenario, in SimPy.

:mod:`.streams` (named random streams) → :mod:`.workforce` (posts, turnover, hiring,
agency: the staffing plan) and :mod:`.practice` (uptake, decay, reinforcement) →
:mod:`.state` (what the mechanisms share) → one module per mechanism (:mod:`.foundation`
with :mod:`.allocation`, :mod:`.mentoring`, :mod:`.champions`, :mod:`.consultation`,
:mod:`.groups`) and :mod:`.measures` (monthly rows, per-replication summary) →
:mod:`.replication` (the SimPy processes). It reads only a validated scenario.
"""

from .replication import Replication, ReplicationResult, run_replication

__all__ = ["Replication", "ReplicationResult", "run_replication"]
