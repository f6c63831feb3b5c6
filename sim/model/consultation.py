"""Clinician consultation: embedded therapists (Havering-style) reinforcing team members.

While a phase supplies ``consultation``, each clinician in post (the workforce role named by
``clinician_role``) gives ``sessions_per_clinician_per_month`` one-to-one consultations a
month. Each goes to a different trained, engaged team member in post, chosen at random; a
fraction of a session carries over to the next month. Clinicians leave and are replaced with
the workforce, so turnover in their role cuts the capacity.
"""

from __future__ import annotations

import numpy as np

from .state import ServiceState


class ConsultationState:
    """Clinicians' consultation sessions, which reinforce the practice of those who attend."""

    def __init__(self, state: ServiceState):
        self.state = state
        design = state.scenario.programme.consultation
        self.design = design
        names = state.establishment.role_names
        self.clinician_role = names.index(design.clinician_role) if design.clinician_role else -1
        self.carry = 0.0

    def monthly(self, day: float, month: int) -> None:
        """Hold this month's consultation sessions, when the calendar supplies them."""
        state = self.state
        if self.clinician_role < 0 or state.calendar.supplying("consultation", day) is None:
            return
        present = state.people_in_post(day)
        clinicians = np.count_nonzero(state.role[present] == self.clinician_role)
        self.carry += clinicians * self.design.sessions_per_clinician_per_month
        sessions = int(self.carry)
        self.carry -= sessions
        practice = state.practice
        members = state.in_post_among(day, "is_team_member")
        # The engaged, and the trained who may yet engage.
        open_to = practice.capable[members] | practice.late[members]
        pool = members[practice.trained[members] & open_to]
        if sessions == 0 or len(pool) == 0:
            return
        size = min(sessions, len(pool))
        reached = np.sort(state.streams["consultation"].choice(pool, size=size, replace=False))
        practice.reinforce(reached, day, self.design.strength)
        state.add_staff_days(reached, self.design.staff_days_per_session)
        state.log_many(day, "consultation", reached)
