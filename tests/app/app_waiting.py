"""Waiting for a background run in AppTest: the page polls its job on every run of the
script, so the test runs the script again until the session has no job under way.
"""

from __future__ import annotations

import time

POLL = 0.5  # seconds between runs of the script while a job is under way


def under_way(app) -> bool:
    """Whether the session has a job queued or running."""
    try:
        return bool(app.session_state["jobs"])
    except KeyError:
        return False


def until_done(app, timeout: float = 300.0):
    """Run the script until no job is under way (or ``timeout`` seconds pass); the app."""
    deadline = time.monotonic() + timeout
    while under_way(app) and time.monotonic() < deadline:
        time.sleep(POLL)
        app.run()
    assert not under_way(app), f"a job was still under way after {timeout} s"
    return app
