"""site_builder/qr.py: QR codes of page URLs, made by segno once per URL and
inlined in the page."""

from __future__ import annotations

SITE_URL = "https://catalog.example.org/"  # mkdocs.yml site_url
from htmlcheck import Page


def html_of(site) -> str:
    return (site / "courses/laser-processing/index.html").read_text(encoding="utf-8")


def test_course_page_qr_code_encodes_its_url(built_site):
    page = Page(built_site / "courses/laser-processing/index.html")
    svgs = [a for tag, a in page.elements if tag == "svg" and "cc-qr__code" in a.get("class", "")]
    # The page's, and (on the printed sheet) the first next intake's application link.
    assert html_of(built_site).count('<div class="cc-next"') >= 2 and len(svgs) == 2
    html = (built_site / "courses/laser-processing/index.html").read_text(encoding="utf-8")
    assert "<image" not in html and "data:image" not in html   # vector, inline, no request
    import segno

    expected = segno.make(SITE_URL + "courses/laser-processing/", error="m")
    assert expected.svg_inline(scale=3, border=2, title="QR code of this page",
                               svgclass="cc-qr__code", lineclass=None) in html
    apply = segno.make("https://example.org/apply/photonics-technology/2027-03-chongqing", error="m")
    assert apply.svg_inline(scale=3, border=2, title="QR code of the application link",
                            svgclass="cc-qr__code", lineclass=None) in html


def test_qr_codes_are_segnos_and_made_once_per_url(tmp_path, monkeypatch):
    import segno

    from site_builder.qr import QrCodes

    url = "https://catalog.example.org/zh/courses/laser-processing/"
    codes = QrCodes(tmp_path / "qr.json")
    svg = codes.svg(url, "QR")
    assert str(svg) == segno.make(url, error="m").svg_inline(scale=3, border=2, title="QR",
                                                             svgclass="cc-qr__code", lineclass=None)
    codes.save()

    def fail(*args, **kwargs):
        raise AssertionError("segno asked again for a code in the cache")

    monkeypatch.setattr(segno, "make", fail)
    again = QrCodes(tmp_path / "qr.json")
    assert again.svg(url, "QR") == svg
    assert QrCodes(tmp_path / "qr.json").svg("javascript:alert(1)", "QR") == ""
