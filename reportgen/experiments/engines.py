"""The engine a report trains with: reportgen's own (the default, and the reference), or any
module that offers the same API, named by import path or by file path.

    engine = engines.resolve("experiments")            # [engine] of report.toml, or the built-in
    engine = engines.resolve("experiments", "mylab/network.py")   # --engine overrides it
    engine.module.train(spec, X, y)

The protocol an engine follows is in the README ("Bring your own engine"). A value ending in
``.py`` is a file; anything else an import path. A file named in report.toml is relative to
the folder that holds the experiments folder; one given on the command line, to the current
folder. An engine that cannot be loaded, or offers no ``train``, is an ``EngineError``: one
paragraph naming the engine and the problem, before anything is trained.
"""
import contextlib
import dataclasses
import hashlib
import importlib
import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

from .. import keys
from .config import DEFAULT_ENGINE_TIMEOUT, REPORT_FILE, load_engine_config

#: the import path of reportgen's own engine
BUILTIN = "reportgen.engine"
DEFAULT_TIMEOUT = DEFAULT_ENGINE_TIMEOUT


class EngineError(Exception):
    """An engine that cannot be used: its message names the engine and the problem."""


@dataclasses.dataclass(frozen=True)
class Engine:
    """A loaded engine: its module, the name the report gives it, whether it is reportgen's
    own, the source files its runs' cache keys cover and their digest, and the time limit on
    one of its runs (seconds)."""

    module: ModuleType
    name: str
    builtin: bool
    sources: tuple
    digest: str
    timeout: float = DEFAULT_TIMEOUT

    @property
    def network_class(self):
        """The engine's ``Network`` class, or None when it offers none."""
        return getattr(self.module, "Network", None)


def builtin():
    """reportgen's own engine."""
    module = importlib.import_module(BUILTIN)
    sources = tuple(sorted(keys._path(name, keys.ROOT)
                           for name in keys.dependencies((BUILTIN,))))
    return Engine(module, BUILTIN, True, sources, keys.code_digest((BUILTIN,)))


def load(value, base=".", timeout=DEFAULT_TIMEOUT):
    """The engine ``value`` names: an import path, or a ``.py`` file (relative to ``base``).
    None, or reportgen's own import path, is the built-in engine."""
    if value is None or value == BUILTIN:
        return dataclasses.replace(builtin(), timeout=timeout)
    if value.endswith(".py"):
        module, sources = _from_file(value, Path(base))
    else:
        module, sources = _from_import(value)
    if not callable(getattr(module, "train", None)):
        raise EngineError(f"engine {value}: it has no train(spec, X, y) function; an engine "
                          f"offers the API of reportgen.engine (see the README's \"Bring your "
                          f"own engine\")")
    return Engine(module, value, False, sources, source_digest(sources), timeout)


def resolve(experiments_dir, option=None):
    """The engine of a report: ``option`` (``--engine``) if given, else the ``[engine]`` table
    of the experiments folder's report.toml, else the built-in one; with report.toml's time
    limit either way. A problem names report.toml's field, or ``--engine``."""
    config = load_engine_config(experiments_dir) if experiments_dir is not None else {}
    timeout = float(config.get("timeout", DEFAULT_TIMEOUT))
    if option is not None:
        return _named("--engine", lambda: load(option, ".", timeout))
    field = next((f for f in ("module", "path") if f in config), None)
    if field is None:
        return load(None, timeout=timeout)
    where = f"{Path(experiments_dir) / REPORT_FILE}: engine.{field}"
    base = Path(experiments_dir).resolve().parent
    return _named(where, lambda: load(config[field], base, timeout))


def source_files(experiments_dir, option=None):
    """The source files of the engine ``resolve`` would load, found without importing it
    (what ``reportgen watch`` polls); none for the built-in engine (the package's own
    sources are watched anyway), nor when the engine cannot be found."""
    try:
        config = load_engine_config(experiments_dir) if experiments_dir is not None else {}
    except Exception:  # noqa: BLE001 (a broken report.toml is the build's to report)
        return ()
    value, base = option, Path(".")
    if value is None:
        field = next((f for f in ("module", "path") if f in config), None)
        value = config.get(field) if field else None
        base = Path(experiments_dir).resolve().parent
    if value is None or value == BUILTIN:
        return ()
    if value.endswith(".py"):
        path = Path(value) if Path(value).is_absolute() else base / value
        return (path.resolve(),)
    try:
        spec = importlib.util.find_spec(value.partition(".")[0])
    except (ImportError, ValueError):
        return ()
    if spec is None or spec.origin is None:
        return ()
    if spec.submodule_search_locations:
        return tuple(sorted(p for folder in spec.submodule_search_locations
                            for p in Path(folder).rglob("*.py")))
    return (Path(spec.origin).resolve(),)


def module_in_use(experiments_dir, option=None):
    """The module of the engine a report trains with (see ``resolve``)."""
    return resolve(experiments_dir, option).module


def _named(where, make):
    try:
        return make()
    except EngineError as error:
        raise EngineError(f"{where}: {error}") from error.__cause__


def _from_file(value, base):
    path = Path(value)
    path = path if path.is_absolute() else base / path
    if not path.is_file():
        raise EngineError(f"engine {value}: no such file ({path})")
    name = "_reportgen_engine_" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module     # what the module defines can refer to it (dataclasses do)
    try:
        _run_quietly(lambda: spec.loader.exec_module(module))
    except Exception as error:  # noqa: BLE001 (whatever the student's code raises)
        del sys.modules[name]
        raise EngineError(f"engine {value}: it does not import: {_describe(error)}") from error
    return module, (path.resolve(),)


def _from_import(value):
    _forget_package(value.partition(".")[0])
    writes, sys.dont_write_bytecode = sys.dont_write_bytecode, True   # see _forget_package
    try:
        module = _run_quietly(lambda: importlib.import_module(value))
    except Exception as error:  # noqa: BLE001 (whatever the student's code raises)
        raise EngineError(f"engine {value}: it does not import: {_describe(error)}") from error
    finally:
        sys.dont_write_bytecode = writes
    return module, package_sources(module)


def _forget_package(top):
    """Drop the modules of package ``top`` already imported, so that importing it again
    reads the files as they are now (a long-running ``reportgen watch`` loads the engine
    at every build; the student edits it in between). The import then writes no bytecode
    cache: a cache stamped with the second and size of a file edited again within that
    second, to the same size, would be read instead of the new file."""
    for name in [n for n in sys.modules if n == top or n.startswith(top + ".")]:
        del sys.modules[name]


def package_sources(module):
    """Every ``.py`` file of the package that holds ``module`` (its top-level package), or
    the module's own file when it is in none."""
    file = Path(module.__file__).resolve()
    top = module.__name__.partition(".")[0]
    if top == module.__name__ and not hasattr(module, "__path__"):
        return (file,)
    root = Path(sys.modules[top].__file__).resolve().parent
    return tuple(sorted(root.rglob("*.py")))


def source_digest(sources):
    """A hash of the source files' names and bytes."""
    digest = hashlib.sha256()
    for path in sources:
        digest.update(Path(path).name.encode())
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def _run_quietly(func):
    """``func()`` with what it prints to stdout dropped (an engine's module may print on
    import; reportgen's output is its own)."""
    with contextlib.redirect_stdout(io.StringIO()):
        return func()


def _describe(error):
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
