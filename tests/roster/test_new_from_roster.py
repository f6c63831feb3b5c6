"""``rollout new --roster``: the staff list becomes the starting state, identifiers never leave.

Uses the synthetic example roster (docs/examples/staff.csv, leavers.csv: a made-up service
of 123 posts in 14 teams, as on 2026-04-01).
"""

from __future__ import annotations

import csv
import re
from datetime import date

import numpy as np
import pytest
from conftest import REPO
from conftest import run_main as call

from sim import load_scenario
from sim.councils.from_roster import new_roster_scenario
from sim.model.state import ServiceState

EXAMPLES = REPO / "docs" / "examples"
START = date(2026, 4, 1)
TODAY = date(2026, 11, 30)


def roster_rows() -> list[dict]:
    with open(EXAMPLES / "staff.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    made = new_roster_scenario(
        EXAMPLES / "staff.csv", EXAMPLES / "leavers.csv", start=START, today=TODAY
    )
    path = tmp_path_factory.mktemp("roster") / "mine.toml"
    path.write_text(made.text, encoding="utf-8")
    return path, made


def test_the_scenario_starts_from_the_roster(built):
    path, _ = built
    scenario = load_scenario(path)
    rows = roster_rows()
    posts = {name: role.posts for name, role in scenario.workforce.roles.items()}
    listed = {name: sum(r["role"] == name for r in rows) for name in posts}
    assert posts == listed, f"posts {posts}, roster {listed}"
    state = ServiceState(scenario, seed=5, replication=3)
    here = state.in_post(0.0)
    permanent = int((here & state.permanent).sum())
    agency = int((here & ~state.permanent).sum())
    trained = int((here & state.permanent & state.practice.trained).sum())
    expected = (
        sum(r["status"] == "filled" for r in rows),
        sum(r["status"] == "agency" for r in rows),
        sum(r["status"] == "filled" and bool(r["trained_on"]) for r in rows),
    )
    assert (permanent, agency, trained) == expected, (
        f"day 0 (filled, agency, trained) {(permanent, agency, trained)}, roster {expected}"
    )
    members = np.bincount(state.establishment.post_team[state.establishment.post_team >= 0])
    teams = {}
    for r in rows:
        if r["team"]:
            teams[r["team"]] = teams.get(r["team"], 0) + 1
    assert sorted(members.tolist()) == sorted(teams.values()), (
        f"team sizes {sorted(members.tolist())}, roster {sorted(teams.values())}"
    )


def test_estimates_carry_their_uncertainty_and_sources(built):
    path, made = built
    scenario = load_scenario(path)
    key = "workforce.roles.social_worker.turnover"
    assert key in scenario.uncertainty, f"no uncertainty for {key}: {list(scenario.uncertainty)}"
    drawn = scenario.uncertainty[key]
    assert drawn.distribution == "gamma", f"{key}: {drawn}"
    assert drawn.mean == pytest.approx(scenario.workforce.roles["social_worker"].turnover), (
        f"{key}: {drawn}"
    )
    source = scenario.sources[key].source
    assert re.search(
        r"estimated from your records, \d+ leavers over [\d.]+ person-years", source
    ), f"source of {key}: {source}"
    fallback = scenario.sources["workforce.roles.senior_leader.turnover"].source
    assert "too few" in fallback, f"senior leaders have 1 leaver; their source says {fallback!r}"
    assert any("senior_leader: turnover from the camden template" in n for n in made.notes), (
        f"notes {made.notes}"
    )


def test_no_post_id_or_team_label_in_anything_written(built, tmp_path, monkeypatch, capsys):
    path, _ = built
    rows = roster_rows()
    ids = [r["post_id"] for r in rows]
    labels = sorted({r["team"] for r in rows if r["team"]})
    out = tmp_path / "run"
    code, _, err = call(
        ["run", str(path), "--reps", "2", "--set", "scenario.horizon_months=6", "--out", str(out)],
        tmp_path,
        monkeypatch,
        capsys,
    )
    assert code == 0, f"run exit {code}: {err}"
    files = [path, *sorted(p for p in out.rglob("*") if p.is_file())]
    for file in files:
        content = file.read_bytes()
        found = [i for i in ids if re.search(rb"\b" + i.encode() + rb"\b", content)]
        assert not found, f"{file.name} holds post ids {found[:5]}"
        if file.suffix in (".toml", ".json", ".csv"):
            named = [t for t in labels if t.encode() in content]
            assert not named, f"{file.name} holds team labels {named}"
