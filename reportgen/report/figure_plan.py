"""The report's figures, in the order they appear, and their drawing with a cache.

Each figure names the experiments whose results it draws. Its cache key hashes those
results (without times and provenance), the figure code and its own id, so a rebuild
after a template change reuses every figure, and matplotlib is not even imported.
"""
import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Callable

from .. import figures as figures_package
from .. import processes
from ..atomic import atomic_write_text
from ..engine import datasets
from .render import FigureRef

#: every figure is written in both: SVG for the HTML report, PNG for the PDF
FORMATS = ("svg", "png")


@dataclasses.dataclass
class PlannedFigure:
    id: str
    caption: str
    draw: Callable
    inputs: tuple = ()
    width: float | None = None


def _comparison(res, dataset):
    from ..figures import scatter

    run = res.runs(res.settings[0], dataset)[0]
    X, y = datasets.load(dataset)
    return scatter.comparison(X, y, run.predict(X),
                              suptitle=f"{dataset} data set: main network, seed {run.seed}")


def _boundaries(res, setting_labels, dataset_list):
    from ..figures import scatter

    panels = []
    for setting, label in setting_labels:
        for dataset in dataset_list:
            run = res.runs(setting, dataset)[0]
            X, y = datasets.load(dataset)
            acc = run.final_accuracy
            panels.append((f"{label}: {dataset} ({100 * acc:.0f}%)", X, y, run.predict))
    return scatter.decision_boundaries(panels, ncols=2)


def _widest_conv_spec(res):
    specs = [res.runs(setting)[0].spec for setting in res.settings]
    conv_specs = [s for s in specs if s.conv]
    return max(conv_specs, key=lambda s: (s.conv[0].channels, s.conv[0].padding == "valid"))


def _datasets_figure():
    from ..figures import scatter

    return scatter.data_sets([(f"{name} ({len(X)} points)", X, y)
                              for name, (X, y) in ((n, datasets.load(n)) for n in ("linear", "xor"))])


def plan(results, main_spec, best_optimizer_settings, activation_settings):
    """Every figure of the report, in order of appearance (drawn lazily: a figure that is
    reused never imports matplotlib)."""
    curves, diagrams, functions = (_LazyModule(f"..figures.{name}") for name in
                                   ("curves", "diagrams", "functions"))

    main, lr, hidden, noact = (results[k] for k in ("main", "learning_rate", "hidden_units",
                                                     "no_activation"))
    opt, act, conv, init = (results[k] for k in ("optimizers", "activations", "convolution",
                                                  "initialisation"))
    both = ["linear", "xor"]
    figures = [
        PlannedFigure("datasets", "The two data sets. Left: 100 points drawn uniformly from the "
                      "unit square, labelled by the diagonal. Right: the course's 21 fixed "
                      "XOR points. Class 0 red, class 1 blue.", _datasets_figure, width=0.8),
        PlannedFigure("sigmoid", "The logistic sigmoid σ(z) and its derivative "
                      "σ'(z) = σ(z)(1 − σ(z)), which never exceeds 0.25.",
                      lambda: functions.activation("sigmoid"), width=0.55),
        PlannedFigure("network", f"The main network, drawn from experiments/main.toml: "
                      f"{'-'.join(map(str, main_spec.sizes))} units, {main_spec.activation} "
                      f"hidden and {main_spec.output_activation} output units, "
                      f"{'with' if main_spec.bias else 'without'} biases.",
                      lambda: diagrams.network(main_spec.sizes, activation=main_spec.activation,
                                               output_activation=main_spec.output_activation,
                                               bias=main_spec.bias), ("main",), 0.9),
        PlannedFigure("comparison_linear", "Ground truth and prediction on the linear data set "
                      "(main network, seed 0).", lambda: _comparison(main, "linear"), ("main",),
                      0.85),
        PlannedFigure("comparison_xor", "Ground truth and prediction on the XOR data set "
                      "(main network, seed 0).", lambda: _comparison(main, "xor"), ("main",), 0.85),
        PlannedFigure("main_curves", "Learning curves of the main network: training loss (log "
                      "scale) and accuracy per epoch; line: mean over seeds, band: min to max.",
                      lambda: curves.loss_and_accuracy(main, main.settings[0], both), ("main",)),
        PlannedFigure("main_boundaries", "Decision boundaries of the main network (seed 0). "
                      "Background: the network's output ŷ; black line: ŷ = 0.5.",
                      lambda: _boundaries(main, [(main.settings[0], "main")], both), ("main",),
                      0.9),
        PlannedFigure("lr_curves", "Training loss for each learning rate (mean over seeds, band "
                      "min to max).", lambda: curves.overlay(lr, lr.settings, both,
                                                              legend_title="learning rate"),
                      ("learning_rate",)),
        PlannedFigure("hidden_curves", "Training loss for each hidden width (units per hidden "
                      "layer; mean over seeds, band min to max).",
                      lambda: curves.overlay(hidden, hidden.settings, both,
                                             legend_title="layer sizes"), ("hidden_units",)),
        PlannedFigure("noact_curves", "Training loss with and without activation functions "
                      "(mean over seeds, band min to max; a dotted line marks where a run "
                      "diverged).", lambda: curves.overlay(noact, noact.settings, both,
                                                          legend_title="network"),
                      ("no_activation",)),
        PlannedFigure("noact_boundaries", "Decision boundaries without hidden activations "
                      "(seed 0): the boundary of a linear model is a straight line.",
                      lambda: _boundaries(noact, [(noact.settings[1], "identity hidden")], both),
                      ("no_activation",), 0.9),
        PlannedFigure("init_curves", "Training loss for each initialisation, with biases "
                      "(mean over seeds, band min to max).",
                      lambda: curves.overlay(init, [s for s in init.settings if init.overrides(s)["bias"]],
                                             both, legend_title="initialisation"),
                      ("initialisation",)),
        PlannedFigure("optimizer_curves", "Training loss of each optimizer at its best learning "
                      "rate (mean over seeds, band min to max).",
                      lambda: curves.overlay(opt, best_optimizer_settings, both,
                                             legend_title="optimizer"), ("optimizers",)),
        PlannedFigure("activation_functions", "The hidden activations the engine implements "
                      "(solid) and their derivatives (dashed).",
                      lambda: functions.activations(), width=1.0),
        PlannedFigure("activation_curves", "Training loss for each hidden activation at its "
                      "best learning rate (mean over seeds, band min to max).",
                      lambda: curves.overlay(act, activation_settings, both,
                                             legend_title="activation"), ("activations",)),
        PlannedFigure("conv_network", "The convolutional network of the experiment with the "
                      "most channels, as drawn from its configuration: the fixed lift, the "
                      "convolution with one kernel window (orange) and the output cell it "
                      "produces, flatten, dense layer, output.",
                      lambda: diagrams.conv_network(_widest_conv_spec(conv)), ("convolution",),
                      0.95),
        PlannedFigure("conv_curves", "Training loss of the convolutional networks and the "
                      "dense networks of similar size (mean over seeds, band min to max).",
                      lambda: curves.overlay(conv, conv.settings, both, legend_title="network"),
                      ("convolution",)),
    ]
    return figures


class _LazyModule:
    """A module imported on first attribute access."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        import importlib

        return getattr(importlib.import_module(self._name, __package__), attr)


def _code_digest():
    digest = hashlib.sha256()
    sources = sorted(Path(figures_package.__file__).parent.glob("*.py"))
    results_source = Path(figures_package.__file__).resolve().parent.parent / "results.py"
    for path in sources + [Path(__file__), results_source]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def results_digest(res):
    """A hash of what an experiment measured (its settings and run keys)."""
    return res.data["digest"]


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
    code = _code_digest()
    digests = {name: results_digest(res) for name, res in results.items()}
    keys = {fig.id: hashlib.sha256(json.dumps([fig.id, fig.caption, code] +
                                              [digests[i] for i in fig.inputs]).encode()
                                   ).hexdigest()
            for fig in planned}
    stale = [fig for fig in planned
             if manifest.get(fig.id) != keys[fig.id]
             or not all((figures_dir / f"{fig.id}.{ext}").exists() for ext in FORMATS)]
    refs = {fig.id: FigureRef(id=f"fig-{fig.id}", src=f"figures/{fig.id}.svg",
                              caption=fig.caption, number=number, width=fig.width)
            for number, fig in enumerate(planned, start=1)}
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
