r"""The README's printed examples, run as written: regenerate them, or check that they hold.

Every README command that shows what it prints sits between two markers::

    <!-- example: NAME; from: TEXT; until: TEXT -->
    ```bash
    rollout compare camden ... --reps 100
    ```

    ```
    (what the command prints, from the line that starts with the ``from`` text to the line
    that starts with the ``until`` text, both kept, or to the line before the one that
    starts with the ``before`` text; with neither, to the first blank line after ``from``;
    without ``from``, everything)
    ```
    <!-- /example -->

The command (comment lines dropped, ``\`` continuations joined) runs exactly as written, in
a temporary folder (so its run folder lands there), through ``cli.py`` of this checkout; the
output block is its standard output, the selected lines. A README sentence that quotes a
figure should quote it from such a block, so that it cannot go stale unnoticed.

Run from the repository root::

    .venv/bin/python -m docs.readme_examples            # rewrite the README's output blocks
    .venv/bin/python -m docs.readme_examples --check    # exit 1, naming the stale examples

``tests/outputs/test_readme_examples.py`` runs the check, so CI fails when the model or the
words change and the README was not regenerated.
"""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

_EXAMPLE = re.compile(
    r"(?P<open><!-- example: (?P<spec>[^>]*?) -->\n)"
    r"(?P<command>```bash\n(?P<script>.*?)```\n)"
    r"(?P<between>\n*)"
    r"```\n(?P<output>.*?)```\n"
    r"(?P<close><!-- /example -->)",
    re.DOTALL,
)


@dataclass(frozen=True)
class Example:
    """One marked example: its name, command line, and which lines of its output are shown."""

    name: str
    args: tuple[str, ...]
    start: str | None
    until: str | None
    before: str | None = None

    def shown(self, printed: str) -> str:
        """The lines of ``printed`` the README shows."""
        lines = printed.splitlines()
        if self.start is not None:
            first = next((i for i, line in enumerate(lines) if line.startswith(self.start)), None)
            if first is None:
                raise ValueError(f"example {self.name}: no line starts with {self.start!r}")
            lines = lines[first:]
        if self.until is not None:
            last = next((i for i, line in enumerate(lines) if line.startswith(self.until)), None)
            if last is None:
                raise ValueError(f"example {self.name}: no line starts with {self.until!r}")
            lines = lines[: last + 1]
        elif self.before is not None:
            last = next((i for i, line in enumerate(lines) if line.startswith(self.before)), None)
            if last is None:
                raise ValueError(f"example {self.name}: no line starts with {self.before!r}")
            lines = lines[:last]
        elif self.start is not None:
            lines = lines[: next((i for i, line in enumerate(lines) if not line.strip()), None)]
        return "\n".join(line.rstrip() for line in lines) + "\n"


def parse(spec: str, script: str) -> Example:
    """An example from its marker's ``spec`` and the text of its bash block."""
    fields = dict(part.strip().split(": ", 1) for part in spec.split(";") if ": " in part)
    name = spec.split(";")[0].strip()
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("#")]
    command = " ".join(line.rstrip().removesuffix("\\") for line in lines)
    args = shlex.split(command, comments=True)
    if not args or args[0] != "rollout":
        raise ValueError(f"example {name}: the block must hold one rollout command")
    return Example(
        name, tuple(args[1:]), fields.get("from"), fields.get("until"), fields.get("before")
    )


def run(example: Example) -> str:
    """What the example's command prints, run as written in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="readme-example-") as folder:
        done = subprocess.run(
            [sys.executable, str(ROOT / "cli.py"), *example.args],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"example {example.name} exited {done.returncode}: {done.stderr}")
    return example.shown(done.stdout)


def regenerate(text: str, names: set[str] | None = None) -> tuple[str, list[str]]:
    """The README with every (or every named) example's output block run afresh, and the
    names of the examples whose block changed.
    """
    changed: list[str] = []

    def fresh(match: re.Match) -> str:
        example = parse(match["spec"], match["script"])
        if names is not None and example.name not in names:
            return match[0]
        output = run(example)
        if output != match["output"]:
            changed.append(example.name)
        return (
            f"{match['open']}{match['command']}{match['between']}```\n{output}```\n{match['close']}"
        )

    return _EXAMPLE.sub(fresh, text), changed


def examples(text: str) -> list[Example]:
    """Every marked example of ``text``, in order."""
    return [parse(m["spec"], m["script"]) for m in _EXAMPLE.finditer(text)]


def main(argv: list[str] | None = None) -> int:
    """Regenerate the README's printed examples, or (``--check``) report the stale ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Only report stale examples.")
    parser.add_argument("names", nargs="*", help="Only these examples (default: every one).")
    options = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    new, changed = regenerate(text, set(options.names) or None)
    if options.check:
        if changed:
            print(
                f"README.md: stale examples: {', '.join(changed)} "
                "(regenerate: python -m docs.readme_examples)",
                file=sys.stderr,
            )
            return 1
        print(f"README.md: {len(examples(text))} examples up to date")
        return 0
    README.write_text(new, encoding="utf-8")
    print(f"README.md: {len(changed)} examples rewritten ({', '.join(changed) or 'none'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
