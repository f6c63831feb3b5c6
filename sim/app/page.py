"""The web app's page (Streamlit): thin; every decision is in :mod:`sim.app.logic`.

Run with ``rollout app`` (or ``streamlit run sim/app/page.py``). A planner picks where to
start (a bundled scenario, a council's DfE figures, or a scenario file), moves the levers,
reads what the scenario means, runs it, compares up to four strategies on the same futures,
and asks when Phase 2 should start. Results are cached per scenario and seed.
"""

from __future__ import annotations

import hashlib
from datetime import date

import streamlit as st

from sim.app import logic
from sim.model.vocabulary import key_label, key_term, measure_label
from sim.scenario.fixing import fixed_lines
from sim.scenario.keys import ScenarioError
from sim.scenario.loading import resolve_scenario
from sim.scenario.writing import to_toml

st.set_page_config(page_title="rollout: plan a training roll-out", layout="wide")


# --------------------------------------------------------------------------- cached work


@st.cache_data(show_spinner=False, max_entries=32)
def cached_council(council: str, template: str, start: str) -> str:
    """A council's scenario as the app's JSON, cached per council, template and start."""
    return logic.to_json(logic.from_council(council, template, date.fromisoformat(start)))


# A result computed with a live progress bar is handed to the cache through this dict
# (within one run of the page): elements updated inside a cached function would be
# recorded and replayed, so the bar lives outside it.
_FRESH: dict = {}


@st.cache_data(show_spinner=False, max_entries=16)
def cached_run(scenario_json: str, seed: int, reps: int) -> dict:
    """A run's results, cached per scenario, seed and futures."""
    fresh = _FRESH.pop(("run", scenario_json, seed, reps), None)
    return fresh if fresh is not None else logic.run_experiment(scenario_json, seed, reps)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_compare(strategies: tuple, seed: int, reps: int) -> dict:
    """A comparison's results, cached per strategies, seed and futures."""
    fresh = _FRESH.pop(("compare", strategies, seed, reps), None)
    return fresh if fresh is not None else logic.compare_experiment(dict(strategies), seed, reps)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_sweep(
    scenario_json: str,
    delays: tuple,
    months: int,
    metric: str,
    target: str | None,
    probability: float,
    seed: int,
    reps: int,
) -> dict:
    """A Phase-2 timing sweep's results, cached per scenario and grid."""
    key = ("sweep", scenario_json, delays, months, metric, target, probability, seed, reps)
    fresh = _FRESH.pop(key, None)
    if fresh is not None:
        return fresh
    return logic.phase2_sweep(
        scenario_json, delays, months, metric, target, probability, seed, reps
    )


def _compare(strategies: tuple, seed: int, reps: int, progress=None) -> dict:
    return logic.compare_experiment(dict(strategies), seed, reps, progress)


def compute(kind: str, label: str, work, cached, *key):
    """The result for ``key``: from the cache when this session made it, else computed
    here with a progress bar and handed to the cache.
    """
    done = st.session_state.setdefault("computed", set())
    if (kind, *key) not in done:
        bar = st.progress(0.0, text=label)

        def update(finished: int, total: int) -> None:
            share = min(1.0, finished / total) if total else 1.0
            bar.progress(share, text=f"{label}: {finished} of {total} futures")

        fresh_key = (kind, *key)
        _FRESH[fresh_key] = work(*key, progress=update)
        bar.empty()
        done.add(fresh_key)
    return cached(*key)


def scenario_toml(scenario) -> str:
    """The scenario as TOML: the bundled or uploaded file it started from rewritten, its
    comments and order kept; written whole when it started from a council's figures.
    """
    original = None
    try:
        if st.session_state.get("source") == SOURCES[0]:
            original = resolve_scenario(st.session_state["bundled"]).read_text(encoding="utf-8")
        elif st.session_state.get("source") == SOURCES[2] and st.session_state.get("upload"):
            original = st.session_state["upload"].getvalue().decode("utf-8")
        return to_toml(scenario, original=original)
    except (ScenarioError, OSError, UnicodeDecodeError, ValueError, KeyError):
        return to_toml(scenario)  # the file cannot be rewritten: the scenario whole


def downloads(files: dict, stem: str, scenario, table: str, key: str) -> None:
    """The download buttons of a result: scenario, table, workbook, report."""
    columns = st.columns(4)
    columns[0].download_button(
        "Scenario (TOML)",
        scenario_toml(scenario),
        f"{stem}.toml",
        "application/toml",
        key=f"{key}-toml",
    )
    if table in files:
        columns[1].download_button(
            "Results (CSV)", files[table], f"{stem}-{table}", "text/csv", key=f"{key}-csv"
        )
    if "tables.xlsx" in files:
        columns[2].download_button(
            "Results (Excel)",
            files["tables.xlsx"],
            f"{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"{key}-xlsx",
        )
    if "report.html" in files:
        columns[3].download_button(
            "Report for the board (HTML)",
            files["report.html"],
            f"{stem}-report.html",
            "text/html",
            key=f"{key}-report",
        )


def show_table(table) -> None:
    """A results table whole: every row in view (no scrolling inside it) and the measure's
    name in a column wide enough to read it.
    """
    st.dataframe(
        table,
        hide_index=True,
        height=35 * (len(table) + 1) + 3,  # Streamlit's rows are 35 px, with the header
        column_config={table.columns[0]: st.column_config.TextColumn(width="large")},
    )


def show_problems(where, lines: list[str]) -> None:
    """Show each problem as an error beside the lever (key) it concerns."""
    for key, texts in logic.problems_by_key(lines).items():
        label = f"**{key_label(key)}** (`{key}`): " if key else ""
        for text in texts:
            where.error(f"{label}{text}")


# --------------------------------------------------------------------------- where from

st.title("Plan a training roll-out")
st.caption(
    "Choose where to start and move the levers on the left; read what the scenario means; "
    "run it, compare strategies on the same futures, or ask when Phase 2 should start. "
    "A future is one replication: one possible run of who joins and leaves, and when."
)

side = st.sidebar
side.header("1. Start from")
SOURCES = ("A bundled scenario", "A council's DfE figures", "A scenario file")
source = side.radio("Start from", SOURCES, key="source", label_visibility="collapsed")
base = None
upload = None
if source == SOURCES[0]:
    name = side.selectbox("Scenario", logic.bundled(), key="bundled")
    base = logic.from_bundled(name)
elif source == SOURCES[1]:
    names = logic.council_names()
    council = side.selectbox(
        "Council", names, index=names.index("Camden") if "Camden" in names else 0, key="council"
    )
    template = side.selectbox(
        "Programme to start from",
        ("camden", "havering"),
        key="template",
        help="camden: cohorts of five days; havering: a continuous academy.",
    )
    start = side.date_input("Start date", date(2026, 4, 1), key="start")
    try:
        base = logic.from_json(cached_council(council, template, start.isoformat()))
    except ScenarioError as exc:
        show_problems(side, exc.lines)
else:
    upload = side.file_uploader(
        "Scenario file (TOML)",
        type=["toml"],
        key="upload",
        help="Checked exactly as `rollout validate` checks it; kept only in this session. "
        f"At most {logic.MAX_UPLOAD_BYTES // 1_000_000} MB (a scenario is a few kilobytes).",
    )
    if upload is not None:
        try:
            base = logic.from_upload(upload.name, upload.getvalue())
            side.success(f"{upload.name}: valid")
        except ScenarioError as exc:
            side.error(f"{upload.name} has {len(exc.lines)} problem(s):")
            show_problems(side, exc.lines)
            st.error(
                f"{upload.name} cannot be used: {len(exc.lines)} problem(s), listed on the "
                "left next to what they concern. Fix the file and upload it again."
            )

if base is None:
    if source != SOURCES[2] or upload is None:
        st.info("Choose a scenario on the left to begin.")
    st.stop()

# --------------------------------------------------------------------------- levers

side.header("2. Levers")
now = logic.levers_of(base)
tag = hashlib.sha1(logic.to_json(base).encode()).hexdigest()[:10]  # new lever defaults per start
slots: dict[str, object] = {}


def lever(name: str, make):
    """Draw one lever in its own slot of the sidebar, labelled and explained from the vocabulary."""
    key = logic.LEVER_KEYS[name]
    value = make(key_label(key, base), key_term(key, base).meaning or None, f"{tag}-{name}")
    slots[name] = side.container()
    return value


horizon = lever(
    "horizon_months",
    lambda lab, h, k: side.number_input(lab, 12, 600, now.horizon_months, 12, help=h, key=k),
)
cohorts = lever(
    "cohorts", lambda lab, h, k: side.number_input(lab, 0, 60, now.cohorts, help=h, key=k)
)
size = lever(
    "cohort_size", lambda lab, h, k: side.number_input(lab, 1, 500, now.cohort_size, help=h, key=k)
)
allocation = lever(
    "allocation",
    lambda lab, h, k: side.selectbox(
        lab, logic.ALLOCATIONS, logic.ALLOCATIONS.index(now.allocation), help=h, key=k
    ),
)
offer = lever(
    "offer_new_starters", lambda lab, h, k: side.toggle(lab, now.offer_new_starters, help=h, key=k)
)
phase2 = {}
if now.phase2_after_months is not None:
    side.subheader("Phase 2")
    phase2["phase2_after_months"] = lever(
        "phase2_after_months",
        lambda lab, h, k: side.slider(
            lab.replace("…", "N"), 0, 48, now.phase2_after_months, help=h, key=k
        ),
    )
    phase2["phase2_months"] = lever(
        "phase2_months",
        lambda lab, h, k: side.number_input(lab, 1, 120, now.phase2_months, help=h, key=k),
    )
    choices = logic.phase2_supply_choices(base)
    phase2["phase2_supplies"] = tuple(
        lever(
            "phase2_supplies",
            lambda lab, h, k: side.multiselect(
                lab, choices, [s for s in now.phase2_supplies if s in choices], help=h, key=k
            ),
        )
    )
    if "foundation" in phase2["phase2_supplies"]:
        phase2["phase2_cohorts"] = lever(
            "phase2_cohorts",
            lambda lab, h, k: side.number_input(lab, 0, 60, now.phase2_cohorts or 0, help=h, key=k),
        )
side.subheader("Champions")
champions = lever(
    "champions", lambda lab, h, k: side.number_input(lab, 0, 200, now.champions, help=h, key=k)
)
induction = lever(
    "induction_places",
    lambda lab, h, k: side.number_input(lab, 0.0, 5.0, now.induction_places, 0.05, help=h, key=k),
)
replacement = lever(
    "replacement",
    lambda lab, h, k: side.selectbox(
        lab, logic.REPLACEMENTS, logic.REPLACEMENTS.index(now.replacement), help=h, key=k
    ),
)

side.header("3. Futures")
reps = side.number_input(
    "Futures (replications)",
    2,
    500,
    20,
    help="More futures: narrower intervals, slower.",
    key="reps",
)
seed = side.number_input(
    "Seed", 0, 10**9, 1, help="The same seed gives the same futures.", key="seed"
)

levers = logic.Levers(
    horizon_months=int(horizon),
    cohorts=int(cohorts),
    cohort_size=int(size),
    allocation=allocation,
    offer_new_starters=bool(offer),
    champions=int(champions),
    induction_places=float(induction),
    replacement=replacement,
    **{k: (int(v) if isinstance(v, int | float) else v) for k, v in phase2.items()},
)
try:
    scenario = logic.apply_levers(base, levers)
except ScenarioError as exc:
    for key, texts in logic.problems_by_key(exc.lines).items():
        where = slots.get(logic.lever_for_key(key) or "", side)
        for text in texts:
            where.error(f"{key_label(key, base)}: {text}")
    st.error("These levers make an impossible scenario: see the problems on the left.")
    st.stop()

report = logic.explanation(scenario)
for key, texts in logic.warnings_by_key(report.warnings).items():
    where = slots.get(logic.lever_for_key(key) or "")
    for text in texts:
        if where is not None:
            where.warning(text)

scenario_json = logic.to_json(scenario)
stem = (scenario.name or "scenario").lower().replace(" ", "-")

st.subheader(scenario.name or "Scenario")
st.write(logic.heading_words(base, scenario))

tabs = st.tabs(["What it means", "Run", "Compare strategies", "When should Phase 2 start?"])

# --------------------------------------------------------------------------- explanation

with tabs[0]:
    count = len(report.warnings)
    if count:
        st.warning(f"{count} warning(s): likely mistakes; the scenario still runs.")
        for text in report.warnings:
            st.warning(text)
    else:
        st.success("Valid, no warnings.")
    for text in fixed_lines(scenario):  # a lever's value replaces the key's uncertainty
        st.info(text)
    st.code("\n".join(report.lines), language=None)

# --------------------------------------------------------------------------- run

with tabs[1]:
    run_key = (scenario_json, int(seed), int(reps))
    if st.button(f"Run {int(reps)} futures", key="run", type="primary"):
        compute("run", "Running", logic.run_experiment, cached_run, *run_key)
        st.session_state["run_key"] = run_key
    if st.session_state.get("run_key") == run_key:
        result = cached_run(*run_key)
        stats = result["summary_stats"].set_index("measure")
        months = scenario.clock_months()
        shown = [
            f"coverage_m{months[min(1, len(months) - 1)]}",
            f"practising_share_m{months[-1]}",
            "practising_person_months",
            "total_cost",
        ]
        st.caption(
            f"Averages over the {run_key[2]} futures. The chart's lines are medians and its "
            "bands hold 9 futures in 10. The table gives each figure "
            "on average, with the 95% interval of the average in brackets (how well the "
            "average is known), then the range in which 9 futures in 10 fall (how far the "
            "futures spread)."
        )
        columns = st.columns(len(shown))
        from sim.experiments.display import with_range
        from sim.model.vocabulary import value_text

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
        show_table(result["table"])
        if "fan.png" in files:
            st.image(files["fan.png"], caption="How widely the futures spread")
        downloads(files, stem, scenario, "summary_stats.csv", "run")
    elif "run_key" in st.session_state:
        st.info("The levers changed since the last run: run again to see their results.")

# --------------------------------------------------------------------------- compare

with tabs[2]:
    saved: list = st.session_state.setdefault("strategies", [])
    st.write(
        f"Add up to {logic.MAX_STRATEGIES} strategies (the levers as they stand when you add "
        "one), then compare them on the same futures. Differences are from the first."
    )
    name = st.text_input("Name of this strategy", f"strategy {len(saved) + 1}", key="sname")
    if st.button(
        "Add the current levers as a strategy", disabled=len(saved) >= logic.MAX_STRATEGIES
    ):
        if any(n == name for n, _ in saved):
            st.error(f"A strategy is already called {name!r}: choose another name.")
        else:
            saved.append((name, scenario_json))
            st.rerun()
    for i, (n, _) in enumerate(list(saved)):
        left, right = st.columns([4, 1])
        left.write(f"{i + 1}. {n}")
        if right.button("Remove", key=f"remove-{i}"):
            saved.pop(i)
            st.rerun()
    compare_key = (tuple(saved), int(seed), int(reps))
    if st.button("Compare", disabled=len(saved) < 2, key="compare", type="primary"):
        try:
            compute("compare", "Comparing", _compare, cached_compare, *compare_key)
            st.session_state["compare_key"] = compare_key
        except ScenarioError as exc:
            show_problems(st, exc.lines)
    if st.session_state.get("compare_key") == compare_key and len(saved) >= 2:
        result = cached_compare(*compare_key)
        st.caption(
            "Each figure: on average, with the 95% interval of the average in brackets; then "
            "the range in which 9 futures in 10 fall. Differences are paired, future by future."
        )
        show_table(result["table"])
        for sentence in result.get("horizons", []):
            st.write(sentence)
        if "coverage.png" in result["files"]:
            st.image(result["files"]["coverage.png"], caption="Strategies on the same futures")
        if "horizons.png" in result["files"]:
            st.image(
                result["files"]["horizons.png"],
                caption="The difference from the first strategy, accumulated year by year: "
                "line the average, dark band its 95% interval, light band 9 futures in 10",
            )
        downloads(result["files"], f"{stem}-compare", scenario, "comparison.csv", "compare")

# --------------------------------------------------------------------------- Phase 2 timing

with tabs[3]:
    if now.phase2_after_months is None:
        st.info("This scenario has no second phase to time.")
    else:
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
        sweep_key = (
            scenario_json,
            tuple(sorted(delays)),
            int(length),
            metric,
            target,
            float(probability),
            int(seed),
            int(reps),
        )
        if st.button("Run the sweep", disabled=not delays, key="sweep", type="primary"):
            compute("sweep", "Sweeping", logic.phase2_sweep, cached_sweep, *sweep_key)
            st.session_state["sweep_key"] = sweep_key
        if st.session_state.get("sweep_key") == sweep_key:
            result = cached_sweep(*sweep_key)
            for sentence in result["answers"]:
                st.success(sentence)
            if "sweep.png" in result["files"]:
                st.image(result["files"]["sweep.png"])
            show_table(result["table"])
            downloads(result["files"], f"{stem}-phase-2", scenario, "sweep.csv", "sweep")
