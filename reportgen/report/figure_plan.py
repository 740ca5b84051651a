"""The drawing of the report's figures (declared by the sections), with a cache.

Each figure names the experiments whose results it draws. Its cache key (``reportgen.keys``,
kind "figure") hashes its id and caption, the digests of those results, the figure code
and the code of the section that declares it, so a rebuild after a template change reuses
every figure, and matplotlib is not even imported.
"""
import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Callable

from .. import keys as output_keys
from .. import processes
from ..layout import FIGURE_MANIFEST
from ..atomic import atomic_write_text
from .glyphs import note_name, read_note

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
    manifest_path = figures_dir / FIGURE_MANIFEST
    manifest = _read_manifest(manifest_path)
    digests = {name: res.data["digest"] for name, res in results.items()}
    keys = {fig.id: output_keys.key("figure", [fig.id, fig.caption] +
                                    [digests[i] for i in fig.inputs], fig.modules)
            for fig in planned}
    stale = [fig for fig in planned
             if manifest.get(fig.id) != keys[fig.id]
             or not all(_readable(figures_dir / f"{fig.id}.{ext}") for ext in FORMATS)
             or read_note(figures_dir / note_name(fig.id)) != {}]
    from .document import figure_refs

    refs = figure_refs(planned)
    if stale:
        _load_matplotlib()
        from .. import i18n
        from ..figures.style import use_language

        use_language(i18n.current())    # the figure processes inherit the fonts
    jobs = min(processes.job_count(jobs), len(stale))
    workers = (processes.Team(_draw(stale, figures_dir), len(stale), jobs)
               if jobs > 1 and processes.can_fork() else None)
    if workers is None:
        for fig in stale:
            _save(fig.draw(), figures_dir, fig.id, FORMATS)
    return Drawing(refs, keys, stale, workers,
                   lambda: _write_manifest(manifest_path, manifest, keys, stale))


def _read_manifest(path):
    """{figure id: key} from the manifest; {} if it is not such a dict (every figure is then
    drawn again)."""
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in manifest.items()):
        return {}
    return manifest


#: how a whole figure file starts and ends (a truncated or foreign file is drawn again)
_SIGNATURES = {".png": (b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"),
               ".svg": (b"<?xml", b"</svg>\n")}


def _readable(path):
    """Whether ``path`` is a whole figure file of its format (its first and last bytes)."""
    head, tail = _SIGNATURES[path.suffix]
    try:
        with open(path, "rb") as f:
            start = f.read(len(head))
            f.seek(0, os.SEEK_END)
            f.seek(max(f.tell() - len(tail), 0))
            return start == head and f.read() == tail
    except OSError:
        return False


def _load_matplotlib():
    """Import matplotlib with the report's style and load its fonts, here and once: forked
    workers inherit them instead of each paying for that on its first figure. A Ctrl-C
    meanwhile is raised after the import, not inside it (where it would break a C
    extension's initialisation into an ImportError)."""
    processes.import_deferring_interrupts("reportgen.figures.style")
    with processes.interrupts_deferred():
        from matplotlib import font_manager

        font_manager.findfont(font_manager.FontProperties())


def _write_manifest(path, manifest, keys, drawn):
    manifest.update({fig.id: keys[fig.id] for fig in drawn})
    atomic_write_text(path, json.dumps(manifest, indent=1, sort_keys=True))


def _save(fig, figures_dir, name, formats, close=True):
    """Save ``fig`` in ``formats``; with its PNG, the note of the characters no font of the
    figure has (``glyphs.json``: the build stops on them before the PDF is written)."""
    from ..figures.glyphs import write_note
    from ..figures.save import save

    save(fig, figures_dir, name, formats=formats, close=False)
    try:
        if "png" in formats:      # laid out by now: its tick labels are made
            write_note(fig, Path(figures_dir) / note_name(name))
    finally:
        if close:
            from matplotlib import pyplot as plt

            plt.close(fig)


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


def forget_inherited_fonts():
    """In a forked figure process: drop the font objects matplotlib's caches inherited from the
    parent. Matplotlib clears its own font cache after a fork, but its mathtext parses keep the
    fonts they were laid out with; a font object shares its open file, and so the file's read
    offset, with the parent and every sibling, so two processes drawing at once read each
    other's glyphs ("FT_Load_Glyph ... invalid outline", "too many hints"): a parent that drew
    before forking (``reportgen watch``, a test session) made its figure processes fail now
    and then."""
    font_manager = sys.modules.get("matplotlib.font_manager")
    if font_manager is not None:
        font_manager._get_font.cache_clear()
    mathtext = sys.modules.get("matplotlib.mathtext")
    per_parser = getattr(getattr(mathtext, "MathTextParser", None), "_parse_cached", None)
    if hasattr(per_parser, "cache_clear"):
        per_parser.cache_clear()
    shared = sys.modules.get("reportgen.figures.mathcache")   # the whole process's parses
    if shared is not None:
        shared.forget()


def _draw(figures, figures_dir):
    """The work of a figure process (``processes.Team``): draw figures and write their PNGs
    until there are none left, then write their SVGs, giving way meanwhile to the other
    processes (the PDF, which the build waits for)."""
    def work(next_task, phase_done):
        forget_inherited_fonts()
        drawn = []
        while (index := next_task()) is not None:
            figure = figures[index]
            with processes.doing(f"drawing figure {figure.id!r}"):
                drawn.append((figure.id, figure.draw()))
                _save(drawn[-1][1], figures_dir, figure.id, ("png",), close=False)
        phase_done("png")
        os.nice(5)
        for figure_id, fig in drawn:
            with processes.doing(f"drawing figure {figure_id!r}"):
                _save(fig, figures_dir, figure_id, ("svg",))
        phase_done("svg")
    return work
