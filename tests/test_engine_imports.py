"""The engine may use NumPy and the standard library only."""
import ast
import json
import subprocess
import sys
from pathlib import Path

import reportgen.engine as engine

ENGINE_DIR = Path(engine.__file__).resolve().parent
ROOT = ENGINE_DIR.parent.parent
ALLOWED = set(sys.stdlib_module_names) | {"numpy"}

# A fresh interpreter (not this one, where pytest, jinja2, matplotlib... are loaded anyway)
# imports the engine and every module in it, and says which modules that loaded.
LIST_MODULES = """
import json, pkgutil, sys
before = set(sys.modules)
import reportgen.engine
for module in pkgutil.iter_modules(reportgen.engine.__path__, "reportgen.engine."):
    __import__(module.name)
print(json.dumps({"file": reportgen.engine.__file__, "loaded": sorted(set(sys.modules) - before)}))
"""


def test_engine_imports_only_numpy_and_stdlib():
    out = subprocess.run([sys.executable, "-c", LIST_MODULES], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    report = json.loads(out.stdout)
    # the engine of this source tree, not some installed copy
    assert Path(report["file"]).resolve().parent == ENGINE_DIR
    loaded = {name.split(".")[0] for name in report["loaded"]}
    foreign = sorted(loaded - ALLOWED - {"reportgen"})
    assert foreign == [], f"importing the engine loaded non-stdlib modules: {foreign}"
    ours = sorted(name for name in report["loaded"] if name.split(".")[0] == "reportgen")
    assert ours and all(name == "reportgen" or name.startswith("reportgen.engine")
                        for name in ours), f"the engine loaded other parts of reportgen: {ours}"
    # it really loaded the engine and NumPy in the fresh interpreter: they were not there before
    assert "reportgen.engine.gradcheck" in report["loaded"] and "numpy" in loaded


def engine_imports(path):
    """[(line, what)] for every import in the module at ``path``, also those inside functions:
    the top-level name of an absolute import, "reportgen.x" for one of the package, ".x" for
    one relative to the engine, "..x" for one that leaves it, and "dynamic" for a call of
    __import__ or importlib.import_module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = ["." * node.level + (node.module or "")]
        elif isinstance(node, ast.Call) and (
                getattr(node.func, "id", None) == "__import__"
                or getattr(node.func, "attr", None) == "import_module"):
            names = ["dynamic"]
        else:
            continue
        for name in names:
            if name.startswith("reportgen.") or name.startswith("."):
                found.append((node.lineno, name))
            else:
                found.append((node.lineno, name.split(".")[0]))
    return sorted(found, key=lambda item: item[0])   # ast.walk goes breadth first


def test_engine_source_imports_only_numpy_stdlib_and_itself():
    paths = sorted(ENGINE_DIR.glob("*.py"))
    assert len(paths) >= 10
    bad = []
    for path in paths:
        for line, name in engine_imports(path):
            inside = (name.startswith(".") and not name.startswith("..")) \
                or name == "reportgen.engine" or name.startswith("reportgen.engine.")
            if not (inside or name in ALLOWED):
                bad.append(f"{path.name}:{line}: {name}")
    assert bad == [], "the engine imports more than NumPy and the standard library: " + \
        ", ".join(bad)


def test_the_source_check_sees_every_kind_of_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os.path, numpy as np\nfrom . import layers\nfrom ..report import x\n"
                      "import reportgen.figures\n"
                      "def f():\n    import jinja2\n    from matplotlib import pyplot\n"
                      "    return __import__('scipy')\n")
    assert [name for _, name in engine_imports(module)] == [
        "os", "numpy", ".", "..report", "reportgen.figures", "jinja2", "matplotlib", "dynamic"]
