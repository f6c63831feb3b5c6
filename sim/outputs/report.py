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
written (names, descriptions, sources, strategy names) is escaped.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Sequence
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..experiments.display import BOTH_RANGES, range_text, with_interval, with_range
from ..experiments.verdicts import best_and_runner_up, verdict_sentence
from ..model.measures import direction, is_common_clock
from ..model.scope import LEFT_OUT
from ..model.vocabulary import (
    difference_text,
    glossary,
    key_label,
    key_measures,
    key_value_text,
    measure_label,
    measure_term,
    plain_value,
)
from ..scenario import formats
from ..scenario.destinations import check_parent
from ..scenario.keys import ScenarioError
from ..scenario.provenance import CONFIDENCES
from ..scenario.safe_text import literal_workbook, unliteral_frame
from ..scenario.schema import Scenario, validate

PICTURES = {
    "coverage.png": "Coverage and practice over time. Lines: the median across futures; bands: "
    "the range in which 9 futures in 10 fall (5th to 95th percentile)",
    "fan.png": "How widely the futures spread: the median, the middle half of futures (dark) "
    "and 9 futures in 10 (light, 5th to 95th percentile)",
    "sweep.png": "The measure across the values tried: the average (line) with its 95% "
    "confidence interval (dark band: how well the average is known) and, for one key, the "
    "range in which 9 futures in 10 fall (light band: how far the futures spread); two keys "
    "give a heatmap of the average",
    "horizons.png": "The difference from the first strategy, accumulated year by year. Line: "
    "the average; dark band: its 95% confidence interval; light band: the range in which 9 "
    "futures in 10 fall. Where a line crosses zero, the horizon decides the verdict",
}
TABLES = (
    "summary_stats.csv",
    "comparison.csv",
    "differences.csv",
    "horizons.csv",
    "sweep.csv",
    "target.csv",
    "bands.csv",
    "summary.csv",
    "sweep_replications.csv",
    "timeseries.csv",
)
HEADLINE = "practising_person_months"  # a total over the whole run: the common clock
RANGES_HEADER = "average (95% interval); 9 futures in 10"


# --------------------------------------------------------------------------- reading


# The columns a report reads of each table (with those that must hold numbers), and the
# tables each kind of folder must have. A folder is checked against them before anything is
# written, so a damaged or hand-edited folder gets one line saying what is wrong.
COLUMNS = {
    "summary_stats.csv": ("measure", "mean", "ci_low", "ci_high", "n"),
    "comparison.csv": ("strategy", "measure", "mean", "ci_low", "ci_high", "n"),
    "differences.csv": (
        "strategy",
        "measure",
        "mean_difference",
        "ci_low",
        "ci_high",
        "share_better",
        "share_worse",
    ),
    "sweep.csv": ("point", "measure", "mean", "ci_low", "ci_high", "n"),
    "target.csv": ("point", "target", "share_met", "meets"),
    "bands.csv": ("measure", "month", "date", "p5", "p50", "p95"),
    "summary.csv": ("rep",),
    "sweep_replications.csv": ("point", "rep"),
    "timeseries.csv": ("rep", "month"),
}
TEXT_COLUMNS = {"measure", "strategy", "date", "target", "meets"}
REQUIRED_TABLES = {
    "run": ("summary_stats.csv",),
    "compare": ("comparison.csv", "differences.csv"),
    "sweep": ("sweep.csv",),
}


def _whole(value: Any, least: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


def manifest_problem(manifest: Any) -> str | None:
    """What is wrong with a run folder's manifest for a report, if anything (one phrase)."""
    if not isinstance(manifest, dict):
        return f"expected a JSON object, got {type(manifest).__name__}"
    kind = manifest.get("kind")
    if kind not in REQUIRED_TABLES:
        return f"kind {kind!r} is not run, compare or sweep"
    if manifest.get("status") != "complete":
        return (
            f"status {manifest.get('status')!r}; a report needs a complete run "
            "(carry it on with --resume first)"
        )
    if not _whole(manifest.get("reps"), 1):
        return f"reps: expected a whole number of at least 1, got {manifest.get('reps')!r}"
    if not _whole(manifest.get("seed"), 0):
        return f"seed: expected a whole number of at least 0, got {manifest.get('seed')!r}"
    if not isinstance(manifest.get("scenario"), dict):
        return "scenario: expected the resolved scenario (a JSON object)"
    files = manifest.get("files", [])
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return "files: expected a list of file names"
    strategies = manifest.get("strategies", [])
    if not isinstance(strategies, list) or not all(isinstance(n, str) for n in strategies):
        return "strategies: expected a list of names"
    if kind == "compare":
        if len(strategies) < 2 or len(set(strategies)) != len(strategies):
            return f"strategies: expected two or more different names, got {strategies!r}"
        others = manifest.get("strategy_scenarios") or {}
        if not isinstance(others, dict) or not all(isinstance(v, dict) for v in others.values()):
            return "strategy_scenarios: expected each strategy's scenario (JSON objects)"
    return None


def table_problem(name: str, table: pd.DataFrame) -> str | None:
    """What is wrong with a table of a run folder for a report, if anything (one phrase)."""
    missing = [c for c in COLUMNS.get(name, ()) if c not in table.columns]
    if missing:
        return f"no column {', '.join(missing)}"
    if not len(table):
        return "no rows"
    for column in COLUMNS.get(name, ()):
        if column not in TEXT_COLUMNS and not pd.api.types.is_numeric_dtype(table[column]):
            return f"column {column}: expected numbers"
    return None


class Folder:
    """A run, compare or sweep folder, read as data, checked against its expected shape."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        where = f"{self.path}"
        self._tables: dict[str, pd.DataFrame | None] = {}
        if not os.path.isdir(self.path):  # os.path: a name too long is no folder either
            raise ScenarioError([f"{where}: no such run folder"])
        try:
            self.manifest: dict[str, Any] = json.loads(
                (self.path / "manifest.json").read_text(encoding="utf-8")
            )
        except FileNotFoundError:
            raise ScenarioError(
                [f"{where}: no manifest.json; give a folder written by run, compare or sweep"]
            ) from None
        except (OSError, ValueError, RecursionError) as exc:
            raise ScenarioError(
                [f"{where}/manifest.json: cannot be read ({_reason(exc)})"]
            ) from None
        problem = manifest_problem(self.manifest)
        if problem:
            raise ScenarioError([f"{where}/manifest.json: {problem}"])
        self.kind = self.manifest["kind"]
        source = f"{where}/manifest.json"
        self.scenario: Scenario = validate(self.manifest["scenario"], source)
        self.strategies: list[str] = list(self.manifest.get("strategies") or [])
        self.scenarios: dict[str, Scenario] = {}
        if self.kind == "compare":
            self.scenarios[self.strategies[0]] = self.scenario
            for name, data in (self.manifest.get("strategy_scenarios") or {}).items():
                self.scenarios[name] = validate(data, f"{source} (strategy {name})")
        listed = [f for f in self.manifest.get("files", []) if f != "manifest.json"]
        absent = [f for f in listed if not os.path.isfile(self.path / Path(f).name)]
        if absent:
            raise ScenarioError(
                [f"{where}: manifest.json lists {', '.join(absent)}, not in the folder"]
            )
        for name in REQUIRED_TABLES[self.kind]:
            if self.table(name) is None:
                raise ScenarioError([f"{where}: no {name}; a {self.kind} folder has one"])
        for name in TABLES:  # the rest, read now so that a damaged one is named at once
            self.table(name)

    def table(self, name: str) -> pd.DataFrame | None:
        """A table of the folder (None if it has none), names as the run gave them; read
        and checked once (shared: callers derive new tables, never change this one)."""
        if name not in self._tables:
            self._tables[name] = self._read(name)
        return self._tables[name]

    def _read(self, name: str) -> pd.DataFrame | None:
        path = self.path / name
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as handle:
            if b"\0" in handle.read(65536):
                raise ScenarioError([f"{path}: binary, not a CSV table"])
        try:
            table = pd.read_csv(path, dtype={"strategy": str}, encoding="utf-8")
        except pd.errors.EmptyDataError:
            raise ScenarioError([f"{path}: empty; expected a table with a header"]) from None
        except (UnicodeDecodeError, pd.errors.ParserError, ValueError, OSError) as exc:
            raise ScenarioError([f"{path}: not a readable CSV table ({_reason(exc)})"]) from None
        problem = table_problem(name, table)
        if problem:
            raise ScenarioError([f"{path}: {problem}"])
        return unliteral_frame(table)

    def picture(self, name: str) -> bytes | None:
        path = self.path / name
        return path.read_bytes() if os.path.isfile(path) else None

    @property
    def reps(self) -> int:
        return int(self.manifest.get("reps") or 0)

    @property
    def seed(self) -> int:
        return int(self.manifest.get("seed") or 0)


# --------------------------------------------------------------------------- words


def _reason(exc: BaseException) -> str:
    """An exception in a few words: its kind, and the first line of its message."""
    text = str(exc).splitlines()[0][:120] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _e(text: Any) -> str:
    return escape(f"{text}", quote=True)


def _prose(text: str) -> str:
    """Escaped text with `code` marks shown as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", _e(text))


def phase_lines(scenario: Scenario) -> list[str]:
    """Each phase as run: its name, months and what it supplies."""
    lines = []
    for phase, (start, end) in zip(scenario.programme.phases, scenario.phase_dates(), strict=True):
        supplies = ", ".join(s.replace("_", " ") for s in phase.supplies) or "nothing"
        lines.append(f"{phase.name}: {_month(start)} to {_month(end)}, supplying {supplies}")
    return lines or ["No phases: the do-nothing strategy"]


def _month(day: date) -> str:
    return day.strftime("%b %Y")


def _levers(scenario: Scenario) -> list[str]:
    """The strategy's main levers in words."""
    f = scenario.programme.foundation
    c = scenario.champions
    posts = sum(r.posts for r in scenario.workforce.roles.values())
    offer = "offered" if f.offer_new_starters else "not offered"
    lines = [
        f"{posts} posts; {scenario.scenario.horizon_months} months from "
        f"{_month(scenario.scenario.start)}",
        f"{f.cohorts} cohorts of {f.cohort_size} places, one every {plain_value(f.interval_months)}"
        f" months; places allocated: {f.allocation.replace('_', ' ')}; new starters {offer} places",
    ]
    if c.target:
        lines.append(
            f"{c.target} champions; leavers replaced: {c.replacement.replace('_', ' ')}; "
            f"{plain_value(c.induction_places_per_champion_per_month)} inductions of new "
            "starters per champion a month"
        )
    else:
        lines.append("No champions")
    return lines


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}{k}."))
        return out
    if isinstance(value, list | tuple) and value and all(isinstance(v, dict) for v in value):
        out = {}
        for i, v in enumerate(value):
            out.update(_flatten(v, f"{prefix}{i}."))
        return out
    return {prefix[:-1]: value}


def differences_in_words(base: Scenario, other: Scenario) -> list[str]:
    """How ``other`` differs from ``base``, key by key, in plain words."""
    a = _flatten(base.model_dump(mode="python", exclude={"sources"}))
    b = _flatten(other.model_dump(mode="python", exclude={"sources"}))
    changed = [k for k in b if a.get(k) != b[k] and b[k] is not None]
    changed += [k for k in a if k not in b]
    words = []
    for key in dict.fromkeys(changed):
        if key.endswith(".name") or key.startswith("scenario.description"):
            continue
        words.append(key_value_text(key, b.get(key), other))
    dates = [f"{p} {_month(s)} to {_month(e)}" for p, (s, e) in _phase_dates_named(other)]
    if dates and any(key.startswith("programme.phases") for key in changed):
        words.append("so its phases run: " + "; ".join(dates))
    return words or ["the same scenario"]


def _strategies_as_run(folder: Folder) -> str:
    """The strategies of a comparison in words: the first by its phases, the others by how
    they differ from it (what was run, whatever the file's description says)."""
    first, *others = folder.scenarios.items()
    words = [f"{first[0]} ({'; '.join(phase_lines(first[1]))})"]
    for label, scenario in others:
        words.append(f"{label} ({'; '.join(differences_in_words(first[1], scenario))})")
    return ", ".join(words)


def _description_holds(folder: Folder) -> bool:
    """Whether the scenario's own description text describes what was run: a run of a
    scenario file as it stands, without --set. A comparison, a sweep, a run with changes
    or from the app (levers) may have moved what the description speaks of (Phase 2's
    date, the cohorts), so its text is not shown as theirs."""
    manifest = folder.manifest
    return (
        folder.kind == "run"
        and bool(folder.scenario.scenario.description)
        and bool(manifest.get("scenario_file"))
        and not manifest.get("overrides")
    )


def _phase_dates_named(scenario: Scenario) -> list[tuple[str, tuple[date, date]]]:
    return [
        (p.name, d) for p, d in zip(scenario.programme.phases, scenario.phase_dates(), strict=True)
    ]


# --------------------------------------------------------------------------- the answer


def run_answer(folder: Folder, stats: pd.DataFrame) -> list[str]:
    s = folder.scenario
    by = stats.set_index("measure")
    months = [m for m in s.clock_months() if f"coverage_m{m}" in by.index]
    sentences = []
    if months:
        peak = max(months, key=lambda m: by.loc[f"coverage_m{m}", "mean"])
        last = months[-1]

        def at(name: str, month: int) -> str:
            return with_range(f"{name}_m{month}", by.loc[f"{name}_m{month}"], words=True)

        sentences.append(
            f"{_month_after(s, peak)} ({peak} months in) {at('coverage', peak)} of permanent "
            f"staff are trained and {at('practising_share', peak)} practise; by "
            f"{_month_after(s, last)} ({last} months in), {at('coverage', last)} are trained "
            f"and {at('practising_share', last)} practise."
        )
    if HEADLINE in by.index:
        sentences.append(
            f"Over the whole run: {with_range(HEADLINE, by.loc[HEADLINE], words=True)} "
            "practising person-months, for a total cost of "
            f"{with_range('total_cost', by.loc['total_cost'], words=True)}."
        )
    sentences.append(f"Across {folder.reps} futures (replications); each figure: {BOTH_RANGES}.")
    return sentences


def _month_after(scenario: Scenario, months: int) -> str:
    from ..scenario.clock import add_months

    return _month(add_months(scenario.scenario.start, months))


def compare_answer(folder: Folder, differences: pd.DataFrame) -> list[str]:
    base = folder.strategies[0]
    sentences = []
    by = differences.set_index(["strategy", "measure"])
    for name in folder.strategies[1:]:
        if (name, HEADLINE) not in by.index:
            continue
        row = by.loc[(name, HEADLINE)]
        low, high = row["ci_low"], row["ci_high"]
        mean = row["mean_difference"]
        if np.isfinite(low) and np.isfinite(high) and (low > 0 or high < 0):
            sure = (
                "the interval of the average does not include zero, so this many futures tell "
                "the two apart over this horizon"
            )
        else:
            sure = "the interval includes zero: with this many futures, no clear difference"
        spread = range_text(HEADLINE, row, difference_text)
        if spread:
            between = spread.replace(" to ", " and ", 1)
            sure += f"; in 9 futures of 10 the difference is between {between}"
        more = "more" if mean >= 0 else "fewer"
        cost = ""
        if (name, "total_cost") in by.index:
            c = by.loc[(name, "total_cost")]
            cost = (
                f", and its total cost differs by "
                f"{with_interval('total_cost', c, difference_text, 'mean_difference')}"
            )
        sentences.append(
            f"{name} gives {formats.count(abs(mean))} {more} practising person-months over the "
            f"whole run than {base} (95% interval {difference_text(HEADLINE, low)} to "
            f"{difference_text(HEADLINE, high)}; {sure}); it is ahead in "
            f"{formats.percent(row['share_better'])} of the same futures and behind in "
            f"{formats.percent(row['share_worse'])}{cost}."
        )
    sentences += horizon_sentences(folder)
    sentences.append(
        "Practising person-months add up the whole run, so every strategy is judged on the same "
        "dates; a share at one date favours whichever strategy trained closest to it (see the "
        "table for every date of the common clock)."
    )
    return sentences


def horizon_sentences(folder: Folder) -> list[str]:
    """When the sign of a total's difference changes within the horizon, one sentence each
    (from ``horizons.csv``); the discount rate when one is set."""
    from .account import horizon_lines

    horizons = folder.table("horizons.csv")
    if horizons is None or not len(horizons):
        return []
    return [line for line in horizon_lines(horizons, folder.strategies, folder.scenario) if line]


def sweep_answer(folder: Folder, sweep: pd.DataFrame, target: pd.DataFrame | None) -> list[str]:
    grid = folder.manifest.get("grid") or {}
    keys = list(grid)
    metric = folder.manifest.get("metric") or HEADLINE
    part = sweep[sweep["measure"] == metric]
    sentences = []
    replications = folder.table("sweep_replications.csv")
    if len(part) and replications is not None and metric in replications:
        sign = direction(metric) or 1
        points = part.set_index("point")

        def where(point) -> str:
            row = points.loc[point]
            return "; ".join(key_value_text(k, _cell(row[k]), folder.scenario) for k in keys)

        verdict = best_and_runner_up(replications, "point", metric, sign)
        if verdict is not None:
            best = points.loc[verdict.best]
            sentences.append(
                "Of the values tried: "
                + verdict_sentence(verdict, metric, where, folder.scenario)
                + f" At {where(verdict.best)}: {with_range(metric, best, words=True)}."
            )
        worst = part.loc[(sign * part["mean"]).idxmin()]
        sentences.append(
            f"The least is {with_range(metric, worst, words=True)}, with {where(worst['point'])}."
        )
    if target is not None and len(target):
        condition = str(target["target"].iloc[0])
        probability = float(folder.manifest.get("probability") or 0.9)
        met = target[target["meets"].astype(str).str.lower() == "true"]
        if len(met):
            listed = ", ".join(
                " and ".join(key_value_text(k, _cell(r[k]), folder.scenario) for k in keys)
                for _, r in met.iterrows()
            )
            sentences.append(
                f"The target {condition} is met in at least {formats.percent(probability)} of "
                f"futures for: {listed}."
            )
        else:
            sentences.append(
                f"No value tried meets the target {condition} in {formats.percent(probability)} "
                "of futures."
            )
    horizons = folder.table("horizons.csv")
    if horizons is not None and "point" in horizons and len(part):
        from types import SimpleNamespace

        from .account import sweep_horizon_lines

        view = SimpleNamespace(horizons=horizons, sweep=sweep, keys=keys, scenario=folder.scenario)
        sentences += sweep_horizon_lines(view)
    sentences.append(f"Across {folder.reps} futures at each value; each figure: {BOTH_RANGES}.")
    return sentences


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# --------------------------------------------------------------------------- tables


def _html_table(header: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def run_tables(folder: Folder, stats: pd.DataFrame) -> str:
    by = stats.set_index("measure")
    common, relative = key_measures(list(by.index))
    rest = [m for m in by.index if m not in common and m not in relative]
    parts = []
    for title, measures in (
        ("On the common clock (the same dates for every strategy) and over the whole run", common),
        ("At dates set by the strategy's own phases", relative),
        ("Every other measure", rest),
    ):
        if not measures:
            continue
        rows = [
            [
                measure_label(m, folder.scenario),
                with_range(m, by.loc[m]),
                f"{int(by.loc[m, 'n'])}",
                measure_term(m, folder.scenario).meaning,
            ]
            for m in measures
        ]
        parts.append(f"<h3>{_e(title)}</h3>")
        parts.append(_html_table(["measure", RANGES_HEADER, "futures", "what it is"], rows))
    parts.append(f"<p class='note'>Each figure: {_e(BOTH_RANGES)}.</p>")
    return "".join(parts)


def compare_tables(folder: Folder, comparison: pd.DataFrame, differences: pd.DataFrame) -> str:
    names = folder.strategies
    first = folder.scenario
    by = comparison.set_index(["strategy", "measure"])
    common, relative = key_measures(list(dict.fromkeys(comparison["measure"])))
    parts = []
    for title, measures in (
        ("On the common clock (the same dates for every strategy) and over the whole run", common),
        ("At dates set by each strategy's own phases (not comparable in time)", relative),
    ):
        if not measures:
            continue
        rows = [
            [measure_label(m, first)] + [with_range(m, by.loc[(s, m)]) for s in names]
            for m in measures
        ]
        parts.append(f"<h3>{_e(title)}</h3>")
        parts.append(_html_table(["measure", *names], rows))
    diff = differences.set_index(["strategy", "measure"])

    def difference(row) -> str:
        return with_range(row.name[1], row, difference_text, "mean_difference")

    rows = []
    for s in names[1:]:
        for m in common:
            if (s, m) not in diff.index:
                continue
            row = diff.loc[(s, m)]
            rows.append(
                [
                    measure_label(m, first),
                    s,
                    difference(row),
                    formats.percent(row["share_better"]),
                    formats.percent(row["share_worse"]),
                ]
            )
    parts.append(
        f"<h3>Paired differences from {_e(names[0])} on the common clock (the same futures)</h3>"
    )
    parts.append(
        _html_table(
            ["measure", "strategy", f"difference: {RANGES_HEADER}", "ahead in", "behind in"],
            rows,
        )
    )
    parts.append(
        f"<p class='note'>Each figure: {_e(BOTH_RANGES)}. Ahead in / behind in: the share of "
        f"futures in which the strategy beats / trails {_e(names[0])}. Differences of "
        "percentages are in percentage points.</p>"
    )
    own = [
        [measure_label(m, first), s, difference(diff.loc[(s, m)])]
        for s in names[1:]
        for m in relative
        if (s, m) in diff.index
    ]
    if own:
        parts.append(
            f"<h3>Differences from {_e(names[0])} at each strategy's own dates (no verdict)</h3>"
        )
        parts.append(_html_table(["measure", "strategy", f"difference: {RANGES_HEADER}"], own))
        parts.append(
            "<p class='note'>Each of these is judged at a date set by the strategy's own "
            "phases, so its difference mixes the strategy with the passing of time: it is "
            "shown, not scored.</p>"
        )
    return "".join(parts)


def sweep_tables(folder: Folder, sweep: pd.DataFrame, target: pd.DataFrame | None) -> str:
    keys = list(folder.manifest.get("grid") or {})
    metric = folder.manifest.get("metric") or HEADLINE
    clock = [m for m in dict.fromkeys(sweep["measure"]) if is_common_clock(m)]
    shown = list(dict.fromkeys([metric, HEADLINE, *clock[-2:]]))
    met = None if target is None else target.set_index("point")["share_met"]
    parts = []
    for m in shown:
        part = sweep[sweep["measure"] == m].sort_values("point")
        if not len(part):
            continue
        header = [key_label(k, folder.scenario) for k in keys] + [RANGES_HEADER]
        if met is not None and m == metric:
            header.append("target met in")
        rows = []
        for _, r in part.iterrows():
            row = [plain_value(_cell(r[k])) for k in keys] + [with_range(m, r)]
            if met is not None and m == metric:
                row.append(formats.percent(met.loc[r["point"]]))
            rows.append(row)
        parts.append(f"<h3>{_e(measure_label(m, folder.scenario))}</h3>")
        parts.append(_html_table(header, rows))
    return "".join(parts)


# --------------------------------------------------------------------------- the page

STYLE = """
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: #1d1d1d;
  max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #1f5fa8; padding-bottom: 0.2rem;
  margin-top: 2rem; }
h3 { font-size: 1rem; margin-top: 1.2rem; }
.meta, .note { color: #555; font-size: 0.85rem; }
.answer { background: #eef4fb; border-left: 4px solid #1f5fa8; padding: 0.6rem 1rem;
  page-break-inside: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 0.82rem; margin: 0.4rem 0 1rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.4rem; text-align: left;
  vertical-align: top; }
th { background: #f2f2f2; }
tr { page-break-inside: avoid; }
figure { margin: 1rem 0; page-break-inside: avoid; }
figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { font-size: 0.85rem; color: #444; }
code { font-size: 0.85em; background: #f4f4f4; padding: 0 0.2em; }
.confidence-data { color: #1b6e20; } .confidence-estimate { color: #8a5a00; }
.confidence-assumption { color: #a11; }
@page { size: A4; margin: 15mm; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  h2, h3 { page-break-after: avoid; }
  ul { page-break-inside: avoid; }
  section.newpage { page-break-before: always; }
  .answer { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"""

# No script, no fetch, images only from the page itself: a report cannot run anything or
# call anywhere, whatever text a scenario carries.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def build_html(folder: Folder) -> str:
    """The report's HTML for a run, compare or sweep folder."""
    s = folder.scenario
    name = s.name or "Scenario"
    kind = folder.kind
    sections: list[str] = []

    if kind == "compare":
        question = (
            f"Which of these {len(folder.strategies)} strategies for {name} keeps more of the "
            f"practice going, and at what cost: {_strategies_as_run(folder)}?"
        )
    elif kind == "sweep":
        keys = list(folder.manifest.get("grid") or {})
        if any(k.endswith("start_after_months") for k in keys):
            question = f"When should the next phase start in {name}?"
        else:
            question = (
                f"How do the results for {name} change with "
                + " and ".join(key_label(k, s).lower() for k in keys)
                + "?"
            )
    else:
        question = (
            f"What does this roll-out achieve in {name} over "
            f"{s.scenario.horizon_months} months, and does it last?"
        )
    sections.append(f"<section><h2>The question</h2><p>{_e(question)}</p>")
    if kind != "compare":
        sections.append(f"<p>As run: {_e('; '.join(phase_lines(s)))}.</p>")
    if _description_holds(folder):
        sections.append(
            f"<p class='note'>The scenario file describes itself: {_e(s.scenario.description)}</p>"
        )
    sections.append("</section>")

    # The answer.
    if kind == "run":
        stats = folder.table("summary_stats.csv")
        answer = run_answer(folder, stats) if stats is not None else []
        table_html = run_tables(folder, stats) if stats is not None else ""
    elif kind == "compare":
        comparison, differences = folder.table("comparison.csv"), folder.table("differences.csv")
        answer = compare_answer(folder, differences) if differences is not None else []
        table_html = (
            compare_tables(folder, comparison, differences)
            if comparison is not None and differences is not None
            else ""
        )
    else:
        sweep, target = folder.table("sweep.csv"), folder.table("target.csv")
        answer = sweep_answer(folder, sweep, target) if sweep is not None else []
        table_html = sweep_tables(folder, sweep, target) if sweep is not None else ""
    sections.append(
        "<section><h2>The answer</h2><div class='answer'>"
        + "".join(f"<p>{_e(a)}</p>" for a in answer)
        + "</div></section>"
    )

    # The strategies in words.
    parts = ["<section><h2>The strategies</h2>"]
    if kind == "compare":
        for i, (label, scenario) in enumerate(folder.scenarios.items()):
            parts.append(f"<h3>{_e(label)}</h3><ul>")
            parts += [f"<li>{_e(line)}</li>" for line in phase_lines(scenario)]
            if i == 0:
                parts += [f"<li>{_e(line)}</li>" for line in _levers(scenario)]
            else:
                words = differences_in_words(folder.scenario, scenario)
                parts.append(
                    f"<li>Differs from {_e(folder.strategies[0])}: "
                    + "; ".join(_e(w) for w in words)
                    + "</li>"
                )
            parts.append("</ul>")
    else:
        parts.append("<ul>")
        parts += [f"<li>{_e(line)}</li>" for line in [*phase_lines(s), *_levers(s)]]
        parts.append("</ul>")
        if kind == "sweep":
            grid = folder.manifest.get("grid") or {}
            for key, values in grid.items():
                parts.append(
                    f"<p>Tried: {_e(key_label(key, s))} = {_e(', '.join(map(str, values)))}"
                    f" <span class='note'>(<code>{_e(key)}</code>)</span></p>"
                )
    parts.append("</section>")
    sections.append("".join(parts))

    # Pictures.
    figures = []
    for file, caption in PICTURES.items():
        data = folder.picture(file)
        if data is None or not data.startswith(b"\x89PNG"):
            continue
        encoded = base64.b64encode(data).decode("ascii")
        figures.append(
            f"<figure><img alt='{_e(caption)}' src='data:image/png;base64,{encoded}'>"
            f"<figcaption>{_e(caption)}.</figcaption></figure>"
        )
    if figures:
        sections.append("<section><h2>Pictures</h2>" + "".join(figures) + "</section>")

    sections.append(
        f"<section class='newpage'><h2>The measures</h2>{table_html}{_glossary_html()}</section>"
    )
    sections.append(_assumptions_html(s, changed_values(folder)))
    sections.append(_left_out_html())
    sections.append(_status_html(folder))

    created = folder.manifest.get("created", "")
    version = (folder.manifest.get("versions") or {}).get("rollout", "")
    title = (
        f"{name}: "
        + {
            "run": "what the strategy achieves",
            "compare": "comparison of strategies",
            "sweep": "the values tried",
        }[kind]
    )
    meta = (
        f"{kind} of {folder.reps} futures (replications), seed {folder.seed}; made "
        f"{created} with rollout {version} from {folder.path.name}"
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{_e(title)}</h1><p class='meta'>{_e(meta)}</p></header>"
        + "".join(sections)
        + "</body></html>\n"
    )


def _glossary_html() -> str:
    items = "".join(f"<li><b>{_e(k)}</b>: {_e(v)}</li>" for k, v in glossary().items())
    return f"<h3>Words used</h3><ul class='note'>{items}</ul>"


def _flat(data: Any, prefix: str = "") -> dict[str, Any]:
    """A scenario's values by dotted path (array elements by their index)."""
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list) and any(isinstance(v, (dict, list)) for v in data):
        items = ((str(i), v) for i, v in enumerate(data))
    else:
        return {prefix: data}
    out: dict[str, Any] = {}
    for key, value in items:
        out.update(_flat(value, f"{prefix}.{key}" if prefix else f"{key}"))
    return out


# Keys that describe a scenario rather than set a figure: not "changed values".
_NOT_FIGURES = ("name", "description", "sources")


def changed_values(folder: Folder) -> dict[str, tuple[Any, Any]]:
    """The values the run changed from its scenario file: dotted path → (the file's value,
    the run's). The file is the one the manifest records (a bundled name or a path); when it
    cannot be read any more, the manifest's ``--set`` overrides say which keys changed (the
    file's value then unknown)."""
    from ..scenario.loading import load_scenario, resolve_scenario

    run = _flat(folder.scenario.model_dump(mode="json"))
    source = folder.manifest.get("scenario_file")
    try:
        original = load_scenario(resolve_scenario(str(source)))
    except (ScenarioError, OSError, ValueError):
        overrides = [o.split("=", 1)[0].strip() for o in folder.manifest.get("overrides") or []]
        return {k: (_UNKNOWN, run.get(k)) for k in overrides}
    before = _flat(original.model_dump(mode="json"))
    return {
        k: (before.get(k), run.get(k))
        for k in sorted(set(run) | set(before))
        if before.get(k) != run.get(k) and k.split(".", 1)[0] not in _NOT_FIGURES
    }


_UNKNOWN = object()  # the file's value, when the file cannot be read any more


def _value_words(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_value_words(v) for v in value) or "none"
    return plain_value(value) if not isinstance(value, dict) else f"{value}"


def _changed_text(was: Any, now: Any) -> str:
    if was is _UNKNOWN:
        return f"changed by this run (--set): {_value_words(now)} here"
    if was is None:
        return f"changed by this run: not set in the file, {_value_words(now)} here"
    if now is None:
        return f"changed by this run: {_value_words(was)} in the file, not set here"
    return f"changed by this run: {_value_words(was)} in the file, {_value_words(now)} here"


def _assumptions_html(scenario: Scenario, changed: dict[str, tuple[Any, Any]] | None = None) -> str:
    changed = changed or {}
    rows = []
    order = {level: i for i, level in enumerate(CONFIDENCES)}
    entries = sorted(scenario.sources.items(), key=lambda kv: (order[kv[1].confidence], kv[0]))
    for path, entry in entries:
        mark = (
            f"<br><b class='changed'>{_e(_changed_text(*changed[path]))}</b>"
            if path in changed
            else ""
        )
        rows.append(
            f"<tr><td>{_e(key_label(path, scenario))}<br><code>{_e(path)}</code>{mark}</td>"
            f"<td>{_e(entry.source)}</td>"
            f"<td class='confidence-{_e(entry.confidence)}'>{_e(entry.confidence)}</td></tr>"
        )
    counts = {level: 0 for level in CONFIDENCES}
    for entry in scenario.sources.values():
        counts[entry.confidence] += 1
    summary = ", ".join(f"{n} {level}" for level, n in counts.items())
    if not rows:
        body = (
            "<p>The scenario gives no sources for its figures: treat every one as an "
            "assumption.</p>"
        )
    else:
        body = (
            "<table><thead><tr><th>figure</th><th>source</th><th>confidence</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    if changed:
        items = "".join(
            f"<li>{_e(key_label(path, scenario))} (<code>{_e(path)}</code>): "
            f"{_e(_changed_text(was, now))}</li>"
            for path, (was, now) in changed.items()
        )
        body += (
            "<h3>Values this run changed from its scenario file</h3>"
            "<p class='note'>Where a changed figure has a source above, the source describes "
            f"the file's value, not the run's.</p><ul>{items}</ul>"
        )
    body += _uncertainty_html(scenario)
    return (
        "<section class='newpage'><h2>Assumptions and their sources</h2>"
        f"<p>{len(scenario.sources)} figures carry a source ({_e(summary)}). "
        "<b>data</b>: published or measured for this service; <b>estimate</b>: derived from "
        "data, or carried over from another setting; <b>assumption</b>: a planning guess, to "
        f"be replaced with local knowledge.</p>{body}</section>"
    )


def _uncertainty_html(scenario: Scenario) -> str:
    """The assumptions each future draws afresh ([uncertainty]), with their sources."""
    table = getattr(scenario, "uncertainty", None) or {}
    if not table:
        return ""
    rows = []
    for path, spec in table.items():
        data = spec.model_dump() if hasattr(spec, "model_dump") else dict(spec)
        shape = data.pop("distribution", "")
        source = data.pop("source", "")
        given = ", ".join(f"{k} {plain_value(v)}" for k, v in data.items() if v is not None)
        rows.append(
            f"<tr><td>{_e(key_label(path, scenario))}<br><code>{_e(path)}</code></td>"
            f"<td>{_e(shape)}: {_e(given)}</td><td>{_e(source)}</td></tr>"
        )
    return (
        "<h3>Uncertain assumptions: each future draws its own value</h3>"
        "<table><thead><tr><th>figure</th><th>distribution</th><th>source</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _left_out_html() -> str:
    rows = "".join(
        f"<tr><td>{_prose(what)}</td><td>{_prose(why)}</td></tr>" for what, why in LEFT_OUT
    )
    return (
        "<section><h2>What the model leaves out</h2>"
        "<table><thead><tr><th>left out</th><th>why, and what it means for the answers</th>"
        f"</tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _status_html(folder: Folder) -> str:
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
    body = "".join(f"<li>{_e(i)}</li>" for i in items)
    return f"<section><h2>Validation status</h2><ul>{body}</ul></section>"


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
