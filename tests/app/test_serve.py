"""``rollout app`` leaves no Streamlit server behind when it is killed outright."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

# A stand-in for `rollout app`: it starts a long child the way serve() starts Streamlit,
# says the child's pid, and waits.
PARENT = """
import os, subprocess, sys, time
from sim.app.serve import end_with
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"],
                         preexec_fn=end_with(os.getpid()))
print(child.pid, flush=True)
time.sleep(120)
"""


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie, killed but not yet reaped, is not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_server_dies_with_rollout_app():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    assert _running(child), "the stand-in server did not start"
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    for _ in range(100):  # the kernel signals the child at once; allow a loaded machine 10 s
        if not _running(child):
            break
        time.sleep(0.1)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail(f"the server (pid {child}) outlived `rollout app` killed with -9")


def test_the_server_takes_uploads_of_a_scenario_file_size_and_shows_no_stack_traces():
    from sim.app.serve import command
    from sim.scenario.limits import MAX_FILE_BYTES

    argv = command(8501)
    options = dict(zip(argv[5::2], argv[6::2], strict=False))  # after "-m streamlit run PAGE"
    limit_mb = int(options["--server.maxUploadSize"])
    assert 1 <= limit_mb <= 2, argv
    assert limit_mb * 1_000_000 >= MAX_FILE_BYTES, argv
    assert options["--client.showErrorDetails"] == "none", argv
