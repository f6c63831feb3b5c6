"""A planner's month in headless Chromium: a plan saved and reopened in a new browser
session, last quarter's figures attached and read in words, a long run in the background
cancelled while the page stays usable, and two planners running at once on one server.

Every request every page makes is recorded, and each test checks that none left this
machine (the app makes no external request: no telemetry, fonts or maps from outside).
Screenshots of each screen go to /work/notes when it exists (else ROLLOUT_SCREENSHOTS).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import expect

from sim.scenario.plans import list_plans

from .conftest import SHOTS
from .steps import open_tab, set_number

WAIT = 180_000  # ms: a busy two-core machine runs a few futures in well under this
NOTES = Path("/work/notes")
LOCAL = {"localhost", "127.0.0.1", "::1", "[::1]"}
OBSERVED = "date,measure,value,sd\n2017-03-01,coverage,0.05,0.01\n2016-06-01,coverage,0.3,0.05\n"


def _shot(page, name: str) -> None:
    folder = NOTES if NOTES.is_dir() and not os.environ.get("ROLLOUT_SCREENSHOTS") else SHOTS
    page.screenshot(path=str(folder / f"app-{name}.png"), full_page=True)


def _open(browser, url: str):
    """A new browser session (its own cookies: its own Streamlit session) on the app."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.requests = []
    page.console_errors = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.goto(url, timeout=WAIT)
    page.get_by_text("Plan a training roll-out").first.wait_for(timeout=WAIT)
    return context, page


def _stayed_local(page) -> None:
    hosts = {urlparse(url).hostname for url in page.requests if not url.startswith("data:")}
    assert page.requests, "no request recorded: the check proves nothing"
    assert hosts <= LOCAL, f"requests left this machine: {sorted(hosts - LOCAL)}"


def test_a_plan_saved_is_reopened_in_a_new_browser_session(browser, app_url, plans_folder):
    context, page = _open(browser, app_url)
    try:
        save = page.get_by_role("button", name="Save this plan")
        open_tab(page, "Plans", shows=save, wait_ms=WAIT)
        page.get_by_role("textbox", name="Name of the plan").fill("Camden plan")
        page.get_by_role("textbox", name="Saved by").fill("Asha Patel")
        page.keyboard.press("Enter")
        expect(page.get_by_role("textbox", name="Saved by")).to_have_value("Asha Patel")
        save.click()
        page.get_by_text("Saved the plan 'Camden plan'").wait_for(timeout=WAIT)
        _shot(page, "plans")
        _stayed_local(page)
    finally:
        context.close()
    assert [p.name for p in list_plans(plans_folder)] == ["Camden plan"]

    context, page = _open(browser, app_url)  # next month: a new session
    try:
        page.get_by_text("A saved plan", exact=True).click()
        page.get_by_text("Saved by Asha Patel").wait_for(timeout=WAIT)
        page.get_by_text("Opened from the saved plan 'Camden plan'").wait_for(timeout=WAIT)
        _stayed_local(page)
        assert not page.console_errors, page.console_errors
    finally:
        context.close()


def test_observed_figures_are_read_in_words(browser, app_url, tmp_path):
    figures = tmp_path / "last-quarter.csv"
    figures.write_text(OBSERVED)
    context, page = _open(browser, app_url)
    try:
        set_number(page, "Futures (replications)", 2)
        run = page.get_by_role("button", name="Run 2 futures")
        open_tab(page, "Run", shows=run, wait_ms=WAIT)
        run.click()
        page.get_by_test_id("stMetricValue").first.wait_for(timeout=WAIT)
        page.locator("input[type=file]").set_input_files(str(figures))
        words = page.get_by_text(
            "Trained (coverage) in March 2017 was below 9 futures in 10: "
            "the plan is running behind."
        )
        words.wait_for(timeout=WAIT)
        page.get_by_text("rollout calibrate").first.wait_for(timeout=WAIT)
        page.get_by_text("What was observed (dots").first.scroll_into_view_if_needed()
        _shot(page, "observed")
        _stayed_local(page)
        assert not page.console_errors, page.console_errors
    finally:
        context.close()


def test_a_long_run_is_cancelled_while_the_page_stays_usable(browser, app_url):
    context, page = _open(browser, app_url)
    try:
        set_number(page, "Futures (replications)", 400)
        run = page.get_by_role("button", name="Run 400 futures")
        open_tab(page, "Run", shows=run, wait_ms=WAIT)
        run.click()
        cancel = page.get_by_role("button", name="Cancel")
        cancel.wait_for(timeout=WAIT)
        page.get_by_text("of 400 futures").first.wait_for(timeout=WAIT)
        _shot(page, "run-progress")
        # Meanwhile the page answers: another tab opens and a lever moves.
        open_tab(page, "What it means", shows=page.get_by_text("Workforce").first, wait_ms=WAIT)
        set_number(page, "Champions", 15)
        open_tab(page, "Run", shows=cancel, wait_ms=WAIT)
        cancel.click()
        page.get_by_text("cancelled").first.wait_for(timeout=WAIT)
        expect(page.get_by_role("button", name="Cancel")).to_have_count(0)
        assert not page.get_by_test_id("stMetricValue").count(), "a cancelled run showed results"
        _stayed_local(page)
        assert not page.console_errors, page.console_errors
    finally:
        context.close()


def test_two_planners_run_at_once_each_their_own(browser, app_url):
    sessions = []
    try:
        for seed in (11, 12):
            context, page = _open(browser, app_url)
            set_number(page, "Futures (replications)", 2)
            set_number(page, "Seed", seed)
            run = page.get_by_role("button", name="Run 2 futures")
            open_tab(page, "Run", shows=run, wait_ms=WAIT)
            sessions.append((context, page, run))
        for _, _, run in sessions:
            run.click()
        shown = []
        for _, page, _ in sessions:
            page.get_by_test_id("stMetricValue").first.wait_for(timeout=WAIT)
            shown.append([v.inner_text() for v in page.get_by_test_id("stMetricValue").all()])
            _stayed_local(page)
        assert all(len(s) == 4 for s in shown), shown
        assert shown[0] != shown[1], f"two seeds gave the same numbers: {shown}"
    finally:
        for context, _, _ in sessions:
            context.close()


def test_two_alternatives_are_compared_against_the_plan_we_run(browser, app_url):
    context, page = _open(browser, app_url)
    try:
        save = page.get_by_role("button", name="Save this plan")
        open_tab(page, "Plans", shows=save, wait_ms=WAIT)
        page.get_by_role("textbox", name="Name of the plan").fill("Baseline plan")
        page.keyboard.press("Enter")
        expect(page.get_by_role("textbox", name="Name of the plan")).to_have_value("Baseline plan")
        save.click()
        page.get_by_text("Saved the plan 'Baseline plan'").wait_for(timeout=WAIT)
        set_number(page, "Futures (replications)", 2)
        add = page.get_by_role("button", name="Add the current levers as a strategy")
        open_tab(page, "Compare strategies", shows=add, wait_ms=WAIT)
        for name, champions in (("more champions", 20), ("fewer champions", 6)):
            set_number(page, "Champions", champions)
            box = page.get_by_role("textbox", name="Name of this strategy")
            box.fill(name)
            box.press("Enter")
            expect(box).to_have_value(name)
            add.click()
            page.get_by_text(name, exact=False).first.wait_for(timeout=WAIT)
        baseline = page.get_by_role("combobox", name="Set the strategies against")
        baseline.click()
        page.get_by_role("option", name="the plan 'Baseline plan' (the plan we run)").click()
        page.get_by_role("button", name="Compare").click()
        page.get_by_text("Against Baseline plan (the plan we run)", exact=True).wait_for(
            timeout=WAIT
        )
        rows = page.get_by_test_id("stTable").last.inner_text()
        assert "more champions, against Baseline plan" in rows, rows
        assert "fewer champions, against Baseline plan" in rows, rows
        tables = page.get_by_test_id("stTable")
        for i in range(tables.count()):  # nothing cut: every table within the page's width
            table = tables.nth(i)
            wide, shown = table.evaluate("t => [t.scrollWidth, t.clientWidth]")
            assert wide <= shown + 1, f"table {i} is wider than its place: {wide} > {shown}"
        page.set_viewport_size({"width": 1400, "height": 4000})  # the whole screen in one shot
        _shot(page, "compare")
        _stayed_local(page)
        assert not page.console_errors, page.console_errors
    finally:
        context.close()
