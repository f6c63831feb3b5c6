"""Live mentoring of supervisors, supported group supervision, and the teams' group supervision.

While a phase supplies ``mentoring``, trained supervisors in post who have not been mentored
(or, with ``begins = "with_training"``, those whose cohort has begun; and unless
``offer_new_starters``, only those in post when the programme began) are formed each month
into groups of ``group_size`` (at most ``max_groups`` running at once).
A group meets monthly for ``months`` months; each session reinforces its members, and,
since the mentoring is live mentoring of supervision groups (the seed), the members of each
attending supervisor's team too. A supervisor is *mentored* from the first session. For
``supported_months`` from that session the supervisor's group supervision is supported: the
supervisor is reinforced monthly. Months that fall in a gap between phases are lost, not
postponed.

Every ``interval_months`` a team has group supervision if its supervisor is in post,
mentored and practising: it reinforces the team's trained members, and the supervisor by
``supervisor_reinforcement`` (b). Once support ends, a supervisor carries on alone only if
their level just before a session stays above the threshold: with monthly sessions and
monthly decay factor d = 0.5^(1 / half-life in months), that level settles at
d·b / (1 − d(1 − b)). A supervisor who joins later is not mentored until a phase
mentors them, so their team loses its group supervision: Camden's problem with turnover.
Sessions cost the attendees' staff days (``staff_days_per_session`` of each design).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .state import ServiceState


@dataclass
class MentoringGroup:
    """A supervision group mentored live: its members and the months of its sessions."""

    members: np.ndarray
    first_month: int
    last_month: int  # last month of mentoring sessions


class MentoringState:
    """Who has been mentored, whose supervision is supported, and the groups running."""

    def __init__(self, state: ServiceState):
        self.state = state
        n = state.plan.n_people
        self.supported_until = np.full(n, -1, dtype=np.int64)  # last supported month
        self.groups: list[MentoringGroup] = []
        self.in_session = np.zeros(n, dtype=bool)  # scratch, all False between uses

    def monthly(self, day: float, month: int) -> None:
        """Form new groups, hold this month's sessions and supported supervision."""
        state = self.state
        if state.calendar.supplying("mentoring", day) is None:
            return
        design = state.scenario.programme.mentoring
        self._form_groups(day, month, design)
        present = state.in_post(day)
        attended = []
        for group in self.groups:
            if group.first_month <= month <= group.last_month:
                attending = group.members[present[group.members]]
                if len(attending):
                    attended.append(attending)
                    state.mentoring_sessions[attending] += 1
                    state.add_provider_days(design.provider_days_per_session)
                    state.add_staff_days(attending, design.staff_days_per_session)
                    state.log_many(day, "mentoring_session", attending)
        mentored = state.mentored_people
        supported = mentored[present[mentored] & (self.supported_until[mentored] >= month)]
        strength = state.scenario.programme.mentoring.strength
        state.practice.reinforce(supported, day, strength)
        if attended:
            # Live mentoring of supervision groups (the seed): the mentor works in the
            # supervisor's own group, so their team is reinforced by the session too.
            members = state.in_post_among(day, "is_team_member")
            in_team = np.zeros(state.establishment.n_teams + 1, dtype=bool)  # [-1]: no team
            for attending in attended:
                in_team[state.team[attending]] = True
            in_team[-1] = False
            state.practice.reinforce(members[in_team[state.team[members]]], day, strength)
        if attended:  # those in a session this month are not counted again
            in_session = self.in_session
            for attending in attended:
                in_session[attending] = True
            after = supported[~in_session[supported]]
            for attending in attended:
                in_session[attending] = False
            supported = after
        state.add_provider_days(len(supported) * design.provider_days_per_supported_team_month)
        state.log_many(day, "supported_supervision", supported)

    def _form_groups(self, day: float, month: int, design) -> None:
        state = self.state
        if design.months == 0 and design.supported_months == 0:
            return
        supervisors = state.in_post_among(day, "is_supervisor")
        waiting = supervisors[~state.mentored[supervisors]]  # not mentored yet
        if not design.offer_new_starters:
            waiting = waiting[~state.new_starter[waiting]]
        ready = state.practice.trained[waiting]
        if design.begins == "with_training" and state.practice.in_training_count:
            ready |= state.practice.in_training[waiting]
        waiting = waiting[ready]
        if len(waiting) == 0:
            return
        running = sum(1 for g in self.groups if g.last_month >= month)
        room = np.inf if design.max_groups is None else design.max_groups - running
        chunks = [
            waiting[i : i + design.group_size] for i in range(0, len(waiting), design.group_size)
        ]
        formed = chunks[: int(min(room, len(chunks)))]
        for members in formed:
            self.groups.append(MentoringGroup(members, month, month + design.months - 1))
            state.log_many(day, "mentored", members)
        if formed:
            members = np.concatenate(formed)
            state.set_mentored(members)
            self.supported_until[members] = month + max(design.months, design.supported_months) - 1


def mentored_strength(state: ServiceState, leaders: np.ndarray) -> float | np.ndarray:
    """The strength of each mentored supervisor's group supervision: from the unmentored
    strength up to ``strength`` by the dose of live mentoring they had, k sessions giving
    k / (k + ``dose_half_sessions``) of the way (all of it with ``dose_half_sessions`` 0).

    Beidas et al. 2012: the hours of consultation after training, not the workshop,
    predicted adherence and skill; here the months of live mentoring set how well a
    supervisor runs the group.
    """
    design = state.scenario.programme.group_supervision
    full = state.practice.boost if design.strength is None else design.strength
    half = state.scenario.programme.mentoring.dose_half_sessions
    if half == 0:
        return full
    sessions = state.mentoring_sessions[leaders]
    base = design.unmentored_strength
    return base + (full - base) * sessions / (sessions + half)


def group_supervision(state: ServiceState, day: float, month: int) -> None:
    """Each running team's group supervision: members may learn the practice there, and
    the session reinforces the engaged members and their supervisor.

    Teams led by a mentored, practising supervisor meet at ``strength``, and their members
    without training take the practice up at ``practice.team_learning_rate`` a year; with
    ``unmentored_strength`` above 0, a practising supervisor whom the provider never mentored
    leads a session of that strength (no learning in the team: the seed's live mentoring is
    what makes a supervisor able to teach it). Every team's session is reinforced in one pass.
    """
    design = state.scenario.programme.group_supervision
    if month % design.interval_months:
        return
    leading = state.running_supervisors(day)  # none without teams: only supervisors lead
    unmentored = leading[:0]
    if design.unmentored_strength > 0 and state.establishment.n_teams:
        unmentored = state.unmentored_leaders(day)
    if len(leading) + len(unmentored) == 0:
        return
    members = state.in_post_among(day, "is_team_member")
    team_of = state.team[members]
    n_teams = state.establishment.n_teams
    team_strength = np.zeros(n_teams)
    if len(unmentored):
        team_strength[state.team[unmentored]] = design.unmentored_strength
    team_strength[state.team[leading]] = mentored_strength(state, leading)
    member_strength = team_strength[team_of]
    if len(leading) + len(unmentored) < n_teams:  # some teams have no session
        led = member_strength > 0
        members, member_strength, team_of = members[led], member_strength[led], team_of[led]
    rate = state.scenario.practice.team_learning_rate
    if rate > 0 and len(leading):
        chance = 1.0 - np.exp(-rate * design.interval_months / 12.0)
        if len(unmentored):  # only a mentored supervisor's team learns
            mentored_team = np.zeros(n_teams, dtype=bool)
            mentored_team[state.team[leading]] = True
            learners = members[mentored_team[team_of]]
        else:
            learners = members
        state.practice.learn_in_team(learners, day, chance)
    leaders = np.concatenate((leading, unmentored)) if len(unmentored) else leading
    state.practice.reinforce_team(
        members, member_strength, leaders, design.supervisor_reinforcement, day
    )
    state.add_staff_days(members, design.staff_days_per_session)
    state.add_staff_days(leaders, design.staff_days_per_session)
    state.log_many(day, "group_supervision", members)
