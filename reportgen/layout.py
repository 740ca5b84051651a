"""Where everything a build writes goes, under the output folder (``--out``)::

    output/                     the full report's profile
      report.pdf, report.html   the report
      facts.json                what its prose states, by section
      figures/                  every figure as SVG and PNG, and manifest.json (their keys)
      results/<name>.json       every run of an experiment; digests.txt (their keys)
      previous/results/         the results files as they were before the last build that
                                changed them (``reportgen diff`` compares with them)
      cache/runs/               one JSON file per trained run
      cache/gradcheck.json      the gradient checks
      cache/engine_check.json   a foreign engine's checks (``reportgen check``)
      cache/equations.json      the report's equations, rendered (``report/maths.py``)
      cache/build.json          the keys of the last report written
      quick/                    the same for the --quick preview
      .reportgen.lock           held by the command writing the folder (``output_lock``)

Nothing else in the package spells out a path under the output folder.
"""
import contextlib
import dataclasses
import os
from pathlib import Path

#: the preview profile's folder, inside the output folder
QUICK = "quick"
#: the figures' keys, in the figures folder
FIGURE_MANIFEST = "manifest.json"
#: the figures folder, relative to the profile's folder (as the page links its figures)
FIGURES = "figures"
REPORT_FORMATS = ("html", "pdf")
#: the lock of the output folder, in it
LOCK = ".reportgen.lock"


def lock_file(out):
    """The lock file of the output folder ``out`` (both profiles: one lock)."""
    return Path(out) / LOCK


class Busy(Exception):
    """Another process holds the output folder's lock (``pid``: its id, if known)."""

    def __init__(self, out, pid):
        super().__init__(f"another reportgen is writing {out}/ (pid {pid or '?'})")
        self.pid = pid


@contextlib.contextmanager
def output_lock(out, wait=True, on_wait=None):
    """Hold the output folder's exclusive lock (``fcntl.flock`` on ``lock_file``) in the
    block, then remove the temporary files killed writes left there (``atomic.remove_stale``).

    If another process holds it: with ``wait``, call ``on_wait(Busy)`` and wait for it;
    else raise ``Busy``. The lock ends with the process (and with its forked workers,
    which inherit it), however it ends. Where there is no ``fcntl`` the block runs unlocked.
    """
    from .atomic import remove_stale

    try:
        import fcntl
    except ImportError:
        fcntl = None
    path = lock_file(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                busy = Busy(Path(out).as_posix().rstrip("/") or ".", _holder(path))
                if not wait:
                    raise busy from None
                if on_wait is not None:
                    on_wait(busy)
                fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        remove_stale(out)
        yield
    finally:
        os.close(fd)    # releases the lock (forked workers still at work hold it too)


def _holder(path):
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


@dataclasses.dataclass(frozen=True)
class OutputLayout:
    """The paths of one profile: ``dir`` is the output folder, or its ``quick/`` folder."""

    dir: Path

    @classmethod
    def of(cls, out, quick=False):
        """The layout of a profile of the output folder ``out``."""
        return cls(Path(out) / QUICK if quick else Path(out))

    @property
    def results(self):
        return self.dir / "results"

    def results_file(self, name):
        return self.results / f"{name}.json"

    @property
    def results_digests(self):
        return self.results / "digests.txt"

    @property
    def previous_results(self):
        """The results files of the build before the last one that changed them."""
        return self.dir / "previous" / "results"

    @property
    def figures(self):
        return self.dir / FIGURES

    @property
    def cache(self):
        return self.dir / "cache"

    @property
    def runs(self):
        return self.cache / "runs"

    @property
    def gradchecks(self):
        return self.cache / "gradcheck.json"

    @property
    def engine_check(self):
        return self.cache / "engine_check.json"

    @property
    def equations(self):
        return self.cache / "equations.json"

    @property
    def build_state(self):
        return self.cache / "build.json"

    @property
    def pdf_pages(self):
        """The PDF's parts' page counts of the last build (``report.parts.PageCounts``)."""
        return self.cache / "pdf_pages.json"

    @property
    def facts(self):
        return self.dir / "facts.json"

    def report(self, fmt):
        return self.dir / f"report.{fmt}"

    def outputs(self):
        """What ``reportgen clean`` removes, caches apart: results, figures, facts, report."""
        return [self.results, self.previous_results.parent, self.figures, self.facts] + [self.report(f) for f in REPORT_FORMATS]
