"""The programme templates of ``rollout new``: the bundled scenarios, and which of their
roles the DfE figures cover. They are read from the package (:mod:`importlib.resources`), so
an installed wheel has them wherever it runs.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..scenario.keys import ScenarioError
from ..scenario.loading import bundled_dir, load_scenario


@dataclass(frozen=True)
class Template:
    """A bundled scenario used as a template, and which of its roles the DfE figures cover."""

    name: str
    summary: str
    social_work_roles: tuple[str, ...]  # posts from the DfE figures, in the template's shares
    drop_roles: tuple[str, ...] = ()  # roles left out (not covered by the DfE figures)
    file: Path | None = None  # a scenario file of the user's, used as the template

    @property
    def path(self) -> Path:
        """The template's scenario file (a bundled one unless a file was given)."""
        return self.file if self.file is not None else bundled_dir() / f"{self.name}.toml"


_SOCIAL_WORK = ("senior_leader", "team_manager", "senior_practitioner", "social_worker")
TEMPLATES = {
    "camden": Template(
        "camden",
        "Camden-like: mixed cohorts of five days, live mentoring of supervisors, champions, "
        "a second phase",
        _SOCIAL_WORK,
        drop_roles=("childrens_practitioner",),
    ),
    "havering": Template(
        "havering",
        "Havering-like: a continuous academy of 18 days offered to new starters, business "
        "support trained with their teams, embedded family therapists giving consultations",
        _SOCIAL_WORK,
    ),
}
# Template values that are counts of people and so scale with the council's size.
SCALED = re.compile(
    r"^(programme\.foundation\.cohort_size|programme\.phases\.\d+\.foundation\.cohort_size"
    r"|champions\.target|champions\.workshop_places)$"
)

# What a template's social-work roles must give: the council's figures replace them.
_FROM_FIGURES = ("turnover", "hiring_delay_months", "initial_vacancies")


def template_for(name_or_file: str) -> Template:
    """A bundled template by name, or any valid scenario file used as one.

    A file's social-work roles (those of :data:`_SOCIAL_WORK` it has) take the council's
    posts, turnover, hiring delay and vacancies; its other roles are scaled with the posts;
    its programme, practice, champions, costs and measures are copied.

    Raises
    ------
    ScenarioError
        An unknown name; a file that is missing or invalid (every problem, naming the file
        and the key) or that has no social-work role to take the council's figures.
    """
    if name_or_file in TEMPLATES:
        return TEMPLATES[name_or_file]
    path = Path(name_or_file)
    if path.suffix != ".toml" and not path.is_file():
        raise ScenarioError(
            [
                f"--template {name_or_file!r}: unknown template (choose "
                f"{', '.join(TEMPLATES)}, or a scenario file)"
            ]
        )
    load_scenario(path)  # a template must itself be a valid scenario
    roles = tomllib.loads(path.read_text(encoding="utf-8"))["workforce"]["roles"]
    social = tuple(r for r in _SOCIAL_WORK if r in roles)
    if not social:
        raise ScenarioError(
            [
                f"{path}: workforce.roles: a template needs one or more of the social-work roles "
                f"{', '.join(_SOCIAL_WORK)} (the staff the DfE figures count)"
            ]
        )
    missing = [
        f"workforce.roles.{r}.{k}" for r in social for k in _FROM_FIGURES if k not in roles[r]
    ]
    if missing:
        raise ScenarioError(
            [
                f"{path}: {key}: a template must give it (the council's figures replace it)"
                for key in missing
            ]
        )
    return Template(path.stem, f"the scenario file {path}", social, file=path)
