"""What is read back from disk is checked before it is used: the schemas of the records.

A run's record (``experiments/record.py`` makes it; the run cache keeps it and the results
files list it) is checked field by field by ``run_problem``: every field present with its
type and shape, values in range and consistent with each other (the history ends where the
run ended, with its final loss and accuracy; the parameters have the shapes of the spec's
network). The checks return a description of the first problem found, or None, so that
each reader decides what a bad file means: a cache entry is retrained, a results file is a
``ValueError`` naming it.

The checks cost little beside the JSON decoding: the long lists (history, parameters) are
checked by NumPy.
"""
import math

import numpy as np

from .engine import Network, RunSpec
from .engine.spec import FIELDS
from .engine.training import stack_key

STATUS_UNSUPPORTED = "unsupported"
STATUSES = ("ok", "diverged", STATUS_UNSUPPORTED)

#: the fields of a run's record, and the type of each (None: checked on its own)
RUN_FIELDS = {
    "key": str, "dataset": str, "seed": int, "spec": dict, "status": str,
    "final_loss": None, "final_accuracy": float, "epochs_to_100": None, "epochs_run": int,
    "wall_time_s": float, "history": dict, "parameters": dict, "stability": dict,
}
HISTORY_FIELDS = ("epoch", "loss", "accuracy")
#: the fields of the record of a run the engine does not support (``experiments/foreign.py``):
#: what it was asked and why it refused
UNSUPPORTED_FIELDS = {"key": str, "dataset": str, "seed": int, "spec": dict, "status": str,
                      "reason": str}


def run_problem(record, spec=None):
    """The first problem of a run's record (a dict), or None if it has the record's schema.
    ``spec``: the RunSpec the caller knows its spec to be (else it is read and checked)."""
    try:
        return _run_problem(record, spec)
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError) as e:
        return f"malformed ({type(e).__name__}: {e})"


def _run_problem(record, spec):
    if not isinstance(record, dict):
        return f"not an object but {type(record).__name__}"
    unsupported = record.get("status") == STATUS_UNSUPPORTED
    fields = UNSUPPORTED_FIELDS if unsupported else RUN_FIELDS
    missing = [f for f in fields if f not in record]
    if missing:
        return f"{missing[0]}: missing"
    unknown = [f for f in record if f not in fields]
    if unknown:
        return f"{unknown[0]}: unknown field"
    for field, kind in fields.items():
        if kind is not None and type(record[field]) is not kind:
            return f"{field}: must be {kind.__name__}, got {record[field]!r:.40}"
    if spec is None:
        try:
            spec = spec_of(record["spec"])
        except (TypeError, ValueError) as e:
            return f"spec: {e}"
    if record["seed"] != spec.seed:
        return f"seed: {record['seed']} is not the spec's {spec.seed}"
    if record["status"] not in STATUSES:
        return f"status: must be one of {', '.join(STATUSES)}, got {record['status']!r:.40}"
    if unsupported:
        return None
    epochs_run = record["epochs_run"]
    if not 0 <= epochs_run <= spec.epochs:
        return f"epochs_run: {epochs_run} is not within 0..{spec.epochs}"
    if not _fraction(record["final_accuracy"]):
        return f"final_accuracy: must be within [0, 1], got {record['final_accuracy']!r}"
    final_loss = record["final_loss"]
    if final_loss is not None and not _finite(final_loss):
        return f"final_loss: must be a finite number or null, got {final_loss!r:.40}"
    reached = record["epochs_to_100"]
    if reached is not None and (type(reached) is not int or not 0 <= reached <= epochs_run):
        return f"epochs_to_100: must be null or an epoch within 0..{epochs_run}, got {reached!r:.40}"
    if not (_finite(record["wall_time_s"]) and record["wall_time_s"] >= 0):
        return f"wall_time_s: must be a finite number >= 0, got {record['wall_time_s']!r}"
    return (_stability_problem(record["stability"], reached, epochs_run)
            or _history_problem(record)
            or _parameters_problem(record["parameters"], spec, record["status"] == "diverged"))


def _stability_problem(stability, reached, epochs_run):
    """The fields of ``experiments.stability.stability``, consistent with the first 100%."""
    expected = {"held_100", "fell_back", "lowest_after_100", "spikes", "largest_spike",
                "late_loss_change"}
    if set(stability) != expected:
        return f"stability: must have exactly the fields {', '.join(sorted(expected))}"
    held = stability["held_100"]
    if held is not None and (type(held) is not int or reached is None
                             or not reached <= held <= epochs_run):
        return (f"stability.held_100: must be null or an epoch within "
                f"{reached}..{epochs_run}, got {held!r:.40}")
    if type(stability["fell_back"]) is not bool or (stability["fell_back"] and reached is None):
        return f"stability.fell_back: must be a boolean, false unless 100% was reached"
    lowest = stability["lowest_after_100"]
    if (lowest is None) != (reached is None) or (lowest is not None and not _fraction(lowest)):
        return f"stability.lowest_after_100: must be a fraction when 100% was reached, else null"
    if type(stability["spikes"]) is not int or stability["spikes"] < 0:
        return f"stability.spikes: must be an integer >= 0, got {stability['spikes']!r:.40}"
    largest = stability["largest_spike"]
    if largest is not None and not (_finite(largest) and largest >= 1):
        return f"stability.largest_spike: must be null or a number >= 1, got {largest!r:.40}"
    change = stability["late_loss_change"]
    if change is not None and not _finite(change):
        return f"stability.late_loss_change: must be null or a finite number, got {change!r:.40}"
    return None


#: the fields of a results file (``reportgen.results``), and the type of each
RESULTS_FIELDS = {
    "schema": int, "experiment": str, "digest": str, "description": str, "section": str,
    "source": str, "profile": str, "datasets": list, "seeds": list, "settings": list,
    "swept": list, "provenance": dict, "runs": list,
}


def results_problem(data):
    """The first problem of a results file's data, or None. Its runs are checked as records
    (but not against the current engine's keys: the file may be older than the code)."""
    if not isinstance(data, dict):
        return f"not an object but {type(data).__name__}"
    for field, kind in RESULTS_FIELDS.items():
        if field not in data:
            return f"{field}: missing"
        if type(data[field]) is not kind:
            return f"{field}: must be {kind.__name__}, got {data[field]!r:.40}"
    labels = []
    for i, setting in enumerate(data["settings"]):
        if not (isinstance(setting, dict) and type(setting.get("label")) is str
                and isinstance(setting.get("overrides"), dict)):
            return f"settings[{i}]: must be {{label, overrides}}"
        labels.append(setting["label"])
    for i, run in enumerate(data["runs"]):
        if not isinstance(run, dict) or run.get("setting") not in labels:
            return f"runs[{i}].setting: must be one of the settings' labels"
        problem = run_problem({k: v for k, v in run.items() if k != "setting"})
        if problem:
            return f"runs[{i}].{problem}"
    return None


def _history_problem(record):
    history = record["history"]
    if sorted(history) != sorted(HISTORY_FIELDS):
        return f"history: must hold exactly {', '.join(HISTORY_FIELDS)}, has {', '.join(history)}"
    lists = [history[f] for f in HISTORY_FIELDS]
    if not all(type(v) is list for v in lists):
        return "history: every field must be a list"
    if len({len(v) for v in lists}) != 1 or not lists[0]:
        return "history: its lists must be non-empty and of equal length"
    epoch, loss, accuracy = arrays = [np.array(v) for v in lists]
    if any(a.ndim != 1 for a in arrays):
        return "history: its lists must be flat"
    if epoch.dtype.kind != "i" or epoch[0] != 0 or epoch[-1] != record["epochs_run"] \
            or (len(epoch) > 1 and not (np.diff(epoch) > 0).all()):
        return "history.epoch: must be increasing integers from 0 to epochs_run"
    if accuracy.dtype != np.float64 or not ((accuracy >= 0) & (accuracy <= 1)).all():
        return "history.accuracy: must be numbers within [0, 1]"
    if loss.dtype != np.float64:   # nulls (a diverged run), or something that is no number
        numbers = [v for v in lists[1] if v is not None]
        if not all(type(v) is float for v in numbers):
            return "history.loss: must be numbers or null"
        loss = np.array(numbers, dtype=float)
    if not np.isfinite(loss).all():
        return "history.loss: must be finite numbers or null"
    if record["final_loss"] != lists[1][-1]:
        return "final_loss: is not the history's last loss"
    if record["status"] == "ok" and record["final_accuracy"] != lists[2][-1]:
        return "final_accuracy: is not the history's last accuracy"
    return None


def _parameters_problem(parameters, spec, diverged=False):
    """The parameters have the shapes of the spec's network and are finite numbers; those of
    a diverged network may be null where they stopped being finite (a foreign engine's)."""
    shapes = parameter_shapes(spec)
    if list(parameters) != list(shapes):
        return (f"parameters: must be {', '.join(shapes)} for this spec, "
                f"got {', '.join(map(str, parameters))}")
    for name, shape in shapes.items():
        value = np.array(parameters[name])
        if diverged and value.dtype == object:
            value = _nulls_as_nan(value)
        if value.dtype != np.float64 or value.shape != shape or not (
                np.isfinite(value) | (diverged & np.isnan(value))).all():
            return f"parameters.{name}: must be finite numbers of shape {shape}"
    return None


def _nulls_as_nan(value):
    """An object array of numbers and None as float64, None as NaN (else unchanged)."""
    if all(v is None or type(v) is float for v in value.ravel()):
        return np.array([np.nan if v is None else v for v in value.ravel()],
                        dtype=float).reshape(value.shape)
    return value


def spec_of(spec_dict):
    """The ``RunSpec`` of a record's spec (ValueError or TypeError if it is not a valid one)."""
    if not isinstance(spec_dict, dict):
        raise TypeError(f"must be an object, got {type(spec_dict).__name__}")
    missing = [f for f in FIELDS if f not in spec_dict]
    if missing:
        raise ValueError(f"{missing[0]}: missing")
    return RunSpec.from_dict(spec_dict)


def parameter_shapes(spec):
    """{name: shape} of the parameters of ``spec``'s network (the same for every spec of a
    stack: they are trained as one)."""
    key = stack_key(spec)
    if key not in _SHAPES:
        _SHAPES[key] = {name: value.shape
                        for name, value in Network.from_spec(spec).parameters().items()}
    return _SHAPES[key]


_SHAPES = {}


def _finite(value):
    return type(value) in (float, int) and math.isfinite(value)


def _fraction(value):
    return _finite(value) and 0 <= value <= 1
