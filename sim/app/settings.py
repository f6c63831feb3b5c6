"""The app server's settings: one TOML file (``rollout app --settings FILE``).

Every key is optional; each has a default that suits one planner on a laptop::

    address = "127.0.0.1"          # where the server listens (a reverse proxy in front)
    port = 8501
    base_path = ""                 # e.g. "rollout" when served at https://host/rollout/
    workers = 1                    # runs at once, server-wide (one process each)
    queue = 8                      # runs waiting beyond those; more are refused politely
    upload_limit_mb = 2            # largest file a planner may upload
    plans = "/var/lib/rollout/plans"   # default: $ROLLOUT_PLANS, else ./plans

A problem is one line naming the file, the key and what was expected (:class:`BadInput`).
``rollout app`` hands the file to the page in :data:`ENVIRONMENT`, so every session of the
server reads the same settings.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from ..scenario.keys import BadInput

ENVIRONMENT = "ROLLOUT_APP_SETTINGS"
_BASE = re.compile(r"[A-Za-z0-9_\-]+(?:/[A-Za-z0-9_\-]+)*")
_ADDRESS = re.compile(r"[A-Za-z0-9.:\-\[\]]+")


@dataclass(frozen=True)
class Settings:
    """What the server runs with (see the module's docstring for each key)."""

    address: str = "localhost"
    port: int = 8501
    base_path: str = ""
    workers: int = 1
    queue: int = 8
    upload_limit_mb: int = 2
    plans: str = ""

    def plans_folder(self) -> Path:
        """The plans folder: this file's, else ``$ROLLOUT_PLANS``, else ``./plans``."""
        from ..scenario.plans import plans_folder

        return plans_folder(Path(self.plans) if self.plans else None)


RANGES = {"port": (1, 65535), "workers": (1, 64), "queue": (0, 1000), "upload_limit_mb": (1, 200)}


def read_settings(path: str | Path | None) -> Settings:
    """The settings in ``path`` (defaults for what it leaves out; all defaults for None)."""
    if path is None:
        return Settings()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise BadInput([f"{path}: no such settings file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput([f"{path}: cannot read the settings file ({exc})"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInput([f"{path}: not TOML ({exc})"]) from None
    return settings_from(data, str(path))


def settings_from(data: dict, source: str) -> Settings:
    """Settings from plain data, every problem at once, one line each."""
    known = {f.name: f for f in fields(Settings)}
    problems = [
        f"{source}: {key}: unknown setting (settings: {', '.join(known)})"
        for key in data
        if key not in known
    ]
    values = {}
    for key, value in data.items():
        if key not in known:
            continue
        if key in RANGES:
            low, high = RANGES[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                problems.append(
                    f"{source}: {key}: expected a whole number from {low} to {high}, got {value!r}"
                )
                continue
        elif not isinstance(value, str):
            problems.append(f"{source}: {key}: expected text in quotes, got {value!r}")
            continue
        if key == "base_path":
            value = value.strip("/")
            if value and not _BASE.fullmatch(value):
                problems.append(
                    f'{source}: base_path: expected a path like "rollout" (letters, digits, '
                    f"- _ and /), got {value!r}"
                )
                continue
        if key == "address" and not _ADDRESS.fullmatch(value):
            problems.append(f"{source}: address: expected a host name or IP address, got {value!r}")
            continue
        values[key] = value
    if problems:
        raise BadInput(problems)
    return Settings(**values)


def current() -> Settings:
    """The server's settings: the file named in :data:`ENVIRONMENT`, else the defaults."""
    named = os.environ.get(ENVIRONMENT, "").strip()
    return read_settings(named) if named else Settings()
