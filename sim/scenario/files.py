"""Writing a file whole or not at all: the one atomic writer of the house.

Saved plans (:mod:`.plans`) and new scenarios (``rollout new``) both need a file that a
reader never sees half written and that an interrupted write leaves as it was; they share
this writer rather than each keeping its own.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | Path, text: str, *, replace: bool) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder.

    The temporary file gets the permissions a new file would (``0666`` less the umask;
    ``mkstemp`` alone makes it ``0600``), is flushed to disk, then renamed over ``path``
    (``replace``) or linked into place, so that a file which appeared meanwhile is never
    overwritten (renamed instead where the file system has no hard links).

    Raises
    ------
    FileExistsError
        ``path`` exists and ``replace`` is false.
    OSError
        The folder cannot be written.
    """
    path = Path(path)
    if not replace and os.path.lexists(path):
        raise FileExistsError(str(path))
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name[:32]}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        if replace:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)  # fails if the file appeared meanwhile
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links
                os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


__all__ = ["write_atomic"]
