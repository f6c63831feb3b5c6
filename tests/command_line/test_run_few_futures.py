"""``rollout run`` with fewer futures than an interval needs says so once, not per figure."""

from __future__ import annotations

from conftest import make_scenario, run_main

from sim.experiments import run
from sim.experiments.display import MIN_FOR_INTERVAL
from sim.outputs.run_account import describe

TOO_FEW = "too few for an interval"


def flat(lines) -> str:
    """The account as one line of words, so that wrapping does not split a phrase."""
    return " ".join(" ".join(lines).split())


def test_run_with_few_futures_says_too_few_once(tmp_path, monkeypatch, capsys):
    code, out, err = run_main(["run", "camden", "--reps", "3"], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    text = flat(out.splitlines())
    assert text.count(TOO_FEW) == 1, f"said {text.count(TOO_FEW)} times: {out}"
    assert "With 3 futures, too few for an interval" in text, out
    assert "9 in 10" not in text, f"a range of futures promised from 3 futures: {out}"
    assert "Cost: on average £" in text, f"the cost lost its figure: {out}"


def test_run_with_enough_futures_gives_intervals():
    scenario = make_scenario()
    result = run(scenario, reps=MIN_FOR_INTERVAL, seed=1)
    text = flat(describe(scenario, result.summary, 1))
    assert TOO_FEW not in text, text
    assert "95% confidence interval" in text, text


def test_few_futures_still_count_a_measure_known_in_none():
    scenario = make_scenario()  # no programme: nobody is trained, no month reaches 50%
    result = run(scenario, reps=2, seed=1)
    text = flat(describe(scenario, result.summary, 1))
    assert text.count(TOO_FEW) == 1, text
    assert "Months to 50% of staff trained: – (in none of 2 futures)" in text, text
