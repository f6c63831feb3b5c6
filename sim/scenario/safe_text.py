r"""Text that a user wrote, made safe for the programs it is shown in: spreadsheets and
terminals.

A strategy, phase or scenario name is free text. Written as it is into a CSV file, a name
beginning with ``=``, ``+``, ``-`` or ``@`` is taken by a spreadsheet for a formula
(``=HYPERLINK(…)`` becomes a live link), and a tab or carriage return at the start is a
known way to smuggle one past a check (OWASP, "CSV Injection"). Printed as it is, an escape
sequence in a name takes over the terminal (colours, cursor moves, a changed window title).

- :func:`literal` (and :func:`literal_frame` for a table) is what every CSV cell of text
  goes through: such a cell gets a leading single quote, as OWASP advises, and
  :func:`unliteral` takes it off again when the tool reads its own file, so names round-trip
  exactly. Numbers are never touched, and text that is a plain number (``-3``, ``+1.5``)
  stays as it is, since a spreadsheet reads it as the number it is, not as a formula.
- :func:`literal_workbook` does the same for an Excel workbook: every text cell is stored as
  text (never as a formula), so the name is shown exactly as written.
- :func:`terminal` is what every line printed goes through: control characters are shown
  escaped (``\x1b``), line breaks kept.
"""

from __future__ import annotations

import re
from typing import Any

# What makes a spreadsheet read a cell as a formula (OWASP): these first characters.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_FIRST = re.compile("'*[=+\\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _risky(text: str) -> bool:
    """Whether ``text`` (after any leading quotes) starts as a formula would."""
    rest = text.lstrip(QUOTE)
    if not rest.startswith(FORMULA_STARTS):
        return False
    return text.startswith(QUOTE) or not _NUMBER.fullmatch(rest)


def literal(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: ``value`` with a leading ``'`` if it is text
    that would start a formula (or is already so quoted); any other value as it is.
    """
    if isinstance(value, str) and _risky(value):
        return QUOTE + value
    return value


def unliteral(value: Any) -> Any:
    """The text :func:`literal` was given: its leading ``'`` taken off (exact inverse)."""
    if isinstance(value, str) and value.startswith(QUOTE) and _risky(value[1:]):
        return value[1:]
    return value


def _is_text(column) -> bool:
    return column.dtype == object or str(column.dtype) in ("string", "str")


def _may_start_a_formula(column) -> bool:
    try:
        return bool(column.str.match(_FIRST, na=False).any())
    except AttributeError:  # an object column without text (booleans, missing values)
        return True


def literal_frame(frame):
    """A copy of a pandas table whose text cells (and column names) are :func:`literal`;
    the same table if none needs it. Numeric columns are never touched.
    """
    columns = [c for c in frame.columns if _is_text(frame[c])]
    names = [literal(c) for c in frame.columns]
    # A cheap first look (first characters only), then the exact test on those columns.
    risky = [
        c
        for c in columns
        if _may_start_a_formula(frame[c]) and frame[c].map(lambda v: literal(v) is not v).any()
    ]
    if not risky and names == list(frame.columns):
        return frame
    frame = frame.copy()
    for column in risky:
        frame[column] = frame[column].map(literal)
    frame.columns = names
    return frame


def unliteral_frame(frame):
    """The table :func:`literal_frame` was given, read back from its file (in place)."""
    for column in frame.columns:
        if _is_text(frame[column]):
            frame[column] = frame[column].map(unliteral)
    frame.columns = [unliteral(c) for c in frame.columns]
    return frame


def literal_workbook(book) -> None:
    """Store every text cell of an openpyxl workbook as text: never a formula.

    openpyxl takes any text beginning with ``=`` for a formula; the tool writes no formula
    of its own, so every such cell is a name or a label, and is set back to plain text.
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


# C0 bar the line break, DEL, C1, and the bidirectional overrides that reorder a line.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal(text: str) -> str:
    r"""``text`` fit to print: every control character (bar the line break) shown escaped,
    ``\x1b`` for ESC, so nothing a user wrote can move the cursor or recolour the screen.
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
