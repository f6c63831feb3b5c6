"""Draw the pictures of docs/model.md with matplotlib.

- ``docs/images/staff-life.png``: the states a post and its holder pass through (vacancy,
  agency cover, in post, in training, trained, practising, lapsed, champion, leaver) and
  what moves them between states.
- ``docs/images/programme-calendar.png``: the Camden programme as ``scenarios/camden.toml``
  describes it: the phases and the gap, what each supplies, every foundation cohort's
  sessions, live mentoring and supported group supervision, and when champions start.

- ``docs/images/theory-of-change.png``: every lever of the registry
  (``sim/scenario/levers.py``), the mechanism it works through, and the measures each
  mechanism should move; drawn from the registry, so it follows it.

The calendar is read from the scenario file (phase dates, cohort design, mentoring months),
so it follows the file when the file changes. Run from the repository root::

    .venv/bin/python docs/diagrams.py
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.scenario import levers as registry  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402
from sim.scenario.clock import DAYS_PER_MONTH, add_months  # noqa: E402
from sim.scenario.phase_calendar import PhaseCalendar, cohort_start_days  # noqa: E402

IMAGES = ROOT / "docs" / "images"

# --------------------------------------------------------------------------- staff life

# name: (x, y, label, colour); three rows, columns 4.2 apart so labels fit between boxes.
BOXES = {
    "leaver": (1.4, 8.4, "Leaver\n(takes the training\nwith them)", "#fcbba1"),
    "vacancy": (1.4, 5.0, "Vacancy\n(post without a\npermanent holder)", "#f2f2f2"),
    "agency": (1.4, 1.6, "Agency worker\ncovers the vacancy", "#fde2c4"),
    "in_post": (5.6, 5.0, "In post,\nuntrained", "#dbe9f6"),
    "waiting": (5.6, 1.6, "Waiting for a\ncohort place or\nchampion induction", "#dbe9f6"),
    "training": (9.8, 5.0, "In training\n(a cohort's\nsessions)", "#c6dbef"),
    "trained": (14.0, 5.0, "Trained\n(not engaged:\nnever practises)", "#9ecae1"),
    "champion": (9.8, 8.4, "Champion\n(meets, inducts,\nruns workshops)", "#bcbddc"),
    "practising": (14.0, 8.4, "Practising\n(level > threshold)", "#74c476"),
    "lapsed": (18.2, 8.4, "Lapsed\n(trained, level\n≤ threshold)", "#fdd0a2"),
}
BOX_W, BOX_H = 2.5, 1.5


def _box(ax, name: str) -> None:
    x, y, label, colour = BOXES[name]
    ax.add_patch(
        FancyBboxPatch(
            (x - BOX_W / 2, y - BOX_H / 2),
            BOX_W,
            BOX_H,
            boxstyle="round,pad=0.05,rounding_size=0.2",
            facecolor=colour,
            edgecolor="#444444",
            linewidth=1.2,
        )
    )
    ax.text(x, y, label, ha="center", va="center", fontsize=10.5)


def _edge(name: str, towards: tuple[float, float]) -> tuple[float, float]:
    """The point where a line from a box's centre towards ``towards`` leaves the box."""
    x, y = BOXES[name][:2]
    dx, dy = towards[0] - x, towards[1] - y
    scale = min(
        (BOX_W / 2 + 0.12) / abs(dx) if dx else float("inf"),
        (BOX_H / 2 + 0.12) / abs(dy) if dy else float("inf"),
    )
    return x + dx * scale, y + dy * scale


def _arrow(ax, a: str, b: str, label: str, at: tuple[float, float], bend: float = 0.0) -> None:
    """An arrow from box ``a`` to box ``b``, its label centred at ``at``."""
    start = _edge(a, BOXES[b][:2])
    end = _edge(b, BOXES[a][:2])
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            connectionstyle=f"arc3,rad={bend}",
            arrowstyle="-|>",
            mutation_scale=18,
            linewidth=1.5,
            color="#333333",
        )
    )
    ax.text(at[0], at[1], label, ha="center", va="center", fontsize=9, color="#08306b")


def staff_life(path: Path) -> None:
    """Draw a member of staff's life in the model: joining, training, practice, leaving."""
    fig, ax = plt.subplots(figsize=(16, 9))
    ax.set_xlim(-0.2, 19.8)
    ax.set_ylim(0.0, 10.0)
    ax.axis("off")
    for name in BOXES:
        _box(ax, name)
    _arrow(ax, "leaver", "vacancy", "the post\nfalls vacant", at=(2.3, 6.75))
    _arrow(ax, "vacancy", "in_post", "hired after an\nexponential\ndelay", at=(3.5, 4.5))
    _arrow(ax, "vacancy", "agency", "covered for the\nwhole vacancy\n(agency_cover)", at=(2.6, 3.3))
    _arrow(
        ax,
        "in_post",
        "leaver",
        "turnover: constant\nhazard, from every\nin-post state",
        at=(4.6, 7.5),
    )
    _arrow(ax, "in_post", "training", "given a place\n(allocation)", at=(7.7, 4.45))
    _arrow(
        ax, "training", "in_post", "did not complete:\nback to the pool", at=(7.7, 6.55), bend=0.9
    )
    _arrow(ax, "in_post", "waiting", "a route\nis open", at=(6.25, 3.3))
    _arrow(ax, "waiting", "training", "place in a\nlater cohort", at=(8.65, 2.95))
    _arrow(ax, "waiting", "trained", "champion induction\n(new starters)", at=(10.9, 2.75))
    _arrow(ax, "training", "trained", "attended ≥\nmin_days_to_\ncomplete", at=(11.9, 5.95))
    _arrow(ax, "trained", "practising", "engaged\n(uptake,\ndecided once)", at=(14.85, 6.7))
    _arrow(ax, "practising", "lapsed", "level decays\n(half-life)", at=(16.1, 9.45), bend=-0.4)
    _arrow(ax, "lapsed", "practising", "reinforced\nabove threshold", at=(16.1, 7.35), bend=-0.4)
    _arrow(ax, "practising", "champion", "appointed\n(target, roles)", at=(11.9, 9.0))
    ax.set_title(
        "A post and its holders: states (boxes) and what moves people between them",
        fontsize=14,
        loc="left",
    )
    ax.text(
        -0.1,
        0.15,
        "Turnover applies in every in-post state (training, trained, practising, lapsed, "
        "champion); a champion who steps down stays practising. Agency workers get a place "
        "only if offer_agency is true\nand are never counted in headcount or coverage. "
        "Waiting is a count, not a separate step: untrained staff for whom a place or an "
        "induction is still to come.",
        fontsize=9.5,
        color="#555555",
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --------------------------------------------------------------------------- calendar


def programme_calendar(scenario_path: Path, path: Path) -> None:
    """Draw Camden's phase calendar: phases, gaps and what each supplies."""
    scenario = load_scenario(scenario_path)
    from sim.scenario.clock import Clock

    start = scenario.scenario.start
    clock = Clock(start, scenario.scenario.horizon_months)
    calendar = PhaseCalendar(scenario, clock)
    horizon = add_months(start, scenario.scenario.horizon_months)

    def when(day: float) -> date:
        return start + timedelta(days=float(day))

    fig, ax = plt.subplots(figsize=(15, 9))
    rows: list[str] = []

    def row(label: str) -> int:
        rows.append(label)
        return len(rows) - 1

    # Phases and gaps, on the top row.
    top = row("Phases")
    colours = ["#c6dbef", "#c7e9c0", "#fdd0a2", "#dadaeb"]
    for span in calendar.spans:
        a, b = when(span.start_day), when(span.end_day)
        ax.barh(top, b - a, left=a, height=0.8, color=colours[span.index % 4], edgecolor="#333")
        items = list(span.phase.supplies)
        supplies = "\n".join(", ".join(items[i : i + 2]) for i in range(0, len(items), 2))
        ax.text(
            a + (b - a) / 2,
            top,
            f"{span.phase.name}\n{supplies}",
            ha="center",
            va="center",
            fontsize=8.5,
        )
        ax.axvspan(a, b, color=colours[span.index % 4], alpha=0.18, zorder=0)
    for before, after in zip(calendar.spans, calendar.spans[1:], strict=False):
        a, b = when(before.end_day), when(after.start_day)
        if b > a:
            ax.barh(top, b - a, left=a, height=0.8, color="white", edgecolor="#c00", hatch="//")
            ax.annotate(
                "gap: nothing external runs",
                xy=(a + (b - a) / 2, top + 0.4),
                xytext=(a + (b - a) / 2 + timedelta(days=40), top + 0.9),
                fontsize=8.5,
                color="#c00",
                arrowprops={"arrowstyle": "->", "color": "#c00"},
            )

    # Foundation cohorts: one row each, a mark per session (sessions after the phase: lost).
    for span in calendar.spans:
        if "foundation" not in span.phase.supplies:
            continue
        design = scenario.programme.foundation_for(span.phase)
        for number, first in enumerate(cohort_start_days(span, design), start=1):
            y = row(f"{span.phase.name} cohort {number}")
            last = first + design.sessions[-1].after_months * DAYS_PER_MONTH
            ax.plot([when(first), when(min(last, span.end_day))], [y, y], color="#6baed6", lw=2)
            for session in design.sessions:
                day = first + session.after_months * DAYS_PER_MONTH
                held = day < span.end_day
                ax.scatter(
                    [when(day)],
                    [y],
                    s=30 + 30 * session.days,
                    color="#08519c" if held else "white",
                    edgecolor="#08519c",
                    zorder=3,
                )
            if number == 1:
                pattern = ", ".join(
                    f"{s.days:g} d at +{s.after_months:g} mo" for s in design.sessions
                )
                ax.text(
                    when(last) + timedelta(days=25),
                    y,
                    f"sessions: {pattern}; trained if ≥ {design.days_to_complete:g} days "
                    f"attended; {design.cohort_size} places, a cohort every "
                    f"{design.interval_months:g} months",
                    va="center",
                    fontsize=8,
                )

    # Mentoring and supported supervision, shown for the first cohort's supervisors.
    mentoring = scenario.programme.mentoring
    mentor_span = next((s for s in calendar.spans if "mentoring" in s.phase.supplies), None)
    if mentor_span is not None:
        design = scenario.programme.foundation_for(mentor_span.phase)
        first_cohort = cohort_start_days(mentor_span, design)[0]
        done = first_cohort + design.sessions[-1].after_months * DAYS_PER_MONTH
        month = clock.month_of(done) + 1  # groups form at the next month start
        y = row("First cohort's supervisors:\nlive mentoring, then\nsupported supervision")
        begin = add_months(start, month)
        mentor_end = add_months(begin, mentoring.months)
        support_end = add_months(begin, max(mentoring.months, mentoring.supported_months))
        ax.barh(y, mentor_end - begin, left=begin, height=0.55, color="#31a354")
        ax.barh(y, support_end - mentor_end, left=mentor_end, height=0.55, color="#a1d99b")
        ax.text(
            begin + (mentor_end - begin) / 2,
            y,
            f"mentoring\n{mentoring.months} months",
            ha="center",
            va="center",
            fontsize=7.5,
            color="white",
        )
        ax.text(
            mentor_end + (support_end - mentor_end) / 2,
            y,
            "supported\nsupervision",
            ha="center",
            va="center",
            fontsize=7.5,
        )

    champions = scenario.champions
    if champions.target > 0:
        y = row("Champions")
        appoint = champions.appoint_from or start
        end = add_months(start, scenario.scenario.horizon_months)
        ax.barh(y, end - appoint, left=appoint, height=0.55, color="#bcbddc")
        ax.text(
            appoint + timedelta(days=20),
            y,
            f"{champions.target} appointed; meet every "
            f"{champions.meeting_interval_months} month(s), supervised while a phase "
            f"supplies champion_supervision; on their own to the horizon (end of "
            f"{horizon - timedelta(days=1):%b %Y})",
            va="center",
            fontsize=8,
        )

    ax.set_yticks(range(len(rows)), rows, fontsize=8.5)
    ax.invert_yaxis()
    shown_to = min(horizon, when(calendar.spans[-1].end_day) + timedelta(days=400))
    ax.set_xlim(start, shown_to)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.grid(axis="x", color="#dddddd")
    ax.set_title(
        f"The {scenario.name} programme calendar (scenarios/camden.toml): phases, the gap, "
        "cohorts and their sessions (filled: held; open: cancelled by the phase's end)",
        fontsize=11.5,
        loc="left",
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def dose_response(scenario_path: Path, path: Path) -> None:
    """The saturating dose-response of the scenario's practice table: the chance of taking
    the practice up at once, and the starting level, by days of training completed.
    """
    import numpy as np

    from sim.scenario.loading import load_scenario

    practice = load_scenario(scenario_path).practice
    days = np.linspace(0.0, 24.0, 241)
    r = np.broadcast_to(practice.effect(days), days.shape)
    fig, ax = plt.subplots(figsize=(8.2, 4.4))
    ax.plot(
        days, practice.uptake * r, color="#1f5f99", lw=2.2, label="takes the practice up at once"
    )
    level = practice.threshold + (1 - practice.threshold) * r
    ax.plot(days, level, color="#b35900", lw=2.2, ls="--", label="starting level (full = 1)")
    ax.axhline(practice.uptake, color="#1f5f99", lw=0.8, ls=":")
    ax.text(
        24,
        practice.uptake + 0.01,
        f"uptake at a saturating dose ({practice.uptake:.0%})",
        ha="right",
        va="bottom",
        fontsize=9,
        color="#1f5f99",
    )
    for d, name in (
        (1, "a one-day workshop"),
        (5, "Camden's five days"),
        (18, "Havering's 18 days"),
    ):
        y = practice.uptake * float(practice.effect(d))
        ax.plot([d], [y], "o", color="#1f5f99")
        ax.annotate(
            f"{name}: {y:.0%}", (d, y), xytext=(6, -16), textcoords="offset points", fontsize=9
        )
    ax.set_xlim(0, 24)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("days of training completed")
    ax.set_ylabel("probability / level")
    ax.set_title(
        f"Dose-response: r(d) = d / (d + {practice.dose_half_days:g}); at once uptake·r(d), "
        "level θ + (1 − θ)·r(d)",
        fontsize=10.5,
        loc="left",
    )
    ax.legend(loc="lower right", frameon=False)
    ax.grid(alpha=0.25)


# --------------------------------------------------------------------------- theory of change

MEASURE_BOXES = {
    "coverage": "Coverage\n(share trained;\ncoverage_m36)",
    "practice": "Practice\n(practising\nperson-months)",
    "cost": "Cost\n(provider and\nstaff days)",
}
MECHANISM_COLOURS = {
    "dose": "#c6dbef",
    "reinforcement": "#74c476",
    "team_learning": "#a1d99b",
    "engagement": "#9ecae1",
    "champions": "#bcbddc",
    "workforce": "#fde2c4",
    "calendar": "#f2f2f2",
    "cost": "#fcbba1",
}
PLACEHOLDERS = {"{phase}": "a later phase", "{group}": "a group", "{supply}": "a supply"}


def _plain_label(text: str) -> str:
    for placeholder, words in PLACEHOLDERS.items():
        text = text.replace(placeholder, words)
    return text[:1].upper() + text[1:]


def theory_of_change(path: Path) -> None:
    """Levers (left, grouped by mechanism) -> mechanisms (middle) -> measures (right).

    Every lever of the registry, once; a lever the documentation calls active in black, one
    that should move no practice (cost only, the window measured) in grey.
    """
    order = list(registry.MECHANISMS)
    levers = sorted(registry.LEVERS, key=lambda lever: order.index(lever.mechanism))
    rows = len(levers)
    fig, ax = plt.subplots(figsize=(11, 0.26 * rows + 1.2))
    ax.set_xlim(0, 11)
    ax.set_ylim(-0.8, rows)
    ax.axis("off")
    lever_y = {id(lever): rows - 1 - i for i, lever in enumerate(levers)}
    mech_y = {}
    for name in order:
        ys = [lever_y[id(lever)] for lever in levers if lever.mechanism == name]
        mech_y[name] = sum(ys) / len(ys) if ys else 0.0
    measure_y = {"coverage": rows * 0.75, "practice": rows * 0.45, "cost": rows * 0.08}
    for lever in levers:
        y = lever_y[id(lever)]
        colour = "#222222" if lever.active else "#999999"
        ax.text(3.6, y, _plain_label(lever.label), ha="right", va="center", fontsize=7,
                color=colour)  # fmt: skip
        ax.plot([3.7, 5.0], [y, mech_y[lever.mechanism]], color=colour, lw=0.5, alpha=0.6)
    for name, label in registry.MECHANISMS.items():
        y = mech_y[name]
        ax.add_patch(
            FancyBboxPatch((5.0, y - 0.55), 1.9, 1.1, boxstyle="round,pad=0.05",
                           fc=MECHANISM_COLOURS[name], ec="#555555", lw=0.8)
        )  # fmt: skip
        ax.text(5.95, y, label[:1].upper() + label[1:], ha="center", va="center", fontsize=8)
        for measure in registry.MOVES[name]:
            ax.add_patch(
                FancyArrowPatch((6.95, y), (8.6, measure_y[measure]), arrowstyle="-|>",
                                mutation_scale=8, color="#555555", lw=0.7)
            )  # fmt: skip
    for name, label in MEASURE_BOXES.items():
        y = measure_y[name]
        ax.add_patch(
            FancyBboxPatch((8.65, y - 1.2), 2.0, 2.4, boxstyle="round,pad=0.05",
                           fc="#ffffff", ec="#222222", lw=1.0)
        )  # fmt: skip
        ax.text(9.65, y, label, ha="center", va="center", fontsize=9)
    ax.text(3.6, rows - 0.2, "Levers", ha="right", fontsize=10, weight="bold")
    ax.text(5.95, rows - 0.2, "Mechanisms", ha="center", fontsize=10, weight="bold")
    ax.text(9.65, rows - 0.2, "Measures", ha="center", fontsize=10, weight="bold")
    ax.text(
        0.0, -0.7,
        "Black: the documentation calls the lever active (it should move practice or "
        "coverage); grey: it should not (cost only, the window measured). "
        "`rollout levers` checks each one.",
        fontsize=7, color="#555555",
    )  # fmt: skip
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    """Draw every diagram of docs/ into docs/images/."""
    IMAGES.mkdir(parents=True, exist_ok=True)
    staff_life(IMAGES / "staff-life.png")
    programme_calendar(ROOT / "scenarios" / "camden.toml", IMAGES / "programme-calendar.png")
    dose_response(ROOT / "scenarios" / "camden.toml", IMAGES / "dose-response.png")
    theory_of_change(IMAGES / "theory-of-change.png")
    print(
        f"wrote {IMAGES / 'staff-life.png'}, {IMAGES / 'programme-calendar.png'}, "
        f"{IMAGES / 'dose-response.png'} and {IMAGES / 'theory-of-change.png'}"
    )


if __name__ == "__main__":
    main()
