"""The server's pool: runs in the background, one job per session, first come first
served, a bounded queue, progress, and Cancel that ends a running job's process.
"""

from __future__ import annotations

import time

import pytest
from experiments.expkit import cohort_scenario

from sim.app import jobs, logic

WAIT = 120.0  # seconds; a busy two-core machine runs a few futures of a small scenario fast


@pytest.fixture
def pool():
    made = jobs.Pool(workers=1, queue=2)
    yield made
    made.shutdown()


def _scenario() -> str:
    return logic.to_json(cohort_scenario())


def _wait(pool, job_id, states=("done", "failed", "cancelled")):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        job = pool.status(job_id)
        if job.state in states:
            return job
        time.sleep(0.1)
    pytest.fail(f"job {job_id} still {pool.status(job_id).state} after {WAIT} s")


def test_a_job_runs_in_the_background_and_gives_the_functions_result(pool):
    job_id = pool.submit("a", "run", "run_experiment", _scenario(), 3, 4)
    assert pool.status(job_id).state in ("queued", "running"), "it did not wait for the run"
    job = _wait(pool, job_id)
    assert job.state == "done", job.error
    assert (job.done, job.total) == (4, 4), (job.done, job.total)
    direct = logic.run_experiment(_scenario(), 3, 4, workers=1)
    taken = pool.take(job_id)
    assert taken.result["files"]["summary_stats.csv"] == direct["files"]["summary_stats.csv"]
    assert pool.status(job_id) is None, "a job taken is gone from the pool"


def test_the_same_work_asked_again_is_done_at_once(pool):
    first = _wait(pool, pool.submit("a", "run", "run_experiment", _scenario(), 5, 3))
    assert first.state == "done", first.error
    again = pool.submit("b", "run", "run_experiment", _scenario(), 5, 3)
    assert pool.status(again).state == "done", "the same work was queued again"
    assert pool.take(again).result is pool.take(first.id).result
    other = pool.submit("b", "run", "run_experiment", _scenario(), 6, 3)
    assert pool.status(other).state in ("queued", "running"), "another seed is other work"


def test_a_session_has_one_job_at_a_time(pool):
    pool.submit("a", "run", "run_experiment", _scenario(), 3, 40)
    with pytest.raises(jobs.Busy, match="still under way"):
        pool.submit("a", "run", "run_experiment", _scenario(), 3, 2)


def test_first_come_first_served_and_a_full_queue_is_refused(pool):
    first = pool.submit("a", "run a", "run_experiment", _scenario(), 3, 200)
    _wait(pool, first, states=("running",))
    second = pool.submit("b", "run b", "run_experiment", _scenario(), 3, 2)
    third = pool.submit("c", "run c", "run_experiment", _scenario(), 3, 2)
    assert (pool.position(second), pool.position(third)) == (1, 2)
    with pytest.raises(jobs.Busy, match="the server is busy"):
        pool.submit("d", "run d", "run_experiment", _scenario(), 3, 2)
    pool.cancel(second)
    assert pool.status(second).state == "cancelled"
    assert pool.position(third) == 1, "the queue moved up"


def test_cancel_ends_a_running_job_and_the_next_starts(pool):
    first = pool.submit("a", "run a", "run_experiment", _scenario(), 3, 500)
    _wait(pool, first, states=("running",))
    process = pool._jobs[first].process
    waiting = pool.submit("b", "run b", "run_experiment", _scenario(), 3, 2)
    pool.cancel(first)
    assert pool.status(first).state == "cancelled"
    assert not process.is_alive(), "the cancelled job's process still runs"
    assert _wait(pool, waiting).state == "done", pool.status(waiting).error


def test_bad_work_fails_with_one_line(pool):
    bad = logic.to_json(cohort_scenario()).replace('"horizon_months": 24', '"horizon_months": -1')
    job = _wait(pool, pool.submit("a", "run", "run_experiment", bad, 3, 2))
    assert job.state == "failed", job
    assert "horizon_months" in job.error, job.error
    assert "\n" not in job.error, job.error


OWNER = """
import sys, time
sys.path.insert(0, "tests")
from experiments.expkit import cohort_scenario
from sim.app import jobs, logic

if __name__ == "__main__":
    pool = jobs.Pool(1, 1)
    job = pool.submit("a", "run", "run_experiment", logic.to_json(cohort_scenario()), 1, 5000)
    while pool._jobs[job].process is None or pool.status(job).state != "running":
        time.sleep(0.1)
    print(pool._jobs[job].process.pid, flush=True)
    time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_run_dies_with_the_server(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    script = tmp_path / "owner.py"
    script.write_text(OWNER)
    owner = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    worker = int(owner.stdout.readline())
    assert _alive(worker), "the run did not start"
    os.kill(owner.pid, signal.SIGKILL)
    owner.wait()
    for _ in range(200):  # the fork server sees its parent gone, then the kernel ends the run
        if not _alive(worker):
            break
        time.sleep(0.1)
    else:
        os.kill(worker, signal.SIGKILL)
        pytest.fail(f"the run (pid {worker}) outlived the server killed with -9")
