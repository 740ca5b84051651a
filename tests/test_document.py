"""The document: numbering in document order, references by id, the page-order check."""
import pytest

from reportgen.report.document import DocumentError, Document, check_order, outline, to_data
from reportgen.report.sections import SECTIONS


def test_sections_and_parts_are_numbered_in_document_order():
    headings = outline()
    assert [headings[s.id].number for s in SECTIONS] == [str(i) for i in range(1, len(SECTIONS) + 1)]
    assert headings["discussion.no_activation"].number == "4.C"
    assert headings["discussion.no_activation"].id == "discussion-no_activation"
    assert headings["discussion"].part("no_activation") is headings["discussion.no_activation"]
    with pytest.raises(DocumentError, match="no part 'zebra'"):
        headings["discussion"].part("zebra")


def test_a_reference_names_its_section_and_an_unknown_one_is_an_error():
    document = Document.__new__(Document)
    document.headings = outline()
    assert document.ref("extra.convolution") == \
        '<a class="ref" href="#extra-convolution">Section&nbsp;5.C</a>'
    with pytest.raises(DocumentError, match="no such section or part"):
        document.ref("extra.zebra")


def _page(*labels):
    return "".join(f'<span class="label">{kind} {n}:</span>' for kind, n in labels)


def test_figure_table_and_listing_numbers_must_appear_in_order():
    check_order(_page(("Figure", 1), ("Table", 1), ("Listing", 1), ("Figure", 2), ("Table", 2),
                      ("Listing", 2)))
    with pytest.raises(DocumentError, match=r"listings appear in the order \[1, 3\]"):
        check_order(_page(("Listing", 1), ("Listing", 3)))
    with pytest.raises(DocumentError, match=r"figures appear in the order \[2, 1\]"):
        check_order(_page(("Figure", 2), ("Figure", 1)))
    with pytest.raises(DocumentError, match="tables"):
        check_order(_page(("Table", 1), ("Table", 3)))


def test_in_traditional_chinese_references_and_labels_are_chinese():
    from reportgen import i18n

    document = Document.__new__(Document)
    document.headings = outline()
    with i18n.language("zh-TW"):
        assert document.ref("extra.convolution") == \
            '<a class="ref" href="#extra-convolution">第&nbsp;5.C&nbsp;節</a>'
        chinese = "".join(f'<span class="label">{kind} {n}：</span>'
                          for kind, n in (("圖", 1), ("表", 1), ("程式碼", 1), ("圖", 2)))
        check_order(chinese)
        with pytest.raises(DocumentError, match=r"figures appear in the order \[2, 1\]"):
            check_order(chinese.replace("圖 1", "圖 3").replace("圖 2", "圖 1")
                        .replace("圖 3", "圖 2"))
        with pytest.raises(DocumentError, match=r"tables appear in the order \[2\]"):
            check_order(_page(("Table", 2)))    # English labels are read too


def test_facts_become_json_ready_data():
    import dataclasses
    import math

    @dataclasses.dataclass
    class Inner:
        share: float

    @dataclasses.dataclass
    class Outer:
        rows: list
        by_pair: dict
        missing: float

    data = to_data(Outer([Inner(0.5)], {("lr=1", "xor"): (1, 2)}, math.nan))
    assert data == {"rows": [{"share": 0.5}], "by_pair": {"lr=1 / xor": [1, 2]}, "missing": None}
