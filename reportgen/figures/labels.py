"""How figures name things: a setting, a data set, an activation, by the display names of the
engine's registries (``ActivationEntry.display`` and the like), never by the engine's own
names ("leaky ReLU", not "leaky_relu" or "lrelu").

A sweep's setting is labelled by the experiment file as ``field=value`` parts
("activation=leaky_relu, lr=1"); :func:`setting_label` writes each part whose value names a
registry entry as that entry's display name, and the learning rate in words ("leaky ReLU,
learning rate 1"). A variant's own label
("dense 2-4-4-1") is the author's and is kept as written.
"""
from ..engine.activations import ACTIVATIONS
from ..engine.datasets import DISPLAY_NAMES as DATASET_NAMES
from ..engine.initializers import INITIALIZERS
from ..engine.losses import LOSSES
from ..engine.optimizers import LEARNING_RATE, OPTIMIZERS

#: run-spec fields written as words before their value ("learning rate 0.1", not "lr=0.1")
NAMED_FIELDS = {LEARNING_RATE.name: LEARNING_RATE.description}

#: run-spec fields whose values are names in a registry
REGISTRY_FIELDS = {"activation": ACTIVATIONS, "output_activation": ACTIVATIONS,
                   "optimizer": OPTIMIZERS, "init": INITIALIZERS, "loss": LOSSES}


def _written(value):
    """A value as an experiment file's setting labels write it (``experiments.config._fmt``,
    not imported: it would make every figure depend on the configuration code). Were they to
    differ, a part would not be recognised and would be shown as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "-".join(map(str, value))
    return str(value)


def _part(field, value):
    """One ``field=value`` part of a sweep label, as a figure shows it."""
    if field in REGISTRY_FIELDS and value in REGISTRY_FIELDS[field]:
        text = REGISTRY_FIELDS[field][value].display
        return f"{text} output" if field == "output_activation" else text
    if field == "bias" and isinstance(value, bool):
        return "with biases" if value else "no biases"
    if field == "sizes":
        return _written(value)
    if field in NAMED_FIELDS:
        return f"{NAMED_FIELDS[field]} {_written(value)}"
    return f"{field}={_written(value)}"


def setting_label(label, overrides):
    """The display label of a setting: each ``field=value`` part of ``label`` that
    ``overrides`` sets to that value is written with display names; anything else (a
    variant's own label) is kept as it is."""
    parts = []
    for part in label.split(", "):
        field, sep, written = part.partition("=")
        if sep and field in overrides and _written(overrides[field]) == written:
            parts.append(_part(field, overrides[field]))
        else:
            parts.append(part)
    return ", ".join(parts)


def dataset_name(name):
    """A data set as the report names it ("XOR" for "xor")."""
    return DATASET_NAMES.get(name, name)


def activation_name(name):
    """An activation's display name ("leaky ReLU" for "leaky_relu")."""
    return ACTIVATIONS[name].display if name in ACTIVATIONS else name
