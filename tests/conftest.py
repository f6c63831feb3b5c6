"""Shared test helpers: small scenarios built in code, changed by dotted keys."""

from __future__ import annotations

import copy
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sim.scenario import Scenario, bundled_dir, set_by_path, validate

REPO = Path(__file__).resolve().parent.parent


def base_data() -> dict[str, Any]:
    """A tiny valid scenario: one team of a supervisor and four workers, no programme."""
    return {
        "scenario": {"name": "tiny", "start": date(2020, 1, 1), "horizon_months": 24},
        "workforce": {
            "supervisor_role": "supervisor",
            "roles": {
                "supervisor": {"posts": 1, "turnover": 0.0, "team_member": False},
                "worker": {"posts": 4, "turnover": 0.0, "team_member": True},
            },
        },
        "practice": {"uptake": 1.0, "half_life_months": 12.0, "threshold": 0.5},
        "programme": {"phases": []},
    }


def make_scenario(data: dict[str, Any] | None = None, **changes: Any) -> Scenario:
    """A validated scenario from ``data`` (default: :func:`base_data`) with dotted changes.

    Keyword names use ``__`` for dots: ``make_scenario(champions__target=3)``.
    """
    data = copy.deepcopy(data if data is not None else base_data())
    for key, value in changes.items():
        set_by_path(data, key.replace("__", "."), value, "<test>")
    return validate(data, "<test>")


def run_main(args: list[str], cwd: Path, monkeypatch, capsys) -> tuple[int, str, str]:
    """``rollout ARGS`` in this process from ``cwd``, as the installed script runs it.

    Returns the exit status (0 when ``main`` returns), stdout and stderr.
    """
    import cli

    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "argv", ["rollout", *args])
    code = 0
    try:
        cli.main()
    except SystemExit as stop:
        code = stop.code or 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_phase(start: date, end: date, supplies: list[str]) -> list[dict[str, Any]]:
    return [{"name": "Phase 1", "start": start, "end": end, "supplies": supplies}]


@pytest.fixture
def tiny() -> Scenario:
    return make_scenario()


@pytest.fixture(scope="session")
def camden_path() -> Path:
    """The bundled Camden scenario, as the package ships it (what ``rollout run camden`` runs)."""
    return bundled_dir() / "camden.toml"
