"""The programme templates of ``rollout new``: the bundled scenarios, and which of their
roles the DfE figures cover. They are read from the package (:mod:`importlib.resources`), so
an installed wheel has them wherever it runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..scenario.loading import bundled_dir


@dataclass(frozen=True)
class Template:
    """A bundled scenario used as a template, and which of its roles the DfE figures cover."""

    name: str
    summary: str
    social_work_roles: tuple[str, ...]  # posts from the DfE figures, in the template's shares
    drop_roles: tuple[str, ...] = ()  # roles left out (not covered by the DfE figures)

    @property
    def path(self) -> Path:
        return bundled_dir() / f"{self.name}.toml"


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
