"""The engine's code that the setups section lists: report.toml's ``[listings]``.

Each listing is named by a key (``sigmoid``, ``forward``, ``backward``, ``update``, then any
other the user adds) and one or more qualified names: ``"Network.forward"`` inside the engine
module, or ``"module:qualname"`` for code elsewhere. A name is resolved by its attribute chain
(a submodule of a package is imported when it is not an attribute yet), and the code is taken
from the file that defines it, wherever the package re-exports it, with its line numbers.
Names given together that sit one after the other in a file (blank lines apart) are shown as
one piece of code.

The built-in engine has a listing for each of the four keys (``DEFAULTS``; report.toml's own
replace them key by key); a foreign engine shows what its report.toml names, nothing else. A
name that cannot be resolved is a ConfigError naming report.toml and ``listings.<key>``,
raised when the build loads its config, before anything is trained.
"""
import dataclasses
import functools
import importlib
import inspect
import linecache
import textwrap
import types
from pathlib import Path

from ..experiments import config
from ..i18n import N_, _

#: the built-in engine's listings: the functions that show the maths most plainly
DEFAULTS = {
    "sigmoid": ("activations.sigmoid", "activations.sigmoid_derivative"),
    "forward": ("Network.forward", "layers.Dense.forward"),
    "backward": ("Network.backpropagate", "layers.Dense.backward"),
    "update": ("optimizers.SGD.update",),
}


#: the titles of the standard listings (``config.LISTING_KEYS``, capitalised) as messages;
#: a title of one's own (a listing's key) is shown as it is
TITLES = (N_("The sigmoid and its derivative"), N_("The forward pass"),
          N_("The backward pass"), N_("The update of a parameter"))


@dataclasses.dataclass(frozen=True)
class Piece:
    """Consecutive lines of one source file: ``file`` as the report shows it."""

    file: str
    first: int
    last: int
    code: str       # dedented
    names: tuple    # the qualified names of what it holds ("Dense.forward")

    @property
    def lines(self):
        """"lines 3–9", or "line 5" (in the language being written)."""
        return _("line {line}").format(line=self.first) if self.first == self.last else \
            _("lines {first}–{last}").format(first=self.first, last=self.last)


@dataclasses.dataclass(frozen=True)
class Listing:
    """One listing of the report: its key, the names it shows and their code."""

    key: str
    names: tuple
    number: int
    pieces: tuple

    @property
    def id(self):
        """The HTML id."""
        return f"lst-{self.key}"

    @property
    def extra(self):
        """Not one of the listings every report has (the user added it)."""
        return self.key not in config.LISTING_KEYS

    @property
    def title(self):
        """What it shows, as its caption says it: "The forward pass" (translated); else its
        key."""
        shown = config.LISTING_KEYS.get(self.key)
        return _(shown[0].upper() + shown[1:]) if shown else self.key


@dataclasses.dataclass(frozen=True)
class EngineCode:
    """The listings of one engine, for the setups section."""

    engine: str         # the engine module's name
    builtin: bool
    listings: tuple     # Listing, numbered in the order the report shows them


def load(experiments_dir, engine=None, builtin=None):
    """The listings of ``engine`` (a module; None: reportgen's own) that ``report.toml`` in
    ``experiments_dir`` names (``builtin``: whether it is reportgen's engine, with its
    defaults; None: whether it is ``reportgen.engine``)."""
    if engine is None:
        engine = importlib.import_module("reportgen.engine")
    if builtin is None:
        builtin = engine.__name__ == "reportgen.engine"
    path = Path(experiments_dir) / config.REPORT_FILE
    return extract(engine, builtin, config.load_listings(experiments_dir), path)


def extract(engine, builtin, configured, path):
    """The listings of the module ``engine``: ``configured`` is report.toml's [listings]
    ({key: (qualified name, ...)}, or None), over the defaults when ``builtin``; ``path``,
    report.toml's, names the file in a ConfigError."""
    names = {**(DEFAULTS if builtin else {}), **(configured or {})}
    ordered = config.listing_order(names)
    listings = tuple(
        Listing(key, names[key], number, _pieces(engine, key, names[key], path))
        for number, key in enumerate(ordered, start=1))
    return EngineCode(engine.__name__, builtin, listings)


def _pieces(engine, key, names, path):
    """The code of ``names`` as pieces, those one after the other in a file merged."""
    found = []   # (source file, Piece)
    for i, name in enumerate(names):
        field = f"listings.{key}" + (f"[{i}]" if len(names) > 1 else "")
        try:
            file, piece = _locate(resolve(engine, name))
        except LookupError as error:
            raise config.ConfigError(path, field, f"{name!r}: {error.args[0]}") from None
        if found and _adjacent(found[-1], (file, piece)):
            before = found.pop()[1]
            piece = _lines(file, piece.file, before.first, piece.last, before.names + piece.names)
        found.append((file, piece))
    return tuple(piece for _, piece in found)


def resolve(engine, name):
    """The object ``name`` names: "Network.forward" in the module ``engine``, or
    "module:qualname"; LookupError saying why not."""
    module, _, qualname = name.rpartition(":")
    obj = _import(module) if module else engine
    where = obj.__name__
    for attribute in qualname.split("."):
        obj = _attribute(obj, attribute, where)
        where = f"{where}.{attribute}"
    if isinstance(obj, property):
        obj = obj.fget
    obj = inspect.unwrap(getattr(obj, "__func__", obj))
    if not isinstance(obj, (types.FunctionType, type)):
        raise LookupError(f"{where} is a {type(obj).__name__}, not a function, method or class")
    return obj


def _import(module):
    try:
        return importlib.import_module(module)
    except Exception as error:   # any error the module raises as it is imported
        raise LookupError(f"cannot import {module}: {type(error).__name__}: {error}") from None


def _attribute(obj, attribute, where):
    if hasattr(obj, attribute):
        return getattr(obj, attribute)
    if isinstance(obj, types.ModuleType) and hasattr(obj, "__path__"):
        try:
            return importlib.import_module(f"{obj.__name__}.{attribute}")
        except ModuleNotFoundError:
            pass
    raise LookupError(f"{where} has no attribute {attribute!r}")


def _locate(obj):
    """(its source file, its Piece) of a function, method or class."""
    try:
        file = inspect.getsourcefile(obj)
        lines, first = inspect.getsourcelines(obj)
    except (OSError, TypeError) as error:
        raise LookupError(f"its source cannot be read ({error})") from None
    if file is None:
        raise LookupError("its source file cannot be found")
    return file, _lines(file, _display(obj, file), first, first + len(lines) - 1,
                        (obj.__qualname__,))


def _lines(file, shown, first, last, names):
    """The Piece of lines ``first`` to ``last`` of ``file`` (shown as ``shown``)."""
    code = "".join(linecache.getlines(file)[first - 1:last])
    return Piece(shown, first, last, textwrap.dedent(code).rstrip() + "\n", names)


def _adjacent(before, after):
    """Whether only blank lines separate two (source file, Piece) of the same file."""
    (file, one), (other_file, two) = before, after
    if file != other_file or two.first <= one.last:
        return False
    return not "".join(linecache.getlines(file)[one.last:two.first - 1]).strip()


def _display(obj, file):
    """The file as the report shows it: its path from its top package ("reportgen/engine/
    layers.py") when its module's name says where that is, else its name."""
    module = inspect.getmodule(obj)
    path = Path(file)
    parts = (module.__name__.split(".") if module else []) + (
        ["__init__"] if path.stem == "__init__" else [])
    if parts and list(path.with_suffix("").parts[-len(parts):]) == parts:
        return "/".join(path.parts[-len(parts):])
    return path.name


@functools.lru_cache(maxsize=64)
def highlight(code):
    """``code`` (Python) as highlighted HTML: Pygments' ``div.highlight`` (style.css colours
    it), for the ``highlight`` filter."""
    from markupsafe import Markup
    from pygments import highlight as pygmentize
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return Markup(pygmentize(code, PythonLexer(), HtmlFormatter(wrapcode=True)))
