"""Global sensitivity against answers known without it: a measure that depends on one
parameter alone, a parameter that cannot touch the measure, and the noise floor.
"""

from __future__ import annotations

import pytest
from conftest import make_scenario, run_main

from sim.experiments.sensitivity import DUMMY, sensitivity
from sim.scenario import ScenarioError

# 100 staff trained on day 0, no turnover, practice that hardly decays: the practising share
# after 12 months is the share who engage, set by uptake alone; costs cannot touch it.
RANGES = ["practice.uptake=0.2:0.9", "costs.provider_day_rate=100:2000"]


def _scenario():
    data = {
        "scenario": {"name": "s", "start": "2020-01-01", "horizon_months": 12},
        "workforce": {
            "initial_trained_fraction": 1.0,
            "roles": {"worker": {"posts": 100, "turnover": 0.0}},
        },
        "practice": {"uptake": 0.5, "half_life_months": 600.0, "threshold": 0.5},
        "programme": {"phases": []},
    }
    from datetime import date

    data["scenario"]["start"] = date(2020, 1, 1)
    return make_scenario(data)


@pytest.fixture(scope="module")
def sobol():
    return sensitivity(
        _scenario(), "sobol", "practising_share_m12", samples=64, reps=2, ranges=RANGES, workers=1
    ).table.set_index("parameter")


def test_sobol_gives_the_only_driver_all_the_variance(sobol):
    uptake = sobol.loc["practice.uptake"]
    assert 0.85 < uptake["S1"] < 1.15, f"S1 of uptake {uptake['S1']:.3f}"
    assert 0.85 < uptake["ST"] < 1.15, f"ST of uptake {uptake['ST']:.3f}"
    for other in ("costs.provider_day_rate", DUMMY):
        assert abs(sobol.loc[other, "S1"]) < 0.05, f"S1 of {other} {sobol.loc[other, 'S1']}"
        assert abs(sobol.loc[other, "ST"]) < 0.05, f"ST of {other} {sobol.loc[other, 'ST']}"
    assert sobol.loc[DUMMY, "is_noise_floor"], "the dummy marks the noise floor"


def test_morris_puts_a_cost_rate_at_the_noise_floor_for_practice():
    table = sensitivity(
        _scenario(), "morris", "practising_share_m12", samples=6, reps=2, ranges=RANGES, workers=1
    ).table.set_index("parameter")
    floor = table.loc[DUMMY, "mu_star"]
    assert table.loc["costs.provider_day_rate", "mu_star"] == floor, table
    assert table.loc["practice.uptake", "mu_star"] > floor + 0.1, table


def test_common_random_numbers_make_identical_points_identical():
    """Two sample points with the same parameter values give the same output exactly: the
    design, not the model's noise, separates them.
    """
    result = sensitivity(
        _scenario(),
        "morris",
        "practising_share_m12",
        samples=3,
        reps=2,
        ranges=["costs.provider_day_rate=100:2000"],
        workers=1,
    )
    outputs = result.samples["practising_share_m12"]
    assert outputs.nunique() == 1, f"outputs moved with a cost rate: {outputs.tolist()}"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--vary", "practice.uptake=0.9:0.2"], ["LOW must be below HIGH"]),
        (["--vary", "practice.uptakes=0.2:0.9"], ['uncertainty."practice.uptakes"']),
        (["--vary", "practice.uptake=0.2:1.5"], ["outside what practice.uptake allows"]),
        (["--vary", "practice.uptake"], ["expected KEY=LOW:HIGH"]),
        (["--metric", "nope"], ["--metric nope: unknown measure"]),
        (["--method", "fast"], ["'fast' is not one of"]),
    ],
)
def test_bad_sensitivity_input_exits_2(args, words, tmp_path, monkeypatch, capsys):
    code, out, err = run_main(
        ["sensitivity", "camden", "--reps", "1", *args], tmp_path, monkeypatch, capsys
    )
    assert code == 2, f"exit {code}: {err}"
    for word in words:
        assert word in err, f"{word!r} not in {err!r}"
    assert not (tmp_path / "outputs").exists(), "bad input wrote a folder"


def test_no_table_and_no_ranges_is_an_error():
    with pytest.raises(ScenarioError) as caught:
        sensitivity(_scenario(), "morris", "practising_share_m12", samples=2, reps=1)
    assert "nothing to vary" in caught.value.lines[0], caught.value.lines


def test_the_command_writes_the_table_and_the_chart(tmp_path, monkeypatch, capsys):
    args = [
        "sensitivity",
        "camden",
        "--samples",
        "2",
        "--reps",
        "1",
        "--out",
        "s",
        "--vary",
        "practice.uptake=0.4:0.8",
        "--vary",
        "costs.provider_day_rate=500:1500",
    ]
    code, out, err = run_main(args, tmp_path, monkeypatch, capsys)
    assert code == 0, err
    import pandas as pd

    table = pd.read_csv(tmp_path / "s" / "sensitivity.csv")
    for column in ("parameter", "metric", "mu_star", "mu_star_conf", "sigma", "is_noise_floor"):
        assert column in table.columns, f"{column} missing: {list(table.columns)}"
    assert (tmp_path / "s" / "sensitivity.png").is_file(), "no chart"
    assert "Noise floor" in out, out
