"""A starting scenario for any council: its DfE workforce flows and a programme template.

``rollout new --council NAME`` writes a complete, commented scenario file that a council then
edits. The workforce comes from the council's published figures (:mod:`sim.councils`):

- posts = in post + vacancies (FTE, mean over the years, rounded), split across the social
  work roles in the template's proportions;
- turnover = leavers / in post (pooled), the same constant hazard for every role;
- hiring_delay_months = vacancies / starters (pooled; Little's law), so that in the model's
  steady state the share of posts vacant matches the published vacancy rate;
- initial_vacancies = the last year read's vacancy rate x the posts open at the start, so
  the run starts as that year stood, in the steady state of the path it carries forward (the
  pooled rate without a projection; :meth:`.scenario_writer.ScenarioWriter.start_state`,
  the rule ``rollout hindcast`` checks too);
- agency_cover = the share of vacancies covered by agency workers.

The programme, practice, champions, costs and measures are copied from a bundled scenario
(the template: Camden's cohort programme, or Havering's continuous academy), their dates moved
to the new start and their cohort sizes scaled to the council's posts. Every value written
carries a comment naming its source, and a ``[sources]`` entry (``source``, ``confidence``)
in the shared provenance format. Nothing is written unless the whole file validates.
"""

from __future__ import annotations

import os
import shlex
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..scenario.destinations import check_parent
from ..scenario.files import write_atomic
from ..scenario.keys import ScenarioError
from ..scenario.schema import validate
from . import figures as data
from .names import find_council, normalise
from .scenario_writer import ScenarioWriter
from .templates import template_for


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
    projected_from: int | None = None  # the DfE year the projection carries forward
    vacant: int = 0  # social-work posts vacant on the start date

    def summary_lines(self, path: str, query: str) -> list[str]:
        """What the ``new`` command prints after writing ``path``."""
        f = self.flows
        matched = (
            ""
            if normalise(query) == normalise(self.council)
            else (f" ('{query}' matched {self.council})")
        )
        by_role = ", ".join(f"{role} {n}" for role, n in self.posts.items())
        lines = [
            f"Wrote {path}: {self.council}{matched}, DfE figures {data.year_label(self.years)}, "
            f"{self.template} programme template from {self.start}.",
            f"  posts {sum(self.posts.values())} ({by_role}); "
            f"turnover {f.turnover:.3f} a year; a vacant post waits {f.hiring_delay_months:.1f} "
            f"months; {100 * f.vacancy_rate:.1f}% vacant; {100 * f.agency_cover:.1f}% of "
            "vacancies covered by agency",
        ]
        varies = [
            f"{what} by {100 * spread:.0f}%"
            for what, spread in (
                ("turnover", f.turnover_spread),
                ("vacancy length", f.hiring_delay_spread),
            )
            if spread
        ]
        if self.projected_from is not None:
            lines.append(
                f"  the DfE years as a path, then {self.projected_from} carried forward with the "
                "spread of how councils' figures moved (one draw per future for the whole path; "
                f"docs/projection.md); it starts as {self.projected_from} stood, {self.vacant} "
                "posts vacant"
            )
        elif varies:
            lines.append(
                f"  uncertain as the council's own years were (sd of the yearly figures around "
                f"the pooled one): {' and '.join(varies)}, one draw per future for every role"
            )
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
    projection: bool = True,
    horizon_months: int | None = None,
) -> NewScenario:
    """Build the text of a council's starting scenario (nothing is written).

    Parameters
    ----------
    council
        The council's name, matched forgivingly (:func:`sim.councils.find_council`).
    year, years
        One reporting year, or a range (``"2019:2023"`` or a pair); default the latest five.
    template
        ``camden``, ``havering``, or a scenario file to use as the template.
    start
        First day of the scenario; default the next 1 April.
    command
        The command line to record in the header.
    projection
        Whether to write the council's observed path and its projection
        (``[workforce.over_time]``, :mod:`sim.councils.projected_path`); without, the
        pooled constants hold for the whole run.
    horizon_months
        The run's length, when not the template's (the hindcast runs to its last checked
        year); the projection's spread is for the years it covers.

    Raises
    ------
    ScenarioError
        Unknown or ambiguous council, years without figures, an unknown template.
    """
    spec = template_for(template)
    found = find_council(council)
    span = data.parse_years(years) if isinstance(years, str) else years
    chosen = data.choose_years(found, year=year, years=span)
    flows = data.pooled_flows(found, chosen)
    start = start or next_april()
    writer = ScenarioWriter(
        spec, flows, start, command, found if projection else None, horizon_months
    )
    text = writer.render()
    # Never hand back a file that would not load: a failure here is a bug, not bad input.
    try:
        validate(tomllib.loads(text), f"<new scenario for {found.name}>")
    except ScenarioError as exc:
        raise RuntimeError("rollout new built an invalid scenario:\n" + str(exc)) from None
    last = writer.projection.last_year if writer.projection is not None else None
    return NewScenario(
        text,
        found.name,
        chosen,
        template,
        start,
        flows,
        writer.posts,
        last,
        writer.total_vacancies,
    )


def check_destination(path: str | Path) -> Path:
    """The new file ``-o`` names, refused (exit 2) if it exists or cannot be written: checked
    before any work, and again when writing.
    """
    path = Path(path)
    check_parent(path, "-o")
    if os.path.lexists(path):
        raise ScenarioError([f"{path}: already exists; nothing is overwritten (choose another -o)"])
    return path


def write_new(path: str | Path, text: str) -> Path:
    """Write ``text`` to a new file ``path``, whole or not at all, never over an existing file.

    The text goes to a temporary file in the same folder, which is then linked (or, where
    links are not supported, renamed) into place, so a reader never sees half a file
    (:func:`sim.scenario.files.write_atomic`).
    """
    path = check_destination(path)
    try:
        return write_atomic(path, text, replace=False)
    except FileExistsError:
        raise ScenarioError(
            [f"{path}: already exists; nothing is overwritten (choose another -o)"]
        ) from None
    except OSError as exc:
        raise ScenarioError([f"-o {path}: cannot be written ({exc.strerror})"]) from None


ROSTER_PLACEHOLDER, LEAVERS_PLACEHOLDER = "STAFF_LIST.csv", "LEAVERS_LIST.csv"


def command_line(
    council: str | None,
    year: int | None,
    years: str | None,
    template: str,
    start: date | None,
    out: str,
    roster: str | None = None,
    leavers: str | None = None,
) -> str:
    """The ``rollout new`` command that builds this file, for its header.

    A staff list's file name is often a person's or a team's, so it is not kept: the command
    names the roster and the leavers list by what they are (``STAFF_LIST.csv``).
    """
    words = ["rollout", "new"]
    if roster is not None:
        words += ["--roster", ROSTER_PLACEHOLDER]
    if leavers is not None:
        words += ["--leavers", LEAVERS_PLACEHOLDER]
    if council is not None:
        words += ["--council", council]
    if year is not None:
        words += ["--year", str(year)]
    if years is not None:
        words += ["--years", years]
    words += ["--template", template]
    if start is not None:
        words += ["--start", start.isoformat()]
    words += ["-o", str(out)]
    return " ".join(shlex.quote(w) for w in words)
