"""Rebuilds touch only what changed; the parallel build writes the same site."""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

from conftest import base_course, course_yaml, make_project

from site_builder import writers
from site_builder.pipeline import OFFLINE_DOWNLOAD, build


def digests(folder: Path, pattern: str = "*") -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob(pattern)) if p.is_file()}


def mtimes(docs: Path) -> dict[str, int]:
    return {str(p.relative_to(docs)): p.stat().st_mtime_ns for p in docs.rglob("*.md")}


def rendered(caplog) -> int:
    """How many pages the last generate() rendered (its debug lines, all languages)."""
    lines = [r.getMessage() for r in caplog.records if ": rendered " in r.getMessage()]
    return sum(int(line.split(": rendered ")[1].split()[0]) for line in lines)


def generate(project: Path, caplog) -> int:
    """What each language's build process writes into docs/, done here (in
    this process, so that its log is seen): the pages rendered."""
    from site_builder.language_build import generate_language, site_options
    from site_builder.readers import read_catalog

    caplog.clear()
    catalog, problems = read_catalog(project)
    assert not problems.errors
    options = site_options(project)
    for lang in catalog.site_languages:
        generate_language(project, catalog, lang, directory_urls=options["use_directory_urls"],
                          site_url=options["site_url"], cache=project / ".cache",
                          download=OFFLINE_DOWNLOAD)
    return rendered(caplog)


def edit(project: Path, course_id: str, change) -> None:
    path = project / "courses" / f"{course_id}.yml"
    import yaml

    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    change(data)
    path.write_text(course_yaml(data), encoding="utf-8")


def index_pages(docs: Path) -> int:
    """Pages that list courses (home, catalog, categories, ...): all but course pages."""
    return sum(1 for p in docs.rglob("*.md") if p.parent.name != "courses")


def test_touching_one_course_renders_and_rewrites_only_its_pages(project, caplog):
    caplog.set_level(logging.DEBUG, logger="site_builder")
    assert build(project) == 0
    docs = project / "docs"
    before = mtimes(docs)
    courses = sum(1 for p in docs.rglob("courses/*.md"))
    assert courses == 6

    # Nothing changed: nothing is rendered, nothing is written.
    time.sleep(0.05)
    assert generate(project, caplog) == 0
    assert build(project) == 0
    assert mtimes(docs) == before

    # One course's English summary: its two pages are rendered, and those of
    # the course that lists it as a dependent (photonics-technology); the
    # third course (optical-fiber-communication) is not.  Only the files whose
    # text changed are written: the English course page and the English pages
    # whose cards show the summary.
    # A description is on the course's own page only: no listing page is rendered again.
    edit(project, "laser-processing", lambda d: d["description"].update(en="A new description."))
    rendered_pages = generate(project, caplog)
    assert 0 < rendered_pages <= 4  # its two pages, and those of the course that lists it
    assert [rel for rel, t in mtimes(docs).items() if t != before[rel]] == ["en/courses/laser-processing.md"]
    edit(project, "laser-processing", lambda d: d["summary"].update(en="A new summary."))
    assert generate(project, caplog) == index_pages(docs) + 2 + 2
    changed = sorted(rel for rel, t in mtimes(docs).items() if t != before[rel])
    assert changed == ["en/catalog.md", "en/categories/optoelectronics.md", "en/courses/laser-processing.md"]


def test_a_changed_prerequisite_re_renders_the_courses_that_name_it(project, caplog, tmp_path):
    caplog.set_level(logging.DEBUG, logger="site_builder")
    assert build(project) == 0
    docs = project / "docs"
    before = mtimes(docs)
    # photonics-technology is the prerequisite of the two other fixture courses,
    # whose pages show its title.
    edit(project, "photonics-technology", lambda d: d["title"].update(zh="光电技术（新）"))
    assert generate(project, caplog) == index_pages(docs) + 6
    assert build(project) == 0
    changed = {rel for rel, t in mtimes(docs).items() if t != before[rel]}
    assert {"zh/courses/photonics-technology.md", "zh/courses/laser-processing.md",
            "zh/courses/optical-fiber-communication.md"} <= changed

    # The incremental result is exactly what a build from scratch gives.
    fresh = make_project(tmp_path / "fresh", {p.name: p.read_text(encoding="utf-8")
                                              for p in (project / "courses").glob("*.yml")})
    assert build(fresh) == 0
    assert digests(docs, "*.md") == digests(fresh / "docs", "*.md")
    assert digests(project / "site") == digests(fresh / "site")


def test_a_deleted_page_is_written_again_and_a_removed_course_pruned(project):
    assert build(project) == 0
    docs = project / "docs"
    (docs / "zh/courses/laser-processing.md").unlink()
    assert build(project) == 0
    assert (docs / "zh/courses/laser-processing.md").is_file()

    (project / "courses" / "laser-processing.yml").unlink()
    assert build(project) == 0
    assert not list(docs.rglob("laser-processing.md"))
    for manifest in (project / ".cache").glob("pages-*.json"):
        assert "laser-processing" not in writers.read_json(manifest)["courses"]


def test_a_broken_manifest_means_rendering_everything(project, caplog):
    caplog.set_level(logging.DEBUG, logger="site_builder")
    assert build(project) == 0
    docs = project / "docs"
    total = sum(1 for _ in docs.rglob("*.md"))
    for manifest in (project / ".cache").glob("pages-*.json"):
        manifest.write_text("{not json", encoding="utf-8")
    assert generate(project, caplog) == total


def test_languages_built_side_by_side_give_the_same_site_as_one_after_the_other(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    sequential = make_project(tmp_path / "seq", real_courses=True)
    parallel = make_project(tmp_path / "par", real_courses=True)
    monkeypatch.setenv("CATALOG_BUILD_JOBS", "1")
    assert build(sequential) == 0
    monkeypatch.setenv("CATALOG_BUILD_JOBS", "2")
    assert build(parallel) == 0
    a, b = digests(sequential / "site"), digests(parallel / "site")
    assert len(a) > 100 and any(name.startswith("zh/courses/") for name in a)
    assert a == b


def test_a_failure_in_the_other_languages_fails_the_build_and_keeps_the_site(project, monkeypatch):
    """Only the process building Chinese sees a problem (a strict MkDocs
    warning: a link to an anchor that does not exist); the build fails and
    the last good site stays."""
    from site_builder import rendering

    monkeypatch.setenv("CATALOG_BUILD_JOBS", "2")
    assert build(project) == 0
    before = digests(project / "site")
    page = project / "docs" / "zh" / "courses" / "laser-processing.md"
    page.unlink()  # so that it is rendered again
    real = rendering.Page.source

    def with_broken_link(self):
        out = real(self)
        if self.path == "courses/laser-processing.md" and 'lang="en"' in self.body:  # the Chinese page
            out = out.replace(rendering.BODY_MARKER,
                              "[broken](../catalog.md#no-such-anchor)\n\n" + rendering.BODY_MARKER)
        return out

    monkeypatch.setattr(rendering.Page, "source", with_broken_link)  # the workers are forked
    assert build(project) == 1
    assert "no-such-anchor" in page.read_text(encoding="utf-8")
    assert digests(project / "site") == before


def test_a_worker_that_dies_fails_the_build_and_keeps_the_site(project, monkeypatch):
    import os

    from site_builder import language_build as builder

    assert build(project) == 0
    before = digests(project / "site")
    real = builder.generate_language

    def dies(root, catalog, lang, **kwargs):
        if lang == "zh":
            os._exit(3)  # as if killed: no result is ever sent
        return real(root, catalog, lang, **kwargs)

    monkeypatch.setattr(builder, "generate_language", dies)
    assert build(project) == 1
    assert digests(project / "site") == before
    assert not list(project.glob(".site.new-*"))


def test_chinese_text_is_segmented_once_and_reused(tmp_path, monkeypatch):
    import jieba

    from site_builder.search import Segmenter

    text = "物联网传感器节点的安装与调试"
    first = Segmenter(["物联网"], tmp_path / "seg.json")
    cut = first.segment(text)
    # Words apart (U+200B), the characters of a word joined (U+2060, search.WORD_JOINER).
    assert cut.replace("\u200b", "").replace("\u2060", "") == text and "\u200b物\u2060联\u2060网\u200b" in cut
    first.save()

    def fail(*args, **kwargs):
        raise AssertionError("jieba started for a text in the cache")

    monkeypatch.setattr(jieba, "Tokenizer", fail)
    assert Segmenter(["物联网"], tmp_path / "seg.json").segment(text) == cut
    # Another vocabulary is another cache: the text is cut anew.
    other = Segmenter(["传感器节点"], tmp_path / "seg.json")
    try:
        other.segment(text)
    except AssertionError:
        pass
    else:
        raise AssertionError("a cache of another vocabulary was used")


def test_workers_that_start_fresh_build_the_same_site(tmp_path, monkeypatch):
    """A large catalog's language builds start as fresh processes and read the
    catalog from a file (less memory per worker): the site is the same."""
    from site_builder import pipeline as build_module

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    forked = make_project(tmp_path / "forked")
    fresh = make_project(tmp_path / "fresh")
    assert build(forked) == 0
    monkeypatch.setattr(build_module, "SPAWN_FROM", 0)
    assert build(fresh) == 0
    assert digests(forked / "site") == digests(fresh / "site")
    assert not list((fresh / ".cache").glob("catalog-*"))


def test_segmentation_cached_in_another_format_is_not_reused(tmp_path):
    """A cache written before the format changed (keyed by the vocabulary alone)
    is not read back as today's segmentation."""
    import hashlib

    from site_builder import caches
    from site_builder.search import Segmenter

    text = "物联网传感器节点的安装与调试"
    path = tmp_path / "seg.json"
    old_key = hashlib.sha256("\n".join(["物联网"]).encode("utf-8")).hexdigest()
    text_key = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    caches.save(path, old_key, {text_key: "stale"})
    assert Segmenter(["物联网"], path).segment(text) != "stale"
