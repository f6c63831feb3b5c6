"""Plan names: a bad one said plainly, and names that differ only in case are one plan
(as they are one file on a council's Windows share or a Mac).
"""

from __future__ import annotations

import pytest
from conftest import run_main

from sim.scenario.keys import BadInput, ScenarioError
from sim.scenario.loading import resolve_scenario
from sim.scenario.plans import (
    check_name,
    delete_plan,
    find_plan,
    list_plans,
    previous_versions,
    read_plan,
    save_plan,
)

OBSERVED = "date,measure,value,sd\n2017-03-31,coverage,0.1,0.05\n"


@pytest.fixture
def text():
    return resolve_scenario("camden").read_text(encoding="utf-8")


def refused(call, *args) -> str:
    with pytest.raises(BadInput) as caught:
        call(*args)
    assert len(caught.value.lines) == 1, f"lines: {caught.value.lines}"
    return caught.value.lines[0]


def test_plan_colon_and_nothing_asks_for_a_name(tmp_path, monkeypatch):
    monkeypatch.setenv("ROLLOUT_PLANS", str(tmp_path))
    line = refused(resolve_scenario, "plan:")
    assert line.startswith("plan: needs a plan's name after the colon"), line
    assert "e.g. plan:phase-2-early" in line, line
    assert "plan::" not in line, line
    assert "empty" not in line, line


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("../x", "cannot hold '.' or '/'"),
        ("a\\b", "cannot hold '\\\\'"),
        ("café", "cannot hold 'é'"),
        (" a", "starts with a letter or a digit, not a space"),
        ("-a", "starts with a letter or a digit, not '-'"),
        ("a ", "cannot end with a space"),
        ("x" * 61, "at most 60 characters; this one has 61"),
    ],
)
def test_a_bad_name_says_what_is_wrong_with_it(tmp_path, monkeypatch, name, says):
    monkeypatch.setenv("ROLLOUT_PLANS", str(tmp_path))
    line = refused(resolve_scenario, f"plan:{name}")
    assert says in line, f"plan:{name}: {line}"
    saved = refused(check_name, name)
    assert says in saved, f"saving {name!r}: {saved}"


def test_an_empty_name_to_save_asks_for_one():
    line = refused(check_name, "")
    assert "a plan needs a name" in line, line
    assert "e.g. phase-2-early" in line, line


def test_another_case_of_a_name_opens_the_plan(tmp_path, text):
    save_plan(tmp_path, "camden", text, "a")
    found = find_plan("CAMDEN", tmp_path)
    assert found.name == "camden", f"found {found.name!r}"
    assert found.path == tmp_path / "camden.toml", f"path {found.path}"
    plan, body = read_plan(tmp_path, "Camden")
    assert plan.name == "camden", f"read {plan.name!r}"
    assert body == text, "the text read is not the text saved"


def test_saving_another_case_of_a_name_needs_replace(tmp_path, text):
    save_plan(tmp_path, "camden", text, "a")
    before = (tmp_path / "camden.toml").read_bytes()
    line = refused(save_plan, tmp_path, "Camden", text, "b")
    assert "'camden'" in line, line
    assert "whatever their case" in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["camden.toml"], "something written"
    assert (tmp_path / "camden.toml").read_bytes() == before, "the plan changed"


def test_replacing_with_another_case_keeps_one_plan_and_its_figures(tmp_path, text):
    save_plan(tmp_path, "camden", text, "a", observed_text=OBSERVED)
    save_plan(tmp_path, "Camden", text, "b", replace=True)
    plans = list_plans(tmp_path)
    assert [p.name for p in plans] == ["Camden"], f"plans: {[p.name for p in plans]}"
    assert plans[0].observed is not None, "the figures attached before were lost"
    assert plans[0].observed.read_text(encoding="utf-8") == OBSERVED, "the figures changed"
    kept = previous_versions(tmp_path, "CAMDEN")
    assert [p.name.split(".")[0] for p in kept] == ["camden"], f"kept: {kept}"


def test_delete_by_another_case_deletes_the_plan(tmp_path, text):
    save_plan(tmp_path, "camden", text, "a")
    deleted = delete_plan(tmp_path, "CAMDEN")
    assert deleted.name == "camden", f"deleted {deleted.name!r}"
    assert list_plans(tmp_path) == [], "the plan is still listed"
    assert len(previous_versions(tmp_path, "camden")) == 1, "no copy kept"


def test_two_spellings_on_one_disk_are_told_apart_or_refused(tmp_path, text):
    # A case-sensitive disk (Linux) can hold both; a name spelt as one of them opens it.
    for name in ("Camden", "camden"):
        (tmp_path / f"{name}.toml").write_text(text, encoding="utf-8")
    assert find_plan("camden", tmp_path).name == "camden"
    assert find_plan("Camden", tmp_path).name == "Camden"
    with pytest.raises(ScenarioError) as caught:
        find_plan("CAMDEN", tmp_path)
    (line,) = caught.value.lines
    assert line.startswith("plan:CAMDEN: "), line
    assert "Camden, camden" in line, line


def test_the_command_refuses_another_case_without_replace(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("ROLLOUT_PLANS", raising=False)
    code, _, err = run_main(["plans", "save", "camden", "camden"], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    code, _, err = run_main(["plans", "save", "Camden", "havering"], tmp_path, monkeypatch, capsys)
    assert code == 2, f"exit {code}: {err}"
    assert len(err.strip().splitlines()) == 1, err
    assert "--replace" in err, err
    code, out, err = run_main(["validate", "plan:CAMDEN"], tmp_path, monkeypatch, capsys)
    assert code == 0, f"plan:CAMDEN: exit {code}: {err}"
    assert "camden.toml" in out, out
