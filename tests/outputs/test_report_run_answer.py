"""A run's report answers in sentences that read: each figure after its label, one a sentence."""

from __future__ import annotations

import html
import re

import pytest
from experiments.expkit import cohort_scenario

from sim import experiments, outputs
from sim.outputs.report import write_report


@pytest.fixture(scope="module")
def answer(tmp_path_factory):
    folder = tmp_path_factory.mktemp("answer") / "run"
    result = experiments.run(cohort_scenario(4, horizon_months=30), reps=12, seed=3, out=folder)
    outputs.draw(result)
    page, _ = write_report(folder)
    body = page.read_text(encoding="utf-8")
    part = body[body.index("The answer") : body.index("The strategies")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)).split())


def test_the_answer_labels_each_figure(answer):
    assert "Share of permanent staff trained in " in answer, answer
    assert "Practising person-months over the whole run: on average " in answer, answer
    assert "Total cost: £" in answer or "Total cost: on average £" in answer, answer


def test_no_figure_sits_inside_a_clause(answer):
    assert "of on average" not in answer, f"'a cost of on average': {answer}"
    assert "are trained and" not in answer, f"a figure inside a clause: {answer}"
