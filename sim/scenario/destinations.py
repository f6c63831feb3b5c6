"""Where a command will write, checked before any work: a new folder, a new file, a folder
to carry on in.

A command that simulates for minutes and then cannot make its folder has wasted the
planner's time and may leave half its files behind; so ``--out`` and ``-o`` are tried
first, and a destination that cannot be written is bad input (one line, exit 2, nothing
written). The checks use only the standard library, so a mistyped destination is answered
at once.

What is refused, each with its reason: a name longer than the file system allows (one
part, or the whole path), a dangling symbolic link (writing through it would create a file
somewhere else), a path under a file, and a folder in which nothing can be created (a
read-only mount, ``/proc``, no permission). The last is found by creating and removing an
empty temporary folder there, since permission bits do not tell (root, read-only mounts,
virtual file systems).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .keys import BadInput

# POSIX limits, read from the file system where it says (os.pathconf), else the usual ones.
NAME_MAX = 255
PATH_MAX = 4096


def _limit(folder: Path, name: str, default: int) -> int:
    try:
        return int(os.pathconf(folder, name))
    except (OSError, ValueError, AttributeError):
        return default


def _nearest_existing(path: Path) -> Path:
    """The deepest ancestor of ``path`` (or ``path`` itself) that exists."""
    here = path
    while not os.path.lexists(here) and here != here.parent:
        here = here.parent
    return here


def _creatable_in(folder: Path) -> bool:
    """Whether a folder can be created in ``folder`` (tried, then removed: the folder's
    modification time changes, nothing else).
    """
    try:
        probe = tempfile.mkdtemp(prefix=".rollout-probe-", dir=folder)
    except OSError:
        return False
    os.rmdir(probe)
    return True


def _problem(path: Path, label: str, must_be_new: bool) -> str | None:
    """What stops ``path`` being created (``must_be_new``) or written into, if anything."""
    text = str(path)
    where = _nearest_existing(path.absolute())
    if len(os.fsencode(str(path.absolute()))) >= _limit(where, "PC_PATH_MAX", PATH_MAX):
        return f"{label} {text}: the path is too long for the file system"
    longest = _limit(where, "PC_NAME_MAX", NAME_MAX)
    for part in path.parts:
        if len(os.fsencode(part)) > longest:
            return (
                f"{label}: a name in the path has {len(os.fsencode(part))} bytes; "
                f"the file system allows at most {longest}"
            )
    if os.path.islink(path) and not os.path.exists(path):
        return f"{label} {text}: a symbolic link to nothing; give a new name"
    if must_be_new and os.path.lexists(path):
        return None  # the caller says "already exists" in its own words
    if not must_be_new:
        if not os.path.isdir(path):
            return f"{label} {text}: no such folder"
        return None if _creatable_in(path) else f"{label} {text}: cannot write in that folder"
    if os.path.islink(where) and not os.path.exists(where):
        return f"{label} {text}: {where} is a symbolic link to nothing"
    if not os.path.isdir(where):
        return f"{label} {text}: {where} is a file, not a folder"
    if not _creatable_in(where):
        return f"{label} {text}: cannot write in {where}"
    return None


def check_new(path: str | Path, label: str) -> None:
    """Raise :class:`BadInput` if a new file or folder ``path`` could not be created.

    ``label`` names the argument in the message (``--out``, ``-o``). A path that exists is
    left to the caller, which refuses it in its own words (nothing is overwritten).
    """
    problem = _problem(Path(path), label, must_be_new=True)
    if problem:
        raise BadInput([problem])


def check_folder(path: str | Path, label: str) -> None:
    """Raise :class:`BadInput` unless ``path`` is a folder that can be written in."""
    problem = _problem(Path(path), label, must_be_new=False)
    if problem:
        raise BadInput([problem])


def check_parent(path: str | Path, label: str) -> None:
    """Raise :class:`BadInput` unless a new file ``path`` can be made in an existing
    folder (``rollout new -o``, ``rollout report -o``: their folder is not created).
    """
    path = Path(path)
    check_new(path, label)
    parent = path.parent
    if not os.path.lexists(path) and not os.path.isdir(parent):
        raise BadInput([f"{label} {path}: the folder {parent} does not exist"])
