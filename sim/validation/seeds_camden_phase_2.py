"""Camden's seed facts (e) and (f): Phase 2's bi-monthly groups and the champions' meetings.

Checked on the bundled Camden scenario as shipped, from the fields of traced replications'
records (:mod:`sim.model.trace`); see :mod:`sim.validation.seeds`.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..model.replication import Replication
from ..model.trace import Record
from ..scenario.schema import Scenario
from .core import Check
from .seed_runs import (
    CAMDEN_REPS,
    SeedFact,
    bundled,
    first_month_from,
    month_number,
    month_of_day,
    month_start,
)
from .seeds_camden import CAMDEN, CAMDEN_CERTAIN, CAMDEN_SEED, CAMDEN_START, _camden

# (e) Phase 2: bi-monthly champion supervision, team-manager group, senior team


def _phase_2_grid(scenario: Scenario, interval: int) -> list[int]:
    (start, end) = scenario.phase_dates()[1]
    first = first_month_from(CAMDEN_START, start)
    last = month_number(CAMDEN_START, end)
    return list(range(first, last + 1, interval))


def _group_label(group: str, what: str) -> str:
    return f"{group} group: {what}"


def _phase_2_checks(scenario: Scenario) -> list[Check]:
    checks = []
    for group in ("team_managers", "senior_team"):
        grid = _phase_2_grid(scenario, scenario.programme.groups[group].interval_months)
        quote = (
            "a bi-monthly supervision group is facilitated for team managers"
            if group == "team_managers"
            else "the senior leadership team is supported ... every other month"
        )
        checks += [
            Check(
                _group_label(group, "months with a session"), float(len(grid)), "exact", quote=quote
            ),
            Check(
                _group_label(group, f"sessions off months {grid[0]}, {grid[1]}, …, {grid[-1]}"),
                0.0,
                "exact",
                quote=quote,
            ),
        ]
    return checks


CHAMP_OFF_GRID = "champion supervision sessions in Phase 2 off its bi-monthly grid"
CHAMP_MISSED = "grid months of Phase 2 with the champion group alive and no supervision"


def _phase_2_and_champion_checks(scenario: Scenario) -> list[Check]:
    return [
        *_phase_2_checks(scenario),
        Check(
            CHAMP_OFF_GRID,
            0.0,
            "exact",
            quote="The champions have continued meeting independently monthly, with ongoing "
            "bi-monthly supervision from the Trust",
        ),
        Check(CHAMP_MISSED, 0.0, "exact", quote="... ongoing bi-monthly supervision"),
    ]


def _champion_events(trace: list[Record]) -> list[Record]:
    return [e for e in trace if e.kind in ("champion_appointed", "champion_stepped_down")]


def _champion_active(rep: Replication, events: list[Record], day: float) -> int:
    """Champions serving at ``day`` from the trace's champion events: appointed on or before
    it, not stepped down on or before it, and in post.
    """
    serving = set()
    for record in events:
        if record.day > day:
            break
        if record.kind == "champion_appointed":
            serving.add(record.person)
        else:
            serving.discard(record.person)
    in_post = rep.plan.in_post(day)
    return sum(1 for p in serving if in_post[p])


def _phase_2_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    scenario = bundled(CAMDEN)
    out = defaultdict(list)
    minimum = scenario.champions.min_group_size
    supervision_grid = _phase_2_grid(
        scenario, scenario.programme.champion_supervision.interval_months
    )
    phase_2 = range(
        supervision_grid[0], month_number(CAMDEN_START, scenario.phase_dates()[1][1]) + 1
    )
    for rep, res in _camden(reps, seed):
        trace = res.trace
        for group in ("team_managers", "senior_team"):
            grid = _phase_2_grid(scenario, scenario.programme.groups[group].interval_months)
            months = {
                month_of_day(CAMDEN_START, e.day)
                for e in trace
                if e.kind == "group_session" and e.group == group
            }
            out[_group_label(group, "months with a session")].append(len(months))
            out[
                _group_label(group, f"sessions off months {grid[0]}, {grid[1]}, …, {grid[-1]}")
            ].append(len(months - set(grid)))
        champions = _champion_events(trace)
        supervised = {
            month_of_day(CAMDEN_START, e.day) for e in trace if e.kind == "champion_supervision"
        }
        out[CHAMP_OFF_GRID].append(
            len({m for m in supervised if m in phase_2} - set(supervision_grid))
        )
        out[CHAMP_MISSED].append(
            sum(
                1
                for m in supervision_grid
                if m not in supervised
                and _champion_active(rep, champions, month_start(CAMDEN_START, m)) >= minimum
            )
        )
    return {k: np.array(v, dtype=float) for k, v in out.items()}


CAMDEN_PHASE_2 = SeedFact(
    name="seed_camden_phase_2",
    title="Camden: Phase 2's bi-monthly champion supervision, team-manager group and senior team",
    scenario=CAMDEN,
    certain=CAMDEN_CERTAIN,
    source=CAMDEN_SEED,
    mechanism="Camden as shipped: provider groups and champion supervision on a bi-monthly "
    "grid counted from Phase 2's first month",
    derivation=(
        "Phase 2 runs November 2017 - October 2018 (months 24-35 from November 2015; its end "
        "is an assumption of camden.toml). A bi-monthly session falls in its first month and "
        "every second month after: months 24, 26, …, 34, six sessions. The team-manager "
        "group and the senior team meet on that grid and in no other month (Phase 1 does not "
        "supply them); each meets whenever someone of its roles is in post, which with 14 "
        "and 6 posts is always. The Trust supervises the champion group in Phase 2 only on "
        "the grid, and in every grid month in which the group is alive (at least "
        "`min_group_size` = 3 champions serving, counted from the trace)."
    ),
    rule="exact (counts of months from the trace, every replication).",
    checks=_phase_2_and_champion_checks,
    simulate=_phase_2_simulate,
    reps=CAMDEN_REPS,
)


# (f) champions meet monthly

ALIVE_NO_MEETING = "months from the appointment with the group alive and no meeting"
MEETING_NOT_ALIVE = "months with a meeting although fewer than the minimum served"


def _meetings_simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    scenario = bundled(CAMDEN)
    minimum = scenario.champions.min_group_size
    appoint = first_month_from(CAMDEN_START, scenario.champions.appoint_from)
    horizon = scenario.scenario.horizon_months
    out = defaultdict(list)
    for rep, res in _camden(reps, seed):
        trace = res.trace
        champions = _champion_events(trace)
        met = {month_of_day(CAMDEN_START, e.day) for e in trace if e.kind == "champion_meeting"}
        alive = {
            m
            for m in range(appoint, horizon)
            if _champion_active(rep, champions, month_start(CAMDEN_START, m)) >= minimum
        }
        out[ALIVE_NO_MEETING].append(len(alive - met))
        out[MEETING_NOT_ALIVE].append(len(met - alive))
    return {k: np.array(v, dtype=float) for k, v in out.items()}


CAMDEN_MEETINGS = SeedFact(
    name="seed_camden_champions_monthly",
    title="Camden: the champions meet monthly while the group is alive",
    scenario=CAMDEN,
    certain=CAMDEN_CERTAIN,
    source=CAMDEN_SEED,
    mechanism="Camden as shipped: champions appointed from November 2016, meeting every month "
    "(`meeting_interval_months` = 1) while at least `min_group_size` serve",
    derivation=(
        "For every month from the appointment (November 2016) to the horizon, the champions "
        "serving at the month's start are counted from the trace (appointed, not stepped "
        "down, still in post). The group is alive when at least 3 serve. The seed says the "
        "champions met monthly, in Phase 2 'independently': the model's group meets in every "
        "month it is alive, with or without a phase, and never when it is not."
    ),
    rule="exact (every replication).",
    checks=(
        Check(
            ALIVE_NO_MEETING,
            0.0,
            "exact",
            quote="The champions have continued meeting independently monthly",
        ),
        Check(MEETING_NOT_ALIVE, 0.0, "exact", quote="... meeting independently monthly"),
    ),
    simulate=_meetings_simulate,
    reps=CAMDEN_REPS,
)
