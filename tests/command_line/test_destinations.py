"""Writes that cannot half-happen: destinations tried before any work, a folder complete
only once every file it lists exists, and ``report`` on a damaged folder.

Each bad destination must end with one line on stderr naming the argument, exit 2, and
nothing written anywhere the test can see. The run that is stopped while drawing is killed
for real (SIGKILL inside the drawing code, in a subprocess), so the folder it leaves is
what a power cut or a closed laptop leaves.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_main

SMALL = ["--set", "scenario.horizon_months=12", "--reps", "2", "--workers", "1"]
LONG_NAME = "n" * 300


def _everything(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _bad_destinations(tmp_path: Path) -> dict[str, str]:
    """Destinations that cannot be written, by what is wrong with them."""
    (tmp_path / "a-file").write_text("not a folder")
    os.symlink(tmp_path / "nowhere" / "x", tmp_path / "dangling")
    return {
        "under a file": "a-file/results",
        "in /proc": "/proc/rollout-results",
        "a dangling symbolic link": "dangling",
        "a 300-character name": LONG_NAME,
        "a 300-character name deeper down": f"sub/{LONG_NAME}/x",
    }


CASES = ["under a file", "in /proc", "a dangling symbolic link", "a 300-character name"]
CASES.append("a 300-character name deeper down")


def _one_line_refusal(code: int, out: str, err: str, label: str) -> None:
    lines = err.strip().splitlines()
    assert code == 2, f"exit {code}; stderr {err!r}"
    assert len(lines) == 1, f"expected one line, got {lines}"
    assert lines[0].startswith(f"rollout: {label}"), f"line {lines[0]!r}"
    assert "Traceback" not in err + out, err


@pytest.mark.parametrize("case", CASES)
def test_run_refuses_an_unwritable_out_before_any_work(case, tmp_path, monkeypatch, capsys):
    out = _bad_destinations(tmp_path)[case]
    before = _everything(tmp_path)
    code, stdout, err = run_main(
        ["run", "camden", *SMALL, "--out", out], tmp_path, monkeypatch, capsys
    )
    _one_line_refusal(code, stdout, err, "--out")
    assert _everything(tmp_path) == before, f"written: {_everything(tmp_path) - before}"


@pytest.mark.parametrize("case", CASES)
def test_new_refuses_an_unwritable_o_before_any_work(case, tmp_path, monkeypatch, capsys):
    out = _bad_destinations(tmp_path)[case]
    before = _everything(tmp_path)
    args = ["new", "--council", "camden", "-o", out]
    code, stdout, err = run_main(args, tmp_path, monkeypatch, capsys)
    _one_line_refusal(code, stdout, err, "-o")
    assert _everything(tmp_path) == before, f"written: {_everything(tmp_path) - before}"


def test_new_refuses_a_folder_that_does_not_exist(tmp_path, monkeypatch, capsys):
    code, stdout, err = run_main(
        ["new", "--roster-template", "-o", "missing/staff.csv"], tmp_path, monkeypatch, capsys
    )
    _one_line_refusal(code, stdout, err, "-o")
    assert "does not exist" in err, err
    assert not (tmp_path / "missing").exists(), "the folder was created"


def test_resume_refuses_a_folder_it_cannot_write_in(tmp_path, monkeypatch, capsys):
    code, stdout, err = run_main(
        ["run", "camden", *SMALL, "--resume", "/proc/self"], tmp_path, monkeypatch, capsys
    )
    _one_line_refusal(code, stdout, err, "--resume")


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory) -> Path:
    """A small complete run folder, made once, copied by each test that damages it."""
    base = tmp_path_factory.mktemp("finished")
    done = subprocess.run(
        [sys.executable, str(REPO / "cli.py"), "run", "camden", *SMALL, "--out", "r"],
        cwd=base,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return base / "r"


@pytest.mark.parametrize("case", CASES)
def test_report_refuses_an_unwritable_o(case, finished_run, tmp_path, monkeypatch, capsys):
    out = _bad_destinations(tmp_path)[case]
    before = _everything(tmp_path) | _everything(finished_run)
    code, stdout, err = run_main(
        ["report", str(finished_run), "-o", out], tmp_path, monkeypatch, capsys
    )
    _one_line_refusal(code, stdout, err, "-o")
    after = _everything(tmp_path) | _everything(finished_run)
    assert after == before, f"written: {after - before}"


# --------------------------------------------------------------------------- stopped drawing

KILL_WHILE_DRAWING = """
import os, signal, sys
sys.path.insert(0, {repo!r})
import sim.outputs.pictures as pictures
def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
pictures.fan_chart = killed  # the second picture of a run: the first is already drawn
sys.argv = ["rollout", "run", "camden", *{small!r}, "--out", "stopped"]
import cli
cli.main()
"""


def test_a_run_killed_while_drawing_is_not_complete_and_resume_completes_it(
    finished_run, tmp_path, monkeypatch, capsys
):
    script = KILL_WHILE_DRAWING.format(repo=str(REPO), small=SMALL)
    killed = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert killed.returncode == -9, f"exit {killed.returncode}: {killed.stderr}"
    folder = tmp_path / "stopped"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "drawing", f"status {manifest['status']!r}"
    assert not (folder / "fan.png").exists(), "fan.png drawn although drawing was killed"
    assert (folder / "batches").is_dir(), "batches removed before the run was complete"

    code, _, err = run_main(["report", "stopped"], tmp_path, monkeypatch, capsys)
    assert code == 2, f"exit {code}: {err}"
    assert "status 'drawing'" in err, f"exit {code}: {err}"
    assert not (folder / "report.html").exists(), "a report of an unfinished run was written"

    code, out, err = run_main(
        ["run", "camden", *SMALL, "--resume", "stopped"], tmp_path, monkeypatch, capsys
    )
    assert code == 0, f"resume exit {code}: {err}"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "complete", f"status after resume {manifest['status']!r}"
    for name in manifest["files"]:
        assert (folder / name).is_file(), f"{name} listed but missing after resume"
    assert "fan.png" in manifest["files"], f"files {manifest['files']}"
    assert not (folder / "batches").exists(), "batches left after the run completed"
    for name in ("timeseries.csv", "summary.csv", "summary_stats.csv", "bands.csv"):
        assert (folder / name).read_bytes() == (finished_run / name).read_bytes(), (
            f"{name} after resuming differs from an uninterrupted run's"
        )


def test_a_finished_run_lists_only_files_that_exist(finished_run):
    manifest = json.loads((finished_run / "manifest.json").read_text())
    assert manifest["status"] == "complete", f"status {manifest['status']!r}"
    assert {"coverage.png", "fan.png"} <= set(manifest["files"]), manifest["files"]
    missing = [n for n in manifest["files"] if not (finished_run / n).is_file()]
    assert not missing, f"listed but missing: {missing}"


# --------------------------------------------------------------------------- damaged folders


def _set_manifest(key, value):
    def change(folder: Path) -> None:
        path = folder / "manifest.json"
        content = json.loads(path.read_text())
        content[key] = value
        path.write_text(json.dumps(content))

    return change


def _write(name: str, data: bytes):
    return lambda folder: (folder / name).write_bytes(data)


def _unlist(name: str):
    """Remove a file and its mention in the manifest (a folder that never had it)."""

    def change(folder: Path) -> None:
        (folder / name).unlink()
        content = json.loads((folder / "manifest.json").read_text())
        content["files"] = [f for f in content["files"] if f != name]
        (folder / "manifest.json").write_text(json.dumps(content))

    return change


DAMAGE = {
    "manifest []": (_write("manifest.json", b"[]"), "manifest.json: expected a JSON object"),
    "manifest not JSON": (_write("manifest.json", b"{"), "manifest.json: cannot be read"),
    "manifest deeply nested": (_write("manifest.json", b"[" * 100_000), "cannot be read"),
    "strategies []": (_set_manifest("kind", "compare"), "strategies:"),
    "reps abc": (_set_manifest("reps", "abc"), "reps: expected a whole number"),
    "reps true": (_set_manifest("reps", True), "reps: expected a whole number"),
    "seed -1": (_set_manifest("seed", -1), "seed: expected a whole number"),
    "scenario a list": (_set_manifest("scenario", [1]), "scenario: expected"),
    "files not a list": (_set_manifest("files", "x"), "files: expected a list"),
    "binary table": (_write("summary_stats.csv", bytes(range(256)) * 8), "binary"),
    "empty table": (_write("summary_stats.csv", b""), "summary_stats.csv: empty"),
    "empty bands": (_write("bands.csv", b""), "bands.csv: empty"),
    "a table without its columns": (_write("summary_stats.csv", b"a,b\n1,2\n"), "no column"),
    "text for numbers": (
        _write("summary_stats.csv", b"measure,mean,ci_low,ci_high,n\ncoverage_m12,abc,1,2,3\n"),
        "column mean: expected numbers",
    ),
    "a header only": (_write("summary_stats.csv", b"measure,mean,ci_low,ci_high,n\n"), "no rows"),
    "not UTF-8": (_write("summary_stats.csv", b"measure,mean\n\xff\xfe,1\n"), "not a readable"),
    "a picture missing": (lambda f: (f / "fan.png").unlink(), "lists fan.png"),
    "a required table missing": (_unlist("summary_stats.csv"), "no summary_stats.csv"),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_report_names_what_is_wrong_with_a_damaged_folder(
    case, finished_run, tmp_path, monkeypatch, capsys
):
    import shutil

    folder = tmp_path / "damaged"
    shutil.copytree(finished_run, folder)
    damage, expected = DAMAGE[case]
    damage(folder)
    before = _everything(tmp_path)
    code, out, err = run_main(["report", "damaged"], tmp_path, monkeypatch, capsys)
    lines = err.strip().splitlines()
    assert code == 2, f"{case}: exit {code}; stderr {err[-2000:]!r}"
    assert len(lines) == 1, f"{case}: expected one line, got {lines}"
    assert expected in lines[0], f"{case}: line {lines[0]!r} lacks {expected!r}"
    assert "damaged" in lines[0], f"{case}: the folder is not named: {lines[0]!r}"
    assert _everything(tmp_path) == before, f"{case}: written {_everything(tmp_path) - before}"


def test_ctrl_c_while_drawing_says_how_to_complete_the_folder(tmp_path, monkeypatch, capsys):
    import sim.outputs.pictures as pictures

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pictures, "fan_chart", interrupted)
    code, _, err = run_main(
        ["run", "camden", *SMALL, "--out", "stopped"], tmp_path, monkeypatch, capsys
    )
    assert code == 130, f"exit {code}: {err}"
    assert "interrupted while drawing" in err, err
    assert "--resume stopped" in err, err
    assert "Traceback" not in err, err
    manifest = json.loads((tmp_path / "stopped" / "manifest.json").read_text())
    assert manifest["status"] == "drawing", f"status {manifest['status']!r}"


@pytest.mark.parametrize(
    "args",
    [
        ["run", "camden", "--resume", LONG_NAME],
        ["report", LONG_NAME],
        ["validate", LONG_NAME],
        ["run", LONG_NAME],
    ],
    ids=["resume", "report", "validate", "run"],
)
def test_a_300_character_name_to_read_is_one_line(args, tmp_path, monkeypatch, capsys):
    code, out, err = run_main(args, tmp_path, monkeypatch, capsys)
    lines = err.strip().splitlines()
    assert code == 2, f"exit {code}: {err[-1500:]}"
    assert len(lines) == 1, f"expected one line, got {lines}"
    assert "Traceback" not in err, f"expected one line, got {lines}"


def test_an_outputs_file_in_the_way_is_one_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "outputs").write_text("not a folder")
    code, out, err = run_main(["run", "camden", *SMALL], tmp_path, monkeypatch, capsys)
    _one_line_refusal(code, out, err, "outputs folder")
    assert (tmp_path / "outputs").read_text() == "not a folder", "the file was changed"
