"""Scenario text written back (the app's download, calibrated.toml) reads back as the same
scenario; rewritten from its file, it keeps the file's comments and order.
"""

from __future__ import annotations

import pytest
from conftest import REPO

from sim.scenario.loading import scenario_from_text
from sim.scenario.writing import to_toml

BUNDLED = REPO / "sim" / "scenario" / "bundled"

CHANGES = [
    {},
    {"programme.phases.1.start_after_months": 12, "programme.phases.1.months": 12},
    {"programme.foundation.cohorts": 3, "practice.uptake": 0.5},
    {"champions.target": 0, "costs.provider_day_rate": 900.0},
]


@pytest.mark.parametrize("name", ["camden", "havering"])
@pytest.mark.parametrize("changes", CHANGES, ids=lambda c: ",".join(c) or "unchanged")
def test_a_scenario_reads_back_the_same(name, changes):
    text = (BUNDLED / f"{name}.toml").read_text(encoding="utf-8")
    scenario = scenario_from_text(text, name)
    changes = {
        k: v
        for k, v in changes.items()
        if not k.startswith("programme.phases.1") or len(scenario.programme.phases) > 1
    }  # a one-phase scenario (havering) has no second phase to move
    changed = scenario.with_changes(changes) if changes else scenario
    for original in (text, None):
        written = to_toml(changed, ["a test"], original=original)
        back = scenario_from_text(written, "written")
        # The values (a scenario's note of which keys a --set fixed is how it was made).
        assert back.model_dump() == changed.model_dump(), (
            f"read back differs (original given: {original is not None})"
        )
        assert written.startswith("# a test\n"), written[:80]


def test_a_rewritten_file_keeps_its_comments_and_order():
    text = (BUNDLED / "camden.toml").read_text(encoding="utf-8")
    scenario = scenario_from_text(text, "camden").with_changes({"champions.target": 7})
    written = to_toml(scenario, [], original=text)
    line = next(line for line in text.splitlines() if line.startswith("target = "))
    value = line.split("=", 1)[1].split("#", 1)[0].strip()
    assert value != "7", line
    assert written == text.replace(line, line.replace(f"= {value}", "= 7", 1)), (
        "more than the one value changed"
    )
