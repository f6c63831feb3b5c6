"""Back test: the small scenario's outputs must match the pinned CSVs exactly.

The pinned files (``expected_timeseries.csv``, ``expected_summary.csv``) were written by
``python tests/backtest/regenerate.py`` and by nothing else. Any change in the model's
behaviour changes them; a deliberate change must regenerate them and explain the
difference in its commit message.
"""

from __future__ import annotations

import io

import pandas as pd
from pinned import PINNED, REGENERATE, current_outputs, describe_differences

GAP_MONTHS = range(12, 18)  # Phase 1 ends 2021-12-31, Phase 2 starts 2022-07-01


def test_outputs_match_the_pinned_csvs_exactly():
    current = current_outputs()
    problems: list[str] = []
    for name, path in PINNED.items():
        assert path.exists(), f"{path} is missing: run `{REGENERATE}`"
        problems += describe_differences(name, path.read_text(encoding="utf-8"), current[name])
    assert not problems, (
        "The model's outputs for tests/backtest/scenario.toml (seed 7, 3 replications) no "
        "longer match the pinned CSVs (values shown pinned -> now):\n  "
        + "\n  ".join(problems)
        + f"\nIf this change in behaviour is intended, run `{REGENERATE}` and explain the "
        "change in the commit message; if not, the model has a regression."
    )


def test_a_difference_is_described_by_column_and_row():
    text = "rep,month,coverage,trained\n0,0,0.5,2\n0,1,0.25,3\n"
    changed = "rep,month,coverage,trained\n0,0,0.5,2\n0,1,0.2500000000000001,3\n"
    lines = describe_differences("timeseries", text, changed)
    assert lines == [
        "timeseries.coverage: 1 of 2 rows changed; rep 0, month 1: 0.25 -> 0.2500000000000001"
    ], f"description was {lines}"
    assert describe_differences("timeseries", text, text) == [], "identical text reported"
    extra = describe_differences("summary", text, text.replace("trained", "inducted"))
    assert any("new columns ['inducted']" in line for line in extra), f"description {extra}"
    assert any("no longer written ['trained']" in line for line in extra), f"description {extra}"


def test_the_pinned_scenario_exercises_the_mechanisms():
    """A back test only guards what its scenario uses: every mechanism must show."""
    ts = pd.read_csv(io.StringIO(PINNED["timeseries"].read_text(encoding="utf-8")))
    for column in (
        "starters",
        "leavers",
        "vacancies",
        "agency",
        "trained",
        "inducted",
        "practising",
        "teams_supervising",
        "champions",
        "waiting",
        "in_training",
        "training_days",
        "provider_days",
    ):
        assert ts[column].max() > 0, f"{column} is never above 0 in the pinned timeseries"
    assert ts["rep"].nunique() == 3, (
        f"pinned shape: {ts['rep'].nunique()} reps x {ts['month'].nunique()} months"
    )
    assert ts["month"].nunique() == 36, (
        f"pinned shape: {ts['rep'].nunique()} reps x {ts['month'].nunique()} months"
    )
    in_gap = ts[ts["month"].isin(GAP_MONTHS)]
    assert (in_gap["provider_days"] == 0).all(), (
        f"provider days in the gap between phases: {in_gap['provider_days'].tolist()}"
    )
    in_phase_2 = ts[ts["month"].between(18, 26)]
    assert in_phase_2["provider_days"].sum() > 0, "no provider days in Phase 2"
