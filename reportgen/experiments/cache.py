"""The run cache: one JSON file per trained run, keyed by what determines its result.

The key (``reportgen.keys``, kind "run") hashes the run's full spec, its data set and the
engine's source code, so an engine change recomputes everything, an edited experiment
recomputes only the runs whose spec changed, and template changes recompute nothing.
Entries that do not parse or do not match their key are treated as missing.
"""
import json
from pathlib import Path

import numpy as np

from .. import keys
from ..atomic import atomic_write_text


def run_key(spec, dataset):
    """The cache key of training ``spec`` on ``dataset`` with the current engine (its code,
    and the NumPy it computes with: another NumPy may round otherwise)."""
    return keys.key("run", {"spec": spec.to_dict(), "dataset": dataset,
                            "numpy": np.__version__})


class RunCache:
    """JSON records under ``<root>/<key[:2]>/<key>.json``."""

    def __init__(self, root):
        self.root = Path(root)

    def _path(self, key):
        return self.root / key[:2] / f"{key}.json"

    def get(self, key):
        """The cached record, or None when missing, unreadable or not this key's."""
        try:
            record = json.loads(self._path(key).read_text())
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("key") != key:
            return None
        return record

    def put(self, record):
        atomic_write_text(self._path(record["key"]), json.dumps(record, separators=(",", ":")))

    def __contains__(self, key):
        return self.get(key) is not None
