"""The national floor: one strategy in every English council at once (``rollout national``).

It sits above the experiments and outputs floors and the councils floor, importing from
them only: :mod:`.scenarios` builds each council's scenario from its DfE figures exactly as
``rollout new`` does (and keeps the councils whose figures cannot give one, with the
reason); :mod:`.experiment` runs them as one experiment on common seeds and writes
``councils.csv``; :mod:`.explain` relates the results to the councils' figures;
:mod:`.account` and :mod:`.picture` say it in words and draw the ranking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .experiment import National


def draw(result: National) -> list[str]:
    """Draw the ranked picture and save the account into the run folder; the files written."""
    from ..experiments.folders import add_files
    from . import account, picture

    if result.folder is None:
        return []
    picture.ranked_figure(result, result.folder / "councils.png")
    files = ["councils.png", account.write(result, account.national_lines(result))]
    add_files(result.folder, files)
    return files


__all__ = ["draw"]
