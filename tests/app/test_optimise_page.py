"""The "Find the cheapest plan" tab: its logic on a small scenario (the words of the choice,
the picture, the table of plans tried) and, in Streamlit's AppTest, its controls and a bad
range refused under its control with nothing started.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import sys
import time
from pathlib import Path

import pytest

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "optimise")]
from optkit import small  # noqa: E402

from sim.app import jobs, logic, optimise_logic  # noqa: E402

pytest.importorskip("streamlit")
from app_waiting import under_way, until_done  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from sim.app import page  # noqa: E402  (the file AppTest runs)

TIMEOUT = 180
OUTCOMES = ("The plan chosen: ", "Keep the scenario as given", "No plan in these ranges")


ARGS = (
    (("cohorts", 1, 4), ("cohort_size", 2, 8)),
    "practising_share_m12",
    20.0,
    0.6,
    4,
    1,
    2,
)  # levers, target measure, its %, probability, budget, seed, futures
WAIT = 120.0


@pytest.fixture(scope="module")
def heard() -> tuple[dict, list[tuple[int, int, str]]]:
    """The logic function called directly on the small scenario (budget 4, 2 futures), and
    every ``progress(done, total, words)`` it made.
    """
    calls: list[tuple[int, int, str]] = []
    result = logic.optimise_experiment(
        logic.to_json(small()), *ARGS, progress=lambda d, t, w: calls.append((d, t, w))
    )
    return result, calls


@pytest.fixture(scope="module")
def direct(heard) -> dict:
    """The result of the direct call."""
    return heard[0]


STAGES = ("Running the scenario as given", "Trying plans", "Checking the best plans")
ROUND = re.compile(
    r"Checking the best plans on fresh futures: round (\d+), ([\d,]+) of ([\d,]+) runs "
    r"\(([\d,]+) in all so far; it stops as soon as the choice is sure\)\."
)


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def test_progress_says_each_stage_in_order_the_choice_after_the_search(heard):
    _, calls = heard
    stages = [next(i for i, s in enumerate(STAGES) if w.startswith(s)) for _, _, w in calls]
    assert stages == sorted(stages), "a stage came back after the next had begun"
    assert set(stages) == {0, 1, 2}, f"stages heard: {sorted(set(stages))}"
    searched = [(d, t) for (d, t, _), s in zip(calls, stages, strict=True) if s == 1]
    budget, reps = ARGS[4], ARGS[6]
    assert {t for _, t in searched} == {budget * reps}, searched
    assert [d for d, _ in searched] == sorted(d for d, _ in searched), searched
    assert searched[-1] == (budget * reps, budget * reps), "the search's bar did not fill"
    assert all(w.endswith(f"({budget} plans, {reps} futures each).") for *_, w in calls[1:2])


def test_the_choice_counts_its_rounds_and_its_runs_as_the_account_says(heard):
    result, calls = heard
    rounds = [ROUND.fullmatch(w) for _, _, w in calls if w.startswith(STAGES[2])]
    assert all(rounds), [w for _, _, w in calls if w.startswith(STAGES[2])][:3]
    numbers = [tuple(_number(g) for g in m.groups()) for m in rounds]
    assert numbers[0][:2] == (1, 0), f"the choice did not start at round 1, 0 runs: {numbers[0]}"
    finished = 0
    for before, after in itertools.pairwise(numbers):
        assert after[1] <= after[2], f"more runs done than in the round: {after}"
        if after[0] == before[0]:  # the same round: its count only grows
            assert after[1] >= before[1], (before, after)
            assert after[2] == before[2], (before, after)
        else:  # the next round starts at 0 once the last one is full
            assert after[0] == before[0] + 1, (before, after)
            assert after[1] == 0, (before, after)
            assert before[1] == before[2], f"round {before[0]} ended before it was full"
            finished += before[2]
        assert after[3] == finished + after[1], f"the runs so far do not add up: {after}"
    fresh = re.search(r"made on ([\d,]+) runs on fresh futures", result["choice_md"])
    assert fresh, result["choice_md"]
    assert numbers[-1][1] == numbers[-1][2], "the choice's last round did not fill"
    assert numbers[-1][3] == _number(fresh.group(1)), (numbers[-1], fresh.group(0))


def test_the_search_returns_the_choice_in_words_and_its_picture(direct):
    assert ARGS[1] == optimise_logic.default_measure(small()), "the small clock changed"
    assert direct["chosen"].startswith(OUTCOMES), direct["chosen"]
    assert "programme." not in direct["chosen"], direct["chosen"]
    assert direct["guarantee"], "no guarantee said"
    assert direct["guarantee"] in direct["choice_md"], direct["choice_md"][:400]
    assert direct["files"]["front.png"].startswith(b"\x89PNG"), "front.png is not a picture"
    rows = list(csv.DictReader(io.StringIO(direct["files"]["candidates.csv"].decode())))
    assert rows[0]["candidate"] == "0", rows[0]  # the scenario as given comes first
    assert 2 <= len(rows) <= 5, f"{len(rows)} rows for a budget of 4 plans"


def test_the_plan_chosen_is_set_against_the_scenario_as_given_as_the_account_says(direct):
    if not direct["chosen"].startswith(OUTCOMES[0]):
        assert direct["against"] == "", direct["against"]  # nothing else to set it against
        return
    said = re.fullmatch(
        r"Against the scenario as given: total cost (£[\d,]+) against (£[\d,]+) "
        r"\((£[\d,]+) (more|less)\), on average over the search's futures\.",
        direct["against"],
    )
    assert said, direct["against"]
    cost, given, gap, way = said.groups()
    account = direct["choice_md"]
    assert re.search(rf"Total cost: {re.escape(cost)}\b", account), account[:600]
    against = account.split("Against the scenario as given:")[1]
    assert re.search(rf"Total cost: {re.escape(given)}\b", against), against[:600]
    assert f"Difference in total cost on the search's futures: {gap} {way}" in account, account


def test_the_target_is_said_in_words_with_futures_in_ten():
    said = optimise_logic.target_sentence("Practising at month 48", 40, 90)
    assert said == (
        "The target: practising at month 48 at least 40 %, in at least 90 % of futures "
        "(9 futures in 10)."
    )
    assert "futures in 10" not in optimise_logic.target_sentence("Trained", 40, 95)


def test_the_pool_runs_the_search_with_progress_and_the_same_result(direct):
    pool = jobs.Pool(workers=1, queue=2)
    try:
        job_id = pool.submit("a", "search", "optimise_experiment", logic.to_json(small()), *ARGS)
        deadline = time.monotonic() + WAIT
        while not pool.status(job_id).finished and time.monotonic() < deadline:
            time.sleep(0.1)
        job = pool.take(job_id)
    finally:
        pool.shutdown()
    assert job is not None, f"the search was still under way after {WAIT} s"
    assert job.state == "done", job.error
    assert job.total > 0, "no progress reached the page"
    assert job.words.startswith("Checking the best plans on fresh futures"), job.words
    assert job.result["chosen"] == direct["chosen"]
    assert job.result["files"]["candidates.csv"] == direct["files"]["candidates.csv"]


def test_a_range_whose_highest_is_below_its_lowest_is_one_plain_line():
    problems = optimise_logic.range_problems(small(), {"cohorts": (4, 2), "cohort_size": (2, 8)})
    assert list(problems) == ["cohorts"], problems
    assert "must be above the lowest" in problems["cohorts"], problems


def test_an_end_that_gives_no_valid_scenario_is_said_without_its_key():
    problems = optimise_logic.range_problems(small(), {"cohort_size": (0, 4)})
    assert list(problems) == ["cohort_size"], problems
    assert problems["cohort_size"].startswith("0 cannot be used: "), problems
    assert "programme." not in problems["cohort_size"], problems


@pytest.fixture
def tab() -> AppTest:
    at = AppTest.from_file(page.__file__, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, f"the page raised: {at.exception}"
    return at


def test_the_tab_offers_its_levers_target_and_budget_in_words(tab):
    labels = [c.label for c in tab.checkbox]
    for label in ("Cohorts", "Places per cohort", "Champions"):
        assert label in labels, f"no lever {label!r}: {labels}"
    assert tab.selectbox(key="opt-measure").value.startswith("practising_share_m")
    shown = tab.selectbox(key="opt-measure").format_func(tab.selectbox(key="opt-measure").value)
    assert shown.startswith("Practising at month"), shown
    assert tab.number_input(key="opt-budget").value == 16
    assert tab.number_input(key="opt-reps").value == 5
    assert tab.button(key="opt-run").disabled, "Run offered with no lever ticked"


def test_a_bad_range_shows_one_line_and_starts_nothing(tab):
    tab.checkbox(key="opt-use-cohorts").check().run()
    assert not tab.exception, tab.exception
    assert not tab.button(key="opt-run").disabled, "Run refused for a good range"
    tab.number_input(key="opt-low-cohorts").set_value(9)
    tab.number_input(key="opt-high-cohorts").set_value(3).run()
    assert not tab.exception, tab.exception
    errors = [e.value for e in tab.main.error]
    assert errors == ["The highest (3) must be above the lowest (9)."], errors
    assert tab.button(key="opt-run").disabled, "Run offered for a bad range"
    assert not under_way(tab), "a job was started for a bad range"


def test_a_search_from_the_tab_shows_the_choice_its_picture_and_the_table(tab):
    tab.checkbox(key="opt-use-cohorts").check().run()
    tab.number_input(key="opt-budget").set_value(4)
    tab.number_input(key="opt-reps").set_value(2)
    until_done(tab.button(key="opt-run").click().run(), TIMEOUT)
    assert not tab.exception, tab.exception
    said = [m.value for m in [*tab.success, *tab.warning] if m.value.startswith(OUTCOMES)]
    assert len(said) == 1, f"not one choice said: {said}"
    assert any("probability" in m.value for m in tab.markdown), "no guarantee shown"
    assert len(tab.get("image")) == 1, "front.png not shown"
    labels = [b.proto.label for b in tab.get("download_button")]
    assert "Every plan tried (CSV)" in labels, labels
