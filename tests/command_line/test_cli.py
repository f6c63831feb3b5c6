"""The ``rollout run`` command: files, columns, manifest, reproducibility and bad input.

Good runs go through ``click.testing.CliRunner`` (in-process, fast). Exit codes and stderr
come from ``main()``, which CliRunner bypasses: bad input is checked by calling ``main()``
in-process and, for a few cases and the runs that must record their command line, by running
``python cli.py`` in a subprocess. Either way the working directory is in ``tmp_path``, so a
default ``outputs/`` folder would land there, where the test can see it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import REPO

import cli

CLI = REPO / "cli.py"


TIMESERIES_COLUMNS = [
    "rep",
    "month",
    "date",
    "headcount",
    "vacancies",
    "agency",
    "trained",
    "coverage",
    "practising",
    "champions",
]
CAMDEN_HORIZON = 72


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(CLI), *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def invoke(args: list[str]):
    result = CliRunner().invoke(cli.rollout, args)
    assert result.exit_code == 0, f"exit {result.exit_code}: {result.output}\n{result.exception!r}"
    return result


def listing(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (directories as empty entries)."""
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"")
        for p in sorted(folder.rglob("*"))
    }


# --------------------------------------------------------------------------- a good run


@pytest.fixture(scope="module")
def camden_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("camden") / "x"
    result = invoke(["run", "camden", "--reps", "2", "--out", str(out)])
    return out, result


def test_good_run_writes_the_files(camden_run):
    out, result = camden_run
    for name in ("timeseries.csv", "summary.csv", "manifest.json", "coverage.png"):
        path = out / name
        held = sorted(p.name for p in out.iterdir())
        assert path.is_file(), f"{name} missing; folder holds {held}"
        assert path.stat().st_size > 0, f"{name} is empty"
    assert (out / "coverage.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "coverage.png not a PNG"
    assert f"Results: {out}/" in result.output, f"stdout: {result.output}"


def test_timeseries_is_tidy(camden_run):
    out, _ = camden_run
    table = pd.read_csv(out / "timeseries.csv")
    missing = [c for c in TIMESERIES_COLUMNS if c not in table.columns]
    assert not missing, f"missing columns {missing}; have {list(table.columns)}"
    assert len(table) == 2 * CAMDEN_HORIZON, f"{len(table)} rows"
    assert sorted(table["rep"].unique()) == [0, 1], f"reps {sorted(table['rep'].unique())}"
    for rep, rows in table.groupby("rep"):
        months = rows["month"].tolist()
        assert months == list(range(CAMDEN_HORIZON)), f"rep {rep}: months {months[:5]}..."
        first, last = rows["date"].iloc[0], rows["date"].iloc[-1]
        assert (first, last) == ("2015-11-01", "2021-10-01"), f"rep {rep}: dates {first}..{last}"
    coverage = table["coverage"]
    assert coverage.between(0, 1).all(), f"coverage range {coverage.min()}..{coverage.max()}"
    assert (table["trained"] <= table["headcount"]).all(), "trained exceeds headcount"


def test_summary_has_one_row_per_replication(camden_run):
    out, _ = camden_run
    summary = pd.read_csv(out / "summary.csv")
    assert summary["rep"].tolist() == [0, 1], f"summary reps {summary['rep'].tolist()}"


def test_manifest_of_a_good_run(camden_run, camden_path):
    out, _ = camden_run
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete", f"status {manifest['status']!r}"
    assert manifest["seed"] == 1, f"seed {manifest['seed']!r}"
    assert manifest["reps"] == 2, f"reps {manifest['reps']!r}"
    for package in ("python", "simpy", "numpy", "pandas", "pydantic", "click"):
        assert package in manifest["versions"], f"versions {manifest['versions']}"
    timings = manifest["timings"]
    for key in ("simulation_seconds", "total_seconds"):
        assert isinstance(timings.get(key), int | float), f"timings {timings}"
    assert manifest["scenario_file"] == str(camden_path), f"file {manifest['scenario_file']!r}"
    resolved = manifest["scenario"]
    assert resolved["scenario"]["horizon_months"] == CAMDEN_HORIZON, f"{resolved['scenario']}"
    assert resolved["programme"]["foundation"]["cohort_size"] == 35, (
        f"cohort_size {resolved['programme']['foundation']['cohort_size']}"
    )
    assert [p["name"] for p in resolved["programme"]["phases"]] == ["Phase 1", "Phase 2"], (
        f"phases {resolved['programme']['phases']}"
    )
    assert isinstance(manifest["command"], list), f"command {manifest['command']!r}"
    assert manifest["command"], f"command {manifest['command']!r}"


def test_manifest_records_command_and_set(tmp_path):
    args = [
        "run",
        "camden",
        "--reps",
        "1",
        "--seed",
        "7",
        "--out",
        "run1",
        "--set",
        "programme.foundation.cohort_size=20",
        "--set",
        "scenario.horizon_months=24",
    ]
    done = run_cli(args, tmp_path)
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr}"
    manifest = json.loads((tmp_path / "run1" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == [str(CLI), *args], f"command {manifest['command']}"
    assert manifest["seed"] == 7, f"seed {manifest['seed']}"
    assert manifest["overrides"] == [args[-3], args[-1]], f"overrides {manifest['overrides']}"
    resolved = manifest["scenario"]
    assert resolved["programme"]["foundation"]["cohort_size"] == 20, (
        f"cohort_size {resolved['programme']['foundation']['cohort_size']}"
    )
    assert resolved["scenario"]["horizon_months"] == 24, f"{resolved['scenario']}"
    rows = len(pd.read_csv(tmp_path / "run1" / "timeseries.csv"))
    assert rows == 24, f"{rows} timeseries rows for 1 rep x 24 months"
    assert "Traceback" not in done.stderr, f"stderr: {done.stderr}"


def test_same_seed_gives_identical_files(tmp_path):
    outs = [tmp_path / name for name in ("a", "b", "c")]
    for out, seed in zip(outs, ("3", "3", "4"), strict=True):
        invoke(["run", "camden", "--reps", "2", "--seed", seed, "--out", str(out)])
    for name in ("timeseries.csv", "summary.csv"):
        same = (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()
        assert same, f"{name} differs between two runs with seed 3"
    differs = (outs[0] / "timeseries.csv").read_bytes() != (outs[2] / "timeseries.csv").read_bytes()
    assert differs, "seeds 3 and 4 gave the same timeseries.csv"


def test_workers_do_not_change_results(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    base = ["run", "camden", "--reps", "2", "--set", "scenario.horizon_months=24"]
    invoke([*base, "--out", str(one)])
    invoke([*base, "--workers", "2", "--out", str(two)])
    for name in ("timeseries.csv", "summary.csv"):
        same = (one / name).read_bytes() == (two / name).read_bytes()
        assert same, f"{name} differs between --workers 1 and --workers 2"


def test_default_out_makes_a_new_folder_each_run(tmp_path):
    args = ["run", "camden", "--reps", "1", "--set", "scenario.horizon_months=12"]
    first = run_cli(args, tmp_path)
    assert first.returncode == 0, f"first run exit {first.returncode}: {first.stderr}"
    folders = sorted((tmp_path / "outputs").iterdir())
    assert len(folders) == 1, f"after one run: {folders}"
    before = listing(folders[0])
    second = run_cli(args, tmp_path)
    assert second.returncode == 0, f"second run exit {second.returncode}: {second.stderr}"
    after = sorted((tmp_path / "outputs").iterdir())
    assert len(after) == 2, f"after two runs: {after}"
    assert listing(folders[0]) == before, f"{folders[0]} changed in the second run"
    for folder in after:
        assert folder.name.startswith("camden-"), f"folder name {folder.name}"
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["status"] == "complete", f"{folder.name}: status {manifest['status']}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outputs"], (
        f"cwd holds {sorted(p.name for p in tmp_path.iterdir())}"
    )


def test_existing_out_is_refused_and_untouched(tmp_path):
    out = tmp_path / "earlier"
    out.mkdir()
    (out / "timeseries.csv").write_text("precious\n")
    (out / "notes.txt").write_text("keep me\n")
    before = listing(tmp_path)
    done = run_cli(["run", "camden", "--reps", "1", "--out", str(out)], tmp_path)
    assert done.returncode == 2, f"exit {done.returncode}: {done.stderr}"
    lines = done.stderr.splitlines()
    assert len(lines) == 1, f"stderr lines: {lines}"
    assert lines[0].startswith(f"rollout: --out {out}"), f"stderr {lines[0]!r}"
    assert "already exists" in lines[0], f"stderr {lines[0]!r}"
    assert listing(tmp_path) == before, f"contents changed: {sorted(listing(tmp_path))}"


# --------------------------------------------------------------------------- bad input

BAD_FILE = (
    (REPO / "scenarios" / "camden.toml")
    .read_text(encoding="utf-8")
    .replace("cohort_size = 35", "cohort_sise = 35")
)
assert "cohort_sise" in BAD_FILE, "camden.toml no longer has cohort_size = 35 to mistype"
CAMDEN_TEXT = (REPO / "scenarios" / "camden.toml").read_text(encoding="utf-8")
assert "end = 2017-09-30" in CAMDEN_TEXT, "camden.toml no longer has Phase 1's end date"
DATES_OUT_OF_ORDER = CAMDEN_TEXT.replace("end = 2017-09-30", "end = 2015-10-01")

# id: (files to put in the cwd, arguments, pass --out new, what stderr must mention)
BAD_CASES = {
    "mistyped-key-in-file": (
        {"bad.toml": BAD_FILE},
        ["run", "bad.toml"],
        True,
        ["bad.toml", "programme.foundation.cohort_sise", "did you mean 'cohort_size'"],
    ),
    "phase-ends-before-it-starts-in-file": (
        {"dates.toml": DATES_OUT_OF_ORDER},
        ["run", "dates.toml"],
        False,
        ["dates.toml", "programme.phases.0.end", "2015-10-01", "before"],
    ),
    "negative-cohort-via-set": (
        {},
        ["run", "camden", "--set", "programme.foundation.cohort_size=-3"],
        True,
        ["camden.toml", "programme.foundation.cohort_size", "≥ 1", "-3"],
    ),
    "phases-out-of-order-via-set": (
        {},
        ["run", "camden", "--set", "programme.phases.1.start=2017-09-01"],
        False,
        ["camden.toml", "programme.phases.1.start", "previous phase's end"],
    ),
    "missing-file": (
        {},
        ["run", "missing.toml"],
        False,
        ["missing.toml", "no such scenario file"],
    ),
    "unknown-bundled-name": (
        {},
        ["run", "camdn"],
        True,
        ["camdn", "bundled: camden"],
    ),
    "reps-zero": ({}, ["run", "camden", "--reps", "0"], False, ["--reps", "0"]),
    "set-without-equals": (
        {},
        ["run", "camden", "--set", "programme.foundation.cohort_size"],
        True,
        ["camden.toml", "programme.foundation.cohort_size", "expected KEY=VALUE"],
    ),
    "set-index-out-of-range": (
        {},
        ["run", "camden", "--set", "programme.phases.5.start=2019-01-01"],
        False,
        ["camden.toml", "programme.phases has no element 5", "(it has 2)"],
    ),
    "invalid-toml": (
        {"broken.toml": "[scenario\nstart = 2020-01-01\n"},
        ["run", "broken.toml"],
        True,
        ["broken.toml", "not valid TOML"],
    ),
}


def prepare(case: str, cwd: Path) -> list[str]:
    """Put the case's files in ``cwd`` and return its arguments."""
    files, args, with_out, _ = BAD_CASES[case]
    for name, text in files.items():
        (cwd / name).write_text(text, encoding="utf-8")
    return [*args, "--out", str(cwd / "new")] if with_out else list(args)


def check_bad_outcome(case: str, cwd: Path, before: dict, code, stdout: str, stderr: str):
    wanted = BAD_CASES[case][3]
    assert code == 2, f"exit {code}; stderr: {stderr}"
    assert "Traceback" not in stderr, f"traceback in stderr: {stderr}"
    lines = stderr.splitlines()
    assert lines, "nothing on stderr"
    for line in lines:
        assert line.startswith("rollout: "), f"stderr line {line!r}"
    for part in wanted:
        assert part in stderr, f"{part!r} not in stderr {stderr!r}"
    assert stdout == "", f"stdout: {stdout!r}"
    assert listing(cwd) == before, f"cwd changed: {sorted(listing(cwd))}"
    assert not (cwd / "new").exists(), "--out folder was created"
    assert not (cwd / "outputs").exists(), "outputs/ was created"


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_input_via_main(case, tmp_path, monkeypatch, capsys):
    # main() in this process (what the ``rollout`` script runs), with the cwd in tmp_path.
    args = prepare(case, tmp_path)
    before = listing(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["rollout", *args])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    captured = capsys.readouterr()
    check_bad_outcome(case, tmp_path, before, stopped.value.code, captured.out, captured.err)


# A few cases again as real processes: exit status and stderr as a shell sees them.
SUBPROCESS_CASES = [
    "mistyped-key-in-file",
    "negative-cohort-via-set",
    "reps-zero",
    "set-without-equals",
]


@pytest.fixture(scope="module")
def bad_runs(tmp_path_factory):
    """Start the subprocess cases at once (each in its own cwd), then collect them."""
    started = {}
    for case in SUBPROCESS_CASES:
        cwd = tmp_path_factory.mktemp(case)
        args = prepare(case, cwd)
        before = listing(cwd)
        process = subprocess.Popen(
            [sys.executable, str(CLI), *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started[case] = (cwd, before, process)
    finished = {}
    for case, (cwd, before, process) in started.items():
        stdout, stderr = process.communicate(timeout=300)
        finished[case] = (cwd, before, process.returncode, stdout, stderr)
    return finished


@pytest.mark.parametrize("case", SUBPROCESS_CASES)
def test_bad_input_in_a_subprocess(bad_runs, case):
    check_bad_outcome(case, *bad_runs[case])


def test_bad_input_through_clirunner_raises_scenario_error(tmp_path):
    # CliRunner calls the group directly: the ScenarioError reaches it uncaught by main().
    out = tmp_path / "new"
    result = CliRunner().invoke(
        cli.rollout,
        ["run", "camden", "--set", "programme.foundation.cohort_size=-3", "--out", str(out)],
    )
    assert result.exit_code != 0, f"exit {result.exit_code}"
    lines = getattr(result.exception, "lines", None)
    assert lines, f"exception {result.exception!r}"
    assert "programme.foundation.cohort_size" in lines[0], f"exception {result.exception!r}"
    assert not out.exists(), f"{out} was created"


def test_help_lists_the_contract_options():
    result = CliRunner().invoke(cli.rollout, ["run", "--help"])
    assert result.exit_code == 0, f"exit {result.exit_code}: {result.output}"
    for option in ("--reps", "--seed", "--out", "--set", "--workers"):
        assert option in result.output, f"{option} not in help: {result.output}"


@pytest.mark.parametrize("command", ["run", "compare", "sweep", "national"])
def test_long_running_commands_take_the_contract_options(command):
    # MODEL.md section 5: every long-running command takes these.
    result = CliRunner().invoke(cli.rollout, [command, "--help"])
    assert result.exit_code == 0, f"exit {result.exit_code}: {result.output}"
    for option in ("--reps", "--seed", "--out", "--workers", "--resume", "--dask", "--scheduler"):
        assert option in result.output, f"{option} not in {command} --help: {result.output}"
