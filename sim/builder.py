"""A starting scenario for any council: its DfE workforce flows and a programme template.

``rollout new --council NAME`` writes a complete, commented scenario file that a council then
edits. The workforce comes from the council's published figures (:mod:`sim.councils`):

- posts = in post + vacancies (FTE, mean over the years, rounded), split across the social
  work roles in the template's proportions;
- turnover = leavers / in post (pooled), the same constant hazard for every role;
- hiring_delay_months = vacancies / starters (pooled; Little's law), so that in the model's
  steady state the share of posts vacant matches the published vacancy rate;
- initial_vacancies = the vacancy rate x posts, so the run starts in that steady state;
- agency_cover = the share of vacancies covered by agency workers.

The programme, practice, champions, costs and measures are copied from a bundled scenario
(the template: Camden's cohort programme, or Havering's continuous academy), their dates moved
to the new start and their cohort sizes scaled to the council's posts. Every value written
carries a comment naming its source, and a ``[sources]`` entry (``source``, ``confidence``)
in the shared provenance format. Nothing is written unless the whole file validates.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import tempfile
import textwrap
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from . import councils as data
from .clock import add_months
from .scenario import BUNDLED_DIR, ScenarioError, validate


@dataclass(frozen=True)
class Template:
    """A bundled scenario used as a template, and which of its roles the DfE figures cover."""

    name: str
    summary: str
    social_work_roles: tuple[str, ...]  # posts from the DfE figures, in the template's shares
    drop_roles: tuple[str, ...] = ()  # roles left out (not covered by the DfE figures)

    @property
    def path(self) -> Path:
        return BUNDLED_DIR / f"{self.name}.toml"


_SOCIAL_WORK = ("senior_leader", "team_manager", "senior_practitioner", "social_worker")
TEMPLATES = {
    "camden": Template(
        "camden",
        "Camden-like: mixed cohorts of five days, live mentoring of supervisors, champions, "
        "a second phase",
        _SOCIAL_WORK,
        drop_roles=("childrens_practitioner",),
    ),
    "havering": Template(
        "havering",
        "Havering-like: a continuous academy of 18 days offered to new starters, business "
        "support trained with their teams, embedded family therapists giving consultations",
        _SOCIAL_WORK,
    ),
}
# Template values that are counts of people and so scale with the council's size.
_SCALED = re.compile(
    r"^(programme\.foundation\.cohort_size|programme\.phases\.\d+\.foundation\.cohort_size"
    r"|champions\.target|champions\.workshop_places)$"
)
_TABLE_ARRAYS = {"programme.phases"}


@dataclass(frozen=True)
class NewScenario:
    """A generated scenario: its text and what it was built from."""

    text: str
    council: str
    years: tuple[int, ...]
    template: str
    start: date
    flows: data.Flows
    posts: dict[str, int]

    def summary_lines(self, path: str, query: str) -> list[str]:
        """What the ``new`` command prints after writing ``path``."""
        f = self.flows
        matched = (
            ""
            if data.normalise(query) == data.normalise(self.council)
            else (f" ('{query}' matched {self.council})")
        )
        by_role = ", ".join(f"{role} {n}" for role, n in self.posts.items())
        lines = [
            f"Wrote {path}: {self.council}{matched}, DfE figures {data.year_label(self.years)}, "
            f"{self.template} programme template from {self.start}.",
            f"  posts {sum(self.posts.values())} ({by_role}); "
            f"turnover {f.turnover:.3f} a year; a vacant post waits {f.hiring_delay_months:.1f} "
            f"months; {100 * f.vacancy_rate:.1f} % vacant; {100 * f.agency_cover:.1f} % of "
            "vacancies covered by agency",
        ]
        lines += [f"  note: {note}" for note in f.notes]
        lines += [
            f"The programme is the template's, to edit; then: rollout run {path}",
            f"Source: {data.RELEASE}. {data.ATTRIBUTION}",
        ]
        return lines


def next_april(today: date | None = None) -> date:
    """The next 1 April (the start of a council's financial year), the default start."""
    today = today or date.today()
    april = date(today.year, 4, 1)
    return april if today < april else date(today.year + 1, 4, 1)


def new_scenario(
    council: str,
    year: int | None = None,
    years: str | tuple[int, int] | None = None,
    template: str = "camden",
    start: date | None = None,
    command: str | None = None,
) -> NewScenario:
    """Build the text of a council's starting scenario (nothing is written).

    Parameters
    ----------
    council
        The council's name, matched forgivingly (:func:`sim.councils.find_council`).
    year, years
        One reporting year, or a range (``"2019:2023"`` or a pair); default the latest five.
    template
        ``camden`` or ``havering``.
    start
        First day of the scenario; default the next 1 April.
    command
        The command line to record in the header.

    Raises
    ------
    ScenarioError
        Unknown or ambiguous council, years without figures, an unknown template.
    """
    if template not in TEMPLATES:
        raise ScenarioError(
            [f"--template {template!r}: unknown template (choose {', '.join(TEMPLATES)})"]
        )
    spec = TEMPLATES[template]
    found = data.find_council(council)
    span = data.parse_years(years) if isinstance(years, str) else years
    chosen = data.choose_years(found, year=year, years=span)
    flows = data.pooled_flows(found, chosen)
    start = start or next_april()
    writer = _Writer(spec, flows, start, command)
    text = writer.render()
    # Never hand back a file that would not load: a failure here is a bug, not bad input.
    try:
        validate(tomllib.loads(text), f"<new scenario for {found.name}>")
    except ScenarioError as exc:
        raise RuntimeError("rollout new built an invalid scenario:\n" + str(exc)) from None
    return NewScenario(text, found.name, chosen, template, start, flows, writer.posts)


def write_new(path: str | Path, text: str) -> Path:
    """Write ``text`` to a new file ``path``, whole or not at all, never over an existing file.

    The text goes to a temporary file in the same folder, which is then linked (or, where
    links are not supported, renamed) into place, so a reader never sees half a file.
    """
    path = Path(path)
    if path.exists():
        raise ScenarioError([f"{path}: already exists; nothing is overwritten (choose another -o)"])
    if not path.parent.is_dir():
        raise ScenarioError([f"{path}: the folder {path.parent} does not exist"])
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        try:
            os.link(temporary, path)  # fails if the file appeared meanwhile
        except FileExistsError:
            raise ScenarioError(
                [f"{path}: already exists; nothing is overwritten (choose another -o)"]
            ) from None
        except OSError:  # a file system without hard links
            os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


# --------------------------------------------------------------------------- the template


def template_comments(text: str) -> dict[str, str]:
    """The inline comment of every key in a TOML file, by dotted key path.

    Elements of a multi-line array get ``path.<index>``; tables inside an array of tables
    get the element's index (``programme.phases.1.foundation``). Whole-line comments are
    not attached to anything.
    """
    comments: dict[str, str] = {}
    table = ""
    arrays: dict[str, int] = {}
    open_array: str | None = None
    element = 0
    for raw in text.splitlines():
        code, comment = _split_comment(raw.strip())
        if not code:
            continue
        if open_array is not None:
            if code.startswith("]"):
                open_array = None
            else:
                if comment:
                    comments[f"{open_array}.{element}"] = comment
                element += 1
            continue
        if match := re.fullmatch(r"\[\[\s*(.+?)\s*\]\]", code):
            key = match.group(1)
            arrays[key] = arrays.get(key, 0) + 1
            table = f"{key}.{arrays[key] - 1}"
            continue
        if match := re.fullmatch(r"\[\s*(.+?)\s*\]", code):
            table = match.group(1)
            for key, count in arrays.items():
                if table.startswith(key + "."):
                    table = f"{key}.{count - 1}.{table[len(key) + 1 :]}"
            continue
        if match := re.match(r"^([A-Za-z0-9_\-\"]+)\s*=\s*(.*)$", code):
            path = f"{table}.{match.group(1).strip(chr(34))}" if table else match.group(1)
            if comment:
                comments[path] = comment
            value = match.group(2)
            if value.startswith("[") and _depth(value) > 0:
                open_array, element = path, 0
    return comments


def _split_comment(line: str) -> tuple[str, str]:
    """``key = "a # b"  # note`` -> (``key = "a # b"``, ``note``): a ``#`` outside strings."""
    quote = None
    escaped = False
    for i, char in enumerate(line):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:i].rstrip(), line[i + 1 :].strip()
    return line.rstrip(), ""


def _depth(value: str) -> int:
    code, _ = _split_comment(value)
    quote, depth = None, 0
    for char in code:
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
    return depth


# --------------------------------------------------------------------------- TOML text


def toml_value(value: Any) -> str:
    """A value as TOML: numbers, booleans, dates, text, arrays and inline tables."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_\-]+", key) else json.dumps(key)


def split_by_shares(total: int, shares: list[float], at_least_one: bool = True) -> list[int]:
    """Split a whole number in proportion to ``shares`` (largest remainders).

    With ``at_least_one`` (and ``total`` at least the number of shares) every share gets one,
    taken from the largest, so that no role of the template vanishes in a small council.
    """
    weight = sum(shares)
    exact = [total * s / weight for s in shares]
    parts = [int(x) for x in exact]
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    if at_least_one and total >= len(shares):
        for i, part in enumerate(parts):
            if part == 0:
                parts[i] = 1
                parts[max(range(len(parts)), key=lambda j: parts[j])] -= 1
    return parts


class _Writer:
    """Writes the scenario text: header, data-driven workforce, template sections, sources."""

    def __init__(self, spec: Template, flows: data.Flows, start: date, command: str | None):
        self.spec = spec
        self.flows = flows
        self.start = start
        self.command = command
        try:
            text = spec.path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ScenarioError(
                [f"{spec.path}: cannot read the {spec.name} template ({exc})"]
            ) from None
        self.template = tomllib.loads(text)
        self.comments = template_comments(text)
        self.lines: list[str] = []
        self.sources: dict[str, tuple[str, str]] = {}
        roles = self.template["workforce"]["roles"]
        self.template_posts = sum(roles[r]["posts"] for r in spec.social_work_roles)
        self.total_posts = max(1, round(flows.posts_fte))
        self.ratio = self.total_posts / self.template_posts
        shares = [roles[r]["posts"] for r in spec.social_work_roles]
        split = split_by_shares(self.total_posts, shares)
        self.posts = dict(zip(spec.social_work_roles, split, strict=True))
        vacancies = round(self.total_posts * flows.vacancy_rate)
        if flows.hiring_delay_months == 0:
            vacancies = 0
        vacant = (
            split_by_shares(vacancies, split, at_least_one=False) if vacancies else [0] * len(split)
        )
        self.vacancies = {
            r: min(v, self.posts[r]) for r, v in zip(spec.social_work_roles, vacant, strict=True)
        }
        self.total_vacancies = vacancies
        old = self.template["scenario"]["start"]
        self.shift_months = (start.year - old.year) * 12 + (start.month - old.month)
        self.shift_days = start.day - old.day
        for role, body in roles.items():
            if role not in spec.social_work_roles and role not in spec.drop_roles:
                self.posts[role] = max(1, round(body["posts"] * self.ratio))

    # ---------------------------------------------------------------- output helpers

    def put(self, path: str, value: Any, comment: str, source: str, confidence: str) -> None:
        key = path.rsplit(".", 1)[-1]
        self.lines.append(f"{toml_key(key)} = {toml_value(value)}  # {comment}")
        # Values inside an array of tables (the phases) share the array's one source, so
        # that adding or removing a phase, or emptying the calendar, leaves [sources] valid.
        if not any(path.startswith(f"{array}.") for array in _TABLE_ARRAYS):
            self.sources[path] = (source, confidence)

    def from_template(self, path: str, value: Any) -> None:
        """A template value, its dates moved and its counts scaled, with the template's note."""
        note = self.comments.get(path)
        name = self.spec.name
        source = f"{name} template (scenarios/{name}.toml)" + (f": {note}" if note else "")
        comment = f"{name}: {note}" if note else f"as in the {name} template (assumption)"
        if isinstance(value, date):
            moved = self.move(value, end=path.endswith(".end"))
            comment = f"{value} in the {name} template, moved with the start; " + (
                note or "assumption"
            )
            source += f"; {value} there, moved with the scenario start"
            value = moved
        elif _SCALED.match(path) and isinstance(value, int) and value > 0:
            scaled = max(1, round(value * self.ratio))
            comment = (
                f"{name}: {value} for {self.template_posts} social-work posts, scaled to "
                f"{self.total_posts} (assumption)"
            )
            source += f"; {value} there, scaled by posts {self.total_posts}/{self.template_posts}"
            least = self.template.get("champions", {}).get("min_group_size", 2)
            if path == "champions.target" and scaled < least:
                # Fewer champions than the group needs to meet would never work at all.
                scaled = least
                comment += f", raised to champions.min_group_size ({least})"
                source += f", raised to champions.min_group_size ({least})"
            value = scaled
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            self.lines.append(f"{toml_key(path.rsplit('.', 1)[-1])} = [  # {comment}")
            for i, item in enumerate(value):
                inner = self.comments.get(f"{path}.{i}")
                self.lines.append(f"  {toml_value(item)},{f'  # {inner}' if inner else ''}")
            self.lines.append("]")
            if not any(path.startswith(f"{array}.") for array in _TABLE_ARRAYS):
                self.sources[path] = (source, "assumption")
            return
        self.put(path, value, comment, source, "assumption")

    def move(self, day: date, end: bool) -> date:
        """A template date moved by the same months (and days) as the scenario start.

        An end date moves as the day before the next day's move, so month ends stay month ends.
        """
        delta = timedelta(days=self.shift_days)
        if end:
            return (
                add_months(day + timedelta(days=1), self.shift_months) + delta - timedelta(days=1)
            )
        return add_months(day, self.shift_months) + delta

    def table(self, path: str, body: dict, header: str | None = None) -> None:
        """Write a template table: its values, then its sub-tables and arrays of tables."""
        arrays = {k for k in body if _is_table_array(f"{path}.{k}")}
        scalars = {k: v for k, v in body.items() if not _is_table(v) and k not in arrays}
        if scalars or header:
            self.lines += ["", header or f"[{_header(path)}]"]
        for key, value in scalars.items():
            self.from_template(f"{path}.{key}", value)
        for key, value in body.items():
            if _is_table(value):
                self.table(f"{path}.{key}", value)
        for key, value in body.items():
            if key in arrays:
                name = self.spec.name
                self.sources[f"{path}.{key}"] = (
                    f"{name} template (scenarios/{name}.toml): its {len(value)} phase(s), dates "
                    "moved with the scenario start (each value's comment gives the template's "
                    "source); a calendar to replace with this council's",
                    "assumption",
                )
                for i, item in enumerate(value):
                    self.table(f"{path}.{key}.{i}", item, header=f"[[{path}.{key}]]")

    # ---------------------------------------------------------------- the file

    def render(self) -> str:
        f, spec, t = self.flows, self.spec, self.template
        years = data.year_label(f.years)
        self.header(years)
        meta = t["scenario"]
        self.lines += ["", "[scenario]"]
        self.put(
            "scenario.name", f.council, "the council (--council)", "rollout new --council", "data"
        )
        self.put(
            "scenario.description",
            f"{f.council}: DfE workforce figures {years} with the {spec.name} programme "
            "template (edit the programme).",
            "what this file is",
            "rollout new",
            "assumption",
        )
        self.put(
            "scenario.start",
            self.start,
            "--start (default: the next 1 April); assumption: when the programme would begin",
            "rollout new --start (default the next 1 April)",
            "assumption",
        )
        self.from_template("scenario.horizon_months", meta["horizon_months"])

        wf = t["workforce"]
        self.lines += ["", "[workforce]"]
        for key, value in wf.items():
            if key == "roles":
                continue
            if key == "agency_cover":
                self.put(
                    "workforce.agency_cover",
                    round(f.agency_cover, 3),
                    f"[DfE] vacancy_agency_cover_rate_fte, mean {data.year_label(f.years)} "
                    f"= {100 * f.agency_cover:.1f} %",
                    f.sources["agency_cover"],
                    "data",
                )
            else:
                self.from_template(f"workforce.{key}", value)
        if "agency_cover" not in wf:
            self.put(
                "workforce.agency_cover",
                round(f.agency_cover, 3),
                f"[DfE] vacancy_agency_cover_rate_fte, mean = {100 * f.agency_cover:.1f} %",
                f.sources["agency_cover"],
                "data",
            )
        note = (
            f"Social-work roles (the DfE counts): {self.total_posts} posts = [DfE] in post + "
            f"vacancies, mean {years} ({f.posts_fte:.1f} FTE), split in the {spec.name} "
            "template's proportions (an assumption: the DfE does not publish posts by level)."
        )
        if spec.drop_roles:
            note += (
                f" The template's {', '.join(spec.drop_roles)} (not social workers, so not in "
                "the DfE figures) is left out: add such roles yourself."
            )
        self.lines.append("")
        self.lines += [f"# {line}" for line in textwrap.wrap(note, width=92)]
        for role, body in wf["roles"].items():
            if role in spec.drop_roles:
                continue
            self.role(role, body)
        for name in ("practice", "programme", "champions", "costs", "measures"):
            if name in t:
                self.table(name, t[name])
        self.write_sources()
        return "\n".join(self.lines) + "\n"

    def header(self, years: str) -> None:
        f, spec = self.flows, self.spec
        made = f"`{self.command}`" if self.command else "`rollout new`"
        paragraphs = [
            f"{f.council}: a starting scenario built by {made}.",
            "",
            f"[DfE] {data.RELEASE}, {f.council} {years} (FTE; reporting years to 30 September).",
            data.ATTRIBUTION,
            "",
            "The workforce comes from those figures. The practice, programme, champions, costs "
            f"and measures are copied from the {spec.name} template (scenarios/{spec.name}.toml; "
            f"{spec.summary}), its dates moved to start on {self.start} and its cohort sizes "
            f"scaled to this council's posts; its comments are kept, prefixed '{spec.name}:' "
            f"([seed] there means the {spec.name.title()} source document).",
            "",
            "A starting point: replace the programme with this council's plan and every "
            "'assumption' with local knowledge. [sources] at the end gives every value's source "
            "and confidence (data, estimate or assumption).",
        ]
        paragraphs += [f"Note: {note}." for note in f.notes]
        for paragraph in paragraphs:
            wrapped = textwrap.wrap(paragraph, width=92) or [""]
            self.lines += [f"# {line}".rstrip() for line in wrapped]

    def role(self, role: str, body: dict) -> None:
        f, spec = self.flows, self.spec
        years = data.year_label(f.years)
        path = f"workforce.roles.{role}"
        self.lines += ["", f"[{path}]"]
        if role not in spec.social_work_roles:
            for key, value in body.items():
                if key == "posts":
                    self.put(
                        f"{path}.posts",
                        self.posts[role],
                        f"{spec.name}: {value} for {self.template_posts} social-work posts, "
                        f"scaled to {self.total_posts} (assumption; not in the DfE figures)",
                        f"{spec.name} template: {value} posts per {self.template_posts} "
                        f"social-work posts, scaled to {self.total_posts}",
                        "assumption",
                    )
                elif key == "initial_vacancies":
                    vacant = min(self.posts[role], round(value * self.ratio))
                    self.put(
                        f"{path}.initial_vacancies",
                        vacant,
                        f"{spec.name}: {value}, scaled with the posts (assumption)",
                        f"{spec.name} template: {value}, scaled with the posts",
                        "assumption",
                    )
                else:
                    self.from_template(f"{path}.{key}", value)
            return
        share = body["posts"] / self.template_posts
        for key, value in body.items():
            if key == "posts":
                self.put(
                    f"{path}.posts",
                    self.posts[role],
                    f"[DfE] {self.total_posts} posts x {100 * share:.1f} % ({spec.name} share)",
                    f"{f.sources['posts_fte']}, rounded to {self.total_posts} posts; "
                    f"{100 * share:.1f} % of them by the {spec.name} template's shares "
                    "(the split by role is an assumption)",
                    "estimate",
                )
            elif key == "turnover":
                self.put(
                    f"{path}.turnover",
                    round(f.turnover, 4),
                    f"[DfE] leavers / in post, pooled {years} (one rate for all social workers)",
                    f"{f.sources['turnover']}; the same for every social-work role "
                    "(assumption: the DfE publishes one rate)",
                    "data",
                )
            elif key == "hiring_delay_months":
                self.put(
                    f"{path}.hiring_delay_months",
                    round(f.hiring_delay_months, 2),
                    f"[DfE] vacancies / starters, pooled {years}, in months (Little's law)",
                    f.sources["hiring_delay_months"],
                    "estimate",
                )
            elif key == "initial_vacancies":
                self.put(
                    f"{path}.initial_vacancies",
                    self.vacancies[role],
                    f"[DfE] vacancy rate {years} {100 * f.vacancy_rate:.1f} % x "
                    f"{self.total_posts} posts = {self.total_vacancies}, split by posts",
                    f"{f.sources['vacancy_rate']}; x {self.total_posts} posts = "
                    f"{self.total_vacancies} vacant at the start, split across roles by posts",
                    "estimate",
                )
            else:
                self.from_template(f"{path}.{key}", value)
        for key in ("turnover", "hiring_delay_months", "initial_vacancies"):
            if key not in body:
                raise RuntimeError(f"template {spec.name}: {path} lacks {key}")

    def write_sources(self) -> None:
        self.lines += [
            "",
            "# Where every value above came from (key path = { source, confidence }):",
            "# data = published figures; estimate = derived from them with a stated assumption;",
            "# assumption = a planning guess or the template's choice, to replace.",
            "[sources]",
        ]
        for path, (source, confidence) in self.sources.items():
            entry = {"source": source, "confidence": confidence}
            self.lines.append(f"{json.dumps(path)} = {toml_value(entry)}")


def _is_table(value: Any) -> bool:
    return isinstance(value, dict)


def _is_table_array(path: str) -> bool:
    """Arrays written as ``[[...]]`` tables (the others, such as sessions, stay inline)."""
    return path in _TABLE_ARRAYS


def _header(path: str) -> str:
    """A table header's name: array indices dropped (``programme.phases.1.foundation``
    belongs to the ``[[programme.phases]]`` element just written)."""
    return re.sub(r"\.\d+(?=\.|$)", "", path)


def command_line(
    council: str,
    year: int | None,
    years: str | None,
    template: str,
    start: date | None,
    out: str,
) -> str:
    """The ``rollout new`` command that builds this file, for its header."""
    words = ["rollout", "new", "--council", council]
    if year is not None:
        words += ["--year", str(year)]
    if years is not None:
        words += ["--years", years]
    words += ["--template", template]
    if start is not None:
        words += ["--start", start.isoformat()]
    words += ["-o", str(out)]
    return " ".join(shlex.quote(w) for w in words)
