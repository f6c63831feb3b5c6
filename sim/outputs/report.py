"""The report for the board: one self-contained HTML file from a run, compare or sweep folder.

``rollout report RUN_DIR`` reads what the folder holds (``manifest.json`` and the CSV
tables; pictures as they are) and writes ``report.html``: the question, the strategies in
words, the answer in a sentence with its uncertainty, the pictures embedded (base64: the
file makes no request of its own), the measures with their intervals, every assumption with
its source and confidence, what the model leaves out, and the validation status. It prints
cleanly to PDF (a print stylesheet, page breaks between sections). Beside it,
``tables.xlsx`` holds the folder's tables for a spreadsheet.

Nothing in the folder is executed or unpickled: JSON and CSV are read as data, the scenario
is validated by the schema like any file, and every piece of text that a user could have
written (names, descriptions, sources, strategy names) is escaped: the page is a Jinja2
template (``templates/report.html``) with autoescape on.
"""

from __future__ import annotations

import base64
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..model.scope import LEFT_OUT
from ..model.vocabulary import (
    glossary,
    key_label,
    measure_label,
    measure_term,
    plain_value,
)
from ..scenario.destinations import check_parent
from ..scenario.keys import ScenarioError
from ..scenario.provenance import CONFIDENCES
from ..scenario.safe_text import literal_workbook
from ..scenario.schema import Scenario
from .report_folder import (
    COLUMNS,
    HEADLINE,
    REQUIRED_TABLES,
    TABLES,
    TEXT_COLUMNS,
    Folder,
    _reason,
    manifest_problem,
    table_problem,
)
from .report_tables import Part, compare_tables, run_tables, sweep_tables
from .report_words import (
    _changed_text,
    _description_holds,
    _levers,
    _strategies_as_run,
    changed_values,
    compare_answer,
    differences_in_words,
    horizon_sentences,
    phase_lines,
    run_answer,
    sweep_answer,
)

__all__ = [
    "COLUMNS",
    "CSP",
    "HEADLINE",
    "PICTURES",
    "REQUIRED_TABLES",
    "TABLES",
    "TEXT_COLUMNS",
    "Folder",
    "build_html",
    "changed_values",
    "compare_answer",
    "differences_in_words",
    "horizon_sentences",
    "manifest_problem",
    "phase_lines",
    "run_answer",
    "stylesheet",
    "sweep_answer",
    "table_problem",
    "tables_xlsx",
    "write_report",
]

PICTURES = {
    "coverage.png": "Coverage and practice over time. Lines: the median across futures; bands: "
    "the range in which 9 futures in 10 fall (5th to 95th percentile)",
    "fan.png": "How widely the futures spread: the median, the middle half of futures (dark) "
    "and 9 futures in 10 (light, 5th to 95th percentile)",
    "sweep.png": "The measure across the values tried: the average (line) with its 95% "
    "confidence interval (dark band: how well the average is known) and, for one key, the "
    "range in which 9 futures in 10 fall (light band: how far the futures spread); two keys "
    "give a heatmap of the average",
    "observed.png": "What happened against the projection: each observed measure's median "
    "across futures (line), the range in which 9 futures in 10 fall (band) and the "
    "observations (points, with 95% bars)",
    "horizons.png": "The difference from the first strategy, accumulated year by year. Line: "
    "the average; dark band: its 95% confidence interval; light band: the range in which 9 "
    "futures in 10 fall. Where a line crosses zero, the horizon decides the verdict",
}

# No script, no fetch, images only from the page itself: a report cannot run anything or
# call anywhere, whatever text a scenario carries.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


# --------------------------------------------------------------------------- the page


def question(folder: Folder) -> str:
    """The question the report answers, in a sentence."""
    s = folder.scenario
    name = s.name or "Scenario"
    if folder.kind == "compare":
        return (
            f"Which of these {len(folder.strategies)} strategies for {name} keeps more of the "
            f"practice going, and at what cost: {_strategies_as_run(folder)}?"
        )
    if folder.kind == "sweep":
        keys = list(folder.manifest.get("grid") or {})
        if any(k.endswith("start_after_months") for k in keys):
            return f"When should the next phase start in {name}?"
        return (
            f"How do the results for {name} change with "
            + " and ".join(key_label(k, s).lower() for k in keys)
            + "?"
        )
    return (
        f"What does this roll-out achieve in {name} over "
        f"{s.scenario.horizon_months} months, and does it last?"
    )


def answer_and_tables(folder: Folder) -> tuple[list[str], list[Part]]:
    """The answer's sentences and the measures' tables, for the folder's kind."""
    if folder.kind == "run":
        stats = folder.table("summary_stats.csv")
        if stats is None:
            return [], []
        return run_answer(folder, stats), run_tables(folder, stats)
    if folder.kind == "compare":
        comparison, differences = folder.table("comparison.csv"), folder.table("differences.csv")
        answer = compare_answer(folder, differences) if differences is not None else []
        if comparison is None or differences is None:
            return answer, []
        return answer, compare_tables(folder, comparison, differences)
    sweep, target = folder.table("sweep.csv"), folder.table("target.csv")
    if sweep is None:
        return [], []
    return sweep_answer(folder, sweep, target), sweep_tables(folder, sweep, target)


def strategies(folder: Folder) -> list[dict[str, Any]]:
    """Each strategy in words: a heading (none for a run or sweep) and its lines."""
    s = folder.scenario
    if folder.kind != "compare":
        return [{"label": None, "lines": [*phase_lines(s), *_levers(s)]}]
    shown = []
    for i, (label, scenario) in enumerate(folder.scenarios.items()):
        lines = phase_lines(scenario)
        if i == 0:
            lines += _levers(scenario)
        else:
            words = differences_in_words(folder.scenario, scenario)
            lines.append(f"Differs from {folder.strategies[0]}: " + "; ".join(words))
        shown.append({"label": label, "lines": lines})
    return shown


def figures(folder: Folder) -> list[dict[str, str]]:
    """The folder's pictures that are PNG files, embedded, with their captions."""
    shown = []
    for file, caption in PICTURES.items():
        data = folder.picture(file)
        if data is None or not data.startswith(b"\x89PNG"):
            continue
        encoded = base64.b64encode(data).decode("ascii")
        shown.append({"caption": caption, "src": f"data:image/png;base64,{encoded}"})
    return shown


def assumptions(scenario: Scenario, changed: dict[str, tuple[Any, Any]]) -> dict[str, Any]:
    """Every sourced figure by confidence, the values the run changed, the uncertain ones."""
    order = {level: i for i, level in enumerate(CONFIDENCES)}
    entries = sorted(scenario.sources.items(), key=lambda kv: (order[kv[1].confidence], kv[0]))
    counts = {level: 0 for level in CONFIDENCES}
    for entry in scenario.sources.values():
        counts[entry.confidence] += 1
    uncertain = []
    for path, spec in (getattr(scenario, "uncertainty", None) or {}).items():
        data = spec.model_dump() if hasattr(spec, "model_dump") else dict(spec)
        shape = data.pop("distribution", "")
        source = data.pop("source", "")
        given = ", ".join(f"{k} {plain_value(v)}" for k, v in data.items() if v is not None)
        uncertain.append(
            {
                "label": key_label(path, scenario),
                "path": path,
                "given": f"{shape}: {given}",
                "source": source,
            }
        )
    return {
        "count": len(scenario.sources),
        "summary": ", ".join(f"{n} {level}" for level, n in counts.items()),
        "sources": [
            {
                "label": key_label(path, scenario),
                "path": path,
                "changed": _changed_text(*changed[path]) if path in changed else None,
                "source": entry.source,
                "confidence": entry.confidence,
            }
            for path, entry in entries
        ],
        "changed": [
            {"label": key_label(path, scenario), "path": path, "text": _changed_text(was, now)}
            for path, (was, now) in changed.items()
        ],
        "uncertain": uncertain,
    }


def status(folder: Folder) -> list[str]:
    """The validation status: the run completed, each scenario's checks, the model's."""
    from ..scenario.explain import explain

    items = [f"The {folder.kind} completed (status: {folder.manifest.get('status')})."]
    scenarios = folder.scenarios or {folder.scenario.name or "scenario": folder.scenario}
    for label, scenario in scenarios.items():
        report = explain(scenario, source=label)
        count = len(report.warnings)
        items.append(
            f"{label}: the scenario passes every check of rollout validate, with {count} "
            f"warning{'' if count == 1 else 's'}" + (":" if count else ".")
        )
        items += [f"warning: {w}" for w in report.warnings]
    items.append(
        "The model itself is checked case by case against answers worked out without it "
        "(closed forms for turnover, hiring delays, cohort capacity, decay and reinforcement, "
        "champions; deterministic runs; extreme values): docs/validation.md, run in full by "
        "the test suite."
    )
    return items


_TITLES = {
    "run": "what the strategy achieves",
    "compare": "comparison of strategies",
    "sweep": "the values tried",
}


def page_context(folder: Folder) -> dict[str, Any]:
    """Everything the page shows, as plain text and numbers for the template."""
    s = folder.scenario
    answer, tables = answer_and_tables(folder)
    created = folder.manifest.get("created", "")
    version = (folder.manifest.get("versions") or {}).get("rollout", "")
    return {
        "title": f"{s.name or 'Scenario'}: {_TITLES[folder.kind]}",
        "meta": f"{folder.kind} of {folder.reps} futures (replications), seed {folder.seed}; "
        f"made {created} with rollout {version} from {folder.path.name}",
        "csp": CSP,
        "style": stylesheet(),
        "question": question(folder),
        "as_run": None if folder.kind == "compare" else "; ".join(phase_lines(s)),
        "description": s.scenario.description if _description_holds(folder) else None,
        "answer": answer,
        "strategies": strategies(folder),
        "tried": [
            {"label": key_label(key, s), "tried": ", ".join(map(str, values)), "key": key}
            for key, values in (folder.manifest.get("grid") or {}).items()
        ]
        if folder.kind == "sweep"
        else [],
        "figures": figures(folder),
        "tables": tables,
        "glossary": glossary(),
        "assumptions": assumptions(s, changed_values(folder)),
        "left_out": LEFT_OUT,
        "status": status(folder),
        "observed": observed(folder),
    }


def observed(folder: Folder) -> list[str]:
    """What happened against the futures, in sentences, when the run was given observed
    figures (``observed_check.csv``); none otherwise.
    """
    from .observed import observed_sentences

    check = folder.table("observed_check.csv")
    if check is None:
        return []
    return observed_sentences(check, folder.scenario)


TEMPLATES = "templates"  # beside this module, in the package data


@cache
def _environment():
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("sim.outputs", TEMPLATES),
        autoescape=True,  # every value is text, whatever a scenario carries
        undefined=jinja2.StrictUndefined,  # a name missing from the context is an error
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["code_pieces"] = _code_pieces
    return environment


def _code_pieces(text: str) -> list[str]:
    """Text cut at its `code` marks: plain, code, plain, … (the template shows every
    second piece as code, each escaped).
    """
    return re.split(r"`([^`]+)`", text)


def stylesheet() -> str:
    """The report's stylesheet (one file, ``templates/report.css``, also the sample's)."""
    from importlib.resources import files

    return files("sim.outputs").joinpath(TEMPLATES, "report.css").read_text(encoding="utf-8")


def build_html(folder: Folder) -> str:
    """The report's HTML for a run, compare or sweep folder (``templates/report.html``);
    an optimise folder's is its choice and front (:mod:`.optimise_page`).
    """
    if folder.kind == "optimise":
        from .optimise_page import optimise_html

        return optimise_html(folder)
    return _environment().get_template("report.html").render(page_context(folder))


# --------------------------------------------------------------------------- writing


def write_report(folder: str | Path, out: str | Path | None = None) -> tuple[Path, Path]:
    """Write ``report.html`` (or ``out``) and ``tables.xlsx`` beside it; never overwrite.

    Raises
    ------
    ScenarioError
        The folder is not a complete run, compare or sweep folder, or a file to be written
        already exists. Nothing is written then.
    """
    if out is not None:
        check_parent(out, "-o")  # before reading anything
    source = Folder(folder)
    html_path = Path(out) if out is not None else source.path / "report.html"
    xlsx_path = html_path.with_name("tables.xlsx" if out is None else f"{html_path.stem}.xlsx")
    for path in (html_path, xlsx_path):
        check_parent(path, "-o" if out is not None else "RUN_DIR")
        if os.path.lexists(path):
            raise ScenarioError(
                [f"{path}: already exists; nothing is overwritten (choose another -o)"]
            )
    try:
        page = build_html(source)
        workbook = tables_xlsx(source)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:
        # Every table was checked for its columns (Folder); what remains is content that
        # the tool never writes (a measure missing from its rows, a label not a number).
        raise ScenarioError(
            [f"{source.path}: its tables do not hold what a report needs ({_reason(exc)})"]
        ) from None
    with open(html_path, "x", encoding="utf-8") as handle:
        handle.write(page)
    with open(xlsx_path, "xb") as handle:
        handle.write(workbook)
    return html_path, xlsx_path


MAX_SHEET_ROWS = 1_000_000  # Excel holds 1,048,576 rows a sheet


def tables_xlsx(folder: Folder | str | Path) -> bytes:
    """The folder's tables as one Excel workbook: a sheet per CSV, and the measures' words."""
    import io

    source = folder if isinstance(folder, Folder) else Folder(folder)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        readme = [
            ["rollout", f"{source.kind} of {source.scenario.name or 'a scenario'}"],
            ["futures (replications)", source.reps],
            ["seed", source.seed],
        ]
        sheets = []
        for name in TABLES:
            table = source.table(name)
            if table is None:
                continue
            if len(table) > MAX_SHEET_ROWS:
                readme.append([name, f"{len(table):,} rows: too many for a sheet; see the CSV"])
                continue
            sheet = name.removesuffix(".csv")[:31]
            table.to_excel(writer, sheet_name=sheet, index=False)
            sheets.append(sheet)
            readme.append([f"sheet {sheet}", f"{name} from the run folder"])
        pd.DataFrame(readme, columns=["", ""]).to_excel(
            writer, sheet_name="read me", index=False, header=False
        )
        measures = set()
        for name in ("summary_stats.csv", "comparison.csv", "sweep.csv"):
            table = source.table(name)
            if table is not None:
                measures |= set(table["measure"])
        words = [
            {
                "measure": m,
                "label": measure_label(m, source.scenario),
                "unit": measure_term(m, source.scenario).unit,
                "meaning": measure_term(m, source.scenario).meaning,
            }
            for m in sorted(measures)
        ]
        if words:
            pd.DataFrame(words).to_excel(writer, sheet_name="measures", index=False)
        book = writer.book
        book.move_sheet("read me", offset=-book.sheetnames.index("read me"))
        literal_workbook(book)  # names and labels stay text: no cell becomes a formula
    return buffer.getvalue()
