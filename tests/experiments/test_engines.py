"""Engines: the batches run on this machine's processes or on a Dask cluster, with the same
bytes; a Dask run resumes like any other; a lost Dask worker's batch is run again; local
workers die with their parent; bad engine arguments are bad input.

The Dask tests share one real ``LocalCluster`` of two worker processes, reached by its
address as an existing cluster would be (``--scheduler``); one command starts its own
(``--dask``). Scenarios are small (:func:`expkit.cohort_scenario`) so that the whole file
takes seconds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO
from conftest import run_main as call
from expkit import cohort_scenario, files

from sim import experiments
from sim.experiments.engines import Engine
from sim.experiments.targets import Target

distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as running:
        yield running


@pytest.fixture(scope="module")
def dask(cluster) -> Engine:
    return Engine("dask", cluster.scheduler_address)


def _sweep(folder: Path, horizon_months: int = 12, **kwargs):
    return experiments.sweep(
        cohort_scenario(4, horizon_months=horizon_months),
        {"programme.foundation.cohort_size": [2, 6], "practice.uptake": [0.5, 1.0]},
        metric="coverage_horizon",
        target=Target("coverage_horizon", ">=", 0.3),
        reps=4,
        seed=2,
        out=folder,
        **kwargs,
    )


def _same_results(a: Path, b: Path) -> None:
    left, right = files(a), files(b)
    assert sorted(left) == sorted(right), f"files {sorted(left)} vs {sorted(right)}"
    for name in left:
        if name != "manifest.json":
            assert left[name] == right[name], f"{name} differs between {a.name} and {b.name}"


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory):
    folder = tmp_path_factory.mktemp("local") / "one"
    _sweep(folder, workers=1)
    return folder


def test_dask_cluster_gives_the_bytes_of_one_worker(one_worker, dask, tmp_path):
    result = _sweep(tmp_path / "dask", engine=dask)
    _same_results(one_worker, result.folder)
    manifest = json.loads((result.folder / "manifest.json").read_text())
    engine = manifest["engine"]
    assert engine["engine"] == "dask", f"engine {engine}"
    assert engine["cluster"] == "existing", f"engine {engine}"
    assert engine["scheduler"] == dask.scheduler, f"scheduler {engine['scheduler']}"
    assert manifest["workers"] == 2, f"workers {manifest['workers']}"


def test_interrupted_dask_run_resumes_to_the_same_bytes(dask, tmp_path):
    # Replications long enough (50 years) that the cluster rarely finishes all 16 batches
    # while this process saves the first two and stops, so the resume has work to do: with
    # a year's horizon the faster model often finished them all.
    horizon = 600
    whole = _sweep(tmp_path / "whole", horizon, workers=1).folder
    calls = {"n": -1}  # the first call reports the work already done, before any batch

    def stop_after_two(done: int, total: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt

    folder = tmp_path / "part"
    with pytest.raises(experiments.Interrupted):
        _sweep(folder, horizon, engine=dask, progress=stop_after_two)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "interrupted", f"status {manifest['status']}"
    saved = sorted(p.name for p in (folder / "batches").glob("*.summary.csv"))
    # The batches in flight when Ctrl-C lands are finished and kept; on a fast model that
    # can be all of them. What must hold: the ones done before the stop are saved.
    assert 2 <= len(saved) <= 16, f"batches saved before the stop: {saved}"
    seen: list[int] = []
    _sweep(folder, horizon, engine=dask, resume=True, progress=lambda d, t: seen.append(d))
    assert seen[0] >= 2 * 1, f"resumed from {seen[0]} replications: saved batches were rerun"
    _same_results(whole, folder)


def test_a_lost_worker_s_batches_run_again(dask, cluster, tmp_path):
    scenario = cohort_scenario(4)
    whole = experiments.run(scenario, reps=24, seed=5, workers=1, out=tmp_path / "whole")
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        pids = client.run(os.getpid)
    killed: list[int] = []

    def kill_one_worker(done: int, total: int) -> None:
        if done > 0 and not killed:  # one batch saved: the other worker is mid-batch
            victim = next(iter(pids.values()))
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    lost = experiments.run(
        scenario, reps=24, seed=5, engine=dask, out=tmp_path / "lost", progress=kill_one_worker
    )
    assert killed, "no worker was killed: the run finished before its first batch was saved"
    _same_results(whole.folder, lost.folder)
    status = json.loads((lost.folder / "manifest.json").read_text())["status"]
    assert status == "complete", f"status {status}"


def test_dask_command_starts_a_local_cluster_with_the_same_bytes(tmp_path, monkeypatch, capsys):
    small = ["--set", "scenario.horizon_months=24", "--reps", "6", "--seed", "3"]
    code, _, err = call(
        ["run", "camden", *small, "--workers", "1", "--out", "one"], tmp_path, monkeypatch, capsys
    )
    assert code == 0, f"exit {code}; stderr {err}"
    code, _, err = call(
        ["run", "camden", *small, "--dask", "--workers", "2", "--out", "dask"],
        tmp_path,
        monkeypatch,
        capsys,
    )
    assert code == 0, f"exit {code}; stderr {err}"
    for name in ("timeseries.csv", "summary.csv", "summary_stats.csv", "bands.csv"):
        same = (tmp_path / "one" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes()
        assert same, f"{name} differs between --workers 1 and --dask"
    engine = json.loads((tmp_path / "dask" / "manifest.json").read_text())["engine"]
    assert engine["cluster"] == "local", f"engine {engine}"
    assert engine["workers"] == 2, f"engine {engine}"


BAD = {
    "dask-and-scheduler": (["--dask", "--scheduler", "tcp://127.0.0.1:8786"], "--dask and"),
    "workers-with-scheduler": (
        ["--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"],
        "--workers 2 and --scheduler",
    ),
    # Nothing listens on port 1: refused until the connection times out.
    "unreachable-scheduler": (["--scheduler", "tcp://127.0.0.1:1"], "cannot connect within"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_engine_arguments_exit_2_and_write_nothing(case, tmp_path, monkeypatch, capsys):
    extra, fragment = BAD[case]
    args = ["run", "camden", "--reps", "2", *extra]
    code, out, err = call(args, tmp_path, monkeypatch, capsys)
    assert code == 2, f"exit {code}; stderr {err!r}"
    lines = err.splitlines()
    assert len(lines) == 1, f"stderr lines {lines}"
    assert lines[0].startswith("rollout: "), f"stderr lines {lines}"
    assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"
    assert out == "", f"stdout {out!r}"
    assert list(tmp_path.iterdir()) == [], f"written: {list(tmp_path.iterdir())}"


# --------------------------------------------------------------------------- local pool


def _children(pid: int) -> set[int]:
    """Living (not zombie) processes whose parent is ``pid``, from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
def test_local_workers_die_with_their_parent(tmp_path):
    out = tmp_path / "r"
    command = [sys.executable, str(REPO / "cli.py"), "run", "camden", "--reps", "400"]
    parent = subprocess.Popen(
        [*command, "--workers", "2", "--out", str(out)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not list(out.glob("batches/*.summary.csv")):
            assert parent.poll() is None, f"the run ended early with exit {parent.returncode}"
            time.sleep(0.1)
        workers = _children(parent.pid)
        assert len(workers) >= 2, f"worker processes of the run: {sorted(workers)}"
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        saved = len(list(out.glob("batches/*.summary.csv")))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in workers):
            time.sleep(0.1)
        left = sorted(p for p in workers if _alive(p))
        assert not left, f"worker processes still running 10 s after kill -9: {left}"
        time.sleep(1)
        after = len(list(out.glob("batches/*.summary.csv")))
        assert after == saved, f"batches saved after the kill: {saved} then {after}"
    finally:
        for pid in _children(parent.pid):  # only if the test failed: leave nothing behind
            os.kill(pid, signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()


# --------------------------------------------------------------------------- checks


class _FakeClient:
    """Stands in for a distributed.Client whose workers answer ``run`` with ``answer``."""

    def __init__(self, answer):
        self.answer = answer

    def run(self, function):
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_workers_with_other_versions_are_named():
    from sim.experiments import engines

    ours = engines._versions()
    theirs = {**ours, "numpy": "1.0.0"}
    found = engines._version_problems(_FakeClient({"tcp://w1:1": ours, "tcp://w2:2": theirs}))
    assert "numpy" in found, f"problem {found!r}"
    assert "1.0.0 on tcp://w2:2" in found, f"problem {found!r}"
    assert "tcp://w1:1" not in found, f"a matching worker named: {found!r}"
    assert engines._version_problems(_FakeClient({"tcp://w1:1": ours})) == "", "same versions"
    missing = engines._version_problems(_FakeClient(ModuleNotFoundError("No module named 'sim'")))
    assert "cannot run rollout" in missing, f"problem {missing!r}"
    assert "wheel" in missing, f"problem {missing!r}"
