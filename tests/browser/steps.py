"""Steps a planner takes on the page, written to survive Streamlit's reruns.

Every input the app takes starts a rerun; a click on a tab that lands while that rerun is
redrawing the page can be lost (the tab stays as it was). So a tab is clicked until what it
holds is on screen, within the wait given, rather than once.
"""

from __future__ import annotations

import time

from playwright.sync_api import expect

RETRY_MS = 10_000  # how long one click is given to show its tab before it is clicked again


def set_number(page, name: str, value: int) -> None:
    """Type a value into a number box and wait until the box holds it."""
    box = page.get_by_role("spinbutton", name=name)
    box.fill(str(value))
    box.press("Enter")
    expect(box).to_have_value(str(value))


def open_tab(page, name: str, shows, wait_ms: int) -> None:
    """Click the tab called `name` until `shows` (a locator inside it) is visible."""
    deadline = time.monotonic() + wait_ms / 1000
    while True:
        page.get_by_role("tab", name=name).click()
        try:
            expect(shows).to_be_visible(timeout=RETRY_MS)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
