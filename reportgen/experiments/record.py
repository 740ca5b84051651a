"""One trained run as plain data: the record the run cache keeps and the results files list.

A record is made from the engine's result alone: its code is part of the runs' key (see
``reportgen.keys``), so a change here retrains, like a change to the engine.
"""
import math

import numpy as np

from ..engine import STATUS_DIVERGED
from .stability import stability

#: at most this many epochs of a run's history are kept (evenly spaced, the last included)
HISTORY_POINTS = 1000


def record_from_result(result, dataset, key, wall_time_s):
    """The JSON-ready record of an engine ``TrainResult``."""
    epochs = _downsample(len(result.loss))
    diverged = result.status == STATUS_DIVERGED and len(result.accuracy) > 1
    return {
        "key": key,
        "dataset": dataset,
        "seed": result.spec.seed,
        "spec": result.spec.to_dict(),
        "status": result.status,
        "final_loss": _finite_or_none(result.loss[-1]),
        # a diverged network outputs NaN, which the 0.5 rule calls class 0 everywhere: its
        # accuracy is the one it had at its last finite epoch
        "final_accuracy": float(result.accuracy[-2] if diverged else result.accuracy[-1]),
        "epochs_to_100": result.epochs_to_100,
        "epochs_run": len(result.loss) - 1,
        "wall_time_s": round(wall_time_s, 6),
        "history": {
            "epoch": epochs.tolist(),
            "loss": [_finite_or_none(v) for v in result.loss[epochs]],
            "accuracy": result.accuracy[epochs].tolist(),
        },
        "stability": stability(result.loss, result.accuracy, diverged),
        "parameters": {name: value.tolist() for name, value in result.network.parameters().items()},
    }


def _downsample(length):
    if length <= HISTORY_POINTS:
        return np.arange(length)
    return np.unique(np.linspace(0, length - 1, HISTORY_POINTS).round().astype(int))


def _finite_or_none(value):
    value = float(value)
    return value if math.isfinite(value) else None
