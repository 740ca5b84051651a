"""Every {% if %} of every section template is taken both ways by the section tests' cases,
and those of the page around them by its own."""
import importlib

import pytest

import branches
from reportgen.report.sections import SECTIONS

SECTION_IDS = [s.id for s in SECTIONS]


def _cases(section_id):
    return importlib.import_module(f"test_section_{section_id}").CASES


@pytest.mark.parametrize("section_id", SECTION_IDS)
def test_every_branch_of_the_template_is_taken_both_ways(section_id):
    for facts in _cases(section_id).values():
        branches.render(section_id, facts)
    assert branches.untaken([section_id]) == []


def test_the_probe_sees_an_untaken_branch():
    """The check can fail: one case alone leaves some branch untaken."""
    section_id = SECTION_IDS[0]
    branches.SEEN.clear()
    branches.render(section_id, next(iter(_cases(section_id).values())))
    assert branches.untaken([section_id])
    branches.SEEN.clear()


def test_the_page_around_the_sections():
    full, quick = (branches.text(branches.render_page(q, seeds=3)) for q in (False, True))
    assert "Quick preview." not in full
    assert "Quick preview. This report was built with --quick : at most 3 seeds" in quick
    assert "Contents 1. Introduction" in full
    assert branches.untaken(templates=[branches.PAGE]) == []


def test_the_page_around_the_sections_in_traditional_chinese():
    from reportgen import i18n
    from reportgen.report.document import outline

    meta = dict(title="實驗一：反向傳播", author="王小明", student_id="1", course="深度學習",
                instructor="陳老師", date="2026-12-01", abstract="摘要的內容。")
    with i18n.language("zh-TW"):
        quick = branches.probed_environment().get_template(branches.PAGE).render(
            meta=meta, quick=True, seeds=3, sections=list(outline().values())[:1],
            templates=[])
    assert branches.english_left(quick) == []
    said = branches.text(quick)
    assert "快速預覽。 本報告以 --quick 建置：每個設定最多 3 個隨機種子" in said
    assert "學號 1" in said and "目錄" in said and "課程 深度學習 授課教師 陳老師" in said
    assert "摘要 摘要的內容。" in said


def _note(what, **facts):
    """The not-supported note of a part or section (``what``) for these facts."""
    import functools

    from reportgen.report.document import Document, outline
    from reportgen.report.sections.base import Missing, NotSupported
    from reportgen.report.templates import environment

    document = Document.__new__(Document)
    document.headings = outline()
    n = NotSupported("student.py", [Missing("optimizers", ["optimizer=adam, lr=1"], 15,
                                            "NotImplementedError: optimizer 'adam'"),
                                    Missing("convolution", ["conv 2 ch", "conv 4 ch"], 2,
                                            "NotImplementedError: conv")], **facts)
    page = environment().from_string('{% import "_macros.j2" as m with context %}'
                                      '{{ m.not_supported(n, what) }}')
    return page.render(n=n, what=what, ref=functools.partial(Document.ref, document))


def test_the_note_of_what_the_engine_did_not_train():
    from reportgen import i18n

    section = branches.words(_note("section"))
    assert ("Not supported by this engine. The engine in use, student.py, does not support 1 of "
            "the 15 settings of the experiment optimizers (optimizer=adam, lr=1: it raised "
            "“NotImplementedError: optimizer 'adam'”); nor any of the 2 settings of the "
            "experiment convolution (conv 2 ch; conv 4 ch: it raised “NotImplementedError: "
            "conv”). This section compares every setting of those experiments, so it states "
            "nothing here, not even of the runs the engine did train (they are in the results "
            "files).") in section
    assert ("This part states findings of Section 3.B, which the engine in use, student.py, "
            "could not train for (see there), so it is left out.") in branches.words(
                _note("part", because_of="results.accuracy"))
    with i18n.language("zh-TW"):
        notes = [_note(what, **facts) for what in ("part", "section")
                 for facts in ({}, {"because_of": "results.accuracy"})]
    for note in notes:   # (the engine's own error messages stay as it raised them)
        assert branches.english_left(note) == [], note
    assert "此引擎不支援。 目前使用的引擎 student.py 不支援實驗 optimizers 的 15 個設定中的 1 個" \
        in branches.text(notes[0])
