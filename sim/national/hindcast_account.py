"""The words and the picture of a hindcast (:mod:`.hindcast`): how often the band of 90 % of
futures held what the DfE published, and how far the futures' mean was from it against the
last fitted year carried forward. Saved as ``hindcast.md`` and ``hindcast.png``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..councils import figures as data
from ..scenario.formats import percent
from .hindcast import AIM, AIMED, MEASURES, MIN_FUTURES, Hindcast, label


def _error(value: float, unit: str) -> str:
    if not np.isfinite(value):
        return "–"
    return f"{value:.1f} points" if unit == "points" else f"{value:.1f}%"


def lines(result: Hindcast) -> list[str]:
    """The account: what was run, then one line per measure, then what was left out."""
    fit, check = data.year_label(list(result.fit)), data.year_label(list(result.check))
    n = len(result.councils)
    out = [
        f"Hindcast: {n} {'council' if n == 1 else 'councils'} built from their DfE figures for "
        f"{fit} (as rollout new --council builds them, with the default projection), run with "
        f"no programme to 30 September {result.check[-1]}, {result.reps} futures each, set "
        f"against what the DfE published for {check}.",
        "Share of council-years inside the band of 90% of futures (a band that means what it "
        "says holds about 90%); median error of the futures' mean, against the last fitted "
        "year carried forward:",
    ]
    for row in result.coverage.itertuples():
        if not row.council_years:
            out.append(f"  {row.label}: no published figure to check")
            continue
        ratio = f" ({row.error_vs_naive:.2f} times)" if np.isfinite(row.error_vs_naive) else ""
        out.append(
            f"  {row.label}: {percent(row.inside_band)} of {row.council_years} council-years "
            f"inside; error {_error(row.median_error, row.unit)}, against "
            f"{_error(row.naive_median_error, row.unit)} for the last year carried "
            f"forward{ratio}"
        )
    if result.reps < MIN_FUTURES:
        out.append(
            f"Note: with {result.reps} futures the band is their lowest to their highest, which "
            f"holds a new future {percent((result.reps - 1) / (result.reps + 1))} of the time, "
            f"not 90%: give --reps {MIN_FUTURES} or more for a band that can mean 90%."
        )
    aimed = result.coverage.set_index("measure")
    missed = [
        label(m) for m in AIMED if m in aimed.index and not aimed.loc[m, "inside_band"] >= AIM
    ]
    if missed:
        out.append(
            f"Below the aim of {percent(AIM)} inside the band: {', '.join(missed)} "
            "(docs/model.md says where the model misses and why)."
        )
    if result.skipped:
        out.append(f"Left out ({len(result.skipped)}):")
        out += [f"  {name}: {why}" for name, why in sorted(result.skipped.items())]
    out.append(f"Source: {data.RELEASE}. {data.ATTRIBUTION}")
    return out


def write(result: Hindcast, said: Sequence[str]) -> str:
    """Save the account as ``hindcast.md`` in the run folder; the file's name."""
    if result.folder is None:
        return ""
    (result.folder / "hindcast.md").write_text("\n".join(said) + "\n", encoding="utf-8")
    return "hindcast.md"


def picture(result: Hindcast, path: Path) -> Path:
    """Left: the share inside the band per measure (90 % claimed, 80 % aimed); right: the
    same per checked year, so a miss that grows with the years shows.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fit, check = data.year_label(list(result.fit)), data.year_label(list(result.check))
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.6), width_ratios=(1, 1.2))
    coverage = result.coverage[result.coverage["council_years"] > 0]
    colours = plt.get_cmap("tab10")
    names = list(MEASURES)
    y = np.arange(len(coverage))
    left.barh(
        y,
        100 * coverage["inside_band"].to_numpy(dtype=float),
        color=[colours(names.index(m)) for m in coverage["measure"]],
    )
    for i, row in enumerate(coverage.itertuples()):
        left.text(
            100 * row.inside_band + 1, i, f"{100 * row.inside_band:.0f}%", va="center", fontsize=9
        )
    left.set_yticks(y, list(coverage["label"]))
    left.invert_yaxis()
    left.axvline(90, color="black", lw=1)
    left.axvline(100 * AIM, color="black", lw=1, ls="--")
    left.set_xlim(0, 110)
    left.set_xlabel(
        "council-years inside the band of 90% of futures (%)\n"
        "solid line: 90% claimed; dashed: 80% aimed for"
    )
    for measure, part in result.by_year.groupby("measure", sort=False):
        right.plot(
            part["year"],
            100 * part["inside_band"],
            marker="o",
            color=colours(names.index(measure)),
            label=label(measure),
        )
    right.axhline(90, color="black", lw=1)
    right.axhline(100 * AIM, color="black", lw=1, ls="--")
    right.set_ylim(0, 105)
    right.set_xticks(list(result.check))
    right.set_xlabel("checked year (DfE figures to 30 September)")
    right.set_ylabel("inside the band (%)")
    right.legend(loc="lower left", fontsize=8)
    fig.suptitle(
        f"{len(result.councils)} councils built from {fit}, run on with no programme, "
        f"checked against {check} ({result.reps} futures each)",
        fontsize=11,
    )
    fig.text(0.01, 0.01, data.ATTRIBUTION, fontsize=7)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def draw(result: Hindcast) -> list[str]:
    """Draw the picture and save the account into the run folder; the files written."""
    from ..experiments.folders import add_files

    if result.folder is None:
        return []
    picture(result, result.folder / "hindcast.png")
    files = ["hindcast.png", write(result, lines(result))]
    add_files(result.folder, files)
    return files
