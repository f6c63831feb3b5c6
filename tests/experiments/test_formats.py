"""Large outputs: ``--format parquet`` writes the per-replication tables as Parquet with the
same content, columns and types as the CSV; a large run says how large its files will be.
"""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from conftest import run_main as call
from expkit import cohort_scenario

from sim import experiments
from sim.experiments import folders
from sim.experiments.batches import Point
from sim.experiments.formats import read_rows

pytest.importorskip("pyarrow", reason="the cluster extra is not installed")


def _as_csv(path) -> str:
    """A Parquet file's rows written as the CSV files are (pandas, no index)."""
    return pd.read_parquet(path).to_csv(index=False, lineterminator="\n")


@pytest.fixture(scope="module")
def run_pair(tmp_path_factory):
    base = tmp_path_factory.mktemp("formats")
    scenario = cohort_scenario(4)
    for name in ("csv", "parquet"):
        experiments.run(scenario, reps=7, seed=4, workers=1, out=base / name, file_format=name)
    return base, [Point({}, scenario)]


@pytest.mark.parametrize("stem", ["timeseries", "summary"])
def test_parquet_run_tables_hold_the_csv_content(run_pair, stem):
    base, points = run_pair
    text = (base / "csv" / f"{stem}.csv").read_text()
    assert _as_csv(base / "parquet" / f"{stem}.parquet") == text, (
        f"{stem}.parquet written as CSV differs from {stem}.csv"
    )
    from_csv = read_rows(base / "csv" / f"{stem}.csv", points)
    from_parquet = read_rows(base / "parquet" / f"{stem}.parquet", points)
    assert list(from_parquet.columns) == list(from_csv.columns), f"{list(from_parquet.columns)}"
    differ = {
        c: (str(from_csv[c].dtype), str(from_parquet[c].dtype))
        for c in from_csv
        if from_csv[c].dtype != from_parquet[c].dtype
    }
    assert not differ, f"dtypes differ (csv, parquet): {differ}"
    pd.testing.assert_frame_equal(from_parquet, from_csv, check_exact=True, obj=stem)


def test_parquet_run_lists_its_files_and_format(run_pair):
    base, _ = run_pair
    manifest = json.loads((base / "parquet" / "manifest.json").read_text())
    assert manifest["format"] == "parquet", f"format {manifest['format']}"
    listed = manifest["files"]
    assert "timeseries.parquet" in listed, f"files {listed}"
    assert "summary.parquet" in listed, f"files {listed}"
    written = sorted(p.name for p in (base / "parquet").iterdir())
    assert "timeseries.csv" not in written, f"{written}"
    assert "summary.csv" not in written, f"{written}"


def test_parquet_sweep_keeps_label_columns_and_types(tmp_path):
    grid = {"programme.foundation.cohort_size": [2, 6], "practice.uptake": [0.5, 1.0]}
    results = {}
    for name in ("csv", "parquet"):
        results[name] = experiments.sweep(
            cohort_scenario(4, horizon_months=12),
            grid,
            reps=3,
            seed=2,
            workers=1,
            out=tmp_path / name,
            keep_timeseries=True,
            file_format=name,
        )
    for stem in ("sweep_replications", "timeseries"):
        text = (tmp_path / "csv" / f"{stem}.csv").read_text()
        got = _as_csv(tmp_path / "parquet" / f"{stem}.parquet")
        assert got == text, f"{stem}.parquet written as CSV differs from {stem}.csv"
    types = pd.read_parquet(tmp_path / "parquet" / "sweep_replications.parquet").dtypes
    assert str(types["programme.foundation.cohort_size"]) == "int64", f"{types.to_dict()}"
    assert str(types["practice.uptake"]) == "float64", f"{types.to_dict()}"
    pd.testing.assert_frame_equal(
        results["parquet"].replications, results["csv"].replications, obj="replications"
    )
    same = (tmp_path / "csv" / "sweep.csv").read_bytes() == (
        tmp_path / "parquet" / "sweep.csv"
    ).read_bytes()
    assert same, "sweep.csv (statistics, CSV in both) differs between the formats"


class _Notes:
    """A progress callback that keeps the notes it is given."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, done: int, total: int) -> None:
        pass

    def note(self, line: str) -> None:
        self.lines.append(line)


def test_a_large_run_says_how_large_its_files_will_be(tmp_path, monkeypatch):
    sizes: dict[str, float] = {}
    sentence = folders.size_sentence

    def keep(size, replications, file_format):
        sizes[file_format] = size
        return sentence(size, replications, file_format)

    monkeypatch.setattr(folders, "MANY_REPLICATIONS", 100)  # "many", for a quick test
    monkeypatch.setattr(folders, "size_sentence", keep)
    actual = {}
    for file_format in ("csv", "parquet"):
        notes = _Notes()
        out = tmp_path / file_format
        experiments.run(
            cohort_scenario(4),
            reps=200,
            workers=1,
            out=out,
            progress=notes,
            file_format=file_format,
        )
        assert len(notes.lines) == 1, f"notes {notes.lines}"
        assert notes.lines[0].startswith("200 replications will write "), f"{notes.lines[0]!r}"
        actual[file_format] = sum(
            (out / f"{s}.{file_format}").stat().st_size for s in ("timeseries", "summary")
        )
    assert 0.8 * actual["csv"] <= sizes["csv"] <= 1.25 * actual["csv"], (
        f"estimated {sizes['csv']:,.0f} bytes of CSV, wrote {actual['csv']:,}"
    )
    # Parquet compresses a whole file better than one batch: an upper bound, below CSV's.
    assert 0.8 * actual["parquet"] <= sizes["parquet"] <= sizes["csv"], (
        f"estimated {sizes['parquet']:,.0f} bytes of Parquet, wrote {actual['parquet']:,} "
        f"(CSV estimate {sizes['csv']:,.0f})"
    )


def test_a_small_run_says_nothing_of_sizes(tmp_path):
    notes = _Notes()
    experiments.run(cohort_scenario(4), reps=4, workers=1, out=tmp_path / "r", progress=notes)
    assert notes.lines == [], f"notes {notes.lines}"


def test_compare_command_writes_parquet(tmp_path, monkeypatch, capsys):
    args = ["compare", "camden", "--variant", "none", "programme.phases=[]"]
    args += ["--set", "scenario.horizon_months=24", "--reps", "2", "--workers", "1"]
    code, out, err = call(
        [*args, "--format", "parquet", "--out", "c"], tmp_path, monkeypatch, capsys
    )
    assert code == 0, f"exit {code}; stderr {err}"
    assert "summary.parquet" in out, f"stdout {out}"
    table = pd.read_parquet(tmp_path / "c" / "summary.parquet")
    assert table["strategy"].tolist() == ["camden"] * 2 + ["none"] * 2, f"{table['strategy']}"
    comparison = pd.read_csv(io.StringIO((tmp_path / "c" / "comparison.csv").read_text()))
    assert set(comparison["strategy"]) == {"camden", "none"}, f"{set(comparison['strategy'])}"


def test_unknown_format_is_bad_input(tmp_path, monkeypatch, capsys):
    code, out, err = call(["run", "camden", "--format", "xlsx"], tmp_path, monkeypatch, capsys)
    assert code == 2, f"exit {code}; stderr {err!r}"
    assert "--format" in err, f"stderr {err!r}"
    assert len(err.splitlines()) == 1, f"stderr {err!r}"
    assert list(tmp_path.iterdir()) == [], f"written: {list(tmp_path.iterdir())}"
