"""Drawing the report's figures in worker processes: PNGs first, then SVGs."""
import json

import pytest

from reportgen import processes
from reportgen.report import figure_plan
from reportgen.report.sections.base import Figure as PlannedFigure

needs_fork = pytest.mark.skipif(not processes.can_fork(), reason="workers are forked")


def _line(slope):
    def draw():
        from reportgen.figures.style import new_figure

        fig, ax = new_figure(width=3, height=2)
        ax.plot([0, 1, 2], [0, slope, 2 * slope])
        ax.set_title(f"slope {slope}")
        return fig
    return draw


def _broken():
    raise ValueError("no such curve: zebra")


def _planned(count):
    return [PlannedFigure(f"line{i}", f"A line of slope {i}.", _line(i)) for i in range(count)]


def _files(directory):
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@needs_fork
def test_workers_write_the_same_files_as_drawing_here(tmp_path):
    planned = _planned(4)
    with figure_plan.start(planned, {}, tmp_path / "here", jobs=1) as drawing:
        drawing.finish()
    with figure_plan.start(planned, {}, tmp_path / "workers", jobs=2) as drawing:
        drawing.wait_png()
        assert all((tmp_path / "workers" / f"line{i}.png").stat().st_size > 1000
                   for i in range(4))
        drawing.finish()
    here, workers = _files(tmp_path / "here"), _files(tmp_path / "workers")
    # 4 SVGs, 4 PNGs, the 4 notes of their missing glyphs (none) and the manifest
    assert len(here) == 13 and here == workers
    assert here["line0.glyphs.json"] == b'{"missing": {}}'
    assert sorted(json.loads(here["manifest.json"])) == [f"line{i}" for i in range(4)]


@needs_fork
def test_a_second_start_reuses_every_figure_and_starts_no_worker(tmp_path):
    planned = _planned(3)
    with figure_plan.start(planned, {}, tmp_path, jobs=2) as drawing:
        drawing.finish()
    with figure_plan.start(planned, {}, tmp_path, jobs=2) as drawing:
        assert drawing.drawn == [] and drawing._workers is None
        drawing.finish()
    assert drawing.refs["line2"].src == "figures/line2.svg" and drawing.refs["line2"].number == 3


@needs_fork
def test_a_failing_figure_raises_its_error_and_records_nothing(tmp_path):
    planned = _planned(3) + [PlannedFigure("broken", "Never drawn.", _broken)]
    with pytest.raises(RuntimeError, match="no such curve: zebra") as caught:
        with figure_plan.start(planned, {}, tmp_path, jobs=2) as drawing:
            drawing.finish()
    # what failed and why, in one line; the traceback is the cause (reportgen --debug)
    assert str(caught.value) == "drawing figure 'broken': ValueError: no such curve: zebra"
    assert "Traceback" in str(caught.value.__cause__)
    assert not (tmp_path / "manifest.json").exists()
    assert not any(p.is_alive() for p in drawing._workers._processes)


@needs_fork
def test_leaving_early_stops_the_workers_and_records_nothing(tmp_path):
    with pytest.raises(KeyError):
        with figure_plan.start(_planned(4), {}, tmp_path, jobs=2) as drawing:
            raise KeyError("the page failed to render")
    assert not any(p.is_alive() for p in drawing._workers._processes)
    assert not (tmp_path / "manifest.json").exists()


@needs_fork
def test_workers_stopped_while_writing_a_file_leave_no_temporary_file(tmp_path, monkeypatch):
    """Ctrl-C or an error in the build stops the workers wherever they are: a file they were
    writing is not left half-written nor as a temporary file in figures/."""
    import time

    from reportgen.atomic import atomic_open

    real_save = figure_plan._save

    def save_svg_forever(fig, figures_dir, name, formats, close=True):
        if formats != ("svg",):
            return real_save(fig, figures_dir, name, formats, close)
        with atomic_open(figures_dir / f"{name}.svg") as f:
            f.write(b"<svg")
            f.flush()
            time.sleep(3600)

    monkeypatch.setattr(figure_plan, "_save", save_svg_forever)  # the workers inherit it
    with figure_plan.start(_planned(2), {}, tmp_path, jobs=2) as drawing:
        drawing.wait_png()
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".*.tmp")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert list(tmp_path.glob(".*.tmp"))   # a worker is inside a write
    assert not any(p.is_alive() for p in drawing._workers._processes)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "line0.glyphs.json", "line0.png", "line1.glyphs.json", "line1.png"]


from reportgen import keys as _keys  # noqa: E402

_READ = _keys._source


def _edited(monkeypatch, *modules):
    """Make ``reportgen.keys`` read ``modules`` (dotted names) with a comment appended."""
    from reportgen import keys

    paths = {keys._path(module, keys.ROOT) for module in modules}
    monkeypatch.setattr(keys, "_source", _READ)   # undo an earlier edit
    keys.forget()

    def source(p):
        return _READ(p) + (b"\n# an edit\n" if p in paths else b"")

    monkeypatch.setattr(keys, "_source", source)


def test_an_engine_edit_redraws_the_figures(tmp_path, monkeypatch):
    """Regression: the figures' key skipped the engine, so a figure drawn from the engine's
    functions (the sigmoid) was reused after the engine changed."""
    planned = _planned(2)
    with figure_plan.start(planned, {}, tmp_path, jobs=1) as drawing:
        drawing.finish()
    _edited(monkeypatch, "reportgen.engine.activations")
    with figure_plan.start(planned, {}, tmp_path, jobs=1) as drawing:
        assert [fig.id for fig in drawing.drawn] == ["line0", "line1"]
        drawing.finish()
    # render.py is not figure code: nothing to redraw
    _edited(monkeypatch, "reportgen.engine.activations", "reportgen.report.render")
    with figure_plan.start(planned, {}, tmp_path, jobs=1) as drawing:
        assert drawing.drawn == []
        drawing.finish()


def test_a_figure_process_draws_with_fonts_of_its_own():
    """Regression: mathtext parses made before a fork kept the parent's font objects, whose
    open file (and read offset) the figure processes then shared, so that drawing at once in
    two of them failed now and then with FreeType errors."""
    import os

    from matplotlib.mathtext import MathTextParser

    from reportgen.figures import mathcache

    mathcache.install()
    MathTextParser("path").parse(r"$\hat{y} = \sigma(x_0)$")
    kept = [c.cache_info().currsize for c in mathcache._CACHES]
    assert kept and all(kept)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:   # the child: what a figure process does first
        figure_plan.forget_inherited_fonts()
        left = sum(c.cache_info().currsize for c in mathcache._CACHES)
        os.write(write, str(left).encode())
        os._exit(0)
    os.close(write)
    left = os.read(read, 100).decode()
    os.waitpid(pid, 0)
    assert left == "0"
