"""A value set is the value used: a key given by ``--set``, ``--variant``, ``--vary``, the
app's levers, or kept out of sensitivity and calibration, never loses to its ``[uncertainty]``
draw; ``KEY~=VALUE`` moves the distribution's centre instead, keeping its spread.

The scenario: 20 workers, all trained on day 0, none leaving, so a person practises exactly
when they take the practice up. With uptake 0 nobody ever practises, whatever else happens;
the file's ``[uncertainty]`` gives uptake a beta around 0.5 that would hide any set value.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from conftest import run_main

from sim.experiments.calibration import Observation, calibrate
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.fixing import fixed_lines

SCENARIO = """
[scenario]
name = "fixed"
start = 2020-01-01
horizon_months = 12

[workforce]
initial_trained_fraction = 1.0
roles = { worker = { posts = 20, turnover = 0.0 } }

[practice]
uptake = 0.5
half_life_months = 24.0

[programme]
phases = []

[uncertainty]
"practice.uptake" = { distribution = "beta", mean = 0.5, sd = 0.1, source = "test" }
"practice.half_life_months" = { distribution = "uniform", low = 12.0, high = 36.0, source = "test" }
"""

FIXED_LINE = "practice.uptake fixed at 0 for this run; its uncertainty is off"


@pytest.fixture
def path(tmp_path):
    where = tmp_path / "fixed.toml"
    where.write_text(SCENARIO, encoding="utf-8")
    return where


def _summary(folder):
    return pd.read_csv(folder / "summary.csv")


def _manifest(folder):
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_run_uses_the_set_value_and_says_so(path, tmp_path, monkeypatch, capsys):
    code, out, err = run_main(
        ["run", str(path), "--reps", "3", "--set", "practice.uptake=0", "--out", "set"],
        tmp_path,
        monkeypatch,
        capsys,
    )
    assert code == 0, err
    summary = _summary(tmp_path / "set")
    practised = summary["practising_person_months"].tolist()
    assert practised == [0.0, 0.0, 0.0], f"uptake set to 0, yet practising {practised}"
    assert "practice.uptake" not in summary.columns, "a draw of the fixed key was recorded"
    assert "practice.half_life_months" in summary.columns, "the other key lost its draws"
    assert FIXED_LINE in out, out
    manifest = _manifest(tmp_path / "set")
    assert manifest["fixed"] == {"practice.uptake": "fixed"}, manifest["fixed"]
    assert "practice.uptake" not in manifest["scenario"]["uncertainty"], manifest["scenario"]
    # Without --set the same futures practise: the draw was what hid the set value.
    code, _, err = run_main(
        ["run", str(path), "--reps", "3", "--out", "drawn"], tmp_path, monkeypatch, capsys
    )
    assert code == 0, err
    drawn = _summary(tmp_path / "drawn")["practising_person_months"]
    assert (drawn > 0).all(), f"drawn uptake practises nobody? {drawn.tolist()}"
    assert _manifest(tmp_path / "drawn")["fixed"] == {}


def test_a_shift_moves_the_centre_and_keeps_the_spread(path):
    scenario = load_scenario(path, ["practice.uptake~=0.2"])
    entry = scenario.uncertainty["practice.uptake"]
    assert (entry.mean, entry.sd) == (0.2, 0.1), f"shifted entry {entry}"
    assert scenario.practice.uptake == 0.2, "the point value should follow the shift"
    assert scenario.fixed == {"practice.uptake": "shifted"}, scenario.fixed
    line = fixed_lines(scenario)[0]
    assert "centred on 0.2" in line, line
    assert "spread kept" in line, line
    uniform = load_scenario(path, ["practice.half_life_months~=30"])
    moved = uniform.uncertainty["practice.half_life_months"]
    assert (moved.low, moved.high) == (18.0, 42.0), f"a uniform keeps its width: {moved}"


def test_a_shift_that_cannot_be_made_is_bad_input(path):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, ["practice.threshold~=0.4"])
    text = str(caught.value)
    assert f"{path}: --set practice.threshold~=0.4: practice.threshold has no [uncertainty]" in (
        text
    ), text
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, ["practice.uptake~=0.999"])  # sd 0.1 no longer fits a beta
    assert 'uncertainty."practice.uptake": beta: sd must be below' in str(caught.value)


def test_setting_a_table_fixes_the_keys_below_it(path):
    scenario = load_scenario(path, ["practice={ uptake = 0.3, half_life_months = 9.0 }"])
    assert scenario.uncertainty == {}, list(scenario.uncertainty)
    assert set(scenario.fixed) == {"practice.uptake", "practice.half_life_months"}


def test_compare_variant_differs_from_the_base(path, tmp_path, monkeypatch, capsys):
    code, out, err = run_main(
        [
            "compare",
            str(path),
            "--variant",
            "none",
            "practice.uptake=0",
            "--reps",
            "3",
            "--out",
            "cmp",
        ],
        tmp_path,
        monkeypatch,
        capsys,
    )
    assert code == 0, err
    rows = pd.read_csv(tmp_path / "cmp" / "summary.csv")
    base = rows[rows["strategy"] == "fixed"]["practising_person_months"]
    none = rows[rows["strategy"] == "none"]["practising_person_months"]
    assert (none == 0).all(), f"base {base.tolist()}, none {none.tolist()}"
    assert (base > 0).all(), f"base {base.tolist()}, none {none.tolist()}"
    assert f"{FIXED_LINE} (strategy none)" in out, out
    manifest = _manifest(tmp_path / "cmp")
    assert manifest["strategy_fixed"] == {"none": {"practice.uptake": "fixed"}}, manifest


def test_sweep_points_use_their_values(path, tmp_path, monkeypatch, capsys):
    code, out, err = run_main(
        [
            "sweep",
            str(path),
            "--vary",
            "practice.uptake=0,1",
            "--reps",
            "3",
            "--out",
            "sw",
        ],
        tmp_path,
        monkeypatch,
        capsys,
    )
    assert code == 0, err
    rows = pd.read_csv(tmp_path / "sw" / "sweep_replications.csv")
    by_value = rows.groupby("practice.uptake")["practising_person_months"].agg(["min", "max"])
    assert by_value.loc[0.0, "max"] == 0.0, f"uptake 0 practises: {by_value}"
    # uptake 1: all 20 practise all 12 months (a 24-36-month half-life keeps the level up).
    assert by_value.loc[1.0, "min"] > 0.0, f"uptake 1 practises nobody: {by_value}"
    assert "practice.uptake fixed at each value of the sweep; its uncertainty is off" in out
    assert _manifest(tmp_path / "sw")["fixed"] == {"practice.uptake": "fixed"}


def test_sensitivity_leaves_a_set_key_alone_and_names_the_held_keys(
    path, tmp_path, monkeypatch, capsys
):
    code, out, err = run_main(
        ["sensitivity", str(path), "--set", "practice.uptake=0", "--samples", "2", "--reps", "1"]
        + ["--out", "sa"],
        tmp_path,
        monkeypatch,
        capsys,
    )
    assert code == 0, err
    table = pd.read_csv(tmp_path / "sa" / "sensitivity.csv")
    assert "practice.uptake" not in set(table["parameter"]), table["parameter"].tolist()
    samples = pd.read_csv(tmp_path / "sa" / "sensitivity_samples.csv")
    assert (samples["practising_person_months"] == 0).all(), "uptake 0 was not the value used"
    assert FIXED_LINE in out, out
    # Given --vary, the table's other keys are held at the scenario's values, and it says so.
    code, out, err = run_main(
        ["sensitivity", str(path), "--vary", "practice.half_life_months=6:18", "--samples", "2"]
        + ["--reps", "1", "--out", "held"],
        tmp_path,
        monkeypatch,
        capsys,
    )
    assert code == 0, err
    assert _manifest(tmp_path / "held")["held_at_point_values"] == ["practice.uptake"]
    assert "Held at the scenario's own values (uncertain, but not varied here): " in out, out


def test_calibrate_fits_only_the_keys_left_uncertain(path):
    scenario = load_scenario(path, ["practice.uptake=0.8"])
    seen = [Observation(0, date(2020, 6, 30), 6, "practising_share", 0.8, 0.1)]
    found = calibrate(scenario, seen, draws=4, accept=0.5, reps=1)
    assert list(found.table["key"]) == ["practice.half_life_months"], found.table
    assert found.draws.filter(like="practice.uptake").empty, found.draws.columns
    assert found.calibrated.practice.uptake == 0.8, found.calibrated.practice


def test_the_apps_levers_fix_their_keys(tmp_path):
    from sim.app import logic

    text = SCENARIO + (
        '"champions.target" = { distribution = "uniform", low = 2.0, high = 6.0, '
        'source = "test" }\n'
    )
    base = logic.from_upload("fixed.toml", text.encode())
    levers = logic.levers_of(base)
    moved = type(levers)(**{**logic.levers_dict(levers), "champions": 3})
    changed = logic.apply_levers(base, moved)
    assert "champions.target" not in changed.uncertainty, list(changed.uncertainty)
    assert changed.fixed == {"champions.target": "fixed"}, changed.fixed
    assert changed.champions.target == 3, changed.champions
    again = logic.from_json(logic.to_json(changed))
    assert again.fixed == changed.fixed, "the app's JSON lost the fix"
    assert again == changed, "the app's JSON lost the fix"
    result = logic.run_experiment(logic.to_json(changed), seed=1, reps=2)
    manifest = json.loads(result["files"]["manifest.json"])
    assert manifest["fixed"] == {"champions.target": "fixed"}, manifest["fixed"]


def test_validate_and_a_variant_name_what_was_fixed_or_shifted(path):
    from sim.commands.requests import load_strategies
    from sim.scenario.explain import validate_file

    lines = " ".join(" ".join(validate_file(path, ["practice.uptake=0"]).lines).split())
    assert f"{FIXED_LINE}." in lines, lines[-800:]
    assert "Uncertain assumptions: 1" in lines, lines[-800:]
    strategies = load_strategies([str(path), "--variant", "low", "practice.uptake~=0.3"])
    low = strategies["low"]
    assert low.fixed == {"practice.uptake": "shifted"}, low.fixed
    assert low.uncertainty["practice.uptake"].mean == 0.3, low.uncertainty["practice.uptake"]
    assert strategies["fixed"].uncertainty["practice.uptake"].mean == 0.5, "the base moved"
