"""Turnover from a council's own records: maximum likelihood with exposure, exact intervals.

Known answers: tenures drawn exponential with a known rate, some still in post at the roster
date (censored), some begun before the window (left-truncated); the estimate is leavers ÷
person-years at risk, and its exact 95 % interval covers the true rate about 95 % of the time.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from sim.councils.history import poisson_rate, turnover, vacancy_months

AS_OF = date(2026, 4, 1)


def test_exposure_counts_those_still_in_post_and_clips_to_the_window():
    # Window 2021-04-01 .. 2026-04-01. A stayer in post throughout: 5 years, no event.
    # A leaver from 2019 who left on 2022-04-01: 1 year inside the window, one event.
    # A leaver who left in 2020, before the window: nothing.
    spells = [
        (date(2015, 1, 1), None),
        (date(2019, 1, 1), date(2022, 4, 1)),
        (date(2018, 1, 1), date(2020, 1, 1)),
    ]
    found = turnover(spells, AS_OF)
    assert found.events == 1, f"leavers in the window {found.events}"
    assert found.exposure_years == pytest.approx(6.0, abs=0.01), (
        f"person-years {found.exposure_years}"
    )
    assert found.rate == pytest.approx(1 / 6.0, rel=0.01), f"rate {found.rate}"


def test_exact_interval_matches_the_tables():
    # Garwood's exact interval for 10 events: 4.795 to 18.390 (per unit exposure).
    found = poisson_rate(10, 1.0)
    assert (round(found.low, 3), round(found.high, 3)) == (4.795, 18.390), (
        f"interval {found.low:.3f}-{found.high:.3f}"
    )
    assert found.se == pytest.approx(np.sqrt(10)), f"standard error {found.se}"


def test_simulated_exponential_tenures_are_recovered():
    rate = 0.18
    rng = np.random.default_rng(11)
    covered = 0
    estimates = []
    sets = 200
    for _ in range(sets):
        spells = []
        for _post in range(60):  # each post's holders from 2015 on, one after another
            day = date(2015, 1, 1)
            while day < AS_OF:
                stay = timedelta(days=float(rng.exponential(365.25 / rate)))
                left = day + stay
                spells.append((day, left if left <= AS_OF else None))
                day = left + timedelta(days=30)
        found = turnover(spells, AS_OF)
        estimates.append(found.rate)
        covered += found.low <= rate <= found.high
    assert covered / sets >= 0.9, f"the 95 % interval covered the true rate in {covered}/{sets}"
    assert np.mean(estimates) == pytest.approx(rate, rel=0.05), (
        f"mean estimate {np.mean(estimates):.4f} against the true {rate}"
    )


def test_vacancy_length_by_littles_law():
    # 10 starters in 5 years is 2 a year; 3 posts vacant now -> 1.5 years = 18 months.
    starts = [date(2022, 1, 1)] * 10
    found = vacancy_months(starts, 3, AS_OF)
    assert found.months == pytest.approx(18.0, rel=0.01), f"months {found.months}"
    assert found.se_months == pytest.approx(18.0 / np.sqrt(10), rel=0.01), f"sd {found.se_months}"
