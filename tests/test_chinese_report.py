"""The report in Traditional Chinese (issue 20): the catalog is complete, a zh-TW build says
everything in Chinese with an embedded CJK font, numbers and dates follow the language, and a
character no installed font covers stops the build before the PDF is written."""
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

import branches
from conftest import ROOT, SOURCE_DATE_EPOCH, quick_build_command
from pdf_helpers import flat_text
from reportgen import fonts, i18n
from reportgen.cli import main
from reportgen.experiments.config import load_report_metadata
from reportgen.report import filters, glyphs
from reportgen.report.sections import SECTIONS

ZH = "zh-TW"


# ---- the catalog ------------------------------------------------------------------------

def _extracted():
    """{(context, msgid): (msgid, plural or None, where)} of every message Babel extracts with
    babel.cfg's method map (what ``pybabel extract -F babel.cfg`` finds)."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with open(ROOT / "babel.cfg") as file:
        method_map, options_map = parse_mapping_cfg(file)
    found = {}
    for filename, lineno, message, _, context in extract_from_dir(
            str(ROOT), method_map, options_map):
        singular, plural = (message[0], message[1]) if isinstance(message, tuple) \
            else (message, None)
        found.setdefault((context, singular), (singular, plural, f"{filename}:{lineno}"))
    return found


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def _placeholders(text):
    return {a or b for a, b in _PLACEHOLDER.findall(text or "")}


def test_every_extracted_message_has_a_translation_with_its_placeholders():
    from babel.messages.pofile import read_po

    with open(i18n.catalog_path(ZH), "rb") as file:
        catalog = read_po(file, locale=i18n.babel_locale(ZH))
    extracted = _extracted()
    assert len(extracted) > 10          # the extraction found the report's messages
    problems = []
    for (context, msgid), (_, plural, where) in sorted(extracted.items(),
                                                       key=lambda i: i[1][2]):
        entry = catalog.get(msgid, context=context)
        strings = [] if entry is None else (
            list(entry.string) if isinstance(entry.string, (tuple, list)) else [entry.string])
        if entry is None or entry.fuzzy or not strings or not all(s.strip() for s in strings):
            problems.append(f"{where}: {msgid!r}: "
                            + ("no entry" if entry is None else "fuzzy" if entry.fuzzy
                               else "no translation"))
            continue
        wanted = _placeholders(msgid) | _placeholders(plural)
        for string in strings:
            if _placeholders(string) != wanted:
                problems.append(f"{where}: {msgid!r}: placeholders {sorted(wanted)} but the "
                                f"translation has {sorted(_placeholders(string))}")
    assert problems == [], f"{len(problems)} of {len(extracted)} messages:\n" + \
        "\n".join(problems[:60])


def test_counts_dates_and_lists_of_the_build_are_in_the_catalog():
    """The build's own messages (the counts in words, lists) are translated, and the numbers
    keep the report's symbols: English and Chinese write them alike (CLDR)."""
    with i18n.language(ZH):
        assert [filters.words(n) for n in (0, 2, 5, 12, 13)] == ["零", "兩", "五", "十二", "13"]
        assert filters.listing(["甲", "乙", "丙"]) == "甲、乙和丙"
        assert filters.date("2026-12-01") == "2026年12月1日"
        assert filters.date("第一學期") == "第一學期"          # the student's own text
        assert filters.pct(0.9523) == "95.2%" and filters.pm(0.952, 0.031) == "95.2 ± 3.1%"
        assert filters.num(-0.5) == "−0.500" and filters.sci(3.2e-4) == "3.2×10⁻⁴"
    assert filters.words(5) == "five" and filters.date("2026-12-01") == "2026-12-01"
    assert filters.listing(["a", "b", "c"]) == "a, b and c"


def test_another_language_gets_its_own_number_symbols_from_babel():
    signs = filters.symbols("de")
    assert signs.decimal == "," and signs.percent_suffix == "\xa0%" and signs.minus == "−"


def test_init_writes_a_commented_lang_line(tmp_path):
    made = CliRunner().invoke(main, ["init", str(tmp_path / "lab")])
    assert made.exit_code == 0, made.output
    path = tmp_path / "lab" / "experiments" / "report.toml"
    text = path.read_text()
    assert re.search(r'(?m)^# lang = "zh-TW"$', text)
    assert load_report_metadata(path.parent)["lang"] == "en"
    path.write_text(text.replace('# lang = "zh-TW"', 'lang = "zh-TW"'))
    assert load_report_metadata(path.parent)["lang"] == ZH


# ---- the build in Chinese ---------------------------------------------------------------

def _zh_titles():
    with i18n.language(ZH):
        return {s.title: i18n.gettext(s.title) for s in SECTIONS}


def test_the_pdf_has_the_section_titles_in_chinese(quick_report_zh):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = flat_text(quick_report_zh.out / "report.pdf")
    untranslated = [english for english, chinese in _zh_titles().items() if chinese == english]
    assert untranslated == [], "section titles without a translation"
    for chinese in _zh_titles().values():
        assert chinese in text
    assert "2023年11月14日" in text                 # the title page's date


def test_no_english_sentence_is_left_in_the_chinese_report(quick_report_zh):
    html = quick_report_zh.first["html"].decode()
    assert '<html lang="zh-TW"' in html
    # the student's own words (report.toml's title page) stay as written
    meta = load_report_metadata(ROOT / "experiments")
    own = [meta[k] for k in ("title", "subtitle", "course", "instructor")] + \
        [a["name"] for a in meta["authors"]]
    for text in filter(None, own):
        html = html.replace(text, " ")
    assert branches.english_left(html) == []


def test_the_pdf_embeds_a_subset_of_a_cjk_font(quick_report_zh):
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(quick_report_zh.out / "report.pdf").pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            font = font.get_object()
            names.add(str(font.get("/BaseFont")))
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object().get("/FontDescriptor").get_object()
                if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(descriptor["/FontName"]) + " embedded")
    cjk = [n for n in names if "CJK" in n and n.endswith("embedded")]
    assert cjk, names
    assert all(re.match(r"/[A-Z]{6}\+", n) for n in cjk)          # a subset
    if shutil.which("pdffonts"):
        listed = subprocess.run(["pdffonts", str(quick_report_zh.out / "report.pdf")],
                                capture_output=True, text=True, check=True).stdout
        row = next(line for line in listed.splitlines() if "CJK" in line)
        assert row.split()[-5:-3] == ["yes", "yes"]               # emb, sub


def test_the_figures_draw_chinese_with_a_font_that_has_it(quick_report_zh):
    notes = glyphs.figure_notes(quick_report_zh.out / "figures",
                                [p.name[:-len(".glyphs.json")] for p in
                                 (quick_report_zh.out / "figures").glob("*.glyphs.json")])
    assert notes == {}
    assert " glyphs " in quick_report_zh.output


# ---- no missing glyph -------------------------------------------------------------------

def _uncovered():
    """A character of a script no installed font has (skip if every candidate has a font)."""
    has, _ = fonts.fallback(("DejaVu Serif", "Noto Serif CJK TC", "serif"), "en")
    for char in "\U00010600\U0001E900\U00011A00\U00016A40":   # Linear A, Adlam, Zanabazar, Mro
        if not has(char):
            return char
    pytest.skip("every candidate character has an installed font here")


def test_a_title_no_font_covers_stops_the_build_and_keeps_the_previous_report(
        quick_report, tmp_path):
    char = _uncovered()
    experiments = tmp_path / "experiments"
    shutil.copytree(ROOT / "experiments", experiments)
    path = experiments / "report.toml"
    path.write_text(path.read_text().replace('title = "Lab 1: Backpropagation"',
                                             f'title = "Lab 1 {char}: Backpropagation"'))
    out = tmp_path / "output"
    for folder in ("cache", "figures"):       # the session's runs and figures: nothing to train
        shutil.copytree(quick_report.out / folder, out / "quick" / folder)
    previous = {fmt: f"the previous report.{fmt}".encode() for fmt in ("pdf", "html")}
    for fmt, data in previous.items():
        (out / "quick" / f"report.{fmt}").write_bytes(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        command = quick_build_command(out)
        command[command.index("--experiments") + 1] = str(experiments)
        result = CliRunner().invoke(main, command)
    assert result.exit_code == 2, result.output
    message = result.output
    assert f"U+{ord(char):04X}" in message and unicodedata.name(char) in message
    assert "experiments/report.toml: report.title" in message
    assert "apt-get install fonts-noto-core" in message
    assert "previous report is untouched" in message
    for fmt, data in previous.items():
        assert (out / "quick" / f"report.{fmt}").read_bytes() == data


def test_the_check_names_a_prose_file_an_author_and_the_report_text(tmp_path):
    char = _uncovered()
    from reportgen.report.prose import Prose

    prose = Prose("discussion", tmp_path / "prose" / "discussion.md", f"one\ntwo {char}\n")
    page = (f"<html><head><title>{char}</title></head><body><h1>T</h1><p>two {char}</p>"
            f"<p>私有 \ue000 字</p></body></html>")
    meta = {"title": "T", "authors": [{"name": f"A {char}", "student_id": ""}],
            "language": "zh-TW"}
    with pytest.raises(glyphs.MissingGlyphs) as error:
        glyphs.check(page, meta=meta, prose=[prose], report_toml="experiments/report.toml")
    message = str(error.value)
    assert "experiments/report.toml: report.authors[0].name" in message
    assert "prose/discussion.md, line 2" in message
    assert "private-use" in message and "私有 [U+E000] 字" in message
    assert "私" not in message.split("«")[0]      # Chinese is covered: only its context shows
    assert "<title>" not in message and char + "<" not in message
    assert glyphs.check("<body><p>中文、English，數字 1.5%</p></body>",
                        meta={"language": "zh-TW"}) > 10


def test_a_figure_names_its_text_and_mathtext_that_cannot_draw_chinese(tmp_path):
    from reportgen.figures import glyphs as figure_glyphs
    from reportgen.figures.style import close, new_figure

    with i18n.language(ZH):
        fig, ax = new_figure()
        ax.set_title("學習率")                      # Noto Sans CJK TC, through the fallback
        ax.set_xlabel(r"學習率 $\eta$")             # mathtext has no Chinese
    try:
        missing = figure_glyphs.missing(fig)
    finally:
        close(fig)
        english, _ = new_figure()                   # the English fonts again
        close(english)
    assert set(missing) == set("學習率")
    assert all("mathtext" in w for wheres in missing.values() for w in wheres)
    path = tmp_path / "f.glyphs.json"
    path.write_text('{"missing": {"學": ["the text \'學\'"]}}')
    assert glyphs.read_note(path) == {"學": ["the text '學'"]}
    with pytest.raises(glyphs.MissingGlyphs, match=r"figure 'f' \(the text"):
        glyphs.check(None, figures={"f": glyphs.read_note(path)})
