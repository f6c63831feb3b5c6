"""The "Compare strategies" screen: strategies added from the levers, set against the
first of them or against a saved plan ("the plan we run"), on the same futures.
"""

from __future__ import annotations

import streamlit as st

from ..scenario.keys import BadInput, ScenarioError
from . import common, logic
from .common import Context

FIRST = "The first strategy in the list"


def _baseline(context: Context) -> tuple[str, str] | None:
    """The saved plan chosen as the baseline: (its name as shown, its scenario JSON)."""
    from ..scenario.plans import list_plans, read_plan

    folder = common.settings().plans_folder()
    try:
        names = [p.name for p in list_plans(folder)]
    except BadInput:
        names = []
    choice = st.selectbox(
        "Set the strategies against",
        [FIRST, *names],
        format_func=lambda n: n if n == FIRST else f"the plan {n!r} (the plan we run)",
        key="baseline",
    )
    if choice == FIRST:
        return None
    try:
        _, text = read_plan(folder, choice)
        scenario = logic.from_upload(f"plan {choice}", text.encode("utf-8"))
    except ScenarioError as exc:
        st.error(exc.lines[0])
        return None
    return f"{choice} (the plan we run)", logic.to_json(scenario)


def draw(context: Context) -> None:
    """Draw the screen."""
    saved: list = st.session_state.setdefault("strategies", [])
    st.write(
        f"Add up to {logic.MAX_STRATEGIES} strategies (the levers as they stand when you add "
        "one), then compare them on the same futures, against the first or against a saved "
        "plan."
    )
    name = st.text_input("Name of this strategy", f"strategy {len(saved) + 1}", key="sname")
    if st.button(
        "Add the current levers as a strategy", disabled=len(saved) >= logic.MAX_STRATEGIES
    ):
        if any(n == name for n, _ in saved):
            st.error(f"A strategy is already called {name!r}: choose another name.")
        else:
            saved.append((name, context.scenario_json))
            st.rerun()
    for i, (n, _) in enumerate(list(saved)):
        left, right = st.columns([4, 1])
        left.write(f"{i + 1}. {n}")
        if right.button("Remove", key=f"remove-{i}"):
            saved.pop(i)
            st.rerun()
    baseline = _baseline(context)
    strategies = ([baseline] if baseline else []) + [
        s for s in saved if s[0] != (baseline or ("",))[0]
    ]
    key = (tuple(strategies), context.seed, context.reps)
    if st.button(
        "Compare",
        disabled=len(strategies) < 2 or common.under_way("compare"),
        key="compare",
        type="primary",
    ):
        common.start(
            "compare", f"Comparing {len(strategies)} strategies", "compare_experiment", key
        )
    common.watch("compare")
    common.failure("compare")
    result = common.result_for("compare", key)
    if result is None:
        return
    first = strategies[0][0]
    if result.get("few"):  # said once here, not in every cell
        st.caption(f"{result['few']} Differences are paired, future by future.")
    else:
        st.caption(
            "Each figure: on average, with the 95% interval of the average in brackets; then "
            "the range in which 9 futures in 10 fall. Differences are paired, future by future."
        )
    st.markdown("##### Each strategy")
    common.show_rows_in_parts(result["levels"])
    st.markdown(f"##### Against {first}")
    common.show_rows_in_parts(result["changes"])
    for sentence in result.get("horizons", []):
        st.write(sentence)
    if "coverage.png" in result["files"]:
        st.image(result["files"]["coverage.png"], caption="Strategies on the same futures")
    if "horizons.png" in result["files"]:
        st.image(
            result["files"]["horizons.png"],
            caption=f"The difference from {first}, accumulated year by year: "
            "line the average, dark band its 95% interval, light band 9 futures in 10",
        )
    common.downloads(
        result["files"],
        f"{context.stem}-compare",
        common.scenario_toml(context),
        "comparison.csv",
        "compare",
    )
