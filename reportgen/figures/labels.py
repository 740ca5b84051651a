"""How figures name things: a setting, a data set, an activation, by the display names of the
engine's registries (``ActivationEntry.display`` and the like), never by the engine's own
names ("leaky ReLU", not "leaky_relu" or "lrelu").

A sweep's setting is labelled by the experiment file as ``field=value`` parts
("activation=leaky_relu, lr=1"); :func:`setting_label` writes each part whose value names a
registry entry as that entry's display name, and the learning rate in words ("leaky ReLU,
learning rate 1"). A variant's own label
("dense 2-4-4-1") is the author's and is kept as written.

These names are English, whatever the language being written: the report's code keys and
compares them. :func:`translated_label` and :func:`dataset_title` give a name in the language
being written (``reportgen.i18n``), for where it is shown; the registries' display names and
the experiment files' labels are message ids (Babel extracts them with
``reportgen.i18n_names``), so ``_(dataset_name(d))`` or ``_(entry.display)`` translate, and a
label the catalog does not know (a student's own) stays as written.
"""
from ..engine.activations import ACTIVATIONS
from ..engine.datasets import DISPLAY_NAMES as DATASET_NAMES
from ..engine.initializers import INITIALIZERS
from ..engine.losses import LOSSES
from ..engine.optimizers import LEARNING_RATE, OPTIMIZERS
from ..i18n import DEFAULT, N_, _, language, pgettext

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
        text = _(REGISTRY_FIELDS[field][value].display)
        return (_("{activation} output").format(activation=text)
                if field == "output_activation" else text)
    if field == "bias" and isinstance(value, bool):
        return _("with biases") if value else _("no biases")
    if field == "sizes":
        return _written(value)
    if field in NAMED_FIELDS:
        # TRANSLATORS: a hyper-parameter and its value in a setting's label: "learning rate 0.1"
        return _("{parameter} {value}").format(parameter=_(NAMED_FIELDS[field]),
                                               value=_written(value))
    return f"{field}={_written(value)}"


def separator():
    """What separates the parts of a setting's label (", " in English)."""
    return pgettext("between the parts of a setting's label", ", ")


def setting_label(label, overrides):
    """The display label of a setting, in English: each ``field=value`` part of ``label``
    that ``overrides`` sets to that value is written with display names; anything else (a
    variant's own label) is kept as it is."""
    with language(DEFAULT):
        return translated_label(label, overrides)


def translated_label(label, overrides):
    """:func:`setting_label` in the language being written, for a figure, a table or the
    prose to show: a label the catalog translates as a whole (an experiment file's variant
    label, such as "identity hidden, sigmoid output") is shown as translated; else each run
    of a variant's own parts is translated as one text and each ``field=value`` part is
    written with the display names, translated."""
    translated = _(label)
    if translated != label:
        return translated
    parts, own = [], []

    def own_parts():
        if own:
            written = ", ".join(own)
            parts.append(_(written))
            own.clear()

    for part in label.split(", "):
        field, sep, written = part.partition("=")
        if sep and field in overrides and _written(overrides[field]) == written:
            own_parts()
            parts.append(_part(field, overrides[field]))
        else:
            own.append(part)
    own_parts()
    return separator().join(parts)


def dataset_name(name):
    """A data set as the report names it ("XOR" for "xor"), in English (a message id)."""
    return DATASET_NAMES.get(name, name)


#: a data set as a figure's title names it: one message per data set of the engine, since
#: a language may join its name and "data set" differently for each (線性資料集 but
#: XOR 資料集); another data set has the general message
DATASET_TITLES = {"linear": N_("linear data set"), "xor": N_("XOR data set")}


def dataset_title(name):
    """"XOR data set", in the language being written."""
    if name in DATASET_TITLES:
        return _(DATASET_TITLES[name])
    return _("{dataset} data set").format(dataset=_(dataset_name(name)))


def activation_name(name):
    """An activation's display name ("leaky ReLU" for "leaky_relu"), in English (a message
    id)."""
    return ACTIVATIONS[name].display if name in ACTIVATIONS else name
