"""Adding a lever is one entry of the registry: its words reach the vocabulary (so the
tables and the app), its app name the app's keys, and the audit resolves it, without any
other edit.
"""

from __future__ import annotations

from dataclasses import fields

import pytest

from sim.app.logic import LEVER_KEYS, Levers
from sim.model.vocabulary import key_label, key_term
from sim.scenario import levers as resolved
from sim.scenario import load_scenario, resolve_scenario
from sim.scenario.lever_registry import LEVERS, Absolute, Lever, app_keys, lever_for

KEY = "champions.min_group_size"  # a key no lever moves yet
NEW = Lever(
    KEY, "Champions needed for the group to meet", "champions",
    "a larger quorum: the group stops meeting sooner", Absolute(1), True, "champions",
    app="min_group", words=("Smallest working champion group", "Champions needed to meet."),
)  # fmt: skip


def test_the_new_key_is_no_lever_yet():
    assert lever_for(KEY) is None, "pick a key that is not a lever"
    assert key_term(KEY).label != NEW.words[0], key_term(KEY)


def test_one_more_lever_reaches_the_words_and_the_app():
    extended = (*LEVERS, NEW)
    term = key_term(KEY, levers=extended)
    assert (term.label, term.meaning) == NEW.words, term
    assert app_keys(extended)["min_group"] == KEY, app_keys(extended)
    assert lever_for(KEY, extended) is NEW


def test_one_more_lever_is_audited(monkeypatch):
    camden = load_scenario(resolve_scenario("camden"), [])
    monkeypatch.setattr(resolved, "LEVERS", (*LEVERS, NEW))
    (setting,) = [s for s in resolved.settings(camden) if s.id == KEY]
    assert setting.switched_on, setting
    assert setting.label == NEW.label, setting
    assert setting.high[KEY] == setting.low[KEY] + 1, (setting.low, setting.high)


def test_the_app_keys_are_the_registry_s():
    assert app_keys() == LEVER_KEYS, LEVER_KEYS
    assert set(LEVER_KEYS) == {f.name for f in fields(Levers)}, "a lever of the app unnamed"


@pytest.mark.parametrize("name", sorted(app_keys()))
def test_the_app_labels_come_from_the_lever_s_words(name):
    lever = lever_for(LEVER_KEYS[name])
    assert lever.words is not None, f"{lever.key}: the app shows it, yet it has no words"
    # Without a scenario the phases are named by number; the app's is the second phase.
    expected = lever.words[0].format(phase="phase 2", previous="phase 1")
    term = key_term(LEVER_KEYS[name])
    assert (term.label, term.meaning) == (expected, lever.words[1]), (term, lever.words)
    assert key_label(LEVER_KEYS[name]).startswith(expected), key_label(LEVER_KEYS[name])
