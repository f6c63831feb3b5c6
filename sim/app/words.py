"""What the page says in words: the explanation as short paragraphs and small tables, the
choices of a lever in plain words, and a comparison as tables that fit the page.

``rollout validate``'s explanation is fixed-width text for a terminal; the page cuts it
into its sections, each a few paragraphs and, where the text lines up in columns, a small
table. Scenario keys (dotted names) are kept out of the paragraphs: the sections that list
keys (where each value came from) are shown on request only, and the uncertain assumptions
become a table labelled from the vocabulary. Nothing here imports Streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# The choices of the app's levers in words (the values are the scenario's own).
CHOICES = {
    "mixed": "mixed: every level in each cohort",
    "senior_first": "senior staff first",
    "whole_teams": "whole teams together",
    "random": "at random",
    "none": "never replaced",
    "at_once": "replaced straight away",
    "yearly": "topped up each year",
    "foundation": "foundation training",
    "mentoring": "live mentoring",
    "champion_supervision": "champions' supervision",
    "consultation": "consultations",
}
KEY_SECTIONS = ("Provenance",)  # sections that only list keys: shown on request
SKIPPED = ("Warnings",)  # the page shows the warnings by their levers
# Column names for the tables whose text has no header line, by section.
HEADERS = {"Phase calendar": ("part", "dates", "length", "what is supplied")}
UNCERTAIN = "Uncertain assumptions"
_KEY = re.compile(r"\b[a-z_]+(?:\.[A-Za-z0-9_\-]+)+\b")
_SNAKE = re.compile(r"(?<![.\w])([a-z]+(?:_[a-z]+)+)(?![.\w])")
_KEY_ITEM = re.compile(r"[a-z_]+(?:\.[A-Za-z0-9_\-]+)+: ")
_GAP = re.compile(r" {2,}")


def humane(word: str) -> str:
    """A name with underscores in words: ``senior_practitioner`` → "senior practitioner"."""
    return word.replace("_", " ")


def choice_label(value: str) -> str:
    """A lever's choice in words; a provider group's name made readable."""
    return CHOICES.get(value, f"group: {humane(value)}")


def plain_text(text: str) -> str:
    """A line of the explanation with names in words (dotted keys left to the expander)."""
    return _SNAKE.sub(lambda m: humane(m.group(1)), text)


@dataclass
class Section:
    """One section of the explanation: its title and what it holds, in order.

    ``parts`` are ``("text", str)`` paragraphs and ``("table", rows)`` tables, each table a
    list of dicts (column → cell); ``keys`` is True for a section that lists keys only.
    """

    title: str
    parts: list[tuple[str, Any]] = field(default_factory=list)
    keys: bool = False


def _items(lines: Sequence[str]) -> list[str]:
    """The section's items: a line indented by two spaces starts one, deeper ones continue it."""
    items: list[str] = []
    start = 0
    for line in lines:
        body = line.strip()
        if not body:
            continue
        indent = len(line) - len(line.lstrip(" "))
        new = indent <= start or bool(_GAP.search(body)) or bool(_KEY_ITEM.match(body))
        if items and not new:
            items[-1] += " " + body
        else:
            items.append(line.rstrip())
            start = indent
    return items


def _spans(line: str) -> list[tuple[int, int, str]]:
    """The cells of a fixed-width line: (start, end, text), cells parted by 2+ spaces."""
    spans = []
    for match in re.finditer(r"\S+(?: \S+)*", line):
        spans.append((match.start(), match.end(), match.group()))
    return spans


def _table(lines: list[str], names: Sequence[str] = ()) -> list[dict[str, str]]:
    """Fixed-width lines as rows; the first line is the header when it holds no digit,
    else the columns take ``names`` (and no name past those).
    """
    header = _spans(lines[0])
    has_header = not any(ch.isdigit() for ch in lines[0])
    rows_lines = lines[1:] if has_header else lines
    if not has_header:
        width = max(len(_spans(line)) for line in lines)
        names = [*names, *(" " * (i + 1) for i in range(len(names), width))]
        return [
            {names[i]: plain_text(cell[2]) for i, cell in enumerate(_spans(line)) if i < len(names)}
            for line in rows_lines
        ]
    names = [cell[2] for cell in header]
    rows = []
    for line in rows_lines:
        row = dict.fromkeys(names, "")
        for start, end, text in _spans(line):

            def overlap(column, start=start, end=end) -> int:
                h_start, h_end, _ = column
                return min(end, h_end) - max(start, h_start)

            best = max(header, key=overlap)
            row[best[2]] = (row[best[2]] + " " + plain_text(text)).strip()
        rows.append(row)
    return rows


def _uncertain_rows(items: Sequence[str], scenario: Any) -> tuple[list[str], list[dict]]:
    """The uncertain assumptions as (paragraphs, rows of what is assumed and its source)."""
    from ..model.vocabulary import key_label

    paragraphs, rows = [], []
    for item in items:
        body = item.strip()
        key, sep, rest = body.partition(": ")
        if sep and _KEY.fullmatch(key):
            what, _, source = rest.partition(" Source: ")
            rows.append(
                {
                    "assumption": key_label(key, scenario),
                    "what is assumed": plain_text(what.rstrip(".")),
                    "source": source,
                }
            )
        else:
            paragraphs.append(plain_text(body))
    return paragraphs, rows


def sections(lines: Sequence[str], scenario: Any = None) -> list[Section]:
    """``rollout validate``'s explanation cut into sections of paragraphs and tables."""
    groups: list[list[str]] = []
    for line in lines:
        if line.strip() and not line.startswith(" "):
            groups.append([line])
        elif groups:
            groups[-1].append(line)
    found = []
    for group in groups:
        title = group[0].strip()
        if title.startswith(SKIPPED):
            continue
        section = Section(title.split(":")[0] if ":" in title else title)
        rest_of_title = title.partition(": ")[2]
        if rest_of_title and len(rest_of_title) < 25:
            section.title, rest_of_title = f"{section.title} ({rest_of_title})", ""
        if group is groups[0]:
            section = Section("In short")
            section.parts.append(("text", plain_text(title)))
        elif rest_of_title:
            section.parts.append(("text", plain_text(rest_of_title[0].upper() + rest_of_title[1:])))
        section.keys = any(title.startswith(k) for k in KEY_SECTIONS)
        items = _items(group[1:])
        if title.startswith(UNCERTAIN):
            paragraphs, rows = _uncertain_rows(items, scenario)
            section.parts += [("text", p) for p in paragraphs]
            if rows:
                section.parts.append(("table", rows))
            found.append(section)
            continue
        run: list[str] = []
        for item in [*items, ""]:
            if item and _GAP.search(item.strip()):
                run.append(item)
                continue
            if len(run) >= 2:
                section.parts.append(
                    ("table", _table(run, HEADERS.get(section.title.split(" (")[0], ())))
                )
            elif run:
                section.parts.append(("text", plain_text(_GAP.sub(" ", run[0].strip()))))
            run = []
            if item:
                section.parts.append(("text", plain_text(item.strip())))
        found.append(section)
    return found


# --------------------------------------------------------------------------- comparison


def comparison_tables(
    comparison, differences, strategies: Sequence[str], scenario: Any = None
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """A comparison as two tables that fit the page: one row per strategy (its key
    measures), and one row per strategy set against the first (the paired differences).
    Every figure is the average with its 95 % interval, then 9 futures in 10.
    """
    from ..experiments.display import few_futures_note, with_range
    from ..model.vocabulary import difference_text, key_measures, measure_label

    few = few_futures_note(comparison) is not None  # said once above the tables
    by = comparison.set_index(["strategy", "measure"])
    diff = differences.set_index(["strategy", "measure"]) if len(differences) else None
    common, relative = key_measures(list(dict.fromkeys(comparison["measure"])))
    measures = [*common, *relative]
    first = strategies[0]
    levels = []
    for s in strategies:
        row = {"strategy": s}
        for m in measures:
            row[measure_label(m, scenario)] = with_range(m, by.loc[(s, m)], few_said=few)
        levels.append(row)
    changes = []
    for s in strategies[1:]:
        row = {"strategy": f"{s}, against {first}"}
        for m in measures:
            key = (s, m)
            row[measure_label(m, scenario)] = (
                with_range(m, diff.loc[key], difference_text, "mean_difference", few_said=few)
                if diff is not None and key in diff.index
                else "–"
            )
        changes.append(row)
    return levels, changes
