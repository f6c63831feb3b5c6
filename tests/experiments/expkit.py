"""Small scenarios for the experiment tests: fast, with enough turnover to vary."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import make_scenario, one_phase

from sim.scenario import Scenario


def cohort_scenario(
    places: int = 4, horizon_months: int = 24, cohorts: int = 2, phase_start=date(2020, 1, 1)
) -> Scenario:
    """Twenty staff (2 supervisors, 18 workers) leaving at 20-30 % a year, posts refilled
    after 3 months on average; a phase from ``phase_start`` to the end of 2020 with
    ``cohorts`` cohorts of ``places`` places, 3 months apart (one 1-day session each,
    everyone attends), chosen at random; 70 % take the practice up.
    """
    return make_scenario(
        scenario__horizon_months=horizon_months,
        workforce__roles__supervisor__posts=2,
        workforce__roles__supervisor__turnover=0.2,
        workforce__roles__supervisor__hiring_delay_months=3.0,
        workforce__roles__worker__posts=18,
        workforce__roles__worker__turnover=0.3,
        workforce__roles__worker__hiring_delay_months=3.0,
        practice__uptake=0.7,
        programme__phases=one_phase(phase_start, date(2020, 12, 31), ["foundation"]),
        programme__foundation__cohorts=cohorts,
        programme__foundation__cohort_size=places,
        programme__foundation__interval_months=3,
        programme__foundation__attendance=1.0,
        programme__foundation__sessions=[{"after_months": 0, "days": 1}],
        programme__foundation__allocation="random",
    )


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative name → bytes)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
