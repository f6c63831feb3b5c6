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

    def uniforms_for(self, keys: tuple[str, ...]) -> list[float]:
        """:meth:`uniform_for` of every one of ``keys``, the same numbers, all at once.

        Built without a generator per key (two thirds of the cost of a key): see
        :func:`keyed_uniforms`.
        """
        return keyed_uniforms(self._seed, (self._replication, _INDEX["parameters"]), keys)

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


# NumPy's SeedSequence (numpy/random/bit_generator.pyx) and PCG64 (pcg64.h): the constants
# of their hashes. keyed_uniforms() follows them step for step; a test checks its numbers
# against NumPy's own on many seeds, replications and keys.
_M32 = 0xFFFFFFFF
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_M128 = (1 << 128) - 1
_M64 = (1 << 64) - 1
_PCG_MULT = 0x2360ED051FC65DA44385DF649FCCF645
_crcs: dict[tuple[str, ...], np.ndarray] = {}


def _words(value: int) -> int:
    """How many 32-bit words SeedSequence makes of a whole number (at least one)."""
    return max(1, -(-int(value).bit_length() // 32))


def keyed_uniforms(seed: int, spawn: tuple[int, int], keys: tuple[str, ...]) -> list[float]:
    """For each key, ``Generator(PCG64(SeedSequence(seed, spawn_key=(*spawn, crc32(key)))))
    .random()``, computed without building a SeedSequence and a generator per key.

    The keys' seed sequences differ in their last entropy word only, so NumPy mixes the
    shared words once (the pool of ``SeedSequence(seed, spawn_key=spawn)``); the last
    word is mixed in and the four 64-bit state words drawn for every key at once (unsigned
    32-bit arithmetic, as SeedSequence's); PCG64 is then seeded and stepped once per key
    in Python's integers, and its first 64 bits made a double as ``random()`` makes it.
    """
    if not keys:
        return []
    crc = _crcs.get(keys)
    if crc is None:
        crc = np.array([zlib.crc32(k.encode("utf-8")) for k in keys], dtype=np.uint32)
        if len(_crcs) > 1000:  # a bound no real run reaches
            _crcs.clear()
        _crcs[keys] = crc
    prefix = np.random.SeedSequence(entropy=seed, spawn_key=spawn)
    pool = prefix.pool.tolist()
    # The hash constant after the shared words: 4 hashes to fill the pool, 12 to mix it,
    # then 4 for every word after the pool's first 4 (the seed padded to 4 words).
    extra = max(_words(seed), 4) - 4 + sum(_words(v) for v in spawn)
    h = _INIT_A * pow(_MULT_A, 16 + 4 * extra, 1 << 32) & _M32
    mixed = []
    for d in range(4):
        value = crc ^ np.uint32(h)
        h = h * _MULT_A & _M32
        value *= np.uint32(h)
        value ^= value >> np.uint32(16)
        result = np.uint32(_MIX_L * pool[d] & _M32) - np.uint32(_MIX_R) * value
        result ^= result >> np.uint32(16)
        mixed.append(result)
    h = _INIT_B
    words = []
    for i in range(8):
        value = mixed[i % 4] ^ np.uint32(h)
        h = h * _MULT_B & _M32
        value *= np.uint32(h)
        value ^= value >> np.uint32(16)
        words.append(value.tolist())
    out = []
    for w0, w1, w2, w3, w4, w5, w6, w7 in zip(*words, strict=True):
        initstate = (w1 << 32 | w0) << 64 | (w3 << 32 | w2)
        inc = (((w5 << 32 | w4) << 64 | (w7 << 32 | w6)) << 1 | 1) & _M128
        state = ((inc + initstate) * _PCG_MULT + inc) & _M128  # pcg_setseq_128_srandom_r
        state = (state * _PCG_MULT + inc) & _M128  # the step before the first output
        rot = state >> 122
        x = ((state >> 64) ^ state) & _M64
        raw = ((x >> rot) | (x << (-rot & 63))) & _M64  # XSL-RR
        out.append((raw >> 11) * (1.0 / 9007199254740992.0))
    return out
