"""How well each projection method would have foreseen what the DfE later published.

For every council with figures in the fitted years (by default 2017–2020), each method of
:mod:`.projection` projects each measure over the checked years (2021–2025), with the
national spread measured on the fitted years only, and the projection is set against the
published figures:

- **coverage**: the share of council-years whose published figure lies inside the 90 %
  band (5th to 95th percentile; a calibrated band covers about 90 %);
- **error**: the median, over council-years, of the absolute error of the projection's
  median (points for a rate, per cent of the published figure for a count), and the same
  for the naive forecast (the last fitted value carried forward); their ratio (below 1:
  better than naive).

Run it to print the table and draw ``docs/images/projection-hindcast.png``::

    python -m sim.councils.projection_hindcast [--fit 2017:2020] [--check 2021:2025]
        [--csv FILE] [--png FILE]

It reads the figures only; it runs no simulation.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .projection import DEFAULT_METHOD, MEASURES, METHODS, national_spread, project, series

LOW, HIGH = 0.05, 0.95
PICTURE = Path("docs/images/projection-hindcast.png")


@dataclass(frozen=True)
class Score:
    """One method's hindcast of one measure, over every council-year it could be checked."""

    measure: str
    method: str
    councils: int
    council_years: int
    inside: int
    error: float
    naive_error: float
    width: float = math.nan
    by_year: tuple[tuple[int, int, int], ...] = ()  # (year, inside, council-years)

    @property
    def coverage(self) -> float:
        """The share of council-years inside the band."""
        return self.inside / self.council_years if self.council_years else math.nan

    @property
    def ratio(self) -> float:
        """Median error over the naive forecast's (nan when naive is exact everywhere)."""
        return self.error / self.naive_error if self.naive_error > 0 else math.nan


def error(measure: str, projected: float, observed: float) -> float:
    """Absolute error: points for a rate, per cent of the observed figure for a count."""
    if MEASURES[measure].kind == "rate":
        return 100.0 * abs(projected - observed)
    return 100.0 * abs(projected - observed) / observed if observed > 0 else math.nan


def width(measure: str, low: float, high: float, observed: float) -> float:
    """The 90 % band's width: points for a rate, per cent of the observed figure for a count."""
    if MEASURES[measure].kind == "rate":
        return 100.0 * (high - low)
    return 100.0 * (high - low) / observed if observed > 0 else math.nan


def hindcast(
    panel: Mapping[str, Mapping[int, Mapping[str, float | None]]],
    fit: Sequence[int],
    check: Sequence[int],
    methods: Sequence[str] = METHODS,
    measures: Sequence[str] = tuple(MEASURES),
) -> list[Score]:
    """Score every method on every measure over the councils of ``panel``.

    A council counts for a measure when the method can be fitted on its published fitted
    years (enough of them) and at least one checked year is published; each published
    checked year is one council-year.
    """
    fit, check = sorted(fit), sorted(check)
    scores = []
    for measure in measures:
        spread = national_spread(panel, measure, fit)
        for method in methods:
            inside = total = councils = 0
            errors, naive_errors, widths = [], [], []
            per_year = {int(year): [0, 0] for year in check}
            for history in panel.values():
                try:
                    projection = project(
                        history, measure, fit, check, method, spread, (LOW, 0.5, HIGH)
                    )
                    naive = project(history, measure, fit, check, "naive", None, (0.5,))
                    years, observed = series(history, measure, check)
                except ValueError:  # too few fitted years, or none checked
                    continue
                if not len(years):
                    continue
                councils += 1
                for year, seen in zip(years, observed, strict=True):
                    i = projection.years.index(int(year))
                    low, median, high = projection.values[i]
                    hit = bool(low <= seen <= high)
                    inside += hit
                    total += 1
                    per_year[int(year)][0] += hit
                    per_year[int(year)][1] += 1
                    widths.append(width(measure, low, high, seen))
                    errors.append(error(measure, median, seen))
                    naive_errors.append(error(measure, naive.values[i, 0], seen))
            errors = [e for e in errors if not math.isnan(e)]
            naive_errors = [e for e in naive_errors if not math.isnan(e)]
            scores.append(
                Score(
                    measure,
                    method,
                    councils,
                    total,
                    inside,
                    statistics.median(errors) if errors else math.nan,
                    statistics.median(naive_errors) if naive_errors else math.nan,
                    statistics.median(w for w in widths if not math.isnan(w))
                    if widths
                    else math.nan,
                    tuple((year, hit, n) for year, (hit, n) in per_year.items()),
                )
            )
    return scores


def table(scores: Sequence[Score]) -> str:
    """The scores as a Markdown table, a measure's methods together."""
    lines = [
        "| measure | method | councils | council-years | inside 90 % band | band width "
        "| median error | naive's | ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        unit = "pt" if MEASURES[s.measure].kind == "rate" else "%"
        lines.append(
            f"| {MEASURES[s.measure].label} | {s.method} | {s.councils} | {s.council_years} "
            f"| {100 * s.coverage:.1f} % | {s.width:.1f} {unit} | {s.error:.2f} {unit} "
            f"| {s.naive_error:.2f} {unit} | {s.ratio:.2f} |"
        )
    return "\n".join(lines)


def summary(scores: Sequence[Score]) -> str:
    """A method per row, a measure per column: the share inside the 90 % band, and the
    median error over the naive forecast's, as ``90.3 % · 1.00``.
    """
    measures = list(dict.fromkeys(s.measure for s in scores))
    methods = list(dict.fromkeys(s.method for s in scores))
    index = {(s.measure, s.method): s for s in scores}
    lines = [
        "| method | " + " | ".join(MEASURES[m].label for m in measures) + " |",
        "|---|" + "---:|" * len(measures),
    ]
    for method in methods:
        cells = []
        for measure in measures:
            s = index.get((measure, method))
            cells.append(f"{100 * s.coverage:.1f} % · {s.ratio:.2f}" if s else "")
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_csv(scores: Sequence[Score], path: Path) -> None:
    """The scores, one row per measure and method."""
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "measure",
                "method",
                "councils",
                "council_years",
                "inside",
                "coverage",
                "band_width",
                "median_error",
                "naive_median_error",
                "ratio",
            ]
        )
        for s in scores:
            out.writerow(
                [
                    s.measure,
                    s.method,
                    s.councils,
                    s.council_years,
                    s.inside,
                    f"{s.coverage:.4f}",
                    f"{s.width:.4f}",
                    f"{s.error:.4f}",
                    f"{s.naive_error:.4f}",
                    f"{s.ratio:.4f}",
                ]
            )


def picture(
    scores: Sequence[Score], path: Path, fit: str, check: str, chosen: str = DEFAULT_METHOD
) -> None:
    """Coverage of the 90 % band per method (left), median error against naive's (middle),
    and the chosen method's coverage year by year (right).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    measures = list(dict.fromkeys(s.measure for s in scores))
    methods = [m for m in METHODS if any(s.method == m for s in scores)]
    index = {(s.measure, s.method): s for s in scores}
    fig, (left, middle, right) = plt.subplots(
        1, 3, figsize=(14, 5.6), gridspec_kw={"width_ratios": [1.2, 1.2, 1]}
    )
    width = 0.8 / len(measures)
    colours = plt.get_cmap("tab10")
    for k, measure in enumerate(measures):
        ys = [i + (k - (len(measures) - 1) / 2) * width for i in range(len(methods))]
        label = MEASURES[measure].label
        left.barh(
            ys,
            [100 * index[measure, m].coverage for m in methods],
            height=width,
            color=colours(k),
            label=label,
        )
        middle.barh(
            ys,
            [index[measure, m].ratio for m in methods],
            height=width,
            color=colours(k),
            label=label,
        )
        if (measure, chosen) in index:
            years = index[measure, chosen].by_year
            right.plot(
                [y for y, _, _ in years],
                [100 * hit / n if n else math.nan for _, hit, n in years],
                marker="o",
                color=colours(k),
                label=label,
            )
    for axis in (left, middle):
        axis.set_yticks(range(len(methods)), methods)
        axis.set_ylim(len(methods) - 0.5, -0.5)
    middle.tick_params(labelleft=False)
    left.axvline(90, color="black", lw=1)
    left.axvline(80, color="black", lw=1, ls="--")
    left.set_xlim(0, 100)
    left.set_xlabel("council-years inside the 90 % band (%)\nsolid: 90 % claimed; dashed: 80 % aim")
    middle.axvline(1, color="black", lw=1)
    middle.set_xlabel(
        "median error of the median ÷ naive forecast's\n(below 1: better than the last value)"
    )
    right.legend(loc="lower left", fontsize=8)
    right.axhline(90, color="black", lw=1)
    right.axhline(80, color="black", lw=1, ls="--")
    right.set_ylim(50, 100)
    right.set_xlabel("checked year")
    right.set_ylabel("inside the 90 % band (%)")
    right.set_title(f"{chosen}, year by year", fontsize=10)
    fig.suptitle(
        f"Projections fitted on {fit}, checked against the DfE figures for {check}, every council"
    )
    fig.text(
        0.01,
        0.01,
        "Contains public sector information licensed under the Open Government Licence v3.0.",
        fontsize=7,
    )
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the tables and draw the picture; 2 with one line on stderr for bad years."""
    from ..scenario.keys import ScenarioError
    from .figures import councils, parse_years, year_label

    parser = argparse.ArgumentParser(
        prog="python -m sim.councils.projection_hindcast", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--fit", default="2017:2020", help="fitted years, FIRST:LAST")
    parser.add_argument("--check", default="2021:2025", help="checked years, FIRST:LAST")
    parser.add_argument("--csv", type=Path, help="also write the table as CSV here")
    parser.add_argument(
        "--png", type=Path, default=PICTURE, help="the picture (default %(default)s)"
    )
    args = parser.parse_args(argv)
    spans = {}
    try:
        for option, text in (("--fit", args.fit), ("--check", args.check)):
            try:
                first, last = parse_years(text)
            except ScenarioError as exc:
                raise ValueError(str(exc).replace("--years", option, 1)) from None
            spans[option] = range(first, last + 1)
        fit, check = spans["--fit"], spans["--check"]
        if min(check) <= max(fit):
            raise ValueError(f"--check {args.check} must come after --fit {args.fit}")
        panel = {name: council.figures for name, council in councils().items()}
        scores = hindcast(panel, fit, check)
    except ValueError as exc:  # one line, exit 2, nothing written
        print(f"projection_hindcast: {exc}", file=sys.stderr)
        return 2
    print(summary(scores))
    print()
    print(table(scores))
    if args.csv:
        write_csv(scores, args.csv)
    picture(scores, args.png, year_label(list(fit)), year_label(list(check)))
    print(f"\npicture: {args.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
