"""The one atomic writer: normal permissions, never over a file unless asked; plans use it."""

from __future__ import annotations

import os
import stat

import pytest

from sim.scenario.files import write_atomic
from sim.scenario.keys import BadInput
from sim.scenario.loading import resolve_scenario
from sim.scenario.plans import read_plan, save_plan


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_written_file_has_the_umask_permissions(tmp_path, umask_022):
    path = write_atomic(tmp_path / "a.txt", "x\n", replace=False)
    assert mode(path) == 0o644, f"mode {oct(mode(path))}, not 0644 (0666 less umask 022)"


def test_no_replace_leaves_an_existing_file_alone(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_atomic(path, "new", replace=False)
    assert path.read_text(encoding="utf-8") == "old", "the existing file was overwritten"


def test_replace_overwrites_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old", encoding="utf-8")
    write_atomic(path, "new", replace=True)
    assert path.read_text(encoding="utf-8") == "new", "replace did not write the new text"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"], "a temporary file is left"


def test_plan_files_are_readable_by_others(tmp_path, umask_022):
    text = resolve_scenario("camden").read_text(encoding="utf-8")
    observed = "date,measure,value,sd\n2017-03-31,coverage,0.1,0.05\n"
    plan = save_plan(tmp_path, "p", text, "a", observed_text=observed)
    attached = tmp_path / "p.observed.csv"
    assert mode(attached) == 0o644, f"observed file mode {oct(mode(attached))}"
    assert mode(plan.path) == 0o644, f"plan file mode {oct(mode(plan.path))}"


def test_saved_by_nobody_is_unknown(tmp_path):
    text = resolve_scenario("camden").read_text(encoding="utf-8")
    save_plan(tmp_path, "p", text, None)
    plan, _ = read_plan(tmp_path, "p")
    assert plan.saved_by == "unknown", f"saved by {plan.saved_by!r}"


def test_unreadable_old_observed_is_one_line(tmp_path):
    text = resolve_scenario("camden").read_text(encoding="utf-8")
    save_plan(tmp_path, "p", text, "a")
    (tmp_path / "p.observed.csv").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(BadInput) as caught:
        save_plan(tmp_path, "p", text, "b", replace=True)
    assert len(caught.value.lines) == 1, f"lines: {caught.value.lines}"
    assert "'p'" in caught.value.lines[0], f"the plan is not named: {caught.value.lines}"


def test_writing_never_sets_the_umask(tmp_path, umask_022, monkeypatch):
    # Setting the umask to read it races with other threads' new files (the app's server).
    def no_umask(mask):
        raise AssertionError(f"os.umask({oct(mask)}) called while writing")

    monkeypatch.setattr(os, "umask", no_umask)
    path = write_atomic(tmp_path / "a.txt", "x\n", replace=True)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "x\n", "the text was not written"
    assert mode(path) == 0o644, f"mode {oct(mode(path))}, not 0644 (0666 less umask 022)"


def test_writers_in_threads_each_get_their_file(tmp_path, umask_022):
    from concurrent.futures import ThreadPoolExecutor

    def write(i):
        return write_atomic(tmp_path / f"{i}.txt", f"{i}\n", replace=False)

    with ThreadPoolExecutor(8) as pool:
        paths = list(pool.map(write, range(40)))
    texts = {p.read_text(encoding="utf-8") for p in paths}
    assert texts == {f"{i}\n" for i in range(40)}, "a thread's text is missing or mixed"
    assert {mode(p) for p in paths} == {0o644}, f"modes {sorted({oct(mode(p)) for p in paths})}"
    assert len(list(tmp_path.iterdir())) == 40, "temporary files are left behind"
