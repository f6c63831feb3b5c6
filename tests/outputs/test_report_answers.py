"""The report's answers: both ranges named, calendar-bound differences apart and unscored,
the horizon's sentence and picture, "best" only with the runner-up, and the assumptions
the run changed marked as changed.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from conftest import run_main
from experiments.expkit import cohort_scenario

from sim import experiments, outputs
from sim.outputs.report import write_report


def text_of(page) -> str:
    body = page.read_text(encoding="utf-8")
    body = re.sub(r"<img[^>]*>", "", body)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.fixture(scope="module")
def compare_page(tmp_path_factory):
    early = cohort_scenario(4, horizon_months=30)
    late = early.with_changes(
        {"programme.phases.0.start": date(2020, 7, 1), "programme.phases.0.end": date(2021, 6, 30)}
    )
    folder = tmp_path_factory.mktemp("answers") / "cmp"
    result = experiments.compare(
        {"early": early, "late": late}, reps=12, seed=3, workers=1, out=folder
    )
    outputs.draw(result)
    page, _ = write_report(folder)
    return text_of(page)


def test_the_report_names_both_ranges(compare_page):
    assert "average (95% interval); 9 futures in 10" in compare_page, "no header naming both"
    assert "which more futures do not narrow" in compare_page, "range unexplained"
    assert "; 9 in 10: " in compare_page, "no figure gives its range of futures"


def test_own_dates_stand_apart_without_a_verdict(compare_page):
    head = "at each strategy's own dates (no verdict)"
    assert head in compare_page, "no separate heading for the own-dates differences"
    after = compare_page.split(head, 1)[1].split("Words used", 1)[0]
    assert "(own dates)" in after, f"no own-dates measure under its heading: {after[:300]}"
    common = compare_page.split("on the common clock (the same futures)", 1)[1].split(head)[0]
    assert "(own dates)" not in common, "an own-dates measure scored among the common clock"


def test_the_report_shows_the_horizon(compare_page):
    assert "accumulated year by year" in compare_page, "no horizons picture caption"


def test_the_report_marks_values_the_run_changed(tmp_path, monkeypatch, capsys):
    args = ["run", "camden", "--reps", "2", "--out", "r", "--set", "champions.target=7"]
    args += ["--set", "scenario.horizon_months=24"]
    code, _, err = run_main(args, tmp_path, monkeypatch, capsys)
    assert code == 0, err
    page, _ = write_report(tmp_path / "r")
    text = text_of(page)
    assert "Values this run changed from its scenario file" in text, "no list of changed values"
    assert "champions.target ): changed by this run: 12 in the file, 7 here" in text, re.findall(
        r"champions\.target[^.]*", text
    )
    assert "practice.uptake ): changed" not in text, "an unchanged value marked as changed"
