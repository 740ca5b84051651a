"""Results as data: the per-experiment JSON files under ``output/results/`` and their API.

    from reportgen import results
    lr = results.load("learning_rate")          # output/results/learning_rate.json
    lr.settings                                 # setting labels, in the file's order
    lr.summary("lr=1", "xor").mean_accuracy     # aggregates over seeds
    lr.curve("lr=1", "xor", "loss")             # epochs, mean, low, high across seeds

Schema (``SCHEMA_VERSION``), one file per experiment::

    experiment, digest, description, section, source, profile ("full" | "quick"), datasets, seeds,
    settings: [{label, overrides}], provenance: {package_version, git_commit, git_dirty,
    python, numpy, platform, started_at},
    runs: [{setting, dataset, seed, key, spec, status ("ok" | "diverged"), final_loss,
            final_accuracy, epochs_to_100, epochs_run, wall_time_s,
            history: {epoch, loss, accuracy}, parameters: {W1: [[...]], b1: [...], ...},
            stability: {held_100, fell_back, lowest_after_100, spikes, largest_spike,
                        late_loss_change}}]

A run the engine in use does not support (a foreign engine raised NotImplementedError or
ValueError for its spec, ``experiments/foreign.py``) is listed as ``{setting, key, dataset,
seed, spec, status: "unsupported", reason}``. ``ExperimentResults`` leaves the settings with
such runs out of its ``settings`` and ``runs()`` (nothing is said of a setting that was not
trained) and names them in ``unsupported``. The parameters of a diverged run of a foreign
engine may be null where they stopped being finite.

``stability`` is measured on every epoch, before the history is downsampled (see
``experiments.stability``).

``history`` holds at most ``experiments.record.HISTORY_POINTS`` epochs (evenly spaced, the last always
included); loss values that are not finite are written as null. ``final_accuracy`` of a
diverged run is its accuracy at the last epoch with a finite loss. ``wall_time_s`` of a run
trained in a batch is its share of the batch's time. Standard deviations over seeds are
population ones (ddof = 0).
"""
import dataclasses
import json
import re
import threading
import types
import warnings
from pathlib import Path

import numpy as np

from . import schema
from .atomic import atomic_write_text
from .engine import Network, RunSpec
from .layout import OutputLayout

SCHEMA_VERSION = 1
#: the version of facts.json's layout (see ``load_facts``)
FACTS_SCHEMA = 1
DEFAULT_OUT = Path("output")


def _recorded(name, doc):
    """A read-only attribute for the field ``name`` of a run's record."""
    return property(lambda self: self.record[name], doc=doc)


class Run:
    """One run of a results file, with its trained network on demand.

    ``Run(setting, record)``: ``record`` is the run's dict from the results file (see the
    module docstring), kept as ``run.record`` and read, never changed. Its fields are
    attributes (``run.seed``, ``run.final_accuracy``...); ``spec`` is rebuilt from the record
    once, and so is the network ``predict`` and ``hidden_outputs`` use, which stays private:
    ``network()`` gives the caller a fresh copy of its own.
    """

    __slots__ = ("setting", "record", "_spec", "_parameters", "_network", "_lock")

    key = _recorded("key", "The run's cache key.")
    dataset = _recorded("dataset", "The data set trained on (\"linear\", \"xor\").")
    seed = _recorded("seed", "The spec's seed.")
    status = _recorded("status", "\"ok\" or \"diverged\".")
    final_loss = _recorded("final_loss", "The loss at the last epoch; None if not finite.")
    final_accuracy = _recorded("final_accuracy", "Training accuracy at the end (of a diverged "
                                                 "run: at its last epoch with a finite loss).")
    epochs_to_100 = _recorded("epochs_to_100", "The first epoch at 100% accuracy, or None.")
    epochs_run = _recorded("epochs_run", "How many epochs were trained.")
    wall_time_s = _recorded("wall_time_s", "Seconds of training (a share of its batch's).")
    stability = _recorded("stability", "How it reached 100% and whether it stayed there (see "
                                       "``experiments.stability``).")

    def __init__(self, setting, record):
        self.setting = setting
        self.record = record
        self._spec = self._parameters = self._network = None
        self._lock = threading.Lock()

    def __repr__(self):
        return (f"<Run {self.setting!r} on {self.record.get('dataset')!r}, "
                f"seed {self.record.get('seed')!r}>")

    def __eq__(self, other):
        if not isinstance(other, Run):
            return NotImplemented
        return (self.setting, self.record) == (other.setting, other.record)

    __hash__ = None   # like the dataclass it was: equal by value, so not hashable

    def __getstate__(self):       # the caches and the lock stay behind
        return self.setting, self.record

    def __setstate__(self, state):
        self.__init__(*state)

    @property
    def spec(self):
        """The run's ``RunSpec`` (frozen; made from the record once)."""
        if self._spec is None:
            self._spec = RunSpec.from_dict(self.record["spec"])
        return self._spec

    @property
    def succeeded(self):
        """It converged: held 100% training accuracy to the end."""
        return self.record["final_accuracy"] == 1.0

    @property
    def held_100(self):
        """The epoch from which it held 100% to the end, or None."""
        return self.record["stability"]["held_100"]

    @property
    def fell_back(self):
        """Whether its accuracy dropped below 100% after first reaching it."""
        return self.record["stability"]["fell_back"]

    @property
    def parameters(self):
        """The trained parameters by name ({"W1": ..., "b1": ...}), as read-only arrays."""
        if self._parameters is None:
            parameters = {}
            for name, value in self.record["parameters"].items():
                array = np.array(value, dtype=float)
                array.setflags(write=False)
                parameters[name] = array
            self._parameters = types.MappingProxyType(parameters)
        return self._parameters

    def network(self):
        """The trained network, rebuilt from the stored parameters: a new one on every call,
        the caller's to change or train further."""
        net = Network.from_spec(self.spec)
        for name, value in net.parameters().items():
            value[...] = self.parameters[name]
        return net

    def _trained(self):
        """The network ``predict`` uses: built once, never handed out."""
        if self._network is None:
            self._network = self.network()
        return self._network

    def predict(self, X):
        """The trained network's outputs on ``X``, shape (n, 1)."""
        with self._lock:   # the layers keep their last input and output
            return self._trained().forward(X)

    def hidden_outputs(self, X):
        """Every hidden layer's outputs on ``X``, flattened into one array."""
        return np.concatenate([output.ravel() for output in self.hidden_layers(X)])

    def hidden_layers(self, X):
        """Each hidden layer's outputs on ``X``, (n, units) arrays (copies)."""
        with self._lock:
            net = self._trained()
            net.forward(X)
            return [layer.output.reshape(len(X), -1).copy() for layer in net.layers[:-1]]

    def history(self, metric):
        """(epochs, values) with non-finite losses as NaN."""
        h = self.record["history"]
        values = np.array([np.nan if v is None else v for v in h[metric]], dtype=float)
        return np.asarray(h["epoch"]), values


def lower_median(values):
    """The median of ``values``; of an even count, the lower of the two middle values, so that
    a median of epochs is an epoch some run had. None for no values."""
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2] if ordered else None


@dataclasses.dataclass(frozen=True)
class Summary:
    """Aggregates of one setting on one data set over its seeds."""

    runs: int
    mean_accuracy: float
    std_accuracy: float
    success_rate: float          # fraction of seeds that converged (held 100% to the end)
    succeeded: int               # seeds that converged
    median_held_epoch: int | None    # lower median, over the seeds that converged, of the epoch
                                     # from which they held 100%; None if none did
    fell_back: int               # seeds whose accuracy dropped after first reaching 100%
    median_epochs_to_100: int | None   # lower median first epoch at 100% (over the seeds that
                                       # reached it); None if none did
    reached_100: int
    spiked: int                  # seeds with at least one loss spike
    diverged: int
    mean_final_loss: float | None        # over the runs that did not diverge
    median_final_loss: float | None


class ExperimentResults:
    """One experiment's results file, with aggregation helpers for figures and templates."""

    def __init__(self, data):
        self.data = data
        self.name = data["experiment"]
        self.profile = data["profile"]
        #: {setting: the engine's reason} of the settings it did not support (some run)
        self.unsupported = {}
        for r in data["runs"]:
            if r["status"] == schema.STATUS_UNSUPPORTED:
                self.unsupported.setdefault(r["setting"], r["reason"])
        self.settings = [s["label"] for s in data["settings"]
                         if s["label"] not in self.unsupported]
        self.datasets = list(data["datasets"])
        self._runs = [Run(r["setting"], r) for r in data["runs"]
                      if r["setting"] not in self.unsupported]

    def __repr__(self):
        return f"<ExperimentResults {self.name!r}: {len(self._runs)} runs, {self.profile}>"

    @property
    def quick(self):
        return self.profile == "quick"

    def overrides(self, setting):
        return next(s["overrides"] for s in self.data["settings"] if s["label"] == setting)

    def runs(self, setting=None, dataset=None):
        return [r for r in self._runs
                if (setting is None or r.setting == setting)
                and (dataset is None or r.dataset == dataset)]

    def summary(self, setting, dataset):
        runs = self.runs(setting, dataset)
        if not runs:
            raise KeyError(f"{self.name}: no runs for setting {setting!r} on {dataset!r}")
        acc = np.array([r.final_accuracy for r in runs])
        reached = [r.epochs_to_100 for r in runs if r.epochs_to_100 is not None]
        losses = [r.final_loss for r in runs if r.status == "ok" and r.final_loss is not None]
        return Summary(
            runs=len(runs),
            mean_accuracy=float(acc.mean()),
            std_accuracy=float(acc.std()),
            success_rate=float(np.mean([r.succeeded for r in runs])),
            succeeded=sum(r.succeeded for r in runs),
            median_held_epoch=lower_median(r.held_100 for r in runs if r.held_100 is not None),
            fell_back=sum(r.fell_back for r in runs),
            median_epochs_to_100=lower_median(reached),
            reached_100=len(reached),
            spiked=sum(r.stability["spikes"] > 0 for r in runs),
            diverged=sum(r.status == "diverged" for r in runs),
            mean_final_loss=float(np.mean(losses)) if losses else None,
            median_final_loss=float(np.median(losses)) if losses else None,
        )

    def curve(self, setting, dataset, metric="loss", geometric=False):
        """(epochs, mean, low, high) across seeds: mean with a min-max band; with
        ``geometric``, the geometric mean (of positive values: a loss drawn on a log axis,
        where one seed's large loss would otherwise lift the mean above all the others).

        Every run is put on the epoch grid of the longest one by its own recorded epochs
        (histories are downsampled per run). A run that diverged stops at its last finite
        value and is left out from there on; epochs where no run is left are NaN.
        """
        runs = self.runs(setting, dataset)
        longest = max(runs, key=lambda r: r.record["history"]["epoch"][-1])
        grid = np.asarray(longest.record["history"]["epoch"], dtype=float)
        table = np.full((len(runs), len(grid)), np.nan)
        for i, run in enumerate(runs):
            epochs, values = run.history(metric)
            finite = np.isfinite(values)
            epochs, values = epochs[finite], values[finite]
            if len(epochs):
                inside = grid <= epochs[-1]
                table[i, inside] = np.interp(grid[inside], epochs, values)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns are expected
            centre = (np.exp(np.nanmean(np.log(np.maximum(table, np.finfo(float).tiny)), 0))
                      if geometric else np.nanmean(table, 0))
            return grid, centre, np.nanmin(table, 0), np.nanmax(table, 0)


def _stored_digests(out):
    """{experiment: (digest, git commit or "-", "1" if the checkout had uncommitted changes
    else "0")} from digests.txt, one line "<name> <digest> <commit> <dirty>" per results
    file; any other line is ignored (its experiment's results file is then written again)."""
    try:
        lines = OutputLayout(Path(out)).results_digests.read_text().splitlines()
    except (OSError, ValueError):
        return {}
    found = (_DIGEST_LINE.fullmatch(line) for line in lines)
    return {m.group(1): m.groups()[1:] for m in found if m}


_DIGEST_LINE = re.compile(r"([\w.-]+) ([0-9a-f]{64}) ([0-9a-f]{40}|-) ([01])")


def stored(name, out=DEFAULT_OUT):
    """(digest, {"git_commit", "git_dirty"}) of the results file of ``name`` as last written,
    as digests.txt notes them (so that the file need not be parsed): its ``digest`` and the
    commit its provenance names; None if unknown."""
    if not OutputLayout(Path(out)).results_file(name).exists():
        return None
    found = _stored_digests(out).get(name)
    if found is None:
        return None
    digest, commit, dirty = found
    return digest, {"git_commit": None if commit == "-" else commit, "git_dirty": dirty == "1"}


def stored_digest(name, out=DEFAULT_OUT):
    """The ``digest`` of the results file of ``name`` as last written (None if unknown)."""
    found = stored(name, out)
    return None if found is None else found[0]


def write(data, out=DEFAULT_OUT):
    """Write one experiment's results file atomically; returns its path.

    ``digest`` (a hash of the settings and run keys) is also noted in ``digests.txt`` beside
    the files, so an unchanged experiment can be recognised without parsing its file.
    """
    layout = OutputLayout(Path(out))
    path = layout.results_file(data["experiment"])
    data = {"schema": SCHEMA_VERSION, **data}
    # no indent: the C encoder is ten times faster, and these files are data, not prose
    atomic_write_text(path, json.dumps(data, separators=(",", ":"), allow_nan=False))
    prov = data.get("provenance") or {}
    known = {**_stored_digests(out), data["experiment"]: (
        data["digest"], prov.get("git_commit") or "-", "1" if prov.get("git_dirty") else "0")}
    atomic_write_text(layout.results_digests,
                      "".join(f"{k} {' '.join(v)}\n" for k, v in sorted(known.items())))
    return path


def load(name, out=DEFAULT_OUT):
    """The results of experiment ``name`` from ``<out>/results/<name>.json``."""
    return load_file(OutputLayout(Path(out)).results_file(name))


def load_file(path):
    """The results in the results file ``path`` (ValueError if it is not one)."""
    try:
        data = json.loads(Path(path).read_text())
    except ValueError as e:
        raise ValueError(f"{path}: not a results file ({e})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_VERSION:
        found = data.get("schema") if isinstance(data, dict) else None
        raise ValueError(f"{path}: results schema {found!r}, expected {SCHEMA_VERSION}")
    problem = schema.results_problem(data)
    if problem:
        raise ValueError(f"{path}: not a results file of schema {SCHEMA_VERSION}: {problem}")
    return ExperimentResults(data)


def load_all(out=DEFAULT_OUT):
    """Every results file under ``<out>/results``, by experiment name."""
    folder = OutputLayout(Path(out)).results
    return {p.stem: load(p.stem, out) for p in sorted(folder.glob("*.json"))}


def load_facts(out=DEFAULT_OUT):
    """The facts the report's prose states, by section, as the last build wrote them to
    ``<out>/facts.json`` (``<out>/quick`` for the preview): the audit trail of its sentences."""
    path = OutputLayout(Path(out)).facts
    data = json.loads(path.read_text())
    if not isinstance(data, dict) or data.get("schema") != FACTS_SCHEMA or "sections" not in data:
        raise ValueError(f"{path}: not a facts file of schema {FACTS_SCHEMA}")
    return data["sections"]
