"""Every council's scenario, built from its DfE figures exactly as ``rollout new`` builds one.

For each English council in the shipped DfE data, :func:`sim.councils.builder.new_scenario`
writes the scenario text (the template's programme, the council's posts, turnover, hiring
delay, vacancies and agency cover), which is then read and validated like any scenario file,
with the command's ``--set`` changes. A council whose figures cannot give a scenario
(suppressed or missing in the years asked for, no one in post) is kept with the reason,
never dropped; so is a council that no longer exists (reorganised), unless years in which
it existed are asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..councils import builder
from ..councils import figures as data
from ..councils.names import find_council
from ..councils.templates import template_for
from ..scenario.keys import ScenarioError
from ..scenario.loading import scenario_from_text
from ..scenario.schema import Scenario


@dataclass(frozen=True)
class CouncilScenario:
    """One council: its scenario and the figures it came from, or why there is none."""

    name: str
    region: str
    scenario: Scenario | None = None
    flows: data.Flows | None = None
    posts: int | None = None  # posts in the scenario (social-work roles)
    reason: str = ""  # why no scenario could be built ('' when built)

    @property
    def built(self) -> bool:
        """Whether the council's scenario could be built."""
        return self.scenario is not None


def default_start() -> date:
    """The start of every council's scenario unless one is given: the next 1 April, as
    ``rollout new``.
    """
    return builder.next_april()


def choose_councils(names: Sequence[str] = ()) -> list[data.Council]:
    """The councils asked for (matched forgivingly, every problem at once), or all of them."""
    pool = data.councils()
    if not names:
        return list(pool.values())
    problems: list[str] = []
    chosen: dict[str, data.Council] = {}
    for text in names:
        try:
            council = find_council(text, pool)
        except ScenarioError as exc:
            problems += [f"--councils: {line}" for line in exc.lines]
            continue
        chosen.setdefault(council.name, council)
    if problems:
        raise ScenarioError(problems)
    return list(chosen.values())


def _defunct(council: data.Council, latest: int) -> str:
    """Why a council without figures in the latest year is left out ('' if it has them)."""
    if council.years and council.years[-1] >= latest:
        return ""
    last = council.years[-1] if council.years else None
    for old, new, year in data.REORGANISATIONS:
        if council.name in old:
            return f"no figures after {last}: reorganised into {' and '.join(new)} in {year}"
    return f"no figures after {last}"


def build(
    template: str = "camden",
    years: str | None = None,
    start: date | None = None,
    overrides: Sequence[str] = (),
    councils: Sequence[str] = (),
    horizon_months: int | None = None,
) -> list[CouncilScenario]:
    """Every council's scenario (or the councils named), in the data's order.

    Parameters
    ----------
    template
        ``camden``, ``havering`` or a scenario file (as ``rollout new --template``).
    years
        ``"Y1:Y2"``: the years to pool for every council; default each council's latest
        five, leaving out councils with no figures in the latest year of the data.
    start
        First day of every scenario (default: the next 1 April), so that all councils run
        on one calendar.
    overrides
        ``KEY=VALUE`` changes applied to every council's scenario (``--set``).
    councils
        Council names to keep (``--councils``), matched forgivingly; default all.
    horizon_months
        Every scenario's length, when not the template's (the hindcast's). Everything else
        is built as ``rollout new --council`` builds it (:func:`sim.councils.builder.new_scenario`).

    Raises
    ------
    ScenarioError
        Bad input: an unknown template or council, malformed years, a ``--set`` that does
        not apply. A council whose figures cannot give a scenario is not an error: it comes
        back with its reason.
    """
    spec_check = template_for(template)  # a bad template is bad input, once
    span = data.parse_years(years) if years is not None else None
    start = start or default_start()
    chosen = choose_councils(councils)
    latest = max(y for c in data.councils().values() for y in c.years)
    out: list[CouncilScenario] = []
    for council in chosen:
        gone = "" if span is not None else _defunct(council, latest)
        if gone:
            out.append(CouncilScenario(council.name, council.region, reason=gone))
            continue
        try:
            made = builder.new_scenario(
                council.name,
                None,
                span,
                template,
                start,
                horizon_months=horizon_months,
            )
        except ScenarioError as exc:
            reason = "; ".join(_without_name(line, council.name) for line in exc.lines)
            out.append(CouncilScenario(council.name, council.region, reason=reason))
            continue
        try:
            scenario = scenario_from_text(made.text, f"<{council.name}>", list(overrides))
        except ScenarioError as exc:  # the user's --set: bad input, said once
            raise ScenarioError(
                [
                    f"{line} (council {council.name}, template {spec_check.name})"
                    for line in exc.lines
                ]
            ) from None
        out.append(
            CouncilScenario(
                council.name,
                council.region,
                scenario,
                made.flows,
                sum(made.posts.get(r, 0) for r in spec_check.social_work_roles),
            )
        )
    return out


def _without_name(line: str, name: str) -> str:
    prefix = f"{name}: "
    return line[len(prefix) :] if line.startswith(prefix) else line
