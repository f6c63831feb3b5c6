"""The validation report's lever section: the lever audit of every bundled scenario.

For each bundled scenario, :func:`sim.experiments.levers.audit` nudges every lever that is
switched on there, on common random numbers, and compares its paired effect with the noise
floor. The section lists, per scenario, the levers the documentation calls active that sit
on the noise floor (the ones ``tests/levers/test_bundled.py`` fails on), then every lever
with its effect on practising person-months, coverage and practising 36 months in; a picture per
scenario goes beside the report.
"""

from __future__ import annotations

from pathlib import Path

from ..experiments.levers import NOISE, audit
from ..scenario import load_scenario, resolve_scenario
from ..scenario.levers import MEASURES

BUNDLED = ("camden", "havering")
REPS = 20  # futures per lever end; about half a minute a scenario on two cores


def _is_share(measure: str) -> bool:
    """Whether a measure is a share (shown in percentage points), not a count."""
    return measure.startswith(("coverage_m", "practising_share_m"))


def _cell(row, measure: str) -> str:
    effect = row[f"{measure}_effect"]
    low, high = row[f"{measure}_ci_low"], row[f"{measure}_ci_high"]
    if _is_share(measure):
        return f"{100 * effect:+.1f} pp ({100 * low:+.1f} to {100 * high:+.1f})"
    return f"{effect:+,.0f} ({low:+,.0f} to {high:+,.0f})"


def _half(row, measure: str) -> str:
    half = (row[f"{measure}_ci_high"] - row[f"{measure}_ci_low"]) / 2
    if _is_share(measure):
        return f"±{100 * half:.1f} percentage points"
    return f"±{half:,.0f}"


def section(seed: int, folder: Path | None, base: Path, reps: int = REPS) -> list[str]:
    """The Markdown lines of the section; pictures in ``folder`` (None: no pictures),
    linked relative to ``base`` (the report's folder).
    """
    lines = [
        "",
        '<a id="levers"></a>',
        "",
        "## Levers: does every lever move the outcome?",
        "",
        "`rollout levers` on each bundled scenario as shipped: every lever of the registry "
        "(`sim/scenario/levers.py`) switched on there is set at two values on the same "
        f"{reps} futures (seed {seed}; common random numbers); its effect is high minus low, "
        "paired, with its 95 % interval. The noise floor is the scenario as set on other "
        "futures, compared unpaired. A lever *sits on the noise floor* when its paired "
        "interval holds 0 for practising person-months, coverage 36 months in and practising "
        "36 months in. "
        "`tests/levers/test_bundled.py` fails when a lever the documentation calls active "
        "sits there.",
    ]
    for name in BUNDLED:
        scenario = load_scenario(resolve_scenario(name), [])
        result = audit(scenario, reps=reps, seed=seed, workers=None)
        table = result.table
        stuck = result.active_on_floor()
        noise = table[table["lever"] == NOISE].iloc[0]
        off = table[table["status"] == "switched off"]
        lines += [
            "",
            f"### {scenario.name or name}",
            "",
            f"{len(result.audited) - 1} levers audited; noise floor: "
            + "; ".join(f"{label} {_half(noise, m)}" for m, label in MEASURES.items())
            + ".",
            "",
            (
                f"**Active levers on the noise floor ({len(stuck)}):** "
                + ", ".join(f"`{lever}`" for lever in stuck["lever"])
                + "."
                if len(stuck)
                else "**Every active lever moves practice or coverage.**"
            ),
            "",
            *(
                [f"Switched off here: {', '.join(f'`{x}`' for x in off['lever'])}.", ""]
                if len(off)
                else []
            ),
            "| lever | mechanism | active | low → high | "
            + " | ".join(MEASURES.values())
            + " | on the floor |",
            "|---|---|---|---|" + "---|" * len(MEASURES) + "---|",
        ]
        for _, row in result.audited.iterrows():
            if row["lever"] == NOISE:
                continue
            floor = "yes" if row["on_noise_floor"] else "no"
            if row["on_noise_floor"] and row["active"]:
                floor = "**yes**"
            lines.append(
                f"| {row['label']} (`{row['lever']}`) | {row['mechanism_name']} | "
                f"{'yes' if row['active'] else 'no'} | {row['low']} → {row['high']} | "
                + " | ".join(_cell(row, m) for m in MEASURES)
                + f" | {floor} |"
            )
        if folder is not None:
            from ..outputs.levers import levers_figure

            folder.mkdir(parents=True, exist_ok=True)
            png = levers_figure(table, folder / f"levers_{name}.png", scenario.name)
            lines += ["", f"![Levers of {scenario.name}]({png.relative_to(base).as_posix()})"]
    return lines
