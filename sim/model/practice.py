"""Practice: who is trained, who engages, and how each person's practice level decays.

A trained person who engages (probability ``uptake``, decided once per person) starts at a
practice level and practises while the level is above ``threshold``. Without reinforcement
the level halves every half-life (each person has their own, around the scenario's mean).
A reinforcement restores a share of the gap to the full level.

The level is never ticked. Between reinforcements it decays deterministically, so the day a
person will fall to the threshold (their *lapse day*) is known the moment they are
reinforced, and it is all that needs storing: the level at any moment follows from it,

    level(t) = threshold · exp(rate · (lapse_day − t)),

and "who practises now?" is one comparison, ``lapse_day > t``.

A reinforcement that restores the full level (``reinforcement = 1``, as in Camden) needs
neither: the level it starts from does not matter, and the lapse day it gives is the day
plus the person's own *full span*, ``half-life · log2(1 / threshold)``, worked out once.
"""

from __future__ import annotations

import numpy as np

from ..scenario.clock import DAYS_PER_MONTH
from ..scenario.schema import Practice
from .streams import Streams
from .workforce import StaffingPlan


def personal_half_lives(practice: Practice, plan: StaffingPlan, streams: Streams) -> np.ndarray:
    """Each person's half-life in days: gamma distributed with the scenario's mean and spread.

    Drawn per staffing slot (:meth:`StaffingPlan.per_person`), so a person keeps their
    half-life whatever the horizon.

    A gamma with shape k = 1/spread², divided by k, has mean 1 and coefficient of variation
    ``spread``. Below a spread of 1e-6 (k above 1e12) the draws are all 1 to floating-point
    precision, so everyone is given the mean (and k is never computed from an underflow).
    """
    mean = practice.half_life_months * DAYS_PER_MONTH
    spread = practice.half_life_spread
    if spread < 1e-6:
        return np.full(plan.n_people, mean)
    shape = 1.0 / spread**2
    rng = streams["half_life"]
    draws = plan.per_person(lambda size: rng.standard_gamma(shape, size)) / shape
    return np.maximum(draws, 1e-6) * mean


class PracticeState:
    """Training status and practice level of every person in a replication.

    Parameters
    ----------
    practice
        The scenario's practice settings.
    engaged
        Whether each person takes the practice up once trained.
    half_life_days
        Each person's own half-life.
    """

    def __init__(self, practice: Practice, engaged: np.ndarray, half_life_days: np.ndarray):
        n = len(engaged)
        self.threshold = practice.threshold
        self.boost = practice.reinforcement
        self.engaged = engaged
        self.decay_rate = np.log(2.0) / half_life_days  # per day
        # Days from the full level down to the threshold: the lapse day of someone restored
        # to the full level is the day plus this. Computed by the same operations as
        # _set_level at level 1.0, so the shortcut gives the same bits as the long way.
        self.full_span = np.log(np.full(n, 1.0) / self.threshold) / self.decay_rate
        self.trained = np.zeros(n, dtype=bool)
        self.capable = np.zeros(n, dtype=bool)  # trained and engaged: reinforcement works
        self.inducted = np.zeros(n, dtype=bool)
        self.in_training = np.zeros(n, dtype=bool)
        # Kept with the masks so that the monthly counts can skip what is empty: how many
        # are in training (in post or not), and whether anyone was ever inducted.
        self.in_training_count = 0
        self.any_inducted = False
        self.version = 0  # changes whenever a lapse day or training status does
        self.lapse_day = np.full(n, -np.inf)  # -inf: no practice at all (level 0)

    def level(self, day: float, who: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Practice level at ``day``."""
        return self.threshold * np.exp(self.decay_rate[who] * (self.lapse_day[who] - day))

    def practising(self, day: float) -> np.ndarray:
        """Mask of people who practise at ``day``: trained, engaged, level above threshold.

        Only training and reinforcement (of the trained and engaged) set a lapse day, so a
        lapse day after ``day`` already implies trained and engaged; the mask says so in
        full all the same.
        """
        return self.trained & (self.lapse_day > day)

    def _set_level(self, who: np.ndarray, level: np.ndarray, day) -> None:
        # level · exp(−rate · t) = threshold  ⇔  t = ln(level / threshold) / rate
        self.lapse_day[who] = day + np.log(level / self.threshold) / self.decay_rate[who]

    def complete_training(self, who: np.ndarray, day, level: float = 1.0) -> None:
        """Mark people trained; those who engage start practising at ``level``."""
        self.version += 1
        self.trained[who] = True
        engaged = self.engaged[who]
        self.capable[who] = engaged
        self.stop_training(who)
        # Level 0 (not engaged, or an induction to level 0): no practice, lapse day −inf,
        # as ln(0) would give.
        practising = who[engaged] if level > 0 else who[:0]
        self.lapse_day[who] = -np.inf
        if len(practising):
            day = day[engaged] if np.ndim(day) else day
            if level == 1.0:  # ln(1 / threshold) / rate: the full span, worked out already
                self.lapse_day[practising] = day + self.full_span[practising]
            else:
                self._set_level(practising, np.full(len(practising), level), day)

    def start_training(self, who: np.ndarray) -> None:
        """People take places in a cohort (none of them is in training already)."""
        self.in_training[who] = True
        self.in_training_count += len(who)

    def stop_training(self, who: np.ndarray) -> None:
        """People leave training, having completed it or not."""
        if self.in_training_count:
            self.in_training_count -= int(np.count_nonzero(self.in_training[who]))
            self.in_training[who] = False

    def mark_inducted(self, who: np.ndarray) -> None:
        """People trained by a champions' induction."""
        self.inducted[who] = True
        self.any_inducted = self.any_inducted or len(who) > 0

    def reinforce(
        self, who: np.ndarray, day: float, boost: float | None = None, capable: bool = False
    ) -> None:
        """Restore a share of the gap to the full level for trained, engaged people.

        ``capable``: the caller knows every one of ``who`` is trained and engaged (anyone
        practising is), so they need not be picked out.
        """
        if not capable:
            who = who[self.capable[who]]
        if len(who) == 0:
            return
        self.version += 1
        share = self.boost if boost is None else boost
        if share == 1.0:
            # now + 1.0 · (1.0 − now) is exactly 1.0 for any level now in [0, 2] (and a
            # level never exceeds 1 by more than a rounding error), so the new level is
            # the full level whatever it was: no exp, no log.
            self.lapse_day[who] = day + self.full_span[who]
            return
        self._restore(who, day, share)

    def reinforce_both(
        self, first: np.ndarray, second: np.ndarray, day: float, second_boost: float
    ) -> None:
        """reinforce(first, day) and reinforce(second, day, second_boost, capable=True) in
        one pass: two different sets of people (a team and its supervisor), each person
        given their own share. Each lapse day is what the two calls give: with a share of
        1.0 the long way below reaches exactly the full level, and its operations then
        are those of the full span (a test checks the bits)."""
        first = first[self.capable[first]]
        if self.boost == 1.0 and second_boost == 1.0:
            self.reinforce(np.concatenate((first, second)), day, capable=True)
            return
        if len(first) == 0 or len(second) == 0:
            self.reinforce(first, day, capable=True)
            self.reinforce(second, day, second_boost, capable=True)
            return
        self.version += 1
        share = np.empty(len(first) + len(second))
        share[: len(first)] = self.boost
        share[len(first) :] = second_boost
        self._restore(np.concatenate((first, second)), day, share)

    def _restore(self, who: np.ndarray, day: float, share: float | np.ndarray) -> None:
        # level() then _set_level(), in place and with the decay rates gathered once: the
        # same operations on the same operands (+ and * commute exactly), so the same bits.
        rate = self.decay_rate[who]
        now = self.lapse_day[who]
        now -= day
        now *= rate
        np.exp(now, out=now)
        now *= self.threshold  # threshold · exp(rate · (lapse day − day))
        level = 1.0 - now
        level *= share
        level += now  # now + share · (1 − now)
        level /= self.threshold
        np.log(level, out=level)
        level /= rate
        level += day  # day + ln(level / threshold) / rate
        self.lapse_day[who] = level
