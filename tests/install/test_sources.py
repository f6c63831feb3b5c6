"""One source of truth: the scenarios the package ships, and the choices the command offers.

``sim/scenario/bundled/`` holds the scenarios the package ships (``rollout run camden`` and
the templates of ``rollout new``); ``scenarios/`` holds copies for readers of the
repository. The copies must not drift from the package. ``cli.py`` lists the templates of
``rollout new`` by hand (so that ``rollout --help`` need not import the councils' floor);
that list must match :data:`sim.councils.templates.TEMPLATES`.
"""

from __future__ import annotations

import click
from conftest import REPO

import cli
from sim.councils.templates import TEMPLATES
from sim.scenario import bundled_dir

COPIES = REPO / "scenarios"


def test_both_folders_list_the_same_scenarios():
    bundled = sorted(p.name for p in bundled_dir().iterdir() if p.is_file())
    copies = sorted(p.name for p in COPIES.iterdir() if p.is_file())
    missing = sorted(set(bundled) - set(copies))
    extra = sorted(set(copies) - set(bundled))
    fixes = [f"cp sim/scenario/bundled/{name} scenarios/" for name in missing]
    fixes += [
        f"git mv scenarios/{name} sim/scenario/bundled/ (to ship it) or rm scenarios/{name}"
        for name in extra
    ]
    assert not (missing), (
        f"sim/scenario/bundled has {bundled}, scenarios/ has {copies}; fix: " + "; ".join(fixes)
    )
    assert not (extra), (
        f"sim/scenario/bundled has {bundled}, scenarios/ has {copies}; fix: " + "; ".join(fixes)
    )


def test_every_copy_is_byte_identical_to_the_bundled_scenario():
    differ = [
        p.name
        for p in sorted(COPIES.iterdir())
        if p.is_file()
        and (bundled_dir() / p.name).is_file()
        and p.read_bytes() != (bundled_dir() / p.name).read_bytes()
    ]
    fixes = [f"cp sim/scenario/bundled/{name} scenarios/{name}" for name in differ]
    assert not differ, (
        f"scenarios/ differs from sim/scenario/bundled/ (the package's copy is the truth) "
        f"in {differ}; edit the bundled file, then: " + "; ".join(fixes)
    )


def test_template_choices_are_the_templates():
    option = next(p for p in cli.new_command.params if p.name == "template")
    assert isinstance(option.type, click.Choice), f"--template is {option.type!r}"
    choices = sorted(option.type.choices)
    assert choices == sorted(TEMPLATES), (
        f"cli.py's --template choices {choices} differ from sim.councils.templates.TEMPLATES "
        f"{sorted(TEMPLATES)}: update the click.Choice in cli.py's new_command"
    )
    assert option.default in TEMPLATES, f"default template {option.default!r}"
