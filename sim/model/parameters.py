"""One replication's draw of the uncertain assumptions (the scenario's ``[uncertainty]``).

Each key gets a uniform number of its own from the ``parameters`` stream
(:meth:`~sim.model.streams.Streams.uniform_for`, made for all keys at once) and its
distribution's inverse CDF turns it into a value. Replication ``r`` of every strategy
therefore uses the same draw of a key, as it uses the same staff flows, and the staffing
plan depends on no draw but the workforce's own (``workforce.turnover_factor`` and the
like; the streams are separate), so paired differences stay paired.
"""

from __future__ import annotations

from .prepared import PreparedScenario
from .streams import Streams


def draw(prepared: PreparedScenario, streams: Streams) -> dict[str, float]:
    """The value of every uncertain key for this replication (whole-number keys rounded).

    The distributions come ready-made with the scenario's preparation, so a replication
    pays for the quantiles only.
    """
    values: dict[str, float] = {}
    uniforms = streams.uniforms_for(tuple(key for key, _, _ in prepared.uncertain))
    for (key, quantile, whole), u in zip(prepared.uncertain, uniforms, strict=True):
        value = quantile(u)
        values[key] = float(round(value)) if whole else value
    return values
