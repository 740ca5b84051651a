"""The runner: plan every run of the experiments, train what the cache lacks, write results.

Runs missing from the cache are split into batches of compatible specs (same data set,
same shapes and code path) of at most ``BATCH_SIZE`` networks, in key order (runs that
differ only in epochs are one network, see ``train_many``); each batch is one
``train_many`` call, and batches are spread over ``jobs`` processes. A run's numbers do not
depend on the batch it lands in nor on the process count, so results are identical bit for
bit whatever ``--jobs`` is. Every finished batch is cached at once: an interrupted run
keeps what it finished.

A foreign engine (``engines.py``) trains one network per ``train`` call: its runs are spread
over ``jobs`` processes one by one, each stopped after the engine's time limit (an
``EngineFault`` naming the run), and recorded by ``foreign.py``.
"""
import functools
import dataclasses
import sys
import time
from itertools import groupby

from .. import keys, processes, results
from ..engine import RunSpec, datasets, train_many
from ..engine.training import stack_key, trajectory_key
from ..layout import OutputLayout
from . import foreign, provenance
from .cache import RunCache, key_of
from .record import record_from_result
from .config import Experiment, Setting

BATCH_SIZE = 50


@dataclasses.dataclass(frozen=True)
class PlannedRun:
    experiment: str
    setting: Setting
    dataset: str
    seed: int
    spec: RunSpec
    spec_dict: dict       # spec.to_dict(), made once
    key: str

    @property
    def expected(self):
        """What its cache entry must hold (see ``RunCache.get``)."""
        return self.spec, self.spec_dict, self.dataset


@dataclasses.dataclass
class RunStats:
    """How many distinct runs the experiments needed, and how many were trained."""

    planned: int = 0
    cached: int = 0
    trained: int = 0
    seconds: float = 0.0


def plan(experiments: list[Experiment], quick=False, engine=None):
    """Every run of the experiments, in file, setting, data set, seed order, keyed for
    ``engine`` (default: reportgen's own)."""
    planned = []
    for experiment in experiments:
        for setting in experiment.settings:
            for dataset in experiment.datasets:
                for seed in experiment.seed_list(quick):
                    spec = experiment.spec(setting, seed, quick)
                    spec_dict = spec.to_dict()
                    planned.append(PlannedRun(experiment.name, setting, dataset, seed, spec,
                                              spec_dict, key_of(spec_dict, dataset, engine)))
    return planned


def cached_count(planned, out, quick=False):
    """How many distinct runs of ``planned`` the cache already holds."""
    cache = RunCache(OutputLayout.of(out, quick).runs)
    return sum(1 for key, p in {p.key: p for p in planned}.items()
               if cache.get(key, p.expected) is not None)


def train_missing(planned, cache, jobs=None, force=False, progress=None, engine=None):
    """Records of every planned run by key, training what ``cache`` lacks (or all, ``force``)
    with ``engine`` (default: reportgen's own).

    ``progress``, if given, is told the number of runs to train (``start``) and each
    finished batch (``update``).
    """
    unique = {p.key: p for p in planned}
    records, stats = {}, RunStats(planned=len(unique))
    if not force:
        for key, p in unique.items():
            record = cache.get(key, p.expected)
            if record is not None:
                records[key] = record
    stats.cached = len(records)
    missing = [unique[key] for key in sorted(unique) if key not in records]
    if progress:
        progress.start(len(missing))
    start = time.perf_counter()
    for batch_records in _train(missing, processes.job_count(jobs), engine):
        for record in batch_records:
            cache.put(record)
            records[record["key"]] = record
        stats.trained += len(batch_records)
        if progress:
            progress.update(len(batch_records))
    stats.seconds = time.perf_counter() - start
    return records, stats


def _train(missing, jobs, engine):
    """Lists of records of the ``missing`` runs, as they are trained: in batches by
    ``train_many``, or one by one by a foreign engine."""
    if engine is None or engine.builtin:
        yield from processes.map_unordered(_train_batch_tuple, _batches(missing), jobs)
        return
    tasks = [(run.dataset, run.spec_dict, run.key) for run in missing]
    try:
        for record in processes.map_with_deadline(functools.partial(_train_foreign, engine),
                                                  tasks, engine.timeout, jobs):
            yield [record]
    except processes.Overtime as late:
        dataset, spec_dict, _ = late.item
        raise foreign.fault(engine, RunSpec.from_dict(spec_dict),
                            f"train did not finish within {late.seconds:g} s, the time limit "
                            f"on one run ([engine] timeout in report.toml)", dataset) from None


def _train_foreign(engine, task):
    return foreign.train_run(engine, *task)


def _compatibility(run):
    return run.dataset, stack_key(run.spec)


def _batches(missing):
    """Batches of compatible runs, independent of the number of jobs: at most BATCH_SIZE
    trajectories each, the runs that differ only in epochs (one trajectory, see
    ``train_many``) always in the same batch, so that it is trained once."""
    batches = []
    for _, group in groupby(sorted(missing, key=_compatibility), key=_compatibility):
        trajectories = [list(runs) for _, runs in
                        groupby(sorted(group, key=_trajectory_order), key=_trajectory)]
        for start in range(0, len(trajectories), BATCH_SIZE):
            networks = trajectories[start:start + BATCH_SIZE]
            runs = [run for runs in networks for run in runs]
            cost = max(r.spec.epochs for r in runs) * len(networks)
            batches.append((cost, (runs[0].dataset, [r.spec_dict for r in runs],
                                   [r.key for r in runs])))
    # the costliest batches (epochs x networks) first, so that the slowest do not start last
    batches.sort(key=lambda b: -b[0])
    return [batch for _, batch in batches]


def _trajectory(run):
    return trajectory_key(run.spec)


def _trajectory_order(run):
    return trajectory_key(run.spec), run.key


def _train_batch_tuple(batch):
    return train_batch(*batch)


def train_batch(dataset, spec_dicts, keys):
    """Train one batch with ``train_many`` and return its records (runs in a worker)."""
    X, y = datasets.load(dataset)
    specs = [RunSpec.from_dict(d) for d in spec_dicts]
    start = time.perf_counter()
    fitted = train_many(specs, X, y)
    share = (time.perf_counter() - start) / len(specs)
    return [record_from_result(result, dataset, key, share)
            for result, key in zip(fitted, keys)]


def results_data(experiment, planned, records, quick, prov):
    """The results-file content of one experiment."""
    runs = []
    for p in planned:
        if p.experiment == experiment.name:
            record = dict(records[p.key])
            runs.append({"setting": p.setting.label, **record})
    data = {
        "experiment": experiment.name,
        "description": experiment.description,
        "section": experiment.section,
        "source": experiment.path.name,
        "profile": "quick" if quick else "full",
        "datasets": list(experiment.datasets),
        "seeds": experiment.seed_list(quick),
        "settings": [{"label": s.label, "overrides": s.overrides} for s in experiment.settings],
        "swept": list(experiment.swept),
        "provenance": prov,
        "runs": runs,
    }
    # The run keys fix every number of the runs, so they and the settings fix the file's content.
    identity = {k: v for k, v in data.items() if k not in ("provenance", "runs")}
    identity["runs"] = [(r["setting"], r["key"]) for r in runs]
    data["digest"] = keys.key("results", identity)
    return data


def run(experiments, out, jobs=None, quick=False, force=False, show_progress=True,
        engine=None):
    """Train (or load from cache) every run of ``experiments`` and write their results files
    in the profile's folder (``OutputLayout.of(out, quick)``).

    Returns (ExperimentResults by name, RunStats).
    """
    loaded, stats, unwritten = compute(experiments, out, jobs, quick, force, show_progress,
                                       engine)
    write_results(unwritten, out, quick)
    return loaded, stats


def compute(experiments, out, jobs=None, quick=False, force=False, show_progress=True,
            engine=None):
    """``run`` without writing the results files: returns (ExperimentResults by name,
    RunStats, the results files still to write, for ``write_results``).

    The build writes them later, while the PDF is laid out: encoding the histories of
    every run as JSON takes a second or two, which need not wait for the figures.
    """
    prov = provenance.collect()
    planned = plan(experiments, quick, engine)
    layout = OutputLayout.of(out, quick)
    cache = RunCache(layout.runs)
    bar = ProgressBar(enabled=show_progress and sys.stderr.isatty())
    try:
        records, stats = train_missing(planned, cache, jobs, force, bar, engine)
    finally:
        bar.close()
    loaded, unwritten = {}, []
    for experiment in experiments:
        data = results_data(experiment, planned, records, quick, prov)
        # A file that already holds these very runs is kept, provenance and all: it still
        # says truthfully when and by what the numbers were computed.
        kept = results.stored(experiment.name, layout.dir)
        if kept is None or kept[0] != data["digest"] or stats.trained:
            unwritten.append(data)
        else:   # what the report says of it is what its file says
            data["provenance"] = {**data["provenance"], **kept[1]}
        loaded[experiment.name] = results.ExperimentResults({"schema": results.SCHEMA_VERSION,
                                                              **data})
    return loaded, stats, unwritten


def write_results(unwritten, out, quick=False):
    """Write the results files ``compute`` left to write."""
    for data in unwritten:
        results.write(data, OutputLayout.of(out, quick).dir)


class ProgressBar:
    """A tqdm bar on stderr, created only when there is something to train."""

    def __init__(self, enabled):
        self.enabled = enabled
        self.bar = None

    def start(self, total):
        if self.enabled and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="run", file=sys.stderr, desc="training", leave=False)

    def update(self, n):
        if self.bar:
            self.bar.update(n)

    def close(self):
        if self.bar:
            self.bar.close()
