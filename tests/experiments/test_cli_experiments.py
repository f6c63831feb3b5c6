"""The compare and sweep commands: good runs, and bad arguments (exit 2, one line each,
nothing written). ``main()`` runs in this process with the cwd in ``tmp_path``.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import REPO
from conftest import run_main as call
from expkit import files

CLI = REPO / "cli.py"
SHORT = ["--set", "scenario.horizon_months=36", "--reps", "2", "--workers", "1"]


BAD = {
    "vary-without-values": (["sweep", "camden", "--vary", "champions.target"], "--vary"),
    "vary-bad-range": (["sweep", "camden", "--vary", "champions.target=0:10:0"], "step"),
    "vary-unknown-key": (["sweep", "camden", "--vary", "champions.targt=1,2"], "targt"),
    "vary-invalid-value": (
        ["sweep", "camden", "--vary", "programme.foundation.cohort_size=-1,30"],
        "programme.foundation.cohort_size",
    ),
    "vary-three-keys": (
        ["sweep", "camden", "--vary", "a=1", "--vary", "b=1", "--vary", "c=1"],
        "one or two keys",
    ),
    "target-unknown-measure": (
        ["sweep", "camden", "--vary", "champions.target=1,2", "--target", "cover>=0.5"],
        "unknown measure 'cover'",
    ),
    "target-malformed": (
        ["sweep", "camden", "--vary", "champions.target=1,2", "--target", "coverage_horizon"],
        "--target",
    ),
    "metric-unknown": (
        ["sweep", "camden", "--vary", "champions.target=1,2", "--metric", "nope"],
        "--metric nope",
    ),
    "probability-zero": (
        ["sweep", "camden", "--vary", "champions.target=1,2", "--probability", "0"],
        "--probability",
    ),
    "variant-without-changes": (["compare", "camden", "--variant", "late"], "--variant late"),
    "variant-bad-key": (
        ["compare", "camden", "--variant", "late", "programme.phases.9.start=2019-01-01"],
        "programme.phases has no element 9",
    ),
    "variant-invalid-value": (
        ["compare", "camden", "--variant", "big", "champions.target=-2"],
        "champions.target",
    ),
    "compare-one-strategy": (["compare", "camden"], "two or more"),
    "out-and-resume": (
        ["compare", "camden", "camden", "--out", "x", "--resume", "y"],
        "give one or the other",
    ),
    "resume-missing-folder": (["compare", "camden", "camden", "--resume", "nowhere"], "nowhere"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_arguments_exit_2_with_one_line_and_write_nothing(case, tmp_path, monkeypatch, capsys):
    args, fragment = BAD[case]
    code, out, err = call(args, tmp_path, monkeypatch, capsys)
    assert code == 2, f"exit {code}; stderr {err!r}"
    lines = err.splitlines()
    assert len(lines) == 1, f"stderr lines {lines}"
    assert lines[0].startswith("rollout: "), f"stderr {lines[0]!r}"
    assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"
    assert "Traceback" not in err, "traceback on stderr"
    assert out == "", f"stdout {out!r}"
    assert list(tmp_path.iterdir()) == [], f"written: {list(tmp_path.iterdir())}"


def test_compare_with_variant(tmp_path, monkeypatch, capsys):
    args = [
        "compare",
        "camden",
        "--variant",
        "no-phase-2",
        "programme.phases=[]",
        *SHORT,
        "--out",
        "c",
    ]
    code, out, err = call(args, tmp_path, monkeypatch, capsys)
    assert code == 0, f"exit {code}; stderr {err}"
    folder = tmp_path / "c"
    names = sorted(files(folder))
    want = [
        "bands.csv",
        "comparison.csv",
        "coverage.png",
        "differences.csv",
        "horizons.csv",
        "horizons.png",
        "manifest.json",
        "summary.csv",
    ]
    assert names == want, f"files {names}"
    assert "Paired differences from camden" in out, f"stdout {out}"
    assert "no-phase-2" in out, f"stdout {out}"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "complete", f"status {manifest['status']}"
    assert manifest["strategies"] == ["camden", "no-phase-2"], f"{manifest['strategies']}"
    ratios = pd.read_csv(folder / "differences.csv")["width_ratio"].dropna()
    got = manifest["pairing_width_ratio_median"]
    assert got == pytest.approx(ratios.median(), abs=1e-3), f"manifest ratio {got}"


def test_sweep_of_phase_2_delay_answers_in_words(tmp_path, monkeypatch, capsys):
    args = [
        "sweep",
        "camden",
        "--set",
        "programme.phases.1.months=12",
        "--vary",
        "programme.phases.1.start_after_months=0:12:6",
        "--target",
        "coverage_horizon>=0",
        *SHORT,
        "--out",
        "s",
    ]
    code, out, err = call(args, tmp_path, monkeypatch, capsys)
    assert code == 0, f"exit {code}; stderr {err}"
    # coverage >= 0 holds in every future, so every delay tried meets it.
    assert "Phase 2 may start anywhere from 0 to 12 months after Phase 1 ends" in out, out
    names = sorted(files(tmp_path / "s"))
    want = [
        "horizons.csv",
        "manifest.json",
        "sweep.csv",
        "sweep.png",
        "sweep_replications.csv",
        "target.csv",
    ]
    assert names == want, f"files {names}"
