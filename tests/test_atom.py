"""site_builder/atom.py: the Atom feeds of runs, per language, category and
place, read back with feedparser (and the XML with ElementTree), and linked
from the catalog, category and home pages."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import feedparser
import pytest

from conftest import base_course, course_yaml, make_project

from site_builder import atom, offerings
from site_builder.pipeline import build
from site_builder.readers import read_catalog

#: Its outcome depends on a date: run again with the clock moved (.ci/run).
pytestmark = pytest.mark.dates

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(path: Path):
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, (path, feed.get("bozo_exception"))
    assert feed.version == "atom10"
    return feed


@pytest.fixture(scope="module")
def catalog(built_site):
    found, _ = read_catalog(built_site.parent)
    return found


@pytest.mark.parametrize("prefix, lang, all_title", [
    ("", "en", "New and changed runs · China–Africa Vocational Course Catalog"),
    ("zh/", "zh", "新开班与开班变更 · 中非职业教育双语课程目录"),
])
def test_every_run_not_ended_is_an_entry_of_the_language_feed(built_site, catalog, prefix, lang, all_title):
    feed = parse(built_site / prefix / "feeds/runs.xml")
    assert feed.feed.title == all_title and feed.feed.language == lang
    runs = [(c, o) for c in catalog.ordered_courses() for o in offerings.upcoming(c, catalog.build_date)]
    assert len(feed.entries) == len(runs) > 0
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("tag:catalog.example.org,2026:") for i in ids)
    by_id = {e.id: e for e in feed.entries}
    for course, run in runs:
        entry = by_id[f"tag:catalog.example.org,2026:{course.id}/{run.id}/{lang}"]
        assert entry.title.startswith(course.title[lang])
        assert entry.link == f"https://catalog.example.org/{prefix}courses/{course.id}/#offering-{run.id}"
        assert entry.updated_parsed[:3] == course.updated.timetuple()[:3]
        assert entry.content[0].type == "text/plain" and course.summary[lang] in entry.content[0].value
        assert [t.term for t in entry.tags] == [course.category]
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["self"] == f"https://catalog.example.org/{prefix}feeds/runs.xml"
    assert links["alternate"] == f"https://catalog.example.org/{prefix}catalog/"


def test_one_feed_per_category_and_place_holds_its_runs_only(built_site, catalog):
    today = catalog.build_date
    for path, title, kind in atom.feeds_of(catalog, "en"):
        if not kind:
            continue
        key = Path(path).stem
        feed = parse(built_site / path)
        expected = {f"{c.id}/{o.id}" for c in catalog.courses.values() for o in offerings.upcoming(c, today)
                    if (c.category if kind == "category" else offerings.place(catalog, o)) == key}
        assert expected and {e.id.split(":", 2)[2].rsplit("/", 1)[0] for e in feed.entries} == expected, path
        assert feed.feed.title.startswith(f"New and changed runs: {title} · ")
    kinds = [kind for _, _, kind in atom.feeds_of(catalog, "en")]
    assert kinds.count("category") >= 1 and kinds.count("place") >= 2
    # Every feed file written is one the pages know, and the other way round.
    written = {p.relative_to(built_site).as_posix() for p in (built_site / "feeds").rglob("*.xml")}
    assert written == {path for path, _, _ in atom.feeds_of(catalog, "en")}


def test_the_pages_link_the_feeds_with_a_note_on_following_them(built_site, catalog):
    page = built_site / "catalog/index.html"
    html = unescape(page.read_text(encoding="utf-8"))
    section = html[html.index('id="follow"'):]
    assert "feed reader" in section
    hrefs = re.findall(r'<a href="([^"]+)" type="application/atom\+xml">', section)
    assert len(hrefs) == len(atom.feeds_of(catalog, "en"))
    for href in hrefs:
        assert (page.parent / href).resolve().is_file(), href
    category = built_site / "categories/optoelectronics/index.html"
    link = re.search(r'<a href="([^"]+)" type="application/atom\+xml">Follow new and changed runs in ',
                     category.read_text(encoding="utf-8")).group(1)
    assert (category.parent / link).resolve() == (built_site / "feeds/category/optoelectronics.xml").resolve()
    home = (built_site / "zh/index.html").read_text(encoding="utf-8")
    assert 'href="feeds/runs.xml" type="application/atom+xml">新开班与开班变更（Atom 订阅源）' in home


def test_author_text_is_plain_text_in_a_feed(tmp_path):
    data = base_course()
    data["title"] = {"en": "Optics <script>alert(1)</script> ]]> &amp;", "zh": "光学<img src=x onerror=alert(1)>"}
    data["summary"]["en"] = "<b>Bold</b> & <a href='javascript:alert(1)'>link</a>"
    root = make_project(tmp_path / "p", {"photonics-technology.yml": course_yaml(data)})
    assert build(root) == 0
    for prefix, lang in (("", "en"), ("zh/", "zh")):
        path = root / "site" / prefix / "feeds/runs.xml"
        tree = ET.parse(path)
        # No element but Atom's own: the author's markup is text.
        assert {el.tag for el in tree.iter()} <= {ATOM + name for name in (
            "feed", "id", "title", "updated", "author", "name", "link", "generator", "subtitle", "entry",
            "content", "category")}
        entries = parse(path).entries
        assert entries and all(e.title.startswith(data["title"][lang]) for e in entries)
        assert all(e.content[0].type == "text/plain" for e in entries)
    assert "<b>Bold</b> & <a href='javascript:alert(1)'>link</a>" in parse(
        root / "site/feeds/runs.xml").entries[0].content[0].value


def test_a_feed_keeps_the_runs_changed_most_recently(project, monkeypatch):
    old = base_course()
    old.update(id="laser-processing", code="OPT-202", updated="2026-01-05",
               title={"en": "Laser Processing Technology", "zh": "激光加工技术"})
    (project / "courses/laser-processing.yml").write_text(course_yaml(old), encoding="utf-8")
    catalog, _ = read_catalog(project)
    from site_builder.urls import Pages

    pages = Pages(catalog.site_languages, True, "https://catalog.example.org/")
    feed = feedparser.parse(atom.feed_files(catalog, pages, "en")["feeds/runs.xml"])
    updated = [dt.date(*e.updated_parsed[:3]) for e in feed.entries]
    assert updated == sorted(updated, reverse=True) and updated[-1] == dt.date(2026, 1, 5)
    assert feed.feed.updated_parsed[:3] == max(updated).timetuple()[:3]
    monkeypatch.setattr(atom, "MAX_ENTRIES", 3)
    feed = feedparser.parse(atom.feed_files(catalog, pages, "en")["feeds/runs.xml"])
    assert len(feed.entries) == 3 and dt.date(2026, 1, 5) not in [dt.date(*e.updated_parsed[:3])
                                                                 for e in feed.entries]


def test_feeds_are_byte_identical_across_builds(tmp_path):
    a, b = make_project(tmp_path / "a"), make_project(tmp_path / "b")
    assert build(a) == 0 and build(b) == 0
    files = sorted(p.relative_to(a / "site") for p in (a / "site").rglob("feeds/**/*.xml"))
    assert len(files) > 4
    for rel in files:
        assert (a / "site" / rel).read_bytes() == (b / "site" / rel).read_bytes(), rel
