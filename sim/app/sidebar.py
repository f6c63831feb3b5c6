"""The sidebar: where the scenario starts from (a bundled one, a council's DfE figures, a
file, a saved plan), its levers labelled from the lever registry with each problem and
warning under the lever it concerns, and how many futures to run.
"""

from __future__ import annotations

import hashlib
from datetime import date

import streamlit as st

from ..model.vocabulary import key_label, key_term
from ..scenario.keys import BadInput, ScenarioError
from ..scenario.limits import MAX_TURNOVER_POINTS
from ..scenario.loading import resolve_scenario
from . import logic, words
from .common import Context, settings

SOURCES = ("A bundled scenario", "A council's DfE figures", "A scenario file", "A saved plan")


@st.cache_data(show_spinner=False, max_entries=32)
def cached_council(council: str, template: str, start: str) -> tuple[str, str]:
    """A council's scenario as the app's JSON and what the app changed, cached."""
    built = logic.council_as_built(council, template, date.fromisoformat(start))
    scenario, note = logic.fill_cohorts(built)
    return logic.to_json(scenario), note


def show_problems(where, lines: list[str], scenario=None) -> None:
    """Each problem as an error, labelled with what it concerns in words."""
    for key, texts in logic.problems_by_key(lines).items():
        label = f"**{key_label(key, scenario)}**: " if key else ""
        for text in texts:
            where.error(f"{label}{text}")


def _open_requested() -> None:
    """A plan opened from the Plans tab: the start switches to it before widgets draw."""
    name = st.session_state.pop("open_plan", None)
    if name:
        st.session_state["source"] = SOURCES[3]
        st.session_state["plan"] = name


def start_from() -> tuple | None:
    """The scenario the levers start from: (scenario, original TOML or None, plan or None,
    notes); None when there is none yet (the page says why).
    """
    from ..scenario.plans import list_plans, read_plan

    _open_requested()
    side = st.sidebar
    side.header("1. Start from")
    source = side.radio("Start from", SOURCES, key="source", label_visibility="collapsed")
    if source == SOURCES[0]:
        name = side.selectbox("Scenario", logic.bundled(), key="bundled")
        original = resolve_scenario(name).read_text(encoding="utf-8")
        return logic.from_bundled(name), original, None, []
    if source == SOURCES[1]:
        names = logic.council_names()
        council = side.selectbox(
            "Council",
            names,
            index=names.index("Camden") if "Camden" in names else 0,
            key="council",
        )
        template = side.selectbox(
            "Programme to start from",
            ("camden", "havering"),
            key="template",
            format_func={
                "camden": "Cohorts of five days (as Camden)",
                "havering": "A continuous academy (as Havering)",
            }.get,
        )
        start = side.date_input("Start date", logic.default_start(), key="start")
        try:
            text, note = cached_council(council, template, start.isoformat())
        except ScenarioError as exc:
            show_problems(side, exc.lines)
            return None
        return logic.from_json(text), None, None, [note] if note else []
    if source == SOURCES[2]:
        upload = side.file_uploader(
            "Scenario file (TOML)",
            type=["toml"],
            key="upload",
            help="Checked exactly as `rollout validate` checks it; kept only in this session. "
            f"At most {logic.MAX_UPLOAD_BYTES // 1_000_000} MB (a scenario is a few kilobytes).",
        )
        if upload is None:
            return None
        try:
            base = logic.from_upload(upload.name, upload.getvalue())
        except ScenarioError as exc:
            side.error(f"{upload.name} has {len(exc.lines)} problem(s):")
            show_problems(side, exc.lines)
            st.error(
                f"{upload.name} cannot be used: {len(exc.lines)} problem(s), listed on the "
                "left next to what they concern. Fix the file and upload it again."
            )
            st.session_state["upload_failed"] = True
            return None
        side.success(f"{upload.name}: valid")
        return base, upload.getvalue().decode("utf-8-sig"), None, []
    folder = settings().plans_folder()
    try:
        plans = list_plans(folder)
    except BadInput as exc:
        side.error(exc.lines[0])
        return None
    if not plans:
        side.info("No plans saved yet: start from a scenario and save it on the Plans tab.")
        return None
    names = [p.name for p in plans]
    if st.session_state.get("plan") not in names:
        st.session_state["plan"] = names[0]
    name = side.selectbox("Plan", names, key="plan")
    try:
        plan, text = read_plan(folder, name)
        base = logic.from_upload(f"plan {name}", text.encode("utf-8"))
    except ScenarioError as exc:
        show_problems(side, exc.lines)
        return None
    side.caption(f"Saved by {plan.saved_by or 'someone'} on {_when(plan.saved_at)}.")
    return base, text, plan, []


def _when(stamp: str) -> str:
    """A plan's UTC time stamp in words: "2 December 2026 at 14:05 (UTC)"."""
    try:
        from datetime import datetime

        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp or "an unknown date"
    return f"{moment.day} {moment:%B %Y} at {moment:%H:%M} (UTC)"


def _shock(side, base, tag: str, lever) -> dict | None:
    """The "Workforce shock" section, collapsed: its controls' values, or None when it is
    off (the scenario's own shock, if any, runs as it is).
    """
    start = logic.shock_controls_start(base)
    box = side.expander("Workforce shock", expanded=False)
    own = base.workforce.shock is not None
    on = box.toggle(
        "Model a workforce shock",
        False,
        key=f"{tag}-shock",
        help="A spell of higher turnover, a recruitment freeze or a cut in posts, set "
        + ("in place of the scenario's own shock." if own else "on top of this scenario."),
    )
    if not on:
        box.caption(
            "Off: the scenario's own shock runs as it is."
            if own
            else "Off: no shock; turnover, hiring and posts as the scenario gives them."
        )
        return None
    chosen = {
        "shock_turnover_points": lever(
            "shock_turnover_points",
            lambda lab, h, k: box.number_input(
                lab,
                0.0,
                MAX_TURNOVER_POINTS,
                float(start["shock_turnover_points"]),
                1.0,
                format="%.1f",
                help=f"{h} 5 points: a turnover of 12% a year becomes 17%.",
                key=k,
            ),
            box,
        ),
        "shock_start_after_months": lever(
            "shock_start_after_months",
            lambda lab, h, k: box.number_input(
                lab, 0, 600, round(start["shock_start_after_months"]), 1, help=h, key=k
            ),
            box,
        ),
        "shock_months": lever(
            "shock_months",
            lambda lab, h, k: box.number_input(
                lab, 0, 600, round(start["shock_months"]), 1, help=h, key=k
            ),
            box,
        ),
        "shock_hiring_freeze": lever(
            "shock_hiring_freeze",
            lambda lab, h, k: box.toggle(lab, bool(start["shock_hiring_freeze"]), help=h, key=k),
            box,
        ),
        "shock_posts_cut": lever(
            "shock_posts_cut",
            lambda lab, h, k: box.slider(
                lab.split(" (")[0],
                0,
                100,
                round(start["shock_posts_cut"] * 100),
                5,
                format="%d%%",
                help=h,
                key=k,
            ),
            box,
        ),
    }
    return {
        "shock_turnover_points": float(chosen["shock_turnover_points"]),
        "shock_start_after_months": float(chosen["shock_start_after_months"]),
        "shock_months": float(chosen["shock_months"]),
        "shock_hiring_freeze": bool(chosen["shock_hiring_freeze"]),
        "shock_posts_cut": chosen["shock_posts_cut"] / 100,
    }


def levers(base, original, plan, notes) -> Context:
    """Draw the levers and the futures; the scenario they make (the page stops on problems)."""
    side = st.sidebar
    side.header("2. Levers")
    now = logic.levers_of(base)
    tag = hashlib.sha1(logic.to_json(base).encode()).hexdigest()[:10]
    slots: dict[str, object] = {}
    for note in notes:
        side.info(note)

    def lever(name: str, make, where=side):
        key = logic.LEVER_KEYS[name]
        value = make(key_label(key, base), key_term(key, base).meaning or None, f"{tag}-{name}")
        slots[name] = where.container()
        return value

    horizon = lever(
        "horizon_months",
        lambda lab, h, k: side.number_input(lab, 12, 600, now.horizon_months, 12, help=h, key=k),
    )
    cohorts = lever(
        "cohorts", lambda lab, h, k: side.number_input(lab, 0, 60, now.cohorts, help=h, key=k)
    )
    size = lever(
        "cohort_size",
        lambda lab, h, k: side.number_input(lab, 1, 500, now.cohort_size, help=h, key=k),
    )
    allocation = lever(
        "allocation",
        lambda lab, h, k: side.selectbox(
            lab,
            logic.ALLOCATIONS,
            logic.ALLOCATIONS.index(now.allocation),
            format_func=words.choice_label,
            help=h,
            key=k,
        ),
    )
    offer = lever(
        "offer_new_starters",
        lambda lab, h, k: side.toggle(lab, now.offer_new_starters, help=h, key=k),
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
                    lab,
                    choices,
                    [s for s in now.phase2_supplies if s in choices],
                    format_func=words.choice_label,
                    help=h,
                    key=k,
                ),
            )
        )
        if "foundation" in phase2["phase2_supplies"]:
            phase2["phase2_cohorts"] = lever(
                "phase2_cohorts",
                lambda lab, h, k: side.number_input(
                    lab, 0, 60, now.phase2_cohorts or 0, help=h, key=k
                ),
            )
    side.subheader("Champions")
    champions = lever(
        "champions",
        lambda lab, h, k: side.number_input(lab, 0, 200, now.champions, help=h, key=k),
    )
    induction = lever(
        "induction_places",
        lambda lab, h, k: side.number_input(
            lab, 0.0, 5.0, now.induction_places, 0.05, help=h, key=k
        ),
    )
    replacement = lever(
        "replacement",
        lambda lab, h, k: side.selectbox(
            lab,
            logic.REPLACEMENTS,
            logic.REPLACEMENTS.index(now.replacement),
            format_func=words.choice_label,
            help=h,
            key=k,
        ),
    )
    shock = _shock(side, base, tag, lever)
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
    chosen = logic.with_shock(
        logic.Levers(
            horizon_months=int(horizon),
            cohorts=int(cohorts),
            cohort_size=int(size),
            allocation=allocation,
            offer_new_starters=bool(offer),
            champions=int(champions),
            induction_places=float(induction),
            replacement=replacement,
            **{k: (int(v) if isinstance(v, int | float) else v) for k, v in phase2.items()},
        ),
        shock,
    )

    def slot(name: str | None):
        if name == "phase2_cohorts" and name not in slots:
            name = "phase2_supplies"  # the lever that gave Phase 2 its training
        return slots.get(name or "", side)

    try:
        scenario = logic.apply_levers(base, chosen)
    except ScenarioError as exc:
        for key, texts in logic.problems_by_key(exc.lines).items():
            where = slot(logic.lever_for_key(key))
            for text in texts:
                where.error(f"{key_label(key, base)}: {text}")
        st.error("These levers make an impossible scenario: see the problems on the left.")
        st.stop()
    report = logic.explanation(scenario)
    for warning in report.warnings:
        key, _, text = warning.partition(": ")
        slot(logic.warning_lever(key, text, scenario)).warning(text)
    stem = (scenario.name or "scenario").lower().replace(" ", "-")
    return Context(
        base=base,
        scenario=scenario,
        report=report,
        scenario_json=logic.to_json(scenario),
        stem=stem,
        seed=int(seed),
        reps=int(reps),
        levers=chosen,
        original=original,
        plan=plan,
        notes=notes,
    )
