"""The engine may use NumPy and the standard library only."""
import json
import subprocess
import sys
import sysconfig


def test_engine_imports_only_numpy_and_stdlib():
    code = (
        "import sys, json; before = set(sys.modules); import reportgen.engine; "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    new_modules = json.loads(out.stdout)
    stdlib = sys.stdlib_module_names
    foreign = sorted({name.split(".")[0] for name in new_modules}
                     - stdlib - {"numpy", "reportgen"})
    assert foreign == [], f"engine imported non-stdlib modules: {foreign}"
    # and it really was loaded: the check above must be able to fail
    assert "reportgen.engine" in new_modules
    assert "numpy" in {name.split(".")[0] for name in new_modules} or "numpy" in sys.modules


def test_engine_source_does_not_import_package_siblings():
    import pathlib
    import reportgen.engine as engine

    for path in pathlib.Path(engine.__file__).parent.glob("*.py"):
        text = path.read_text()
        for forbidden in ("from ..", "import reportgen.", "import matplotlib", "import jinja2"):
            assert forbidden not in text, f"{path.name} contains {forbidden!r}"
