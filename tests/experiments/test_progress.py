"""The progress bar: silent unless stderr is a terminal; draws done/total when it is."""

from __future__ import annotations

import io

from sim.outputs import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_silent_when_not_a_terminal(monkeypatch):
    monkeypatch.setattr(progress, "DELAY_SECONDS", 0.0)
    stream = io.StringIO()
    bar = progress.ProgressBar("rollout", stream)
    bar(0, 10)
    bar(5, 10)
    bar.close()
    assert stream.getvalue() == "", f"wrote {stream.getvalue()!r} to a non-terminal"


def test_draws_on_a_terminal_and_clears_the_line(monkeypatch):
    monkeypatch.setattr(progress, "DELAY_SECONDS", 0.0)
    stream = Terminal()
    bar = progress.ProgressBar("rollout", stream)
    bar(0, 10)
    bar(5, 10)
    text = stream.getvalue()
    assert "5/10 replications" in text, f"bar {text!r}"
    assert "#" * (progress.WIDTH // 2) + "." * (progress.WIDTH // 2) in text, f"bar {text!r}"
    bar.close()
    assert stream.getvalue().endswith("\r\033[K"), f"not cleared: {stream.getvalue()!r}"


def test_quick_runs_draw_nothing():
    stream = Terminal()
    bar = progress.ProgressBar("rollout", stream)  # DELAY_SECONDS as shipped
    bar(0, 10)
    bar(10, 10)
    bar.close()
    assert stream.getvalue() == "", f"a quick run drew {stream.getvalue()!r}"


def test_notes_are_said_on_a_terminal_or_not(monkeypatch):
    monkeypatch.setattr(progress, "DELAY_SECONDS", 0.0)
    plain = io.StringIO()
    progress.ProgressBar("rollout", plain).note("about 7 MB")
    assert plain.getvalue() == "rollout: about 7 MB\n", f"wrote {plain.getvalue()!r}"
    terminal = Terminal()
    bar = progress.ProgressBar("rollout", terminal)
    bar(1, 10)
    bar.note("about 7 MB")
    text = terminal.getvalue()
    assert text.endswith("\r\033[Krollout: about 7 MB\n"), f"bar not cleared first: {text!r}"
