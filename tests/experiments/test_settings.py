"""Run settings travel whole: what the command layer puts in a RunSettings reaches the run
folder's manifest and the resume hint unchanged, and library errors name parameters that
the command layer turns into flags.
"""

from __future__ import annotations

import json
import shlex

import pytest
from expkit import cohort_scenario

from sim import experiments
from sim.commands.flags import Stopped, flag_lines, resume_hint
from sim.commands.work import carry_out
from sim.experiments.settings import RunSettings
from sim.scenario.keys import BadArgument, BadInput, ScenarioError


def _stopping_run(scenario, settings):
    """experiments.run, stopped by Ctrl-C once its first batch is saved."""
    inner = settings.progress

    def progress(done: int, total: int) -> None:
        inner(done, total)
        if done > 0:
            raise KeyboardInterrupt

    return experiments.run(scenario, settings.but(progress=progress))


def test_settings_reach_the_manifest_and_the_resume_hint(tmp_path):
    folder = tmp_path / "run"
    command = ("rollout", "run", "mine.toml", "--seed", "5", "--out", str(folder))
    chosen = RunSettings(
        reps=120,
        seed=5,
        workers=1,
        out=folder,
        command=command,
        scenario_file="mine.toml",
        overrides=("champions.target=3",),
    )
    with pytest.raises(Stopped) as stopped:
        carry_out(_stopping_run, cohort_scenario(4), settings=chosen)
    said = "\n".join(stopped.value.lines)
    hint = f"rollout run mine.toml --seed 5 --resume {folder}"
    assert hint in said, f"resume hint not in {said!r}"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    seen = {k: manifest[k] for k in ("status", "command", "scenario_file", "overrides", "seed")}
    assert seen == {
        "status": "interrupted",
        "command": list(command),
        "scenario_file": "mine.toml",
        "overrides": ["champions.target=3"],
        "seed": 5,
    }, f"manifest holds {seen}"
    assert manifest["reps"] == 120, f"manifest reps {manifest['reps']}"


def test_resume_hint_drops_out_and_resume_whatever_their_form(tmp_path):
    command = ["rollout", "compare", "a", "--out=x", "--resume", "y", "--reps", "3"]
    hint = resume_hint(command, tmp_path)
    assert hint == f"rollout compare a --reps 3 --resume {tmp_path}", hint


def test_library_errors_name_parameters_and_the_command_layer_names_flags():
    with pytest.raises(BadArgument) as caught:
        experiments.sweep(cohort_scenario(4), {"champions.target": [2, 3]}, metric="nosuch")
    line = caught.value.lines[0]
    assert line.startswith("metric nosuch: unknown measure"), line
    flagged = flag_lines(caught.value)[0]
    assert flagged.startswith("--metric nosuch: unknown measure"), flagged


def test_bad_input_is_one_class_and_scenario_errors_are_a_kind_of_it():
    assert issubclass(ScenarioError, BadInput)
    assert issubclass(BadArgument, BadInput)
    assert not issubclass(BadInput, ScenarioError), "a flag mistake is no scenario error"


def test_settings_are_frozen_and_changed_by_copy():
    first = RunSettings(reps=3)
    second = first.but(reps=4)
    assert (first.reps, second.reps) == (3, 4), f"reps {first.reps}, {second.reps}"
    with pytest.raises(AttributeError):
        first.reps = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        experiments.run(cohort_scenario(4), repz=3)


def test_one_run_in_the_public_api():
    import sim

    assert sim.run is experiments.run, "sim.run and experiments.run differ"


def test_resume_hint_is_read_by_a_shell_as_the_words_given(tmp_path):
    # A target holds '>', which an unquoted shell takes for a redirection; a folder may hold
    # a space. Split as a shell splits it, the hint gives back exactly the words.
    folder = tmp_path / "my runs"
    command = ["rollout", "sweep", "camden", "--target", "coverage_m36>=0.6", "--out", "x"]
    hint = resume_hint(command, folder)
    assert shlex.split(hint) == [
        "rollout",
        "sweep",
        "camden",
        "--target",
        "coverage_m36>=0.6",
        "--resume",
        str(folder),
    ], hint
    assert "'coverage_m36>=0.6'" in hint, f"the target is not quoted: {hint}"
