"""The app's figures are the command line's: a run in the page (Streamlit's AppTest, no
browser) and ``rollout run`` of the scenario the page offers as a download, at the same seed
and number of futures, write byte-identical tables.
"""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")
from app_waiting import until_done  # noqa: E402
from conftest import run_main  # noqa: E402
from streamlit.elements.widgets.button import ButtonMixin  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from sim.app import page  # noqa: E402  (the file AppTest runs)

TIMEOUT = 300  # seconds; a busy two-core machine runs a few futures well within this


def test_a_run_in_the_app_and_rollout_run_of_its_download_agree(tmp_path, monkeypatch, capsys):
    offered: dict[str, bytes] = {}
    original = ButtonMixin.download_button

    def recording(self, label, data, *args, **kwargs):
        offered[label] = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", recording)
    app = AppTest.from_file(page.__file__, default_timeout=TIMEOUT)
    app.run()
    assert not app.exception, app.exception
    app.sidebar.number_input(key="reps").set_value(3)
    app.sidebar.number_input(key="seed").set_value(5)
    until_done(app.button(key="run").click().run(), TIMEOUT)
    assert not app.exception, app.exception
    assert {"Scenario (TOML)", "Results (CSV)"} <= set(offered), sorted(offered)

    scenario = tmp_path / "download.toml"
    scenario.write_bytes(offered["Scenario (TOML)"])
    code, _, err = run_main(
        ["run", str(scenario), "--reps", "3", "--seed", "5", "--out", str(tmp_path / "cli")],
        tmp_path,
        monkeypatch,
        capsys,
    )
    assert code == 0, err
    from_cli = (tmp_path / "cli" / "summary_stats.csv").read_bytes()
    assert offered["Results (CSV)"] == from_cli, (
        "the app's summary_stats.csv differs from rollout run of its download:\n"
        f"{offered['Results (CSV)'].decode()[:600]}\n---\n{from_cli.decode()[:600]}"
    )
