"""The shared state of one replication: what every mechanism reads and writes.

The mechanisms (foundation cohorts, mentoring, champions, consultation, groups) and the
measures all work on one :class:`ServiceState`. It lives below them, so no mechanism
imports the replication that runs it, and the measures read facts recorded here rather
than reaching into a mechanism's module.

The staffing plan (who is in which post when) is drawn at construction, from the workforce
streams only, before anything of the programme runs.

Every monthly pass works on the people in post, never on everyone who ever held a post
(only a small plan's list of who is in post is read afresh from its mask): who is in post
is kept from the plan's start and end days as time moves on
(:class:`~sim.model.workforce.PeopleInPost`), and the day's lists of kinds of people in
post (permanent staff, supervisors, team members, new starters) are worked out once and
shared by the month-end snapshot and the month's work that follows at the same instant.
Champions and mentored supervisors are kept as short lists as well as masks.
"""

from __future__ import annotations

import numpy as np
import simpy

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
from .practice import PracticeState, personal_half_lives, sessions_to_engage
from .prepared import prepare
from .starting_state import apply_roster
from .streams import Streams
from .trace import Record, person_record, staffing_records
from .workforce import Establishment, PeopleInPost, StaffingPlan, plan_staffing


class ServiceState:
    """People, posts, practice and the programme's shared facts in one replication.

    Attributes the mechanisms share (each written by one mechanism, read by others):
    ``mentored`` and ``mentored_people`` (mentoring, through :meth:`set_mentored`),
    ``is_champion`` and ``champion_people`` (champions, through :meth:`set_champions`),
    ``cohorts_to_start`` (foundation),
    ``offered_day`` (foundation and champions' inductions), ``flows`` (this month's totals
    of every costed activity and of completions, indexed by the ``FLOW_*`` constants),
    ``completed_by_phase`` (foundation completions by the phase that ran the cohort).
    """

    def __init__(self, scenario: Scenario, seed: int, replication: int, trace: bool = False):
        self.replication = replication
        self.streams = Streams(seed, replication)
        # Clock, calendar, posts and distributions: built once per scenario object.
        prepared = prepare(scenario)
        # This replication's draw of the uncertain assumptions, and the scenario they make.
        self.drawn = parameters.draw(prepared, self.streams) if scenario.uncertainty else {}
        self.scenario = scenario = scenario.with_values(self.drawn) if self.drawn else scenario
        if self.drawn and not prepared.serves_draws:  # the draw moved a date, post or group
            prepared = prepare(scenario)
        self.prepared = prepared
        self.clock = prepared.clock
        self.calendar = prepared.calendar
        self.env = simpy.Environment()
        self.trace: list[Record] | None = [] if trace else None

        workforce = scenario.workforce
        self.establishment: Establishment = prepared.establishment
        self.plan: StaffingPlan = plan_staffing(
            workforce, self.establishment, self.clock.end_day, self.streams, self.clock
        )
        n = self.plan.n_people
        self.role = self.establishment.post_role[self.plan.post]
        self.team = self.establishment.post_team[self.plan.post]
        self.permanent = ~self.plan.is_agency
        self.day_cost = prepared.role_day_cost[self.role]
        self.is_supervisor = self.role == self.establishment.supervisor_role
        self.is_team_member = (self.team >= 0) & ~self.is_supervisor
        self.supervisor_people = np.nonzero(self.is_supervisor)[0]
        # New starters joined after the programme began: the people that offers of places to
        # new starters, and champions' inductions, are for.
        self.programme_start_day = self.calendar.first_start_day
        self.new_starter = self.permanent & (self.plan.start > self.programme_start_day)
        self.starters_by_month = self._count_by_month(self.plan.start[self.permanent])
        self.leavers_by_month = self._count_by_month(self.plan.end[self.permanent])

        practice = scenario.practice
        uptake_draw = self.plan.per_person(self.streams["uptake"].random)
        late = None
        if practice.late_share > 0:  # who may engage later, and after how many sessions
            late = (
                self.plan.per_person(self.streams["late_engagers"].random),
                sessions_to_engage(
                    self.plan.per_person(self.streams["late_engagement"].random),
                    practice.late_engagement_per_session,
                ),
            )
        half_lives = personal_half_lives(practice, self.plan, self.streams)
        self.practice = PracticeState(practice, uptake_draw, late, half_lives, self.streams)
        # The dose of staff trained before the programme or arriving trained: the course
        # the scenario's foundation design runs.
        self.course_days = float(sum(s.days for s in scenario.programme.foundation.sessions))
        self.offered_day = np.full(n, np.nan)  # when a training or induction place began
        self.mentored = np.zeros(n, dtype=bool)  # mentored supervisors (live mentoring)
        # Live mentoring sessions each supervisor attended: the dose of mentoring that sets
        # how well they lead group supervision (programme.mentoring.dose_half_sessions).
        self.mentoring_sessions = np.zeros(n)
        self.mentored_people = np.zeros(0, dtype=np.int64)  # the same, in order
        self._running: tuple[tuple, np.ndarray] = ((), self.mentored_people)
        self.is_champion = np.zeros(n, dtype=bool)
        self.champion_people = np.zeros(0, dtype=np.int64)  # the champions, in order
        # Cohorts not yet started, by whether they offer new starters places (for 'waiting').
        self.cohorts_to_start = {False: 0, True: 0}
        self.flows = [0.0] * len(FLOWS)  # Python floats: cheaper to add to than numpy's
        self.completed_by_phase = np.zeros(len(scenario.programme.phases), dtype=np.int64)
        self._posts = PeopleInPost(self.plan, self.clock.month_start_days)
        self._day = self._posts.day
        self._in_post_among: dict[str, np.ndarray] = {}  # kinds of people in post today
        self._train_at_start()

    def _train_at_start(self) -> None:
        """Train the initial share of staff on day 0 and recruits who arrive trained."""
        # Each share draws from its own stream, used for nothing else: with a share of 0
        # nobody is chosen whatever the draws, so they are not made.
        workforce = self.scenario.workforce
        if workforce.roster:
            apply_roster(self)  # who is trained, champion, mentored: the council's own list
        elif workforce.initial_trained_fraction > 0:
            initial = np.nonzero(self.plan.is_initial & self.permanent)[0]
            chosen = self.streams["initial_trained"].permutation(initial)
            count = int(round(workforce.initial_trained_fraction * len(initial)))
            self.practice.complete_training(chosen[:count], 0.0, self.course_days)

        if workforce.recruits_trained_fraction > 0:
            arrive_trained = self.plan.per_person(self.streams["recruits"].random)
            recruits = self.permanent & ~self.plan.is_initial
            share = workforce.recruits_trained_fraction
            trained = np.nonzero(recruits & (arrive_trained < share))[0]
            self.practice.complete_training(trained, self.plan.start[trained], self.course_days)

    def _count_by_month(self, days: np.ndarray) -> np.ndarray:
        """How many of ``days`` fall in each month, (start, end] like the snapshots see them."""
        edges = self.clock.month_start_days
        month = np.searchsorted(edges, days, side="left") - 1
        inside = (month >= 0) & (month < self.clock.horizon_months)
        return np.bincount(month[inside], minlength=self.clock.horizon_months)

    # ----------------------------------------------------------------- who, at a day

    def _move_to(self, day: float) -> None:
        self._posts.move_to(day)
        self._day = day
        self._in_post_among.clear()

    def in_post(self, day: float) -> np.ndarray:
        """Mask over every person of those in post at ``day``.

        Shared, and updated in place when a later day is asked for: read it at once, never
        keep or write it. Many mechanisms ask at the same day; moving on touches only the
        people who joined or left in between.
        """
        if day != self._day:
            self._move_to(day)
        return self._posts.mask

    def people_in_post(self, day: float) -> np.ndarray:
        """Indices of the people in post at ``day``, increasing (shared: never write it)."""
        if day != self._day:
            self._move_to(day)
        return self._posts.people

    def in_post_among(self, day: float, kind: str) -> np.ndarray:
        """Indices, increasing, of the people in post at ``day`` of a kind fixed for the run:
        ``permanent``, ``is_supervisor``, ``is_team_member`` or ``new_starter`` (the
        attribute of that name). Worked out once a day and shared: never write it.
        """
        if day != self._day:
            self._move_to(day)
        found = self._in_post_among.get(kind)
        if found is None:
            people = self._posts.people
            found = people[getattr(self, kind)[people]]
            self._in_post_among[kind] = found
        return found

    def running_supervisors(self, day: float) -> np.ndarray:
        """Supervisors in post, mentored and practising at ``day``: their teams are supervising.

        Only supervisors are mentored, so these are the mentored people who are in post,
        trained and practising (in increasing order, as the mentored list is kept).
        """
        mentored = self.mentored_people
        if len(mentored) == 0:
            return mentored
        practice = self.practice
        # Asked at the month end and again when the next month's supervision begins, the
        # same instant: the answer stands unless someone's practice or mentoring changed.
        key = (day, practice.version, len(mentored))
        if key == self._running[0]:
            return self._running[1]
        running = (
            self.in_post(day)[mentored]
            & practice.trained[mentored]
            & (practice.lapse_day[mentored] > day)
        )
        self._running = (key, mentored[running])
        return self._running[1]

    def unmentored_leaders(self, day: float) -> np.ndarray:
        """Supervisors in post at ``day`` who practise but were never mentored by the
        provider (inducted, trained later, or learned in post): with
        ``group_supervision.unmentored_strength`` above 0 they lead their teams' group
        supervision at that strength.
        """
        supervisors = self.in_post_among(day, "is_supervisor")
        practice = self.practice
        return supervisors[~self.mentored[supervisors] & (practice.lapse_day[supervisors] > day)]

    def set_mentored(self, people: np.ndarray) -> None:
        """Mark supervisors mentored (they stay so for good)."""
        self.mentored[people] = True  # none of them mentored before
        self.mentored_people = np.sort(np.concatenate((self.mentored_people, people)))

    def active_champions(self, day: float) -> np.ndarray:
        """Champions in post at ``day``, in increasing order."""
        champions = self.champion_people
        return champions[self.in_post(day)[champions]]

    def set_champions(self, people: np.ndarray, champion: bool) -> None:
        """Make ``people`` champions, or make them stop being champions."""
        self.is_champion[people] = champion
        if champion:  # none of them champions before
            self.champion_people = np.sort(np.concatenate((self.champion_people, people)))
        else:
            self.champion_people = self.champion_people[self.is_champion[self.champion_people]]

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
        self.flows[FLOW_COST] += days * float(np.add.reduce(self.day_cost[who]))

    def day_cost_of(self, who: np.ndarray) -> float:
        """What one staff day of each of ``who`` costs, summed."""
        return float(np.add.reduce(self.day_cost[who]))

    def add_staff_days(self, who: np.ndarray, days: float, cost: float | None = None) -> None:
        """Staff days in the programme's other activities (mentoring, group supervision,
        groups, consultation, champion meetings and work), costed at each person's rate;
        ``cost`` is :meth:`day_cost_of` ``who`` when the caller has it already.
        """
        self.flows[FLOW_ACTIVITY_DAYS] += days * len(who)
        self.flows[FLOW_COST] += days * (self.day_cost_of(who) if cost is None else cost)

    def add_provider_days(self, days: float) -> None:
        """External provider days, costed at the day rate."""
        self.flows[FLOW_PROVIDER_DAYS] += days
        self.flows[FLOW_COST] += days * self.scenario.costs.provider_day_rate

    def record_completions(self, count: int, phase: int) -> None:
        """People who completed foundation training now, in a cohort of phase ``phase``."""
        self.flows[FLOW_COMPLETED] += count
        self.completed_by_phase[phase] += count

    def log(self, day: float, kind: str, **facts) -> None:
        """Note a fact that concerns no one person (a cohort starting), when tracing.

        ``facts`` are :class:`~sim.model.trace.Record` fields (``phase``, ``cohort``, ...).
        """
        if self.trace is not None:
            self.trace.append(Record(round(float(day), 6), kind, **facts))

    def log_many(self, day: float, kind: str, people: np.ndarray, **facts) -> None:
        """Note the same fact about each of ``people``, when tracing (tests and debugging)."""
        if self.trace is not None:
            names = self.establishment.role_names
            for person in people:
                role, team = names[self.role[person]], self.team[person]
                self.trace.append(person_record(day, kind, person, role, team, **facts))

    def staffing_records(self) -> list[Record]:
        """The trace's joins and leaves within the horizon, from the staffing plan."""
        names = self.establishment.role_names
        return staffing_records(self.plan, self.clock.end_day, names, self.role, self.team)
