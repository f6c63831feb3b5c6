"""The sidebar's "Workforce shock" section, run by Streamlit's AppTest: off by default and
then the scenario is what it was; on, its controls reach the Levers and the scenario the
run gets (so a comparison strategy carries the shock); a shock past the horizon is warned
of under the control; and a big shock means more leavers in the model.
"""

from __future__ import annotations

import io

import pytest

pytest.importorskip("streamlit")
from conftest import base_data, make_scenario  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from sim.app import logic, page  # noqa: E402

TIMEOUT = 180  # seconds; a busy two-core machine draws the page well within this
ADD = "Add the current levers as a strategy"
TOGGLE = "Model a workforce shock"


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(page.__file__, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, f"the page raised: {at.exception}"
    return at


def _toggle(at: AppTest, label: str):
    return next(t for t in at.sidebar.toggle if t.label == label)


def _number(at: AppTest, label: str):
    return next(n for n in at.sidebar.number_input if n.label.startswith(label))


def _strategy_scenario(at: AppTest):
    """The scenario the page hands a comparison (the levers as they stand), from its JSON."""
    next(b for b in at.button if b.label == ADD).click().run()
    assert not at.exception, at.exception
    (name, text), *_ = at.session_state["strategies"]
    return text, logic.from_json(text)


def test_the_section_is_off_and_its_controls_hidden_until_turned_on(app):
    assert [e.label for e in app.sidebar.expander if e.label == "Workforce shock"], [
        e.label for e in app.sidebar.expander
    ]
    assert _toggle(app, TOGGLE).value is False
    labels = [n.label for n in app.sidebar.number_input]
    assert not [label for label in labels if label.startswith("Shock:")], labels


def test_left_off_the_scenario_json_is_as_before(app):
    text, _ = _strategy_scenario(app)
    assert text == logic.to_json(logic.from_bundled("camden"))


def test_turning_it_on_sets_the_shock_the_run_gets(app):
    _toggle(app, TOGGLE).set_value(True).run()
    assert not app.exception, app.exception
    _number(app, "Shock: added turnover").set_value(5.0)
    _number(app, "Shock: months").set_value(12)
    _number(app, "Shock: start").set_value(6)
    _toggle(app, "Shock: recruitment freeze").set_value(True).run()
    assert not app.exception, app.exception
    text, scenario = _strategy_scenario(app)
    shock = scenario.workforce.shock
    assert logic.from_bundled("camden").workforce.shock is None, "pick a scenario without one"
    assert shock is not None, "the levers gave no shock"
    assert (shock.turnover_points, shock.months, shock.start_after_months) == (5.0, 12.0, 6.0)
    assert shock.hiring_freeze is True
    assert shock.posts_cut == 0.0
    # The same scenario as the Levers dataclass makes it, applied through logic.
    camden = logic.from_bundled("camden")
    levers = logic.with_shock(
        logic.levers_of(camden),
        {
            "shock_turnover_points": 5.0,
            "shock_start_after_months": 6.0,
            "shock_months": 12.0,
            "shock_hiring_freeze": True,
            "shock_posts_cut": 0.0,
        },
    )
    assert levers.shock_turnover_points == 5.0, levers
    assert levers.shock_months == 12.0, levers
    assert text == logic.to_json(logic.apply_levers(camden, levers))


def test_a_shock_past_the_horizon_is_warned_of_under_its_control(app):
    _toggle(app, TOGGLE).set_value(True).run()
    _number(app, "Shock: months").set_value(600).run()
    assert not app.exception, app.exception
    (box,) = [e for e in app.sidebar.expander if e.label == "Workforce shock"]
    warned = [w.value for w in box.warning]
    assert any("runs past the horizon's end" in w for w in warned), warned


def test_turning_it_off_again_keeps_the_levers_shock_free():
    camden = logic.from_bundled("camden")
    on = logic.with_shock(logic.levers_of(camden), logic.SHOCK_SUGGESTED)
    assert logic.lever_changes(camden, on), "the shock changed nothing"
    off = logic.with_shock(on, None)
    assert logic.lever_changes(camden, off) == {}
    assert logic.to_json(logic.apply_levers(camden, off)) == logic.to_json(camden)


def test_the_scenario_s_own_shock_stays_when_off_and_is_moved_when_on():
    own = make_scenario(
        base_data(), workforce__shock={"turnover_points": 2.0, "months": 6.0, "posts_cut": 0.1}
    )
    now = logic.levers_of(own)
    assert logic.apply_levers(own, logic.with_shock(now, None)) == own
    moved = logic.apply_levers(
        own, logic.with_shock(now, {**logic.shock_of(own), "shock_months": 9.0})
    )
    assert (moved.workforce.shock.months, moved.workforce.shock.posts_cut) == (9.0, 0.1)


def _mean_leavers(scenario) -> float:
    import pandas as pd

    result = logic.run_experiment(logic.to_json(scenario), seed=7, reps=5)
    table = pd.read_csv(io.BytesIO(result["files"]["timeseries.csv"]))
    return table.groupby("rep")["leavers"].sum().mean()


def test_a_big_shock_means_more_leavers():
    data = base_data()
    data["workforce"]["roles"]["worker"].update(posts=20, turnover=0.1)
    calm = make_scenario(data)
    shocked = logic.apply_levers(
        calm,
        logic.with_shock(
            logic.levers_of(calm),
            {
                **logic.SHOCK_SUGGESTED,
                "shock_turnover_points": 30.0,
                "shock_start_after_months": 0.0,
            },
        ),
    )
    assert shocked.workforce.shock.turnover_points == 30.0
    assert _mean_leavers(shocked) > _mean_leavers(calm)


def test_the_heading_says_the_shock_in_words():
    camden = logic.from_bundled("camden")
    shocked = logic.apply_levers(
        camden, logic.with_shock(logic.levers_of(camden), logic.SHOCK_SUGGESTED)
    )
    words = logic.heading_words(camden, shocked)
    assert "Shock adds 5 percentage points to every role's annual turnover" in words, words
    assert "Shock lasts 12 months" in words, words
    assert "None" not in words, words


def test_the_heading_says_a_cut_as_a_percentage_and_restore_as_a_sentence():
    camden = logic.from_bundled("camden")
    cut = {**logic.SHOCK_SUGGESTED, "shock_posts_cut": 0.1}
    shocked = logic.apply_levers(camden, logic.with_shock(logic.levers_of(camden), cut))
    words = logic.heading_words(camden, shocked)
    assert "Shock cuts 10% of each role's posts when it begins" in words, words
    assert "Posts cut are not restored when the shock ends" in words, words
    assert "share" not in words, words
    assert "Restore of shock" not in words, words


def test_a_saved_plan_keeps_the_shock():
    from sim.scenario.loading import resolve_scenario
    from sim.scenario.writing import to_toml

    camden = logic.from_bundled("camden")
    shocked = logic.apply_levers(
        camden,
        logic.with_shock(
            logic.levers_of(camden), {**logic.SHOCK_SUGGESTED, "shock_hiring_freeze": True}
        ),
    )
    original = resolve_scenario("camden").read_text(encoding="utf-8")
    text = to_toml(shocked, original=original)
    again = logic.from_upload("plan", text.encode("utf-8"))
    assert again.workforce.shock == shocked.workforce.shock, text
