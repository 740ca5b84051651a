"""One key for every derived output: each depends on the code that makes it, and no more."""
import ast
import shutil
from pathlib import Path

import pytest

from reportgen import keys
from reportgen.report.sections import SECTIONS

PACKAGE = Path(keys.__file__).resolve().parent
#: modules that no output of a build is made with
# (the demo is in the build: it prints the results' screenshot; i18n_names is Babel's, when
# it extracts the catalogs' messages)
NOT_IN_BUILD = {"reportgen.cli", "reportgen.cli_options", "reportgen.experiments.editor_schema",
                "reportgen.i18n_names", "reportgen.project", "reportgen.watch"}


def output_keys(root):
    """The key of every kind of output, with the same inputs, for the package in ``root``."""
    figures = {s.id: keys.key("figure", ["a figure"], (s.figures.__module__,), root)
               for s in SECTIONS}
    out = {kind: keys.key(kind, ["inputs"], root=root)
           for kind in ("run", "gradchecks", "results", "facts")}
    out["figures"] = figures
    out["report"] = keys.key("report", [out["facts"], figures], root=root)
    return out


@pytest.fixture(scope="module")
def edits(tmp_path_factory):
    """{module: output keys after a comment is appended to it}, and the keys before."""
    root = tmp_path_factory.mktemp("package") / "reportgen"
    shutil.copytree(PACKAGE, root, ignore=shutil.ignore_patterns("__pycache__"))
    keys.forget()
    before = output_keys(root)
    after = {}
    for name in keys.modules(root):
        path = keys._path(name, root)
        source = path.read_bytes()
        path.write_bytes(source + b"\n# an edit\n")
        keys.forget()
        after[name] = output_keys(root)
        path.write_bytes(source)
    keys.forget()
    return before, after


def test_every_module_of_the_package_is_edited_in_turn(edits):
    _, after = edits
    assert len(after) == len(list(PACKAGE.rglob("*.py"))) > 40
    assert {"reportgen.engine.activations", "reportgen.experiments.summary",
            "reportgen.report.sections.discussion"} <= set(after)


def test_runs_are_retrained_for_engine_modules_only(edits):
    """... and for the code that turns a trained network into its cached record (with the
    stability measures it records)."""
    before, after = edits
    retrained = {name for name, k in after.items() if k["run"] != before["run"]}
    engine = {name for name in after if name.split(".")[:2] == ["reportgen", "engine"]}
    assert retrained == engine | {"reportgen.experiments.record",
                                    "reportgen.experiments.stability"} and len(engine) >= 10


def _inert(name):
    """A package __init__ that holds nothing but its docstring, imports and ``__all__``: it
    computes nothing, and the build imports its modules directly, not its names."""
    path = keys._path(name, PACKAGE)
    tree = ast.parse(path.read_bytes())
    return path.name == "__init__.py" and all(
        isinstance(node, (ast.Import, ast.ImportFrom))
        or isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        or isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["__all__"]
        for node in tree.body)


def test_the_report_is_rebuilt_after_any_change_to_the_code_the_build_uses(edits):
    before, after = edits
    unchanged = {name for name, k in after.items() if k["report"] == before["report"]}
    inert = {name for name in unchanged if _inert(name)}
    assert unchanged - inert == NOT_IN_BUILD
    assert inert == {"reportgen.report", "reportgen.experiments"}


def test_a_change_to_the_sweep_table_cells_rebuilds_the_report(edits):
    """Regression: editing experiments/summary.py used to leave the report 'up to date'."""
    before, after = edits
    assert after["reportgen.experiments.summary"]["report"] != before["report"]
    assert after["reportgen.experiments.summary"]["facts"] != before["facts"]


def test_an_engine_change_redraws_every_figure(edits):
    """Regression: editing engine/activations.py used to keep the sigmoid, activation and
    data-set figures."""
    before, after = edits
    for name in ("reportgen.engine.activations", "reportgen.engine.datasets",
                 "reportgen.engine.network"):
        for section_id, key in after[name]["figures"].items():
            assert key != before["figures"][section_id], (name, section_id)
        assert after[name]["gradchecks"] != before["gradchecks"]
        assert after[name]["results"] != before["results"]


def test_a_section_redraws_its_own_figures_and_not_the_others(edits):
    before, after = edits
    for section in (s for s in SECTIONS if s.figures.__module__ != "reportgen.report.sections.base"):
        changed = {sid for sid, key in after[section.figures.__module__]["figures"].items()
                   if key != before["figures"][sid]}
        assert section.id in changed
    # no section draws from the appendix's module
    appendix = after["reportgen.report.sections.appendix"]["figures"]
    assert {sid for sid, key in appendix.items() if key != before["figures"][sid]} == set()


def test_figure_and_results_keys_ignore_the_templates_machinery(edits):
    before, after = edits
    for name in ("reportgen.report.render", "reportgen.report.build", "reportgen.cli"):
        assert after[name]["run"] == before["run"]
        assert after[name]["results"] == before["results"]
        assert after[name]["figures"]["introduction"] == before["figures"]["introduction"]


def test_imports_inside_functions_and_relative_imports_are_followed(tmp_path):
    root = tmp_path / "reportgen"
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "sub" / "__init__.py").write_text("")
    (root / "a.py").write_text("def f():\n    from .sub import b\n")
    (root / "sub" / "b.py").write_text("from .. import c\nimport numpy\n")
    (root / "c.py").write_text("x = 1\n")
    (root / "d.py").write_text("x = 2\n")
    keys.forget()
    assert keys.dependencies(("reportgen.a",), root) == {"reportgen.a", "reportgen.sub.b",
                                                          "reportgen.c"}
    assert keys.dependencies(("reportgen.sub",), root) == {"reportgen.sub", "reportgen.sub.b",
                                                            "reportgen.c"}
    keys.forget()


def _parsed_imports(name):
    """The package modules ``name`` imports, as Python's parser sees them."""
    path = keys._path(name, PACKAGE)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            found |= {base} | {f"{base}.{a.name}" for a in node.names}
    return {m for m in found if keys._is_module(m, PACKAGE)}


def test_the_import_pattern_finds_every_import_the_parser_finds():
    """keys reads imports with a pattern (fast); it must miss none that Python would run."""
    keys.forget()
    for name in keys.modules():
        parsed = _parsed_imports(name)
        scanned = set(keys._imports(name, PACKAGE))
        # a parent package named only as the place a module comes from is not followed
        missed = {m for m in parsed - scanned
                  if not any(s.startswith(m + ".") for s in scanned)}
        assert not missed, (name, missed)
