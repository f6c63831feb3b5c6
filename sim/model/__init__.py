"""The model floor: one replication of a scenario, in SimPy.

:mod:`.streams` (named random streams) → :mod:`.workforce` (posts, turnover, hiring,
agency: the staffing plan; who is in post as time moves on) and :mod:`.practice` (uptake,
decay, reinforcement) → :mod:`.prepared` (what a scenario fixes for all its replications:
clock, calendar, posts, distributions) and :mod:`.parameters` (a replication's draw of the
uncertain assumptions) → :mod:`.state` (what the mechanisms share) → one module per
mechanism (:mod:`.foundation` with :mod:`.allocation`, :mod:`.mentoring`,
:mod:`.champions`, :mod:`.consultation`, :mod:`.groups`) and :mod:`.measures` (monthly
rows, per-replication summary, each named once in :mod:`.registry`) → :mod:`.replication`
(the SimPy processes). It reads only a validated scenario.
"""

from __future__ import annotations

from ..lazy import attach

# SimPy loads with the replication, on first use: the measures' names (which a command
# checks its arguments against) come from this floor without it.
__getattr__, __dir__, __all__ = attach(
    __name__, {".replication": ["Replication", "ReplicationResult", "run_replication"]}
)
