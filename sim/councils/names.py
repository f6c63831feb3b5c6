"""Finding a council by name, forgivingly, and listing councils with their latest figures.

Names are matched after folding case, punctuation, "and"/"&" and "City of"; an ambiguous or
unknown name lists the candidates.
"""

from __future__ import annotations

import difflib
import re

from ..scenario.keys import ScenarioError
from .figures import ATTRIBUTION, RELEASE, Council, councils

_DROP_PHRASES = (
    "london borough of",
    "royal borough of",
    "metropolitan borough of",
    "borough council",
    "county council",
    "city council",
    "city of",
    "county of",
    "council",
)


def normalise(name: str) -> str:
    """A name reduced for matching: lower case, no punctuation, no 'and', 'city of', 'council'.

    ``"Bristol, City of"``, ``"city of bristol"`` and ``"Bristol City Council"`` all become
    ``"bristol"``; ``"Hammersmith & Fulham"`` becomes ``"hammersmith fulham"``.
    """
    text = name.lower().replace("&", " and ")
    text = re.sub(r"\bsaint\b", "st", text)
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = " " + " ".join(text.split()) + " "
    for phrase in _DROP_PHRASES:
        text = text.replace(f" {phrase} ", " ")
    words = [w for w in text.split() if w not in ("and", "the")]
    return " ".join(words)


def search(text: str = "", pool: dict[str, Council] | None = None) -> list[Council]:
    """Councils whose name contains ``text`` (normalised), or failing that, close matches."""
    pool = councils() if pool is None else pool
    query = normalise(text)
    if not query:
        return list(pool.values())
    found = [c for c in pool.values() if query in normalise(c.name)]
    if found:
        return found
    return [pool[n] for n in _close(query, pool, cutoff=0.6)]


def _close(query: str, pool: dict[str, Council], cutoff: float, n: int = 5) -> list[str]:
    by_key: dict[str, list[str]] = {}
    for name in pool:
        by_key.setdefault(normalise(name), []).append(name)
    keys = difflib.get_close_matches(query, list(by_key), n=n, cutoff=cutoff)
    return [name for key in keys for name in by_key[key]]


def find_council(text: str, pool: dict[str, Council] | None = None) -> Council:
    """The one council a user means by ``text``, matched forgivingly.

    In order: the same name once normalised (case, punctuation, 'and'/'&', 'city of',
    'council' ignored); a name that starts with the text or contains it as whole words; a
    name that contains it anywhere; one clear close spelling (difflib). The first rule that
    finds anything decides; several candidates are ambiguous.

    Raises
    ------
    ScenarioError
        One line naming the candidates when the text is ambiguous or matches nothing.
    """
    pool = councils() if pool is None else pool
    query = normalise(text)
    if not query:
        raise ScenarioError(["--council: give a council name (see `rollout councils`)"])
    keyed = [(normalise(name), council) for name, council in pool.items()]
    rules = (
        lambda key: key == query,
        lambda key: key.startswith(query + " ") or f" {query} " in f" {key} ",
        lambda key: query in key,
    )
    for rule in rules:
        found = [council for key, council in keyed if rule(key)]
        if len(found) == 1:
            return found[0]
        if found:
            names = "; ".join(c.name for c in found[:12])
            more = f" and {len(found) - 12} more" if len(found) > 12 else ""
            raise ScenarioError(
                [
                    f"--council {text!r} is ambiguous: it matches {names}{more}; "
                    "give more of the name"
                ]
            )
    close = _close(query, pool, cutoff=0.8, n=3)
    if len(close) == 1:
        return pool[close[0]]
    candidates = close or _close(query, pool, cutoff=0.5, n=5)
    hint = f"; did you mean {'; '.join(candidates)}?" if candidates else ""
    raise ScenarioError(
        [
            f"--council {text!r}: no council of that name in the DfE data{hint} "
            "(list them with `rollout councils --search TEXT`)"
        ]
    )


# --------------------------------------------------------------------------- listing


def listing(text: str = "") -> list[str]:
    """A readable table of councils matching ``text``: latest in post, turnover, vacancy,
    agency, and the year; then the attribution line.
    """
    found = search(text)
    rows = []
    for council in found:
        year = council.latest("inpost_fte") or council.years[-1]
        row = council.figures[year]
        rows.append((council.name, str(year), *(_cell(row[c]) for c in _LISTED)))
    header = ("council", "year", "in post (FTE)", "turnover %", "vacancy %", "agency %")
    if not rows:
        return [f"No council matches {text!r}.", f"{RELEASE}. {ATTRIBUTION}"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest])

    out = [line(header), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    out += [
        "",
        f"{len(rows)} council(s); latest reporting year (to 30 September) with figures. "
        "turnover = leavers / in post; vacancy = vacancies / (in post + vacancies); "
        "agency = agency / (in post + agency).",
        f"Source: {RELEASE}. {ATTRIBUTION}",
    ]
    return out


_LISTED = ("inpost_fte", "turnover_rate_fte", "vacancy_rate_fte", "agency_rate_fte")


def _cell(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.1f}"
