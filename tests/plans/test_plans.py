"""Saved plans: kept, never overwritten silently, names checked, copies in previous/."""

from __future__ import annotations

import pytest

from sim.scenario.keys import BadInput
from sim.scenario.loading import load_scenario, resolve_scenario
from sim.scenario.plans import (
    check_name,
    delete_plan,
    list_plans,
    plans_folder,
    previous_versions,
    read_plan,
    save_plan,
)

OBSERVED = "date,measure,value,sd\n2017-03-31,coverage,0.1,0.05\n"


@pytest.fixture
def text():
    return resolve_scenario("camden").read_text(encoding="utf-8")


def test_saved_plan_reads_back_and_loads_as_a_scenario(tmp_path, text):
    plan = save_plan(tmp_path, "Camden plan", text, "Ann Smith")
    again, body = read_plan(tmp_path, "Camden plan")
    assert body == text, "the scenario text read back is not the text saved"
    assert again.saved_by == "Ann Smith", f"saved by {again.saved_by!r}"
    assert again.saved_at.endswith("Z"), f"saved at {again.saved_at!r} is not UTC"
    assert load_scenario(plan.path).scenario.name, "the plan file does not load as a scenario"


def test_save_over_a_plan_needs_replace_and_keeps_the_old(tmp_path, text):
    save_plan(tmp_path, "p", text, "a")
    with pytest.raises(BadInput, match="'p'"):
        save_plan(tmp_path, "p", text, "b")
    save_plan(tmp_path, "p", text, "b", replace=True, observed_text=OBSERVED)
    assert len(previous_versions(tmp_path, "p")) == 1, "the old version was not kept"
    plan = list_plans(tmp_path)[0]
    assert plan.observed is not None, "the observed figures were not attached"


def test_delete_keeps_a_copy(tmp_path, text):
    save_plan(tmp_path, "p", text, "a")
    delete_plan(tmp_path, "p")
    assert list_plans(tmp_path) == [], "the plan is still listed"
    assert len(previous_versions(tmp_path, "p")) == 1, "no copy kept in previous/"


@pytest.mark.parametrize("name", ["../x", "a/b", "a\\b", "", "x" * 61, " a", ".."])
def test_bad_names_are_refused(name):
    with pytest.raises(BadInput):
        check_name(name)


def test_bad_scenario_and_bad_observed_write_nothing(tmp_path, text):
    with pytest.raises(BadInput):
        save_plan(tmp_path, "p", "not = [toml", "a")
    bad = "date,measure,value,sd\n2017-03-31,nope,0.1,0.05\n"
    with pytest.raises(BadInput, match="observed figures"):
        save_plan(tmp_path, "p", text, "a", observed_text=bad)
    left = [p.name for p in tmp_path.rglob("*")]
    assert left == [], f"files left behind: {left}"


def test_plans_folder_order(tmp_path, monkeypatch):
    monkeypatch.setenv("ROLLOUT_PLANS", str(tmp_path))
    assert plans_folder() == tmp_path, "ROLLOUT_PLANS is not used"
    assert plans_folder(tmp_path / "x") == tmp_path / "x", "the explicit folder is not used"
