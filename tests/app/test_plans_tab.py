"""The Plans tab and what a saved plan is for, in Streamlit's AppTest (no browser): save
the plan with who saved it, open it in a new session, delete it (a copy kept), compare a
strategy against it, and set observed figures beside a run in words.
"""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")
from app_waiting import until_done  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from sim.app import page  # noqa: E402  (the file AppTest runs)
from sim.scenario.plans import list_plans, previous_versions  # noqa: E402

TIMEOUT = 180


@pytest.fixture
def plans(tmp_path, monkeypatch):
    folder = tmp_path / "plans"
    monkeypatch.setenv("ROLLOUT_PLANS", str(folder))
    monkeypatch.delenv("ROLLOUT_APP_SETTINGS", raising=False)
    return folder


def _app() -> AppTest:
    at = AppTest.from_file(page.__file__, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def _save(app: AppTest, name: str, by: str) -> AppTest:
    app.text_input(key="plan_name").set_value(name)
    app.text_input(key="plan_by").set_value(by)
    app.button(key="plan_save").click().run()
    assert not app.exception, app.exception
    return app


def test_a_saved_plan_opens_in_a_new_session(plans):
    app = _app()
    app.sidebar.number_input(
        key=next(w.key for w in app.sidebar.number_input if w.label == "Champions")
    ).set_value(9).run()
    _save(app, "Camden 2026", "Asha")
    assert any("Saved the plan 'Camden 2026'" in s.value for s in app.success), app.success
    [plan] = list_plans(plans)
    assert plan.saved_by == "Asha", plan

    again = _app()  # a new session: nothing carried over but the folder
    again.sidebar.radio(key="source").set_value("A saved plan").run()
    assert not again.exception, again.exception
    assert again.sidebar.selectbox(key="plan").value == "Camden 2026"
    assert any("Saved by Asha" in c.value for c in again.sidebar.caption), again.sidebar.caption
    champions = next(w for w in again.sidebar.number_input if w.label == "Champions")
    assert champions.value == 9, "the plan did not keep its levers"


def test_a_name_that_exists_is_not_overwritten_silently(plans):
    app = _save(_app(), "Plan A", "Asha")
    _save(app, "Plan A", "Ben")
    assert any("a plan of that name exists" in e.value for e in app.error), app.error
    assert list_plans(plans)[0].saved_by == "Asha"


def test_open_and_delete_from_the_list(plans):
    app = _save(_app(), "Plan B", "Asha")
    app.button(key="open-Plan B").click().run()
    assert app.sidebar.radio(key="source").value == "A saved plan"
    app.button(key="delete-Plan B").click().run()
    assert list_plans(plans), "deleted before it was confirmed"
    app.button(key="confirm-Plan B").click().run()
    assert not app.exception, app.exception
    assert list_plans(plans) == [], list_plans(plans)
    assert previous_versions(plans, "Plan B"), "no copy kept in previous/"


def test_a_strategy_is_compared_against_the_plan_we_run(plans):
    app = _save(_app(), "Our plan", "Asha")
    app.sidebar.number_input(key="reps").set_value(2)
    champions = next(w for w in app.sidebar.number_input if w.label == "Champions")
    champions.set_value(20).run()
    app.text_input(key="sname").set_value("more champions")
    next(b for b in app.button if b.label == "Add the current levers as a strategy").click().run()
    app.selectbox(key="baseline").set_value("Our plan").run()
    until_done(app.button(key="compare").click().run(), TIMEOUT)
    assert not app.exception, app.exception
    tables = [t.value for t in app.table]
    strategies = [list(t.index) for t in tables]
    assert ["Our plan (the plan we run)", "more champions"] in strategies, strategies
    assert ["more champions, against Our plan (the plan we run)"] in strategies, strategies
    widths = {
        len(t.columns)
        for t in tables
        if list(t.index)[0] == "more champions, against Our plan (the plan we run)"
    }
    assert widths, "no table of differences"
    assert max(widths) <= 3, f"a comparison table of {widths} columns does not fit"


OBSERVED = b"date,measure,value,sd\n2017-03-01,coverage,0.05,0.01\n"


WANTED = "Trained (coverage) in March 2017 was below 9 futures in 10: the plan is running behind."


def _said(app: AppTest) -> list[str]:
    return [w.value for w in app.warning] + [m.value for m in app.markdown]


def test_uploaded_figures_are_set_against_the_run_in_words(plans):
    app = _app()
    app.sidebar.number_input(key="reps").set_value(2).run()
    until_done(app.button(key="run").click().run(), TIMEOUT)
    upload = next(u for u in app.get("file_uploader") if u.label == "Observed figures (CSV)")
    upload.upload("quarter.csv", OBSERVED, "text/csv").run()
    assert not app.exception, app.exception
    assert any(WANTED in s for s in _said(app)), _said(app)
    assert any("rollout calibrate" in c.value for c in app.code), [c.value for c in app.code]


def test_a_plans_attached_figures_are_shown_when_it_is_opened(plans):
    from sim.scenario.plans import read_plan, save_plan

    app = _save(_app(), "Watched", "Asha")
    _, text = read_plan(plans, "Watched")
    save_plan(plans, "Watched", text, "Asha", replace=True, observed_text=OBSERVED.decode())
    app.sidebar.radio(key="source").set_value("A saved plan").run()
    app.sidebar.number_input(key="reps").set_value(2).run()
    until_done(app.button(key="run").click().run(), TIMEOUT)
    assert not app.exception, app.exception
    assert any(WANTED in s for s in _said(app)), _said(app)
    assert any(
        "rollout calibrate plans/Watched.toml --observed plans/Watched.observed.csv" in c.value
        for c in app.code
    ), [c.value for c in app.code]
