"""A staff list as personal data: only the template's columns are read, identifying text in
any cell is refused, no message repeats what a cell holds, and nothing of the file's name
is written. Also: a holder trained before taking the post is accepted, and ``validate``
says one thing of who practises on day 0.

Every refusal must be exit 2 with nothing written, and the identifying text planted in the
file must appear in neither stdout nor stderr.
"""

from __future__ import annotations

import re

import pytest
from conftest import run_main

HEADER = ["post_id", "role", "team", "status", "in_post_since", "trained_on", "champion"]
ROWS = [
    ["P1", "senior_practitioner", "Assessment 1", "filled", "2020-01-01", "2025-09-01", "true"],
    ["P2", "social_worker", "Assessment 1", "filled", "2021-01-01", "2025-10-01", "false"],
    ["P3", "social_worker", "Assessment 1", "vacant", "", "", "false"],
    ["P4", "team_manager", "", "filled", "2019-01-01", "", "false"],
    ["P5", "social_worker", "Assessment 1", "filled", "2021-01-01", "2019-05-01", "false"],
]


def _csv(header: list[str], rows: list[list[str]]) -> str:
    return "".join(",".join(cells) + "\n" for cells in [header, *rows])


def new(tmp_path, monkeypatch, capsys, text: str, name: str = "staff.csv", *more: str):
    roster = tmp_path / name
    roster.write_text(text, encoding="utf-8")
    args = ["new", "--roster", str(roster), "--start", "2026-04-01", "-o", "out.toml", *more]
    code, out, err = run_main(args, tmp_path, monkeypatch, capsys)
    return code, out, err, tmp_path / "out.toml"


def refused(result, *expected: str, secret: str | None = None) -> str:
    code, out, err, written = result
    assert code == 2, f"exit {code}: {err}"
    assert not written.exists(), "a scenario was written from a refused roster"
    assert "Traceback" not in err, err
    for text in expected:
        assert text in err, f"missing {text!r} in:\n{err}"
    if secret is not None:
        assert secret.casefold() not in (out + err).casefold(), (
            f"{secret!r} was repeated on the screen:\n{out}{err}"
        )
    return err


def with_column(header: str, values: list[str]) -> str:
    return _csv([*HEADER, header], [[*row, value] for row, value in zip(ROWS, values, strict=True)])


def test_the_good_roster_is_written(tmp_path, monkeypatch, capsys):
    code, _, err, written = new(tmp_path, monkeypatch, capsys, _csv(HEADER, ROWS))
    assert code == 0, f"exit {code}: {err}"
    assert written.exists(), f"exit {code}: {err}"


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("header", "what"),
    [
        ("ｅｍａｉｌ", "an email address"),  # full width
        ("E-Mail", "an email address"),
        ("𝐬𝐮𝐫𝐧𝐚𝐦𝐞", "a name"),  # mathematical bold
        ("ＮＩＮＯ", "a National Insurance number"),
    ],
)
def test_identifying_headers_in_any_form_are_refused(header, what, tmp_path, monkeypatch, capsys):
    text = with_column(header, [""] * len(ROWS))
    refused(new(tmp_path, monkeypatch, capsys, text), f"column H: its header looks like {what}")


@pytest.mark.parametrize("header", ["Имя", "名前", "---", "notes"])
def test_any_other_header_is_refused(header, tmp_path, monkeypatch, capsys):
    text = with_column(header, ["x1"] * len(ROWS))
    err = refused(
        new(tmp_path, monkeypatch, capsys, text),
        "column H: its header is not a column of this file",
    )
    assert header not in err or header == "notes", f"the header was repeated: {err}"


def test_cells_under_an_empty_header_are_refused(tmp_path, monkeypatch, capsys):
    text = with_column("", ["", "x1", "", "", ""])
    refused(new(tmp_path, monkeypatch, capsys, text), "column H: cells under an empty header")


def test_an_empty_column_without_a_header_is_ignored(tmp_path, monkeypatch, capsys):
    text = with_column("", [""] * len(ROWS))
    code, _, err, written = new(tmp_path, monkeypatch, capsys, text)
    assert code == 0, f"a trailing empty column refused: exit {code}: {err}"
    assert written.exists(), f"a trailing empty column refused: exit {code}: {err}"


def test_full_width_template_headers_are_the_template_columns(tmp_path, monkeypatch, capsys):
    header = [
        "ＰＯＳＴ_ＩＤ",
        "Role",
        "ＴＥＡＭ",
        "Status",
        "In post since",
        "trained_on",
        "Champion",
    ]
    code, _, err, written = new(tmp_path, monkeypatch, capsys, _csv(header, ROWS))
    assert code == 0, f"exit {code}: {err}"
    assert written.exists(), f"exit {code}: {err}"


@pytest.mark.parametrize("column", ["team", "post_id", "trained_on"])
def test_a_duplicated_column_is_refused(column, tmp_path, monkeypatch, capsys):
    index = HEADER.index(column)
    text = _csv([*HEADER, column.upper()], [[*row, row[index]] for row in ROWS])
    letter = "ABCDEFG"[index]
    refused(
        new(tmp_path, monkeypatch, capsys, text),
        f"column H: a second {column!r} column (the first is column {letter})",
    )


# --------------------------------------------------------------------------- cells

IDENTIFYING = {  # label, what the message says it looks like, the part never to be shown
    "a name": ("Team Sarah Jones", "a person's name", "Jones"),
    "a possessive name": ("Oliver's team", "a person's name", "Oliver"),
    "a title": ("Mrs Okonkwo-Bright", "a person's name", "Okonkwo"),
    "an email": ("Assessment (jo.bloggs@council.gov.uk)", "an email address", "bloggs"),
    "a full-width email": ("ｊｏ＠ｘｙｚ．ｏｒｇ", "an email address", "ｘｙｚ"),
    "an NI number with dashes": ("JK-12-34-56-C", "a National Insurance number", "34-56"),
    "an NI number with spaces": ("Team JK 12 34 56 C", "a National Insurance number", "34 56"),
    "an NI number plain": ("JK123456C", "a National Insurance number", "123456"),
}


@pytest.mark.parametrize("case", list(IDENTIFYING))
def test_identifying_text_in_a_team_label_is_refused_and_never_shown(
    case, tmp_path, monkeypatch, capsys
):
    label, what, secret = IDENTIFYING[case]
    rows = [[*row[:2], label if row[2] else "", *row[3:]] for row in ROWS]
    refused(
        new(tmp_path, monkeypatch, capsys, _csv(HEADER, rows)),
        f"row 2, column 'team': a value looks like {what}",
        secret=secret,
    )


@pytest.mark.parametrize("column", ["post_id", "role", "status", "in_post_since", "champion"])
def test_a_name_in_any_cell_is_refused_and_never_shown(column, tmp_path, monkeypatch, capsys):
    index = HEADER.index(column)
    rows = [list(row) for row in ROWS]
    rows[1][index] = "Jane Doe"
    err = refused(
        new(tmp_path, monkeypatch, capsys, _csv(HEADER, rows)),
        f"row 3, column {column!r}: a value looks like a person's name",
        secret="Doe",
    )
    assert "Jane" not in err, err


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("role", "chief_wizard", "column 'role': not one of the roles"),
        ("status", "on leave", "column 'status': not filled, vacant or agency"),
        ("in_post_since", "last spring", "column 'in_post_since': not a date"),
        ("champion", "sometimes", "column 'champion': not true or false"),
        ("trained_on", "2099-01-01", "column 'trained_on': a date in the future"),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column_only(
    column, value, expected, tmp_path, monkeypatch, capsys
):
    rows = [list(row) for row in ROWS]
    rows[1][HEADER.index(column)] = value
    refused(new(tmp_path, monkeypatch, capsys, _csv(HEADER, rows)), expected, secret=value)


def test_ordinary_team_labels_pass(tmp_path, monkeypatch, capsys):
    rows = [list(row) for row in ROWS]
    for label in ("Children in Care 2", "Green team", "Fostering East"):
        rows = [[*row[:2], label if row[2] else "", *row[3:]] for row in rows]
        code, _, err, written = new(tmp_path, monkeypatch, capsys, _csv(HEADER, rows))
        assert code == 0, f"{label!r} refused: {err}"
        written.unlink()


# --------------------------------------------------------------------------- the file name


def test_nothing_of_the_file_name_is_written(tmp_path, monkeypatch, capsys):
    code, _, err, written = new(
        tmp_path, monkeypatch, capsys, _csv(HEADER, ROWS), "Priya Kowalczyk team.csv"
    )
    assert code == 0, f"exit {code}: {err}"
    text = written.read_text(encoding="utf-8")
    for part in ("Priya", "Kowalczyk"):
        assert part not in text, f"{part!r} of the file name is in the scenario"
    assert "--roster STAFF_LIST.csv" in text, text[:600]


# --------------------------------------------------------------------------- day 0


def test_a_holder_trained_before_taking_the_post_is_accepted(tmp_path, monkeypatch, capsys):
    # P5 took the post in 2021 and was trained in 2019 (a previous council, or promoted)
    code, _, err, written = new(tmp_path, monkeypatch, capsys, _csv(HEADER, ROWS))
    assert code == 0, f"exit {code}: {err}"
    assert "trained_on = 2019-05-01" in written.read_text(encoding="utf-8"), (
        "the earlier training date was not kept"
    )
    from sim.scenario import load_scenario
    from sim.scenario.explain_roster import practising_at_start

    scenario = load_scenario(written)
    at_start = practising_at_start(scenario)
    assert at_start.trained == 3, f"trained holders {at_start}"
    assert at_start.recent == 2, f"the 2019 training has decayed by 2026: {at_start}"


def test_validate_says_one_number_practising_on_day_0(tmp_path, monkeypatch, capsys):
    code, _, err, written = new(tmp_path, monkeypatch, capsys, _csv(HEADER, ROWS))
    assert code == 0, f"exit {code}: {err}"
    code, out, err = run_main(["validate", str(written)], tmp_path, monkeypatch, capsys)
    assert code == 0, f"validate exit {code}: {err}"
    text = " ".join(out.split())
    roster = re.search(r"about (\d+) practise on the start date", text)
    champions = re.search(r"\((\d+) of them practising on the start date", text)
    assert roster, f"the two statements are missing:\n{out}"
    assert champions, f"the two statements are missing:\n{out}"
    assert roster.group(1) == champions.group(1), (
        f"the roster says {roster.group(1)} practise, the champions section "
        f"{champions.group(1)}:\n{out}"
    )
    # P1 (a champion, trained 2025-09) always engages; P2 (2025-10) at uptake 0.62
    assert roster.group(1) == "2", f"expected about 2 practising: {roster.group(0)}"
