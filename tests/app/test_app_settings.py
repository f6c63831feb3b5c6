"""The server's settings file: defaults, values read, one line per problem, and what
``rollout app`` hands to Streamlit (address, port, base path, upload limit, no telemetry).
"""

from __future__ import annotations

import pytest
from conftest import run_main

from sim.app.serve import command
from sim.app.settings import ENVIRONMENT, Settings, current, read_settings
from sim.scenario.keys import BadInput


def _options(argv: list[str]) -> dict[str, str]:
    return dict(zip(argv[5::2], argv[6::2], strict=False))  # after "-m streamlit run PAGE"


def test_no_file_means_one_planner_on_localhost():
    settings = read_settings(None)
    assert settings == Settings(), settings
    options = _options(command(None, settings))
    assert options["--server.address"] == "localhost", options
    assert options["--server.port"] == "8501", options
    assert options["--browser.gatherUsageStats"] == "false", options


def test_a_file_sets_the_server(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text(
        'address = "0.0.0.0"\nport = 9000\nbase_path = "/rollout/"\nworkers = 2\n'
        f'queue = 3\nupload_limit_mb = 5\nplans = "{tmp_path / "p"}"\n'
    )
    settings = read_settings(path)
    assert (settings.workers, settings.queue) == (2, 3), settings
    assert settings.plans_folder() == tmp_path / "p", settings.plans_folder()
    options = _options(command(None, settings))
    assert options["--server.address"] == "0.0.0.0", options
    assert options["--server.port"] == "9000", options
    assert options["--server.baseUrlPath"] == "rollout", options
    assert options["--server.maxUploadSize"] == "5", options


def test_the_plans_folder_falls_back_to_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ROLLOUT_PLANS", str(tmp_path / "env-plans"))
    assert Settings().plans_folder() == tmp_path / "env-plans"
    monkeypatch.delenv("ROLLOUT_PLANS")
    assert str(Settings().plans_folder()) == "plans"


def test_the_page_reads_the_file_rollout_app_names(tmp_path, monkeypatch):
    path = tmp_path / "s.toml"
    path.write_text("workers = 3\n")
    monkeypatch.setenv(ENVIRONMENT, str(path))
    assert current().workers == 3, current()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("workers = 0", "workers: expected a whole number from 1 to 64, got 0"),
        ('port = "80"', "port: expected a whole number from 1 to 65535, got '80'"),
        ("colour = 1", "colour: unknown setting"),
        ('base_path = "../x"', "base_path: expected a path like"),
        ("plans = 3", "plans: expected text in quotes, got 3"),
        ("workers = ", "not TOML"),
    ],
)
def test_each_problem_is_one_line_naming_file_and_key(tmp_path, text, words):
    path = tmp_path / "settings.toml"
    path.write_text(text + "\n")
    with pytest.raises(BadInput) as caught:
        read_settings(path)
    assert len(caught.value.lines) == 1, caught.value.lines
    assert caught.value.lines[0].startswith(f"{path}: "), caught.value.lines
    assert words in caught.value.lines[0], caught.value.lines


def test_every_problem_at_once(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("workers = -1\nqueue = 100000\n")
    with pytest.raises(BadInput) as caught:
        read_settings(path)
    assert len(caught.value.lines) == 2, caught.value.lines


def test_rollout_app_with_a_bad_settings_file_exits_2_with_one_line(tmp_path, monkeypatch, capsys):
    path = tmp_path / "settings.toml"
    path.write_text("workers = 'many'\n")
    code, out, err = run_main(["app", "--settings", str(path)], tmp_path, monkeypatch, capsys)
    assert code == 2, (code, out, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "workers: expected a whole number" in lines[0], err
    assert "Traceback" not in err, err
