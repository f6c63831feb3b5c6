"""An uncertain workforce: every bundled scenario, every ``rollout new --council`` and
``--roster`` scenario and the app's council start carry uncertainty in turnover and vacancy
length, from the council's own DfE years (one correlated factor for every role) or its own
records, with the template's practice uncertainty and a source for each; ``rollout
validate`` lists them.

The expected spreads are computed here from the shipped CSV with the ``csv`` module, apart
from the code under test: the sample sd of the yearly leavers / in post (and 12 x vacancies
/ starters) divided by the pooled value.
"""

from __future__ import annotations

import csv
import statistics
from datetime import date

import numpy as np
import pytest
from conftest import REPO, make_scenario

from sim.councils.builder import new_scenario
from sim.councils.figures import DATA_FILE
from sim.councils.from_roster import new_roster_scenario
from sim.model.prepared import prepare
from sim.model.streams import Streams
from sim.model.workforce import plan_staffing
from sim.scenario import bundled_dir, load_scenario, scenario_from_text
from sim.scenario.explain import explain

FACTORS = ("workforce.turnover_factor", "workforce.hiring_delay_factor")


def dfe_spreads(council: str, years) -> tuple[float, float]:
    """(turnover spread, vacancy-length spread) of ``council`` over ``years``, from the CSV."""
    rows = {}
    with open(DATA_FILE, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["geographic_level"] == "Local authority" and row["la_name"] == council:
                rows[int(row["time_period"][:4])] = row
    number = {
        y: {
            k: float(rows[y][k])
            for k in ("leavers_fte", "inpost_fte", "vacancy_fte", "starters_fte")
        }
        for y in years
    }
    yearly = [number[y]["leavers_fte"] / number[y]["inpost_fte"] for y in years]
    pooled = sum(number[y]["leavers_fte"] for y in years) / sum(
        number[y]["inpost_fte"] for y in years
    )
    delays = [12 * number[y]["vacancy_fte"] / number[y]["starters_fte"] for y in years]
    pooled_delay = (
        12
        * sum(number[y]["vacancy_fte"] for y in years)
        / sum(number[y]["starters_fte"] for y in years)
    )
    return statistics.stdev(yearly) / pooled, statistics.stdev(delays) / pooled_delay


def _factor(scenario, key):
    entry = scenario.uncertainty.get(key)
    assert entry is not None, f"no [uncertainty] for {key}: {list(scenario.uncertainty)}"
    assert entry.distribution == "gamma", f"{key}: {entry}"
    assert entry.mean == 1.0, f"{key}: {entry}"
    return entry


@pytest.fixture(scope="module")
def camden_new():
    made = new_scenario("camden", start=date(2026, 4, 1), projection=False)
    return made, scenario_from_text(made.text, "<camden>")


def test_a_new_council_scenario_draws_its_workforce_from_its_own_dfe_years(camden_new):
    made, scenario = camden_new
    turnover, delay = dfe_spreads("Camden", made.years)
    got = _factor(scenario, "workforce.turnover_factor")
    assert got.sd == pytest.approx(turnover, abs=0.0005), f"sd {got.sd}, DfE years {turnover}"
    got = _factor(scenario, "workforce.hiring_delay_factor")
    assert got.sd == pytest.approx(delay, abs=0.0005), f"sd {got.sd}, DfE years {delay}"
    for key in FACTORS:
        source = scenario.uncertainty[key].source
        assert "Camden" in source, f"{key}: {source}"
        assert "year by year" in source, f"{key}: {source}"
        assert scenario.sources[key].confidence == "estimate", scenario.sources[key]
    # ... and the template's practice uncertainty comes with it, naming the template.
    uptake = scenario.uncertainty.get("practice.uptake")
    assert uptake is not None, uptake
    assert uptake.source.startswith("camden template: "), uptake


def test_validate_lists_the_uncertain_assumptions_in_words(camden_new):
    _, scenario = camden_new
    lines = "\n".join(explain(scenario).lines)
    heading = f"Uncertain assumptions: {len(scenario.uncertainty)}"
    assert heading in lines, lines[-3000:]
    flat = " ".join(lines.split())
    sd = scenario.uncertainty["workforce.turnover_factor"].sd
    wanted = f"workforce.turnover_factor: around 1 (sd {sd:g}, gamma); multiplies every role's"
    assert wanted in flat, flat[-3000:]
    assert "practice.uptake: around 0.8 (sd 0.08, beta)" in flat, flat[-3000:]


@pytest.mark.parametrize(
    ("name", "council", "years"),
    [("camden", "Camden", range(2017, 2022)), ("havering", "Havering", range(2017, 2026))],
)
def test_bundled_scenarios_carry_their_councils_workforce_uncertainty(name, council, years):
    scenario = load_scenario(bundled_dir() / f"{name}.toml")
    turnover, delay = dfe_spreads(council, list(years))
    for key, wanted in zip(FACTORS, (turnover, delay), strict=True):
        got = _factor(scenario, key)
        assert got.sd == pytest.approx(wanted, abs=0.0005), f"{name} {key}: {got.sd} vs {wanted}"
        assert scenario.workforce.turnover_factor == 1.0 == scenario.workforce.hiring_delay_factor
    for path in ("scenarios", "sim/scenario/bundled"):
        text = (REPO / path / f"{name}.toml").read_text(encoding="utf-8")
        assert '"workforce.turnover_factor" = { distribution = "gamma"' in text, path


def test_a_roster_scenario_keeps_its_records_and_covers_every_role():
    examples = REPO / "docs" / "examples"
    made = new_roster_scenario(
        examples / "staff.csv",
        examples / "leavers.csv",
        start=date(2026, 4, 1),
        today=date(2026, 11, 30),
    )
    scenario = scenario_from_text(made.text, "<roster>")
    for role in scenario.workforce.roles:
        for key in ("turnover", "hiring_delay_months"):
            path = f"workforce.roles.{role}.{key}"
            entry = scenario.uncertainty.get(path)
            value = getattr(scenario.workforce.roles[role], key)
            if key == "turnover":
                assert entry is not None, f"{path}: {entry}"
                assert entry.distribution == "gamma", f"{path}: {entry}"
                assert entry.mean == pytest.approx(value), f"{path}: mean {entry.mean} vs {value}"
            else:  # a vacancy length: triangular, centred on the estimate, never below 0.01
                assert entry is not None, f"{path}: {entry}"
                assert entry.distribution == "triangular", f"{path}: {entry}"
                assert entry.mode == pytest.approx(value), f"{path}: mode {entry.mode} vs {value}"
                assert entry.low >= 0.01, f"{path}: {entry}"
                assert entry.high > value, f"{path}: {entry}"
    # The records' estimate keeps its exact-Poisson standard error (56 leavers).
    own = scenario.uncertainty["workforce.roles.social_worker.turnover"]
    assert "estimated from your records" in own.source, own.source
    assert "practice.uptake" in scenario.uncertainty, list(scenario.uncertainty)
    assert not any(k in scenario.uncertainty for k in FACTORS), "factor on top of per-role draws"


def test_the_apps_council_start_is_uncertain_too():
    from sim.app import logic

    scenario = logic.from_council("Havering", start=date(2026, 4, 1))
    # The app's council start is `rollout new`'s, so it carries the projection's draws.
    delay = scenario.uncertainty.get("workforce.hiring_delay_factor")
    assert delay is not None, list(scenario.uncertainty)
    assert delay.distribution == "lognormal", delay
    projected = [k for k in scenario.uncertainty if k.startswith("workforce.over_time.points.")]
    assert projected, list(scenario.uncertainty)


def test_the_factors_multiply_every_roles_turnover_and_delay():
    base = dict(
        workforce__roles__supervisor__turnover=0.2,
        workforce__roles__supervisor__hiring_delay_months=3.0,
        workforce__roles__worker__turnover=0.3,
        workforce__roles__worker__hiring_delay_months=2.0,
        workforce__roles__worker__posts=40,
    )
    by_factor = make_scenario(
        **base, workforce__turnover_factor=1.5, workforce__hiring_delay_factor=2.0
    )
    by_role = make_scenario(
        **{
            **base,
            "workforce__roles__supervisor__turnover": 0.2 * 1.5,
            "workforce__roles__worker__turnover": 0.3 * 1.5,
            "workforce__roles__supervisor__hiring_delay_months": 3.0 * 2.0,
            "workforce__roles__worker__hiring_delay_months": 2.0 * 2.0,
        }
    )
    plans = []
    for scenario in (by_factor, by_role):
        prepared = prepare(scenario)
        plans.append(
            plan_staffing(scenario.workforce, prepared.establishment, 730.0, Streams(3, 1))
        )
    first, second = plans
    assert len(first.start) == len(second.start) > 40, "no one left in two years?"
    np.testing.assert_allclose(first.start, second.start, rtol=1e-12)
    np.testing.assert_allclose(first.end, second.end, rtol=1e-12)


def test_setting_one_roles_turnover_fixes_the_shared_factor(camden_new):
    made, _ = camden_new
    scenario = scenario_from_text(
        made.text, "<camden>", ["workforce.roles.social_worker.turnover=0.3"]
    )
    assert "workforce.turnover_factor" not in scenario.uncertainty, list(scenario.uncertainty)
    assert scenario.fixed == {"workforce.turnover_factor": "fixed"}, scenario.fixed
    assert "workforce.hiring_delay_factor" in scenario.uncertainty, "the delay stays uncertain"
