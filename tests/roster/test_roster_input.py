"""Bad rosters and leavers lists: one line per problem naming file, row and column; exit 2;
nothing written; identifying columns and values refused without repeating the value.
"""

from __future__ import annotations

from conftest import run_main as call

HEADER = "post_id,role,team,status,in_post_since,trained_on,champion,mentored_on\n"
GOOD = (
    "P1,senior_practitioner,A,filled,2020-01-01,2024-01-01,true,2024-02-01\n"
    "P2,social_worker,A,filled,2021-01-01,,false,\n"
    "P3,social_worker,A,vacant,,,false,\n"
    "P4,team_manager,,filled,2019-01-01,,false,\n"
)


def new(tmp_path, monkeypatch, capsys, roster_text, *more, leavers_text=None):
    roster = tmp_path / "staff.csv"
    roster.write_text(roster_text, encoding="utf-8")
    args = ["new", "--roster", str(roster), "--start", "2026-04-01", "-o", "out.toml"]
    if leavers_text is not None:
        (tmp_path / "leavers.csv").write_text(leavers_text, encoding="utf-8")
        args += ["--leavers", str(tmp_path / "leavers.csv")]
    code, out, err = call(args + list(more), tmp_path, monkeypatch, capsys)
    return code, out, err, (tmp_path / "out.toml").exists()


def test_a_good_small_roster_is_written(tmp_path, monkeypatch, capsys):
    code, out, err, written = new(tmp_path, monkeypatch, capsys, HEADER + GOOD)
    assert code == 0, f"exit {code}, written {written}: {err}"
    assert written, f"exit {code}, written {written}: {err}"
    assert "P1" not in (tmp_path / "out.toml").read_text(), "a post id was copied"


def test_every_problem_named_by_row_and_column(tmp_path, monkeypatch, capsys):
    bad = (
        "P1,senior_practitioner,A,filled,2020-01-01,2024-01-01,true,\n"
        "P2,director,,filled,2021-01-01,,false,\n"  # unknown role
        "P3,social_worker,B,filled,2021-01-01,,false,\n"  # team B has no supervisor post
        "P4,social_worker,A,filled,2021-01-01,2099-01-01,false,\n"  # in the future
        "P1,social_worker,A,filled,2021-01-01,,false,\n"  # duplicate post id
        "P7,social_worker,A,vacant,,2023-01-01,false,\n"  # a vacant post trained
        "P8,social_worker,A,filled,2021-13-01,,false,\n"  # not a date
    )
    code, _, err, written = new(tmp_path, monkeypatch, capsys, HEADER + bad)
    assert code == 2, f"exit {code}, written {written}"
    assert not written, f"exit {code}, written {written}"
    source = str(tmp_path / "staff.csv")
    for expected in (
        "row 3, column 'role': not one of the roles",
        "row 4, column 'team': the team has no senior_practitioner post",
        "row 5, column 'trained_on': a date in the future",
        "row 6, column 'post_id': the same post id as row 2",
        "row 7, column 'trained_on': a vacant post has nobody in it",
        "row 8, column 'in_post_since': not a date",
    ):
        assert f"{source}, {expected}" in err, f"missing {expected!r} in:\n{err}"
    assert "Traceback" not in err, err
    for content in ("director", "2099-01-01", "2021-13-01", "'B'"):
        assert content not in err, f"a cell's content ({content}) was repeated:\n{err}"


def test_identifying_columns_and_values_refused(tmp_path, monkeypatch, capsys):
    text = (
        "post_id,Surname,role,team,status,in_post_since,trained_on,champion,NI number\n"
        "P1,x,senior_practitioner,A,filled,2020-01-01,,false,\n"
        "jo.bloggs@council.gov.uk,x,social_worker,A,filled,2021-01-01,,false,\n"
    )
    code, _, err, written = new(tmp_path, monkeypatch, capsys, text)
    assert code == 2, f"exit {code}, written {written}"
    assert not written, f"exit {code}, written {written}"
    assert "column B: its header looks like a name" in err, err
    assert "column I: its header looks like a National Insurance number" in err, err
    assert "row 3, column 'post_id': a value looks like an email address" in err, err
    assert "bloggs" not in err, f"the refused value was repeated:\n{err}"


def test_leavers_problems_and_wild_size(tmp_path, monkeypatch, capsys):
    leavers = "role,started,left\nsocial_worker,2022-01-01,2021-01-01\nchef,2020-01-01,\n"
    code, _, err, written = new(tmp_path, monkeypatch, capsys, HEADER + GOOD, leavers_text=leavers)
    assert code == 2, f"exit {code}, written {written}"
    assert not written, f"exit {code}, written {written}"
    assert "leavers.csv, row 2, column 'left': before the date started" in err, err
    assert "leavers.csv, row 3, column 'role': not one of the roles" in err, err
    assert "chef" not in err, f"a cell was repeated:\n{err}"
    assert "2021-01-01" not in err, f"a cell was repeated:\n{err}"
    code, _, err, written = new(tmp_path, monkeypatch, capsys, HEADER + GOOD, "--council", "camden")
    assert code == 2, f"exit {code}, written {written}"
    assert not written, f"exit {code}, written {written}"
    assert "lists 4 social-work posts" in err, err
    assert "check the file and --council" in err, err


def test_roster_template_is_a_valid_roster(tmp_path, monkeypatch, capsys):
    code, _, err = call(["new", "--roster-template", "-o", "t.csv"], tmp_path, monkeypatch, capsys)
    assert code == 0, f"exit {code}: {err}"
    code, _, err, written = new(
        tmp_path, monkeypatch, capsys, (tmp_path / "t.csv").read_text(encoding="utf-8")
    )
    assert code == 0, f"the template as a roster: exit {code}: {err}"
    assert written, f"the template as a roster: exit {code}: {err}"


def test_a_roster_of_one_huge_team_is_refused(tmp_path, monkeypatch, capsys):
    members = "".join(f"P{i},social_worker,A,filled,2021-01-01,,false,\n" for i in range(10, 50))
    text = HEADER + "P1,senior_practitioner,A,filled,2020-01-01,,false,\n" + members
    code, _, err, written = new(tmp_path, monkeypatch, capsys, text)
    assert code == 2, f"exit {code}, written {written}"
    assert not written, f"exit {code}, written {written}"
    assert "column 'team': 40 team-member posts in 1 team(s)" in err, err
