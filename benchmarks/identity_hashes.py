"""Check that the model's results are byte-identical: hash 30 replications' tables.

    python benchmarks/identity_hashes.py [--reps 30]

Prints one SHA-256 per scenario (camden, havering, and two Camden variants) over
every replication's monthly table (its bytes) and summary (each value's ``repr``, in key
order). Run it before and after a speed-up: the lines must be the same.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sim import load_scenario, resolve_scenario  # noqa: E402
from sim.model import run_replication  # noqa: E402

# Camden variants that take the paths Camden's own values skip.
VARIANTS = {
    "camden-inducting": [
        "champions.induction_places_per_champion_per_month=0.25",
        "champions.replacement=at_once",
        "programme.foundation.allocation=whole_teams",
    ],
    "camden-senior-first": [
        "programme.foundation.allocation=senior_first",
        "programme.mentoring.begins=with_training",
        "champions.replacement=yearly",
    ],
}


def digest(name: str, reps: int, changes: list[str] | None = None) -> str:
    """SHA-256 over ``reps`` replications (seed 1) of scenario ``name``."""
    scenario = load_scenario(resolve_scenario(name), changes or [])
    h = hashlib.sha256()
    for r in range(reps):
        result = run_replication(scenario, 1, r)
        h.update(result.monthly.tobytes())
        for key in sorted(result.summary):
            h.update(f"{key}={result.summary[key]!r};".encode())
    return h.hexdigest()


def main() -> None:
    """Print the hashes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=30)
    args = parser.parse_args()
    for name in ("camden", "havering"):
        print(name, digest(name, args.reps))
    for label, changes in VARIANTS.items():
        print(label, digest("camden", args.reps, changes))


if __name__ == "__main__":
    main()
