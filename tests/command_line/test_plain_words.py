"""Plain words in the commands: labels and house-style numbers, lines that fit the terminal.

Each command runs tiny (a few futures, few sample points) through ``main()``; what it prints
must hold no raw key of the scenario (``practice.uptake``), no raw measure name
(``practising_person_months``) and no scientific notation ("1.07e+03").
"""

from __future__ import annotations

import re

import pytest
from conftest import run_main

RAW_KEY = re.compile(r"\b(?:practice|champions|programme|workforce|costs)\.[a-z_]+")
SCIENTIFIC = re.compile(r"\d[eE][+-]\d")


def said(args, tmp_path, monkeypatch, capsys):
    code, out, err = run_main(args, tmp_path, monkeypatch, capsys)
    assert code == 0, f"{args[0]}: exit {code}: {err}"
    return [line for line in out.splitlines() if not line.startswith("Results: ")]


def no_raw_words(lines, command):
    text = "\n".join(lines)
    keys = RAW_KEY.findall(text)
    assert not keys, f"{command}: raw keys on the screen: {sorted(set(keys))}"
    assert "practising_person_months" not in text, f"{command}: a raw measure name: {text}"
    assert not SCIENTIFIC.search(text), f"{command}: scientific notation: {text}"


def test_sensitivity_says_labels_and_numbers(tmp_path, monkeypatch, capsys):
    lines = said(
        ["sensitivity", "camden", "--samples", "2", "--reps", "1", "--out", "s"],
        tmp_path,
        monkeypatch,
        capsys,
    )
    no_raw_words(lines, "sensitivity")
    assert "mu* (mean absolute" not in lines[0], f"mu* leads unexplained: {lines[0]}"
    assert any("Morris" in line for line in lines[:3]), f"the method is not named: {lines[:3]}"
    over = [line for line in lines if len(line) > 100]
    assert not over, f"lines over 100 columns: {over}"


def test_levers_says_labels_and_numbers(tmp_path, monkeypatch, capsys):
    lines = said(
        ["levers", "camden", "--reps", "2", "--lever", "champions.target", "--out", "l"],
        tmp_path,
        monkeypatch,
        capsys,
    )
    no_raw_words(lines, "levers")


@pytest.fixture
def compare_out(tmp_path, monkeypatch, capsys):
    return said(
        [
            "compare",
            "camden",
            "--variant",
            "more-champions",
            "champions.target=30",
            "--variant",
            "fewer-champions",
            "champions.target=5",
            "--reps",
            "3",
            "--out",
            "c",
        ],
        tmp_path,
        monkeypatch,
        capsys,
    )


def test_compare_says_too_few_once(compare_out):
    text = "\n".join(compare_out)
    count = " ".join(text.split()).count("too few for an interval")
    # Once for every figure; the verdict sentences on the decision may say it of themselves.
    table_part = text.split("Probability of being the best")[0]
    assert " ".join(table_part.split()).count("too few for an interval") == 1, (
        f"said {count} times: {text}"
    )


def test_compare_lines_fit_in_100_columns(compare_out):
    over = [line for line in compare_out if len(line) > 100]
    assert not over, f"{len(over)} lines over 100 columns, e.g. {over[:2]}"


def test_compare_keeps_every_strategy_when_wide(compare_out):
    text = "\n".join(compare_out)
    for name in ("camden", "more-champions", "fewer-champions"):
        assert name in text, f"{name} is missing from the comparison: {text}"


def test_calibrate_says_labels_and_numbers(tmp_path, monkeypatch, capsys):
    from conftest import REPO

    example = REPO / "docs" / "examples" / "observed.csv"
    lines = said(
        [
            "calibrate",
            "camden",
            "--observed",
            str(example),
            "--draws",
            "4",
            "--accept",
            "0.5",
            "--reps",
            "1",
            "--out",
            "k",
        ],
        tmp_path,
        monkeypatch,
        capsys,
    )
    no_raw_words(lines, "calibrate")
    over = [line for line in lines if len(line) > 100]
    assert not over, f"lines over 100 columns: {over}"
