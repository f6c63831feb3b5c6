"""The web app's page, run by Streamlit's AppTest (no browser): it starts on a bundled
scenario, labels its levers in words, shows an upload's problems next to what they
concern, and runs with results and downloads.
"""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")
from app_waiting import until_done  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from sim.app import page  # noqa: E402  (the file AppTest runs)

BROKEN = b"""
[scenario]
name = "broken"
start = 2020-01-01
horizon_months = 24

[workforce]
roles = { worker = { posts = 5, turnover = 0.1 } }

[programme.foundation]
cohort_size = -3
"""

TIMEOUT = 180  # seconds; a busy two-core machine runs a few futures in well under this


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(page.__file__, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, f"the page raised: {at.exception}"
    return at


def test_the_page_starts_on_camden_with_levers_in_words(app):
    labels = [w.label for w in app.sidebar.number_input]
    for label in ("Cohorts", "Places per cohort", "Champions", "Horizon (months)"):
        assert label in labels, f"no lever {label!r}: {labels}"
    assert [s.label for s in app.sidebar.slider] == ["Phase 2 starts N months after Phase 1 ends"]
    explained = app.code[0].value
    assert explained.startswith("Camden (Camden): valid"), explained[:200]


def test_moving_phase_2_changes_the_explanation(app):
    app.sidebar.slider[0].set_value(12).run()
    assert not app.exception, app.exception
    explained = app.code[0].value
    assert "Phase 2  2018-10-01 to 2019-09-30" in explained, explained


def test_a_broken_upload_shows_its_problem_next_to_the_upload(app):
    app.sidebar.radio[0].set_value("A scenario file").run()
    app.sidebar.file_uploader[0].upload("broken.toml", BROKEN, "application/toml").run()
    assert not app.exception, app.exception
    messages = [e.value for e in app.sidebar.error]
    assert any("Places per cohort" in m and "must be ≥ 1, got -3" in m for m in messages), messages
    assert any("cannot be used" in e.value for e in app.main.error), [e.value for e in app.error]


def test_a_run_shows_numbers_pictures_and_downloads(app):
    app.sidebar.number_input(key="reps").set_value(2)
    until_done(app.button(key="run").click().run(), TIMEOUT)
    assert not app.exception, app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics.get("Practising person-months", "").replace(",", "").isdigit(), metrics
    assert metrics.get("Trained at month 24", "").endswith("%"), metrics
    # The headline figures say they are means, and give their interval (none from 2 futures).
    captions = [c.value for c in app.caption]
    assert any(c.startswith("Averages over the 2 futures") for c in captions), captions
    assert any("9 futures in 10" in c for c in captions), f"range of futures unnamed: {captions}"
    helps = [m.proto.help for m in app.metric]
    assert all(h.endswith("(from 2 futures: too few for an interval)") for h in helps), helps
    # The table below them says it once, above it, and not in every row.
    assert any(c.startswith("From 2 futures, too few for an interval") for c in captions), captions
    table = next(t.value for t in app.table if "average (95% interval); 9 futures in 10" in t.value)
    shown = list(table["average (95% interval); 9 futures in 10"])
    assert shown, "the run's table is empty"
    assert not any("too few" in v for v in shown), shown
    downloads = [d.label for d in app.get("download_button")]
    assert len(downloads) == 4, downloads
    assert "Report for the board (HTML)" in downloads, downloads


UNCERTAIN_CHAMPIONS = b"""
[scenario]
name = "uncertain champions"
start = 2020-01-01
horizon_months = 12

[workforce]
roles = { worker = { posts = 10, turnover = 0.1 } }

[champions]
target = 2

[uncertainty]
"champions.target" = { distribution = "uniform", low = 1.0, high = 4.0, source = "test" }
"""


def test_a_lever_fixes_its_keys_uncertainty_and_the_page_says_so(app):
    app.sidebar.radio[0].set_value("A scenario file").run()
    app.sidebar.file_uploader[0].upload("u.toml", UNCERTAIN_CHAMPIONS, "application/toml").run()
    assert not app.exception, app.exception
    assert not [i.value for i in app.info if "fixed at" in i.value], "nothing set yet"
    champions = next(w for w in app.sidebar.number_input if w.label == "Champions")
    champions.set_value(3).run()
    assert not app.exception, app.exception
    notes = [i.value for i in app.info]
    wanted = "champions.target fixed at 3 for this run; its uncertainty is off"
    assert wanted in notes, notes


def test_what_it_means_is_paragraphs_and_tables_with_keys_on_request(app):
    import re

    dotted = re.compile(r"\b[a-z_]+\.[a-z_]+\.[a-z_]+\b")
    expander = app.expander[0]
    inside = {id(e.proto) for e in expander.markdown} if hasattr(expander, "markdown") else set()
    outside = [m.value for m in app.main.markdown if id(m.proto) not in inside]
    assert any(v.startswith("#### Workforce") for v in outside), outside[:5]
    assert all(not dotted.search(v) for v in outside), [v for v in outside if dotted.search(v)]
    assert app.table, "no small tables"
    assert "Provenance" in "".join(m.value for m in expander.markdown), "keys not on request"


def test_a_council_start_opens_without_a_warning(app):
    app.sidebar.radio[0].set_value("A council's DfE figures").run()
    # Leeds starts with fewer staff than the template's places, so they are lowered.
    app.sidebar.selectbox(key="council").set_value("Leeds").run()
    assert not app.exception, app.exception
    assert [w.value for w in app.sidebar.warning] == [], [w.value for w in app.sidebar.warning]
    notes = [i.value for i in app.sidebar.info]
    assert any(n.startswith("So that every cohort fills") for n in notes), notes
    from sim.councils.builder import next_april

    assert app.sidebar.date_input(key="start").value == next_april()


def test_phase_2s_cohort_warnings_sit_under_phase_2s_cohorts(app):
    supplies = next(w for w in app.sidebar.multiselect if w.label.startswith("What Phase 2"))
    supplies.set_value(["foundation", "mentoring"]).run()
    cohorts = next(w for w in app.sidebar.number_input if w.label == "Cohorts in Phase 2")
    cohorts.set_value(12).run()
    assert not app.exception, app.exception
    order = [
        (type(e).__name__, str(getattr(e, "label", None) or getattr(e, "value", "")))
        for e in app.sidebar
    ]
    warnings = [i for i, (kind, _) in enumerate(order) if kind == "Warning"]
    assert warnings, order
    lever = order.index(("NumberInput", "Cohorts in Phase 2"))
    champions = order.index(("Subheader", "Champions"))
    phase_1 = order.index(("NumberInput", "Cohorts"))
    assert all(lever < i < champions for i in warnings), (warnings, lever, champions)
    assert all(i > phase_1 + 2 for i in warnings), "a warning under Phase 1's cohorts"


def test_the_phase_2_question_runs_in_the_background_and_answers(app):
    app.sidebar.number_input(key="reps").set_value(2).run()
    app.multiselect(key="delays").set_value([0, 6]).run()
    until_done(app.button(key="sweep").click().run(), TIMEOUT)
    assert not app.exception, app.exception
    answers = [s.value for s in app.success]
    assert any(a.startswith("Of the delays tried") for a in answers), answers
    rows = [t.value for t in app.table if len(t.value) == 2]
    assert rows, "no table of the two delays"
