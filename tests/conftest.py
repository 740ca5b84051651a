"""The quick build of the shipped report that several test modules read (made once a session)."""
import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import main

ROOT = Path(__file__).resolve().parent.parent

#: the build's SOURCE_DATE_EPOCH: 2023-11-14 12:13:20 UTC, the report's date
SOURCE_DATE_EPOCH = "1700000000"
SOURCE_DATE = "2023-11-14"

#: the command line of the session's quick build, under ``--out``
QUICK_BUILD = ["build", "--quick", "--jobs", "2", "--experiments", str(ROOT / "experiments")]


@dataclasses.dataclass(frozen=True)
class QuickReport:
    out: Path           # the quick profile's folder: report.pdf, report.html, figures/, cache/
    output: str         # what the build printed
    first: dict         # {"pdf": bytes, "html": bytes} as the build wrote them (later tests
                        # render the report again, some with edited templates or code)


def quick_build_command(out):
    return QUICK_BUILD + ["--out", str(out)]


@pytest.fixture(scope="session")
def quick_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "output"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        result = CliRunner().invoke(main, quick_build_command(out))
    assert result.exit_code == 0, result.output
    assert not (out / "report.pdf").exists()   # a preview never replaces the full report
    quick = out / "quick"
    return QuickReport(quick, result.output,
                       {fmt: (quick / f"report.{fmt}").read_bytes() for fmt in ("pdf", "html")})


@pytest.fixture(scope="session")
def quick_build(quick_report):
    """(the quick profile's folder, what the build printed)."""
    return quick_report.out, quick_report.output


@pytest.fixture(scope="session")
def quick_report_zh(quick_report, tmp_path_factory):
    """The session's quick build again in Traditional Chinese (``--lang zh-TW``), into a folder
    of its own that starts with the English build's caches: the runs are the same (their keys
    do not hold the language), so nothing is trained; the figures are drawn again in Chinese."""
    import shutil

    out = tmp_path_factory.mktemp("report-zh") / "output"
    shutil.copytree(quick_report.out / "cache", out / "quick" / "cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        result = CliRunner().invoke(main, quick_build_command(out) + ["--lang", "zh-TW"])
    assert result.exit_code == 0, result.output
    quick = out / "quick"
    return QuickReport(quick, result.output,
                       {fmt: (quick / f"report.{fmt}").read_bytes() for fmt in ("pdf", "html")})
