"""The run cache: one JSON file per trained run, keyed by what determines its result.

The key hashes the run's full spec, its data set and the engine's source code, so an
engine change recomputes everything, an edited experiment recomputes only the runs whose
spec changed, and template changes recompute nothing. Entries that do not parse or do
not match their key are treated as missing.
"""
import hashlib
import json
from functools import lru_cache
from pathlib import Path

from .. import engine
from ..atomic import atomic_write_text
from ..results import RECORD_VERSION


@lru_cache(maxsize=1)
def engine_hash():
    """SHA-256 of every source file of ``reportgen/engine/``, in name order."""
    digest = hashlib.sha256()
    for path in sorted(Path(engine.__file__).parent.rglob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def run_key(spec, dataset):
    """The cache key of training ``spec`` on ``dataset`` with the current engine."""
    payload = json.dumps({"spec": spec.to_dict(), "dataset": dataset, "engine": engine_hash(),
                          "record": RECORD_VERSION}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


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
