"""Provider-run groups: e.g. Camden's bi-monthly team-manager group and senior-team support.

Each group in ``programme.groups`` meets every ``interval_months`` (counted from the first
month start inside the phase that supplies it) while a phase supplies it by name; a session
reinforces the trained, engaged members of its roles who are in post, costs their staff
days and the provider's days. With nobody of its roles in post it does not meet and costs
nothing.
"""

from __future__ import annotations

from .state import ServiceState


def provider_groups(state: ServiceState, day: float, month: int) -> None:
    """Hold the provider's groups due this month, reinforcing their members' practice."""
    for name, group in state.scenario.programme.groups.items():
        if state.calendar.due(name, day, month, group.interval_months) is None:
            continue
        present = state.people_in_post(day)
        members = present[state.prepared.group_roles[name][state.role[present]]]
        if len(members) == 0:
            continue  # nobody to meet: no session, no provider days
        state.practice.reinforce(members, day, group.strength)
        state.add_provider_days(group.provider_days_per_session)
        state.add_staff_days(members, group.staff_days_per_session)
        state.log_many(day, "group_session", members, group=name)
