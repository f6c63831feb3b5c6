"""Champions: the internal group that must carry the practice on when the provider leaves.

From ``appoint_from`` the service appoints ``target`` champions from trained, practising,
permanent staff in post, taking roles in turn from the most senior so that every level is
represented. Each month, in this order:

1. Champions who left the service are gone. The first month, and then per ``replacement``,
   the group is topped up to the target: ``none`` (never again), ``at_once`` (every month)
   or ``yearly`` (on the appointment anniversary).
2. Each champion, new ones included, steps down this month with the probability implied by
   the yearly dropout rate, which is higher when no phase supplies champion supervision (an
   unsupported group loses members faster). Under ``at_once`` they are replaced straight
   away (their replacements face the dropout risk from the next month).
3. If at least ``min_group_size`` are active the group is alive: its members spend
   ``days_per_month`` on champion work (costed), it meets (reinforcing its members, each
   spending ``meeting_days``),
   is supervised by the provider every ``interval_months`` while a phase supplies it
   (reinforcing them; provider days and their staff days costed).
4. The group inducts new starters (``induction_places_per_champion_per_month`` each; a
   fraction of a place carries over, unused whole places do not), and runs workshops that
   reinforce the trained staff who attend. What they pass on is as good as their own
   practice: the champions' mean level scales an induction's starting level and a
   workshop's strength, so the provider's supervision of the champions reaches the staff
   they teach (an assumption, after Beidas et al. 2012: support after training, not the
   workshop, carries its effect).

Induction capacity against the rate new starters arrive is the sustainability threshold:
with too few champions the untrained share grows with every leaver.
"""

from __future__ import annotations

import numpy as np

from ..scenario.clock import DAYS_PER_YEAR
from .state import ServiceState


class ChampionState:
    """The champion group of one replication."""

    def __init__(self, state: ServiceState):
        self.state = state
        self.design = state.scenario.champions
        appoint = self.design.appoint_from
        # Appointed at the first month start on or after the date.
        self.appoint_month = (
            0 if appoint is None else state.clock.first_month_from(state.clock.day(appoint))
        )
        self.allowed_role = np.ones(len(state.establishment.role_names), dtype=bool)
        if self.design.roles is not None:
            names = state.establishment.role_names
            self.allowed_role[:] = [name in self.design.roles for name in names]
        self.capacity_carry = 0.0
        self._step_down: dict[tuple[float, int], float] = {}  # (yearly rate, month): chance

    def monthly(self, day: float, month: int) -> None:
        """The champions' month: appointments, step-downs, meetings, inductions, workshops."""
        if self.design.target == 0 or month < self.appoint_month:
            return
        state = self.state
        design = self.design
        supervision = state.calendar.supplying("champion_supervision", day)

        champions = state.champion_people
        if len(champions):
            present = state.in_post(day)[champions]
            if not present.all():
                state.set_champions(champions[~present], False)  # champions who left the service
        since = month - self.appoint_month
        if (
            since == 0
            or design.replacement == "at_once"
            or (design.replacement == "yearly" and since % 12 == 0)
        ):
            self._appoint(day, design.target - len(state.champion_people))

        # From here on every champion is in post: those who left are gone, and champions
        # are appointed from staff in post. So the active champions are all the champions.
        current = state.champion_people
        rate = design.dropout_supported if supervision else design.dropout_unsupported
        step_down = self._step_down.get((rate, month))
        if step_down is None:
            month_days = state.clock.month_start_days[month + 1] - day
            step_down = 1.0 - np.exp(-rate * month_days / DAYS_PER_YEAR)
            self._step_down[(rate, month)] = step_down
        leaving = current[state.streams["champion_dropout"].random(len(current)) < step_down]
        if len(leaving):
            state.set_champions(leaving, False)
        state.log_many(day, "champion_stepped_down", leaving)
        if design.replacement == "at_once" and len(leaving):
            self._appoint(day, design.target - len(state.champion_people))

        champions = state.champion_people
        if len(champions) < design.min_group_size:
            return  # too few to meet, work or be supervised
        cost = state.day_cost_of(champions)  # the group does not change for the rest of the month
        state.add_staff_days(champions, design.days_per_month, cost)
        practice = state.practice
        if since % design.meeting_interval_months == 0:
            practice.reinforce(champions, day, design.meeting_strength)
            state.add_staff_days(champions, design.meeting_days, cost)
            state.log_many(day, "champion_meeting", champions)
        sessions = state.scenario.programme.champion_supervision
        if state.calendar.due("champion_supervision", day, month, sessions.interval_months):
            practice.reinforce(champions, day, sessions.strength)
            state.add_provider_days(sessions.provider_days_per_session)
            state.add_staff_days(champions, sessions.staff_days_per_session, cost)
            state.log_many(day, "champion_supervision", champions)
        # Champions pass on what they have: their mean level (at most the full level) scales
        # the level an induction gives and the strength of a workshop. Worked out only in
        # a month that has either: an induction changes no champion's level, so the
        # workshops that follow it see the same mean.
        places = (
            self._places(len(champions)) if design.induction_places_per_champion_per_month else 0
        )
        quality = None
        if places:
            quality = self._quality(day, champions)
            self._induct(day, places, quality)
        count = self._workshop_count(since)
        if count and design.workshop_places:
            if quality is None:
                quality = self._quality(day, champions)
            self._workshops(day, count, quality)

    def _quality(self, day: float, champions: np.ndarray) -> float:
        """The champions' mean level at ``day``, each at most the full level."""
        level = self.state.practice.level(day, champions)
        quality = float(np.add.reduce(np.minimum(level, 1.0)))
        return quality / len(champions)

    def _appoint(self, day: float, wanted: int) -> None:
        """Appoint up to ``wanted`` champions, one role at a time from the most senior."""
        if wanted <= 0:
            return
        state = self.state
        permanent = state.in_post_among(day, "permanent")
        practice = state.practice
        candidates = permanent[
            practice.trained[permanent]
            & (practice.lapse_day[permanent] > day)
            & ~state.is_champion[permanent]
            & self.allowed_role[state.role[permanent]]
        ]
        rng = state.streams["champions"]
        by_role = [
            list(rng.permutation(candidates[state.role[candidates] == r]))
            for r in range(len(state.establishment.role_names))
        ]
        chosen: list[int] = []
        while len(chosen) < wanted and any(by_role):
            for queue in by_role:
                if queue and len(chosen) < wanted:
                    chosen.append(queue.pop(0))
        appointed = np.array(sorted(chosen), dtype=np.int64)
        state.set_champions(appointed, True)
        state.log_many(day, "champion_appointed", appointed)

    def _places(self, champions: int) -> int:
        """The induction places of the month: whole places of the capacity carried over."""
        self.capacity_carry += champions * self.design.induction_places_per_champion_per_month
        places = int(self.capacity_carry)
        self.capacity_carry -= places
        return places

    def _induct(self, day: float, places: int, quality: float) -> None:
        """Induct waiting new starters, first come first served, up to this month's places."""
        state = self.state
        design = self.design
        waiting = induction_waiting(state, day)
        inducted = waiting[np.argsort(state.plan.start[waiting], kind="stable")][:places]
        if len(inducted) == 0:
            return
        state.offered_day[inducted] = np.fmin(state.offered_day[inducted], day)
        state.practice.complete_training(
            inducted, day, design.induction_days, cap=design.induction_level * quality
        )
        state.practice.mark_inducted(inducted)
        state.add_training_days(inducted, design.induction_days)
        state.log_many(day, "inducted", inducted)

    def _workshop_count(self, since: int) -> int:
        """How many workshops fall in this month: ``workshops_per_year`` spread evenly."""
        per_year = self.design.workshops_per_year
        return int((since + 1) * per_year / 12) - int(since * per_year / 12)

    def _workshops(self, day: float, count: int, quality: float) -> None:
        """Run this month's ``count`` workshops."""
        design = self.design
        state = self.state
        practice = state.practice
        present = state.people_in_post(day)
        # The engaged, and the trained who may yet engage.
        pool = present[practice.capable[present] | practice.late[present]]
        strength = practice.boost if design.workshop_strength is None else design.workshop_strength
        strength *= quality
        rng = state.streams["workshops"]
        for _ in range(count):
            size = min(design.workshop_places, len(pool))
            attendees = np.sort(rng.choice(pool, size=size, replace=False))
            practice.reinforce(attendees, day, strength)
            state.add_training_days(attendees, design.workshop_days)
            state.log_many(day, "workshop", attendees)


def induction_waiting(state: ServiceState, day: float) -> np.ndarray:
    """New starters in post who are untrained and not in training (the induction queue),
    in increasing order.
    """
    practice = state.practice
    new = state.in_post_among(day, "new_starter")
    waiting = ~practice.trained[new]
    if practice.in_training_count:
        waiting &= ~practice.in_training[new]
    return new[waiting]
