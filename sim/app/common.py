"""What every screen of the page shares: the session's state, its background runs (a
panel that polls the server's pool, shows progress and the place in the queue, and offers
Cancel), the results tables and the downloads. Streamlit is imported here: only the page
imports this module.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from . import jobs
from .settings import current

POLL_SECONDS = 2.0


@dataclass
class Context:
    """What the screens need from the sidebar: the scenario as the levers make it."""

    base: Any
    scenario: Any
    report: Any
    scenario_json: str
    stem: str
    seed: int
    reps: int
    levers: Any
    original: str | None = None  # the file the scenario started from (TOML)
    plan: Any = None  # the saved plan it was opened from
    notes: list[str] = field(default_factory=list)


def session_id() -> str:
    """The id of this browser session (its runs are its own)."""
    return st.session_state.setdefault("session_id", uuid.uuid4().hex)


def settings():
    """The server's settings (a small file, read on each use so a change needs no restart
    of the page; the pool's workers are fixed when the pool starts).
    """
    return current()


def result_for(kind: str, key: tuple) -> Any:
    """The result of this session's last ``kind`` job when it was made for ``key``."""
    entry = st.session_state.setdefault("results", {}).get(kind)
    return entry["result"] if entry and entry["key"] == key else None


def has_result(kind: str) -> bool:
    """Whether this session has any result of ``kind`` (perhaps for other levers)."""
    return kind in st.session_state.setdefault("results", {})


def start(kind: str, label: str, function: str, key: tuple) -> None:
    """Put a job on the server's queue for this session (a one-line error when refused)."""
    try:
        job = jobs.pool().submit(session_id(), label, function, *key)
    except jobs.Busy as exc:
        st.error(exc.lines[0])
        return
    st.session_state.setdefault("jobs", {})[kind] = {"id": job, "key": key, "label": label}


def under_way(kind: str) -> bool:
    """Whether this session's ``kind`` job is queued or running."""
    return kind in st.session_state.setdefault("jobs", {})


def watch(kind: str) -> None:
    """The job's panel, redrawn every second on its own while the rest of the page stays
    usable; when the job ends its result is kept and the whole page redrawn.
    """
    if under_way(kind):
        _panel(kind)


@st.fragment(run_every=POLL_SECONDS)
def _panel(kind: str) -> None:
    entry = st.session_state.setdefault("jobs", {}).get(kind)
    if entry is None:
        return
    pool = jobs.pool()
    job = pool.status(entry["id"])
    label = entry["label"]
    if job is None or job.finished:
        taken = pool.take(entry["id"])
        del st.session_state["jobs"][kind]
        if taken is not None and taken.state == "done":
            st.session_state.setdefault("results", {})[kind] = {
                "key": entry["key"],
                "result": taken.result,
            }
        elif taken is not None and taken.state == "failed":
            st.session_state.setdefault("failures", {})[kind] = f"{label}: {taken.error}"
        st.rerun()
        return
    if job.state == "queued":
        place = pool.position(entry["id"])
        running, waiting = pool.counts()
        st.info(
            f"{label}: waiting, number {place} in the queue ({running} running on this "
            f"server, {waiting} waiting). The page stays usable meanwhile."
        )
    else:
        share = min(1.0, job.done / job.total) if job.total else 0.0
        text = job.words or f"{label}: {job.done} of {job.total or '…'} futures"
        st.progress(share, text=text)
    if st.button("Cancel", key=f"cancel-{kind}"):
        pool.cancel(entry["id"])
        del st.session_state["jobs"][kind]
        st.session_state.setdefault("failures", {})[kind] = f"{label}: cancelled"
        st.rerun()


def failure(kind: str) -> None:
    """Say once that this session's last ``kind`` job failed or was cancelled."""
    text = st.session_state.setdefault("failures", {}).pop(kind, None)
    if text:
        (st.info if text.endswith("cancelled") else st.error)(text)


def show_rows(rows: list[dict]) -> None:
    """A small table that wraps its text, so nothing is cut however narrow the page."""
    if rows:
        import pandas as pd

        st.table(pd.DataFrame(rows).set_index(list(rows[0])[0]))


def show_rows_in_parts(rows: list[dict], per: int = 3) -> None:
    """A wide table as several small ones, its first column (the row's name) in each and
    ``per`` more columns at a time, so every cell is read whole on any screen.
    """
    if not rows:
        return
    first, *rest = list(rows[0])
    for start in range(0, len(rest), per):
        chosen = rest[start : start + per]
        show_rows([{first: r[first], **{c: r[c] for c in chosen}} for r in rows])


def downloads(files: dict, stem: str, toml_text: str, table: str, key: str) -> None:
    """The download buttons of a result: scenario, table, workbook, report."""
    columns = st.columns(4)
    columns[0].download_button(
        "Scenario (TOML)", toml_text, f"{stem}.toml", "application/toml", key=f"{key}-toml"
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


def scenario_toml(context: Context) -> str:
    """The scenario as TOML: the file it started from rewritten (comments and order kept),
    or written whole when there is none or it cannot be rewritten.
    """
    from ..scenario.keys import ScenarioError
    from ..scenario.writing import to_toml

    try:
        return to_toml(context.scenario, original=context.original)
    except (ScenarioError, OSError, ValueError, KeyError):
        return to_toml(context.scenario)
