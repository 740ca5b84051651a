"""The run cache: one JSON file per trained run, keyed by what determines its result.

The key (``reportgen.keys``, kind "run") hashes the run's full spec, its data set and the
engine's source code, so an engine change recomputes everything, an edited experiment
recomputes only the runs whose spec changed, and template changes recompute nothing.

Nothing read back is trusted unchecked. An entry is ``{"checksum": C, "record": R}`` where
``R`` is the record's compact JSON exactly as written and ``C`` the SHA-256 of that text;
``get`` checks the checksum, then the record's schema (``reportgen.schema.run_problem``),
then that it is this key's: it holds the spec and data set the key was made from. An entry that fails
any of these is treated as missing: the run is retrained and ``put`` replaces the entry.
"""
import hashlib
import json
import re
from pathlib import Path

import numpy as np
import orjson

from .. import keys, schema
from ..atomic import atomic_write_text

#: an entry's text: the checksum, then the record's text (checked, then parsed)
_ENTRY = re.compile(r'\{"checksum":"([0-9a-f]{64})","record":(\{.*\})\}\Z', re.S)


def key_of(spec_dict, dataset):
    """The cache key of training the spec ``spec_dict`` (a ``RunSpec.to_dict()``) on
    ``dataset`` with the current engine (its code, and the NumPy it computes with: another
    NumPy may round otherwise)."""
    return keys.key("run", {"spec": spec_dict, "dataset": dataset, "numpy": np.__version__})


def checksum(text):
    return hashlib.sha256(text.encode()).hexdigest()


def entry_text(record):
    """The text of the cache entry of ``record``."""
    text = json.dumps(record, separators=(",", ":"))
    return f'{{"checksum":"{checksum(text)}","record":{text}}}'


class RunCache:
    """Checked JSON records under ``<root>/<key[:2]>/<key>.json``."""

    def __init__(self, root):
        self.root = Path(root)

    def _path(self, key):
        return self.root / key[:2] / f"{key}.json"

    def get(self, key, expected):
        """The cached record, or None when missing, unreadable, damaged or not this key's.

        ``expected``: the (RunSpec, its ``to_dict()``, data set) the caller made ``key``
        from; the record must hold that spec and data set, which is the same check as
        making its key again, without the cost (a no-change build reads hundreds)."""
        try:
            match = _ENTRY.match(self._path(key).read_text())
            if match is None or checksum(match[2]) != match[1]:
                return None
            # orjson: the same values, bit for bit, four times faster than json (a no-change
            # build reads every entry)
            record = orjson.loads(match[2])
        except (OSError, ValueError):
            return None
        spec, spec_dict, dataset = expected
        if record.get("spec") != spec_dict or record.get("dataset") != dataset:
            return None
        if schema.run_problem(record, spec) is not None or record["key"] != key:
            return None
        return record

    def put(self, record):
        atomic_write_text(self._path(record["key"]), entry_text(record))
