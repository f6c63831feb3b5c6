"""What ``rollout optimise`` offers and shows: no ``--format`` (its tables are small and
always CSV), the choice's own stage on the terminal once the search's bar is full, and a
Ctrl-C during the choice that stops cleanly and resumes to the same files.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex

import optkit
import pytest
from conftest import run_main

from sim.outputs import progress as progress_module
from sim.outputs.progress import ProgressBar, Tally

TARGET = "coverage_horizon>=0.2"


def _tiny(path, out, *more):
    return [
        "optimise",
        str(path),
        "--lever",
        optkit.LEVERS[0],
        "--lever",
        optkit.LEVERS[1],
        "--target",
        TARGET,
        "--probability",
        "0.6",
        "--budget",
        "4",
        "--reps",
        "3",
        "--workers",
        "1",
        "--indifference",
        "100",
        "--out",
        str(out),
        *more,
    ]


class Terminal(io.StringIO):
    """A stream that says it is a terminal, so the progress lines are drawn into it."""

    def isatty(self) -> bool:
        return True


# --------------------------------------------------------------------------- --format


def test_optimise_offers_no_format(tmp_path, monkeypatch, capsys):
    path = optkit.small_file(tmp_path)
    args = _tiny(path, tmp_path / "never", "--format", "parquet")
    code, _, err = run_main(args, tmp_path, monkeypatch, capsys)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert "No such option '--format'" in lines[0], lines[0]
    assert not (tmp_path / "never").exists(), "no folder made"
    assert not (tmp_path / "outputs").exists(), "nothing written under outputs/"


def test_the_help_of_optimise_names_no_format_and_the_others_keep_it(tmp_path, monkeypatch, capsys):
    code, out, err = run_main(["optimise", "--help"], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    assert "--format" not in out, "optimise does not offer --format"
    for flag in ("--reps", "--seed", "--out", "--workers", "--resume", "--dask", "--scheduler"):
        assert flag in out, f"optimise keeps {flag}"
    code, out, err = run_main(["run", "--help"], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    assert "--format" in out, "run still offers --format"


# --------------------------------------------------------------------------- the stage


def test_a_stage_after_a_drawn_bar_shows_at_once_with_its_count():
    stream = Terminal()
    bar = ProgressBar("rollout searching", stream=stream)
    bar.drawn = True  # as a bar drawn during a long search is
    tally = Tally("rollout", "choosing among 5 plans on fresh futures", stream=stream, after=bar)
    tally(120)
    text = stream.getvalue()
    assert "rollout choosing among 5 plans on fresh futures: 120 futures run" in text, text
    tally.close()
    assert stream.getvalue().endswith("\r\033[K"), "the stage's line is cleared at the end"


def test_a_stage_after_a_quick_bar_waits_like_the_bar(monkeypatch):
    stream = Terminal()
    bar = ProgressBar("rollout searching", stream=stream)  # began now, nothing drawn
    tally = Tally("rollout", "choosing", stream=stream, after=bar)
    tally(10)
    assert stream.getvalue() == "", "a run that ends within the delay draws nothing"
    monkeypatch.setattr(progress_module, "DELAY_SECONDS", 0.0)
    tally(20)
    assert "choosing: 20 futures run" in stream.getvalue(), stream.getvalue()


def test_a_stage_draws_nothing_off_a_terminal():
    stream = io.StringIO()
    bar = ProgressBar("rollout searching", stream=stream)
    bar.drawn = True
    tally = Tally("rollout", "choosing", stream=stream, after=bar)
    tally(5)
    tally.close()
    assert stream.getvalue() == "", "logs and pipes stay clean"


def test_the_choice_count_carries_on_across_blocks(monkeypatch):
    from sim.commands import interrupts
    from sim.commands.optimise import _counted

    seen = []
    monkeypatch.setattr(interrupts, "_interrupted", False)
    progress = _counted(seen.append)
    for done, total in [(0, 10), (4, 10), (10, 10), (0, 6), (6, 6), (0, 2), (2, 2)]:
        progress(done, total)
    assert seen == [0, 4, 10, 10, 16, 16, 18], seen


def test_the_choice_progress_honours_a_ctrl_c(monkeypatch):
    from sim.commands import interrupts
    from sim.commands.optimise import _counted

    seen = []
    progress = _counted(seen.append)
    monkeypatch.setattr(interrupts, "_interrupted", True)  # a Ctrl-C a library lost
    with pytest.raises(KeyboardInterrupt):
        progress(3, 10)
    assert seen == [], "stopped before drawing"


def _as_a_shell_reads(line: str) -> list[str]:
    """The words of a command line as a shell splits them: ``>`` and ``<`` unquoted are
    redirections (separate tokens), quoted they are part of a word.
    """
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    return list(lexer)


def _main(args, folder, monkeypatch):
    """``rollout ARGS`` in this process with a terminal for stderr: (code, out, err)."""
    import cli

    err, out = Terminal(), io.StringIO()
    monkeypatch.chdir(folder)
    monkeypatch.setattr("sys.argv", ["rollout", *args])
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.main()
        except SystemExit as stop:
            code = stop.code or 0
    return code, out.getvalue(), err.getvalue()


def test_the_terminal_shows_the_choice_after_the_full_bar(tmp_path, monkeypatch):
    monkeypatch.setattr(progress_module, "DELAY_SECONDS", 0.0)  # draw from the start
    path = optkit.small_file(tmp_path)
    code, out, err = _main(_tiny(path, tmp_path / "run"), tmp_path, monkeypatch)
    assert code == 0, err
    frames = [f for f in re.split(r"[\r\n]", err) if f.strip() and f != "\033[K"]
    searching = [i for i, f in enumerate(frames) if f.startswith("rollout searching [")]
    choosing = [i for i, f in enumerate(frames) if f.startswith("rollout choosing among")]
    assert searching, f"the search's bar is drawn: {frames}"
    assert choosing, f"the choice's stage is drawn: {frames}"
    assert max(searching) < min(choosing), "no bar is drawn once the choice has begun"
    assert "12/12 replications" in frames[max(searching)], "the bar ends full (4 plans × 3)"
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    counts = [
        int(re.search(r": ([\d,]+) futures run", f).group(1).replace(",", ""))
        for f in (frames[i] for i in choosing)
    ]
    assert counts == sorted(counts), f"the count only grows: {counts}"
    assert counts[-1] == manifest["selection_futures"], (counts[-1], manifest)
    assert err.endswith("\r\033[K"), "the last line is cleared before the results print"


# --------------------------------------------------------------------------- Ctrl-C


def test_a_ctrl_c_during_the_choice_stops_and_resumes(tmp_path, monkeypatch, capsys):
    import sim.optimise.choose as choose_module

    path = optkit.small_file(tmp_path)
    code, _, err = run_main(_tiny(path, tmp_path / "unbroken"), tmp_path, monkeypatch, capsys)
    assert code == 0, err

    real = choose_module.run_futures

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the choice's first block

    monkeypatch.setattr(choose_module, "run_futures", killed)
    broken = _tiny(path, tmp_path / "broken")
    code, out, err = run_main(broken, tmp_path, monkeypatch, capsys)
    assert code == 130, err
    assert "interrupted while choosing" in err, err
    assert "--resume" in err, "says how to carry on"
    assert "Traceback" not in err, err
    manifest = json.loads((tmp_path / "broken" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "interrupted", manifest["status"]
    assert not (tmp_path / "broken" / "choice.md").exists(), "no choice written half-way"

    # The printed command, read as a shell reads it (the target's ">" quoted), resumes.
    lines = err.splitlines()
    hint = _as_a_shell_reads(lines[lines.index("rollout: to carry on:") + 1])
    i = broken.index("--out")
    assert hint == ["rollout", *broken[:i], *broken[i + 2 :], "--resume", broken[i + 1]], hint
    monkeypatch.setattr(choose_module, "run_futures", real)
    before = (tmp_path / "broken" / "manifest.json").read_bytes()
    code, _, err = run_main([*hint[1:], "--pcs", "0.9"], tmp_path, monkeypatch, capsys)
    assert code == 2, err
    assert "made by a different command" in err, err
    assert "--pcs" in err, "the refusal names every flag the search depends on"
    assert (tmp_path / "broken" / "manifest.json").read_bytes() == before, "nothing written"
    code, _, err = run_main(hint[1:], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    for name in ("candidates.csv", "front.csv", "choice.md"):
        one = (tmp_path / "unbroken" / name).read_bytes()
        two = (tmp_path / "broken" / name).read_bytes()
        assert one == two, f"{name}: the resumed run's is the unbroken one's, byte for byte"
