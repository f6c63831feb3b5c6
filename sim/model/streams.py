"""Named random streams: one generator per activity, derived from (seed, replication).

Each activity draws only from its own stream, at an index that never moves. Two strategies
run with the same seed therefore see the same people leave on the same days, the same
vacancies covered, the same people engage: their difference is the strategy's effect alone
(common random numbers). Never use the global ``random`` or ``np.random`` functions.
"""

from __future__ import annotations

import zlib

import numpy as np

# Fixed indices: append new activities at the end, never reorder or reuse an index.
STREAMS = (
    "turnover",  # unused: once how long each holder stays in post (now "staffing")
    "hiring",  # unused: once how long each vacancy lasts (now "staffing")
    "agency",  # unused: once which vacancies an agency worker covers (now "staffing")
    "recruits",  # which new starters arrive already trained
    "initial_trained",  # who is trained on the start date
    "uptake",  # who takes the practice up after training
    "half_life",  # each person's own half-life
    "allocation",  # who gets the places in a cohort
    "attendance",  # who attends each session
    "champions",  # who is appointed champion, and who replaces them
    "champion_dropout",  # which champions step down
    "workshops",  # who attends each workshop
    "consultation",  # who receives each consultation
    "parameters",  # the draws of the [uncertainty] table, one generator per key
    "staffing",  # each role's vacancies, agency cover and tenures, one generator per role
    "late_engagers",  # who, not taking the practice up at once, may take it up later
    "late_engagement",  # after how many sessions a late engager takes it up
    "team_learning",  # who takes the practice up in their team's group supervision
)
# "turnover", "hiring" and "agency" drew every post's staffing in one generator each, by
# the post's place; "staffing" replaced them (keyed by the role's name). Their indices stay.
SPARE_STREAMS = 14  # room for activities added later without moving the ones above
_INDEX = {name: i for i, name in enumerate(STREAMS)}


class Streams:
    """The generators of one replication, created on first use.

    Stream ``i`` is child ``i`` of ``SeedSequence(seed, spawn_key=(replication,))``, the
    sequence ``root.spawn(len(STREAMS) + SPARE_STREAMS)[i]`` gives: it is built directly
    as ``SeedSequence(seed, spawn_key=(replication, i))``, so only the streams a
    replication uses are built.
    """

    def __init__(self, seed: int, replication: int):
        self._seed = seed
        self._replication = replication
        self._generators: dict[str, np.random.Generator] = {}

    def uniform_for(self, key: str) -> float:
        """A uniform number of the ``parameters`` stream that belongs to ``key`` alone.

        Keyed by the key's name, not its place in the table, so replication r draws the
        same quantile of a key in every strategy, whatever else is uncertain there.
        """
        spawn = (self._replication, _INDEX["parameters"], zlib.crc32(key.encode("utf-8")))
        child = np.random.SeedSequence(entropy=self._seed, spawn_key=spawn)
        return float(np.random.Generator(np.random.PCG64(child)).random())

    def for_name(self, name: str, key: str) -> np.random.Generator:
        """A generator of stream ``name`` that belongs to ``key`` (a role's name) alone.

        Keyed by the name, never by a position, so a role draws the same numbers whatever
        the order of the roles in the file and whatever other roles there are. Not cached:
        each call starts the generator afresh.
        """
        spawn = (self._replication, _INDEX[name], zlib.crc32(key.encode("utf-8")))
        child = np.random.SeedSequence(entropy=self._seed, spawn_key=spawn)
        return np.random.Generator(np.random.PCG64(child))

    def __getitem__(self, name: str) -> np.random.Generator:
        generator = self._generators.get(name)
        if generator is None:
            child = np.random.SeedSequence(
                entropy=self._seed, spawn_key=(self._replication, _INDEX[name])
            )
            generator = np.random.Generator(np.random.PCG64(child))
            self._generators[name] = generator
        return generator
