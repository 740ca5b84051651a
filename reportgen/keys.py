"""One key for every derived output: what it was made from, and the code that made it.

Every output the build derives (a trained run, the gradient checks, a results file, a
figure, the facts, the report) is cached under ``key(kind, inputs)``: a hash of its inputs
and of the source of the modules it depends on. Which modules those are is declared once,
in ``DEPENDS_ON``: for each kind, the modules that make it, *with every module of the
package they import*, found by reading their import statements. So a change to any code an
output is made with rebuilds it, and nothing else: runs depend on the engine only (a
template or report change never retrains), the report on everything the build uses.
"""
import functools
import hashlib
import json
import re
from pathlib import Path

from . import i18n

PACKAGE = "reportgen"
ROOT = Path(__file__).resolve().parent

#: kind of output -> the modules that make it (their imports within the package follow)
DEPENDS_ON = {
    "run": ("reportgen.engine", "reportgen.experiments.record"),
    "gradchecks": ("reportgen.experiments.gradchecks",),
    "results": ("reportgen.experiments.runner",),
    # what is drawn or stated from runs also depends on the code of their results
    "figure": ("reportgen.figures", "reportgen.results"),   # and the section declaring it
    "facts": ("reportgen.report.document", "reportgen.results"),
    "report": ("reportgen.report.build",),
    "equations": ("reportgen.report.maths",),   # rendered formulas, kept between builds
}
#: the kinds of output that are written in words: their keys hold the language they are
#: written in, and its catalog (a corrected translation redraws the figures it names)
WORDED = {"figure", "facts", "report"}


def key(kind, inputs, modules=(), root=ROOT):
    """The key of an output of ``kind`` made from ``inputs`` (JSON-able data) by the code
    ``DEPENDS_ON[kind]`` names, plus ``modules`` (such as the section that declares a
    figure). ``root``: the package's folder (a copy of it, in tests)."""
    words = [language_digest(i18n.current())] if kind in WORDED else []
    payload = json.dumps([kind, inputs, code_digest(DEPENDS_ON[kind] + tuple(modules), Path(root))]
                         + words, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def language_digest(lang):
    """The language ``lang`` as a key holds it: its tag, and its catalog's digest (read again
    only when the file changes: every figure's key asks for it)."""
    if lang == i18n.DEFAULT:
        return lang
    stat = i18n.catalog_path(lang).stat()
    return _catalog_digest(lang, (stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=8)
def _catalog_digest(lang, stamp):
    return lang + ":" + hashlib.sha256(i18n.catalog_path(lang).read_bytes()).hexdigest()


@functools.lru_cache(maxsize=None)
def code_digest(modules, root=ROOT):
    """A hash of the source of ``modules`` and every package module they import."""
    digest = hashlib.sha256()
    for name in sorted(dependencies(tuple(modules), root)):
        digest.update(name.encode())
        digest.update(_source(_path(name, root)))
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def dependencies(modules, root=ROOT):
    """``modules`` and every module of the package they import, directly or not. A package
    named in ``modules`` stands for all its modules; an imported package, for its
    ``__init__``."""
    seen, todo = set(), [m for name in modules for m in _expand(name, root)]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_imports(name, root))
    return frozenset(seen)


def forget():
    """Forget every source read and import found (after files changed in this process)."""
    for cached in (code_digest, dependencies, _imports, _path, _source):
        cached.cache_clear()


def modules(root=ROOT):
    """Every module of the package, by dotted name."""
    return sorted(_name(path, root) for path in Path(root).rglob("*.py"))


def _expand(name, root):
    """A module, or a package's every module."""
    path = _path(name, root)
    if path.name != "__init__.py":
        return [name]
    return [_name(p, root) for p in path.parent.rglob("*.py")]


#: an import statement, anywhere (in a function too): ``from X import (a, b)`` or ``import X``.
#: Read by a pattern, not by parsing the module, which costs ten times as much; a line of a
#: docstring that looks like an import counts too, which only ever adds a dependency.
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)"
                     r"|import[ \t]+([^\n#;]*))", re.M)


@functools.lru_cache(maxsize=None)
def _imports(name, root):
    """The package modules that module ``name`` imports, anywhere in its source."""
    path = _path(name, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for source, names, plain in _IMPORT.findall(_source(path).decode("utf-8")):
        if plain:
            found += _names(plain)
            continue
        level = len(source) - len(source.lstrip("."))
        base = source[level:]
        if level:
            anchor = package.split(".")[:len(package.split(".")) - level + 1]
            base = ".".join(anchor + ([base] if base else []))
        # ``from package import module`` depends on the module (the packages' own
        # __init__ files only list their modules); ``from module import name``, on the module
        imported = _names(names)
        submodules = [f"{base}.{n}" for n in imported if _is_module(f"{base}.{n}", root)]
        found += submodules if len(submodules) == len(imported) else submodules + [base]
    return [m for m in found if _is_module(m, root)]


def _names(text):
    """The names an import statement imports: "(a as b,\n c)" -> ["a", "c"]."""
    text = text.strip().strip("()").replace("\\\n", " ")
    return [part.split()[0] for part in text.split(",") if part.split()]


def _is_module(name, root):
    return (name == PACKAGE or name.startswith(PACKAGE + ".")) and _path(name, root).exists()


@functools.lru_cache(maxsize=None)
def _path(name, root):
    relative = Path(*name.split(".")[1:])
    package = Path(root) / relative / "__init__.py"
    return package if package.exists() else (Path(root) / relative).with_suffix(".py")


def _name(path, root):
    parts = list(Path(path).relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE] + parts)


@functools.lru_cache(maxsize=None)
def _source(path):
    return Path(path).read_bytes()
