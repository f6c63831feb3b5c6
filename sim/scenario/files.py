"""Writing a file whole or not at all: the one atomic writer of the house.

Saved plans (:mod:`.plans`) and new scenarios (``rollout new``) both need a file that a
reader never sees half written and that an interrupted write leaves as it was; they share
this writer rather than each keeping its own.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_atomic(path: str | Path, text: str, *, replace: bool) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder.

    The temporary file is made with mode ``0666``, which the kernel reduces by the umask as
    for any new file (``mkstemp`` would make it ``0600``; reading the umask means setting
    it, which is not safe while other threads, such as the app's server, write files). It
    is flushed to disk, then renamed over ``path`` (``replace``) or linked into place, so
    that a file which appeared meanwhile is never overwritten (renamed instead where the
    file system has no hard links).

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
    handle, temporary = _new_temporary(path)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
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


def _new_temporary(path: Path) -> tuple[int, str]:
    """A new, never existing file beside ``path`` (mode ``0666`` less the umask), open to
    write: its descriptor and name. A name another writer took meanwhile is drawn again.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        name = str(path.parent / f".{path.name[:32]}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(name, flags, 0o666), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


__all__ = ["write_atomic"]
