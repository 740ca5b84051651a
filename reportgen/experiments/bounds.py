"""Bounds on work: what an experiment would cost, estimated at validation, before training.

**Work** is counted in parameter-sample-epochs: for every network the runner trains (runs
that differ only in their epochs are one trajectory, trained once, for the most epochs),
epochs x trainable parameters x training samples. One parameter-sample-epoch is a few
floating-point operations (a multiply-add forward, two backward), so work is proportional
to training time for a given machine: the shipped report is about ``SHIPPED_WORK``, which
trains in some 12 s on two cores.

**Memory** is the largest stack's arrays (see ``engine/training.py``): K networks trained
together, each with its parameters, gradients, optimizer state and the parameters copied
aside for ``CHUNK_EPOCHS`` epochs; its activations and their deltas; and its loss and
accuracy per epoch (two numbers per epoch per network), in float64.

The limits (``WORK_LIMIT``, 10x the shipped report's work, and ``MEMORY_LIMIT``, 2 GB) stop
``run``, ``build`` and ``list`` with exit 2, unless ``--allow-large``; ``reportgen train``
checks its one network against the same limits. Values no experiment could mean (epochs over
10^7, layers wider than 10^4, ...) are refused by RunSpec's own validation, whatever the flag.
"""
import dataclasses

from ..engine import datasets
from ..engine.conv import LIFTS, output_length
from ..engine.training import CHUNK_EPOCHS, _stack_size, stack_key, trajectory_key
from .config import ConfigError

#: work of the shipped report (``experiments/``, full profile), rounded up; a test keeps it
#: in step with the shipped files
SHIPPED_WORK = 1.0e10
WORK_LIMIT = 10 * SHIPPED_WORK
MEMORY_LIMIT = 2 * 1024**3
#: the runner's batches hold at most this many trajectories (``runner.BATCH_SIZE``)
_BATCH = 50
_BYTES = 8
#: per parameter: value, gradient, up to two optimizer states (Adam)
_COPIES = 4


@dataclasses.dataclass(frozen=True)
class Estimate:
    """The work (parameter-sample-epochs) and memory (bytes) an experiment would need, with
    the field its size comes from most (``"epochs"``, ``"sizes"``, ``"conv"``, ``"seeds"``
    or ``"sweep"``) and where it is set in the file (``"base.epochs"``, ...)."""

    work: float
    memory: int
    networks: int
    field: str
    where: str

    def problem(self):
        """``None`` within the limits, else the sentence that says what is over which."""
        if self.memory > MEMORY_LIMIT:
            return (f"training would need about {format_bytes(self.memory)} of arrays (the "
                    f"largest stack of networks trained together), over the limit of "
                    f"{format_bytes(MEMORY_LIMIT)}")
        if self.work > WORK_LIMIT:
            return (f"the estimated work is {self.work:.2g} parameter-sample-epochs (epochs x "
                    f"parameters x samples, over its {self.networks} networks), over the limit "
                    f"of {WORK_LIMIT:.2g} (10x the shipped report's)")
        return None


class TooLarge(ConfigError):
    """An experiment past the work or memory limit: ``<file>: <field>: <estimate>``."""

    def __init__(self, path, field, problem):
        super().__init__(path, field, f"{problem}; pass --allow-large to run it anyway")


def parameter_count(spec):
    """Trainable scalars of the network ``spec`` describes (without building it)."""
    return _shape(spec)[0]


def _shape(spec):
    """(parameters, activation numbers per sample) of ``spec``'s network."""
    bias = 1 if spec.bias else 0
    params, units = 0, 0
    width = spec.sizes[0]
    if spec.conv:
        length, channels = LIFTS[spec.lift], 1
        units += length
        for layer in spec.conv:
            params += layer.kernel * channels * layer.channels + bias * layer.channels
            length, channels = output_length(length, layer.kernel, layer.padding), layer.channels
            units += length * channels
        width = length * channels
    for size in spec.sizes[1:]:
        params += (width + bias) * size
        units += size
        width = size
    return params, units


def stack_memory(spec, networks, samples):
    """Bytes of the arrays of a stack of ``networks`` networks of ``spec`` on ``samples``."""
    params, units = _shape(spec)
    per_network = (params * (_COPIES + CHUNK_EPOCHS)          # parameters, kept aside
                   + samples * units * 3                       # activations, deltas, inputs
                   + samples * CHUNK_EPOCHS                    # outputs kept aside
                   + 2 * (spec.epochs + 1))                    # loss and accuracy per epoch
    return per_network * networks * _BYTES


def estimate(experiment, quick=False):
    """The Estimate of ``experiment`` (under ``--quick`` with ``quick``)."""
    samples = {name: len(datasets.load(name)[0]) for name in experiment.datasets}
    trajectories = {}      # (dataset, trajectory) -> (spec with the most epochs, setting)
    for setting in experiment.settings:
        for seed in experiment.seed_list(quick):
            spec = experiment.spec(setting, seed, quick)
            for name in experiment.datasets:
                key = (name, trajectory_key(spec))
                if key not in trajectories or trajectories[key][0].epochs < spec.epochs:
                    trajectories[key] = (spec, setting)
    work, costliest, stacks = 0.0, None, {}
    for (name, _), (spec, setting) in trajectories.items():
        cost = float(spec.epochs) * parameter_count(spec) * samples[name]
        work += cost
        if costliest is None or cost > costliest[0]:
            costliest = (cost, spec, setting)
        group = stacks.setdefault((name, stack_key(spec)), [spec, 0])
        group[1] += 1
        if spec.epochs > group[0].epochs:
            group[0] = spec
    memory = 0
    for (name, _), (spec, count) in stacks.items():
        networks = min(count, _BATCH, _stack_size(spec, samples[name]))
        memory = max(memory, stack_memory(spec, networks, samples[name]))
    field, where = _blame(experiment, *costliest[1:], len(trajectories))
    return Estimate(work, memory, len(trajectories), field, where)


def check(experiment, quick=False):
    """Raise TooLarge (naming the file, the field and the estimate) past a limit."""
    found = estimate(experiment, quick)
    problem = found.problem()
    if problem:
        raise TooLarge(experiment.path, found.where, problem)
    return found


def check_network(spec, samples):
    """``reportgen train``'s one network against the same limits; the problem or None."""
    params = parameter_count(spec)
    found = Estimate(float(spec.epochs) * params * samples,
                     stack_memory(spec, 1, samples), 1, "", "")
    return found.problem()


#: the shipped report's largest values, against which a field's size is measured
_TYPICAL = {"epochs": 5000, "sizes": 100, "networks": 100}


def _blame(experiment, spec, setting, networks):
    """The field the costliest network's size comes from most, and where the file sets it."""
    factors = {"epochs": spec.epochs / _TYPICAL["epochs"],
               ("conv" if spec.conv else "sizes"): parameter_count(spec) / _TYPICAL["sizes"],
               "networks": networks / _TYPICAL["networks"]}
    field = max(factors, key=factors.get)
    if field == "networks":
        field = "seeds" if experiment.seeds >= len(experiment.settings) else "sweep"
        return field, field
    if field in experiment.swept:
        return field, f"sweep.{field}"
    if field in setting.overrides:
        return field, f"variant {setting.label!r}: {field}"
    if field in experiment.base:
        return field, f"base.{field}"
    return field, field


def format_bytes(n):
    for unit, size in (("GB", 1024**3), ("MB", 1024**2)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n / 1024:.3g} kB"
