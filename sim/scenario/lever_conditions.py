"""When each lever of the registry is switched on in a scenario.

A lever whose mechanism cannot act in a scenario (a champion lever without champions, a
phase's supply the phase does not supply) is listed but not audited: its entry's ``when``
names one of :data:`CONDITIONS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .schema import Scenario


def _supplied(scenario: Scenario, supply: str) -> bool:
    return any(supply in phase.supplies for phase in scenario.programme.phases)


def _allocation_binds(scenario: Scenario) -> bool:
    """Whether who fills the places can matter: the first phase that trains runs the
    programme's own allocation (no override of it) with fewer places in all than staff in
    post. With places for everyone (Camden's 280 for about 205) the allocation changes only
    the order in which people are trained, and each cohort then takes about as many
    supervisors either way. Later phases mostly train the few who joined since, whom every
    cohort takes whatever the allocation (Havering's Academy after its Launch).
    """
    programme = scenario.programme
    for phase in programme.phases:
        design = programme.foundation_for(phase)
        if "foundation" in phase.supplies and design.cohorts > 0:
            overridden = phase.foundation is not None and phase.foundation.allocation is not None
            staff = sum(r.posts - r.initial_vacancies for r in scenario.workforce.roles.values())
            places = design.cohorts * design.cohort_size
            return not overridden and places < staff
    return False


def _takes_default_strength(scenario: Scenario) -> bool:
    """Whether some source that runs has no strength of its own (so takes
    ``practice.reinforcement``).
    """
    programme, champions = scenario.programme, scenario.champions
    mentoring = _mentoring(scenario)
    sources = [
        (mentoring, programme.mentoring.strength),
        (mentoring, programme.group_supervision.strength),
        (_champions(scenario), champions.meeting_strength),
        (_champions(scenario) and champions.workshops_per_year > 0, champions.workshop_strength),
        (
            _champions(scenario) and _supplied(scenario, "champion_supervision"),
            programme.champion_supervision.strength,
        ),
        (_consultation(scenario), programme.consultation.strength),
        *((_supplied(scenario, name), group.strength) for name, group in programme.groups.items()),
    ]
    return any(runs and strength is None for runs, strength in sources)


def _anyone_trained(scenario: Scenario) -> bool:
    workforce = scenario.workforce
    return (
        _trains(scenario)
        or workforce.initial_trained_fraction > 0
        or workforce.recruits_trained_fraction > 0
    )


def _trains(scenario: Scenario) -> bool:
    programme = scenario.programme
    return any(
        "foundation" in phase.supplies and programme.foundation_for(phase).cohorts > 0
        for phase in programme.phases
    )


def _agency(scenario: Scenario) -> bool:
    roles = scenario.workforce.roles.values()
    return scenario.workforce.agency_cover > 0 or any((r.agency_cover or 0) > 0 for r in roles)


def _champions(scenario: Scenario) -> bool:
    return scenario.champions.target > 0


def _mentoring(scenario: Scenario) -> bool:
    return scenario.workforce.supervisor_role is not None and _supplied(scenario, "mentoring")


def _consultation(scenario: Scenario) -> bool:
    role = scenario.programme.consultation.clinician_role
    roles = scenario.workforce.roles
    return _supplied(scenario, "consultation") and role in roles and roles[role].posts > 0


Condition = Callable[[Scenario, Mapping[str, Any]], bool]

# When a lever is switched on: a scenario, and the lever's bound pattern parts.
CONDITIONS: dict[str, Condition] = {
    "always": lambda s, b: True,
    "anyone_trained": lambda s, b: _anyone_trained(s),
    "foundation": lambda s, b: _trains(s),
    "foundation_min_days": lambda s, b: (
        _trains(s) and s.programme.foundation.min_days_to_complete is not None
    ),
    "foundation_agency": lambda s, b: _trains(s) and _agency(s),
    "mentoring": lambda s, b: _mentoring(s),
    "mentoring_max_groups": lambda s, b: (
        _mentoring(s) and s.programme.mentoring.max_groups is not None
    ),
    "champions": lambda s, b: _champions(s),
    "champion_workshops": lambda s, b: _champions(s) and s.champions.workshop_places > 0,
    "champion_workshop_places": lambda s, b: _champions(s) and s.champions.workshops_per_year > 0,
    "champion_supervision": lambda s, b: _champions(s) and _supplied(s, "champion_supervision"),
    "consultation": lambda s, b: _consultation(s),
    "group": lambda s, b: _supplied(s, b["group"]),
    "later_phase": lambda s, b: True,  # the pattern only binds phases that exist
    "dose": lambda s, b: _anyone_trained(s) and s.practice.dose_half_days > 0,
    "allocation_binds": lambda s, b: _allocation_binds(s),
    "mentoring_dose": lambda s, b: _mentoring(s) and s.programme.mentoring.dose_half_sessions > 0,
    "default_strength": lambda s, b: _anyone_trained(s) and _takes_default_strength(s),
    # A source's own strength: switched on where the source runs and the scenario sets it
    # (unset, the source takes practice.reinforcement, which has its own lever).
    "mentoring_strength": lambda s, b: _mentoring(s) and s.programme.mentoring.strength is not None,
    "supervision_strength": lambda s, b: (
        _mentoring(s) and s.programme.group_supervision.strength is not None
    ),
    "champion_supervision_strength": lambda s, b: (
        _champions(s)
        and _supplied(s, "champion_supervision")
        and s.programme.champion_supervision.strength is not None
    ),
    "meeting_strength": lambda s, b: _champions(s) and s.champions.meeting_strength is not None,
    "workshop_strength": lambda s, b: (
        _champions(s)
        and s.champions.workshops_per_year > 0
        and s.champions.workshop_places > 0
        and s.champions.workshop_strength is not None
    ),
    "consultation_strength": lambda s, b: (
        _consultation(s) and s.programme.consultation.strength is not None
    ),
    "shock": lambda s, b: s.workforce.shock is not None,
    "late_engagers": lambda s, b: _anyone_trained(s) and s.practice.late_share > 0,
    "group_strength": lambda s, b: (
        _supplied(s, b["group"]) and s.programme.groups[b["group"]].strength is not None
    ),
    "phase_foundation": lambda s, b: (
        "foundation" in s.programme.phases[b["i"]].supplies
        and s.programme.foundation_for(s.programme.phases[b["i"]]).cohorts > 0
    ),
}
