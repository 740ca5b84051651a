"""RunSpec: everything that determines one training run, validated on creation.

A run is a pure function of its spec (and the data): the same spec gives the same bits.
Validation errors are ``ValueError("field: problem")`` so callers can prefix where the
value came from. The choices (activation, loss, optimizer, init) are checked against the
registries, and the optimizers' and activations' hyper-parameters against the ranges their
entries declare, so a newly registered entry is valid here at once.
"""
import dataclasses
import numbers

from .activations import ACTIVATIONS
from .conv import LIFTS, PADDINGS, output_length
from .initializers import INITIALIZERS
from .losses import LOSSES
from .optimizers import LEARNING_RATE, OPTIMIZERS
from .registry import Range

#: Values no experiment of this lab needs, refused outright, whatever ``--allow-large`` says
#: (the work and memory bounds of ``experiments/bounds.py`` come on top of these).
MAX_EPOCHS = 10**7
#: units of a dense layer, channels and kernel width of a conv layer
MAX_WIDTH = 10**4
MAX_BATCH_SIZE = 10**6

@dataclasses.dataclass(frozen=True)
class RunSpec:
    """One training run: network, optimisation and seed.

    ``sizes`` lists the units per layer, input (2) to output (1). ``seed`` fixes the
    initial weights and, for mini-batches, the shuffling.

    ``conv`` (empty by default: a dense network) lists 1-D convolution layers placed
    before the dense ones, each a ``ConvLayer(channels, kernel, padding)``; from TOML or
    JSON, a list of tables ``{channels = 4, kernel = 2, padding = "valid"}`` (padding is
    optional, "valid" by default). With conv layers the network is
    lift -> conv... -> flatten -> dense..., where ``lift`` (see ``conv.py``) turns the
    point into a one-channel signal; ``sizes[0]`` is still the raw input (2), and the
    dense layers take the flattened conv output and have the units ``sizes[1:]``. Conv
    layers use ``activation`` and ``bias`` like hidden dense layers. ``lift`` is ignored
    without conv layers.
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
    conv: tuple = ()
    lift: str = "proj4"

    def __post_init__(self):
        if isinstance(self.sizes, list):
            object.__setattr__(self, "sizes", tuple(self.sizes))
        object.__setattr__(self, "conv", _conv_layers(self.conv))
        for check in _CHECKS:
            check(self)

    def to_dict(self):
        """Plain JSON-ready dict of every field."""
        d = dataclasses.asdict(self)
        d["sizes"] = list(self.sizes)
        d["conv"] = [layer.to_dict() for layer in self.conv]
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


@dataclasses.dataclass(frozen=True)
class ConvLayer:
    """Settings of one conv layer: output channels, kernel width, padding."""

    channels: int
    kernel: int
    padding: str = "valid"

    def to_dict(self):
        return {"channels": self.channels, "kernel": self.kernel, "padding": self.padding}


CONV_KEYS = tuple(f.name for f in dataclasses.fields(ConvLayer))


def _conv_layers(value):
    """``conv`` as a tuple of ConvLayer, from ConvLayers, dicts or (channels, kernel[, padding])."""
    if isinstance(value, (ConvLayer, dict)) or not isinstance(value, (list, tuple)):
        _fail("conv", f"must be a list of {{channels, kernel, padding}} tables, got {value!r}")
    layers = []
    for i, entry in enumerate(value):
        where = f"conv[{i}]"
        if isinstance(entry, ConvLayer):
            layers.append(entry)
            continue
        if isinstance(entry, (list, tuple)) and 2 <= len(entry) <= len(CONV_KEYS):
            entry = dict(zip(CONV_KEYS, entry))
        if not isinstance(entry, dict):
            _fail(where, f"must be a table {{channels, kernel, padding}}, got {entry!r}")
        unknown = sorted(set(entry) - set(CONV_KEYS), key=str)
        if unknown:
            _fail(where, f"unknown key {unknown[0]!r}; allowed: {', '.join(CONV_KEYS)}")
        missing = [key for key in ("channels", "kernel") if key not in entry]
        if missing:
            _fail(where, f"missing {missing[0]!r}; needs channels and kernel (padding optional)")
        layers.append(ConvLayer(**entry))
    return tuple(layers)


def _is_int(v):
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _fail(field, problem):
    raise ValueError(f"{field}: {problem}")


def _check_choice(field, registry):
    def check(spec):
        value = getattr(spec, field)
        if not isinstance(value, str) or value not in registry:
            _fail(field, f"unknown {value!r}; allowed: {', '.join(registry)}")
    return check


def _check_range(field, allowed):
    def check(spec):
        allowed.check(field, getattr(spec, field))
    return check


def _uses(spec):
    """(field, entry) of the activations and the optimizer ``spec`` chooses."""
    return [("activation", ACTIVATIONS[spec.activation]),
            ("output_activation", ACTIVATIONS[spec.output_activation]),
            ("optimizer", OPTIMIZERS[spec.optimizer])]


def _check_hyper_parameters(spec):
    """Every hyper-parameter a registered activation or optimizer declares is in the range
    declared for it (whether or not ``spec`` uses that entry), in the order of the fields;
    the entries ``spec`` uses must take only hyper-parameters that are RunSpec fields."""
    for field, entry in _uses(spec):
        for parameter in entry.parameters:
            if parameter.name not in FIELDS:
                _fail(field, f"{entry.name!r} takes hyper-parameter {parameter.name!r}, "
                             f"which is not a run-spec field")
    declared = {(p.name, p.range): None
                for entry in (*ACTIVATIONS.values(), *OPTIMIZERS.values())
                for p in entry.parameters if p.name in FIELDS}
    for name, allowed in sorted(declared, key=lambda d: FIELDS.index(d[0])):
        allowed.check(name, getattr(spec, name))


def _check_sizes(spec):
    sizes = spec.sizes
    if not isinstance(sizes, tuple) or not all(_is_int(s) for s in sizes):
        _fail("sizes", f"must be a list of integers, got {sizes!r}")
    if len(sizes) < 2 or sizes[0] != 2 or sizes[-1] != 1:
        _fail("sizes", f"must start at 2 (inputs) and end at 1 (output), got {list(sizes)}")
    if any(s < 1 for s in sizes):
        _fail("sizes", f"every layer needs at least 1 unit, got {list(sizes)}")
    if any(s > MAX_WIDTH for s in sizes):
        _fail("sizes", f"every layer has at most {MAX_WIDTH} units, got {list(sizes)}")


def _check_conv(spec):
    if not isinstance(spec.lift, str) or spec.lift not in LIFTS:
        _fail("lift", f"unknown {spec.lift!r}; allowed: {', '.join(LIFTS)}")
    length = LIFTS[spec.lift]
    for i, layer in enumerate(spec.conv):
        where = f"conv[{i}]"
        for key in ("channels", "kernel"):
            value = getattr(layer, key)
            if not _is_int(value) or value < 1:
                _fail(f"{where}.{key}", f"must be an integer >= 1, got {value!r}")
            if value > MAX_WIDTH:
                _fail(f"{where}.{key}", f"must be <= {MAX_WIDTH}, got {value!r}")
        if not isinstance(layer.padding, str) or layer.padding not in PADDINGS:
            _fail(f"{where}.padding", f"unknown {layer.padding!r}; allowed: {', '.join(PADDINGS)}")
        if layer.padding == "valid" and layer.kernel > length:
            _fail(f"{where}.kernel",
                  f"must be <= signal length {length} with padding 'valid', got {layer.kernel}")
        length = output_length(length, layer.kernel, layer.padding)


def _check_types(spec):
    if not isinstance(spec.bias, bool):
        _fail("bias", f"must be true or false, got {spec.bias!r}")
    if not _is_int(spec.seed) or spec.seed < 0:
        _fail("seed", f"must be an integer >= 0, got {spec.seed!r}")
    if spec.batch_size is not None and (not _is_int(spec.batch_size) or spec.batch_size < 1):
        _fail("batch_size", f"must be an integer >= 1 or none (full batch), got {spec.batch_size!r}")
    if spec.batch_size is not None and spec.batch_size > MAX_BATCH_SIZE:
        _fail("batch_size", f"must be <= {MAX_BATCH_SIZE}, got {spec.batch_size!r}")


def _check_loss_output(spec):
    required = LOSSES[spec.loss].required_output
    if required and spec.output_activation != required:
        _fail("loss", f"{spec.loss!r} needs output_activation {required!r}, got {spec.output_activation!r}")


_CHECKS = (
    _check_sizes,
    _check_types,
    _check_conv,
    _check_choice("activation", ACTIVATIONS),
    _check_choice("output_activation", ACTIVATIONS),
    _check_choice("init", INITIALIZERS),
    _check_choice("optimizer", OPTIMIZERS),
    _check_choice("loss", LOSSES),
    _check_loss_output,
    _check_range("lr", LEARNING_RATE.range),
    _check_range("epochs", Range(1, MAX_EPOCHS, low_inclusive=True, high_inclusive=True,
                                   integer=True)),
    _check_hyper_parameters,
)
