"""Atomic file writes: a failed write never leaves a half-written file or a stray temp file.

The data goes to a temporary file in the target's own directory (same file system), is flushed
and fsynced, then moved over the target with ``os.replace`` (atomic on POSIX and Windows). If
anything raises before the replace, the temp file is removed and the previous file is untouched.
"""
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_text", "atomic_open"]


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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
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
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_bytes(path, data):
    """Write ``data`` (bytes) to ``path`` atomically."""
    with atomic_open(path, "wb") as f:
        f.write(data)


def atomic_write_text(path, text, encoding="utf-8"):
    """Write ``text`` to ``path`` atomically (UTF-8 by default, newlines written as given)."""
    with atomic_open(path, "w", encoding=encoding) as f:
        f.write(text)
