"""One replication's draw of the uncertain assumptions (the scenario's ``[uncertainty]``).

Each key gets a uniform number of its own from the ``parameters`` stream
(:meth:`~sim.model.streams.Streams.uniform_for`) and its distribution's inverse CDF turns it
into a value. Replication ``r`` of every strategy therefore uses the same draw of a key, as it
uses the same staff flows, and the staffing plan never depends on the draw of an assumption
(the streams are separate), so paired differences stay paired.
"""

from __future__ import annotations

from ..scenario.schema import Scenario
from ..scenario.uncertainty import leaf_field, number_kind
from .streams import Streams


def draw(scenario: Scenario, streams: Streams) -> dict[str, float]:
    """The value of every uncertain key for this replication (whole-number keys rounded)."""
    values: dict[str, float] = {}
    for key, distribution in scenario.uncertainty.items():
        value = float(distribution.ppf(streams.uniform_for(key)))
        field = leaf_field(key, Scenario)
        values[key] = float(round(value)) if number_kind(field) == "int" else value
    return values
