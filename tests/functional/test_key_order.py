"""One answer for one scenario, whatever the order of its keys and tables.

A scenario's meaning must not hang on where its tables sit in the file: the app stores a
scenario with its keys sorted, a person may move a role's table, and the command line, the
Python API and the app must then give byte-identical tables. Roles are ranked by
``workforce.seniority`` (file order only where it names no role), the staffing streams are
keyed by a role's name and the ``[uncertainty]`` draws by the key's name.
"""

from __future__ import annotations

import re
import tomllib

import numpy as np
import pytest
from conftest import REPO, make_scenario, run_main

from sim import experiments
from sim.app.logic import from_json, to_json
from sim.model.prepared import prepare
from sim.model.streams import Streams
from sim.model.workforce import plan_staffing
from sim.scenario import load_scenario, scenario_from_text
from sim.scenario.writing import to_toml

CAMDEN = REPO / "scenarios" / "camden.toml"
SHORT = ["--reps", "3", "--seed", "11", "--workers", "1", "--set", "scenario.horizon_months=30"]


def reordered(text: str, keep_seniority: bool = True) -> str:
    """The file with its role tables and its provider groups' tables in reverse order and
    its ``[uncertainty]`` and ``[sources]`` entries reversed; comments and values untouched.
    """
    head, *sections = re.split(r"(?m)^(?=\[)", text)
    named = ("[workforce.roles.", "[programme.groups.")
    tables = {kind: [s for s in sections if s.startswith(kind)] for kind in named}
    assert len(tables["[workforce.roles."]) > 1, "fewer than two role tables to reorder"
    backwards = {kind: iter(reversed(found)) for kind, found in tables.items()}
    out = []
    for section in sections:
        kind = next((k for k in named if section.startswith(k)), None)
        if kind is not None:
            section = next(backwards[kind])
        elif section.startswith(("[uncertainty]", "[sources]")):
            header, *lines = section.split("\n")
            entries = [line for line in lines if line.startswith('"')]
            others = [line for line in lines if not line.startswith('"')]
            section = "\n".join([header, *reversed(entries), *others])
        elif section.startswith("[workforce]") and not keep_seniority:
            section = re.sub(r"(?m)^seniority = .*\n", "", section)
        out.append(section)
    return head + "".join(out)


def test_the_reordering_really_moves_the_tables():
    text = CAMDEN.read_text(encoding="utf-8")
    moved = tomllib.loads(reordered(text))
    original = tomllib.loads(text)
    assert list(moved["workforce"]["roles"]) == list(reversed(original["workforce"]["roles"]))
    groups = original["programme"]["groups"]
    assert len(groups) > 1
    assert list(moved["programme"]["groups"]) == list(reversed(groups))
    assert list(moved["uncertainty"]) == list(reversed(original["uncertainty"]))
    assert moved == original, "reordering changed a value, not only an order"


@pytest.mark.parametrize("name", ["camden", "havering"])
def test_a_bundled_scenario_reordered_gives_identical_tables(name, tmp_path, monkeypatch, capsys):
    original = REPO / "scenarios" / f"{name}.toml"
    moved = tmp_path / f"{name}-reordered.toml"
    moved.write_text(reordered(original.read_text(encoding="utf-8")), encoding="utf-8")
    for label, path in (("first", original), ("moved", moved)):
        code, _, err = run_main(
            ["run", str(path), *SHORT, "--out", str(tmp_path / label)],
            tmp_path,
            monkeypatch,
            capsys,
        )
        assert code == 0, err
    for table in ("summary.csv", "timeseries.csv", "summary_stats.csv"):
        first = (tmp_path / "first" / table).read_bytes()
        again = (tmp_path / "moved" / table).read_bytes()
        assert first == again, f"{table} differs when the role tables are reordered"


def test_without_seniority_the_file_order_is_the_seniority():
    text = CAMDEN.read_text(encoding="utf-8")
    plain = scenario_from_text(reordered(text, keep_seniority=False), "moved.toml")
    named = scenario_from_text(reordered(text), "moved.toml")
    original = list(named.workforce.roles)
    assert list(plain.workforce.seniority) == original[::-1], plain.workforce.seniority
    assert list(plain.workforce.roles) == original[::-1], list(plain.workforce.roles)


def test_seniority_may_name_some_roles_and_the_rest_follow_in_file_order():
    data = make_scenario().model_dump()
    data["workforce"]["roles"]["aide"] = {"posts": 2, "turnover": 0.1}
    data["workforce"]["seniority"] = ["worker"]
    scenario = make_scenario(data)
    assert scenario.workforce.seniority == ("worker", "supervisor", "aide"), (
        scenario.workforce.seniority
    )


def test_the_apps_sorted_json_and_its_toml_download_are_the_same_scenario():
    camden = scenario_from_text(CAMDEN.read_text(encoding="utf-8"), "camden.toml")
    stored = from_json(to_json(camden))  # the app's cache key, keys sorted
    assert list(stored.workforce.roles) == list(camden.workforce.roles), list(
        stored.workforce.roles
    )
    downloaded = scenario_from_text(to_toml(stored), "download.toml")
    assert downloaded.model_dump() == camden.model_dump(), "the download means something else"


def test_the_python_api_and_the_apps_json_write_what_the_command_writes(
    tmp_path, monkeypatch, capsys
):
    code, _, err = run_main(
        ["run", str(CAMDEN), *SHORT, "--out", str(tmp_path / "cli")], tmp_path, monkeypatch, capsys
    )
    assert code == 0, err
    camden = scenario_from_text(CAMDEN.read_text(encoding="utf-8"), str(CAMDEN))
    camden = from_json(to_json(camden.with_changes({"scenario.horizon_months": 30})))
    experiments.run(camden, reps=3, seed=11, workers=1, out=tmp_path / "app")
    direct = load_scenario(CAMDEN).with_changes({"scenario.horizon_months": 30})
    experiments.run(direct, reps=3, seed=11, workers=1, out=tmp_path / "api")
    for table in ("summary.csv", "timeseries.csv", "summary_stats.csv"):
        cli = (tmp_path / "cli" / table).read_bytes()
        for way in ("app", "api"):
            again = (tmp_path / way / table).read_bytes()
            assert cli == again, f"{table}: the API ({way}) and rollout run differ"


def _people_of(plan, establishment, role: str) -> np.ndarray:
    index = establishment.role_names.index(role)
    own = establishment.post_role[plan.post] == index
    posts = plan.post[own] - np.nonzero(establishment.post_role == index)[0][0]
    return np.column_stack([posts, plan.start[own], plan.end[own], plan.is_agency[own]])


def test_a_roles_comings_and_goings_are_its_own():
    """Keyed by the role's name: more posts in another role change nothing in this one."""
    data = make_scenario().model_dump()
    data["scenario"]["horizon_months"] = 120
    data["workforce"]["roles"]["worker"] |= {"turnover": 0.2, "hiring_delay_months": 3.0}
    data["workforce"]["roles"]["supervisor"] |= {"turnover": 0.3, "hiring_delay_months": 2.0}
    data["workforce"]["agency_cover"] = 0.5
    plans = []
    for supervisors in (1, 3):
        data["workforce"]["roles"]["supervisor"]["posts"] = supervisors
        scenario = make_scenario(data)
        establishment = prepare(scenario).establishment
        plan = plan_staffing(scenario.workforce, establishment, 120 * 30.4, Streams(5, 2))
        plans.append(_people_of(plan, establishment, "worker"))
    assert len(plans[0]) > 8, f"too few workers' spells to test: {len(plans[0])}"
    assert np.array_equal(plans[0], plans[1]), "the workers' spells moved with the supervisors"


def test_an_unknown_role_in_seniority_is_bad_input(tmp_path, monkeypatch, capsys):
    code, out, err = run_main(
        ["validate", "camden", "--set", 'workforce.seniority=["social_worker", "wizard"]'],
        tmp_path,
        monkeypatch,
        capsys,
    )
    assert code == 2, (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "seniority" in lines[0], err
    assert "'wizard'" in lines[0], err
