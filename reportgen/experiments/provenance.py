"""Where results came from: versions, git state, platform, time."""
import datetime
import platform
import subprocess

import numpy as np

from .. import __version__


def _git(*args, cwd):
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def collect():
    """Provenance of a build: package version, git commit and dirty flag (when the package
    runs from its git checkout, not from an installed copy, which may well sit inside some
    other repository's .venv), Python and NumPy versions, platform, start time (UTC)."""
    from .. import resources

    source = resources.SOURCE_ROOT
    commit = _git("rev-parse", "HEAD", cwd=source) if resources.is_checkout() else None
    status = _git("status", "--porcelain", "--untracked-files=no", cwd=source) if commit else None
    return {
        "package_version": __version__,
        "git_commit": commit,
        "git_dirty": bool(status) if commit else None,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "platform": platform.platform(),
        "started_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
