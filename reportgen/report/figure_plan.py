"""The drawing of the report's figures (declared by the sections), with a cache.

Each figure names the experiments whose results it draws. Its cache key (``reportgen.keys``,
kind "figure") hashes its id and caption, the digests of those results, the figure code
and the code of the section that declares it, so a rebuild after a template change reuses
every figure, and matplotlib is not even imported.
"""
import dataclasses
import json
import os
from pathlib import Path
from typing import Callable

from .. import keys as output_keys
from .. import processes
from ..atomic import atomic_write_text

#: every figure is written in both: SVG for the HTML report, PNG for the PDF
FORMATS = ("svg", "png")


def start(planned, results, figures_dir, jobs=None):
    """Start drawing (or reusing) every planned figure; returns a ``Drawing``.

    Where the platform can fork and there are several figures to draw, ``jobs`` processes
    draw them (the drawing closures are inherited, not pickled), PNGs first: the PDF needs
    only those, so it can be laid out while the same processes write the SVGs that only
    the HTML needs. Elsewhere, and with one job, every figure is drawn here and now.
    """
    figures_dir = Path(figures_dir)
    manifest_path = figures_dir / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        manifest = {}
    digests = {name: res.data["digest"] for name, res in results.items()}
    keys = {fig.id: output_keys.key("figure", [fig.id, fig.caption] +
                                    [digests[i] for i in fig.inputs], fig.modules)
            for fig in planned}
    stale = [fig for fig in planned
             if manifest.get(fig.id) != keys[fig.id]
             or not all((figures_dir / f"{fig.id}.{ext}").exists() for ext in FORMATS)]
    from .document import figure_refs

    refs = figure_refs(planned)
    if stale:
        _load_matplotlib()
    jobs = min(jobs or os.cpu_count() or 1, len(stale))
    workers = _Workers(stale, figures_dir, jobs) if jobs > 1 and processes.can_fork() else None
    if workers is None:
        for fig in stale:
            _save(fig.draw(), figures_dir, fig.id, FORMATS)
    return Drawing(refs, keys, stale, workers,
                   lambda: _write_manifest(manifest_path, manifest, keys, stale))


def _load_matplotlib():
    """Import matplotlib with the report's style and load its fonts, here and once: forked
    workers inherit them instead of each paying for that on its first figure. A Ctrl-C
    meanwhile is raised after the import, not inside it (where it would break a C
    extension's initialisation into an ImportError)."""
    with processes.interrupts_deferred():
        from ..figures import style  # noqa: F401
        from matplotlib import font_manager

        font_manager.findfont(font_manager.FontProperties())


def _write_manifest(path, manifest, keys, drawn):
    manifest.update({fig.id: keys[fig.id] for fig in drawn})
    atomic_write_text(path, json.dumps(manifest, indent=1, sort_keys=True))


def _save(fig, figures_dir, name, formats, close=True):
    from ..figures.save import save

    save(fig, figures_dir, name, formats=formats, close=close)


@dataclasses.dataclass
class Drawing:
    """Figures being drawn. ``refs``: {id: FigureRef}; ``keys``: {id: cache key}, naming
    everything each figure's files are drawn from; ``drawn``: the figures drawn anew."""

    refs: dict
    keys: dict
    drawn: list
    _workers: object
    _on_finish: Callable

    def wait_png(self):
        """Return once every figure's PNG is written."""
        if self._workers is not None:
            self._workers.wait("png")

    def finish(self):
        """Return once every figure's files are written, and record them in the manifest
        (only then: an interrupted build draws its figures again)."""
        if self._workers is not None:
            self._workers.wait("svg")
            self._workers.join()
        self._on_finish()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        """Stop the drawing processes, if any are still at work (after an error)."""
        if self._workers is not None:
            self._workers.stop()


class _Workers:
    """Forked processes that share the figures to draw through a queue, write each one's
    PNG, report, then write the SVGs of the figures they drew and report again. While
    they write SVGs, they give way to the other processes (the PDF's)."""

    def __init__(self, figures, figures_dir, jobs):
        import multiprocessing

        context = multiprocessing.get_context("fork")
        tasks, self._reports = context.SimpleQueue(), context.Queue()
        for index in range(len(figures)):
            tasks.put(index)
        for _ in range(jobs):
            tasks.put(None)
        self._processes = [context.Process(target=_work, daemon=True,
                                           args=(figures, figures_dir, tasks, self._reports))
                           for _ in range(jobs)]
        with processes.children_ignore_interrupts():
            for process in self._processes:
                process.start()
        self._reported = {"png": 0, "svg": 0}

    def wait(self, phase):
        """Wait until every worker has reported ``phase`` ("png", then "svg")."""
        import queue

        while self._reported[phase] < len(self._processes):
            try:
                kind, detail = self._reports.get(timeout=0.5)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in self._processes):
                    self.stop()
                    raise RuntimeError("a figure process stopped without finishing its figures")
                continue
            if kind == "error":
                self.stop()
                raise RuntimeError(f"drawing {detail}")
            self._reported[kind] += 1

    def join(self):
        for process in self._processes:
            process.join()

    def stop(self):
        for process in self._processes:
            if process.is_alive():
                process.terminate()
        self.join()


def _work(figures, figures_dir, tasks, reports):
    """A figure process: draw figures from ``tasks`` and write their PNGs until told to stop
    (None), then write their SVGs; report each phase's end, or the error that stopped it."""
    import signal
    import sys
    import traceback

    processes.ignore_interrupts()
    # Stopped (terminated) in the middle of a file, exit as Python does on an error, so
    # that the atomic write removes its temporary file instead of leaving it in figures/.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    figure_id = None   # the figure at work, named in an error
    try:
        drawn = []
        while (index := tasks.get()) is not None:
            figure_id = figures[index].id
            drawn.append((figure_id, figures[index].draw()))
            _save(drawn[-1][1], figures_dir, figure_id, ("png",), close=False)
        reports.put(("png", None))
        os.nice(5)   # the PDF is laid out meanwhile, and it is what the build waits for
        for figure_id, fig in drawn:
            _save(fig, figures_dir, figure_id, ("svg",))
        reports.put(("svg", None))
    except Exception:  # noqa: BLE001 (reported to the build, which raises it)
        reports.put(("error", f"figure {figure_id!r}: {traceback.format_exc()}"))
