"""Where reportgen's own files are: the report's templates and stylesheet, and the experiment
files of the default report.

Their sources are the top-level ``templates/`` and ``experiments/`` folders of the checkout,
next to the package: a checkout and an editable install read them there. A wheel (or
``pip install .``) carries copies of them inside the package, as ``reportgen/_data/templates``
and ``reportgen/_data/experiments`` (``pyproject.toml`` maps the two folders to these package
data folders; ``tests/test_package.py`` checks that the wheel's copies equal the sources).
The packaged copy is used when it exists, so that an installed reportgen never picks up an
unrelated ``templates/`` folder next to it in site-packages.
"""
from pathlib import Path

#: the package's folder
PACKAGE_DIR = Path(__file__).resolve().parent
#: the folder holding the package: the checkout (or site-packages, once installed)
SOURCE_ROOT = PACKAGE_DIR.parent
#: where a wheel keeps the packaged copies, inside the package
DATA_DIR = PACKAGE_DIR / "_data"


def data_dir(name):
    """The folder ``name`` ("templates" or "experiments"): the packaged copy if this is an
    installed package, else the checkout's own folder."""
    packaged = DATA_DIR / name
    return packaged if packaged.is_dir() else SOURCE_ROOT / name


#: the report's Jinja2 templates and style.css
TEMPLATES_DIR = data_dir("templates")
#: the experiment files of the default report (used where there is no ./experiments)
EXPERIMENTS_DIR = data_dir("experiments")


def is_checkout():
    """Whether the package runs from its source checkout (not from an installed copy)."""
    return not DATA_DIR.is_dir() and (SOURCE_ROOT / "pyproject.toml").is_file()
