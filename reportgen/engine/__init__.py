"""The neural-network engine: NumPy and the standard library only.

    from reportgen.engine import RunSpec, Network, train, train_many, datasets
"""
from . import datasets
from .network import Network
from .spec import ConvLayer, RunSpec
from .training import STATUS_DIVERGED, STATUS_OK, TrainResult, train, train_many

__all__ = ["RunSpec", "ConvLayer", "Network", "train", "train_many", "TrainResult", "datasets",
           "STATUS_OK", "STATUS_DIVERGED"]
