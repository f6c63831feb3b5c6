"""The optimise folder's files: ``candidates.csv``, ``front.csv``, ``front.png`` and
``choice.md``. Tables are written from the candidates and the choice; the picture reads
the front table, never the model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..experiments.display import MIN_FOR_INTERVAL
from ..experiments.formats import write_csv
from ..model.vocabulary import measure_label, value_text
from ..scenario import formats
from .choice_words import guardrails, measure_line, plan_words, share_line, target_words
from .choose import Choice
from .search import Candidate, Problem
from .space import plan_changes

PARTS = ("mean", "ci_low", "ci_high", "p5", "p95")


def front_members(problem: Problem, candidates: Sequence[Candidate]) -> list[int]:
    """Numbers of the candidates no other beats on both cost (lower) and benefit (higher),
    cheapest first; a plan evaluated twice counts once (its first number).
    """
    benefit = problem.benefit
    points = {}
    for c in candidates:
        key = repr(sorted((k, repr(v)) for k, v in c.plan.items()))
        cost, gain = c.mean(problem.objective), c.mean(benefit)
        if key not in points and math.isfinite(cost) and math.isfinite(gain):
            points[key] = (cost, gain, c.number)
    members = []
    for cost, gain, number in points.values():
        beaten = any(
            (c2 <= cost and g2 >= gain) and (c2 < cost or g2 > gain)
            for c2, g2, _ in points.values()
        )
        if not beaten:
            members.append((cost, -gain, number))
    return [n for *_, n in sorted(members)]


def candidates_table(
    problem: Problem, candidates: Sequence[Candidate], choice: Choice | None
) -> pd.DataFrame:
    """One row per evaluated plan: its lever values, each measure's mean, 95 % interval and
    range of futures (p5, p95), the target's share and interval, whether the search judged
    it feasible, whether it is on the front, compared in the selection, chosen.
    """
    on_front = set(front_members(problem, candidates))
    compared = set(choice.compared) if choice else set()
    rows = []
    for c in candidates:
        # Not the Optuna trial's number: a resumed search numbers its trials past the lost
        # ones, and its table is the unbroken search's, byte for byte.
        row: dict[str, Any] = {"candidate": c.number, "origin": c.origin}
        for key, value in plan_changes(c.plan).items():
            row[key] = " + ".join(map(str, value)) if isinstance(value, list) else value
        for m in problem.measures:
            for part in PARTS:
                row[f"{m}_{part}"] = c.stats.get(f"{m}_{part}")
        if problem.target is not None:
            for part in ("share_met", "share_ci_low", "share_ci_high"):
                row[part] = c.stats.get(part)
        row["futures"] = c.stats.get("n")
        row["feasible"] = c.feasible(problem)
        row["on_front"] = c.number in on_front
        row["compared"] = c.number in compared
        row["chosen"] = choice is not None and choice.chosen == c.number
        rows.append(row)
    return pd.DataFrame(rows)


def front_table(
    problem: Problem, candidates: Sequence[Candidate], choice: Choice | None
) -> pd.DataFrame:
    """The cost–benefit front (the status quo and the chosen plan always listed)."""
    members = front_members(problem, candidates)
    keep = list(
        dict.fromkeys(
            [*members, 0, *([choice.chosen] if choice and choice.chosen is not None else [])]
        )
    )
    rows = []
    for n in keep:
        c = candidates[n]
        rows.append(
            {
                "candidate": n,
                "plan": plan_words(c.plan, problem.scenario) if n else "the scenario as given",
                "cost": c.mean(problem.objective),
                "benefit": c.mean(problem.benefit),
                "feasible": c.feasible(problem),
                "on_front": n in members,
                "status_quo": n == 0,
                "chosen": choice is not None and choice.chosen == n,
            }
        )
    return pd.DataFrame(rows).sort_values(["cost", "candidate"], ignore_index=True)


def draw_front(
    problem: Problem, candidates: Sequence[Candidate], front: pd.DataFrame, path: Path
) -> Path:
    """Every candidate's cost against its benefit, the front joined, the status quo and
    the chosen plan marked, plain labels.
    """
    from ..outputs.canvas import plt, save

    fig, ax = plt.subplots(figsize=(8, 5))
    costs = [c.mean(problem.objective) for c in candidates[1:]]
    gains = [c.mean(problem.benefit) for c in candidates[1:]]
    feasible = [c.feasible(problem) for c in candidates[1:]]
    ok = [(x, y) for x, y, f in zip(costs, gains, feasible, strict=True) if f]
    bad = [(x, y) for x, y, f in zip(costs, gains, feasible, strict=True) if not f]
    if ok:
        ax.scatter(
            *zip(*ok, strict=True),
            s=18,
            color="#1f5fa8",
            label="plans meeting the target" if problem.target else "plans tried",
        )
    if bad:
        ax.scatter(*zip(*bad, strict=True), s=18, color="#bbbbbb", label="plans missing the target")
    line = front[front["on_front"]]
    if len(line):
        ax.plot(line["cost"], line["benefit"], color="#d9730d", lw=1.5, label="the front")
    quo = front[front["status_quo"]]
    ax.scatter(
        quo["cost"],
        quo["benefit"],
        marker="s",
        s=80,
        color="black",
        label="the scenario as given",
        zorder=3,
    )
    chosen = front[front["chosen"]]
    if len(chosen):
        ax.scatter(
            chosen["cost"],
            chosen["benefit"],
            marker="*",
            s=220,
            color="#c0392b",
            label="the plan chosen",
            zorder=4,
        )
    ax.set_xlabel(measure_label(problem.objective))
    ax.set_ylabel(measure_label(problem.benefit))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: value_text(problem.objective, v)))
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: value_text(problem.benefit, v)))
    ax.grid(color="#eeeeee")
    ax.set_title(
        f"{measure_label(problem.objective)} against {measure_label(problem.benefit)}:"
        " every plan tried",
        fontsize=11,
    )
    ax.legend(fontsize=8, loc="best")
    return save(fig, path)


def choice_text(problem: Problem, candidates: Sequence[Candidate], choice: Choice) -> str:
    """``choice.md``: the plan in words, against the status quo, the guarantee, the
    runner-up and the guardrails.
    """
    quo = candidates[0]
    lines = ["# The plan chosen", ""]
    what = f"least {measure_label(problem.objective).lower()}"
    if problem.target is not None:
        what += (
            f" among plans with {target_words(problem.target)} in at least "
            f"{formats.percent(problem.probability)} of futures"
        )
    if problem.target is None and choice.benefit_floor is not None:
        what += (
            f" among plans with {measure_label(problem.benefit).lower()} at least the "
            f"scenario as given's ({value_text(problem.benefit, choice.benefit_floor)})"
        )
    lines += [f"Asked for: the plan with the {what}.", ""]
    if choice.chosen is None:
        lines += [
            "**No plan within the ranges searched meets the target** on fresh futures, the "
            "scenario as given included.",
        ]
    else:
        c = candidates[choice.chosen]
        if choice.chosen == 0:
            lines += ["**Keep the scenario as given**: no plan searched does better.", ""]
        else:
            lines += [f"**{plan_words(c.plan, problem.scenario)}**", ""]
        lines += _figures(problem, c, choice)
        if choice.chosen != 0:
            lines += ["", "Against the scenario as given:", ""]
            lines += _figures(problem, quo, choice)
            saving = quo.mean(problem.objective) - c.mean(problem.objective)
            if math.isfinite(saving):
                what = measure_label(problem.objective).lower()
                amount = value_text(problem.objective, abs(saving))
                less = "less" if saving >= 0 else "more"
                lines += ["", f"Difference in {what} on the search's futures: {amount} {less}"]
    sel = choice.selection
    lines += [
        "",
        "## How sure",
        "",
        sel.guarantee,
        "",
        f"The choice was made on {formats.count(sel.spent)} runs on fresh futures (futures "
        "the search never used), not on the search's "
        f"{formats.count(len(candidates))} plans × {formats.count(problem.reps)} futures.",
    ]
    if choice.runner_up is not None:
        r = candidates[choice.runner_up]
        name = plan_words(r.plan, problem.scenario)
        name = "the scenario as given" if choice.runner_up == 0 else name
        lines += ["", "## Runner-up", "", name, ""]
        lines += _figures(problem, r, choice)
    missed = [choice.compared[i] for i in sel.infeasible]
    if missed:
        lines += [
            "",
            "Found to miss the target on fresh futures: "
            + "; ".join(
                "the scenario as given"
                if n == 0
                else f"{plan_words(candidates[n].plan, problem.scenario)} "
                f"(plan {n} of candidates.csv)"
                for n in missed
            )
            + ".",
        ]
    if choice.chosen not in (None, 0):
        c = candidates[choice.chosen]
        flags = guardrails(c.plan, problem.space, problem.scenario_of(c.plan))
        lines += ["", "## Guardrails", ""]
        none = "- none: no lever at the edge of its range, no more places than staff"
        lines += [f"- {f}" for f in flags] or [none]
    lines += [
        "",
        "## The search",
        "",
        f"{formats.count(len(candidates) - 1)} plans tried, each on the same "
        f"{formats.count(problem.reps)} futures; levers:",
        "",
    ]
    from ..model.vocabulary import key_label

    lines += [f"- {key_label(d.key, problem.scenario)}: {d.text()}" for d in problem.space]
    if problem.target is not None and choice.constraint is not None:
        band = f"{100 * choice.constraint.tolerance:g}"
        lines += [
            "",
            f"A plan counted as meeting the target in the search when at least "
            f"{formats.percent(problem.probability)} of its {formats.count(problem.reps)} "
            "futures met it (candidates.csv gives each share with its 95% interval); the "
            f"choice then checked the finalists again on fresh futures, a plan within {band} "
            "points of the line counting either way.",
        ]
    lines += [
        "",
        "The guarantee is about the noise of simulated futures, not about the scenario's "
        "assumptions.",
        "",
    ]
    return "\n".join(lines)


def _figures(problem: Problem, c: Candidate, choice: Choice) -> list[str]:
    """A plan's figures, each saying the futures it rests on: the search's (every measure,
    the target's share) and, for a plan the choice compared, the objective's mean on the
    fresh futures its decision used (the figures the choice was made on).
    """
    n = int(c.stats.get("n") or 0)
    few = n < MIN_FOR_INTERVAL
    out = [
        f"On the search's {formats.count(n)} futures"
        + (" (too few for an interval):" if few else ":"),
        "",
    ]
    for m in problem.measures:
        low, high = (
            (None, None) if few else (c.stats.get(f"{m}_ci_low"), c.stats.get(f"{m}_ci_high"))
        )
        out.append("- " + measure_line(m, c.mean(m), low, high))
    if problem.target is not None:
        out.append(
            "- "
            + share_line(
                c.stats.get("share_met"), problem.probability, target_words(problem.target)
            )
        )
    if c.number in choice.compared:
        at = choice.compared.index(c.number)
        sel = choice.selection
        mean, futures = sel.means[at], sel.futures[at]
        if math.isfinite(mean):
            out += [
                "",
                f"On the choice's {formats.count(futures)} fresh futures: "
                f"{measure_label(problem.objective).lower()} {value_text(problem.objective, mean)}"
                + (
                    f"; found to meet the target (within {_band(choice)} points)"
                    if at in sel.feasible and problem.target is not None
                    else ""
                ),
            ]
    return out


def _band(choice: Choice) -> str:
    return f"{100 * choice.constraint.tolerance:g}" if choice.constraint is not None else "0"


def write_all(
    folder: Path, problem: Problem, candidates: Sequence[Candidate], choice: Choice
) -> list[str]:
    """Write every table, the picture and ``choice.md``; the files' names."""
    write_csv(candidates_table(problem, candidates, choice), folder / "candidates.csv")
    front = front_table(problem, candidates, choice)
    write_csv(front, folder / "front.csv")
    draw_front(problem, candidates, front, folder / "front.png")
    (folder / "choice.md").write_text(choice_text(problem, candidates, choice), encoding="utf-8")
    return ["candidates.csv", "front.csv", "front.png", "choice.md"]
