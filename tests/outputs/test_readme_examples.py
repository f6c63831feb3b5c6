"""The README's printed examples are what their commands print, run as written.

Each README block of printed output sits between ``<!-- example: ... -->`` markers with the
command above it (:mod:`docs.readme_examples`). This test runs every such command (small
enough for CI: the README's own ``--reps``) and fails when a block is stale.

When the model or its words change on purpose, regenerate the blocks with one command from
the repository root, then read the diff and the prose around the blocks::

    .venv/bin/python -m docs.readme_examples
"""

from __future__ import annotations

import re

from conftest import REPO

from docs import readme_examples

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_printed_block_after_a_command_is_a_checked_example():
    # A plain ``` block right after a ```bash block is what that command prints.
    printed = re.finditer(r"```bash\n(?:(?!```).)*```\n\n*```\n", README, re.DOTALL)
    checked = {m.start("command") for m in readme_examples._EXAMPLE.finditer(README)}
    unchecked = [m.group(0)[:80] for m in printed if m.start() not in checked]
    assert not unchecked, f"printed output without <!-- example --> markers: {unchecked}"
    assert len(checked) >= 3, f"only {len(checked)} marked examples found"


def test_the_readme_examples_print_what_the_readme_shows():
    fresh, stale = readme_examples.regenerate(README)
    assert not stale, (
        f"README examples out of date: {stale}; regenerate with "
        "`python -m docs.readme_examples` and read the diff"
    )
    assert fresh == README, "regenerating changed the README outside the stale examples"
