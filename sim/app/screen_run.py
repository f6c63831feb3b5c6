"""The "Run" screen: run the scenario in the background, read its figures, and set what
really happened (an observed-figures CSV, uploaded or attached to the plan) against them.
"""

from __future__ import annotations

import streamlit as st

from ..experiments.display import with_range
from ..model.vocabulary import measure_label, value_text
from ..scenario.keys import ScenarioError
from . import common, observed
from .common import Context

OBSERVED_HELP = (
    "A CSV with the columns date, measure, value and sd (or low and high, a 95% interval): "
    "the format of rollout calibrate. Measures: coverage, practising, practising_share, "
    "champions, headcount and the other monthly measures."
)


def figures(context: Context) -> tuple[str, bytes] | None:
    """The observed figures to show: the upload, else the plan's attached ones."""
    upload = st.file_uploader(
        "Observed figures (CSV)", type=["csv"], key="observed_upload", help=OBSERVED_HELP
    )
    if upload is not None:
        return upload.name, upload.getvalue()
    plan = context.plan
    if (
        plan is not None
        and plan.observed is not None
        and st.checkbox(
            f"Show the figures attached to the plan {plan.name!r}", True, key="use_attached"
        )
    ):
        return f"{plan.name}.observed.csv", plan.observed.read_bytes()
    return None


def draw(context: Context) -> None:
    """Draw the screen."""
    scenario = context.scenario
    key = (context.scenario_json, context.seed, context.reps)
    busy = common.under_way("run")
    if st.button(f"Run {context.reps} futures", key="run", type="primary", disabled=busy):
        common.start("run", f"Running {context.reps} futures", "run_experiment", key)
    common.watch("run")
    common.failure("run")
    result = common.result_for("run", key)
    if result is None:
        if common.has_result("run") and not common.under_way("run"):
            st.info("The levers changed since the last run: run again to see their results.")
        _observed_section(context, None)
        return
    stats = result["summary_stats"].set_index("measure")
    months = scenario.clock_months()
    shown = [
        f"coverage_m{months[min(1, len(months) - 1)]}",
        f"practising_share_m{months[-1]}",
        "practising_person_months",
        "total_cost",
    ]
    st.caption(
        f"Averages over the {context.reps} futures. The chart's lines are medians and its "
        "bands hold 9 futures in 10. The table gives each figure "
        "on average, with the 95% interval of the average in brackets (how well the "
        "average is known), then the range in which 9 futures in 10 fall (how far the "
        "futures spread)."
    )
    columns = st.columns(len(shown))
    for column, m in zip(columns, shown, strict=True):
        if m in stats.index:
            row = stats.loc[m]
            column.metric(
                measure_label(m, scenario),
                value_text(m, row["mean"]),
                help=f"Average with its 95% interval, then the range of 9 futures in 10: "
                f"{with_range(m, row, words=True)}",
            )
    files = result["files"]
    if "coverage.png" in files:
        st.image(files["coverage.png"], caption="Coverage and practice over time")
    if result.get("few"):  # said once here, not in every row
        st.caption(result["few"])
    common.show_rows(result["table"].to_dict("records"))  # wraps: no figure cut
    if "fan.png" in files:
        st.image(files["fan.png"], caption="How widely the futures spread")
    common.downloads(files, context.stem, common.scenario_toml(context), "summary_stats.csv", "run")
    _observed_section(context, files.get("timeseries.csv"))


def _observed_section(context: Context, timeseries: bytes | None) -> None:
    st.markdown("#### What happened, beside what was planned")
    given = figures(context)
    if given is None:
        st.caption(
            "Upload what was observed (coverage, practising, champions, headcount by date) "
            "to see it against the range of futures."
        )
        return
    name, data = given
    try:
        seen = observed.read_figures(name, data, context.scenario)
    except ScenarioError as exc:
        st.error(f"{name} cannot be used: {len(exc.lines)} problem(s).")
        for line in exc.lines:
            st.error(line)
        return
    st.session_state["observed_figures"] = (name, data)
    if timeseries is None:
        st.info(
            f"{name}: {len(seen)} observed figure(s) read. Run the scenario to set them "
            "against its futures."
        )
        return
    answer = observed.against(seen, timeseries, context.scenario)
    (st.success if not answer["outside"] else st.warning)(answer["verdict"])
    for sentence in answer["outside"]:
        st.write(sentence)
    st.image(
        observed.chart(seen, answer["bands"], context.scenario),
        caption="What was observed (dots, with their 95% intervals) against the range of "
        "9 futures in 10 (shaded) and the middle future (line)",
    )
    common.show_rows(answer["rows"])
    words, command = observed.calibrate_words(context.plan.name if context.plan else None)
    st.write(words)
    st.code(command, language=None)
