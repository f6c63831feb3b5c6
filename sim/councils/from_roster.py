"""``rollout new --roster staff.csv``: a scenario that starts from a council's own staff.

The roster (:mod:`.roster`) becomes the scenario's starting state, ``workforce.roster``: its
posts by role, teams, vacancies and agency cover, who was trained when, the champions and the
mentored supervisors. Post ids are never copied, and team labels are replaced by numbers
(``team 1`` ...; the first team in alphabetical order is ``team 1``), so the file says nothing
about who anyone is.

The flows come from the council's own records where they are rich enough (:mod:`.history`):
turnover per role from the leavers file (with the roster's holders, or the leavers file's
own rows still in post, as the people at risk), vacancy length per role by Little's law, agency
cover from the roster. Each estimate goes in as the value, with a gamma distribution in
``[uncertainty]`` whose mean is the estimate and whose sd is its standard error. A role with
fewer than :data:`~.history.MIN_EVENTS` leavers (or starters) takes the council's DfE figure
(``--council``) or else the template's, and its comment says so. The programme comes from
the template as for ``rollout new --council``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..scenario.keys import ScenarioError
from ..scenario.schema import validate
from . import figures as data
from . import history
from .roster import RosterRow, Spell, read_leavers, read_roster
from .roster_figures import Figure, _figures, _spread_entry, _team_size_problem
from .scenario_writer import FACTORS, ScenarioWriter
from .templates import TEMPLATES, Template
from .toml_text import toml_value

STATUS_ORDER = {"filled": 0, "agency": 1, "vacant": 2}
# How far a roster's social-work posts may stray from the council's DfE posts (in post +
# vacancies) before the roster is taken to be the wrong file or the wrong council.
SIZE_RATIO_LIMITS = (0.5, 2.0)


@dataclass(frozen=True)
class RosterScenario:
    """A scenario written from a staff list: its text and what the command says of it."""

    text: str
    template: str
    start: date
    posts: dict[str, int]
    notes: list[str]
    teams: dict[str, str]  # the roster's team label -> the scenario's team number

    def summary_lines(self, path: str) -> list[str]:
        """What ``rollout new --roster`` prints after writing ``path``."""
        by_role = ", ".join(f"{role} {n}" for role, n in self.posts.items() if n)
        lines = [
            f"Wrote {path}: the roster's {sum(self.posts.values())} posts ({by_role}) as the "
            f"starting state on {self.start}, {self.template} programme template.",
        ]
        lines += [f"  {note}" for note in self.notes]
        if self.teams:
            shown = ", ".join(f"{label} = {number}" for label, number in self.teams.items())
            lines.append(f"  teams are numbered in the file (labels are not copied): {shown}")
        lines.append(f"Check it with: rollout validate {path}; then: rollout run {path}")
        return lines


def _team_roles(spec: Template, template: dict) -> tuple[dict[str, bool], str | None]:
    workforce = template["workforce"]
    lead = workforce.get("supervisor_role")
    roles = {
        name: name == lead or bool(body.get("team_member"))
        for name, body in workforce["roles"].items()
    }
    return roles, lead


class RosterWriter(ScenarioWriter):
    """The scenario text: the template's programme around the roster's starting state."""

    def __init__(
        self,
        spec: Template,
        rows: list[RosterRow],
        figures: dict[str, dict[str, Figure]],
        agency: Figure,
        flows: data.Flows | None,
        start: date,
        command: str | None,
        teams: dict[str, str],
    ):
        from .toml_text import template_comments

        self.spec, self.start, self.command, self.flows = spec, start, command, flows
        text = spec.path.read_text(encoding="utf-8")
        self.template = tomllib.loads(text)
        self.comments = template_comments(text)
        self.lines, self.sources, self.overrides = [], {}, {}
        self.rows, self.figures, self.agency, self.teams = rows, figures, agency, teams
        roles = self.template["workforce"]["roles"]
        self.posts = {role: sum(r.role == role for r in rows) for role in roles}
        sw = [r for r in spec.social_work_roles if r in roles]
        self.template_posts = sum(roles[r]["posts"] for r in sw)
        self.total_posts = max(1, sum(self.posts[r] for r in sw))
        self.ratio = self.total_posts / self.template_posts
        old = self.template["scenario"]["start"]
        self.shift_months = (start.year - old.year) * 12 + (start.month - old.month)
        self.shift_days = start.day - old.day
        champions = sum(r.champion for r in rows)
        if champions:
            self._champion_overrides(champions)

    def _champion_overrides(self, champions: int) -> None:
        design = self.template.get("champions", {})
        target = max(1, round(design.get("target", 0) * self.ratio))
        least = design.get("min_group_size", 2)
        self.overrides["champions.target"] = (
            max(target, champions, least),
            f"the roster's {champions} champions, or the template's target scaled to "
            f"{self.total_posts} social-work posts ({target}), whichever is larger (assumption)",
            f"your roster: {champions} champions; {self.spec.name} template's target scaled",
            "assumption",
        )
        self.overrides["champions.appoint_from"] = (
            self.start,
            "the roster's champions are at work on the start date",
            "your roster: champions at the start",
            "data",
        )

    def render(self) -> str:
        """The whole scenario file's text."""
        spec, t = self.spec, self.template
        self.header()
        self.lines += ["", "[scenario]"]
        name = self.flows.council if self.flows else "Your service"
        self.put("scenario.name", name, "from --council, else a placeholder", "rollout new", "data")
        self.put(
            "scenario.description",
            f"{name}: the service as its staff list describes it on {self.start}, with the "
            f"{spec.name} programme template (edit the programme).",
            "what this file is",
            "rollout new --roster",
            "assumption",
        )
        self.put(
            "scenario.start",
            self.start,
            "--start (default: the next 1 April); the roster describes this day",
            "rollout new --start (default the next 1 April)",
            "assumption",
        )
        self.from_template("scenario.horizon_months", t["scenario"]["horizon_months"])
        self.lines += ["", "[workforce]"]
        filled = [r for r in self.rows if r.status == "filled"]
        trained = sum(r.trained_on is not None for r in filled)
        share = round(trained / len(filled), 3) if filled else 0.0
        self.put(
            "workforce.initial_trained_fraction",
            share,
            f"your roster: {trained} of {len(filled)} holders trained (the roster says who)",
            f"your roster: {trained} of {len(filled)} holders trained",
            "data",
        )
        for key, value in t["workforce"].items():
            if key not in ("roles", "agency_cover", "initial_trained_fraction", *FACTORS):
                self.from_template(f"workforce.{key}", value)
        a = self.agency
        self.put("workforce.agency_cover", a.value, a.comment, a.source, a.confidence)
        self.roster()
        for role, body in t["workforce"]["roles"].items():
            self.role(role, body)
        for section in ("practice", "programme", "champions", "costs", "measures"):
            if section in t:
                self.table(section, t[section])
        self.uncertainty()
        self.write_sources()
        return "\n".join(self.lines) + "\n"

    def header(self) -> None:
        """The file's opening comment: how it was made, and what to check."""
        made = f"`{self.command}`" if self.command else "`rollout new --roster`"
        paragraphs = [
            f"A starting scenario built by {made} from a staff list (its file name is not "
            "kept: it often names a person or a team).",
            "",
            f"workforce.roster is that list on {self.start}, one row per post, without post ids "
            "or any other identifier (teams are numbered); the model starts every replication "
            "from exactly these posts, teams, vacancies, agency cover, training dates, "
            "champions and mentored supervisors. Each holder's practice level at the start is "
            "what decay from their trained_on date leaves (no reinforcement since is known).",
            "",
            "Turnover and vacancy length come from your own records where there were enough "
            f"leavers (at least {history.MIN_EVENTS} in the last {history.WINDOW_YEARS} years), "
            "with their estimation uncertainty in [uncertainty]; otherwise from "
            + ("the DfE figures" if self.flows else f"the {self.spec.name} template")
            + ", as each comment says.",
            "",
            f"The practice, programme, champions, costs and measures are the {self.spec.name} "
            f"template's (scenarios/{self.spec.name}.toml; {self.spec.summary}), its dates moved "
            f"to start on {self.start} and its cohort sizes scaled to this service's "
            "posts: a starting point to replace with your own plan.",
        ]
        if self.flows:
            paragraphs += ["", f"[DfE] {data.RELEASE}. {data.ATTRIBUTION}"]
        import textwrap

        for paragraph in paragraphs:
            wrapped = textwrap.wrap(paragraph, width=92) or [""]
            self.lines += [f"# {line}".rstrip() for line in wrapped]

    def roster(self) -> None:
        """The staff list as the starting state, one entry per post."""
        names = list(self.template["workforce"]["roles"])

        def order(row: RosterRow):
            return (
                names.index(row.role),
                int(self.teams[row.team].split()[-1]) if row.team else 0,
                STATUS_ORDER[row.status],
                row.trained_on or date.max,
                not row.champion,
                row.mentored_on is None,
            )

        self.lines.append(
            f"roster = [  # your roster: {len(self.rows)} posts on {self.start}, no identifiers"
        )
        for row in sorted(self.rows, key=order):
            entry: dict = {"role": row.role}
            if row.team:
                entry["team"] = self.teams[row.team]
            entry["status"] = row.status
            if row.trained_on:
                entry["trained_on"] = row.trained_on
            if row.champion:
                entry["champion"] = True
            if row.mentored_on:
                entry["mentored"] = True
            self.lines.append(f"  {toml_value(entry)},")
        self.lines.append("]")
        self.sources["workforce.roster"] = (
            f"your roster: {len(self.rows)} posts, rows in a fixed order, post ids not copied",
            "data",
        )

    def role(self, role: str, body: dict) -> None:
        """One role's table: posts, turnover and hiring delay from the staff list."""
        path = f"workforce.roles.{role}"
        self.lines += ["", f"[{path}]"]
        vacant = sum(r.role == role and r.status != "filled" for r in self.rows)
        self.put(
            f"{path}.posts",
            self.posts[role],
            "your roster",
            "your roster: posts of this role",
            "data",
        )
        self.put(
            f"{path}.initial_vacancies",
            vacant,
            "your roster: vacant or agency-covered",
            "your roster: posts vacant or covered by agency",
            "data",
        )
        for key in ("turnover", "hiring_delay_months"):
            f = self.figures[role][key]
            self.put(f"{path}.{key}", f.value, f.comment, f.source, f.confidence)
        for key, value in body.items():
            if key not in ("posts", "initial_vacancies", "turnover", "hiring_delay_months"):
                self.from_template(f"{path}.{key}", value)

    def uncertainty(self) -> None:
        """Each role's turnover and vacancy length: from your records, a gamma whose mean is
        the estimate and whose sd its standard error; a role left to the DfE figures or the
        template, a gamma around that value with the spread of the council's own DfE years
        or the template's workforce factor. Then the template's practice uncertainty.
        """
        entries: dict[str, dict] = {}
        for role, keys in self.figures.items():
            for key, f in keys.items():
                path = f"workforce.roles.{role}.{key}"
                if f.sd is not None and f.sd > 0:
                    entries[path] = _spread_entry(key, f.value, f.sd, f.source)
                elif f.value > 0 and (spread := self._fallback_spread(role, key)) is not None:
                    relative, where = spread
                    entries[path] = _spread_entry(
                        key, f.value, relative * f.value, f"{f.source}; spread: {where}"
                    )
        self.lines += [
            "",
            "# What is not known: each replication draws its own value of these. Turnover and",
            "# vacancy length: from your records (mean = the estimate, sd = its standard error),",
            "# else the DfE's or the template's, with their year-to-year spread; the rest from",
            "# the template.",
            "[uncertainty]",
        ]
        for path, entry in {**entries, **self.template_uncertainty()}.items():
            self.lines.append(f'"{path}" = {toml_value(entry)}')

    def _fallback_spread(self, role: str, key: str) -> tuple[float, str] | None:
        """The relative sd of a role's figure that was not estimated from the records: the
        council's DfE years when the figure is the DfE's, else the template's factor.
        """
        factor = "turnover_factor" if key == "turnover" else "hiring_delay_factor"
        if self.flows is not None and role in self.spec.social_work_roles:
            spread = getattr(
                self.flows, "turnover_spread" if key == "turnover" else ("hiring_delay_spread")
            )
            return (spread, self.flows.sources[factor]) if spread else None
        entry = self.template.get("uncertainty", {}).get(f"workforce.{factor}")
        if entry and entry.get("distribution") == "gamma" and entry.get("mean") == 1.0:
            return entry["sd"], f"the {self.spec.name} template's workforce.{factor}: " + (
                entry.get("source", "")
            )
        return None


def new_roster_scenario(
    roster: str | Path,
    leavers: str | Path | None = None,
    council: str | None = None,
    years: str | None = None,
    template: str = "camden",
    start: date | None = None,
    command: str | None = None,
    today: date | None = None,
) -> RosterScenario:
    """Build the text of a scenario starting from a roster (nothing is written)."""
    from .builder import next_april
    from .names import find_council

    if template not in TEMPLATES:
        raise ScenarioError(
            [f"--template {template!r}: unknown template (choose {', '.join(TEMPLATES)})"]
        )
    spec = TEMPLATES[template]
    tmpl = tomllib.loads(spec.path.read_text(encoding="utf-8"))
    start = start or next_april(today)
    as_of = min(start, today or date.today())
    roles, lead = _team_roles(spec, tmpl)
    flows = None
    if council:
        found = find_council(council)
        span = data.parse_years(years) if years else None
        flows = data.pooled_flows(found, data.choose_years(found, years=span))
    problems: list[str] = []
    rows: list[RosterRow] = []
    spells: list[Spell] | None = None
    try:
        rows = read_roster(roster, roles, lead, as_of)
    except ScenarioError as exc:
        problems += exc.lines
    if leavers is not None:
        try:
            spells = read_leavers(leavers, roles, as_of)
        except ScenarioError as exc:
            problems += exc.lines
    if problems:
        raise ScenarioError(problems)
    if flows is not None:
        listed = sum(r.role in spec.social_work_roles for r in rows)
        expected = round(flows.posts_fte)
        low, high = SIZE_RATIO_LIMITS
        if not low * expected <= listed <= high * expected:
            raise ScenarioError(
                [
                    f"{roster}: lists {listed} social-work posts "
                    f"({', '.join(spec.social_work_roles)}), but the DfE figures give "
                    f"{flows.council} about {expected} (in post + vacancies, FTE): a roster "
                    "lists every post, vacant ones included; check the file and --council"
                ]
            )
    size_problem = _team_size_problem(roster, rows, tmpl, roles, lead, spec)
    if size_problem:
        raise ScenarioError([size_problem])
    labels = sorted({r.team for r in rows if r.team})
    teams = {label: f"team {i}" for i, label in enumerate(labels, start=1)}
    figures, notes = _figures(spec, tmpl, rows, spells, flows, as_of)
    vacant = [r for r in rows if r.status != "filled"]
    agency = sum(r.status == "agency" for r in vacant)
    if vacant:
        cover = Figure(
            round(agency / len(vacant), 3),
            f"your roster: {agency} of {len(vacant)} vacant posts covered by agency",
            f"your roster: {agency} of {len(vacant)} vacant posts covered by agency",
            "data",
        )
    elif flows is not None:
        cover = Figure(
            round(flows.agency_cover, 3),
            "[DfE] (no vacancies in your roster to count)",
            flows.sources["agency_cover"],
            "data",
        )
    else:
        value = tmpl["workforce"].get("agency_cover", 0.0)
        cover = Figure(
            value,
            f"{spec.name} template (no vacancies in your roster to count)",
            f"{spec.name} template",
            "assumption",
        )
    writer = RosterWriter(spec, rows, figures, cover, flows, start, command, teams)
    text = writer.render()
    try:
        validate(tomllib.loads(text), "<new scenario from a roster>")
    except ScenarioError as exc:
        raise RuntimeError("rollout new built an invalid scenario:\n" + str(exc)) from None
    return RosterScenario(text, template, start, writer.posts, notes, teams)
