"""One replication: the shared state, the mechanisms, and the SimPy processes that run them.

The staffing plan (who is in which post when) is drawn first, from the workforce streams
only (:class:`~sim.model.state.ServiceState`). The programme then runs as SimPy processes
over it:

- a *snapshot* at every month boundary, processed ahead of anything else at that instant so
  that it sees the state at the end of the month (see :meth:`Replication._snapshots`);
- a *monthly* process that runs, in a fixed order, what happens every month inside the
  service (mentoring and supported supervision, group supervision, champions, clinician
  consultation, provider-run groups);
- one process per foundation cohort, whose sessions fall on their own days.

The model reads no files, prints nothing and plots nothing: it returns arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scenario.schema import Scenario
from . import champions, consultation, foundation, groups, measures, mentoring
from .state import ServiceState
from .trace import Record, in_time_order


@dataclass(frozen=True)
class ReplicationResult:
    """What one replication returns: monthly rows, its summary, and optionally a trace."""

    replication: int
    monthly: np.ndarray  # months × len(measures.MONTHLY), in that column order
    summary: dict[str, float]
    trace: list[Record] | None  # in time order (sim.model.trace), when traced


class Replication(ServiceState):
    """One replication: the shared state plus each mechanism's own state and the processes."""

    def __init__(self, scenario: Scenario, seed: int, replication: int, trace: bool = False):
        super().__init__(scenario, seed, replication, trace)
        self.mentoring = mentoring.MentoringState(self)
        self.champions = champions.ChampionState(self)
        self.consultation = consultation.ConsultationState(self)
        self.monthly_rows: list[list[float]] = []

    def _snapshots(self):
        """Record each month's state at its end, before anything else at that instant.

        Every month end's timeout is made here, when the run begins and before any other
        process has made an event. SimPy processes events due at the same instant and
        priority in the order they were made, so each month end comes first at its
        instant, before a session or meeting that belongs to the next month.
        """
        boundaries = self.clock.month_start_days[1 : self.clock.horizon_months + 1]
        ends = [self.env.timeout(day) for day in boundaries]  # the run starts at day 0
        for month, (boundary, end) in enumerate(zip(boundaries, ends, strict=True)):
            yield end
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
            trace = in_time_order(self.trace + self.staffing_records())
        return ReplicationResult(self.replication, monthly, summary, trace)


def run_replication(
    scenario: Scenario, seed: int, replication: int, trace: bool = False
) -> ReplicationResult:
    """Run one replication of a scenario with the streams of (seed, replication)."""
    return Replication(scenario, seed, replication, trace).run()
