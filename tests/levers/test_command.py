"""``rollout levers``: a good run writes its files and says what it found; bad input exits
2 with one line naming the key, and writes nothing. ``main()`` runs in this process.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import run_main as call

SHORT = ["--reps", "2", "--workers", "1", "--lever", "champions.target"]
SHORT += ["--lever", "costs.provider_day_rate"]

BAD = {
    "reps-one": (["levers", "camden", "--reps", "1"], "--reps 1"),
    "unknown-lever": (["levers", "camden", "--lever", "champions.targt"], "champions.targt"),
    "unknown-set-key": (["levers", "camden", "--set", "champions.targt=3"], "champions.targt"),
    "bad-set-value": (["levers", "camden", "--set", "champions.target=-1"], "champions.target"),
    "short-horizon": (
        ["levers", "camden", "--set", "scenario.horizon_months=24", "--set",
         "measures.at_months=[12]"],
        "scenario.horizon_months",
    ),
    "resume-missing-folder": (["levers", "camden", "--resume", "nowhere"], "nowhere"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_exits_2_with_one_line_and_writes_nothing(case, tmp_path, monkeypatch, capsys):
    args, fragment = BAD[case]
    code, out, err = call(args, tmp_path, monkeypatch, capsys)
    assert code == 2, f"exit {code}; stderr {err!r}"
    lines = err.splitlines()
    assert len(lines) == 1, f"stderr lines {lines}"
    assert lines[0].startswith("rollout: "), lines[0]
    assert fragment in lines[0], lines[0]
    assert out == "", f"stdout {out!r}"
    assert list(tmp_path.iterdir()) == [], f"written: {list(tmp_path.iterdir())}"


def test_a_run_writes_the_table_the_picture_and_says_what_it_found(tmp_path, monkeypatch, capsys):
    code, out, err = call(["levers", "camden", *SHORT, "--out", "l"], tmp_path, monkeypatch, capsys)
    assert code == 0, f"exit {code}; stderr {err}"
    folder = tmp_path / "l"
    names = sorted(p.name for p in folder.iterdir())
    want = ["levers.csv", "levers.png", "levers_replications.csv", "manifest.json"]
    assert names == want, names
    table = pd.read_csv(folder / "levers.csv")
    assert list(table["lever"]) == ["noise_floor", "champions.target", "costs.provider_day_rate"]
    for column in ("key", "label", "mechanism", "active", "low", "high", "on_noise_floor"):
        assert column in table, f"no {column} in {list(table)}"
    for measure in ("practising_person_months", "coverage_m36"):
        for part in ("effect", "ci_low", "ci_high"):
            assert f"{measure}_{part}" in table, f"no {measure}_{part} in {list(table)}"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "complete", manifest["status"]
    assert manifest["kind"] == "levers", manifest["status"]
    assert manifest["levers"] == ["champions.target", "costs.provider_day_rate"], manifest
    assert "Lever audit of Camden" in out, out
    assert "Noise floor" in out, out
    assert "Provider's day rate" in out, out
    assert "Results: " in out, out
