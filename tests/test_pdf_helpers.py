"""The helpers the report tests read PDFs with can tell one PDF from another."""
import os

import pytest
from PIL import Image

import pdf_helpers
from pdf_helpers import MM, distinct_images, drawn_images, painted_boxes, page_texts
from reportgen.report.pdf import pdf_bytes


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """Small PDFs with images: a and b, a drawn twice (also as a copy of its file), and a alone."""
    out = tmp_path_factory.mktemp("images")
    (out / "figures").mkdir()
    Image.new("RGB", (40, 20), (30, 90, 200)).save(out / "figures" / "a.png")
    Image.new("RGB", (40, 20), (200, 90, 30)).save(out / "figures" / "b.png")
    (out / "figures" / "a-copy.png").write_bytes((out / "figures" / "a.png").read_bytes())

    def pdf(name, *images):
        body = "".join(f'<p><img src="figures/{image}" style="width: 40mm"></p>'
                       for image in images)
        path = out / f"{name}.pdf"
        path.write_bytes(pdf_bytes(f"<html><body><p>{name}</p>{body}</body></html>",
                                          out))
        return path

    return {"both": pdf("both", "a.png", "b.png", "a.png", "a-copy.png"),
            "one": pdf("one", "a.png"), "none": pdf("none")}


def test_distinct_images_counts_each_image_once(pdfs):
    assert len(distinct_images(pdfs["both"])) == 2
    assert sorted(drawn_images(pdfs["both"]).values()) == [1, 3]
    assert len(distinct_images(pdfs["one"])) == 1
    assert distinct_images(pdfs["one"]) < distinct_images(pdfs["both"])
    assert distinct_images(pdfs["none"]) == set()


def test_painted_boxes_are_where_the_images_are(pdfs):
    from pypdf import PdfReader

    reader = PdfReader(pdfs["one"])
    [(x0, y0, x1, y1)] = [box for box in painted_boxes(reader, reader.pages[0])
                          if abs(box[2] - box[0] - 40 * MM) < 0.5]
    assert abs((y1 - y0) - 20 * MM) < 0.5      # 40 x 20 px shown 40 mm wide
    assert x0 > 0 and y1 < float(reader.pages[0].mediabox.height)


def test_the_text_is_read_again_when_the_file_changes(pdfs, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdfs["one"].read_bytes())
    assert "one" in page_texts(path)[0]
    calls = pdf_helpers._page_texts.cache_info().misses
    assert "one" in page_texts(path)[0]
    assert pdf_helpers._page_texts.cache_info().misses == calls       # read once
    stat = path.stat()
    path.write_bytes(pdfs["none"].read_bytes())
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert "none" in page_texts(path)[0]
