"""What ``rollout optimise`` offers: no ``--format`` (its tables are small and always CSV)."""

from __future__ import annotations

import optkit
from conftest import run_main

TARGET = "coverage_horizon>=0.2"


def _tiny(path, out, *more):
    return [
        "optimise",
        str(path),
        "--lever",
        optkit.LEVERS[0],
        "--lever",
        optkit.LEVERS[1],
        "--target",
        TARGET,
        "--probability",
        "0.6",
        "--budget",
        "4",
        "--reps",
        "3",
        "--workers",
        "1",
        "--indifference",
        "100",
        "--out",
        str(out),
        *more,
    ]


# --------------------------------------------------------------------------- --format


def test_optimise_offers_no_format(tmp_path, monkeypatch, capsys):
    path = optkit.small_file(tmp_path)
    args = _tiny(path, tmp_path / "never", "--format", "parquet")
    code, _, err = run_main(args, tmp_path, monkeypatch, capsys)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert "No such option '--format'" in lines[0], lines[0]
    assert not (tmp_path / "never").exists(), "no folder made"
    assert not (tmp_path / "outputs").exists(), "nothing written under outputs/"


def test_the_help_of_optimise_names_no_format_and_the_others_keep_it(tmp_path, monkeypatch, capsys):
    code, out, err = run_main(["optimise", "--help"], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    assert "--format" not in out, "optimise does not offer --format"
    for flag in ("--reps", "--seed", "--out", "--workers", "--resume", "--dask", "--scheduler"):
        assert flag in out, f"optimise keeps {flag}"
    code, out, err = run_main(["run", "--help"], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    assert "--format" in out, "run still offers --format"
