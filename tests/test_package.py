"""reportgen as a real package: a wheel carries the templates, the stylesheet and the default
experiment files, and an installed reportgen builds the report outside the checkout."""
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen import resources
from reportgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
#: the package data folders of the wheel and their sources in the checkout
PACKAGED = {"reportgen/_data/templates": "templates", "reportgen/_data/experiments": "experiments"}


def _files(folder):
    """Every file under ``folder`` a wheel must carry (not caches, not hidden files)."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def test_pyproject_lists_every_package_and_maps_the_data_folders():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    code = sorted(".".join(p.parent.relative_to(ROOT).parts)
                  for p in (ROOT / "reportgen").rglob("__init__.py"))
    data = {name.replace("/", "."): source for name, source in PACKAGED.items()}
    assert sorted(config["packages"]) == sorted(code + list(data))
    assert config["package-dir"] == data


def test_a_checkout_reads_its_own_templates_and_experiments():
    assert resources.TEMPLATES_DIR == ROOT / "templates"
    assert resources.EXPERIMENTS_DIR == ROOT / "experiments"
    assert resources.is_checkout()


def test_without_an_experiments_folder_commands_use_the_default_report_saying_so(
        tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0, result.output
    note, *table = result.output.splitlines()
    assert note == (f"note: no experiments/ folder here: using the default report's experiment "
                    f"files, shipped with reportgen ({resources.EXPERIMENTS_DIR})")
    shipped = [p for p in resources.EXPERIMENTS_DIR.glob("*.toml") if p.name != "report.toml"]
    assert table[0].split()[0] == "experiment" and len(table) == 1 + len(shipped)
    # a folder named on the command line must exist, as before
    result = CliRunner().invoke(main, ["list", "--experiments", "experiments"])
    assert result.exit_code == 2 and "experiments folder not found" in result.output


def _can_build_without_isolation():
    """Whether this environment's setuptools builds wheels by itself (>= 70.1, or with the
    ``wheel`` package), so that pip need not fetch the build backend."""
    version = importlib.metadata.version("setuptools").split(".")
    return (tuple(int(v) for v in version[:2] if v.isdigit()) >= (70, 1)
            or importlib.util.find_spec("wheel") is not None)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """A wheel built from a copy of the checkout (so that the build leaves nothing in it)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", "output", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache"))
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir",
               str(tmp), str(source)]
    if _can_build_without_isolation():
        command.insert(4, "--no-build-isolation")
    built = subprocess.run(command, capture_output=True, text=True)
    if built.returncode and "--no-build-isolation" not in command and any(
            s in built.stderr for s in ("Could not find a version", "NewConnectionError",
                                        "Temporary failure in name resolution")):
        pytest.skip("pip cannot fetch setuptools to build the wheel (offline)")
    assert built.returncode == 0, built.stderr
    return next(tmp.glob("reportgen-*.whl"))


def test_the_wheel_carries_the_package_and_copies_equal_to_the_sources(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "reportgen").rglob("*.py")}
        assert modules <= names
        for packaged, source in PACKAGED.items():
            files = _files(ROOT / source)
            assert "style.css" in files or "main.toml" in files
            carried = sorted(n[len(packaged) + 1:] for n in names if n.startswith(packaged + "/"))
            assert carried == files, packaged
            for name in files:
                assert archive.read(f"{packaged}/{name}") == (ROOT / source / name).read_bytes()
        # the catalogs, compiled when a build first needs them (reportgen.i18n)
        catalogs = sorted(p.relative_to(ROOT).as_posix()
                          for p in (ROOT / "reportgen" / "locale").glob("*/LC_MESSAGES/*.po"))
        assert "reportgen/locale/zh_TW/LC_MESSAGES/messages.po" in catalogs
        for name in catalogs:
            assert archive.read(name) == (ROOT / name).read_bytes()


def test_the_installed_wheel_builds_the_default_report_outside_the_checkout(
        wheel, quick_report, tmp_path):
    """Installed the ordinary way (not editable) in a fresh virtual environment, whose
    dependencies are this one's, ``reportgen build`` runs in a folder without experiments:
    the runs cached by this session's build are found under the same keys (a run's key hashes
    the engine's source, not where it is installed)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages",
                    str(venv)], check=True)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    # pip comes from the system site-packages; --ignore-installed: an editable reportgen
    # there is neither used nor touched
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--ignore-installed", str(wheel)], check=True, env=env, cwd=tmp_path)
    where = subprocess.run([str(python), "-c", "import reportgen; print(reportgen.__file__)"],
                           capture_output=True, text=True, check=True, env=env, cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(venv)

    work = tmp_path / "work"
    for folder in ("cache/runs", "figures"):          # what the session's build made
        shutil.copytree(quick_report.out / folder, work / "output" / "quick" / folder)
    built = subprocess.run([str(venv / "bin" / "reportgen"), "build", "--quick", "--format",
                            "html", "--jobs", "2", "--quiet"],
                           capture_output=True, text=True, env=env, cwd=work)
    assert built.returncode == 0, built.stderr + built.stdout
    assert built.stderr.startswith("note: no experiments/ folder here: using the default "
                                   "report's experiment files, shipped with reportgen (")
    assert str(venv) in built.stderr and "_data/experiments" in built.stderr
    assert " 0 trained" in built.stdout and "Report written: output/quick/report.html" \
        in built.stdout
    html = (work / "output" / "quick" / "report.html").read_text()
    assert "<title>Lab 1: Backpropagation</title>" in html and "Quick preview" in html
    assert "reportgen build --quick</pre>" in html        # the command that rebuilds it
    assert "not built from a git checkout" in html
    assert not (work / "output" / "report.pdf").exists()
