"""The shared state of one replication: what every mechanism reads and writes.

The mechanisms (foundation cohorts, mentoring, champions, consultation, groups) and the
measures all work on one :class:`ServiceState`. It lives below them, so no mechanism
imports the replication that runs it, and the measures read facts recorded here rather
than reaching into a mechanism's module.

The staffing plan (who is in which post when) is drawn at construction, from the workforce
streams only, before anything of the programme runs.
"""

from __future__ import annotations

import numpy as np
import simpy

from ..scenario.clock import Clock
from ..scenario.phase_calendar import PhaseCalendar
from ..scenario.schema import Scenario
from . import parameters
from .flows import (
    FLOW_ACTIVITY_DAYS,
    FLOW_COMPLETED,
    FLOW_COST,
    FLOW_PROVIDER_DAYS,
    FLOW_TRAINING_DAYS,
    FLOWS,
)
from .practice import PracticeState, personal_half_lives
from .starting_state import apply_roster
from .streams import Streams
from .workforce import Establishment, StaffingPlan, build_establishment, plan_staffing


class ServiceState:
    """People, posts, practice and the programme's shared facts in one replication.

    Attributes the mechanisms share (each written by one mechanism, read by others):
    ``mentored`` (mentoring), ``is_champion`` (champions), ``cohorts_to_start`` (foundation),
    ``offered_day`` (foundation and champions' inductions), ``flows`` (this month's totals
    of every costed activity and of completions, indexed by the ``FLOW_*`` constants),
    ``completed_by_phase`` (foundation completions by the phase that ran the cohort).
    """

    def __init__(self, scenario: Scenario, seed: int, replication: int, trace: bool = False):
        self.replication = replication
        self.streams = Streams(seed, replication)
        # This replication's draw of the uncertain assumptions, and the scenario they make.
        self.drawn = parameters.draw(scenario, self.streams) if scenario.uncertainty else {}
        self.scenario = scenario = scenario.with_values(self.drawn) if self.drawn else scenario
        self.clock = Clock(scenario.scenario.start, scenario.scenario.horizon_months)
        self.calendar = PhaseCalendar(scenario, self.clock)
        self.env = simpy.Environment()
        self.trace: list[tuple] | None = [] if trace else None

        workforce = scenario.workforce
        self.establishment: Establishment = build_establishment(workforce)
        self.plan: StaffingPlan = plan_staffing(
            workforce, self.establishment, self.clock.end_day, self.streams
        )
        n = self.plan.n_people
        roles = list(workforce.roles.values())
        self.role = self.establishment.post_role[self.plan.post]
        self.team = self.establishment.post_team[self.plan.post]
        self.permanent = ~self.plan.is_agency
        self.day_cost = np.array([r.day_cost for r in roles])[self.role]
        self.is_supervisor = self.role == self.establishment.supervisor_role
        self.is_team_member = (self.team >= 0) & ~self.is_supervisor
        self.supervisor_people = np.nonzero(self.is_supervisor)[0]
        # New starters joined after the programme began: the people that offers of places to
        # new starters, and champions' inductions, are for.
        self.programme_start_day = self.calendar.first_start_day
        self.new_starter = self.permanent & (self.plan.start > self.programme_start_day)
        self.starters_by_month = self._count_by_month(self.plan.start[self.permanent])
        self.leavers_by_month = self._count_by_month(self.plan.end[self.permanent])

        engaged = self.plan.per_person(self.streams["uptake"].random) < scenario.practice.uptake
        half_lives = personal_half_lives(scenario.practice, self.plan, self.streams)
        self.practice = PracticeState(scenario.practice, engaged, half_lives)
        self.offered_day = np.full(n, np.nan)  # when a training or induction place began
        self.mentored = np.zeros(n, dtype=bool)  # mentored supervisors (live mentoring)
        self.is_champion = np.zeros(n, dtype=bool)
        # Cohorts not yet started, by whether they offer new starters places (for 'waiting').
        self.cohorts_to_start = {False: 0, True: 0}
        self.flows = np.zeros(len(FLOWS))
        self.completed_by_phase = np.zeros(len(scenario.programme.phases), dtype=np.int64)
        self._cache_day = np.nan
        self._cache_in_post = np.zeros(n, dtype=bool)
        self._train_at_start()

    def _train_at_start(self) -> None:
        """Train the initial share of staff on day 0 and recruits who arrive trained."""
        workforce = self.scenario.workforce
        if workforce.roster:
            apply_roster(self)  # who is trained, champion, mentored: the council's own list
        else:
            initial = np.nonzero(self.plan.is_initial & self.permanent)[0]
            chosen = self.streams["initial_trained"].permutation(initial)
            count = int(round(workforce.initial_trained_fraction * len(initial)))
            self.practice.complete_training(chosen[:count], 0.0)

        arrive_trained = self.plan.per_person(self.streams["recruits"].random)
        recruits = self.permanent & ~self.plan.is_initial
        trained = np.nonzero(recruits & (arrive_trained < workforce.recruits_trained_fraction))[0]
        self.practice.complete_training(trained, self.plan.start[trained])

    def _count_by_month(self, days: np.ndarray) -> np.ndarray:
        """How many of ``days`` fall in each month, (start, end] like the snapshots see them."""
        edges = self.clock.month_start_days
        month = np.searchsorted(edges, days, side="left") - 1
        inside = (month >= 0) & (month < self.clock.horizon_months)
        return np.bincount(month[inside], minlength=self.clock.horizon_months)

    # ----------------------------------------------------------------- who, at a day

    def in_post(self, day: float) -> np.ndarray:
        """Mask of people in post at ``day`` (cached: many mechanisms ask at the same day)."""
        if day != self._cache_day:
            self._cache_in_post = self.plan.in_post(day)
            self._cache_day = day
        return self._cache_in_post

    def running_supervisors(self, day: float) -> np.ndarray:
        """Supervisors in post, mentored and practising at ``day``: their teams are supervising.

        A supervisor post has one holder at a time, so the supervisors in post are exactly the
        people in post who hold supervisor posts.
        """
        people = self.supervisor_people
        running = (
            self.in_post(day)[people]
            & self.mentored[people]
            & self.practice.trained[people]
            & (self.practice.lapse_day[people] > day)
        )
        return people[running]

    def active_champions(self, day: float) -> np.ndarray:
        """Champions in post at ``day``."""
        return np.nonzero(self.is_champion & self.in_post(day))[0]

    def champion_group_alive(self, day: float) -> bool:
        """Whether enough champions are active for the group to meet and work."""
        design = self.scenario.champions
        return design.target > 0 and len(self.active_champions(day)) >= design.min_group_size

    def champions_induct(self) -> bool:
        """Whether the scenario's champions offer inductions to new starters."""
        design = self.scenario.champions
        return design.target > 0 and design.induction_places_per_champion_per_month > 0

    def place_still_to_come(self, new_starter: bool) -> bool:
        """Whether a cohort that would offer this kind of person a place has yet to start."""
        pending = self.cohorts_to_start
        return pending[True] > 0 if new_starter else pending[True] + pending[False] > 0

    # ----------------------------------------------------------------- costs and the trace

    def add_training_days(self, who: np.ndarray, days: float) -> None:
        """Staff days away from casework for training, costed at each person's role rate."""
        self.flows[FLOW_TRAINING_DAYS] += days * len(who)
        self.flows[FLOW_COST] += days * float(self.day_cost[who].sum())

    def add_staff_days(self, who: np.ndarray, days: float) -> None:
        """Staff days in the programme's other activities (mentoring, group supervision,
        groups, consultation, champion meetings and work), costed at each person's rate."""
        self.flows[FLOW_ACTIVITY_DAYS] += days * len(who)
        self.flows[FLOW_COST] += days * float(self.day_cost[who].sum())

    def add_provider_days(self, days: float) -> None:
        """External provider days, costed at the day rate."""
        self.flows[FLOW_PROVIDER_DAYS] += days
        self.flows[FLOW_COST] += days * self.scenario.costs.provider_day_rate

    def record_completions(self, count: int, phase: int) -> None:
        """People who completed foundation training now, in a cohort of phase ``phase``."""
        self.flows[FLOW_COMPLETED] += count
        self.completed_by_phase[phase] += count

    def log(self, day: float, event: str, person: int = -1, detail: str = "") -> None:
        """Append a fact to the trace, when tracing (tests and debugging only)."""
        if self.trace is not None:
            self.trace.append((round(day, 6), event, int(person), detail))

    def log_many(self, day: float, event: str, people: np.ndarray, detail: str = "") -> None:
        if self.trace is not None:
            for person in people:
                self.log(day, event, int(person), detail)
