"""The "When should Phase 2 start?" screen: a sweep of the gap before Phase 2, in the
background like every run.
"""

from __future__ import annotations

import streamlit as st

from ..model.vocabulary import measure_label
from . import common
from .common import Context


def draw(context: Context) -> None:
    """Draw the screen."""
    scenario, levers = context.scenario, context.levers
    if levers.phase2_after_months is None:
        st.info("This scenario has no second phase to time.")
        return
    st.write(
        "Phase 2 is moved from the end of Phase 1 by each delay below, its length fixed; "
        "every delay runs on the same futures."
    )
    delays = st.multiselect(
        "Months from the end of Phase 1 to the start of Phase 2",
        list(range(0, 49, 3)),
        [0, 6, 12, 24],
        key="delays",
    )
    length = st.number_input(
        "Length of Phase 2 (months)", 1, 120, int(levers.phase2_months or 12), key="p2len"
    )
    months = scenario.clock_months()
    metrics = (
        ["practising_person_months"]
        + [f"{kind}_m{m}" for m in months for kind in ("practising_share", "coverage")]
        + ["total_cost"]
    )
    metric = st.selectbox(
        "Judge by", metrics, format_func=lambda m: measure_label(m, scenario), key="metric"
    )
    target = None
    probability = 0.9
    if metric != "total_cost" and st.checkbox("Add a target", key="use-target"):
        share = "_m" in metric
        value = st.number_input(
            "at least (%)" if share else "at least",
            0.0,
            100.0 if share else 1e9,
            40.0 if share else 4000.0,
            key="tvalue",
        )
        probability = st.slider("in this share of futures", 0.5, 1.0, 0.9, 0.05, key="tprob")
        target = f"{metric}>={value / 100 if share else value}"
    key = (
        context.scenario_json,
        tuple(sorted(delays)),
        int(length),
        metric,
        target,
        float(probability),
        context.seed,
        context.reps,
    )
    if st.button(
        "Run the sweep",
        disabled=not delays or common.under_way("sweep"),
        key="sweep",
        type="primary",
    ):
        common.start("sweep", "The Phase 2 sweep", "phase2_sweep", key)
    common.watch("sweep")
    common.failure("sweep")
    result = common.result_for("sweep", key)
    if result is None:
        return
    for sentence in result["answers"]:
        st.success(sentence)
    if "sweep.png" in result["files"]:
        st.image(result["files"]["sweep.png"])
    common.show_rows(result["table"].to_dict("records"))  # wraps: no figure cut
    common.downloads(
        result["files"],
        f"{context.stem}-phase-2",
        common.scenario_toml(context),
        "sweep.csv",
        "sweep",
    )
