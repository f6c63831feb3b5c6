"""A council's scenario, built from the DfE data and run with no programme, reproduces the
council's published flows: leavers per year and the share of posts vacant.

How close is close enough
-------------------------
The simulated leavers per year (sum of leavers / years, averaged over R replications) has a
standard error ``se_sim`` = sd of the per-replication figures / sqrt(R). The DfE figure is
not the true rate either: it is one count of n years of leavers. If people leave as a Poisson
process (the model's constant hazard), the count over n years has variance equal to its
mean, so the DfE mean leavers per year has standard error ``se_dfe`` = sqrt(sum of leavers)
/ n. The two are independent, so the difference has standard error sqrt(se_sim^2 + se_dfe^2)
and we allow 3 of them (a 0.3 % false-alarm rate per check if the scenario is right).
se_dfe dominates: e.g. Kent pools ~566 leavers over five years, so se_dfe = 4.8 a year on 113.

What this catches: posts built from in post alone (no vacancies) loses a share x/(1+x) of
the leavers (x = vacancies / in post; 0.17 for Kent, 0.35 for Birmingham), turnover as a
percentage or the hiring delay in years rather than months change leavers by far more than
3 standard errors in the large councils; the small one checks nothing breaks at 25 posts.

The vacancy share is compared with the DfE pooled vacancy rate V / (I + V). The model's steady
state with hiring delay D = V / S (Little's law with starters, as the brief specifies) and
turnover h = L / I is x / (1 + x) with x = h D = (V / I)(L / S): it equals V / (I + V) only
when starters equal leavers. A growing service (S > L, e.g. Essex) has a shorter D, so fewer
vacancies in the model than published; the relative difference is about |1 - L / S|. The
allowance is therefore 3 standard errors (replications; DfE vacancies as Poisson counts,
sqrt(sum V) / sum(I + V)) plus |1 - L / S| x the DfE rate, every part computed from the CSV.
"""

from __future__ import annotations

import math
import tomllib
from datetime import date

import pytest

from sim.councils.builder import new_scenario
from sim.councils.names import find_council
from sim.experiments.replications import replicate as run
from sim.scenario import validate

REPS = 40
YEARS = 5  # horizon of each run, in years
# (council, size): a small, a medium, two large ones (one with many vacancies), one growing.
COUNCILS = ["Rutland", "Camden", "Kent", "Birmingham", "Essex"]


def no_programme(name: str):
    """The council's generated scenario, with its programme and champions taken out."""
    built = new_scenario(name, start=date(2026, 4, 1), projection=False)
    data = tomllib.loads(built.text)
    data["programme"]["phases"] = []
    data["champions"]["target"] = 0
    data["scenario"]["horizon_months"] = 12 * YEARS
    return built, validate(data, f"<{name} without programme>")


def dfe_sums(name: str, years: tuple[int, ...]) -> dict[str, float]:
    """Sums of the CSV columns over the years, straight from the rows (no suppression in
    the councils tested: every figure below is published for every year used).
    """
    figures = find_council(name).figures
    sums = {}
    for column in ("inpost_fte", "leavers_fte", "starters_fte", "vacancy_fte"):
        values = [figures[y][column] for y in years]
        assert all(v is not None for v in values), f"{name} {column}: {values}"
        sums[column] = sum(values)
    return sums


@pytest.mark.parametrize("name", COUNCILS)
def test_leavers_per_year_match_the_dfe(name):
    built, scenario = no_programme(name)
    sums = dfe_sums(name, built.years)
    n = len(built.years)
    dfe = sums["leavers_fte"] / n
    se_dfe = math.sqrt(sums["leavers_fte"]) / n

    series = run(scenario, reps=REPS, seed=11).timeseries
    per_rep = series.groupby("rep")["leavers"].sum() / YEARS
    simulated = per_rep.mean()
    se_sim = per_rep.std(ddof=1) / math.sqrt(REPS)
    tolerance = 3 * math.hypot(se_dfe, se_sim)
    assert abs(simulated - dfe) <= tolerance, (
        f"{name}: {simulated:.1f} leavers a year simulated vs DfE {dfe:.1f} "
        f"({built.years[0]}-{built.years[-1]}); allowed ±{tolerance:.1f} "
        f"(se DfE {se_dfe:.2f}, se sim {se_sim:.2f})"
    )


@pytest.mark.parametrize("name", COUNCILS)
def test_vacancy_share_matches_the_dfe_rate(name):
    built, scenario = no_programme(name)
    sums = dfe_sums(name, built.years)
    posts_fte = sums["inpost_fte"] + sums["vacancy_fte"]
    dfe = sums["vacancy_fte"] / posts_fte
    se_dfe = math.sqrt(sums["vacancy_fte"]) / posts_fte
    imbalance = abs(1 - sums["leavers_fte"] / sums["starters_fte"]) * dfe

    posts = sum(role.posts for role in scenario.workforce.roles.values())
    series = run(scenario, reps=REPS, seed=12).timeseries
    per_rep = series.groupby("rep")["vacancies"].mean() / posts
    simulated = per_rep.mean()
    se_sim = per_rep.std(ddof=1) / math.sqrt(REPS)
    tolerance = 3 * math.hypot(se_dfe, se_sim) + imbalance
    assert abs(simulated - dfe) <= tolerance, (
        f"{name}: {simulated:.3f} of posts vacant simulated vs DfE rate {dfe:.3f}; allowed "
        f"±{tolerance:.3f} (se DfE {se_dfe:.4f}, se sim {se_sim:.4f}, starters/leavers "
        f"imbalance {imbalance:.3f})"
    )
