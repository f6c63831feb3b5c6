"""A shock that ``--set`` starts in a scenario without one must do something: setting one
key (``workforce.shock.restore=true``) would otherwise make a shock of 0 months, no
turnover, no freeze and no cut, and the run would be the scenario unchanged, silently.
"""

from __future__ import annotations

import pytest
from conftest import run_main

from sim.scenario import ScenarioError
from sim.scenario.loading import load_scenario, resolve_scenario, scenario_from_text

SHOCK = "workforce.shock"


def refused(overrides: list[str], name: str = "camden") -> str:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(resolve_scenario(name), overrides)
    assert len(caught.value.lines) == 1, f"lines: {caught.value.lines}"
    return caught.value.lines[0]


def test_restore_alone_is_refused_saying_what_the_shock_needs():
    line = refused([f"{SHOCK}.restore=true"])
    assert f"--set {SHOCK}.restore:" in line, line
    assert "has no workforce shock" in line, line
    assert f"{SHOCK}.months" in line, f"the missing months are not named: {line}"
    assert "turnover_points, hiring_freeze or posts_cut" in line, line


def test_months_alone_is_refused_for_changing_nothing():
    line = refused([f"{SHOCK}.months=12"])
    assert "does nothing" in line, line
    assert "what it does" in line, line
    assert f"{SHOCK}.months (how long" not in line, f"months given, still asked: {line}"


def test_an_effect_without_months_is_refused_asking_for_months():
    line = refused([f"{SHOCK}.turnover_points=5"])
    assert f"{SHOCK}.months (how long it lasts" in line, line
    assert "what it does" not in line, f"an effect given, still asked: {line}"


def test_restore_without_a_cut_is_refused_in_a_shock_that_acts():
    line = refused([f"{SHOCK}.months=12", f"{SHOCK}.turnover_points=5", f"{SHOCK}.restore=true"])
    assert f"--set {SHOCK}.restore:" in line, line
    assert f"give {SHOCK}.posts_cut" in line, line


def test_a_shock_that_acts_is_made():
    scenario = load_scenario(
        resolve_scenario("camden"), [f"{SHOCK}.months=12", f"{SHOCK}.posts_cut=0.1"]
    )
    shock = scenario.workforce.shock
    assert shock is not None, "no shock made"
    assert (shock.months, shock.posts_cut) == (12, 0.1), f"shock: {shock}"


def test_a_shock_the_file_gives_can_be_turned_off_or_changed():
    # months = 0 is how a file, a sweep or a variant turns its own shock off: not refused.
    camden = resolve_scenario("camden").read_text(encoding="utf-8")
    given = camden + f"\n[{SHOCK}]\nmonths = 12\nturnover_points = 5.0\n"
    off = scenario_from_text(given, "<file>", [f"{SHOCK}.months=0"])
    assert off.workforce.shock.months == 0, f"shock: {off.workforce.shock}"
    given_off = camden + f"\n[{SHOCK}]\nmonths = 0\n"
    changed = scenario_from_text(given_off, "<file>", [f"{SHOCK}.restore=true"])
    assert changed.workforce.shock.restore is True, f"shock: {changed.workforce.shock}"


def test_run_refuses_in_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys):
    args = ["run", "camden", "--set", f"{SHOCK}.restore=true", "--reps", "1", "--out", "r"]
    code, _, err = run_main(args, tmp_path, monkeypatch, capsys)
    assert code == 2, f"exit {code}, stderr {err!r}"
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"stderr: {err!r}"
    assert f"{SHOCK}.restore" in lines[0], lines[0]
    assert "Traceback" not in err, err
    assert list(tmp_path.iterdir()) == [], f"written: {list(tmp_path.iterdir())}"


def test_a_variant_that_starts_an_idle_shock_is_refused(tmp_path, monkeypatch, capsys):
    args = ["compare", "camden", "--variant", "idle", f"{SHOCK}.restore=true", "--reps", "1"]
    code, _, err = run_main(args, tmp_path, monkeypatch, capsys)
    assert code == 2, f"exit {code}, stderr {err!r}"
    assert "(strategy idle)" in err, err
    assert list(tmp_path.iterdir()) == [], f"written: {list(tmp_path.iterdir())}"


def _explained(shock: str) -> tuple[str, list[str]]:
    from sim.scenario.explain import explain

    text = resolve_scenario("camden").read_text(encoding="utf-8") + f"\n[{SHOCK}]\n{shock}\n"
    report = explain(scenario_from_text(text, "<file>"))
    return " ".join(" ".join(report.lines).split()), report.warnings


def test_validate_says_a_cut_of_each_roles_posts_and_whether_it_is_restored():
    said, _ = _explained("months = 12\nposts_cut = 0.1")
    assert "10% of each role's posts cut at its start" in said, said
    assert "posts cut are not restored when the shock ends" in said, said
    restored, _ = _explained("months = 12\nposts_cut = 0.1\nrestore = true")
    assert "posts cut are restored (opened vacant) when the shock ends" in restored, restored


def test_validate_warns_of_a_restore_with_nothing_to_restore():
    _, warnings = _explained("months = 12\nturnover_points = 5.0\nrestore = true")
    restore = [w for w in warnings if w.startswith(f"{SHOCK}.restore:")]
    assert len(restore) == 1, f"warnings: {warnings}"
    assert "nothing to restore" in restore[0], restore[0]


def test_validate_says_what_a_shock_of_no_months_leaves_unused():
    said, _ = _explained("months = 0\nturnover_points = 5.0")
    assert "months = 0: no shock (its turnover_points have no effect)" in said, said


def test_a_sweep_whose_points_start_an_idle_shock_is_refused(tmp_path, monkeypatch, capsys):
    # --vary applies its values as a person's changes (Scenario.with_changes, strict): in a
    # scenario with no shock, a grid of added turnover alone gives shocks of 0 months, whose
    # rows would all be the scenario unchanged.
    args = ["sweep", "camden", "--vary", f"{SHOCK}.turnover_points=0,5", "--reps", "1"]
    code, _, err = run_main(args, tmp_path, monkeypatch, capsys)
    assert code == 2, f"exit {code}, stderr {err!r}"
    assert "has no workforce shock" in err, err
    assert f"{SHOCK}.months" in err, err
    assert "(--vary " in err, f"the grid point is not named: {err!r}"
    assert "Traceback" not in err, err
    assert list(tmp_path.iterdir()) == [], f"written: {list(tmp_path.iterdir())}"


def test_a_sweep_of_a_shock_that_set_started_runs_every_point():
    from sim.experiments.grid import Vary
    from sim.experiments.sweeps import grid_points

    started = load_scenario(
        resolve_scenario("camden"), [f"{SHOCK}.months=12", f"{SHOCK}.turnover_points=5"]
    )
    points = grid_points(started, [Vary(f"{SHOCK}.turnover_points", (0.0, 5.0))], "<test>")
    said = [p.scenario.workforce.shock.turnover_points for p in points]
    assert said == [0.0, 5.0], f"points: {said}"
