"""The text of a council's new scenario: the template's programme, the council's figures,
and a comment and a ``[sources]`` entry for every value.
"""

from __future__ import annotations

import json
import re
import textwrap
import tomllib
from datetime import date, timedelta
from typing import Any

from ..scenario.clock import add_months
from ..scenario.keys import ScenarioError
from . import figures as data
from .projected_path import Projection, council_path
from .templates import SCALED, Template
from .toml_text import (
    TABLE_ARRAYS,
    is_table,
    is_table_array,
    split_by_shares,
    table_header,
    template_comments,
    toml_key,
    toml_value,
)

# The workforce's factors, written by this file (never copied from the template's council).
FACTORS = ("turnover_factor", "hiring_delay_factor")

# A template note that names a year or a month describes the template's own calendar (Camden
# 2015-2021), which is not true of a file that starts elsewhere: such notes are not copied.
DATED_NOTE = re.compile(
    r"\b(19|20)\d\d\b|\b(January|February|March|April|May|June|July|August|September|October"
    r"|November|December)\b"
)


def undated(note: str | None) -> str | None:
    """The template's note, or ``None`` when it speaks of the template's own dates."""
    return None if note and DATED_NOTE.search(note) else note


def starting_vacancies(posts: list[int], rate: float, factor: float = 1.0) -> list[int]:
    """Each role's posts vacant on the start date, so that on average ``rate`` of the posts
    open at the start are vacant.

    The model opens ``round(posts x factor)`` of a role's posts on the start (the path's
    point there) and draws the vacant ones among the role's ``posts``. Posts grown at the
    start begin filled, so the count is ``rate`` of the open posts; when posts are cut
    (``factor`` below 1) only that share of the vacant falls on open posts, so the count is
    ``rate`` of all of them.
    """
    weights = [max(p, round(p * factor)) for p in posts]
    total = round(rate * sum(weights))
    vacant = split_by_shares(total, weights, at_least_one=False) if total else [0] * len(posts)
    return [min(v, p) for v, p in zip(vacant, posts, strict=True)]


class ScenarioWriter:
    """Writes the scenario text: header, data-driven workforce, template sections, sources.

    Given the council, it also writes the council's observed path and its projection
    (:mod:`.projected_path`) as ``[workforce.over_time]`` and their ``[uncertainty]``.
    """

    projection: Projection | None = None  # a roster's writer (from_roster) writes none

    def __init__(
        self,
        spec: Template,
        flows: data.Flows,
        start: date,
        command: str | None,
        council: data.Council | None = None,
        horizon_months: int | None = None,
    ):
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
        # Values this file decides itself: path -> (value, comment, source, confidence).
        self.overrides: dict[str, tuple] = {}
        roles = self.template["workforce"]["roles"]
        self.template_posts = sum(roles[r]["posts"] for r in spec.social_work_roles)
        self.total_posts = max(1, round(flows.posts_fte))
        self.ratio = self.total_posts / self.template_posts
        shares = [roles[r]["posts"] for r in spec.social_work_roles]
        split = split_by_shares(self.total_posts, shares)
        self.posts = dict(zip(spec.social_work_roles, split, strict=True))
        old = self.template["scenario"]["start"]
        self.shift_months = (start.year - old.year) * 12 + (start.month - old.month)
        self.shift_days = start.day - old.day
        for role, body in roles.items():
            if role not in spec.social_work_roles and role not in spec.drop_roles:
                self.posts[role] = max(1, round(body["posts"] * self.ratio))
        if horizon_months is not None:
            self.overrides["scenario.horizon_months"] = (
                horizon_months,
                f"{horizon_months} months (rollout new's caller chose it)",
                f"{horizon_months} months, chosen by the caller (the hindcast: to its last "
                "checked year)",
                "assumption",
            )
        if council is not None:
            self.projection = council_path(
                council,
                flows.years,
                start,
                horizon_months or self.template["scenario"]["horizon_months"],
                flows,
                self.total_posts,
                round(flows.turnover, 4),
                round(flows.hiring_delay_months, 2),
                round(flows.agency_cover, 3),
            )
        self.vacancies: dict[str, int] = {}
        self.vacancy_note = self.vacancy_source = ""
        self.start_state(council)

    def start_state(self, council: data.Council | None) -> None:
        """Posts vacant on the start date: the state the run's rates hold from its start.

        With a projection, the run starts on the last year read carried forward (its posts,
        turnover, vacancy length and agency cover), so it starts with that year's vacancy
        rate: a council plans from where it stands now, and a start at the pooled rate would
        only drift to that year's within the first year. Without one, the pooled constants
        hold throughout, so it starts at the pooled rate. The one rule for ``rollout new``,
        ``national``, the app's council start and ``hindcast`` (issue 23's review: the
        validation tests what users run).
        """
        f, roles = self.flows, self.spec.social_work_roles
        base = [self.posts[r] for r in roles]
        rate, factor, last = f.vacancy_rate, 1.0, None
        if self.projection is not None and council is not None:
            row = council.figures.get(self.projection.last_year, {})
            inpost, vacant_fte = row.get("inpost_fte"), row.get("vacancy_fte")
            if inpost is not None and vacant_fte is not None and inpost + vacant_fte > 0:
                last = self.projection.last_year
                rate = vacant_fte / (inpost + vacant_fte)
                factor = self.projection.points[-1].values.get("posts_factor", 1.0)
        vacant = (
            starting_vacancies(base, rate, factor) if f.hiring_delay_months else [0] * len(base)
        )
        self.vacancies = dict(zip(roles, vacant, strict=True))
        self.total_vacancies = total = sum(vacant)
        if last is None:
            years = data.year_label(f.years)
            self.vacancy_note = (
                f"[DfE] vacancy rate {years} {100 * rate:.1f} % x {self.total_posts} posts = "
                f"{total}, split by posts"
            )
            self.vacancy_source = (
                f"{f.sources['vacancy_rate']}; x {self.total_posts} posts = {total} vacant at "
                "the start, split across roles by posts"
            )
            return
        opened = sum(round(p * factor) for p in base)
        counted = sum(max(p, round(p * factor)) for p in base)
        among = (
            f": {opened} posts open, the vacant drawn among all {counted}, so about "
            f"{rate * opened:.0f} of the open ones"
            if round(rate * opened) != total
            else ""
        )
        self.vacancy_note = (
            f"[DfE] vacancy rate {last} {100 * rate:.1f} % x {counted} posts = {total}, split by "
            f"posts (the run starts as {last} stood{among})"
        )
        self.vacancy_source = (
            f"{data.SHORT_RELEASE}, {council.name} {last} (the year the projection carries "
            f"forward): vacancy_fte / (inpost_fte + vacancy_fte) = {vacant_fte:,.1f} / "
            f"{inpost + vacant_fte:,.1f} = {100 * rate:.1f} %; x {counted} posts = {total} vacant "
            f"at the start, split across roles by posts{among}"
        )

    # ---------------------------------------------------------------- output helpers

    def put(self, path: str, value: Any, comment: str, source: str, confidence: str) -> None:
        """Write one key with its comment, and record its source and confidence."""
        key = path.rsplit(".", 1)[-1]
        self.lines.append(f"{toml_key(key)} = {toml_value(value)}  # {comment}")
        # Values inside an array of tables (the phases) share the array's one source, so
        # that adding or removing a phase, or emptying the calendar, leaves [sources] valid.
        if not any(path.startswith(f"{array}.") for array in TABLE_ARRAYS):
            self.sources[path] = (source, confidence)

    def from_template(self, path: str, value: Any) -> None:
        """A template value, its dates moved and its counts scaled, with the template's note."""
        if path in self.overrides:
            self.put(path, *self.overrides[path])
            return
        note = undated(self.comments.get(path))
        name = self.spec.name
        if path == "scenario.horizon_months":
            end = add_months(self.start, value) - timedelta(days=1)
            self.put(
                path,
                value,
                f"{value} months, {self.start} to {end}: the {name} template's length (assumption)",
                f"{name} template (scenarios/{name}.toml): {value} months, here {self.start} "
                f"to {end}",
                "assumption",
            )
            return
        source = f"{name} template (scenarios/{name}.toml)" + (f": {note}" if note else "")
        comment = f"{name}: {note}" if note else f"as in the {name} template (assumption)"
        if isinstance(value, date):
            moved = self.move(value, end=path.endswith(".end"))
            comment = f"{value} in the {name} template, moved with the start; " + (
                note or "assumption"
            )
            source += f"; {value} there, moved with the scenario start"
            value = moved
        elif SCALED.match(path) and isinstance(value, int) and value > 0:
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
            if not any(path.startswith(f"{array}.") for array in TABLE_ARRAYS):
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
        arrays = {k for k in body if is_table_array(f"{path}.{k}")}
        scalars = {k: v for k, v in body.items() if not is_table(v) and k not in arrays}
        if scalars or header:
            self.lines += ["", header or f"[{table_header(path)}]"]
        for key, value in scalars.items():
            self.from_template(f"{path}.{key}", value)
        for key, value in body.items():
            if is_table(value):
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
        """The whole scenario file's text."""
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
            if key in ("roles", *FACTORS):
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
            elif key == "seniority":  # without the roles left out
                kept = [r for r in value if r not in spec.drop_roles]
                self.from_template("workforce.seniority", kept)
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
        self.factors()
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
        self.over_time()
        for name in ("practice", "programme", "champions", "costs", "measures"):
            if name in t:
                self.table(name, t[name])
        self.write_uncertainty({**self.workforce_uncertainty(), **self.template_uncertainty()})
        self.write_sources()
        return "\n".join(self.lines) + "\n"

    # ---------------------------------------------------------------- uncertainty

    def factors(self) -> None:
        """The workforce's turnover and hiring-delay factors: 1, drawn in [uncertainty]."""
        f, years = self.flows, data.year_label(self.flows.years)
        if self.projection is not None:
            self.put(
                "workforce.turnover_factor",
                1.0,
                "every role's turnover x this; the projection moves turnover by points "
                "([workforce.over_time])",
                f.sources["turnover_factor"],
                "estimate",
            )
            self.put(
                "workforce.hiring_delay_factor",
                1.0,
                "every role's hiring delay x this; [uncertainty] draws it on a log scale for "
                "the projected vacancy rate",
                self.projection.uncertainty.get("workforce.hiring_delay_factor", {}).get(
                    "source", f.sources["hiring_delay_factor"]
                ),
                "estimate",
            )
            return
        self.put(
            "workforce.turnover_factor",
            1.0,
            f"every role's turnover x this; [uncertainty] draws it from [DfE] {years} year by year",
            f.sources["turnover_factor"],
            "estimate",
        )
        self.put(
            "workforce.hiring_delay_factor",
            1.0,
            f"every role's hiring delay x this; [uncertainty] draws it from [DfE] {years} "
            "year by year",
            f.sources["hiring_delay_factor"],
            "estimate",
        )

    def over_time(self) -> None:
        """``[workforce.over_time]``: one point per DfE year read, then the projection."""
        projection = self.projection
        if projection is None:
            return
        years = data.year_label(self.flows.years)
        last = projection.last_year
        self.lines += [
            "",
            f"# How the workforce stood in each DfE year read ({years}, on 30 September), against",
            "# the constants above (posts x posts_factor, turnover + turnover_points, hiring "
            "delay x",
            "# hiring_delay_factor, agency cover x agency_cover_factor); the run sees the last "
            "point",
            f"# on or before its start. The last point, on the start, carries {last} forward; "
            "[uncertainty]",
            "# draws how far the whole projected path moves, as councils' figures moved over "
            "the same",
            "# gap (naive+national, docs/projection.md).",
            "[workforce.over_time]",
        ]
        self.put(
            "workforce.over_time.interpolation",
            "step",
            "each point holds until the next",
            "rollout new: a DfE year holds until the next one",
            "assumption",
        )
        self.lines.append("points = [")
        for point in projection.points:
            body = {"date": point.day, **point.values}
            said = f"DfE {point.year}" if point.year is not None else f"projection: {point.note}"
            self.lines.append(f"  {toml_value(body)},  # {said}")
        self.lines.append("]")
        self.sources["workforce.over_time.points"] = (
            projection.sources["workforce.over_time.points"],
            "estimate",
        )

    def workforce_uncertainty(self) -> dict[str, dict]:
        """The council's own year-to-year spread of turnover and vacancy length, as one
        gamma factor each (mean 1) for every role: one DfE rate, so one draw. With a
        projection, its own entries instead (:mod:`.projected_path`).
        """
        f = self.flows
        if self.projection is not None:
            return dict(self.projection.uncertainty)
        entries = {}
        for key, spread in (
            ("workforce.turnover_factor", f.turnover_spread),
            ("workforce.hiring_delay_factor", f.hiring_delay_spread),
        ):
            if spread:
                entries[key] = {
                    "distribution": "gamma",
                    "mean": 1.0,
                    "sd": round(spread, 3),
                    "source": f.sources[key.split(".")[1]],
                }
        return entries

    def template_uncertainty(self) -> dict[str, dict]:
        """The template's [uncertainty] for what this file copies from it (practice,
        programme, champions, costs), each source naming the template. Its workforce
        entries describe its own council, and scaled counts and phase dates change here.
        """
        name = self.spec.name
        copied = {}
        for key, entry in self.template.get("uncertainty", {}).items():
            if key.startswith(("workforce.", "scenario.", "programme.phases")) or SCALED.match(key):
                continue
            copied[key] = {**entry, "source": f"{name} template: {entry.get('source', '')}"}
        return copied

    def write_uncertainty(self, entries: dict[str, dict]) -> None:
        """The ``[uncertainty]`` table: what each future draws, and from what evidence."""
        if not entries:
            return
        self.lines += [
            "",
            "# What is not known: each future (replication) draws its own value of these. The",
            (
                "# workforce's come from how councils' figures moved (the projection), the rest"
                " from the template."
                if self.projection is not None
                else "# workforce's factors come from this council's own years, the rest from "
                "the template."
            ),
            "[uncertainty]",
        ]
        for path, entry in entries.items():
            self.lines.append(f"{json.dumps(path)} = {toml_value(entry)}")

    def header(self, years: str) -> None:
        """The file's opening comment: the council, the years read and what to check."""
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
        """One role's table from the council's DfE figures."""
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
                    self.vacancy_note,
                    self.vacancy_source,
                    "estimate",
                )
            else:
                self.from_template(f"{path}.{key}", value)
        for key in ("turnover", "hiring_delay_months", "initial_vacancies"):
            if key not in body:
                raise RuntimeError(f"template {spec.name}: {path} lacks {key}")

    def write_sources(self) -> None:
        """The ``[sources]`` table: where every value came from, and how sure it is."""
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
