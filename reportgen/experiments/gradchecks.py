"""The engine's gradient checks, run by every build and cached under their key."""
import itertools
import json

from .. import keys
from ..atomic import atomic_write_text
from ..engine import RunSpec
from ..engine.activations import ACTIVATIONS
from ..engine.gradcheck import check
from ..engine.losses import LOSSES

#: the largest relative error a gradient check passes with
TOLERANCE = 1e-6
#: the convolutional layer, with and without padding, in front of a dense layer: the kernel and
#: paddings the convolution experiment trains, and a longer kernel
CONV_LAYERS = (({"channels": 3, "kernel": 2, "padding": "valid"},),
               ({"channels": 2, "kernel": 2, "padding": "same"},),
               ({"channels": 2, "kernel": 3, "padding": "same"},))
#: the convolutional networks' activation, as in the convolution experiment
CONV_ACTIVATION = "sigmoid"


def check_specs():
    """(network label, loss, bias, spec) of every check: each registered hidden activation
    x each registered loss (with the output it needs, else a sigmoid) x bias, then the
    convolutional networks."""
    for activation, loss, bias in itertools.product(ACTIVATIONS, LOSSES, (True, False)):
        yield (f"dense {ACTIVATIONS[activation].display}", loss, bias,
               RunSpec(sizes=(2, 5, 3, 1), activation=activation, loss=loss, bias=bias,
                       output_activation=LOSSES[loss].required_output or "sigmoid",
                       init="xavier", seed=11))
    for conv, bias in itertools.product(CONV_LAYERS, (True, False)):
        label = (f"conv k={conv[0]['kernel']} {conv[0]['padding']}, "
                 f"{ACTIVATIONS[CONV_ACTIVATION].display}")
        yield (label, "mse", bias, RunSpec(sizes=(2, 3, 1), conv=conv, activation=CONV_ACTIVATION,
                                           bias=bias, init="xavier", seed=11))


def gradient_checks(layout):
    """Max relative error of backpropagation against finite differences for every registered
    hidden activation x loss x bias of a dense 2-5-3-1 network, and for convolutional networks;
    cached in the layout's ``gradchecks`` file under their key (this code and the engine's)."""
    key = keys.key("gradchecks", {})
    try:
        cached = json.loads(layout.gradchecks.read_text())
    except (OSError, ValueError):
        cached = None
    if _valid(cached, key):
        return cached["checks"]
    checks = [dict(network=label, loss=loss, bias=bias, error=check(spec))
              for label, loss, bias, spec in check_specs()]
    atomic_write_text(layout.gradchecks, json.dumps({"key": key, "checks": checks}))
    return checks


def _valid(cached, key):
    """Whether ``cached`` is the gradcheck file of ``key``: every check of ``check_specs``,
    in order, each with its network, loss, bias and a number >= 0 (or NaN) as its error."""
    if not isinstance(cached, dict) or cached.get("key") != key \
            or not isinstance(cached.get("checks"), list):
        return False
    expected = [(label, loss, bias) for label, loss, bias, _ in check_specs()]
    checks = cached["checks"]
    return len(checks) == len(expected) and all(
        isinstance(c, dict) and set(c) == {"network", "loss", "bias", "error"}
        and (c["network"], c["loss"], c["bias"]) == e and type(c["bias"]) is bool
        and type(c["error"]) is float and not c["error"] < 0
        for c, e in zip(checks, expected))
