"""The installed wheel, prepared in the background from the moment the tests are collected.

Building the wheel, installing it and running the commands (:mod:`prepare`) takes some
seconds, mostly in subprocesses; started when collection finishes, it runs (niced) on the
spare core while the other tests run, and the ``installed`` fixture only waits for it.
It starts only when a test that needs it was collected, and its folder (outside the
checkout) is removed at the end of the session.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

PREPARE = Path(__file__).with_name("prepare.py")
_started: dict[str, object] = {}


def _start() -> None:
    if not _started:
        root = Path(tempfile.mkdtemp(prefix="rollout-install-"))
        log = (root / "prepare.log").open("w")
        (root / "tmp").mkdir()
        process = subprocess.Popen(
            [sys.executable, str(PREPARE), str(root)],
            env={**os.environ, "TMPDIR": str(root / "tmp")},  # pip's and every temporary file
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with its children
        )
        _started.update(root=root, process=process, log=log)


def _stop() -> None:
    """Stop the preparation if it still runs (with every process it started); remove its
    folder.
    """
    if _started:
        process = _started["process"]
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        _started["log"].close()
        shutil.rmtree(_started["root"], ignore_errors=True)
        _started.clear()


def pytest_collection_finish(session) -> None:
    if any("installed" in getattr(item, "fixturenames", ()) for item in session.items):
        _start()


def pytest_sessionfinish(session, exitstatus) -> None:
    _stop()  # also when the session was interrupted before the fixture ran


@pytest.fixture(scope="session")
def installed() -> dict:
    """What :mod:`prepare` made and saw: ``{"wheel", "site", "cwd", "runs"}``, where
    ``runs`` maps each of its commands to ``[exit status, stdout, stderr]``.
    """
    _start()
    root, process = Path(_started["root"]), _started["process"]
    try:
        process.wait(timeout=900)
        _started["log"].flush()
        log = (root / "prepare.log").read_text(encoding="utf-8", errors="replace")
        assert process.returncode == 0, f"prepare.py failed (exit {process.returncode}):\n{log}"
        result = json.loads((root / "result.json").read_text(encoding="utf-8"))
        assert "error" not in result, result.get("error")
        yield result
    finally:
        _stop()
