"""Column names that more than one floor reads, kept where none of them loads anything heavy.

The comparison writes ``differences.csv`` with these columns first
(:mod:`sim.experiments.comparisons`) and a report checks a folder's ``differences.csv``
for them (:mod:`sim.outputs.report_folder`); one tuple here, so the two cannot drift apart.
This module imports nothing: a command's start-up may read it.
"""

from __future__ import annotations

# The columns of differences.csv that a comparison shows in full and a report reads (the
# table has more, named below them when printed).
DIFFERENCE_COLUMNS = (
    "strategy",
    "measure",
    "mean_difference",
    "ci_low",
    "ci_high",
    "share_better",
    "share_worse",
)

__all__ = ["DIFFERENCE_COLUMNS"]
