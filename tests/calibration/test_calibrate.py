"""``rollout calibrate``: observations simulated from a known value are recovered.

A small service whose whole staff is trained on day 0 and never reinforced: the practising
share then falls as their levels decay, at a pace set by the half-life. Observations are the
mean practising share of a run with the half-life at 8 months; the prior says anything from 3
to 24 months. The posterior must cover 8 and be much narrower than the prior; uptake, which
the observations also inform, is left out of the check, and the group's champion dropout,
which nothing observed depends on, must be reported as not told apart.
"""

from __future__ import annotations

from datetime import date

import pytest
from conftest import make_scenario
from conftest import run_main as call

from sim.experiments.calibration import Observation, calibrate, read_observed
from sim.experiments.replications import replicate as run
from sim.model.vocabulary import key_label
from sim.scenario import ScenarioError

MONTHS = (2, 5, 8, 11, 14, 17)


def data(half_life: float) -> dict:
    return {
        "scenario": {"name": "decay", "start": date(2024, 1, 1), "horizon_months": 18},
        "workforce": {
            "initial_trained_fraction": 1.0,
            "roles": {"worker": {"posts": 40, "turnover": 0.0}},
        },
        "practice": {
            "uptake": 1.0,
            "half_life_months": half_life,
            "half_life_spread": 0.3,
            "threshold": 0.5,
        },
        "programme": {"phases": []},
        "uncertainty": {
            "practice.half_life_months": {
                "distribution": "uniform",
                "low": 3.0,
                "high": 24.0,
                "source": "test prior",
            },
            "champions.dropout_unsupported": {
                "distribution": "uniform",
                "low": 0.1,
                "high": 0.5,
                "source": "test prior: nothing observed depends on it",
            },
        },
    }


@pytest.fixture(scope="module")
def observations():
    truth = make_scenario(data(8.0)).without_uncertainty()
    series = run(truth, reps=4, seed=99).timeseries
    means = series.groupby("month")["practising_share"].mean()
    return [
        Observation(i, date(2024, 1, 1), m, "practising_share", float(means[m]), 0.03)
        for i, m in enumerate(MONTHS)
    ]


def test_the_posterior_covers_the_truth_and_is_narrower(observations):
    found = calibrate(make_scenario(data(8.0)), observations, draws=80, accept=0.15, reps=2)
    row = found.table.set_index("key").loc["practice.half_life_months"]
    assert row.posterior_low <= 8.0 <= row.posterior_high, (
        f"posterior 95 % range {row.posterior_low:.2f}-{row.posterior_high:.2f} misses 8"
    )
    assert row.posterior_sd < 0.5 * row.prior_sd, (
        f"posterior sd {row.posterior_sd:.2f} against the prior's {row.prior_sd:.2f}"
    )
    other = found.table.set_index("key").loc["champions.dropout_unsupported"]
    assert not other.informed, f"dropout told apart? sd ratio {other.sd_ratio:.2f}"
    fitted = found.calibrated.uncertainty["practice.half_life_months"]
    assert fitted.moments()[0] == pytest.approx(row.posterior_mean), f"fitted {fitted}"
    assert fitted.low >= 3.0, f"fitted outside the prior: {fitted}"
    assert fitted.high <= 24.0, f"fitted outside the prior: {fitted}"


def test_unknown_measure_and_bad_rows_are_clear_errors(tmp_path):
    path = tmp_path / "observed.csv"
    path.write_text(
        "date,measure,value,sd\n2024-06-30,happiness,0.5,0.1\n2030-01-01,coverage,0.5,0\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as caught:
        read_observed(path, make_scenario(data(8.0)))
    text = str(caught.value)
    assert f"{path}, row 2, column 'measure': unknown measure 'happiness'" in text, text
    assert f"{path}, row 3, column 'date': 2030-01-01 is outside the run" in text, text
    assert f"{path}, row 3, column 'sd': the sd must be above 0" in text, text


def test_the_command_writes_posterior_pictures_and_scenario(tmp_path, monkeypatch, capsys):
    scenario = tmp_path / "decay.toml"
    built = make_scenario(data(8.0))
    from sim.experiments.calibration import scenario_text

    scenario.write_text(scenario_text(built, {}, [], 1, 1), encoding="utf-8")
    observed = tmp_path / "observed.csv"
    observed.write_text(
        "date,measure,value,low,high\n2024-06-30,practising_share,0.7,0.6,0.8\n"
        "2024-12-31,practising_share,0.3,0.2,0.4\n",
        encoding="utf-8",
    )
    out = tmp_path / "cal"
    # 30 accepted draws: with 2 (20 draws at 10 %) the sd of a key nothing depends on swings
    # from half to twice its prior's with the seed, and "cannot tell" was luck.
    args = ["calibrate", str(scenario), "--observed", str(observed), "--draws", "60"]
    args += ["--accept", "0.5"]
    code, printed, err = call([*args, "--out", str(out)], tmp_path, monkeypatch, capsys)
    assert code == 0, f"exit {code}: {err}"
    for name in ("posterior.csv", "calibrated.toml", "calibration.png", "manifest.json"):
        assert (out / name).is_file(), (
            f"{name} missing from {sorted(p.name for p in out.iterdir())}"
        )
    said = " ".join(printed.split())
    assert "cannot tell" in said, printed
    assert key_label("champions.dropout_unsupported") in said, printed
    assert "champions.dropout_unsupported" not in printed, f"a raw key on the screen: {printed}"
    assert "e+" not in printed, f"scientific notation on the screen: {printed}"


# --------------------------------------------------------------------------- calibrated.toml


def _comments(text: str) -> list[str]:
    """Every comment of a TOML text (whole-line or after a value), a ``#`` outside strings."""
    found = []
    for line in text.splitlines():
        quote, escaped = None, False
        for i, char in enumerate(line):
            if quote:
                if escaped:
                    escaped = False
                elif char == "\\" and quote == '"':
                    escaped = True
                elif char == quote:
                    quote = None
            elif char in "\"'":
                quote = char
            elif char == "#":
                found.append(line[i:].strip())
                break
    return found


def test_calibrated_toml_keeps_every_comment_of_the_scenario_file(tmp_path, monkeypatch, capsys):
    from collections import Counter

    from conftest import REPO

    from sim.scenario.loading import scenario_from_text

    bundled = (REPO / "sim" / "scenario" / "bundled" / "camden.toml").read_text(encoding="utf-8")
    observed = tmp_path / "observed.csv"
    observed.write_text("date,measure,value,sd\n2017-09-30,coverage,0.85,0.05\n", encoding="utf-8")
    out = tmp_path / "cal"
    args = ["calibrate", "camden", "--observed", str(observed), "--draws", "4"]
    args += ["--accept", "0.5", "--reps", "1", "--workers", "1", "--out", str(out)]
    code, _, err = call(args, tmp_path, monkeypatch, capsys)
    assert code == 0, f"exit {code}: {err}"
    text = (out / "calibrated.toml").read_text(encoding="utf-8")
    wanted, kept = Counter(_comments(bundled)), Counter(_comments(text))
    long = [c for c in wanted if len(c) > 40]
    assert len(long) > 50, f"camden.toml should carry many long comments, found {len(long)}"
    lost = wanted - kept
    assert not lost, f"{sum(lost.values())} of {sum(wanted.values())} lost: {list(lost)[:3]}"
    back = scenario_from_text(text, "calibrated.toml")
    posterior = back.uncertainty["practice.uptake"].source
    assert posterior.startswith("rollout calibrate: posterior"), posterior
    original = scenario_from_text(bundled, "camden.toml")
    assert back.model_copy(update={"uncertainty": original.uncertainty}) == original, (
        "calibrated.toml changed more than the [uncertainty] table"
    )
