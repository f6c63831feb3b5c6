"""Practice: who takes it up, when, from what, and how each person's level decays.

The theory of change lives here (docs/model.md draws it):

- **Dose.** What a person completes (days of training) sets their chance of taking the
  practice up at once, ``uptake · r(d)``, and the level they start at,
  ``threshold + (1 − threshold) · r(d)``, through the saturating dose-response
  r(d) = d / (d + ``dose_half_days``). A short course gives less, a long one more, with
  diminishing returns: what follows training carries most of the effect.
- **Late engagers.** Of those who do not take it up at once, a share (``late_share``) may
  take it up later: at each reinforcement session they receive, with a chance
  (``late_engagement_per_session``; each person's session is drawn once, geometric, so the
  order of a day's sources does not matter). The rest never engage.
- **Learning in the team.** A team member with no training can take the practice up in
  a running group supervision (:meth:`PracticeState.learn_in_team`).
- **Reinforcement adds up.** Each session restores its source's share s of the gap to the
  full level; two sessions on one day restore 1 − (1 − s1)(1 − s2), saturating, and none
  overwrites another.

The level is never ticked. Between reinforcements it decays deterministically, so the day a
person will fall to the threshold (their *lapse day*) is known the moment they are
reinforced, and it is all that needs storing: the level at any moment follows from it,

    level(t) = threshold · exp(rate · (lapse_day − t)),

and "who practises now?" is one comparison, ``lapse_day > t``.

A reinforcement that restores the full level (strength 1) needs neither: the level it starts
from does not matter, and the lapse day it gives is the day plus the person's own *full
span*, ``half-life · log2(1 / threshold)``, worked out once.
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


def sessions_to_engage(draw: np.ndarray, chance: float) -> np.ndarray:
    """The session at which each late engager takes the practice up: geometric with the
    per-session ``chance`` (1 at the first with chance 1, never with 0), from one uniform
    draw each. Drawn once per person, so who engages when does not depend on the order in
    which the sources of one day reach them.
    """
    if chance >= 1:
        return np.ones_like(draw)
    if chance <= 0:
        return np.full_like(draw, np.inf)
    return 1.0 + np.floor(np.log1p(-draw) / np.log1p(-chance))


_ONE = np.array(1.0)  # 0-d: a scalar operand NumPy need not convert at every call
_ZERO = np.array(0.0)


def _each(value, shape: tuple[int, ...]) -> np.ndarray:
    """``value`` (one number, or one per person) as one per person (read it, never write it).

    ``np.broadcast_to`` gives the same values; ``np.full`` is cheaper for one number.
    """
    if np.shape(value) == shape:
        return value
    return np.full(shape, value, dtype=float)


class PracticeState:
    """Training status, engagement and practice level of every person in a replication.

    Parameters
    ----------
    practice
        The scenario's practice settings.
    uptake_draw
        Each person's uniform draw: they take the practice up at once after training when it
        is below ``uptake · r(dose)``.
    late
        Each person's uniform draw (one who does not take it up at once may later when it
        is below ``late_share``) and the session at which they would
        (:func:`sessions_to_engage`); ``None`` when ``late_share`` is 0.
    half_life_days
        Each person's own half-life.
    streams
        The replication's streams: learning in the team draws from its own, session by
        session.
    """

    def __init__(
        self,
        practice: Practice,
        uptake_draw: np.ndarray,
        late: tuple[np.ndarray, np.ndarray] | None,
        half_life_days: np.ndarray,
        streams: Streams,
    ):
        n = len(uptake_draw)
        self.practice = practice
        self.threshold = practice.threshold
        self._theta = np.array(practice.threshold, dtype=float)  # 0-d: see _restore
        self.boost = practice.reinforcement  # strength of a source with none of its own
        self.uptake_draw = uptake_draw
        self.late_draw, self.sessions_needed = (None, None) if late is None else late
        # Sessions a late engager still needs (whole numbers, or inf): counting down from
        # sessions_needed gives the same test as counting up to it, with one gather fewer.
        self.sessions_left = None if self.sessions_needed is None else self.sessions_needed.copy()
        self.streams = streams
        self.decay_rate = np.log(2.0) / half_life_days  # per day
        # Days from the full level down to the threshold: the lapse day of someone restored
        # to the full level is the day plus this. Computed by the same operations as
        # _set_level at level 1.0, so the shortcut gives the same bits as the long way.
        self.full_span = np.log(np.full(n, 1.0) / self.threshold) / self.decay_rate
        self.trained = np.zeros(n, dtype=bool)
        # Taken the practice up (after training, late, or in the team): reinforcement works.
        self.capable = np.zeros(n, dtype=bool)
        self.engaged = self.capable  # the same mask, by the name the evidence uses
        self.late = np.zeros(n, dtype=bool)  # trained, not engaged yet, may engage later
        self.response = np.zeros(n)  # r(dose) of what each person completed
        self.learned_in_team = np.zeros(n, dtype=bool)
        self.inducted = np.zeros(n, dtype=bool)
        self.in_training = np.zeros(n, dtype=bool)
        # Kept with the masks so that the monthly counts can skip what is empty: how many
        # are in training (in post or not), and whether anyone was ever inducted, is a late
        # engager still, or learned in the team.
        self.in_training_count = 0
        self.any_inducted = False
        self.late_count = 0
        self.any_learned = False
        self.version = 0  # changes whenever a lapse day, engagement or training status does
        self.lapse_day = np.full(n, -np.inf)  # -inf: no practice at all (level 0)

    def level(self, day: float, who: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Practice level at ``day``."""
        return self._theta * np.exp(self.decay_rate[who] * (self.lapse_day[who] - np.array(day)))

    def practising(self, day: float) -> np.ndarray:
        """Mask of people who practise at ``day``: their level is above the threshold.

        Only engagement and reinforcement (of the engaged) set a lapse day, so a lapse day
        after ``day`` implies engaged.
        """
        return self.lapse_day > day

    def _set_level(self, who: np.ndarray, level: np.ndarray, day) -> None:
        # level · exp(−rate · t) = threshold  ⇔  t = ln(level / threshold) / rate
        self.lapse_day[who] = day + np.log(level / self.threshold) / self.decay_rate[who]

    def _start_at(self, who: np.ndarray, level: np.ndarray, day) -> None:
        """Give ``who`` their starting level at ``day`` (level 0: no practice)."""
        full = level == 1.0
        if full.all():  # ln(1 / threshold) / rate: the full span, worked out already
            self.lapse_day[who] = day + self.full_span[who]
            return
        positive = level > 0
        self.lapse_day[who[~positive]] = -np.inf
        if positive.any():
            at = day[positive] if np.ndim(day) else day
            self._set_level(who[positive], level[positive], at)

    def starting_level(self, response: np.ndarray, cap: float = 1.0) -> np.ndarray:
        """The level an engaged person starts at after a course of effect ``response``."""
        return cap * (self.threshold + (1.0 - self.threshold) * response)

    def complete_training(
        self,
        who: np.ndarray,
        day,
        dose,
        cap: float = 1.0,
        always_engage: np.ndarray | None = None,
    ) -> None:
        """Mark people trained after ``dose`` days (each person's, or one for all).

        Those whose uptake draw falls below ``uptake · r(dose)`` (or ``always_engage``)
        take the practice up at once and start at ``cap · (θ + (1 − θ) · r(dose))``; of the
        others a share becomes late engagers. Someone who had already taken it up (in the
        team) keeps the higher of their level and the new one.
        """
        self.version += 1
        self.trained[who] = True
        self.stop_training(who)
        response = _each(self.practice.effect(np.asarray(dose, dtype=float)), who.shape)
        self.response[who] = response
        before = self.capable[who]
        at_once = self.uptake_draw[who] < self.practice.uptake * response
        if always_engage is not None:
            at_once |= always_engage
        level = self.starting_level(response, cap)
        day = _each(np.asarray(day, dtype=float), who.shape)
        if before.any():  # keep the higher level: the later lapse day
            had = who[before]
            kept = self.lapse_day[had].copy()
            self._start_at(had, level[before], day[before])
            self.lapse_day[had] = np.maximum(self.lapse_day[had], kept)
        newly = at_once & ~before
        self.lapse_day[who[~before]] = -np.inf
        if newly.any():
            self.capable[who[newly]] = True
            self._start_at(who[newly], level[newly], day[newly])
        if self.late_draw is not None:
            late = ~at_once & ~before & (self.late_draw[who] < self.practice.late_share)
            late = late & ~self.late[who]
            self.late[who[late]] = True
            self.late_count += int(np.count_nonzero(late))

    def _engage_late(self, pending: np.ndarray, day: float) -> None:
        """At a session: each late engager among ``pending`` counts it, and takes the
        practice up at their own session (geometric in the per-session chance), starting at
        the level their training gave.
        """
        left = self.sessions_left[pending]
        np.subtract(left, _ONE, out=left)
        self.sessions_left[pending] = left
        engage = pending[left <= _ZERO]
        if len(engage) == 0:
            return
        self.version += 1
        self.late[engage] = False
        self.late_count -= len(engage)
        self.capable[engage] = True
        self._start_at(engage, self.starting_level(self.response[engage]), day)

    def learn_in_team(self, members: np.ndarray, day: float, chance: float) -> None:
        """A running group supervision: each member who has neither training nor the
        practice takes it up with ``chance``, starting at the threshold (the session that
        follows at once lifts them).
        """
        if chance <= 0:
            return
        open_to = ~(self.trained[members] | self.capable[members])
        if self.in_training_count:
            open_to &= ~self.in_training[members]
        candidates = members[open_to]
        if len(candidates) == 0:
            return
        learn = candidates[self.streams["team_learning"].random(len(candidates)) < chance]
        if len(learn) == 0:
            return
        self.version += 1
        self.capable[learn] = True
        self.learned_in_team[learn] = True
        self.any_learned = True
        self.lapse_day[learn] = day  # exactly at the threshold: ln(θ / θ) = 0

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
        self, who: np.ndarray, day: float, strength: float | None = None, capable: bool = False
    ) -> None:
        """A session of one source: late engagers among ``who`` may take the practice up,
        then it restores ``strength`` of the gap to the full level for everyone engaged.

        ``capable``: the caller knows every one of ``who`` is engaged (anyone practising
        is), so they need not be picked out.
        """
        if not capable:
            if self.late_count:
                pending = who[self.late[who]]
                if len(pending):
                    self._engage_late(pending, day)
            who = who[self.capable[who]]
        if len(who) == 0:
            return
        self.version += 1
        share = self.boost if strength is None else strength
        if share == 1.0:
            # now + 1.0 · (1.0 − now) is exactly 1.0 for any level now in [0, 2] (and a
            # level never exceeds 1 by more than a rounding error), so the new level is
            # the full level whatever it was: no exp, no log.
            self.lapse_day[who] = day + self.full_span[who]
            return
        if share == 0.0:
            return
        self._restore(who, day, share)

    def reinforce_team(
        self,
        members: np.ndarray,
        strengths: np.ndarray,
        leaders: np.ndarray,
        leader_strength: float,
        day: float,
    ) -> None:
        """Group supervision in one pass: each member (late engagers may engage first)
        reinforced at their own team's strength, and the leading supervisors (all engaged:
        they practise) at ``leader_strength``. Each lapse day is what separate
        :meth:`reinforce` calls give: the same operations person by person (a test checks
        the bits).
        """
        if self.late_count:
            pending = members[self.late[members]]
            if len(pending):
                self._engage_late(pending, day)
        capable = self.capable[members]
        members, strengths = members[capable], strengths[capable]
        if leader_strength == 0.0:
            leaders = leaders[:0]
        if len(members) + len(leaders) == 0:
            return
        self.version += 1
        who = np.concatenate((members, leaders))
        share = np.empty(len(who))
        share[: len(members)] = strengths
        share[len(members) :] = leader_strength
        # The full level for everyone: no exp, no log (the leaders' strength is known, so
        # the members' are looked at only when it is 1 or there are no leaders).
        if (len(leaders) == 0 or leader_strength == 1.0) and share.min() == 1.0:
            self.lapse_day[who] = day + self.full_span[who]
            return
        self._restore(who, day, share)

    def _restore(self, who: np.ndarray, day: float, share: float | np.ndarray) -> None:
        # level() then _set_level(), in place and with the decay rates gathered once: the
        # same operations on the same operands (+ and * commute exactly), so the same bits.
        # The scalars go in as 0-d arrays: the same float64 arithmetic, without NumPy's
        # conversion of a Python scalar at every call (about half a microsecond each).
        day = np.array(day, dtype=float)
        theta = self._theta
        rate = self.decay_rate[who]
        now = self.lapse_day[who]
        np.subtract(now, day, out=now)
        np.multiply(now, rate, out=now)
        np.exp(now, out=now)
        np.multiply(now, theta, out=now)  # threshold · exp(rate · (lapse day − day))
        level = np.subtract(_ONE, now)
        np.multiply(level, share if isinstance(share, np.ndarray) else np.array(share), out=level)
        np.add(level, now, out=level)  # now + share · (1 − now)
        np.divide(level, theta, out=level)
        np.log(level, out=level)
        np.divide(level, rate, out=level)
        np.add(level, day, out=level)  # day + ln(level / threshold) / rate
        self.lapse_day[who] = level
