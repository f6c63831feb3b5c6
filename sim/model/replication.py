"""One replication: the shared state, the mechanisms, and the SimPy processes that run them.

The staffing plan (who is in which post when) is drawn first, from the workforce streams
only (:class:`~sim.model.state.ServiceState`). The programme then runs as SimPy processes
over it:

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

from ..scenario.schema import Scenario
from . import champions, consultation, foundation, groups, measures, mentoring
from .state import ServiceState


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
    monthly: np.ndarray  # months × len(measures.MONTHLY), in that column order
    summary: dict[str, float]
    trace: list[tuple] | None


class Replication(ServiceState):
    """One replication: the shared state plus each mechanism's own state and the processes."""

    def __init__(self, scenario: Scenario, seed: int, replication: int, trace: bool = False):
        super().__init__(scenario, seed, replication, trace)
        self.mentoring = mentoring.MentoringState(self)
        self.champions = champions.ChampionState(self)
        self.consultation = consultation.ConsultationState(self)
        self.monthly_rows: list[list[float]] = []

    def _snapshots(self):
        """Record each month's state at its end, before anything else at that instant."""
        for month in range(self.clock.horizon_months):
            boundary = self.clock.month_start_days[month + 1]
            yield MonthEnd(self.env, boundary - self.env.now)
            self.monthly_rows.append(measures.snapshot(self, month, boundary))
            self.flows = [0.0] * len(self.flows)

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
        monthly = np.array(self.monthly_rows, dtype=float)
        summary = {**measures.summarise(self, monthly), **self.drawn}
        trace = None
        if self.trace is not None:
            trace = sorted(self.trace + measures.staffing_events(self), key=_trace_order)
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
