"""The web app's page (Streamlit): thin; each screen is a module of its own.

Run with ``rollout app`` (or ``streamlit run sim/app/page.py``). A planner picks where to
start (a bundled scenario, a council's DfE figures, a scenario file or a saved plan) and
moves the levers (:mod:`.sidebar`); reads what the scenario means (:mod:`.screen_explain`);
runs it and sets what happened beside it (:mod:`.screen_run`); compares strategies on the
same futures, against a saved plan if wished (:mod:`.screen_compare`); asks when Phase 2
should start (:mod:`.screen_phase2`); finds the cheapest plan that meets a target
(:mod:`.screen_optimise`); keeps plans (:mod:`.screen_plans`). Every run goes
to the server's pool in the background (:mod:`.jobs`), so the page never freezes.
"""

from __future__ import annotations

import streamlit as st

from sim.app import (
    logic,
    screen_compare,
    screen_explain,
    screen_optimise,
    screen_phase2,
    screen_plans,
    screen_run,
    sidebar,
)

st.set_page_config(page_title="rollout: plan a training roll-out", layout="wide")

st.title("Plan a training roll-out")
st.caption(
    "Choose where to start and move the levers on the left; read what the scenario means; "
    "run it, compare strategies on the same futures, or ask when Phase 2 should start; keep "
    "the plan. A future is one replication: one possible run of who joins and leaves, and "
    "when."
)

started = sidebar.start_from()
if started is None:
    if not st.session_state.pop("upload_failed", False):
        st.info("Choose a scenario on the left to begin.")
    st.stop()
context = sidebar.levers(*started)

st.subheader(context.scenario.name or "Scenario")
st.write(logic.heading_words(context.base, context.scenario))
if context.plan is not None:
    st.caption(f"Opened from the saved plan {context.plan.name!r}.")

tabs = st.tabs(
    [
        "What it means",
        "Run",
        "Compare strategies",
        "When should Phase 2 start?",
        "Find the cheapest plan",
        "Plans",
    ]
)
with tabs[0]:
    screen_explain.draw(context)
with tabs[1]:
    screen_run.draw(context)
with tabs[2]:
    screen_compare.draw(context)
with tabs[3]:
    screen_phase2.draw(context)
with tabs[4]:
    screen_optimise.draw(context)
with tabs[5]:
    screen_plans.draw(context)
