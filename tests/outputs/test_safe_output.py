"""Safe in other programs: no written cell can become a spreadsheet formula, and no name
can drive the terminal.

The strategies of one small comparison are named as an attacker would name them (a live
``HYPERLINK``, ``@SUM``, a leading ``+``, ``-``, tab and carriage return) and as a careful
user might (a plain negative number, a name that already begins with a quote). Every CSV
cell of the folder is then read with the standard library, as a spreadsheet would see it,
and the workbook with openpyxl.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from html import unescape
from pathlib import Path

import openpyxl
import pytest
from conftest import make_scenario

from sim import experiments, outputs
from sim.outputs.report import tables_xlsx, write_report
from sim.scenario.safe_text import FORMULA_STARTS, literal, terminal, unliteral

HOSTILE = [
    '=HYPERLINK("http://example.invalid","x")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd",
    "-2+3",
    "\tname",
    "'=quoted",
]
CAREFUL = ["-3", "+1.5", "plain", "'s-Hertogenbosch"]


@pytest.mark.parametrize("text", [*HOSTILE, *CAREFUL, "\rname", "", "=", "'", "''=x"])
def test_literal_is_undone_by_unliteral(text):
    written = literal(text)
    assert unliteral(written) == text, f"{text!r} -> {written!r} -> {unliteral(written)!r}"


@pytest.mark.parametrize("text", [*HOSTILE, "\rname"])
def test_literal_text_never_starts_a_formula(text):
    written = literal(text)
    assert not written.startswith(FORMULA_STARTS), f"{text!r} written as {written!r}"
    assert written == "'" + text, f"{text!r} written as {written!r}, not quoted once"


@pytest.mark.parametrize("value", ["-3", "+1.5", "-1e3", "plain", 3, -3.5, None, True])
def test_numbers_and_plain_text_are_left_alone(value):
    assert literal(value) is value, f"{value!r} changed to {literal(value)!r}"


def test_terminal_escapes_control_characters_and_keeps_line_breaks():
    shown = terminal("a\x1b]0;title\x07b\x1b[31mred\u202eevil\x9b\nnext\ttab")
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]", shown), repr(shown)
    assert shown == "a\\x1b]0;title\\x07b\\x1b[31mred\\u202eevil\\x9b\nnext\\ttab", repr(shown)


@pytest.fixture(scope="module")
def hostile_comparison(tmp_path_factory):
    """A comparison whose strategies carry hostile names, written to a folder with pictures."""
    base = make_scenario(scenario__horizon_months=12)
    names = [*HOSTILE, *CAREFUL]
    strategies = {name: base for name in names}
    folder = tmp_path_factory.mktemp("hostile") / "c"
    result = experiments.compare(strategies, reps=2, seed=1, workers=1, out=folder)
    outputs.draw(result)
    return names, result


def _cells(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_no_csv_cell_can_become_a_formula(hostile_comparison):
    names, result = hostile_comparison
    tables = sorted(result.folder.glob("*.csv"))
    assert len(tables) >= 4, f"tables {tables}"
    seen_quoted = 0
    for path in tables:
        for cell in _cells(path):
            if cell.startswith(FORMULA_STARTS):
                assert _number(cell), f"{path.name}: cell {cell!r} would start a formula"
            seen_quoted += cell.startswith("'=HYPERLINK")
    assert seen_quoted, "no quoted HYPERLINK name found: the strategy names were not written"


def test_negative_numbers_stay_numbers_in_the_csv(hostile_comparison):
    _, result = hostile_comparison
    cells = _cells(result.folder / "differences.csv")
    negatives = [c for c in cells if c.startswith("-") and _number(c)]
    assert negatives, "no negative number in differences.csv (expected interval bounds)"
    assert "-3" in cells, "the strategy named -3 was not written as -3"


def test_the_tool_reads_its_own_names_back_exactly(hostile_comparison):
    names, result = hostile_comparison
    assert result.strategies == names, f"strategies {result.strategies}"
    got = list(dict.fromkeys(result.comparison["strategy"]))
    assert got == names, f"names in the comparison {got}"
    got = list(dict.fromkeys(result.summary["strategy"]))
    assert got == names, f"names in the summary read back from its file {got}"


def test_the_workbook_holds_names_as_text_never_formulas(hostile_comparison):
    names, result = hostile_comparison
    book = openpyxl.load_workbook(io.BytesIO(tables_xlsx(result.folder)))
    formulas, texts = [], set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append(f"{sheet.title}!{cell.coordinate}={cell.value!r}")
                if isinstance(cell.value, str):
                    texts.add(cell.value)
    assert not formulas, f"formulas in the workbook: {formulas[:5]}"
    missing = [n for n in names if n and n.strip() and n not in texts]
    assert not missing, f"names not shown exactly in the workbook: {missing}"


def test_the_report_of_hostile_names_is_written(hostile_comparison, tmp_path):
    _, result = hostile_comparison
    folder = tmp_path / "copy"
    shutil.copytree(result.folder, folder)
    page, workbook = write_report(folder)
    html = page.read_text(encoding="utf-8")
    # Escaped as markupsafe does (Jinja2's autoescape), and shown as the name itself.
    assert "=HYPERLINK(&#34;http://example.invalid&#34;" in html, "the name is not escaped"
    shown = unescape(re.sub(r"<[^>]+>", " ", html))
    assert '=HYPERLINK("http://example.invalid"' in shown, "the name is not shown"
    assert "'=HYPERLINK" not in shown, "the spreadsheet quote leaked into the report"
    assert workbook.is_file(), "no workbook"


@pytest.mark.parametrize("name", ["\rname", "a\nb", "nul\0"])
def test_a_strategy_name_with_a_line_break_is_refused_before_any_work(name, tmp_path):
    from sim.scenario.keys import ScenarioError

    base = make_scenario(scenario__horizon_months=12)
    with pytest.raises(ScenarioError) as refused:
        experiments.compare({"a": base, name: base}, reps=2, workers=1, out=tmp_path / "c")
    assert "line break" in str(refused.value), str(refused.value)
    assert not (tmp_path / "c").exists(), "a folder was made for a refused comparison"


ESCAPED_NAME = 'name = "Evil\\u001b]0;pwned\\u0007 \\u001b[31mred\\u009b"'


@pytest.fixture
def evil_scenario(tmp_path) -> Path:
    from sim.scenario import bundled_dir

    text = (bundled_dir() / "camden.toml").read_text(encoding="utf-8")
    text, count = re.subn(r'(?m)^name = ".*"$', lambda m: ESCAPED_NAME, text, count=1)
    assert count == 1, "camden.toml has no name line to change"
    path = tmp_path / "evil.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["run", "--reps", "2", "--workers", "1", "--set", "scenario.horizon_months=12"],
    ],
    ids=["validate", "run"],
)
def test_the_terminal_shows_control_characters_escaped(
    command, evil_scenario, tmp_path, monkeypatch, capsys
):
    from conftest import run_main

    args = [command[0], str(evil_scenario), *command[1:]]
    if command[0] == "run":
        args += ["--out", str(tmp_path / "r")]
    code, out, err = run_main(args, tmp_path, monkeypatch, capsys)
    assert code == 0, f"exit {code}: {err[-2000:]}"
    raw = re.findall(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", out + err)
    assert not raw, f"raw control characters reached the terminal: {sorted(set(raw))!r}"
    assert "Evil\\x1b]0;pwned\\x07 \\x1b[31mred\\x9b" in out, out[:500]
