"""The programme calendar: funded phases, the gaps between them, and what each supplies.

A phase runs from the start of its ``start`` day to the end of its ``end`` day. Between
phases is a gap in which no external provision runs: mentoring sessions, supported
supervision, champion supervision, provider groups and consultation that would fall in a
gap do not happen, and training sessions scheduled after their phase ends are cancelled.

The calendar is a pure function of the scenario: the model runs on it, and ``rollout
validate`` explains it, without running anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from .clock import DAYS_PER_MONTH, Clock
from .programme_schema import Foundation, Phase
from .schema import Scenario


@dataclass(frozen=True)
class PhaseSpan:
    """A phase in model days: ``start_day`` inclusive, ``end_day`` exclusive."""

    index: int
    phase: Phase
    start_day: float
    end_day: float
    first_month: int  # the first month that starts on or after the phase's first day


# Answers kept at most: a few questions at every month start of a long horizon.
_MAX_ANSWERS = 100_000


class PhaseCalendar:
    """Answers "which phase, if any, supplies X on this day?"."""

    def __init__(self, scenario: Scenario, clock: Clock):
        self.spans = tuple(
            PhaseSpan(
                index=i,
                phase=phase,
                start_day=clock.day(start),
                end_day=clock.day_after(end),
                first_month=clock.first_month_from(clock.day(start)),
            )
            for i, (phase, (start, end)) in enumerate(
                zip(scenario.programme.phases, scenario.phase_dates(), strict=True)
            )
        )
        # The monthly activities ask the same questions at the same month starts in every
        # replication of a scenario: the answers are kept (the calendar never changes).
        self._answers: dict[tuple[str, float], PhaseSpan | None] = {}

    @property
    def first_start_day(self) -> float:
        """When the programme begins (day 0 when there are no phases)."""
        return self.spans[0].start_day if self.spans else 0.0

    @property
    def last_end_day(self) -> float | None:
        """When the last external support ends, or None with no phases."""
        return self.spans[-1].end_day if self.spans else None

    def supplying(self, item: str, day: float) -> PhaseSpan | None:
        """The phase running on ``day`` that supplies ``item``, if any."""
        key = (item, day)
        try:
            return self._answers[key]
        except KeyError:
            pass
        found = None
        for span in self.spans:
            if span.start_day <= day < span.end_day:
                found = span if item in span.phase.supplies else None
                break
        if len(self._answers) < _MAX_ANSWERS:
            self._answers[key] = found
        return found

    def due(self, item: str, day: float, month: int, interval_months: int) -> PhaseSpan | None:
        """The supplying phase if a session every ``interval_months`` falls in ``month``.

        The monthly activities run at month starts, so sessions count from the first month
        start inside the phase: a bi-monthly group meets in that month, two months later,
        and so on. (A phase starting on 15 November meets first on 1 December.)
        """
        span = self.supplying(item, day)
        if span is None or (month - span.first_month) % interval_months:
            return None
        return span


def cohort_start_days(span: PhaseSpan, design: Foundation) -> list[float]:
    """Start days of a phase's cohorts: every interval from the phase start, inside the phase."""
    starts = []
    for number in range(design.cohorts):
        day = span.start_day + number * design.interval_months * DAYS_PER_MONTH
        if day >= span.end_day:
            break
        starts.append(day)
    return starts
