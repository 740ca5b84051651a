"""Training with a foreign engine: one network per ``train(spec, X, y)`` call, its result
checked and put in the form of reportgen's own (``TrainResult``), or the run recorded as not
supported by the engine.

What ``train`` returns is normalised so that every record means the same, whatever engine
made it:

- ``loss`` and ``accuracy`` are stored with ``epochs + 1`` values, after 0..epochs epochs, as
  reportgen's engine gives them. An engine that returns ``epochs`` values is read as the usual
  student loop does it (forward pass, record the loss, backward pass, update): the values
  after 0..epochs-1 epochs; the last one is measured here on the trained network
  (``network.forward(X)``, the spec's loss, the 0.5 class rule).
- A loss that is not a finite number ends the history there: the run diverged (status
  ``diverged``), as with reportgen's engine. A result whose ``status`` is "diverged" may stop
  early with finite losses.
- Predictions must be finite unless the run diverged, and within [0, 1] from a sigmoid
  output.
- ``network.parameters()`` must have the reference engine's names and shapes (W1, b1, W2, ...;
  ``schema.parameter_shapes``): the figures redraw a trained network from them.

``train`` raising ``NotImplementedError`` or ``ValueError`` means "this engine does not
support this spec": the run is recorded with status ``unsupported`` and the reason. Anything
else wrong (another exception, wrong shapes, NaN predictions without a diverged status,
printing to stdout, changing the data) is an ``EngineFault`` naming the engine, the spec
and the problem.
"""
import contextlib
import dataclasses
import io
import time

import numpy as np

from ..engine import STATUS_DIVERGED, STATUS_OK, RunSpec, datasets
from ..engine.losses import LOSSES, accuracy
from ..engine.training import TrainResult
from .record import record_from_result
from .. import schema

STATUS_UNSUPPORTED = schema.STATUS_UNSUPPORTED
#: output activations whose values lie in [0, 1], and so must the predictions
BOUNDED_OUTPUTS = {"sigmoid"}
#: what ``train`` raises for a spec it does not support
NOT_SUPPORTED = (NotImplementedError, ValueError)


class EngineFault(Exception):
    """A foreign engine misbehaved: the message names the engine, the spec and the problem."""


@dataclasses.dataclass(frozen=True)
class Unsupported:
    """A spec the engine does not support, and why (what it raised)."""

    spec: RunSpec
    reason: str


def spec_text(spec):
    """A spec in one line: its layer sizes and seed, and the fields it sets otherwise than
    the default spec."""
    default = RunSpec()
    changed = [f"{name}={value!r}" for name, value in spec.to_dict().items()
               if name not in ("sizes", "seed") and value != default.to_dict()[name]]
    return f"spec (sizes={list(spec.sizes)}, seed={spec.seed}{''.join(', ' + c for c in changed)})"


def fault(engine, spec, problem, dataset=None):
    on = f" on the {dataset} data set" if dataset else ""
    return EngineFault(f"engine {engine.name}: {spec_text(spec)}{on}: {problem}")


def train(engine, spec, X, y, dataset=None):
    """``engine.module.train(spec, X, y)``, checked and normalised: a ``TrainResult`` (with
    ``epochs + 1`` losses and accuracies) or ``Unsupported``. Raises ``EngineFault``."""
    X_given, y_given = X.copy(), y.copy()
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            result = engine.module.train(spec, X, y)
    except NOT_SUPPORTED as error:
        return Unsupported(spec, _describe(error))
    except Exception as error:  # noqa: BLE001 (the student's code: named in the message)
        raise fault(engine, spec, f"train raised {_describe(error)}", dataset) from error
    if printed.getvalue():
        raise fault(engine, spec, f"train printed to stdout ({_first_line(printed)!r}); an "
                                  f"engine must not print: reportgen's output is its own",
                    dataset)
    if not (np.array_equal(X, X_given) and np.array_equal(y, y_given)):
        raise fault(engine, spec, "train changed the data set it was given", dataset)
    try:
        return normalise(spec, result, X, y)
    except ValueError as error:
        raise fault(engine, spec, str(error), dataset) from None


def normalise(spec, result, X, y):
    """A foreign ``train`` result as a ``TrainResult`` of reportgen's form (see the module
    docstring); ValueError saying what is wrong with it."""
    network = getattr(result, "network", None)
    if network is None or not callable(getattr(network, "forward", None)):
        raise ValueError("its result has no network with a forward(X) method")
    loss, acc = (_history(result, name) for name in ("loss", "accuracy"))
    if len(loss) != len(acc):
        raise ValueError(f"its result has {len(loss)} losses but {len(acc)} accuracies")
    yhat = _predictions(network, X)
    finite = np.isfinite(loss)
    diverged = not finite.all() or getattr(result, "status", STATUS_OK) == STATUS_DIVERGED
    if not finite.all():
        end = int(np.argmin(finite)) + 1
        loss, acc = loss[:end], acc[:end]
    elif len(loss) == spec.epochs:
        loss = np.append(loss, LOSSES[spec.loss].value(yhat, y))
        acc = np.append(acc, accuracy(yhat, y))
    elif len(loss) != spec.epochs + 1 and not (diverged and 0 < len(loss) <= spec.epochs):
        raise ValueError(f"its result has {len(loss)} losses for {spec.epochs} epochs; "
                         f"expected {spec.epochs + 1} (after 0..{spec.epochs} epochs) or "
                         f"{spec.epochs}")
    if not ((acc >= 0) & (acc <= 1)).all():
        raise ValueError("its accuracies are not all within [0, 1]")
    if not diverged and not np.isfinite(yhat).all():
        raise ValueError("network.forward(X) gave predictions that are NaN or inf although no "
                         "loss was and its status is not \"diverged\"")
    if spec.output_activation in BOUNDED_OUTPUTS and not ((yhat >= 0) & (yhat <= 1)).all():
        raise ValueError(f"network.forward(X) gave predictions outside [0, 1] from a "
                         f"{spec.output_activation} output")
    parameters = _parameters(spec, network, diverged)
    reached = np.flatnonzero(acc == 1.0)
    return TrainResult(spec=spec, loss=loss, accuracy=acc,
                       epochs_to_100=int(reached[0]) if reached.size else None,
                       status=STATUS_DIVERGED if diverged else STATUS_OK,
                       network=_Trained(network, parameters))


class _Trained:
    """A foreign network as a ``TrainResult`` holds it: its own forward pass, and its
    parameters checked and in the reference engine's order."""

    def __init__(self, network, parameters):
        self._network, self._parameters = network, parameters

    def forward(self, X):
        with contextlib.redirect_stdout(io.StringIO()):
            return np.asarray(self._network.forward(X), dtype=float)

    def parameters(self):
        return dict(self._parameters)


def _history(result, name):
    value = getattr(result, name, None)
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        array = None
    if array is None or array.ndim != 1 or not len(array):
        raise ValueError(f"its result's {name} is not a list of numbers per epoch "
                         f"(got {type(value).__name__})")
    return array


def _predictions(network, X):
    with contextlib.redirect_stdout(io.StringIO()):
        yhat = network.forward(X)
    yhat = np.asarray(yhat, dtype=float) if isinstance(yhat, (np.ndarray, list)) else None
    if yhat is None or yhat.shape != (len(X), 1):
        shape = "no array" if yhat is None else f"shape {yhat.shape}"
        raise ValueError(f"network.forward(X) gave {shape}, expected shape ({len(X)}, 1)")
    return yhat


def _parameters(spec, network, diverged):
    """``network.parameters()`` as float64 arrays in the reference engine's order."""
    expected = schema.parameter_shapes(spec)
    try:
        given = {name: np.array(value, dtype=float) for name, value in
                 network.parameters().items()}
    except (AttributeError, TypeError, ValueError):
        raise ValueError("network.parameters() does not give a dict {name: array}") from None
    shapes = {name: value.shape for name, value in given.items()}
    if shapes != expected:
        raise ValueError(f"network.parameters() gives {_shapes(shapes)}; reportgen reads a "
                         f"network by the reference engine's names and shapes, "
                         f"{_shapes(expected)}")
    if not diverged and not all(np.isfinite(v).all() for v in given.values()):
        raise ValueError("network.parameters() holds NaN or inf although the run did not "
                         "diverge")
    return {name: given[name] for name in expected}


def _shapes(shapes):
    return ", ".join(f"{name} {tuple(shape)}" for name, shape in shapes.items()) or "nothing"


def record(engine, spec, dataset, key, outcome, seconds):
    """The cache record of a run: as reportgen's engine's (``record_from_result``), with
    the parameters of a diverged network that are not finite written as null; or the record
    of a run the engine does not support: its key, data set, seed, spec and the reason."""
    if isinstance(outcome, Unsupported):
        return {"key": key, "dataset": dataset, "seed": spec.seed, "spec": spec.to_dict(),
                "status": STATUS_UNSUPPORTED, "reason": outcome.reason}
    made = record_from_result(outcome, dataset, key, seconds)
    if outcome.status == STATUS_DIVERGED:
        made["parameters"] = {name: np.where(np.isfinite(value), value, None).tolist()
                              for name, value in outcome.network.parameters().items()}
    return made


def train_run(engine, dataset, spec_dict, key):
    """Train one planned run with ``engine`` and return its record (runs in a worker)."""
    X, y = datasets.load(dataset)
    spec = RunSpec.from_dict(spec_dict)
    start = time.perf_counter()
    outcome = train(engine, spec, X, y, dataset)
    return record(engine, spec, dataset, key, outcome, time.perf_counter() - start)


def _describe(error):
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _first_line(buffer):
    return buffer.getvalue().strip().splitlines()[0][:80] if buffer.getvalue().strip() else \
        buffer.getvalue()[:80]
