"""The installed wheel, prepared in the background from the moment the tests are collected.

Building the wheel, installing it and running the commands (:mod:`prepare`) takes some
seconds, mostly in subprocesses; started when collection finishes, it runs (niced) on the
spare core while the other tests run, and the ``installed`` fixture only waits for it.
It starts only when a test that needs it was collected, and its folder (outside the
checkout) is removed at the end of the session.
"""

from __future__ import annotations

import json
import shutil
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
        process = subprocess.Popen(
            [sys.executable, str(PREPARE), str(root)], stdout=log, stderr=subprocess.STDOUT
        )
        _started.update(root=root, process=process, log=log)


def pytest_collection_finish(session) -> None:
    if any("installed" in getattr(item, "fixturenames", ()) for item in session.items):
        _start()


@pytest.fixture(scope="session")
def installed() -> dict:
    """What :mod:`prepare` made and saw: ``{"wheel", "site", "cwd", "runs"}``, where
    ``runs`` maps each of its commands to ``[exit status, stdout, stderr]``."""
    _start()
    root, process = Path(_started["root"]), _started["process"]
    try:
        process.wait(timeout=900)
        _started["log"].close()
        log = (root / "prepare.log").read_text(encoding="utf-8", errors="replace")
        assert process.returncode == 0, f"prepare.py failed (exit {process.returncode}):\n{log}"
        result = json.loads((root / "result.json").read_text(encoding="utf-8"))
        assert "error" not in result, result.get("error")
        yield result
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)
        _started.clear()
