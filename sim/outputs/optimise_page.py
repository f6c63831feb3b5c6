"""The board report of an optimise folder: the plan chosen (``choice.md``) and the front.

Small on purpose: ``choice.md`` already says the plan, the guarantee, the runner-up and the
guardrails in words; the page shows it with ``front.png`` and the front's table, every text
escaped (the autoescaping template of the other reports is for their kinds' tables).
"""

from __future__ import annotations

import base64
import html
import re

from ..model.vocabulary import measure_label, value_text
from .report_folder import Folder

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _inline(text: str) -> str:
    """Escaped text with ``**bold**`` kept as bold."""
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(text))


def markdown_html(text: str) -> str:
    """The little Markdown ``choice.md`` uses (headings, bullets, paragraphs) as HTML."""
    out, items = [], []
    for line in text.splitlines():
        if line.startswith("- "):
            items.append(f"<li>{_inline(line[2:])}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if line.startswith("## "):
            out.append(f"<h2>{_inline(line[3:])}</h2>")
        elif line.startswith("# "):
            out.append(f"<h1>{_inline(line[2:])}</h1>")
        elif line.strip():
            out.append(f"<p>{_inline(line)}</p>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    return "\n".join(out)


def optimise_html(folder: Folder) -> str:
    """The page: the choice in words, the front picture, the plans on the front."""
    choice = (folder.path / "choice.md").read_text(encoding="utf-8")
    picture = folder.picture("front.png")
    front = folder.table("front.csv")
    cost = folder.manifest.get("objective", "total_cost")
    benefit = folder.manifest.get("benefit", "practising_person_months")
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">",
        f"<title>{html.escape(folder.scenario.name or 'Scenario')}: the plan chosen</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}</style>",
        "</head><body>",
        markdown_html(choice),
    ]
    if picture is not None:
        data = base64.b64encode(picture).decode("ascii")
        parts.append(
            "<h2>The front</h2><img alt='Cost against benefit of every plan tried, the front, "
            f"the plan chosen and the scenario as given' src='data:image/png;base64,{data}'>"
        )
    if front is not None:
        heads = ("Plan", measure_label(cost), measure_label(benefit), "Chosen or as given")
        parts.append(
            "<h2>The plans on the front</h2><table><tr>"
            + "".join(f"<th>{html.escape(h)}</th>" for h in heads)
            + "</tr>"
        )
        for _, row in front.iterrows():
            mark = "chosen" if row["chosen"] else "as given" if row["status_quo"] else ""
            parts.append(
                f"<tr><td>{html.escape(str(row['plan']))}</td>"
                f"<td>{html.escape(value_text(cost, row['cost']))}</td>"
                f"<td>{html.escape(value_text(benefit, row['benefit']))}</td>"
                f"<td>{mark}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
