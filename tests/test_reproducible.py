"""Reproducible bytes: two builds of the same inputs write the same PDF and HTML, byte for byte,
and the report's date comes from SOURCE_DATE_EPOCH when it is set."""
import io

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from conftest import SOURCE_DATE, SOURCE_DATE_EPOCH, quick_build_command
from reportgen.cli import main
from reportgen.report import pdf
from reportgen.report.build import BuildError, report_date


def test_the_report_is_dated_by_source_date_epoch(quick_report):
    html = quick_report.first["html"].decode()
    assert f"<dt>Date</dt><dd>{SOURCE_DATE}</dd>" in html
    title_page = PdfReader(io.BytesIO(quick_report.first["pdf"])).pages[0].extract_text()
    assert SOURCE_DATE in title_page


def test_rendering_the_same_build_again_gives_the_same_bytes(quick_report, monkeypatch):
    """The second render reuses every run and figure and lays the PDF out again: WeasyPrint
    writes no date and no random identifier (other tests render this report again with
    edited templates or code: the bytes are compared with the first build's)."""
    (quick_report.out / "cache" / "build.json").unlink()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    result = CliRunner().invoke(main, quick_build_command(quick_report.out.parent))
    assert result.exit_code == 0, result.output
    assert " 0 trained" in result.output and " 0 drawn" in result.output
    assert "Report written" in result.output
    for fmt in ("html", "pdf"):
        assert (quick_report.out / f"report.{fmt}").read_bytes() == quick_report.first[fmt], fmt


@pytest.mark.parametrize("variant", [None, *pdf.VARIANTS])
def test_the_pdf_does_not_depend_on_the_folder_it_is_made_in(tmp_path, variant):
    """WeasyPrint names every image after its URL: the page is laid out under one base URL
    whatever the output folder, so a build elsewhere (another checkout, CI) gives the same
    bytes."""
    page = ('<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><h1>T</h1>'
            '<img src="figures/a.png" alt="A blue square"></body></html>')
    made = []
    for folder in (tmp_path / "one", tmp_path / "elsewhere" / "two"):
        (folder / "figures").mkdir(parents=True)
        Image.new("RGB", (8, 8), (30, 90, 200)).save(folder / "figures" / "a.png")
        made.append(pdf.pdf_bytes(page, folder, variant=variant))
    assert made[0] == made[1] and b"/Subtype /Image" in made[0]
    assert b"CreationDate" not in made[0] and b"ModDate" not in made[0]


def test_report_date():
    assert report_date({"SOURCE_DATE_EPOCH": "1700000000"}) == "2023-11-14"
    assert report_date({"SOURCE_DATE_EPOCH": "0"}) == "1970-01-01"
    assert report_date({"SOURCE_DATE_EPOCH": ""}) == report_date({})   # empty: unset
    for bad in ("yesterday", "-5", "1.5e9", "9" * 30):
        with pytest.raises(BuildError, match="SOURCE_DATE_EPOCH .*whole number of seconds"):
            report_date({"SOURCE_DATE_EPOCH": bad})


def test_a_malformed_source_date_epoch_stops_the_build_before_training(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "last tuesday")
    result = CliRunner().invoke(main, quick_build_command(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: SOURCE_DATE_EPOCH (environment): must be a whole number of seconds since "
        "1970-01-01 00:00 UTC, like `date +%s` prints, got 'last tuesday'"]
    assert not (tmp_path / "out").exists()
