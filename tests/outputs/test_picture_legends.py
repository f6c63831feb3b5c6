"""The run's pictures name their bands as the words do ("9 futures in 10") and span the run."""

from __future__ import annotations

from pathlib import Path

import matplotlib.dates as mdates
import pandas as pd
import pytest
from conftest import make_scenario

from sim.experiments import run
from sim.outputs import pictures


@pytest.fixture(scope="module")
def figures():
    """The figures of a tiny run, caught at ``save`` instead of written."""
    scenario = make_scenario()
    result = run(scenario, reps=3, seed=1)
    caught = {}

    def keep(fig, path, *args, **kwargs):
        caught[path.name] = fig
        return path

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pictures, "save", keep)
        dates = list(result.bands.loc[result.bands["measure"] == "coverage", "date"])
        frame = pictures._plot_frame(result.monthly, dates)
        folder = Path("x")
        pictures.coverage_figure(frame, scenario, folder / "coverage.png")
        pictures.fan_chart(result.bands, scenario, folder / "fan.png", 3)
    yield scenario, caught
    for fig in caught.values():
        pictures.plt.close(fig)


def legend_texts(fig):
    return [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().texts]


@pytest.mark.parametrize("name", ["coverage.png", "fan.png"])
def test_the_band_of_futures_is_named_as_in_the_words(figures, name):
    texts = legend_texts(figures[1][name])
    assert any("9 futures in 10" in t for t in texts), f"{name}: legend {texts}"
    assert not any("90% of futures" in t for t in texts), f"{name}: legend {texts}"


def test_the_fan_chart_starts_at_the_run_start(figures):
    scenario, caught = figures
    left, _ = caught["fan.png"].axes[0].get_xlim()
    start = mdates.date2num(pd.Timestamp(scenario.scenario.start))
    assert left == pytest.approx(start), f"left edge {mdates.num2date(left):%Y-%m-%d}"
