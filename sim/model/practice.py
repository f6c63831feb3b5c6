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
        self.trained = np.zeros(n, dtype=bool)
        self.inducted = np.zeros(n, dtype=bool)
        self.in_training = np.zeros(n, dtype=bool)
        self.lapse_day = np.full(n, -np.inf)  # -inf: no practice at all (level 0)

    def level(self, day: float, who: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Practice level at ``day``."""
        return self.threshold * np.exp(self.decay_rate[who] * (self.lapse_day[who] - day))

    def practising(self, day: float) -> np.ndarray:
        """Mask of people who practise at ``day``: trained, engaged, level above threshold."""
        return self.trained & (self.lapse_day > day)

    def _set_level(self, who: np.ndarray, level: np.ndarray, day) -> None:
        # level · exp(−rate · t) = threshold  ⇔  t = ln(level / threshold) / rate
        self.lapse_day[who] = day + np.log(level / self.threshold) / self.decay_rate[who]

    def complete_training(self, who: np.ndarray, day, level: float = 1.0) -> None:
        """Mark people trained; those who engage start practising at ``level``."""
        self.trained[who] = True
        self.in_training[who] = False
        with np.errstate(divide="ignore"):  # level 0 (not engaged) gives lapse day −inf
            self._set_level(who, np.where(self.engaged[who], level, 0.0), day)

    def reinforce(self, who: np.ndarray, day: float, boost: float | None = None) -> None:
        """Restore a share of the gap to the full level for trained, engaged people."""
        who = who[self.trained[who] & self.engaged[who]]
        if len(who) == 0:
            return
        share = self.boost if boost is None else boost
        now = self.level(day, who)
        self._set_level(who, now + share * (1.0 - now), day)
