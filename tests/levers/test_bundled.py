"""The lever audit of the bundled scenarios: the check CI runs.

Each bundled scenario's levers run on a few futures (common random numbers: every lever's
two ends share them). The check fails when a lever the registry (and the documentation)
calls *active*, and that is switched on in the scenario, sits on the noise floor: its
paired interval holds 0 for practising person-months and for coverage 36 months in.
Levers that work through cost only must sit there, with no effect at all.

The futures are few to keep the check quick. So that a small but real effect is not taken
for none, a lever on the floor is audited again on four times as many futures before the
check fails, unless its effect was exactly zero in every future (more futures cannot
change that). ``rollout levers SCENARIO --reps 40`` gives the full picture.
"""

from __future__ import annotations

import pandas as pd
import pytest

from sim.experiments.levers import audit
from sim.scenario import load_scenario, resolve_scenario
from sim.scenario.levers import MEASURES

FUTURES = {"camden": 10, "havering": 6}
AGAIN = 4  # times as many futures for a lever on the floor


@pytest.fixture(scope="module", params=list(FUTURES))
def audited(request):
    name = request.param
    scenario = load_scenario(resolve_scenario(name), [])
    return name, audit(scenario, reps=FUTURES[name], seed=1, workers=2)


def test_every_lever_switched_on_can_be_nudged(audited):
    name, result = audited
    table = result.table
    failed = table[table["status"].str.startswith("not nudged")]
    assert failed.empty, f"{name}: {dict(zip(failed['lever'], failed['status'], strict=True))}"


def test_cost_only_levers_change_no_practice(audited):
    name, result = audited
    rows = result.audited[result.audited["mechanism"] == "cost"]
    assert len(rows) >= 2, f"{name}: cost levers audited {list(rows['lever'])}"
    for row in rows.itertuples():
        assert row.on_noise_floor, f"{name}: {row.lever} moved practice or coverage"
        assert row.practising_person_months_effect == 0, f"{name}: {row.lever}"


def _exactly_none(row) -> bool:
    return all(
        row[f"{m}_{part}"] == 0
        for m in MEASURES
        for part in ("effect", "ci_low", "ci_high")
    )


def test_no_active_lever_sits_on_the_noise_floor(audited):
    name, result = audited
    stuck = result.active_on_floor()
    again = [row.lever for _, row in stuck.iterrows() if not _exactly_none(row)]
    if again:  # a closer look on more futures before calling the effect none
        scenario = load_scenario(resolve_scenario(name), [])
        closer = audit(scenario, reps=AGAIN * FUTURES[name], seed=1, only=again, workers=2)
        stuck = pd.concat([stuck[~stuck["lever"].isin(again)], closer.active_on_floor()])
    described = [
        f"{row.lever} ({row.low} -> {row.high}: practising person-months "
        f"{row.practising_person_months_effect:+.0f} [{row.practising_person_months_ci_low:+.0f}, "
        f"{row.practising_person_months_ci_high:+.0f}], coverage m36 "
        f"{100 * row.coverage_m36_effect:+.1f} pp, {row.reps} futures)"
        for row in stuck.itertuples()
    ]
    assert stuck.empty, f"{name}: active levers on the noise floor: " + "; ".join(described)
