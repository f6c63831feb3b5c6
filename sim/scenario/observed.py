"""Observed figures: what really happened, by date, in ``rollout calibrate``'s CSV format.

Columns ``date, measure, value`` and ``sd`` (or ``low`` and ``high``: a 95 % interval);
any other column (a ``source``, a note) is kept out of the way. A row whose first cell
starts with ``#`` is a comment, and a row with no value, sd, low or high is one not filled
in yet (a template's): both are skipped. The file is read here, at
the scenario floor, because a saved plan (:mod:`.plans`) checks the figures it is given
against its scenario before attaching them; calibration, ``rollout run --observed`` and the
app read them through this one reader.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .clock import Clock
from .keys import ScenarioError

if TYPE_CHECKING:
    from .schema import Scenario

Z95 = 1.959964
COLUMNS = ("date", "measure", "value", "sd")


@dataclass(frozen=True)
class Observation:
    """One observed value: ``month`` of the run (its row in timeseries.csv), the measure,
    the value and its sd; ``row`` is its spreadsheet row in the file.
    """

    row: int
    day: date
    month: int
    measure: str
    value: float
    sd: float


def monthly_measures() -> tuple[str, ...]:
    """The names an observation may have: the registry's monthly measures.

    The registry (:mod:`sim.model.registry`) is a plain table importing nothing of the
    project, so reading it from this floor loads nothing heavy and makes no cycle.
    """
    from ..model.registry import REGISTRY

    return tuple(REGISTRY.monthly)


def read_observed(
    path: str | Path,
    scenario: Scenario,
    measures: Sequence[str] | None = None,
    flag: str | None = None,
) -> list[Observation]:
    """Read ``date, measure, value`` and ``sd`` (or ``low``/``high``: a 95 % interval).

    ``flag`` (``"--observed"``) names where the path was given, in the line that says it
    cannot be opened ("--observed seen.csv: no such file").
    """
    path = Path(path)
    source = str(path)
    given = f"{flag} {source}" if flag else source
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError([f"{given}: no such file"]) from None
    except IsADirectoryError:
        raise ScenarioError([f"{given}: is a folder, not an observed-figures file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([f"{given}: cannot read the file ({exc})"]) from None
    return parse_observed(text, source, scenario, measures)


def parse_observed(
    text: str, source: str, scenario: Scenario, measures: Sequence[str] | None = None
) -> list[Observation]:
    """The observations in CSV ``text`` (named ``source`` in messages), every problem at once.

    Raises
    ------
    ScenarioError
        A column missing, a row with a bad date (or one outside the run), an unknown
        measure, a value that is not a number, an sd not above 0; or no rows.
    """
    monthly = tuple(measures) if measures is not None else monthly_measures()
    rows = list(csv.reader(text.removeprefix("\ufeff").splitlines()))
    if not rows:
        raise ScenarioError([f"{source}: empty file; columns date, measure, value, sd"])
    header = [h.strip().lower() for h in rows[0]]
    problems = [
        f"{source}, row 1: the column {c!r} is missing"
        for c in ("date", "measure", "value")
        if c not in header
    ]
    if "sd" not in header and not {"low", "high"} <= set(header):
        problems.append(f"{source}, row 1: give an sd column, or low and high (a 95% interval)")
    if problems:
        raise ScenarioError(problems)
    clock = Clock(scenario.scenario.start, scenario.scenario.horizon_months)
    last = clock.month_dates[-1]
    found: list[Observation] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        cell = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        if not any(cell.get(c) for c in ("value", "sd", "low", "high")):
            continue  # a template's row not filled in yet (rollout new --observed-template)

        def where(column: str, number: int = number) -> str:
            return f"{source}, row {number}, column {column!r}"

        measure = cell["measure"]
        if measure not in monthly or measure in ("rep", "month", "date"):
            problems.append(
                f"{where('measure')}: unknown measure {measure!r} (measures: {', '.join(monthly)})"
            )
        try:
            day = date.fromisoformat(cell["date"])
        except ValueError:
            problems.append(f"{where('date')}: {cell['date']!r} is not a date like 2027-03-31")
            day = None
        if day is not None and not scenario.scenario.start <= day < last:
            problems.append(
                f"{where('date')}: {day} is outside the run ({scenario.scenario.start} to {last})"
            )
        numbers: dict[str, float] = {}
        for column in ("value", "sd", "low", "high"):
            if cell.get(column):
                try:
                    numbers[column] = float(cell[column])
                except ValueError:
                    problems.append(f"{where(column)}: {cell[column]!r} is not a number")
        if not cell.get("value"):
            problems.append(f"{where('value')}: empty; give the observed value")
        sd = numbers.get("sd")
        if sd is None and "low" in numbers and "high" in numbers:
            sd = (numbers["high"] - numbers["low"]) / (2 * Z95)
        if sd is None or not sd > 0:
            column = "sd" if "sd" in header else "high"
            problems.append(f"{where(column)}: the sd must be above 0 (or high above low)")
        if day is not None and "value" in numbers and sd and sd > 0 and measure in monthly:
            month = clock.month_of(clock.day(day))
            found.append(Observation(number, day, month, measure, numbers["value"], sd))
    if not found and not problems:
        problems.append(f"{source}: no observations (fill in value and sd on a row or more)")
    if problems:
        raise ScenarioError(problems)
    return found


TEMPLATE_MEASURES = ("coverage", "practising_share", "champions", "headcount")


def observed_template(scenario: Scenario, measures: Sequence[str] = TEMPLATE_MEASURES) -> str:
    """A blank observed-figures CSV for ``scenario``: the columns, and one row per measure at
    each date of the common clock (the end of each ``measures.at_months`` month), with
    ``value`` and ``sd`` to fill in. A row left blank is skipped when the file is read.
    """
    clock = Clock(scenario.scenario.start, scenario.scenario.horizon_months)
    rows = [[*COLUMNS, "source"]]
    for month in scenario.clock_months():
        if not 0 < month <= scenario.scenario.horizon_months:
            continue
        day = clock.month_dates[month] - timedelta(days=1)  # the end of the month-th month
        rows += [[day.isoformat(), m, "", "", ""] for m in measures]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


__all__ = [
    "COLUMNS",
    "TEMPLATE_MEASURES",
    "Z95",
    "Observation",
    "monthly_measures",
    "observed_template",
    "parse_observed",
    "read_observed",
]
