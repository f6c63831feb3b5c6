"""The "Find the cheapest plan" screen: ``rollout optimise`` in the background, on a few
levers the planner ticks, each between a lowest and a highest value.
"""

from __future__ import annotations

import streamlit as st

from ..model.vocabulary import measure_label
from ..optimise.space import current
from ..scenario.lever_registry import app_keys
from . import common
from .common import Context
from .optimise_logic import (
    MAX_LEVERS,
    MINIMISE,
    default_measure,
    offered,
    range_problems,
    target_measures,
    target_sentence,
)

KIND = "optimise"
BUDGET_HELP = (
    "More plans: a wider search that takes longer. Each plan runs on the same futures, so "
    "the time grows with plans times futures."
)
REPS_HELP = (
    "More futures for each plan: the search judges each plan more surely, and takes longer. "
    "The check of the best plans afterwards runs fresh futures of its own until it is sure."
)


def _start(value) -> tuple[int, int]:
    """Where a lever's range starts: half to twice the scenario's own value."""
    value = int(value or 0)
    low = max(1, value // 2) if value else 0
    return low, max(low + 1, value * 2, 4)


def _levers(context: Context) -> tuple[list[tuple[str, int, int]], bool]:
    """The ticked levers and their ranges; whether every range can be searched."""
    keys = app_keys()
    ranges: list[tuple[str, int, int]] = []
    good = True
    for name, label in offered(context.scenario).items():
        if not st.checkbox(label, key=f"opt-use-{name}"):
            continue
        low0, high0 = _start(current(context.scenario, keys[name]))
        left, right = st.columns(2)
        low = left.number_input(f"{label}: lowest", 0, 10_000, low0, 1, key=f"opt-low-{name}")
        high = right.number_input(f"{label}: highest", 0, 10_000, high0, 1, key=f"opt-high-{name}")
        problem = range_problems(context.scenario, {name: (int(low), int(high))}).get(name)
        if problem:
            st.error(problem)
            good = False
        ranges.append((name, int(low), int(high)))
    if len(ranges) > MAX_LEVERS:
        st.error(f"Tick at most {MAX_LEVERS} levers: {len(ranges)} are ticked.")
        good = False
    return ranges, good


def draw(context: Context) -> None:
    """Draw the screen."""
    scenario = context.scenario
    st.write(
        f"Tick up to {MAX_LEVERS} levers and the range to search for each; the search tries "
        "plans on the same futures and chooses the cheapest that meets the target, then "
        "checks it on fresh futures and says how sure the choice is. It uses its own number "
        "of futures (below), not the one on the left; the seed on the left is used."
    )
    ranges, good = _levers(context)
    measures = target_measures(scenario)
    measure = st.selectbox(
        "Target",
        measures,
        measures.index(default_measure(scenario)),
        format_func=lambda m: measure_label(m, scenario),
        key="opt-measure",
    )
    percent = st.number_input("at least (%)", 0, 100, 40, 5, key="opt-percent")
    share = st.slider("in this share of futures", 50, 99, 90, 1, format="%d%%", key="opt-prob")
    probability = share / 100
    st.caption(target_sentence(measure_label(measure, scenario), int(percent), share))
    left, right = st.columns(2)
    budget = left.number_input(
        "Plans to try", MAX_LEVERS, 200, 16, 1, key="opt-budget", help=BUDGET_HELP
    )
    reps = right.number_input("Futures for each plan", 2, 50, 5, 1, key="opt-reps", help=REPS_HELP)
    key = (
        context.scenario_json,
        tuple(ranges),
        measure,
        float(percent),
        float(probability),
        int(budget),
        context.seed,
        int(reps),
    )
    if st.button(
        "Find the cheapest plan",
        disabled=not ranges or not good or common.under_way(KIND),
        key="opt-run",
        type="primary",
    ):
        common.start(KIND, "The search for the cheapest plan", "optimise_experiment", key)
        if common.under_way(KIND):
            st.rerun()  # drawn again at once, the button off while the search runs
    common.watch(KIND)
    common.failure(KIND)
    result = common.result_for(KIND, key)
    if result is None:
        return
    (st.success if result["met"] else st.warning)(result["chosen"])
    if result.get("against"):
        st.write(result["against"])
    guarantee = result["guarantee"].replace(" %", "\u00a0%")  # "60 %" never split in two
    st.markdown(f"**How sure the choice is.** {guarantee}")
    if "front.png" in result["files"]:
        st.image(
            result["files"]["front.png"],
            caption=(
                f"Every plan tried, one dot each: {measure_label(MINIMISE, scenario).lower()} "
                f"against {measure_label(measure, scenario).lower()} (the legend names the "
                "marks)."
            ),
        )
    if "candidates.csv" in result["files"]:
        st.download_button(
            "Every plan tried (CSV)",
            result["files"]["candidates.csv"],
            f"{context.stem}-plans-tried.csv",
            "text/csv",
            key="opt-csv",
        )
    with st.expander("The whole account of the choice"):
        st.markdown(result["choice_md"])
