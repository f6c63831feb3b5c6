"""The board report: one self-contained HTML file and an Excel workbook from a run folder,
never overwriting, every user-written text escaped, and what the model leaves out in step
with the documentation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO, run_main
from experiments.expkit import cohort_scenario

from sim import experiments, outputs
from sim.model.scope import LEFT_OUT
from sim.outputs.report import write_report
from sim.scenario import ScenarioError

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def compare_folder(tmp_path_factory) -> Path:
    base = cohort_scenario().with_changes({"scenario.name": HOSTILE})
    more = base.with_changes({"programme.foundation.cohort_size": 8})
    folder = tmp_path_factory.mktemp("report") / "cmp"
    result = experiments.compare(
        {"four places": base, "<b>eight</b>": more}, reps=3, workers=1, out=folder
    )
    outputs.draw(result)
    return folder


@pytest.fixture(scope="module")
def report(compare_folder) -> str:
    page, _ = write_report(compare_folder)
    return page.read_text(encoding="utf-8")


def test_the_report_holds_every_section(report):
    for heading in (
        "The question",
        "The strategies",
        "The answer",
        "Pictures",
        "The measures",
        "Assumptions and their sources",
        "What the model leaves out",
        "Validation status",
    ):
        assert f"<h2>{heading}</h2>" in report, f"no section {heading!r}"
    assert "practising person-months over the whole run" in report, "no answer sentence"
    assert "95% interval" in report, "the answer gives no interval"


def test_the_report_is_self_contained(report):
    images = re.findall(r"<img [^>]*src='([^']*)'", report)
    assert images, images
    assert all(src.startswith("data:image/png;base64,") for src in images), images
    assert not re.search(r"(src|href)=['\"]?(https?:|//)", report), "an external reference"
    assert "default-src 'none'" in report, "no content security policy"
    assert "@media print" in report, "no print stylesheet"


def test_user_text_is_escaped(report):
    assert "<script" not in report, "a script element in the report"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report, "the hostile name is not shown"
    assert "<b>eight</b>" not in report, "a strategy name was not escaped"
    assert "&lt;b&gt;eight&lt;/b&gt;" in report, "a strategy name was not escaped"


def test_a_report_never_overwrites(compare_folder, tmp_path, monkeypatch, capsys):
    out = tmp_path / "board.html"
    page, workbook = write_report(compare_folder, out)
    assert page == out, (page, workbook)
    assert workbook == tmp_path / "board.xlsx", (page, workbook)
    before = out.read_bytes()
    code, _, err = run_main(
        ["report", str(compare_folder), "-o", str(out)], REPO, monkeypatch, capsys
    )
    assert code == 2, f"exit {code}: {err}"
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "already exists" in lines[0], err
    assert out.read_bytes() == before, "the report was overwritten"


def test_not_a_run_folder_is_bad_input(tmp_path, monkeypatch, capsys):
    code, _, err = run_main(["report", str(tmp_path)], REPO, monkeypatch, capsys)
    assert code == 2, f"exit {code}: {err}"
    assert "no manifest.json" in err, f"exit {code}: {err}"
    assert "Traceback" not in err, err
    assert list(tmp_path.iterdir()) == [], "something was written"


def test_the_workbook_holds_the_tables(compare_folder, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    _, workbook = write_report(compare_folder, tmp_path / "r.html")
    book = openpyxl.load_workbook(workbook, read_only=True)
    names = book.sheetnames
    assert names[0] == "read me", names
    for sheet in ("comparison", "differences", "summary", "measures"):
        assert sheet in names, f"no sheet {sheet}: {names}"


def test_what_is_left_out_matches_the_documentation():
    text = (REPO / "docs" / "model.md").read_text(encoding="utf-8")
    section = text.split("## What the model leaves out, and why", 1)[1].split("\n## ", 1)[0]
    rows = [
        tuple(c.strip() for c in line.strip().strip("|").split("|"))
        for line in section.splitlines()
        if line.startswith("| ") and not line.startswith("| left out")
    ]
    assert rows == list(LEFT_OUT), "docs/model.md and sim/model/scope.py differ"


def test_write_report_refuses_an_incomplete_folder(tmp_path):
    (tmp_path / "manifest.json").write_text('{"kind": "run", "status": "running"}')
    with pytest.raises(ScenarioError, match="needs a complete run"):
        write_report(tmp_path)


# --------------------------------------------------------------------------- as run


def _question(page: str) -> str:
    return page.split("<h2>The question</h2>", 1)[1].split("</section>", 1)[0]


@pytest.fixture(scope="module")
def described_compare(tmp_path_factory) -> str:
    said = "Phase 2 never happens in this text."
    base = cohort_scenario().with_changes({"scenario.description": said})
    more = base.with_changes({"programme.foundation.cohort_size": 8})
    folder = tmp_path_factory.mktemp("report") / "described"
    experiments.compare({"four": base, "eight": more}, reps=2, workers=1, out=folder)
    page, _ = write_report(folder)
    return page.read_text(encoding="utf-8")


def test_a_comparisons_question_names_the_strategies_as_run(described_compare):
    question = _question(described_compare)
    assert "four (" in question, question
    assert "eight (" in question, question
    assert "Places per cohort" in question or "places" in question.lower(), question
    assert "Phase 2 never happens" not in question, "the file's own text stands as the question"


def test_a_run_with_changes_does_not_show_the_files_own_description(tmp_path, monkeypatch, capsys):
    pages = {}
    for name, extra in (
        ("plain", []),
        ("changed", ["--set", "programme.phases.1.start_after_months=12"]),
    ):
        out = tmp_path / name
        code, _, err = run_main(
            ["run", "camden", "--reps", "2", "--workers", "1", "--out", str(out), *extra],
            tmp_path,
            monkeypatch,
            capsys,
        )
        assert code == 0, err
        page, _ = write_report(out)
        pages[name] = _question(page.read_text(encoding="utf-8"))
    own = "Phase 2 from Nov 2017."
    assert own in pages["plain"], pages["plain"]
    assert own not in pages["changed"], pages["changed"]
    assert "Phase 2: Oct 2018 to" in pages["changed"], pages["changed"]


# --------------------------------------------------------------------------- one stylesheet


def _style(page: str) -> str:
    found = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(found) == 1, f"expected one <style> element, found {len(found)}"
    return found[0].strip()


def test_the_report_inlines_the_one_stylesheet(report):
    from sim.outputs.report import stylesheet

    css = stylesheet()
    assert "@media print" in css, css[:200]
    assert "body {" in css, css[:200]
    assert _style(report) == css.strip(), "the report's style is not templates/report.css"


def test_the_sample_report_holds_the_same_stylesheet():
    from sim.outputs.report import stylesheet

    sample = (REPO / "docs" / "sample-report.html").read_text(encoding="utf-8")
    assert _style(sample) == stylesheet().strip(), (
        "docs/sample-report.html has another stylesheet: regenerate it "
        "(python docs/sample_report.py)"
    )


def test_the_page_template_escapes_whatever_it_is_given():
    from sim.outputs.report import _environment

    template = _environment().get_template("report.html")
    assert template.environment.autoescape is True, "autoescape is off"
    hostile = "<img src=x onerror=alert(1)>"
    page = template.environment.from_string("<p>{{ text }}</p>").render(text=hostile)
    assert page == "<p>&lt;img src=x onerror=alert(1)&gt;</p>", page


def test_the_page_template_and_stylesheet_are_package_data():
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    data = config["tool"]["setuptools"]["package-data"].get("sim.outputs", [])
    assert "templates/*.html" in data, data
    assert "templates/*.css" in data, data
