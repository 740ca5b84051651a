"""Babel extractors of the names the report shows but no ``_()`` call holds (``babel.cfg``).

The engine names its choices for the report (an activation's, an optimizer's, a loss's, an
initialisation's ``display`` name, an initialisation's ``description``, a hyper-parameter's
``description``, a data set's display name), and the experiment files label their settings
(``label = "identity hidden"``). The engine imports nothing but NumPy and the standard library,
so these texts are translated where they are shown (``_(entry.display)``, ``_(label)``:
``reportgen.figures.labels``); these extractors give Babel their message ids.

Both read the files as text (Python's ``ast``, TOML): extracting imports nothing of the
project.
"""
import ast
import re
import tomllib

#: keyword arguments whose string value is a name shown in the report
NAME_KEYWORDS = {"display", "description"}
#: calls whose positional arguments hold shown names: callee -> {position: what it is}
#: (``@optimizer(name, display, tex)``, ``HyperParameter(name, default, symbol, range,
#: description)``)
NAME_POSITIONS = {"optimizer": {1: "display"}, "HyperParameter": {4: "description"}}
#: dictionaries of display names: variable -> what they are
NAME_DICTS = {"DISPLAY_NAMES": "display"}


def _callee(call):
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _string(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def registry_names(fileobj, keywords, comment_tags, options):
    """The display names and descriptions an engine module registers: the string values of
    ``display=`` and ``description=`` in any call (``ActivationEntry(...)``,
    ``LossEntry(...)``...), the display name of ``@optimizer(name, display, ...)``, the
    description of ``HyperParameter(...)``, and the values of a ``DISPLAY_NAMES`` dict."""
    tree = ast.parse(fileobj.read())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            callee = _callee(node)
            for keyword in node.keywords:
                if keyword.arg in NAME_KEYWORDS and (text := _string(keyword.value)):
                    found.append((keyword.value.lineno, text, f"{callee}: {keyword.arg}"))
            for position, what in NAME_POSITIONS.get(callee, {}).items():
                if position < len(node.args) and (text := _string(node.args[position])):
                    found.append((node.args[position].lineno, text, f"{callee}: {what}"))
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            for name in set(names) & set(NAME_DICTS):
                for value in node.value.values:
                    if text := _string(value):
                        found.append((value.lineno, text, f"{name}: {NAME_DICTS[name]}"))
    for lineno, text, comment in sorted(found):
        yield lineno, None, text, [f"the engine's {comment} (shown in the report's text, tables "
                                   "and figures)"]


_LABEL_LINE = re.compile(r"^\s*label\s*=")


def experiment_labels(fileobj, keywords, comment_tags, options):
    """The labels of an experiment file's variants (``[[variant]] label = "..."``), which the
    report's tables and figures show for the variant's settings."""
    text = fileobj.read().decode("utf-8")
    data = tomllib.loads(text)
    label_lines = [n for n, line in enumerate(text.splitlines(), 1) if _LABEL_LINE.match(line)]
    labels = [v["label"] for v in data.get("variant", []) if isinstance(v.get("label"), str)]
    for i, label in enumerate(labels):
        lineno = label_lines[i] if i < len(label_lines) else 1
        yield lineno, None, label, ["a setting of an experiment file (its variant's label)"]
