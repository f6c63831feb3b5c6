"""One replication: the SimPy environment, the state of every person, and the processes.

The staffing plan (who is in which post when) is drawn first, from the workforce streams
only. The programme then runs as SimPy processes over it:

- a *snapshot* at every month boundary, scheduled ahead of anything else at that instant so
  that it sees the state at the end of the month;
- a *monthly* process that runs, in a fixed order, what happens every month inside the
  service (mentoring and supported supervision, group supervision, champions, clinician
  consultation, provider-run groups);
- one process per foundation cohort, whose sessions fall on their own days.

The model reads no files, prints nothing and plots nothing: it returns arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import simpy
from simpy.events import URGENT

from . import champions, consultation, foundation, groups, mentoring, metrics
from .clock import Clock
from .practice import PracticeState, personal_half_lives
from .programme import PhaseCalendar
from .scenario import Scenario
from .streams import Streams
from .workforce import Establishment, StaffingPlan, build_establishment, plan_staffing


class MonthEnd(simpy.events.Event):
    """A timeout that fires before every ordinary event due at the same instant.

    Built as SimPy builds its own ``Timeout``, but scheduled URGENT, so a month's snapshot
    never sees a session or meeting that belongs to the next month.
    """

    def __init__(self, env: simpy.Environment, delay: float):
        super().__init__(env)
        self._ok = True
        self._value = None
        env.schedule(self, URGENT, delay)


@dataclass(frozen=True)
class ReplicationResult:
    """What one replication returns: monthly rows, its summary, and optionally a trace."""

    replication: int
    monthly: np.ndarray  # months × len(metrics.MONTHLY), in that column order
    summary: dict[str, float]
    trace: list[tuple] | None


class Replication:
    """The state of one replication and the helpers its mechanisms share."""

    def __init__(self, scenario: Scenario, seed: int, replication: int, trace: bool = False):
        self.scenario = scenario
        self.replication = replication
        self.streams = Streams(seed, replication)
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

        engaged = self.streams["uptake"].random(n) < scenario.practice.uptake
        half_lives = personal_half_lives(scenario.practice, n, self.streams)
        self.practice = PracticeState(scenario.practice, engaged, half_lives)
        self.offered_day = np.full(n, np.nan)  # when a training or induction place began
        self._train_at_start()

        self.flows = np.zeros(3)  # training_days, provider_days, cost this month
        self._cache_day = np.nan
        self._cache_in_post = np.zeros(n, dtype=bool)

        # Cohorts not yet started, by whether they offer new starters places (for 'waiting').
        self.cohorts_to_start = {False: 0, True: 0}
        self.mentoring = mentoring.MentoringState(self)
        self.champions = champions.ChampionState(self)
        self.consultation = consultation.ConsultationState(self)
        self.monthly_rows: list[np.ndarray] = []

    # ----------------------------------------------------------------- set-up

    def _train_at_start(self) -> None:
        """Train the initial share of staff on day 0 and recruits who arrive trained."""
        workforce = self.scenario.workforce
        initial = np.nonzero(self.plan.is_initial & self.permanent)[0]
        chosen = self.streams["initial_trained"].permutation(initial)
        count = int(round(workforce.initial_trained_fraction * len(initial)))
        self.practice.complete_training(chosen[:count], 0.0)

        recruits = np.nonzero(self.permanent & ~self.plan.is_initial)[0]
        arrive_trained = self.streams["recruits"].random(len(recruits))
        trained = recruits[arrive_trained < workforce.recruits_trained_fraction]
        self.practice.complete_training(trained, self.plan.start[trained])

    def _count_by_month(self, days: np.ndarray) -> np.ndarray:
        """How many of ``days`` fall in each month, (start, end] like the snapshots see them."""
        edges = self.clock.month_start_days
        month = np.searchsorted(edges, days, side="left") - 1
        inside = (month >= 0) & (month < self.clock.horizon_months)
        return np.bincount(month[inside], minlength=self.clock.horizon_months)

    # ----------------------------------------------------------------- shared helpers

    def in_post(self, day: float) -> np.ndarray:
        """Mask of people in post at ``day`` (cached: many mechanisms ask at the same day)."""
        if day != self._cache_day:
            self._cache_in_post = self.plan.in_post(day)
            self._cache_day = day
        return self._cache_in_post

    def add_training_days(self, who: np.ndarray, days: float) -> None:
        """Staff days away from casework for training, costed at each person's role rate."""
        self.flows[0] += days * len(who)
        self.flows[2] += days * float(self.day_cost[who].sum())

    def add_staff_days(self, who: np.ndarray, days: float) -> None:
        """Staff days costed but not counted as training (e.g. champion work)."""
        self.flows[2] += days * float(self.day_cost[who].sum())

    def add_provider_days(self, days: float) -> None:
        """External provider days, costed at the day rate."""
        self.flows[1] += days
        self.flows[2] += days * self.scenario.costs.provider_day_rate

    def log(self, day: float, event: str, person: int = -1, detail: str = "") -> None:
        """Append a fact to the trace, when tracing (tests and debugging only)."""
        if self.trace is not None:
            self.trace.append((round(day, 6), event, int(person), detail))

    def log_many(self, day: float, event: str, people: np.ndarray, detail: str = "") -> None:
        if self.trace is not None:
            for person in people:
                self.log(day, event, int(person), detail)

    # ----------------------------------------------------------------- processes

    def _snapshots(self):
        """Record each month's state at its end, before anything else at that instant."""
        for month in range(self.clock.horizon_months):
            boundary = self.clock.month_start_days[month + 1]
            yield MonthEnd(self.env, boundary - self.env.now)
            self.monthly_rows.append(metrics.snapshot(self, month, boundary))
            self.flows[:] = 0.0

    def _monthly(self):
        """What happens inside the service each month, in a fixed order."""
        for month in range(self.clock.horizon_months):
            day = self.clock.month_start_days[month]
            yield self.env.timeout(day - self.env.now)
            self.mentoring.monthly(day, month)
            mentoring.group_supervision(self, day, month)
            self.champions.monthly(day, month)
            self.consultation.monthly(day, month)
            groups.provider_groups(self, day, month)

    def run(self) -> ReplicationResult:
        """Run to the horizon and return the monthly table and the summary."""
        self.env.process(self._snapshots())
        self.env.process(self._monthly())
        foundation.start_cohorts(self)
        self.env.run(until=self.clock.end_day + 1.0)
        monthly = np.vstack(self.monthly_rows)
        summary = metrics.summarise(self, monthly)
        trace = None
        if self.trace is not None:
            trace = sorted(self.trace + metrics.staffing_events(self), key=_trace_order)
        return ReplicationResult(self.replication, monthly, summary, trace)


def _trace_order(event: tuple) -> tuple:
    # Staffing facts first at equal times: a person must join before they can train.
    first = {"join": 0, "agency_start": 0, "leave": 2, "agency_end": 2}
    return (event[0], first.get(event[1], 1))


def run_replication(
    scenario: Scenario, seed: int, replication: int, trace: bool = False
) -> ReplicationResult:
    """Run one replication of a scenario with the streams of (seed, replication)."""
    return Replication(scenario, seed, replication, trace).run()
