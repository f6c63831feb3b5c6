"""What a planner meets on the way: one plain line for each mistake, naming what to change."""

from __future__ import annotations

import pytest
from conftest import REPO, run_main


def refused(args, tmp_path, monkeypatch, capsys):
    """``rollout ARGS`` refused: exit 2, one line on stderr, nothing written; the line."""
    monkeypatch.delenv("ROLLOUT_PLANS", raising=False)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run_main(args, tmp_path, monkeypatch, capsys)
    lines = err.strip().splitlines()
    assert code == 2, f"exit {code}: {out} {err}"
    assert len(lines) == 1, f"{len(lines)} lines: {err}"
    after = sorted(p.name for p in tmp_path.iterdir())
    assert after == before, f"written: {sorted(set(after) - set(before))}"
    return lines[0]


def test_compare_of_different_starts_names_the_dates_in_words(tmp_path, monkeypatch, capsys):
    line = refused(["compare", "camden", "havering", "--reps", "2"], tmp_path, monkeypatch, capsys)
    assert "camden 1 November 2015" in line, line
    assert "havering 1 April 2016" in line, line
    assert "coverage_m" not in line, f"a raw measure name: {line}"
    assert "--set scenario.start=2015-11-01" in line, f"no way out offered: {line}"
    assert "--variant" in line, f"no second way out offered: {line}"


@pytest.mark.parametrize("command", ["run", "calibrate"])
def test_a_missing_observed_file_names_the_flag(tmp_path, monkeypatch, capsys, command):
    args = [command, "camden", "--observed", "nosuch.csv", "--reps", "1"]
    line = refused(args, tmp_path, monkeypatch, capsys)
    assert "--observed nosuch.csv: no such file" in line, line


@pytest.mark.parametrize("name", ["CON", "nul", "Com1", "LPT9"])
def test_a_windows_device_name_is_refused_for_a_new_plan(tmp_path, monkeypatch, capsys, name):
    line = refused(["plans", "save", name, "camden"], tmp_path, monkeypatch, capsys)
    assert repr(name) in line, f"the name is not given back: {line}"
    assert "Windows" in line, f"no reason given: {line}"


def test_a_plan_saved_under_a_device_name_can_still_be_deleted(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("ROLLOUT_PLANS", raising=False)
    code, _, err = run_main(["plans", "save", "ours", "camden"], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    (tmp_path / "plans" / "ours.toml").rename(tmp_path / "plans" / "CON.toml")  # saved before
    code, out, err = run_main(["plans", "delete", "CON"], tmp_path, monkeypatch, capsys)
    assert code == 0, f"exit {code}: {err}"
    assert not (tmp_path / "plans" / "CON.toml").exists(), "the plan was not deleted"


def test_a_plans_attached_figures_are_calibrated_without_naming_the_file(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.delenv("ROLLOUT_PLANS", raising=False)
    example = REPO / "docs" / "examples" / "observed.csv"
    (tmp_path / "seen.csv").write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    save = ["plans", "save", "p", "camden", "--observed", "seen.csv"]
    code, _, err = run_main(save, tmp_path, monkeypatch, capsys)
    assert code == 0, err
    code, out, err = run_main(["run", "plan:p", "--reps", "2"], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    commands = [line.strip() for line in out.splitlines() if "rollout calibrate" in line]
    assert commands == ["rollout calibrate plan:p"], f"calibrate offered as {commands}"


def test_a_deleted_plan_says_where_its_copy_is(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("ROLLOUT_PLANS", raising=False)
    for args in (["plans", "save", "p", "camden"], ["plans", "delete", "p"]):
        code, _, err = run_main(args, tmp_path, monkeypatch, capsys)
        assert code == 0, f"{args}: {err}"
    (kept,) = (tmp_path / "plans" / "previous").iterdir()
    for args in (["run", "plan:p", "--reps", "1"], ["plans", "delete", "p"]):
        line = refused(args, tmp_path, monkeypatch, capsys)
        assert "'p' was deleted" in line, line
        assert kept.name in line, f"the copy {kept.name} is not named: {line}"
    line = refused(["run", "plan:q", "--reps", "1"], tmp_path, monkeypatch, capsys)
    assert "deleted" not in line, f"a plan never saved called deleted: {line}"
