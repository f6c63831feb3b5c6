"""The "Plans" screen: save the plan as the levers make it under a name (and who saved
it), list the saved plans, open one, delete one (a copy is kept in ``previous/``).

Plans live in one folder the app and the command line share: the server settings'
``plans``, else ``$ROLLOUT_PLANS``, else ``./plans`` (:mod:`sim.scenario.plans`).
"""

from __future__ import annotations

import streamlit as st

from ..scenario.keys import BadInput
from . import common
from .common import Context
from .sidebar import _when


def draw(context: Context) -> None:
    """Draw the screen."""
    from ..scenario.plans import delete_plan, list_plans, save_plan

    folder = common.settings().plans_folder()
    st.write(
        "Keep the plan as the levers make it, to open again next month or set other "
        "strategies against it. Saving over a plan keeps the old version."
    )
    default = context.plan.name if context.plan is not None else ""
    left, right = st.columns(2)
    name = left.text_input(
        "Name of the plan", default, key="plan_name", help="Letters, digits, spaces, - and _."
    )
    by = right.text_input(
        "Saved by",
        st.session_state.get("plan_by", ""),
        key="plan_by",
        help="Your name or team, kept with the plan.",
    )
    replace = st.checkbox(
        "Replace a plan of this name (its old version is kept)", key="plan_replace"
    )
    attach = None
    figures = st.session_state.get("observed_figures")
    if figures is not None and st.checkbox(
        f"Attach the observed figures {figures[0]!r}", True, key="plan_attach"
    ):
        attach = figures[1].decode("utf-8-sig")
    if st.button("Save this plan", key="plan_save", type="primary"):
        try:
            plan = save_plan(
                folder,
                name.strip(),
                common.scenario_toml(context),
                by,
                replace=replace,
                observed_text=attach,
            )
        except BadInput as exc:
            for line in exc.lines:
                st.error(line)
        else:
            st.success(f"Saved the plan {plan.name!r}.")
    try:
        plans = list_plans(folder)
    except BadInput as exc:
        st.error(exc.lines[0])
        return
    st.markdown("#### Saved plans")
    if not plans:
        st.info("No plans saved yet.")
        return
    deleting = st.session_state.get("plan_deleting")
    for plan in plans:
        row = st.columns([3, 3, 1, 1])
        figures = "; observed figures attached" if plan.observed else ""
        row[0].markdown(f"**{plan.name}**")
        row[1].write(f"by {plan.saved_by or 'someone'}, {_when(plan.saved_at)}{figures}")
        if row[2].button("Open", key=f"open-{plan.name}"):
            st.session_state["open_plan"] = plan.name
            st.rerun()
        if row[3].button("Delete", key=f"delete-{plan.name}"):
            st.session_state["plan_deleting"] = plan.name
            st.rerun()
        if deleting == plan.name:
            st.warning(
                f"Delete the plan {plan.name!r}? A copy is kept in the plans folder's "
                "previous/ folder."
            )
            yes, no = st.columns(2)
            if yes.button("Yes, delete it", key=f"confirm-{plan.name}"):
                try:
                    delete_plan(folder, plan.name)
                except BadInput as exc:
                    st.error(exc.lines[0])
                st.session_state.pop("plan_deleting", None)
                st.rerun()
            if no.button("Keep it", key=f"keep-{plan.name}"):
                st.session_state.pop("plan_deleting", None)
                st.rerun()
