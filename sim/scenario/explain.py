"""What a scenario means, in plain words, and the likely mistakes in it (``rollout validate``).

A scenario can be perfectly valid and still not say what its author meant: eight cohorts that
do not fit in their phase, more places than staff, champions appointed before anyone is
trained. Validation (:mod:`sim.scenario`) catches what is *impossible*; this module explains
what is *implied*, with the arithmetic shown, so a planner can check it against what they
know before spending minutes on a run. It never runs the model: every figure here is a
closed-form expectation.

The account is in three modules: this one (the entry points and the sources), and
:mod:`.explain_staff` and :mod:`.explain_programme` (the sections).
"""

from __future__ import annotations

import tomllib
from datetime import timedelta
from pathlib import Path

from .clock import Clock
from .explain_paths import paths_section
from .explain_programme import (
    champions_section,
    foundation_section,
    other_supplies_section,
    practice_section,
)
from .explain_roster import roster_section
from .explain_staff import Report, calendar_section, workforce_section
from .explain_uncertainty import uncertainty_section
from .fixing import split_override
from .keys import parse_value, set_by_path
from .loading import load_scenario, read_scenario_text
from .phase_calendar import PhaseCalendar
from .provenance import CONFIDENCES, parameter_paths, source_for, unsourced
from .schema import Scenario

# --------------------------------------------------------------------------- the report


def validate_file(path: str | Path, overrides: tuple[str, ...] | list[str] = ()) -> Report:
    """Load a scenario file (raising :class:`~sim.scenario.ScenarioError` on bad input) and
    explain it, with provenance for the keys the file and the overrides set.
    """
    scenario = load_scenario(path, overrides)
    # load_scenario has read, changed and validated the same data, so none of this can fail.
    raw = tomllib.loads(read_scenario_text(path).removeprefix("\ufeff"))
    in_file = dict(raw.get("sources", {}))
    changed = []
    for item in overrides:
        key, _, value, _ = split_override(item)
        set_by_path(raw, key, parse_value(value.strip()), str(path))
        changed.append(key)
    dropped = [p for p in in_file if p not in scenario.sources]
    return explain(scenario, parameter_paths(raw), changed, str(path), dropped)


def explain(
    scenario: Scenario,
    set_paths: list[str] | None = None,
    overridden: list[str] | None = None,
    source: str = "<scenario>",
    dropped: list[str] | None = None,
) -> Report:
    """Plain-words account of ``scenario``: workforce, calendar, capacity, provenance, warnings.

    Parameters
    ----------
    scenario
        A validated scenario.
    set_paths
        Dotted paths of the parameters the file (and any overrides) set; used to list the
        parameters with no source. None: not known, the list is left out.
    overridden
        Paths changed by ``--set``: their recorded source may no longer apply.
    source
        The file name, for the first line.
    dropped
        Sources in the file that the overrides left describing nothing (so not in
        ``scenario``).
    """
    report = Report()
    clock = Clock(scenario.scenario.start, scenario.scenario.horizon_months)
    calendar = PhaseCalendar(scenario, clock)
    meta = scenario.scenario
    last_day = clock.month_dates[-1] - timedelta(days=1)
    report.lines.append(f"{meta.name or 'Scenario'} ({source}): valid.")
    if meta.description:
        report.say(meta.description)
    report.say(f"Runs {meta.horizon_months} months, {meta.start} to {last_day}.")

    starters = workforce_section(report, scenario)
    roster_section(report, scenario)
    paths_section(report, scenario, clock)
    calendar_section(report, scenario, clock, calendar)
    foundation_section(report, scenario, clock, calendar, starters)
    champions_section(report, scenario, clock, calendar, starters)
    other_supplies_section(report, scenario)
    practice_section(report, scenario)
    _provenance(report, scenario, set_paths, overridden or [], dropped or [])
    uncertainty_section(report, scenario)

    report.heading(f"Warnings: {len(report.warnings) or 'none'}")
    if report.warnings:
        report.say("Likely mistakes; the scenario still runs. Check each against what you meant.")
    for text in report.warnings:
        report.say(f"warning: {text}")
    count = len(report.warnings)
    report.lines[0] = (
        f"{meta.name or 'Scenario'} ({source}): valid, {count} warning{'' if count == 1 else 's'}."
    )
    return report


def _provenance(
    report: Report,
    scenario: Scenario,
    set_paths: list[str] | None,
    overridden: list[str],
    dropped: list[str],
) -> None:
    sources = scenario.sources
    by_level: dict[str, list[str]] = {level: [] for level in CONFIDENCES}
    for path, entry in sources.items():
        by_level[entry.confidence].append(path)
    counts = ", ".join(f"{len(by_level[level])} {level}" for level in CONFIDENCES)
    report.heading(f"Provenance: {len(sources)} sources ({counts})")
    if set_paths is not None:
        missing = unsourced(set_paths, sources)
        by = " and --set" if overridden else ""
        report.say(
            f"The file{by} set{'' if by else 's'} {len(set_paths)} parameters: "
            f"{len(set_paths) - len(missing)} with a source, {len(missing)} without."
        )
    for level in CONFIDENCES:
        if by_level[level]:
            report.say(f"{level} ({len(by_level[level])}): {', '.join(by_level[level])}.")
    if set_paths is not None and missing:
        report.say(f"no source ({len(missing)}): {', '.join(missing)}.")
    stale = [p for p in overridden if source_for(p, sources) is not None]
    if stale:
        report.say(
            f"Changed by --set, so their recorded source may no longer apply: {', '.join(stale)}."
        )
    if dropped:
        report.say(f"Dropped because --set removed what they describe: {', '.join(dropped)}.")
