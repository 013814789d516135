"""What the MkDocs layer adds to every built page: languages, hreflang,
sitemap, 404 pages, per-language search indexes, JSON-LD."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from htmlcheck import Page, pages

SITE_URL = "https://catalog.example.org/"


def language_of(site, page) -> tuple[str, str]:
    """(lang, path within the language) of a built page."""
    rel = page.path.relative_to(site).as_posix()
    lang = "zh" if rel.startswith("zh/") else "en"
    rel = rel[3:] if lang == "zh" else rel
    path = "" if rel == "index.html" else rel.removesuffix("index.html")
    return lang, path


def test_every_page_has_its_language_and_absolute_reciprocal_hreflang(built_site):
    checked = 0
    for page in pages(built_site):
        lang, path = language_of(built_site, page)
        assert page.lang == lang, page.path
        if path == "404.html":
            continue
        links = {a["hreflang"]: a["href"] for tag, a in page.elements
                 if tag == "link" and a.get("rel") == "alternate" and "hreflang" in a}
        assert links == {"en": SITE_URL + path, "zh": SITE_URL + "zh/" + path,
                         "x-default": SITE_URL + path}, page.path
        canonical = [a["href"] for tag, a in page.elements if tag == "link" and a.get("rel") == "canonical"]
        assert canonical == [links[lang]]
        checked += 1
    assert checked == 2 * (1 + 1 + 1 + 1 + 7 + 3)   # home, catalog, status, saved, 7 categories, 3 courses


def test_language_switcher_links_the_same_page_relatively(built_site):
    page = Page(built_site / "zh/courses/laser-processing/index.html")
    switch = {a["hreflang"]: a["href"] for tag, a in page.elements
              if tag == "a" and "md-select__link" in a.get("class", "")}
    assert switch == {"en": "../../../courses/laser-processing/", "zh": "./"}


def test_sitemap_lists_both_languages_with_alternates(built_site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(built_site / "sitemap.xml").getroot()
    urls = {u.find("s:loc", ns).text: {l.get("hreflang"): l.get("href") for l in u.findall("x:link", ns)}
            for u in root.findall("s:url", ns)}
    course = SITE_URL + "courses/photonics-technology/"
    assert course in urls and SITE_URL + "zh/courses/photonics-technology/" in urls
    assert urls[course] == {"en": course, "zh": SITE_URL + "zh/courses/photonics-technology/"}
    assert len(urls) == 2 * 13


@pytest.mark.parametrize("path, lang, title", [("404.html", "en", "Page not found"),
                                               ("zh/404.html", "zh", "页面未找到")])
def test_each_language_has_its_own_404(built_site, path, lang, title):
    page = Page(built_site / path)
    assert page.lang == lang
    assert title in page.text
    home = [a["href"] for tag, a in page.elements if tag == "a" and a.get("hreflang") == lang]
    assert home == ["/" if lang == "en" else "/zh/"]


def test_search_index_per_language(built_site):
    en = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    zh = json.loads((built_site / "zh/search/search_index.json").read_text(encoding="utf-8"))
    for index in (en, zh):
        locations = [d["location"] for d in index["docs"]]
        assert locations and not [l for l in locations if l.startswith("zh/")]
        assert {l.split("#")[0] for l in locations} == {
            "courses/photonics-technology/", "courses/optical-fiber-communication/",
            "courses/laser-processing/"}
    assert "\u200b" in json.dumps(zh, ensure_ascii=False)          # Chinese words segmented
    assert re.search(r"光纤熔接机", json.dumps(zh, ensure_ascii=False))  # a glossary word kept whole
    titles = [d["title"] for d in en["docs"] if d["location"] == "courses/photonics-technology/"]
    assert titles == ["Photonics Technology (WorldSkills Standard) · OPT\u2011101"]
    assert en["config"]["pipeline"] == ["stemmer", "stopWordFilter"]
