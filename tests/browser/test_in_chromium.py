"""End to end in headless Chromium: a planner uses the web app (council, Phase-2 timing,
run; a broken upload), and a board member opens a report that makes no request and runs
nothing. Screenshots are saved (ROLLOUT_SCREENSHOTS, default /tmp) for a person to look at.
"""

from __future__ import annotations

from experiments.expkit import cohort_scenario
from playwright.sync_api import expect

from sim import experiments, outputs
from sim.app import logic
from sim.outputs.report import write_report

from .conftest import SHOTS
from .steps import open_tab, set_number

WAIT = 180_000  # ms: a busy two-core machine runs a few futures in well under this


def _phase_2_line(page) -> str:
    """The Phase 2 line of rollout validate's explanation on the page (hidden tab or not)."""
    text = page.get_by_test_id("stCode").first.text_content() or ""
    return next(
        (line.strip() for line in text.splitlines() if line.strip().startswith("Phase 2")), ""
    )


def test_a_planner_runs_camden_with_phase_2_later(page, app_url):
    base = logic.from_council("Camden")  # what the page builds (rollout new's start date)
    delay = logic.levers_of(base).phase2_after_months + 6
    later = logic.apply_levers(
        base,
        logic.Levers(**{**logic.levers_dict(logic.levers_of(base)), "phase2_after_months": delay}),
    )
    moved = f"Phase 2  {later.phase_dates()[1][0].isoformat()}"

    page.goto(app_url)
    page.get_by_text("A council's DfE figures").click()
    council = page.get_by_role("combobox", name="Council")
    council.click()
    page.keyboard.type("Camden")
    page.keyboard.press("Enter")
    # The council's own scenario is on the page (not the bundled one still being replaced).
    page.get_by_text("DfE workforce figures").first.wait_for(timeout=WAIT)
    slider = page.get_by_role("slider", name="Phase 2 starts N months after Phase 1 ends")
    slider.focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuetext", str(delay), timeout=WAIT)
    # The app has taken the new timing: its explanation shows Phase 2 moved.
    expect(page.get_by_test_id("stCode").first).to_contain_text(moved, timeout=WAIT)
    set_number(page, "Futures (replications)", 3)
    run = page.get_by_role("button", name="Run 3 futures")
    open_tab(page, "Run", shows=run, wait_ms=WAIT)
    run.click()
    metric = page.get_by_test_id("stMetricValue").first
    metric.wait_for(timeout=WAIT)
    chart = page.get_by_test_id("stImage").first.locator("img")
    chart.wait_for(timeout=WAIT)
    assert chart.evaluate("img => img.complete && img.naturalWidth > 600"), "no chart drawn"
    page.get_by_text("Coverage and practice over time").first.wait_for()
    assert metric.inner_text().endswith("%"), f"first number {metric.inner_text()!r}"
    assert _phase_2_line(page).startswith(moved), f"ran with {_phase_2_line(page)!r}"
    page.screenshot(path=str(SHOTS / "rollout-app-run.png"), full_page=True)
    assert not page.console_errors, f"console errors: {page.console_errors}"


def test_a_broken_upload_is_explained(page, app_url, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(
        '[scenario]\nname = "broken"\nstart = 2020-01-01\nhorizon_months = 24\n'
        "[workforce]\nroles = { worker = { posts = 5, turnover = 0.1 } }\n"
        "[programme.foundation]\ncohort_size = -3\n"
    )
    page.goto(app_url)
    page.get_by_text("A scenario file").click()
    page.get_by_test_id("stSidebar").locator("input[type=file]").set_input_files(str(broken))
    problem = page.get_by_text("must be ≥ 1, got -3")
    problem.wait_for(timeout=WAIT)
    assert "Places per cohort" in problem.inner_text(), problem.inner_text()
    page.get_by_text("broken.toml cannot be used").wait_for(timeout=WAIT)
    page.screenshot(path=str(SHOTS / "rollout-app-broken-upload.png"), full_page=True)


def test_a_report_runs_nothing_and_calls_nowhere(page, tmp_path):
    hostile = "<script>alert(1)</script>"
    base = cohort_scenario().with_changes({"scenario.name": hostile})
    more = base.with_changes({"programme.foundation.cohort_size": 8})
    result = experiments.compare(
        {"four places": base, "eight places": more}, reps=3, workers=1, out=tmp_path / "cmp"
    )
    outputs.draw(result)
    report, _ = write_report(result.folder)
    page.goto(report.as_uri())
    page.get_by_role("heading", name="The answer").wait_for()
    title = page.get_by_role("heading", level=1).inner_text()
    assert hostile in title, f"the name is not shown as text: {title!r}"
    assert not page.dialogs, f"the report ran a script: {page.dialogs}"
    assert not page.console_errors, f"console errors: {page.console_errors}"
    assert page.requests == [report.as_uri()], f"requests besides the file: {page.requests}"
    images = page.locator("img")
    assert images.count() >= 1, "no picture"
    assert all(
        images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
        for i in range(images.count())
    ), "a picture did not load"
    page.screenshot(path=str(SHOTS / "rollout-report-hostile-name.png"))
