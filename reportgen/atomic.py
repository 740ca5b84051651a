"""Atomic file writes: a failed write never leaves a half-written file or a stray temp file.

The data goes to a temporary file in the target's own directory (same file system), is flushed
and fsynced, then moved over the target with ``os.replace`` (atomic on POSIX and Windows). If
anything raises before the replace, the temp file is removed and the previous file is untouched.

The temp file of ``NAME`` is ``.NAME.XXXXXXXX.tmp`` (``TEMPORARY``). Only a kill -9 in the
middle of a write leaves one behind: every command that writes the output folder removes
those it finds there (``remove_stale``), under the folder's lock (``layout.output_lock``),
when no other write can be under way.
"""
import re
import os
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_text", "atomic_open", "remove_stale"]

#: the name of a temporary file of ``atomic_open``: ``.`` NAME ``.`` random ``.tmp``
TEMPORARY = re.compile(r"\..+\.[A-Za-z0-9_]+\.tmp")


@contextmanager
def atomic_open(path, mode="wb", encoding=None):
    """Open a temp file next to ``path``; on a clean exit it replaces ``path``.

    ``mode`` is "wb" or "w" (text, ``encoding`` defaults to UTF-8). An exception inside the
    ``with`` block discards the temp file and leaves ``path`` as it was.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open: mode must be 'w' or 'wb', not {mode!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    held, tmp = _hold_signals(), None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        # a signal that came while the file was being made is raised here, where the
        # file is removed on the way out
        _release_signals(held)
        if mode == "w":
            f = os.fdopen(fd, "w", encoding=encoding or "utf-8", newline="")
        else:
            f = os.fdopen(fd, "wb")
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        # mkstemp creates 0600 files; give the result the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        _release_signals(held)
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        raise


#: the signals that stop a build (Ctrl-C) or a worker (terminate)
_STOPPING = {signal.SIGINT, signal.SIGTERM}


def _hold_signals():
    """Hold Ctrl-C and SIGTERM (until ``_release_signals``): between creating the temporary
    file and being ready to remove it, they would leave it behind. None where signals
    cannot be held (no POSIX)."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)


def _release_signals(held):
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def atomic_write_bytes(path, data):
    """Write ``data`` (bytes) to ``path`` atomically."""
    with atomic_open(path, "wb") as f:
        f.write(data)


def atomic_write_text(path, text, encoding="utf-8"):
    """Write ``text`` to ``path`` atomically (UTF-8 by default, newlines written as given)."""
    with atomic_open(path, "w", encoding=encoding) as f:
        f.write(text)


def remove_stale(root):
    """Remove the temporary files (``TEMPORARY``) left under the folder ``root`` by killed
    writes; returns their paths. Call it only where no write can be under way."""
    removed = []
    for folder, _, names in os.walk(root):
        for name in names:
            if TEMPORARY.fullmatch(name):
                path = Path(folder) / name
                try:
                    path.unlink()
                except FileNotFoundError:
                    continue
                removed.append(path)
    return removed
