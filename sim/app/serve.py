"""``rollout app``: start the Streamlit page, in this Python, with the server's settings.

Listen address, port, base path and upload limit go to Streamlit's own options; the
settings file itself is handed to the page (``ROLLOUT_APP_SETTINGS``) for the workers, the
queue and the plans folder. Telemetry is off and nothing is fetched from outside.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from ..experiments.engines import ask_to_die_with_parent
from ..scenario.keys import ScenarioError
from ..scenario.limits import MAX_FILE_BYTES
from .settings import ENVIRONMENT, Settings, read_settings

# Streamlit's upload limit, in megabytes (its default is 200): a scenario file's limit.
UPLOAD_LIMIT_MB = max(1, round(MAX_FILE_BYTES / 1_000_000))

PAGE = Path(__file__).with_name("page.py")


def command(port: int | None = None, settings: Settings | None = None) -> list[str]:
    """The command that serves the page on the settings' address and port (``port``, when
    given, wins), by default ``localhost:8501`` and nowhere else.
    """
    settings = settings or Settings()
    port = settings.port if port is None else port
    upload = max(UPLOAD_LIMIT_MB, settings.upload_limit_mb)
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(PAGE),
        "--server.address",
        settings.address,
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
        str(upload),
        "--server.baseUrlPath",
        settings.base_path,
        # Offline: no usage statistics, no fonts or pages fetched from outside.
        "--server.enableStaticServing",
        "false",
        # A defect's message on the page, never its stack trace (file paths, code).
        "--client.showErrorDetails",
        "none",
    ]


def serve(port: int | None = None, settings_file: str | None = None) -> int:
    """Run the app until Ctrl-C; the exit status of Streamlit.

    Raises
    ------
    BadInput
        The settings file is missing or wrong (one line per problem).
    """
    settings = read_settings(settings_file)
    if importlib.util.find_spec("streamlit") is None:
        raise ScenarioError(
            [
                "rollout app needs Streamlit, which is not installed: "
                "pip install -e '.[app]' (or pip install 'streamlit>=1.50')"
            ]
        )
    shown = settings.port if port is None else port
    where = f"http://{settings.address}:{shown}/{settings.base_path}".rstrip("/")
    print(f"rollout app: open {where} in a browser (Ctrl-C to stop)", flush=True)
    environment = dict(os.environ)
    if settings_file:
        environment[ENVIRONMENT] = str(Path(settings_file).resolve())
    try:
        return subprocess.call(
            command(port, settings), preexec_fn=end_with(os.getpid()), env=environment
        )
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
