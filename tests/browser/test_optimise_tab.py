"""The "Find the cheapest plan" tab in headless Chromium, as a planner uses it: a scenario
file uploaded, a range that cannot be searched refused in one plain line with nothing
started, then a tiny search run to its end: the progress of the search and of the choice
on fresh futures while it runs, the plan chosen in words, the guarantee, the picture of
every plan tried and the table's download.

The scenario is the optimiser tests' small one (twenty staff, 18 months) and the search is
four plans on two futures each, so the test is quick; the choice re-runs the best plans on
fresh futures until it is sure, which takes a few seconds. Screenshots go to
ROLLOUT_SCREENSHOTS (default /tmp) for a person to look at.
"""

from __future__ import annotations

import csv
import re
from urllib.parse import urlparse

from optimise.optkit import small_file
from playwright.sync_api import expect

from .conftest import SHOTS
from .steps import open_tab, set_number

WAIT = 180_000  # ms: a busy two-core machine runs the tiny search in well under this
LOCAL = {"localhost", "127.0.0.1", "::1", "[::1]"}
OUTCOMES = ("The plan chosen: ", "Keep the scenario as given", "No plan in these ranges")
CHOICE_STAGE = "Checking the best plans on fresh futures: round "


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"app-optimise-{name}.png"), full_page=True)


def _stayed_local(page) -> None:
    hosts = {urlparse(url).hostname for url in page.requests if not url.startswith("data:")}
    assert page.requests, "no request recorded: the check proves nothing"
    assert hosts <= LOCAL, f"requests left this machine: {sorted(hosts - LOCAL)}"


def _upload_small(page, folder) -> None:
    """Start from the small scenario, uploaded as a planner uploads their own file."""
    page.get_by_text("A scenario file").click()
    uploader = page.get_by_test_id("stSidebar").locator("input[type=file]")
    uploader.set_input_files(str(small_file(folder)))
    page.get_by_text("small.toml: valid").wait_for(timeout=WAIT)


def _tick(page, label: str, low: int, high: int) -> None:
    """Tick a lever (its label takes the click: Streamlit's box lies under it) and set its range."""
    main = page.get_by_test_id("stMain")
    main.get_by_test_id("stCheckbox").filter(has_text=re.compile(f"^{re.escape(label)}$")).click()
    expect(main.get_by_role("checkbox", name=label, exact=True)).to_be_checked()
    set_number(page, f"{label}: lowest", low)
    set_number(page, f"{label}: highest", high)


def test_a_bad_range_shows_one_plain_line_and_starts_nothing(page, app_url, tmp_path):
    page.goto(app_url, timeout=WAIT)
    _upload_small(page, tmp_path)
    cohorts = page.get_by_role("checkbox", name="Cohorts", exact=True)
    open_tab(page, "Find the cheapest plan", shows=cohorts, wait_ms=WAIT)
    run = page.get_by_role("button", name="Find the cheapest plan")
    expect(run).to_be_disabled()  # nothing ticked: nothing to search
    _tick(page, "Cohorts", 9, 3)
    line = page.get_by_text("The highest (3) must be above the lowest (9).", exact=True)
    line.wait_for(timeout=WAIT)
    alerts = page.locator("[role=tabpanel]:visible").get_by_test_id("stAlert")
    assert alerts.count() == 1, [alerts.nth(i).inner_text() for i in range(alerts.count())]
    expect(run).to_be_disabled()
    run.click(force=True)  # a click on the refused button (as an impatient planner would)
    page.wait_for_timeout(3_000)  # a started job would show its panel within one poll (2 s)
    expect(page.get_by_role("button", name="Cancel")).to_have_count(0)
    expect(page.get_by_test_id("stProgress")).to_have_count(0)
    _shot(page, "bad-range")
    _stayed_local(page)
    assert not page.console_errors, page.console_errors


def test_a_tiny_search_shows_its_progress_then_the_plan_and_front(page, app_url, tmp_path):
    page.set_viewport_size({"width": 1400, "height": 1800})  # the whole tab in each shot
    page.goto(app_url, timeout=WAIT)
    _upload_small(page, tmp_path)
    cohorts = page.get_by_role("checkbox", name="Cohorts", exact=True)
    open_tab(page, "Find the cheapest plan", shows=cohorts, wait_ms=WAIT)
    _tick(page, "Cohorts", 1, 4)
    _tick(page, "Places per cohort", 2, 8)
    target = page.get_by_role("combobox", name="Target")
    expect(target).to_be_visible()
    set_number(page, "at least (%)", 20)
    share = page.get_by_role("slider", name="in this share of futures")
    share.focus()
    page.keyboard.press("Home")  # 50 %, then up to 60 %
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    expect(share).to_have_attribute("aria-valuetext", "60%", timeout=WAIT)
    said = (
        "The target: practising at month 12 at least 20 %, in at least 60 % of futures "
        "(6 futures in 10)."
    )
    expect(page.get_by_text(said, exact=True)).to_be_visible(timeout=WAIT)
    set_number(page, "Plans to try", 4)
    set_number(page, "Futures for each plan", 2)
    _shot(page, "ready")

    page.get_by_role("button", name="Find the cheapest plan").click()
    bar = page.get_by_test_id("stProgress")
    choosing = page.get_by_text(re.compile(re.escape(CHOICE_STAGE)))
    choosing.first.wait_for(timeout=WAIT)
    said = choosing.first.inner_text()
    expect(page.get_by_role("button", name="Cancel")).to_be_visible()
    expect(page.get_by_role("button", name="Find the cheapest plan")).to_be_disabled()
    _shot(page, "choosing")
    assert re.search(r"round \d+, [\d,]+ of [\d,]+ runs \([\d,]+ in all so far", said), said
    assert bar.count() == 1, f"{bar.count()} progress bars while the choice runs"

    outcome = page.get_by_test_id("stAlert").filter(has_text=re.compile("|".join(OUTCOMES)))
    outcome.first.wait_for(timeout=WAIT)
    assert outcome.count() == 1, [outcome.nth(i).inner_text() for i in range(outcome.count())]
    chosen = outcome.first.inner_text()
    assert "programme." not in chosen, f"code words: {chosen!r}"
    assert "_" not in chosen, f"code words: {chosen!r}"
    expect(page.get_by_role("button", name="Cancel")).to_have_count(0)
    expect(bar).to_have_count(0)

    if chosen.startswith(OUTCOMES[0]):  # a new plan: its cost against the scenario as given
        against = page.get_by_text(re.compile(r"^Against the scenario as given: total cost £"))
        expect(against).to_be_visible()
    guarantee = page.get_by_text(
        re.compile(r"^How sure the choice is\. .*with probability at least")
    )
    expect(guarantee).to_be_visible()
    picture = page.get_by_test_id("stImage").locator("img").first
    picture.wait_for(timeout=WAIT)
    picture.scroll_into_view_if_needed()
    loaded = picture.evaluate("i => [i.complete, i.naturalWidth, i.naturalHeight]")
    assert loaded[0], "the front did not load"
    assert loaded[1] > 0, f"the front has no width: {loaded}"
    assert loaded[2] > 0, f"the front has no height: {loaded}"
    box = picture.bounding_box()
    assert box is not None, "the front is not on the page"
    assert box["width"] > 0, f"the front is shown with no width: {box}"
    assert box["height"] > 0, f"the front is shown with no height: {box}"
    caption = "Every plan tried, one dot each: total cost against practising at month 12"
    expect(page.get_by_text(caption)).to_be_visible()

    with page.expect_download(timeout=WAIT) as fetched:
        page.get_by_role("button", name="Every plan tried (CSV)").click()
    download = fetched.value
    assert download.suggested_filename.endswith("-plans-tried.csv"), download.suggested_filename
    with open(download.path(), encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows, "the table downloaded is empty"
    assert rows[0]["candidate"] == "0", rows[:1]  # the scenario as given comes first
    assert 2 <= len(rows) <= 5, f"{len(rows)} rows for a search of 4 plans"

    page.set_viewport_size({"width": 1400, "height": 3000})  # the whole screen in one shot
    _shot(page, "result")
    _stayed_local(page)
    assert not page.console_errors, page.console_errors
