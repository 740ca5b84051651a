"""JSON Schemas of the experiment files and of report.toml, for editors (Taplo, VS Code's Even
Better TOML...): completion, hover text and errors as one types.

They are generated from the rules the validation applies (``experiments/config.py``, RunSpec in
``engine/spec.py``, the registries of ``engine/``): the keys of a file and of a run spec, the
choices of every registry, the ranges hyper-parameters declare, the limits on sizes. They are
committed as ``experiments/schema.json`` and ``experiments/report.schema.json``;
``reportgen schema --write experiments`` writes them again and ``tests/test_editor_schema.py``
keeps them equal to what this module generates.

An editor can only check one table at a time, so the schema is a first check, not the
validation: it catches wrong keys, types, choices and ranges, but not what depends on two
tables (a variant's field against the base's), on a sequence (that ``sizes`` ends at 1, the
signal length after the first conv layer), nor the bounds on work. reportgen checks all of
that when it loads the files.
"""
import dataclasses
import json
import sys

from .. import i18n
from ..engine.activations import ACTIVATIONS
from ..engine.conv import LIFTS, PADDINGS
from ..engine.datasets import DATASETS
from ..engine.initializers import INITIALIZERS
from ..engine.losses import LOSSES
from ..engine.optimizers import LEARNING_RATE, OPTIMIZERS
from ..engine.registry import Range
from ..engine.spec import CONV_KEYS, FIELDS, MAX_BATCH_SIZE, MAX_EPOCHS, MAX_WIDTH, RunSpec
from . import config

DRAFT = "http://json-schema.org/draft-07/schema#"
#: the committed files, in the experiments folder: name -> the function that makes it
FILES = {"schema.json": "experiment_schema", "report.schema.json": "report_schema"}

#: NaN compares false with every bound, so no minimum or maximum refuses it; a number that is
#: at least 1 and at most 0 is NaN and nothing else
_NOT_NAN = {"not": {"minimum": 1, "maximum": 0}}
#: what a run spec's fields mean (experiments/README.md has the same table)
_DESCRIPTIONS = {
    "sizes": "Units per layer, from the input (2) to the output (1), e.g. [2, 4, 4, 1].",
    "activation": "Activation of the hidden layers (and conv layers).",
    "output_activation": "Activation of the output layer.",
    "bias": "Biases in every layer.",
    "init": "How the weights are drawn (biases start at zero).",
    "optimizer": "How the parameters are updated from their gradients.",
    "lr": "Learning rate, > 0.",
    "epochs": "Full passes over the training data.",
    "batch_size": "Mini-batch size, reshuffled every epoch (absent: the full batch).",
    "loss": "The training loss.",
    "conv": "1-D convolution layers before the dense ones (their input is the lifted point).",
    "lift": "How a point becomes a 1-D signal for conv layers: proj4 and proj8 project it on "
            "4 or 8 directions, raw is [x0, x1]. Ignored without conv layers.",
}


def _choices(registry, what):
    names = list(registry)
    shown = ", ".join(f"{e.display} ({name})" if e.display != name else name
                      for name, e in registry.items())
    return {"type": "string", "enum": names, "description": f"{what}: {shown}."}


def _number(allowed):
    """The schema of a number in the Range ``allowed`` (finite, like Range.check asks)."""
    schema = {"type": "integer" if allowed.integer else "number"}
    schema["minimum" if allowed.low_inclusive else "exclusiveMinimum"] = allowed.low
    if allowed.high is not None:
        schema["maximum" if allowed.high_inclusive else "exclusiveMaximum"] = allowed.high
    elif not allowed.integer:
        schema["maximum"] = sys.float_info.max          # refuses inf
    if not allowed.integer:
        schema.update(_NOT_NAN)
    return schema


def _hyper_parameters():
    """{field: ([its Range, ...], description)} over every registered activation and
    optimizer (RunSpec checks each field against every range declared for it, whichever entry
    the spec uses)."""
    declared = {}
    for entry in (*ACTIVATIONS.values(), *OPTIMIZERS.values()):
        for parameter in entry.parameters:
            ranges, text, users = declared.setdefault(
                parameter.name, ([], parameter.description[:1].upper() + parameter.description[1:], []))
            if parameter.range not in ranges:
                ranges.append(parameter.range)
            users.append(entry.display)
    return {name: (ranges, f"{text} ({', '.join(users)}).")
            for name, (ranges, text, users) in declared.items()}


def _conv_layer():
    width = {"type": "integer", "minimum": 1, "maximum": MAX_WIDTH}
    padding = {"type": "string", "enum": list(PADDINGS), "default": "valid"}
    return {"anyOf": [
        {"type": "object", "additionalProperties": False, "required": ["channels", "kernel"],
         "properties": {"channels": {**width, "description": "Output channels."},
                        "kernel": {**width, "description": "Kernel width."},
                        "padding": {**padding, "description": "valid: no padding (the signal "
                                    "shrinks by kernel - 1); same: the length is kept."}}},
        {"type": "array", "minItems": 2, "maxItems": len(CONV_KEYS),
         "items": [width, width, padding], "description": "[channels, kernel, padding]"},
    ]}


def _fields():
    """{run-spec field: its schema}, every field but ``seed`` (set by the top-level seeds)."""
    defaults = {f.name: f.default for f in dataclasses.fields(RunSpec)}
    hyper = _hyper_parameters()   # lr is the optimizers' own field, not a hyper-parameter
    hyper.pop("lr", None)
    schemas = {
        "sizes": {"type": "array", "minItems": 2,
                  "items": [{"const": 2, "description": "The input: a point (x0, x1)."}],
                  "additionalItems": {"type": "integer", "minimum": 1, "maximum": MAX_WIDTH}},
        "activation": _choices(ACTIVATIONS, _DESCRIPTIONS["activation"][:-1]),
        "output_activation": _choices(ACTIVATIONS, _DESCRIPTIONS["output_activation"][:-1]),
        "bias": {"type": "boolean"},
        "init": _choices(INITIALIZERS, _DESCRIPTIONS["init"][:-1]),
        "optimizer": _choices(OPTIMIZERS, _DESCRIPTIONS["optimizer"][:-1]),
        "lr": _number(LEARNING_RATE.range),
        "epochs": _number(Range(1, MAX_EPOCHS, low_inclusive=True, high_inclusive=True,
                                integer=True)),
        "batch_size": {"type": "integer", "minimum": 1, "maximum": MAX_BATCH_SIZE},
        "loss": _choices(LOSSES, _DESCRIPTIONS["loss"][:-1]),
        "conv": {"type": "array", "items": _conv_layer()},
        "lift": {"type": "string", "enum": list(LIFTS)},
    }
    descriptions = dict(_DESCRIPTIONS)
    for name, (ranges, description) in hyper.items():
        schemas[name] = (_number(ranges[0]) if len(ranges) == 1
                         else {"allOf": [_number(r) for r in ranges]})
        descriptions.setdefault(name, description)
    missing = [f for f in FIELDS if f != "seed" and f not in schemas]
    if missing:           # a new RunSpec field needs its schema here
        raise RuntimeError(f"no JSON Schema for the run-spec field(s) {', '.join(missing)}")
    for name, schema in schemas.items():
        if name in descriptions and "description" not in schema:
            schema["description"] = descriptions[name]
        default = defaults[name]
        if default is not None and name != "conv":
            schema["default"] = list(default) if isinstance(default, tuple) else default
    return {name: schemas[name] for name in FIELDS if name != "seed"}


def _within_one_table():
    """What a single table of run-spec fields must satisfy by itself (a table that sets both
    fields of a rule, or the base, where an absent field is RunSpec's default): a loss's
    required output activation, and the first conv layer's kernel against the signal length
    of the lift (with padding "valid")."""
    rules = []
    for name, loss in LOSSES.items():
        if loss.required_output:
            rules.append({"if": {"properties": {"loss": {"const": name}}, "required": ["loss"]},
                          "then": {"properties": {"output_activation": {
                              "const": loss.required_output}}}})
    for lift, length in LIFTS.items():
        named = {"properties": {"lift": {"const": lift}}, "required": ["lift"]}
        rules.append({"if": named, "then": {"properties": {"conv": _first_kernel(length)}}})
    return rules


def _first_kernel(length):
    valid = {"anyOf": [{"not": {"required": ["padding"]}},
                       {"properties": {"padding": {"const": "valid"}}}]}
    return {"items": [{"if": {"type": "object", **valid},
                       "then": {"properties": {"kernel": {"maximum": length}}}}]}


def _spec(description, extra=None, required=(), base=False):
    """A table of run-spec fields (and ``extra`` keys): its keys, then the rules a table
    satisfies by itself. The keys are a member of ``allOf``, not beside it, where editors
    built on Taplo look for a table's keys to complete."""
    table = {"type": "object", "additionalProperties": False,
             "properties": {**(extra or {}),
                            **{n: {"$ref": f"#/definitions/field/{n}"} for n in _field_names()}}}
    if required:
        table["required"] = list(required)
    rules = [table, {"$ref": "#/definitions/rules"}]
    if base:     # the base alone is a run spec: an absent lift is the default one
        rules.append({"if": {"not": {"required": ["lift"]}},
                      "then": {"properties": {"conv": _first_kernel(LIFTS[RunSpec.lift])}}})
    return {"description": description, "allOf": rules}


def _field_names():
    return [name for name in FIELDS if name != "seed"]


def experiment_schema():
    """The JSON Schema of an experiment file (``experiments/<name>.toml``)."""
    fields = _fields()
    keys = config.EXPERIMENT_KEYS
    return {
        "$schema": DRAFT,
        "title": "reportgen experiment file",
        "description": "One experiment of the report: a base run spec, named variants and/or a "
                       "sweep grid, data sets and a number of seeds (experiments/README.md). "
                       "Generated by `reportgen schema`; reportgen checks more when it loads "
                       "the file.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "description": {"type": "string", "description": keys["description"]},
            "section": {"type": "string", "description": keys["section"]},
            "datasets": {"type": "array", "minItems": 1, "uniqueItems": True,
                         "items": {"type": "string", "enum": list(DATASETS)},
                         "default": list(DATASETS), "description": keys["datasets"]},
            "seeds": {"type": "integer", "minimum": 1, "maximum": config.MAX_SEEDS,
                      "default": config.DEFAULT_SEEDS, "description": keys["seeds"]},
            "base": {"$ref": "#/definitions/base"},
            "variant": {"type": "array", "items": {"$ref": "#/definitions/variant"},
                        "description": keys["variant"]},
            "sweep": {"$ref": "#/definitions/sweep"},
            "quick": {"type": "object", "additionalProperties": False,
                      "description": keys["quick"],
                      "properties": {"epochs": {
                          "type": "integer", "minimum": 1, "default": config.QUICK_EPOCHS,
                          "description": "The most epochs a run trains under --quick."}}},
        },
        "definitions": {
            "field": fields,
            "rules": {"allOf": _within_one_table()},
            "base": _spec(keys["base"], base=True),
            "variant": _spec("A named setting: its label and the run-spec fields it sets over "
                             "the base.",
                             {"label": {"type": "string",
                                        "description": "The setting's name in the report."}},
                             required=["label"]),
            "sweep": {"type": "object", "additionalProperties": False,
                      "description": keys["sweep"],
                      "properties": {name: {"type": "array", "minItems": 1,
                                            "items": {"$ref": f"#/definitions/field/{name}"},
                                            "description": f"Values of {name} to try."}
                                     for name in _field_names()}},
        },
    }


def report_schema():
    """The JSON Schema of ``experiments/report.toml``: the report's title page, the engine it
    trains with and the engine's code it lists."""
    described = config.REPORT_KEYS
    string = {"type": "string"}
    kinds = {
        "title": {"type": "string", "minLength": 1, "pattern": r"\S"},
        "authors": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["name"],
            "properties": {"name": {"type": "string", "pattern": r"\S",
                                    "description": config.AUTHOR_KEYS["name"]},
                           "student_id": {"type": "string",
                                          "description": config.AUTHOR_KEYS["student_id"]}}}},
        "keywords": {"anyOf": [{"type": "string", "pattern": "^[^,]*$"},
                               {"type": "array", "items": {"type": "string",
                                                           "pattern": "^[^,]*$"}}]},
        "lang": {"enum": list(i18n.LANGUAGES)},
        "language": {"type": "string", "pattern": config.LANGUAGE_TAG.pattern},
        "templates": {"type": "string", "minLength": 1},
    }
    return {
        "$schema": DRAFT,
        "title": "reportgen report.toml",
        "description": "The report's title page, the engine it trains with and the "
                       "engine's code it lists. Generated by `reportgen schema`.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "report": {
                "type": "object", "additionalProperties": False,
                "description": "The title page, the PDF's metadata and your templates.",
                "properties": {key: {**kinds.get(key, string), "description": described[key]}
                               for key in config.REPORT_KEYS}},
            "listings": _listings(),
            "engine": _engine_schema(),
        },
    }


def _listings():
    name = {"type": "string", "pattern": config.LISTING_NAME.pattern}
    listing = {"anyOf": [name, {"type": "array", "minItems": 1, "items": name}],
               "description": 'A qualified name in the engine module ("Network.forward") or '
                              '"module:qualname", or a list of them shown together.'}
    return {
        "type": "object",
        "description": "The engine's code the setups section lists: sigmoid, forward, "
                       "backward and update (reportgen's own engine has defaults), then any "
                       "other key, in the file's order.",
        "propertyNames": {"pattern": config.LISTING_KEY.pattern},
        "properties": {key: {**listing, "description": f"The code of {shown}: "
                             + listing["description"][0].lower() + listing["description"][1:]}
                       for key, shown in config.LISTING_KEYS.items()},
        "additionalProperties": listing,
    }


def _engine_schema():
    """``[engine]``: the module or the file of the engine (one of them), and the time limit."""
    keys = config.ENGINE_KEYS
    return {
        "type": "object", "additionalProperties": False,
        "description": "The engine the report trains with (absent: reportgen's own).",
        "not": {"required": ["module", "path"]},
        "properties": {
            "module": {"type": "string", "minLength": 1, "pattern": r"^(?!.*\.py$)",
                       "description": keys["module"].capitalize() + "."},
            "path": {"type": "string", "pattern": r"\.py$",
                     "description": keys["path"].capitalize() + "."},
            "timeout": {"type": "number", "exclusiveMinimum": 0,
                        "maximum": config.MAX_TIMEOUT,
                        "description": keys["timeout"].capitalize()
                        + f" (default {config.DEFAULT_ENGINE_TIMEOUT:g})."}},
    }


def text(name):
    """The committed text of the schema file ``name`` (a key of :data:`FILES`)."""
    return json.dumps(globals()[FILES[name]](), indent=2, ensure_ascii=False) + "\n"
