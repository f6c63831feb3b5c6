"""Build the wheel, install it in a fresh environment, and run the commands there.

Run by ``tests/install/conftest.py`` as a background process as soon as the tests are
collected (``python tests/install/prepare.py ROOT``), so that its work uses the second core
while the other tests run; the ``installed`` fixture waits for it and reads
``ROOT/result.json``. It imports nothing of the project.

Steps: copy the source tree (without .venv, .git, outputs, build, …) to ``ROOT/source``,
build a wheel there (``pip wheel``, as a user or an index would), make a fresh virtual
environment ``ROOT/venv``, and install the wheel into it. Installing the third-party
dependencies from the index would take longer than the rest of the suite, so the wheel goes
in with ``--no-deps`` and the fresh environment gets a ``.pth`` file naming this
environment's site-packages: numpy, pandas, … resolve there, while ``sim`` and ``cli`` come
from the fresh site-packages (it comes first on the path, and an editable install's path
hook is not run from a directory that a ``.pth`` file adds). Then, from the empty folder
``ROOT/elsewhere`` and with no PYTHONPATH, it runs :data:`COMMANDS` side by side.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 600

# Left out of the copy: at the top of the checkout (sim/outputs is a package), and anywhere.
NOT_SOURCES = {".venv", ".git", "outputs", "build", "dist"}
CACHES = {"__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}

# Run in the fresh environment, from an empty folder: name → program in its bin/, arguments.
COMMANDS = {
    "run-camden": ["rollout", "run", "camden", "--reps", "1"],
    "run-havering": ["rollout", "run", "havering", "--reps", "1"],
    "validate-havering": ["rollout", "validate", "havering"],
    "new-camden": ["rollout", "new", "--council", "camden", "-o", "x.toml"],
    "where": ["python", "-c", "import cli, sim; print(sim.__file__); print(cli.__file__)"],
    "readme-example": ["python", "readme_example.py"],
}


class Failed(Exception):
    """A step failed; the message says which, and what it printed."""


def readme_block(marker: str) -> str:
    """The fenced block right after ``<!-- marker -->`` in README.md."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"^<!-- {re.escape(marker)} -->\n```\w*\n(.*?)^```", text, re.M | re.S)
    if not found:
        raise Failed(f"README.md has no ``` block right after <!-- {marker} -->")
    return found.group(1)


def not_sources(folder: str, names: list[str]) -> set[str]:
    """What ``shutil.copytree`` leaves out of the copy of the checkout."""
    top = Path(folder) == REPO
    return {
        n for n in names if n in CACHES or (top and (n in NOT_SOURCES or n.endswith(".egg-info")))
    }


def step(args: list[str], what: str) -> str:
    """Run one step; its stdout, or :class:`Failed` saying what it printed."""
    done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT)
    if done.returncode != 0:
        raise Failed(
            f"{what} failed (exit {done.returncode}): {' '.join(map(str, args))}\n"
            f"stdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
        )
    return done.stdout


def prepare(root: Path) -> dict:
    source, dist, venv, cwd = root / "source", root / "dist", root / "venv", root / "elsewhere"
    shutil.copytree(REPO, source, ignore=not_sources)
    step(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(source)],
        "building the wheel",
    )
    wheels = sorted(dist.glob("rollout-*.whl"))
    if len(wheels) != 1:
        raise Failed(f"expected one rollout wheel in {dist}, found {wheels}")

    step([sys.executable, "-m", "venv", "--without-pip", str(venv)], "making the venv")
    python = venv / "bin" / "python"
    # This pip, run by the fresh interpreter (which has none), before the .pth below exists:
    # pip sees an empty environment.
    step(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps"]
        + ["--no-index", str(wheels[0])],
        "installing the wheel",
    )
    site = step(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        "asking the venv for its site-packages",
    ).strip()
    ours = sysconfig.get_paths()["purelib"]
    (Path(site) / "dependencies-from-the-test-environment.pth").write_text(ours + "\n")

    cwd.mkdir()
    (cwd / "readme_example.py").write_text(readme_block("python-example"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    running = {
        name: subprocess.Popen(
            [str(venv / "bin" / program), *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, (program, *args) in COMMANDS.items()
    }
    runs = {}
    for name, process in running.items():
        stdout, stderr = process.communicate(timeout=TIMEOUT)
        runs[name] = [process.returncode, stdout, stderr]
    return {"wheel": str(wheels[0]), "site": site, "cwd": str(cwd), "runs": runs}


def main() -> None:
    root = Path(sys.argv[1])
    if hasattr(os, "nice"):
        os.nice(10)  # in the background: the tests in the foreground come first
    try:
        result = prepare(root)
    except Failed as failure:
        result = {"error": str(failure)}
    (root / "result.json").write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
