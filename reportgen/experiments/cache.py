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
import os
import re
from pathlib import Path

import numpy as np
import orjson

from .. import keys, schema
from ..atomic import atomic_write_text

#: an entry's text: the checksum, then the record's text (checked, then parsed)
_ENTRY = re.compile(r'\{"checksum":"([0-9a-f]{64})","record":(\{.*\})\}\Z', re.S)


def key_of(spec_dict, dataset, engine=None):
    """The cache key of training the spec ``spec_dict`` (a ``RunSpec.to_dict()``) on
    ``dataset`` with reportgen's engine (its code, and the NumPy it computes with: another
    NumPy may round otherwise), or with the foreign ``engine`` (``engines.Engine``): then
    its source digest and the code that checks and records its results count too."""
    if engine is None or engine.builtin:
        return keys.key("run", {"spec": spec_dict, "dataset": dataset, "numpy": np.__version__})
    return keys.key("run", {"spec": spec_dict, "dataset": dataset, "numpy": np.__version__,
                            "engine": engine.digest}, FOREIGN_MODULES)


#: the code a foreign engine's runs are recorded with, besides ``DEPENDS_ON["run"]``
FOREIGN_MODULES = ("reportgen.experiments.foreign",)


def checksum(text):
    return hashlib.sha256(text.encode()).hexdigest()


def entry_text(record):
    """The text of the cache entry of ``record``."""
    text = json.dumps(record, separators=(",", ":"))
    return f'{{"checksum":"{checksum(text)}","record":{text}}}'


#: checked records by entry path, with the entry's (mtime_ns, size, inode) when it was read,
#: in a process that rebuilds again and again (``reportgen watch``: ``remember()``)
_REMEMBERED = None


def remember():
    """From now on, keep in this process every record read and checked (or written), and
    take it from there while its entry's size, modification time and inode are the ones it
    had: a long-running process's rebuild then reads again only the entries that changed
    (the full report's 490 checked entries cost a third of a second)."""
    global _REMEMBERED
    if _REMEMBERED is None:
        _REMEMBERED = {}


def _identity(path):
    stat = os.stat(path)
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


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
        spec, spec_dict, dataset = expected
        path = self._path(key)
        if _REMEMBERED is not None:
            try:
                identity = _identity(path)
            except OSError:
                return None
            known = _REMEMBERED.get(path)
            if known is not None and known[0] == identity:
                record = known[1]
                if record["spec"] == spec_dict and record["dataset"] == dataset:
                    return record
        try:
            match = _ENTRY.match(path.read_text())
            if match is None or checksum(match[2]) != match[1]:
                return None
            # orjson: the same values, bit for bit, four times faster than json (a no-change
            # build reads every entry)
            record = orjson.loads(match[2])
        except (OSError, ValueError):
            return None
        if record.get("spec") != spec_dict or record.get("dataset") != dataset:
            return None
        if schema.run_problem(record, spec) is not None or record["key"] != key:
            return None
        self._remember(path, record)
        return record

    def put(self, record):
        path = self._path(record["key"])
        atomic_write_text(path, entry_text(record))
        self._remember(path, record)

    @staticmethod
    def _remember(path, record):
        if _REMEMBERED is not None:
            try:
                _REMEMBERED[path] = (_identity(path), record)
            except OSError:
                _REMEMBERED.pop(path, None)
