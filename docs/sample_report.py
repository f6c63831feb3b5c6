"""Regenerate docs/sample-report.html: the board report of a small Camden comparison.

Three Phase-2 timings (at once, 12 and 24 months after Phase 1) on the same 20 futures,
seed 1, as the README's phase2-timing example runs them; then ``rollout report`` on the
folder. The page's stylesheet is sim/outputs/templates/report.css, the one every report
inlines (tests/outputs/test_report.py checks that this file holds it unchanged).

    .venv/bin/python docs/sample_report.py [--workers N]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "docs" / "sample-report.html"
COMPARE = [
    "compare", "camden", "--name", "at-once",
    "--set", 'programme.phases.1.supplies=["foundation", "mentoring", "champion_supervision", '
    '"team_managers", "senior_team"]',
    "--set", "programme.phases.1.foundation.offer_new_starters=true",
    "--set", "programme.phases.1.foundation.cohorts=4",
    "--set", "programme.mentoring.offer_new_starters=true",
    "--set", "programme.phases.1.start_after_months=0",
    "--set", "programme.phases.1.months=12",
    "--variant", "after-12", "programme.phases.1.start_after_months=12",
    "--variant", "after-24", "programme.phases.1.start_after_months=24",
    "--reps", "20", "--seed", "1",
]  # fmt: skip


def main() -> None:
    """Run a small Camden comparison and write its report as docs/sample-report.html."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="2", help="worker processes (default 2)")
    args = parser.parse_args()
    rollout = [sys.executable, str(ROOT / "cli.py")]
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "pic3"  # the folder's name shows in the report's first line
        subprocess.run(
            [*rollout, *COMPARE, "--workers", args.workers, "--out", str(folder)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        page = Path(work) / "sample-report.html"
        subprocess.run([*rollout, "report", str(folder), "-o", str(page)], check=True)
        shutil.copyfile(page, SAMPLE)
    print(f"wrote {SAMPLE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
