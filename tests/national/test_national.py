"""``rollout national``: every council's scenario built as ``rollout new`` builds it, run as
one experiment on common seeds, one row per council in ``councils.csv`` (skipped councils
with their reason), a ranked picture and an account in words.

Runs use a few councils (``--councils``) and few, short futures; one test builds the whole
list (scenario construction only, no simulation).
"""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
from conftest import run_main as call

from sim.councils import figures
from sim.councils.builder import new_scenario
from sim.national import scenarios
from sim.national.experiment import national
from sim.national.explain import explain
from sim.scenario import ScenarioError, bundled_dir

START = date(2026, 4, 1)
# Councils whose shipped figures cannot give a scenario for the latest five years, or that
# no longer exist: named in councils.csv with the reason, never dropped.
EXPECTED_SKIPPED = {
    "Bournemouth",
    "Brighton and Hove",
    "Cumbria",
    "Isles of Scilly",
    "Kensington and Chelsea",
    "Northamptonshire",
    "Poole",
}


def test_every_council_builds_or_is_named_with_its_reason():
    built = scenarios.build("camden", start=START)
    names = [c.name for c in built]
    assert names == list(figures.councils()), "councils missing or out of the data's order"
    skipped = {c.name: c.reason for c in built if not c.built}
    assert set(skipped) == EXPECTED_SKIPPED, f"skipped {sorted(skipped)}"
    assert all(skipped.values()), f"a skipped council without a reason: {skipped}"
    assert "reorganised into Bournemouth, Christchurch and Poole" in skipped["Poole"], skipped
    assert "agency cover" in skipped["Brighton and Hove"], skipped["Brighton and Hove"]
    ran = [c for c in built if c.built]
    assert len(ran) == len(built) - len(EXPECTED_SKIPPED), f"{len(ran)} built"
    assert {c.scenario.scenario.start for c in ran} == {START}, "councils on different calendars"
    camden = next(c for c in ran if c.name == "Camden")
    made = new_scenario("Camden", template="camden", start=START)
    turnover = camden.scenario.workforce.roles["social_worker"].turnover
    assert turnover == pytest.approx(made.flows.turnover, abs=1e-4), f"turnover {turnover}"


def test_councils_are_chosen_forgivingly_and_unknown_ones_are_bad_input():
    chosen = scenarios.choose_councils(["camden", "HAVERING", "bristol"])
    names = [c.name for c in chosen]
    assert names == ["Camden", "Havering", "Bristol, City of"], f"chosen {names}"
    with pytest.raises(ScenarioError) as err:
        scenarios.choose_councils(["camden", "nowhereshire"])
    assert err.value.lines[0].startswith("--councils: "), f"{err.value.lines}"


FEW = ["--councils", "camden,leeds,islington,isles of scilly,poole"]
SHORT = ["--set", "scenario.horizon_months=36", "--reps", "3", "--workers", "1"]


@pytest.fixture(scope="module")
def national_run(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("national")
    monkeypatch = pytest.MonkeyPatch()
    try:
        import sys

        monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "argv", ["rollout", "national", *FEW, *SHORT, "--out", "n"])
        import cli

        code = 0
        try:
            cli.main()
        except SystemExit as stop:
            code = stop.code or 0
    finally:
        monkeypatch.undo()
    return cwd / "n", code


def test_national_writes_one_row_per_council(national_run):
    folder, code = national_run
    assert code == 0, f"exit {code}"
    names = sorted(p.name for p in folder.iterdir())
    want = ["councils.csv", "councils.png", "manifest.json", "national.md", "summary.csv"]
    assert names == want, f"files {names}"
    table = pd.read_csv(folder / "councils.csv")
    assert len(table) == 5, f"rows {len(table)}"
    ran = table[table["status"] == "run"]
    assert sorted(ran["council"]) == ["Camden", "Islington", "Leeds"], f"{list(ran['council'])}"
    assert list(ran["rank"]) == [1, 2, 3], f"ranks {list(ran['rank'])}"
    head = ran["practising_share_horizon_mean"].to_numpy()
    assert (np.diff(head) <= 0).all(), f"not ranked by the headline: {head}"
    skipped = table[table["status"] == "skipped"].set_index("council")["reason"]
    assert sorted(skipped.index) == ["Isles of Scilly", "Poole"], f"{skipped.to_dict()}"
    assert skipped.str.len().min() > 10, f"reasons {skipped.to_dict()}"
    for m in ("coverage_horizon", "practising_share_horizon", "champions_alive_horizon"):
        for part in ("mean", "ci_low", "ci_high", "n"):
            assert f"{m}_{part}" in table, f"{m}_{part} not in councils.csv"
    assert (ran["coverage_horizon_n"] == 3).all(), f"n {list(ran['coverage_horizon_n'])}"
    for figure in ("posts", "turnover", "hiring_delay_months", "vacancy_rate", "agency_cover"):
        assert ran[figure].notna().all(), f"{figure} missing: {list(ran[figure])}"


def test_council_rows_are_their_replications_summarised(national_run):
    folder, _ = national_run
    table = pd.read_csv(folder / "councils.csv").set_index("council")
    summary = pd.read_csv(folder / "summary.csv")
    assert len(summary) == 3 * 3, f"replication rows {len(summary)}"
    for name, part in summary.groupby("council"):
        mean = part["coverage_horizon"].mean()
        got = table.loc[name, "coverage_horizon_mean"]
        assert got == pytest.approx(mean), f"{name}: councils.csv {got}, replications {mean}"
    leeds = figures.pooled_flows(
        figures.councils()["Leeds"], figures.councils()["Leeds"].years[-5:]
    )
    got = table.loc["Leeds", "turnover"]
    assert got == pytest.approx(leeds.turnover), f"Leeds turnover {got} vs {leeds.turnover}"


def test_national_account_names_the_skipped_and_the_ranking(national_run):
    folder, _ = national_run
    text = (folder / "national.md").read_text()
    assert "## Skipped" in text, text
    assert "- Isles of Scilly: " in text, text
    assert "- Poole: no figures after 2018" in text, text
    assert "3 councils run, 2 skipped" in text, text
    assert "Highest: " in text, text
    # 3 futures each: too few for an interval, so none is shown, and the account says why.
    highest = next(line for line in text.splitlines() if line.startswith("Highest: "))
    assert "–" not in highest, f"an interval from 3 futures: {highest}"
    assert "3 futures are too few for an interval" in text, text
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "complete", f"status {manifest['status']}"
    assert set(manifest["councils_skipped"]) == {"Isles of Scilly", "Poole"}, manifest
    assert "national.md" in manifest["files"], f"files {manifest['files']}"


def test_a_council_s_futures_do_not_depend_on_the_others():
    # Common seeds: replication r of Camden is the same whichever councils run beside it.
    both = scenarios.build("camden", start=START, councils=["camden", "leeds"])
    alone = [c for c in both if c.name == "Camden"]
    a = national(both, "camden", reps=3, seed=2, workers=1).summary
    b = national(alone, "camden", reps=3, seed=2, workers=1).summary
    a = a[a["council"] == "Camden"].reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b.reset_index(drop=True), obj="Camden with and without Leeds")


def test_explanation_finds_a_figure_that_drives_the_headline():
    rng = np.random.default_rng(0)
    n = 40
    turnover = rng.uniform(0.05, 0.3, n)
    table = pd.DataFrame(
        {
            "council": [f"c{i}" for i in range(n)],
            "status": "run",
            "posts": rng.integers(50, 500, n),
            "turnover": turnover,
            "hiring_delay_months": rng.uniform(2, 20, n),
            "vacancy_rate": rng.uniform(0.05, 0.3, n),
            "agency_cover": rng.uniform(0.4, 0.9, n),
            "practising_share_horizon_mean": 0.6 - turnover,
        }
    )
    found = explain(table, "practising_share_horizon")
    rho = found.correlations["turnover"][0]
    assert rho == pytest.approx(-1.0), f"Spearman rho of turnover {rho}"
    assert found.r2 == pytest.approx(1.0), f"R² {found.r2}"
    others = {k: v[0] for k, v in found.correlations.items() if k != "turnover"}
    assert all(abs(r) < 0.5 for r in others.values()), f"unrelated figures correlate: {others}"


NO_SOCIAL_WORK = """
[scenario]
name = "tiny"
start = 2020-01-01
horizon_months = 24

[workforce]
supervisor_role = "supervisor"

[workforce.roles.supervisor]
posts = 1
turnover = 0.0
team_member = false

[workforce.roles.worker]
posts = 4
turnover = 0.0
team_member = true

[practice]
uptake = 1.0
half_life_months = 12.0
threshold = 0.5

[programme]
phases = []
"""


def test_a_scenario_file_can_be_the_template(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text((bundled_dir() / "camden.toml").read_text())
    built = scenarios.build(str(path), start=START, councils=["leeds"])
    assert built[0].built, f"Leeds not built from a file template: {built[0].reason}"
    roles = built[0].scenario.workforce.roles
    assert roles["social_worker"].turnover == pytest.approx(built[0].flows.turnover, abs=1e-4), (
        f"turnover {roles['social_worker'].turnover}, Leeds {built[0].flows.turnover}"
    )
    other = tmp_path / "tiny.toml"
    other.write_text(NO_SOCIAL_WORK)
    with pytest.raises(ScenarioError) as err:
        scenarios.build(str(other), start=START, councils=["leeds"])
    line = err.value.lines[0]
    assert line.startswith(f"{other}: workforce.roles: a template needs"), f"{err.value.lines}"


BAD = {
    "unknown-council": (["--councils", "camden,nowhereshire"], "--councils"),
    "unknown-template": (["--template", "leeds"], "--template"),
    "unknown-metric": (["--councils", "camden", "--metric", "nope"], "--metric nope"),
    "set-that-does-not-apply": (
        ["--councils", "camden", "--set", "champions.target=-1"],
        "champions.target",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_national_input_exits_2_and_writes_nothing(case, tmp_path, monkeypatch, capsys):
    extra, fragment = BAD[case]
    code, out, err = call(["national", "--reps", "2", *extra], tmp_path, monkeypatch, capsys)
    assert code == 2, f"exit {code}; stderr {err!r}"
    lines = err.splitlines()
    assert lines, f"stderr {lines}"
    assert all(line.startswith("rollout: ") for line in lines), f"stderr {lines}"
    assert fragment in err, f"{fragment!r} not in {err!r}"
    assert out == "", f"stdout {out!r}"
    assert list(tmp_path.iterdir()) == [], f"written: {list(tmp_path.iterdir())}"


def test_an_interrupted_national_run_resumes_to_the_same_councils_csv(tmp_path):
    built = scenarios.build("camden", start=START, councils=["camden", "leeds", "rutland"])
    short = {"reps": 2, "seed": 3, "workers": 1}
    whole = national(built, "camden", out=tmp_path / "whole", **short)
    calls = {"n": -1}

    def stop_after_one(done: int, total: int) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyboardInterrupt

    from sim import experiments

    with pytest.raises(experiments.Interrupted):
        national(built, "camden", out=tmp_path / "part", progress=stop_after_one, **short)
    assert not (tmp_path / "part" / "councils.csv").exists(), "councils.csv before the end"
    resumed = national(built, "camden", out=tmp_path / "part", resume=True, **short)
    for name in ("councils.csv", "summary.csv"):
        same = (whole.folder / name).read_bytes() == (resumed.folder / name).read_bytes()
        assert same, f"{name} differs after resuming"


def test_a_council_s_interval_never_goes_below_zero_nor_above_100_percent():
    from sim.national.account import has_interval, interval_ends

    row = pd.Series(
        {
            "practising_share_horizon_ci_low": -0.04,
            "practising_share_horizon_ci_high": 1.02,
            "practising_share_horizon_n": 12,
            "total_cost_ci_low": -5.0,
            "total_cost_ci_high": 9.0,
            "total_cost_n": 4,
        }
    )
    ends = interval_ends(row, "practising_share_horizon")
    assert ends == (0.0, 1.0), f"share interval {ends}"
    assert interval_ends(row, "total_cost") == (0.0, 9.0), f"{interval_ends(row, 'total_cost')}"
    assert has_interval(row, "practising_share_horizon"), "12 futures give an interval"
    assert not has_interval(row, "total_cost"), "4 futures give no interval"
