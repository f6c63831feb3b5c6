"""Pin the back-test scenario's outputs: the ONLY way expected_*.csv may be written.

Run it from the repository root after a deliberate change to the model's behaviour:

    python tests/backtest/regenerate.py

then look at the differences (``git diff tests/backtest``) and explain them in the commit
message. The back test (``test_backtest.py``) compares the model's current outputs with
these files exactly, so any change in behaviour, intended or not, is seen.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pinned import PINNED, REPS, SCENARIO, SEED, current_outputs, describe_differences  # noqa: E402


def main() -> int:
    outputs = current_outputs()
    for name, path in PINNED.items():
        before = path.read_text(encoding="utf-8") if path.exists() else None
        text = outputs[name]
        if before == text:
            print(f"{path.name}: unchanged")
            continue
        partial = path.with_name(path.name + ".partial")
        partial.write_text(text, encoding="utf-8", newline="\n")
        partial.replace(path)
        if before is None:
            print(f"{path.name}: written")
        else:
            print(f"{path.name}: rewritten; what changed:")
            for line in describe_differences(name, before, text):
                print(f"  {line}")
    print(f"scenario {SCENARIO.name}, seed {SEED}, {REPS} replications")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
