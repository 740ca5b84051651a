"""RunSpec: everything that determines one training run, validated on creation.

A run is a pure function of its spec (and the data): the same spec gives the same bits.
Validation errors are ``ValueError("field: problem")`` so callers can prefix where the
value came from.
"""
import dataclasses
import numbers

from .activations import ACTIVATIONS
from .initializers import INITIALIZERS
from .losses import LOSSES, REQUIRED_OUTPUT
from .optimizers import OPTIMIZERS


@dataclasses.dataclass(frozen=True)
class RunSpec:
    """One training run: network, optimisation and seed.

    ``sizes`` lists the units per layer, input (2) to output (1). ``seed`` fixes the
    initial weights and, for mini-batches, the shuffling.
    """

    sizes: tuple = (2, 4, 4, 1)
    activation: str = "sigmoid"
    output_activation: str = "sigmoid"
    bias: bool = True
    init: str = "normal"
    seed: int = 0
    optimizer: str = "sgd"
    lr: float = 1.0
    epochs: int = 5000
    batch_size: int | None = None
    loss: str = "mse"
    momentum: float = 0.9
    rho: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    leaky_slope: float = 0.01

    def __post_init__(self):
        if isinstance(self.sizes, list):
            object.__setattr__(self, "sizes", tuple(self.sizes))
        for check in _CHECKS:
            check(self)

    def to_dict(self):
        """Plain JSON-ready dict of every field."""
        d = dataclasses.asdict(self)
        d["sizes"] = list(self.sizes)
        return d

    @classmethod
    def from_dict(cls, d):
        """Inverse of ``to_dict``; unknown keys raise ValueError naming them."""
        unknown = set(d) - set(FIELDS)
        if unknown:
            raise ValueError(f"{sorted(unknown)[0]}: unknown field; allowed: {', '.join(FIELDS)}")
        return cls(**d)

    def replace(self, **changes):
        """A copy with some fields changed (and validated)."""
        return dataclasses.replace(self, **changes)


FIELDS = tuple(f.name for f in dataclasses.fields(RunSpec))


def _is_int(v):
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _is_real(v):
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _fail(field, problem):
    raise ValueError(f"{field}: {problem}")


def _check_choice(field, table):
    def check(spec):
        value = getattr(spec, field)
        if value not in table:
            _fail(field, f"unknown {value!r}; allowed: {', '.join(table)}")
    return check


def _check_number(field, low, low_inclusive=False, high=None, high_inclusive=False, integer=False):
    def check(spec):
        value = getattr(spec, field)
        if not (_is_int(value) if integer else _is_real(value)):
            _fail(field, f"must be {'an integer' if integer else 'a number'}, got {value!r}")
        if value < low or (value == low and not low_inclusive):
            _fail(field, f"must be {'>=' if low_inclusive else '>'} {low}, got {value!r}")
        if high is not None and (value > high or (value == high and not high_inclusive)):
            _fail(field, f"must be {'<=' if high_inclusive else '<'} {high}, got {value!r}")
    return check


def _check_sizes(spec):
    sizes = spec.sizes
    if not isinstance(sizes, tuple) or not all(_is_int(s) for s in sizes):
        _fail("sizes", f"must be a list of integers, got {sizes!r}")
    if len(sizes) < 2 or sizes[0] != 2 or sizes[-1] != 1:
        _fail("sizes", f"must start at 2 (inputs) and end at 1 (output), got {list(sizes)}")
    if any(s < 1 for s in sizes):
        _fail("sizes", f"every layer needs at least 1 unit, got {list(sizes)}")


def _check_types(spec):
    if not isinstance(spec.bias, bool):
        _fail("bias", f"must be true or false, got {spec.bias!r}")
    if not _is_int(spec.seed) or spec.seed < 0:
        _fail("seed", f"must be an integer >= 0, got {spec.seed!r}")
    if spec.batch_size is not None and (not _is_int(spec.batch_size) or spec.batch_size < 1):
        _fail("batch_size", f"must be an integer >= 1 or none (full batch), got {spec.batch_size!r}")


def _check_loss_output(spec):
    required = REQUIRED_OUTPUT.get(spec.loss)
    if required and spec.output_activation != required:
        _fail("loss", f"{spec.loss!r} needs output_activation {required!r}, got {spec.output_activation!r}")


_CHECKS = (
    _check_sizes,
    _check_types,
    _check_choice("activation", ACTIVATIONS),
    _check_choice("output_activation", ACTIVATIONS),
    _check_choice("init", INITIALIZERS),
    _check_choice("optimizer", OPTIMIZERS),
    _check_choice("loss", LOSSES),
    _check_loss_output,
    _check_number("lr", 0),
    _check_number("epochs", 1, low_inclusive=True, integer=True),
    _check_number("momentum", 0, low_inclusive=True, high=1),
    _check_number("rho", 0, low_inclusive=True, high=1),
    _check_number("beta1", 0, low_inclusive=True, high=1),
    _check_number("beta2", 0, low_inclusive=True, high=1),
    _check_number("eps", 0),
    _check_number("leaky_slope", 0, low_inclusive=True, high=1),
)
