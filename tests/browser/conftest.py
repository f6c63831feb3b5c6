"""Headless Chromium (Debian's, never a downloaded one) driven by Playwright, and the web app
served on a free localhost port for the browser tests.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(os.environ.get("ROLLOUT_SCREENSHOTS", "/tmp"))


def _missing() -> str | None:
    try:
        import playwright  # noqa: F401
        import streamlit  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed (pip install -e '.[test]')"
    if not Path(CHROMIUM).is_file():
        return "Chromium is not installed (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def browser():
    why = _missing()
    if why:
        if os.environ.get("ROLLOUT_REQUIRE_BROWSER"):
            pytest.fail(f"browser tests required but {why}")
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A new page that records console errors, requests and dialogs."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.console_errors = []
    tab.requests = []
    tab.dialogs = []
    tab.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    tab.on("request", lambda r: tab.requests.append(r.url))
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    yield tab
    context.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def plans_folder(tmp_path_factory) -> Path:
    """The app server's plans folder (empty when the server starts)."""
    return tmp_path_factory.mktemp("plans")


@pytest.fixture(scope="session")
def app_url(browser, tmp_path_factory, plans_folder):
    """``rollout app --settings FILE``'s command on a free port, in its own process, with
    two workers and the session's plans folder; its URL.
    """
    from sim.app.serve import command
    from sim.app.settings import ENVIRONMENT, read_settings

    port = _free_port()
    folder = tmp_path_factory.mktemp("app")
    log = folder / "streamlit.log"
    settings = folder / "settings.toml"
    settings.write_text(f'port = {port}\nworkers = 2\nqueue = 8\nplans = "{plans_folder}"\n')
    environment = {**os.environ, ENVIRONMENT: str(settings)}
    with open(log, "wb") as out:
        server = subprocess.Popen(
            command(None, read_settings(settings)),
            stdout=out,
            stderr=subprocess.STDOUT,
            env=environment,
        )
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the app did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
