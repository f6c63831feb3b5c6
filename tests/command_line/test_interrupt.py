"""Ctrl-C at any moment ends ``rollout`` with a short message and exit 130, never a traceback.

Each case starts ``rollout run camden --reps 400 --out DIR`` (the installed script, in a
subprocess in its own process group) and sends SIGINT to the whole group, as a terminal's
Ctrl-C does, so worker processes get it too. The moments are chosen to land in different
phases: while click and the scenario's schema load (after 0.1 s and 0.3 s of the process's
CPU time), while pandas, SciPy and SimPy load (1 s), and while replications run (as soon as
the first batch is saved: in the main process with one worker, in worker processes with
two). The cases run side by side; the times only pick the moments, nothing is asserted
about time.

Ctrl-C in the first few hundredths of a second, while Python itself starts and before the
``rollout`` script's first line runs, is Python's to handle (it may print KeyboardInterrupt):
no moment here is that early.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "rollout"
FIRST_BATCH = "first batch saved"
CASES = {
    "0.1s": (0.1, 1),
    "0.3s": (0.3, 1),
    "1s": (1.0, 1),
    "running": (FIRST_BATCH, 1),
    "running-2-workers": (FIRST_BATCH, 2),
}


def batch_saved(out: Path) -> bool:
    """Whether the run has saved a batch (its summary file marks it done)."""
    return any((out / "batches").glob("*summary.csv"))


def kill_group(process: subprocess.Popen) -> None:
    """Kill rollout and its workers (which would otherwise hold its stderr open)."""
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def cpu_seconds(process: subprocess.Popen, started: float) -> float:
    """The CPU time ``process`` has used (Linux: /proc), else the wall time since it started.

    CPU time, not wall time, picks the moments: it is what the process has done, so a busy
    machine does not move an early moment back into Python's own start-up.
    """
    try:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return time.monotonic() - started
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory) -> dict[str, tuple[Path, bool, int, str]]:
    """Start every case at once and send each its Ctrl-C at its moment; return per case the
    run folder, whether the Ctrl-C was sent (not if rollout ended before its moment), the
    exit status and stderr.
    """
    assert SCRIPT.is_file(), f"no rollout script beside {sys.executable}: pip install -e ."
    running: dict[str, tuple[Path, subprocess.Popen, float]] = {}
    for case, (_, workers) in CASES.items():
        cwd = tmp_path_factory.mktemp(case)
        out = cwd / "run"
        args = ["run", "camden", "--reps", "400", "--workers", str(workers), "--out", str(out)]
        process = subprocess.Popen(
            [str(SCRIPT), *args],
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, as a terminal gives a command
        )
        running[case] = (out, process, time.monotonic())

    def due(case: str) -> bool:
        out, process, started = running[case]
        moment = CASES[case][0]
        if moment == FIRST_BATCH:
            return batch_saved(out)
        return cpu_seconds(process, started) >= moment

    sent: set[str] = set()
    waiting = set(CASES)
    try:
        deadline = time.monotonic() + 120
        while waiting and time.monotonic() < deadline:
            for case in sorted(waiting):
                process = running[case][1]
                if process.poll() is not None:  # ended before its moment: no Ctrl-C sent
                    waiting.discard(case)
                elif due(case):
                    os.killpg(process.pid, signal.SIGINT)
                    sent.add(case)
                    waiting.discard(case)
            time.sleep(0.002)
        for case in waiting:  # never reached its moment
            kill_group(running[case][1])
        outcomes = {}
        for case, (out, process, _) in running.items():
            try:
                _, stderr = process.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                kill_group(process)
                _, stderr = process.communicate()
                stderr += "\n[the test killed rollout: still running 120 s after Ctrl-C]"
            outcomes[case] = (out, case in sent, process.returncode, stderr)
        return outcomes
    finally:
        for _, process, _ in running.values():
            kill_group(process)


@pytest.mark.parametrize("case", list(CASES))
def test_ctrl_c_ends_with_a_message_and_130(interrupted, case):
    moment = CASES[case][0]
    out, sent, code, stderr = interrupted[case]
    assert sent, (
        f"no Ctrl-C sent: rollout ended (exit {code}) before its moment ({moment}) or never "
        f"reached it; stderr:\n{stderr}"
    )
    assert code == 130, f"exit {code}; stderr:\n{stderr}"
    assert "Traceback" not in stderr, f"traceback on stderr:\n{stderr}"
    lines = [line for line in stderr.splitlines() if line.strip()]  # click may add a newline
    assert lines, f"stderr:\n{stderr}"
    assert lines[0].startswith("rollout: interrupted"), f"stderr:\n{stderr}"
    others = [line for line in lines if not line.startswith(("rollout: ", "  rollout "))]
    assert not others, f"stderr has more than rollout's message:\n{stderr}"
    assert len(lines) <= 3, f"not a short message:\n{stderr}"
    if moment == FIRST_BATCH:
        # Interrupted while replications ran: the batches are kept and the way on is given.
        assert f"--resume {out}" in stderr, f"no resume hint:\n{stderr}"
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["status"] == "interrupted", f"manifest status {manifest['status']!r}"
