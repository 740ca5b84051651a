"""Fixtures shared by the test modules."""
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def quick_build(tmp_path_factory):
    """A quick build of the shipped experiments: (its profile folder, the command's output).
    Shared by the modules that read the report (test_report, test_report_layout)."""
    out = tmp_path_factory.mktemp("report") / "output"
    result = CliRunner().invoke(main, ["build", "--quick", "--out", str(out), "--jobs", "2",
                                       "--experiments", str(ROOT / "experiments")])
    assert result.exit_code == 0, result.output
    assert not (out / "report.pdf").exists()   # a preview never replaces the full report
    return out / "quick", result.output
