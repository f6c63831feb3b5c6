"""``rollout app``: start the Streamlit page on localhost, in this Python."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from ..experiments.engines import ask_to_die_with_parent
from ..scenario.keys import ScenarioError
from ..scenario.limits import MAX_FILE_BYTES

# Streamlit's upload limit, in megabytes (its default is 200): a scenario file's limit.
UPLOAD_LIMIT_MB = max(1, round(MAX_FILE_BYTES / 1_000_000))

PAGE = Path(__file__).with_name("page.py")


def command(port: int) -> list[str]:
    """The command that serves the page on ``localhost:port`` and nowhere else."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(PAGE),
        "--server.address",
        "localhost",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
        "--server.fileWatcherType",
        "none",
        "--client.toolbarMode",
        "viewer",
        "--server.maxUploadSize",
        str(UPLOAD_LIMIT_MB),
        # A defect's message on the page, never its stack trace (file paths, code).
        "--client.showErrorDetails",
        "none",
    ]


def serve(port: int) -> int:
    """Run the app until Ctrl-C; the exit status of Streamlit."""
    if importlib.util.find_spec("streamlit") is None:
        raise ScenarioError(
            [
                "rollout app needs Streamlit, which is not installed: "
                "pip install -e '.[app]' (or pip install 'streamlit>=1.50')"
            ]
        )
    print(f"rollout app: open http://localhost:{port} in a browser (Ctrl-C to stop)", flush=True)
    try:
        return subprocess.call(command(port), preexec_fn=end_with(os.getpid()))
    except KeyboardInterrupt:
        return 130


def end_with(parent: int):
    """What the Streamlit process runs before it starts: it asks to be killed when
    ``rollout app`` (``parent``) dies, however that dies, so no server is left holding the
    port; and if the parent died before the request was made, it ends at once.
    """

    def before_start() -> None:
        ask_to_die_with_parent()
        if os.getppid() != parent:
            os._exit(1)

    return before_start
