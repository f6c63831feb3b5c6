"""Eight planners at once: eight browser sessions use one app server, each running Camden
with a few futures of its own seed, while a ninth opens the page.

Each session is its own browser context (its own cookies, so its own Streamlit session).
All eight press Run before any result is awaited, so their runs overlap on the server.
Checked: every run completes; each session shows the results of its own seed and number
of futures (the page's numbers are compared with the same run made here in memory, which
the seed fixes exactly); no page shows an error. Measured and printed, never asserted
(timings depend on the machine): how long a page takes to load while the eight run, and how
long each run took from its click to its numbers (``pytest -s`` shows them).
"""

from __future__ import annotations

import os
import time

from sim import experiments
from sim.app import logic
from sim.model.vocabulary import value_text

from .steps import open_tab, set_number

SESSIONS = 8
WAIT = 300_000  # ms: eight runs of a few futures on a busy two-core machine take far less


def _plan(i: int) -> tuple[int, int]:
    """Session i's seed and futures: every session different, each a few futures."""
    return 101 + i, 2 + i % 2


def _expected_numbers(seed: int, reps: int) -> list[str]:
    """The four numbers the Run tab shows for bundled Camden at its default levers.

    The scenario goes through the app's own JSON form (its cache key), as the page's does;
    a scenario's results do not depend on the order of its keys, so this is the command
    line's answer too (tests/app/test_one_answer.py).
    """
    base = logic.from_bundled("camden")
    scenario = logic.from_json(logic.to_json(logic.apply_levers(base, logic.levers_of(base))))
    stats = experiments.run(scenario, reps=reps, seed=seed, workers=1).summary_stats
    by = stats.set_index("measure")
    months = scenario.clock_months()
    shown = [
        f"coverage_m{months[min(1, len(months) - 1)]}",
        f"practising_share_m{months[-1]}",
        "practising_person_months",
        "total_cost",
    ]
    return [value_text(m, by.loc[m, "mean"]) for m in shown if m in by.index]


def _open(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.goto(url, timeout=WAIT)
    page.get_by_text("Plan a training roll-out").first.wait_for(timeout=WAIT)
    return context, page


def test_eight_sessions_run_at_once_each_with_its_own_results(browser, app_url, capsys):
    from playwright.sync_api import expect

    sessions = []
    try:
        for i in range(SESSIONS):
            seed, reps = _plan(i)
            context, page = _open(browser, app_url)
            set_number(page, "Futures (replications)", reps)
            set_number(page, "Seed", seed)
            button = page.get_by_role("button", name=f"Run {reps} futures")
            open_tab(page, "Run", shows=button, wait_ms=WAIT)
            sessions.append({"context": context, "page": page, "seed": seed, "reps": reps})

        for s in sessions:  # every run under way before any is awaited
            s["page"].get_by_role("button", name=f"Run {s['reps']} futures").click()
            s["clicked"] = time.perf_counter()

        began = time.perf_counter()
        context, page = _open(browser, app_url)  # a ninth planner arrives meanwhile
        loaded = time.perf_counter() - began
        still_running = sum(
            1 for s in sessions if not s["page"].get_by_test_id("stMetricValue").count()
        )
        context.close()

        for s in sessions:
            metric = s["page"].get_by_test_id("stMetricValue")
            metric.first.wait_for(timeout=WAIT)
            s["seconds"] = time.perf_counter() - s["clicked"]

        for s in sessions:
            page = s["page"]
            caption = f"Averages over the {s['reps']} futures"
            expect(page.get_by_text(caption)).to_be_visible(timeout=WAIT)
            shown = [v.inner_text() for v in page.get_by_test_id("stMetricValue").all()]
            expected = s["expected"] = _expected_numbers(s["seed"], s["reps"])
            assert shown == expected, (
                f"session with seed {s['seed']} ({s['reps']} futures) shows {shown}, "
                f"its own run gives {expected}"
            )
            chart = page.get_by_test_id("stImage").first.locator("img")
            chart.wait_for(timeout=WAIT)
            assert not page.get_by_test_id("stException").count(), "an exception on the page"
            assert not page.console_errors, f"console errors: {page.console_errors}"
        distinct = {tuple(s["expected"]) for s in sessions}
        assert len(distinct) > 1, "every session's numbers are the same: the check proves nothing"
    finally:
        for s in sessions:
            s["context"].close()

    runs = ", ".join(f"{s['seconds']:.1f}" for s in sessions)
    with capsys.disabled():  # the figures are the point: shown in every run of the suite
        print(
            f"\nload test ({os.cpu_count()} cores): a page loaded in {loaded:.2f} s while "
            f"{still_running} of {SESSIONS} runs were still going; each run took (click to "
            f"numbers, s): {runs}"
        )
