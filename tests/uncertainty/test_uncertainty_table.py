"""The [uncertainty] table: checked like every other key, drawn per replication, paired."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import make_scenario, run_main

from sim import load_scenario, resolve_scenario, run
from sim.scenario import ScenarioError
from sim.scenario.uncertainty import Distribution


def beta(mean=0.6, sd=0.1, source="test"):
    return {"distribution": "beta", "mean": mean, "sd": sd, "source": source}


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"practice.uptakes": beta()}, ['uncertainty."practice.uptakes"', "did you mean"]),
        ({"practice.uptake": beta(sd=0.6)}, ["practice.uptake", "sd must be below"]),
        (
            {"practice.uptake": {"distribution": "normal", "mean": 0.6, "sd": 0.1, "source": "x"}},
            ["practice.uptake", "normal", "outside what practice.uptake allows"],
        ),
        (
            {"champions.target": {"distribution": "uniform", "low": -2, "high": 5, "source": "x"}},
            ["champions.target", "≥ 0"],
        ),
        (
            {"scenario.start": {"distribution": "uniform", "low": 0, "high": 1, "source": "x"}},
            ["scenario.start is not a number"],
        ),
        (
            {
                "scenario.horizon_months": {
                    "distribution": "uniform",
                    "low": 12,
                    "high": 24,
                    "source": "x",
                }
            },
            ["cannot be uncertain"],
        ),
        ({"practice.uptake": {"distribution": "beta", "mean": 0.6, "sd": 0.1}}, ["source"]),
        (
            {
                "practice.uptake": {
                    "distribution": "triangular",
                    "low": 0.2,
                    "mode": 0.9,
                    "high": 0.8,
                    "source": "x",
                }
            },
            ["mode (0.9) must lie between"],
        ),
        (
            {
                "practice.uptake": {
                    "distribution": "uniform",
                    "low": 0.2,
                    "mean": 0.5,
                    "source": "x",
                }
            },
            ["takes low, high", "missing high", "mean not used"],
        ),
    ],
)
def test_bad_tables_are_clear_errors(table, words):
    with pytest.raises(ScenarioError) as caught:
        make_scenario(uncertainty=table)
    text = "\n".join(caught.value.lines)
    for word in words:
        assert word in text, f"{word!r} not in: {text}"


def test_open_bounds_accept_distributions_that_never_reach_them():
    """A gamma never reaches 0, so it may vary a half-life that must be above 0."""
    table = {
        "practice.half_life_months": {"distribution": "gamma", "mean": 12, "sd": 4, "source": "x"}
    }
    assert make_scenario(uncertainty=table).uncertainty, "gamma half-life refused"


def test_a_bad_table_in_a_file_exits_2_naming_file_and_key(tmp_path, monkeypatch, capsys):
    text = resolve_scenario("camden").read_text(encoding="utf-8")
    bad = text.replace(
        '"practice.uptake" = { distribution = "beta", mean = 0.8, sd = 0.08',
        '"practice.uptake" = { distribution = "beta", mean = 0.8, sd = 0.9',
    )
    assert bad != text, "camden.toml no longer has the uptake distribution to break"
    (tmp_path / "bad.toml").write_text(bad, encoding="utf-8")
    code, out, err = run_main(["run", "bad.toml", "--reps", "1"], tmp_path, monkeypatch, capsys)
    assert code == 2, f"exit {code}; {err}"
    assert "bad.toml" in err, err
    assert 'uncertainty."practice.uptake"' in err, err
    assert "Traceback" not in err, err
    assert not (tmp_path / "outputs").exists(), "bad input wrote a folder"


def test_distributions_have_the_moments_they_are_given():
    for entry in (
        beta(0.62, 0.08),
        {"distribution": "gamma", "mean": 0.3, "sd": 0.1, "source": "x"},
        {"distribution": "lognormal", "mean": 12.0, "sd": 3.0, "source": "x"},
        {"distribution": "normal", "mean": -1.0, "sd": 2.0, "source": "x"},
    ):
        mean, sd = Distribution.model_validate(entry).moments()
        assert math.isclose(mean, entry["mean"], rel_tol=1e-9), (entry, mean)
        assert math.isclose(sd, entry["sd"], rel_tol=1e-9), (entry, sd)
    tri = Distribution.model_validate(
        {"distribution": "triangular", "low": 4, "mode": 6, "high": 11, "source": "x"}
    )
    assert math.isclose(tri.moments()[0], 7.0), tri.moments()
    assert tri.ppf(0.0) == 4, "triangular ends"
    assert tri.ppf(1.0) == 11, "triangular ends"


@pytest.fixture(scope="module")
def camden():
    return load_scenario(resolve_scenario("camden"))


def test_each_replication_draws_and_records_its_values(camden):
    summary = run(camden, reps=6, seed=2).summary
    for key, dist in camden.uncertainty.items():
        assert key in summary.columns, f"no column for {key}"
        low, high = dist.support()
        values = summary[key]
        assert values.between(low, high).all(), f"{key} outside {low}-{high}: {values.tolist()}"
        assert values.nunique() > 1, f"{key} drew one value for every replication"
    sizes = summary["programme.mentoring.group_size"]
    assert (sizes == sizes.round()).all(), f"whole-number key drew {sizes.tolist()}"


def test_draws_are_paired_across_strategies_and_leave_staffing_alone(camden):
    """Replication r draws the same assumptions in every strategy, and its staff flows are
    those of the point-value run unless the workforce's own factors are drawn: the draws
    come from a stream of their own.
    """
    from sim import experiments

    later = camden.with_changes(
        {"programme.phases.1.start_after_months": 12, "programme.phases.1.months": 12}
    )
    result = experiments.compare({"a": camden, "b": later}, reps=4, seed=5, workers=1)
    summary = result.summary
    a = summary[summary["strategy"] == "a"].set_index("rep")
    b = summary[summary["strategy"] == "b"].set_index("rep")
    for key in camden.uncertainty:
        assert (a[key] == b[key]).all(), f"{key} drawn differently in the two strategies"
    # The workforce factors fixed at 1 (a set value is the value used): the practice,
    # programme and champion draws leave the staff flows exactly as they were.
    steady = camden.with_changes({"workforce.turnover_factor": 1.0})
    steady = steady.with_changes({"workforce.hiring_delay_factor": 1.0})
    assert not any(k.startswith("workforce.") for k in steady.uncertainty), steady.fixed
    drawn = run(steady, reps=3, seed=5, workers=1).timeseries
    point = run(camden.without_uncertainty(), reps=3, seed=5, workers=1).timeseries
    for column in ("headcount", "vacancies", "agency", "starters", "leavers"):
        assert np.array_equal(drawn[column], point[column]), f"{column} moved with the draws"
    # The factor moves the flows: on the same futures, higher turnover, more leavers.
    low, high = (
        run(steady.with_changes({"workforce.turnover_factor": f}), reps=2, seed=5, workers=1)
        .timeseries["leavers"]
        .sum()
        for f in (0.8, 1.25)
    )
    assert low < high, f"leavers {low} at turnover x 0.8, {high} at x 1.25"
    assert "practice.uptake" not in run(camden.without_uncertainty(), reps=1).summary.columns


def test_point_values_on_the_command_line(tmp_path, monkeypatch, capsys):
    args = ["run", "camden", "--reps", "2", "--point-values", "--out", "p"]
    code, out, err = run_main(args, tmp_path, monkeypatch, capsys)
    assert code == 0, err
    header = (tmp_path / "p" / "summary.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "practice.uptake" not in header, f"--point-values still drew: {header}"


def test_the_quick_copy_of_a_draw_equals_full_validation(camden):
    """Keys no rule ties to another are set on a copy without validating again; the result
    must be the scenario full validation gives.
    """
    from sim.scenario.schema import stands_alone

    values = {
        "practice.uptake": 0.5,
        "practice.threshold": 0.45,  # two keys of one table: one copy of it
        "programme.mentoring.group_size": 7.4,
        "programme.group_supervision.supervisor_reinforcement": 0.1,
        "workforce.roles.social_worker.turnover": 0.3,
        "champions.target": 5.0,
        "costs.provider_day_rate": 1234.5,
    }
    assert all(stands_alone(k) for k in values), "these keys should take the quick path"
    quick = camden.with_values(values)
    changes = {**values, "programme.mentoring.group_size": 7, "champions.target": 5}
    full = camden.without_uncertainty().with_changes(changes)
    assert quick.model_dump() == full.model_dump(), "quick copy differs from validation"
    assert not stands_alone("workforce.roles.social_worker.posts"), "posts are tied to vacancies"
    slow = camden.with_values({"workforce.roles.social_worker.posts": 170.2})
    assert slow.workforce.roles["social_worker"].posts == 170, slow.workforce.roles
