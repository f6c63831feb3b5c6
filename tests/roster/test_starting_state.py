"""A roster as the starting state: day 0 of every replication is exactly the staff list.

The roster below has two teams (A led by a filled supervisor post, B by a vacant one), a
team manager outside the teams, agency cover on one post and a champion. Whatever the seed,
day 0 must show these posts filled, vacant and covered, these teams, these people trained
on these dates, and their practice levels as decay from those dates leaves them.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from conftest import make_scenario

from sim.model.state import ServiceState
from sim.scenario import ScenarioError

START = date(2024, 4, 1)
ROWS = [
    # role, team, status, trained_on, champion, mentored
    ("manager", "", "filled", date(2022, 4, 1), True, False),
    ("supervisor", "A", "filled", date(2023, 4, 1), False, True),
    ("supervisor", "B", "vacant", None, False, False),
    ("worker", "A", "filled", date(2024, 1, 1), True, False),
    ("worker", "A", "agency", None, False, False),
    ("worker", "B", "filled", None, False, False),
    ("worker", "B", "filled", date(2021, 4, 1), False, False),
    ("worker", "A", "vacant", None, False, False),
]


def roster_data() -> dict:
    rows = [
        dict(zip(("role", "team", "status", "trained_on", "champion", "mentored"), r, strict=True))
        for r in ROWS
    ]
    for row in rows:
        if row["trained_on"] is None:
            del row["trained_on"]
    return {
        "scenario": {"name": "roster", "start": START, "horizon_months": 12},
        "workforce": {
            "supervisor_role": "supervisor",
            "agency_cover": 0.0,
            "initial_trained_fraction": 0.8,
            "roles": {
                "manager": {"posts": 1, "turnover": 0.2},
                "supervisor": {
                    "posts": 2,
                    "turnover": 0.2,
                    "hiring_delay_months": 6.0,
                    "initial_vacancies": 1,
                },
                "worker": {
                    "posts": 5,
                    "turnover": 0.2,
                    "hiring_delay_months": 6.0,
                    "initial_vacancies": 2,
                    "team_member": True,
                },
            },
            "roster": rows,
        },
        "practice": {"uptake": 1.0, "half_life_months": 12.0, "threshold": 0.3},
        "programme": {"phases": []},
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_day_zero_is_the_roster(seed):
    scenario = make_scenario(roster_data())
    state = ServiceState(scenario, seed, replication=seed)
    here = state.in_post(0.0)
    by_post = {int(state.plan.post[p]): p for p in np.nonzero(here)[0]}
    # Posts in order: manager 0; supervisors 1 (A), 2 (B); workers 3..6 in row order.
    observed = []
    for post in range(len(ROWS)):
        person = by_post.get(post)
        status = (
            "vacant" if person is None else "agency" if state.plan.is_agency[person] else "filled"
        )
        observed.append(status)
    assert observed == [r[2] for r in ROWS], f"day-0 status by post {observed}"
    teams = state.establishment.post_team.tolist()
    assert teams == [-1, 0, 1, 0, 0, 1, 1, 0], f"teams by post {teams}"
    trained = {int(state.plan.post[p]) for p in np.nonzero(here & state.practice.trained)[0]}
    assert trained == {0, 1, 3, 6}, f"posts trained at the start {sorted(trained)}"
    champions = {int(state.plan.post[p]) for p in np.nonzero(state.is_champion)[0]}
    assert champions == {0, 3}, f"champion posts {sorted(champions)}"
    mentored = {int(state.plan.post[p]) for p in np.nonzero(state.mentored)[0]}
    assert mentored == {1}, f"mentored posts {sorted(mentored)}"
    # Level = 0.5 ** (months since trained / 12): 3 months ago 0.84, a year ago 0.5; two and
    # three years ago 0.25 and 0.125, below the threshold 0.3: those two no longer practise.
    worker = by_post[3]
    months = (START - date(2024, 1, 1)).days / (365.25 / 12)
    level = float(state.practice.level(0.0, np.array([worker]))[0])
    assert level == pytest.approx(0.5 ** (months / 12)), f"level of the Jan-2024 trainee {level}"
    practising = {
        int(state.plan.post[p]) for p in np.nonzero(here & state.practice.practising(0.0))[0]
    }
    assert practising == {1, 3}, f"posts practising at the start {sorted(practising)}"


def test_roster_problems_name_the_row_and_key():
    data = roster_data()
    rows = data["workforce"]["roster"]
    rows[2]["team"] = ""  # a supervisor post without its team: team B now has no leader
    rows[0]["role"] = "director"  # not a role
    rows[7]["trained_on"] = date(2023, 1, 1)  # a vacant post trained
    with pytest.raises(ScenarioError) as caught:
        make_scenario(data)
    text = str(caught.value)
    for expected in (
        "workforce.roster.2.team: a supervisor post belongs to a team",
        "workforce.roster.0.role: unknown role 'director'",
        "workforce.roster.7.trained_on: a vacant post has nobody in it",
        "team 'B' has no supervisor post to lead it",
    ):
        assert expected in text, f"missing {expected!r} in:\n{text}"


def test_roster_champions_are_counted_and_meet_from_month_0():
    # Zero turnover, so nobody leaves: the champions measure is the roster's two from month 0.
    data = roster_data()
    for role in data["workforce"]["roles"].values():
        role["turnover"] = 0.0
    data["champions"] = {"target": 2, "min_group_size": 2, "appoint_from": START}
    from sim.model import Replication
    from sim.model.measures import MONTHLY

    result = Replication(make_scenario(data), 1, 0).run()
    champions = result.monthly[:, MONTHLY.index("champions")]
    assert champions[0] == 2, f"champions by month {champions.tolist()}"
    assert champions.min() >= 1, f"champions by month {champions.tolist()}"


def test_a_supervisor_the_roster_marks_mentored_leads_group_supervision_from_month_0():
    # Supervisor A is in post, mentored and practising on day 0 (trained a year ago, level
    # 0.5 above the threshold 0.3): team A has group supervision from the first month.
    data = roster_data()
    for role in data["workforce"]["roles"].values():
        role["turnover"] = 0.0
    from sim.model import Replication
    from sim.model.measures import MONTHLY

    replication = Replication(make_scenario(data), 1, 0)
    leading = replication.running_supervisors(0.0)
    assert len(leading) == 1, f"supervisors running group supervision on day 0: {leading}"
    teams = replication.run().monthly[:, MONTHLY.index("teams_supervising")]
    assert teams[0] == 1, f"teams supervising by month {teams.tolist()}"
