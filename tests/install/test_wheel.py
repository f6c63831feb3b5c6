"""A normal install works anywhere: the wheel, installed in a fresh environment, runs from any
folder, with nothing of the checkout on its path.

The ``installed`` fixture (``conftest.py``) gives what :mod:`.prepare` did: built a wheel
from a copy of the source tree, installed it in a fresh virtual environment outside the
checkout (its third-party dependencies resolved from this environment through a ``.pth``
file), and ran, from an empty folder with no PYTHONPATH, ``rollout run camden``, ``run
havering``, ``validate havering``, ``new --council camden`` and the README's Python example
(the block after ``<!-- python-example -->``). A static test checks that the wheel's
``Requires-Dist`` (``[project].dependencies``) covers every third-party import.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

from .prepare import COMMANDS

# Import names whose distribution is called something else (none today; keep the map).
DISTRIBUTION_OF = {
    "PIL": "pillow",
    "yaml": "pyyaml",
    "sklearn": "scikit-learn",
    "distributed": "dask",  # dask[distributed] in the cluster extra
    "annotated_types": "pydantic",  # pydantic's own dependency, the types of its Field bounds
}


def outcome(installed: dict, name: str) -> tuple[str, str]:
    code, stdout, stderr = installed["runs"][name]
    said = (
        f"{' '.join(COMMANDS[name])}: exit {code}\n"
        f"stdout:\n{stdout[-3000:]}\nstderr:\n{stderr[-3000:]}"
    )
    assert code == 0, said
    assert "Traceback" not in stderr, said
    return stdout, said


def test_sim_and_cli_come_from_the_installed_wheel(installed):
    stdout, said = outcome(installed, "where")
    sim_file, cli_file = (Path(line) for line in stdout.split())
    site = Path(installed["site"])
    assert sim_file == site / "sim" / "__init__.py", f"sim from {sim_file}, not {site}\n{said}"
    assert cli_file == site / "cli.py", f"cli from {cli_file}, not {site}\n{said}"
    for path in (sim_file, cli_file):
        assert not path.is_relative_to(REPO), f"{path} is in the checkout {REPO}"


@pytest.mark.parametrize("name", ["run-camden", "run-havering"])
def test_run_writes_a_run_folder(installed, name):
    stdout, said = outcome(installed, name)
    scenario = name.removeprefix("run-")
    folders = sorted((Path(installed["cwd"]) / "outputs").glob(f"{scenario}-*"))
    assert len(folders) == 1, f"run folders for {scenario}: {folders}\n{said}"
    for file in ("timeseries.csv", "summary.csv", "manifest.json", "coverage.png", "fan.png"):
        path = folders[0] / file
        assert path.is_file(), f"missing or empty {path}\n{said}"
        assert path.stat().st_size > 0, f"missing or empty {path}\n{said}"
    assert "Results: outputs/" in stdout, said


def test_validate_explains_havering(installed):
    stdout, said = outcome(installed, "validate-havering")
    assert "Havering" in stdout, said


def test_new_writes_a_scenario_from_the_shipped_figures(installed):
    _, said = outcome(installed, "new-camden")
    written = Path(installed["cwd"]) / "x.toml"
    assert written.is_file(), f"{written} not written\n{said}"
    data = tomllib.loads(written.read_text(encoding="utf-8"))
    assert "sources" in data, f"{written}: keys {sorted(data)}"
    assert "workforce" in data, f"{written}: keys {sorted(data)}"


def test_the_readme_python_example_runs(installed):
    stdout, said = outcome(installed, "readme-example")
    assert "mean_difference" in stdout, said
    assert "at least 90% of futures" in stdout, f"no target sentence\n{said}"
    folders = sorted((Path(installed["cwd"]) / "outputs").glob("sweep-*"))
    assert len(folders) == 1, f"sweep folders: {folders}\n{said}"
    for file in ("sweep.csv", "target.csv", "manifest.json", "sweep.png"):
        assert (folders[0] / file).is_file(), f"no {file} in {folders[0]}\n{said}"


def test_the_wheel_declares_the_projects_dependencies(installed):
    with zipfile.ZipFile(installed["wheel"]) as wheel:
        names = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        assert len(names) == 1, f"METADATA files in the wheel: {names}"
        metadata = wheel.read(names[0]).decode("utf-8")
        files = wheel.namelist()
    declared = {requirement_name(r) for r in re.findall(r"^Requires-Dist: (.+)$", metadata, re.M)}
    runtime = {requirement_name(r) for r in project()["dependencies"]}
    assert runtime <= declared, (
        f"Requires-Dist {sorted(declared)} lacks {sorted(runtime - declared)}"
    )
    shipped = {"sim/scenario/bundled/camden.toml", "sim/scenario/bundled/havering.toml"}
    shipped |= {f"sim/councils/data/{p.name}" for p in (REPO / "sim/councils/data").iterdir()}
    assert shipped <= set(files), f"the wheel lacks {sorted(shipped - set(files))}"


# --------------------------------------------------------------------------- static


def project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirement_name(requirement: str) -> str:
    """The normalised distribution name of a requirement (PEP 503)."""
    name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert name, f"not a requirement: {requirement!r}"
    return re.sub(r"[-_.]+", "-", name.group(1)).lower()


def third_party_imports() -> dict[str, list[str]]:
    """Top-level names imported by sim/ and cli.py that are neither the standard library nor
    the project's own, each with the files importing it.
    """
    found: dict[str, list[str]] = {}
    ours = {"sim", "cli", "__future__"}
    for path in [REPO / "cli.py", *sorted((REPO / "sim").rglob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in ours and top not in sys.stdlib_module_names:
                    found.setdefault(top, []).append(str(path.relative_to(REPO)))
    return found


def test_the_declared_dependencies_cover_every_third_party_import():
    imports = third_party_imports()
    assert {"numpy", "pandas", "click"} <= set(imports), f"the scan found only {sorted(imports)}"
    # An extra's requirements are in Requires-Dist too (marked `extra == ...`): the modules
    # that import them (the web app, the cluster engine) load only when their command runs.
    extras = [r for group in project().get("optional-dependencies", {}).values() for r in group]
    declared = {requirement_name(r) for r in [*project()["dependencies"], *extras]}
    missing = {
        name: sorted(set(files))
        for name, files in imports.items()
        if requirement_name(DISTRIBUTION_OF.get(name, name)) not in declared
    }
    assert not missing, (
        f"imported but not in pyproject.toml's [project].dependencies (the wheel's "
        f"Requires-Dist, extras included; {sorted(declared)}): {missing}; add them, or map an "
        "import name to its distribution in DISTRIBUTION_OF"
    )
