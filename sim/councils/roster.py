"""A council's staff list (roster) and leavers list, read and checked, identifiers refused.

The roster has one row per post: ``post_id`` (opaque, used only to find duplicates),
``role``, ``team``, ``status`` (filled, vacant, agency), ``in_post_since``, ``trained_on``,
``champion`` and optionally ``mentored_on``. The leavers list has one row per person who held
a post: ``role``, ``started``, ``left`` (empty for those still in post).

**Privacy by design.** Neither file may carry anything that identifies a person. Only the
template's columns are read (headers compared after NFKC normalisation and case folding);
a column whose header looks like a name, email, National Insurance number, staff or payroll
number, date of birth, address or phone is refused, and so is any other column with a
header, cells under an empty header and a column given twice. Any cell holding an email
address, an NI number (spaces, dashes or neither), a title or a common given name or
surname (:mod:`.person_names`) is refused. A message names the row and the column, never
what a cell holds. Post ids are read only to find duplicates: they are never kept, so
nothing written afterwards can contain one.

Every problem is one line naming the file, the row (as a spreadsheet numbers it: the header
is row 1) and the column; all problems are collected and raised together as a
:class:`~sim.scenario.keys.ScenarioError` (exit 2, nothing written).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from ..scenario.keys import ScenarioError
from .person_names import GIVEN_NAMES, SURNAMES, TITLES

ROSTER_COLUMNS = (
    "post_id",
    "role",
    "team",
    "status",
    "in_post_since",
    "trained_on",
    "champion",
)
ROSTER_OPTIONAL = ("mentored_on",)
LEAVERS_COLUMNS = ("role", "started", "left")

# Column names (normalised: lower case, words joined by _) that identify a person.
_IDENTIFYING_EXACT = {
    "ni": "a National Insurance number",
    "nino": "a National Insurance number",
    "ni_no": "a National Insurance number",
    "ni_number": "a National Insurance number",
    "dob": "a date of birth",
    "initials": "a name",
}
_IDENTIFYING_WORDS = (
    ("national_insurance", "a National Insurance number"),
    ("surname", "a name"),
    ("forename", "a name"),
    ("email", "an email address"),
    ("e_mail", "an email address"),
    ("mail", "an email address"),
    ("staff_no", "a staff number"),
    ("staff_number", "a staff number"),
    ("staff_id", "a staff number"),
    ("employee", "a staff number"),
    ("payroll", "a payroll number"),
    ("personnel", "a staff number"),
    ("birth", "a date of birth"),
    ("address", "an address"),
    ("postcode", "an address"),
    ("phone", "a phone number"),
    ("mobile", "a phone number"),
)
# Identifying text anywhere in a cell (not only a whole cell): an email address, a National
# Insurance number written with spaces, dashes or neither, a title before a word, or a
# common given name or surname as a word (:mod:`.person_names`).
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
NI_NUMBER = re.compile(
    r"(?<![a-z0-9])[a-ceghj-pr-tw-z][a-ceghj-npr-tw-z][\s-]?\d{2}[\s-]?\d{2}[\s-]?\d{2}"
    r"(?:[\s-]?[a-d])?(?![a-z0-9])"
)
WORDS = re.compile(r"[^\W\d_]+")
TRUE, FALSE = {"true", "yes", "y", "1"}, {"false", "no", "n", "0", ""}


def _folded(text: str) -> str:
    """Text compared as a reader sees it: Unicode NFKC (full-width, ligatures and styled
    letters become plain ones), then case-folded.
    """
    return unicodedata.normalize("NFKC", text).casefold()


def normalise_column(name: str) -> str:
    """A header as compared with the template's columns: NFKC, case-folded, every run of
    other characters one ``_``. A header of other scripts or punctuation only gives ``""``.
    """
    return re.sub(r"[^a-z0-9]+", "_", _folded(name).strip()).strip("_")


def identifying_column(name: str) -> str | None:
    """What a column of this name would identify (``"a name"``...), or ``None``."""
    column = normalise_column(name)
    if column in _IDENTIFYING_EXACT:
        return _IDENTIFYING_EXACT[column]
    if "name" in column and column not in ("team_name", "teamname", "role_name"):
        return "a name"
    words = f"_{column}_"
    for word, what in _IDENTIFYING_WORDS:
        if f"_{word}_" in words or (len(word) > 4 and word in column):
            return what
    return identifying_value(name)


def identifying_value(value: str) -> str | None:
    """What a cell's text holds that identifies a person (an email address, an NI number,
    a person's name), or ``None``. The whole cell is searched, after NFKC normalisation.
    """
    text = _folded(value)
    if not text.strip():
        return None
    if EMAIL.search(text):
        return "an email address"
    if NI_NUMBER.search(text):
        return "a National Insurance number"
    words = WORDS.findall(text)
    for i, word in enumerate(words):
        if word in GIVEN_NAMES or word in SURNAMES:
            return "a person's name"
        if word in TITLES and i + 1 < len(words):
            return "a person's name (a title before it)"
    return None


def _letter(index: int) -> str:
    """A column as a spreadsheet names it: 0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


@dataclass(frozen=True)
class RosterRow:
    """One post of the roster, without its post id. ``line`` is its spreadsheet row."""

    line: int
    role: str
    team: str
    status: str
    in_post_since: date | None
    trained_on: date | None
    champion: bool
    mentored_on: date | None


@dataclass(frozen=True)
class Spell:
    """One person's time in a role (leavers file): ``left`` is ``None`` while in post."""

    line: int
    role: str
    started: date
    left: date | None


def _read_table(path: Path, required: tuple[str, ...], optional: tuple[str, ...]):
    """The rows of a CSV file as dicts of the template's columns, after the privacy checks.

    Only the template's columns are read. A header is compared after NFKC normalisation and
    case folding, so ``ＴＥＡＭ`` is ``team``; any other header is refused (and so is a
    column with cells but no header, and a column given twice), and so is any cell holding
    identifying text. A message names the row and the column, never what a cell holds.
    """
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError([f"{source}: no such file"]) from None
    except UnicodeDecodeError:
        raise ScenarioError([f"{source}: not UTF-8 text; save it as CSV (UTF-8)"]) from None
    except OSError as exc:
        raise ScenarioError([f"{source}: cannot read the file ({exc.strerror})"]) from None
    try:
        table = list(csv.reader(text.splitlines()))
    except csv.Error:
        raise ScenarioError([f"{source}: not a CSV table (a quote is not closed)"]) from None
    header = table[0] if table else None
    if not header or not any(h.strip() for h in header):
        raise ScenarioError([f"{source}: empty file; the first row names the columns"])
    body = [
        (n, cells) for n, cells in enumerate(table[1:], start=2) if any(c.strip() for c in cells)
    ]
    used = {i for _, cells in body for i, cell in enumerate(cells) if cell.strip()}
    problems: list[str] = []
    allowed = required + optional
    kept: dict[int, str] = {}  # position -> the template's column
    first: dict[str, int] = {}
    for i, raw in enumerate(header):
        column = normalise_column(raw)
        at = f"{source}, column {_letter(i)}"
        what = identifying_column(raw)
        if what is not None:
            problems.append(
                f"{at}: its header looks like {what}; rollout refuses anything that "
                "identifies a person (see docs/roster.md): delete the column"
            )
        elif column in allowed and column in first:
            problems.append(
                f"{at}: a second {column!r} column (the first is column "
                f"{_letter(first[column])}); keep one"
            )
        elif column in allowed:
            first[column] = i
            kept[i] = column
        elif raw.strip():
            problems.append(
                f"{at}: its header is not a column of this file (columns: "
                f"{', '.join(allowed)}); delete it: rollout reads nothing it does not need"
            )
        elif i in used:
            problems.append(
                f"{at}: cells under an empty header; delete them: rollout reads only the "
                f"columns {', '.join(allowed)}"
            )
    for column in required:
        if column not in first:
            problems.append(f"{source}, row 1: the column {column!r} is missing")
    rows = []
    for number, cells in body:
        for i, cell in enumerate(cells):
            what = identifying_value(cell)
            if what is not None:
                name = repr(kept[i]) if i in kept else _letter(i)
                problems.append(
                    f"{source}, row {number}, column {name}: a value looks like {what}; "
                    "rollout refuses anything that identifies a person (see docs/roster.md)"
                )
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            problems.append(f"{source}, row {number}: more cells than columns")
        row = dict.fromkeys(allowed, "")
        row.update({c: cells[i].strip() for i, c in kept.items() if i < len(cells)})
        rows.append((number, row))
    if problems:
        raise ScenarioError(problems)
    return rows


def _date(
    value: str, source: str, number: int, column: str, as_of: date, problems: list[str]
) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        problems.append(f"{source}, row {number}, column {column!r}: not a date like 2023-09-01")
        return None
    if day > as_of:
        problems.append(
            f"{source}, row {number}, column {column!r}: a date in the future (after {as_of}, "
            "the date the roster describes)"
        )
        return None
    return day


def read_roster(
    path: str | Path,
    roles: dict[str, bool],
    supervisor_role: str | None,
    as_of: date,
) -> list[RosterRow]:
    """Read and check a roster.

    Parameters
    ----------
    roles
        Role name → whether it works in practice teams (the supervisor role and team members).
    supervisor_role
        The role whose posts lead teams.
    as_of
        The date the roster describes (no date may be later).
    """
    path = Path(path)
    source = str(path)
    problems: list[str] = []
    seen: dict[str, int] = {}
    result: list[RosterRow] = []
    for number, row in _read_table(path, ROSTER_COLUMNS, ROSTER_OPTIONAL):

        def where(column: str, number: int = number) -> str:
            return f"{source}, row {number}, column {column!r}"

        post = row["post_id"]
        if not post:
            problems.append(f"{where('post_id')}: empty; every post needs an id")
        elif post in seen:
            problems.append(f"{where('post_id')}: the same post id as row {seen[post]}")
        else:
            seen[post] = number
        role = row["role"]
        if role not in roles:
            problems.append(f"{where('role')}: not one of the roles {', '.join(roles)}")
        status = row["status"].lower()
        if status not in ("filled", "vacant", "agency"):
            problems.append(f"{where('status')}: not filled, vacant or agency")
        since = _date(row["in_post_since"], source, number, "in_post_since", as_of, problems)
        trained = _date(row["trained_on"], source, number, "trained_on", as_of, problems)
        mentored = _date(row.get("mentored_on", ""), source, number, "mentored_on", as_of, problems)
        flag = row["champion"].lower()
        if flag not in TRUE | FALSE:
            problems.append(f"{where('champion')}: not true or false")
        champion = flag in TRUE
        team = row["team"]
        if role in roles:
            if roles[role] and not team:
                problems.append(f"{where('team')}: a {role} post belongs to a team: give it")
            if not roles[role] and team:
                problems.append(
                    f"{where('team')}: {role} posts are outside practice teams; leave it empty"
                )
        if status == "vacant":
            for column, value in (
                ("in_post_since", since),
                ("trained_on", trained),
                ("mentored_on", mentored),
                ("champion", champion),
            ):
                if value:
                    problems.append(f"{where(column)}: a vacant post has nobody in it")
        if status == "filled" and since is None and row["in_post_since"] == "":
            problems.append(f"{where('in_post_since')}: empty; when did the holder start?")
        if since and mentored and mentored < since:
            problems.append(
                f"{where('mentored_on')}: before the holder was in post (in_post_since); "
                "mentoring is counted in this post"
            )
        if champion and status == "agency":
            problems.append(f"{where('champion')}: champions hold permanent posts, not agency")
        if champion and status == "filled" and not trained and not row["trained_on"]:
            problems.append(f"{where('champion')}: a champion must be trained (give trained_on)")
        if mentored and role != supervisor_role:
            problems.append(
                f"{where('mentored_on')}: only supervisors ({supervisor_role}) are mentored"
            )
        if mentored and not trained and not row["trained_on"]:
            problems.append(f"{where('mentored_on')}: a mentored supervisor must be trained")
        result.append(RosterRow(number, role, team, status, since, trained, champion, mentored))
    if not result and not problems:
        problems.append(f"{source}: no posts; the roster lists one row per post")
    leaders: dict[str, list[int]] = {}
    members: dict[str, list[int]] = {}
    for row in result:
        if row.team and row.role in roles and roles[row.role]:
            (leaders if row.role == supervisor_role else members).setdefault(row.team, []).append(
                row.line
            )
    for team, lines in sorted(members.items()):
        if team not in leaders:
            problems.append(
                f"{source}, row {lines[0]}, column 'team': the team has no "
                f"{supervisor_role} post to lead it (a vacant one will do)"
            )
    for _team, lines in sorted(leaders.items()):
        if len(lines) > 1:
            problems.append(
                f"{source}, row {lines[1]}, column 'team': the team already has a "
                f"{supervisor_role} post (row {lines[0]}); a team has one supervisor post"
            )
    if problems:
        raise ScenarioError(problems)
    return result


def read_leavers(path: str | Path, roles: dict[str, bool], as_of: date) -> list[Spell]:
    """Read and check a leavers list (``role``, ``started``, ``left``)."""
    path = Path(path)
    source = str(path)
    problems: list[str] = []
    spells: list[Spell] = []
    for number, row in _read_table(path, LEAVERS_COLUMNS, ()):
        role = row["role"]
        if role not in roles:
            problems.append(
                f"{source}, row {number}, column 'role': not one of the roles {', '.join(roles)}"
            )
        started = _date(row["started"], source, number, "started", as_of, problems)
        left = _date(row["left"], source, number, "left", as_of, problems)
        if started is None and not row["started"]:
            problems.append(f"{source}, row {number}, column 'started': empty; give a date")
        if started and left and left < started:
            problems.append(f"{source}, row {number}, column 'left': before the date started")
        if started is not None:
            spells.append(Spell(number, role, started, left))
    if not spells and not problems:
        problems.append(f"{source}: no rows; one row per person who held a post")
    if problems:
        raise ScenarioError(problems)
    return spells


def roster_template_text() -> str:
    """The blank roster that ships with the package (``rollout new --roster-template``)."""
    data = resources.files("sim.councils") / "data" / "roster_template.csv"
    return data.read_text(encoding="utf-8")
