"""Rebuilds touch only what changed; the parallel build writes the same site."""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

from conftest import base_course, course_yaml, make_project

from site_builder import writers
from site_builder.build import build


def digests(folder: Path, pattern: str = "*") -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob(pattern)) if p.is_file()}


def mtimes(docs: Path) -> dict[str, int]:
    return {str(p.relative_to(docs)): p.stat().st_mtime_ns for p in docs.rglob("*.md")}


def rendered(caplog) -> int:
    """How many pages the last build rendered (its debug line)."""
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("rendered ")]
    return int(lines[-1].split()[1])


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
    assert rendered(caplog) == len(before) and courses == 6

    # Nothing changed: index pages are rendered (cheap), no course page; nothing is written.
    time.sleep(0.05)
    assert build(project) == 0
    assert rendered(caplog) == index_pages(docs)
    assert mtimes(docs) == before

    # One course's English summary: its two pages are rendered, and those of
    # the course that lists it as a dependent (photonics-technology); the
    # third course (optical-fiber-communication) is not.  Only the files whose
    # text changed are written: the English course page and the English pages
    # whose cards show the summary.
    edit(project, "laser-processing", lambda d: d["summary"].update(en="A new summary."))
    assert build(project) == 0
    assert rendered(caplog) == index_pages(docs) + 2 + 2
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
    assert build(project) == 0
    assert rendered(caplog) == index_pages(docs) + 6
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
    assert "laser-processing" not in writers.read_manifest(docs)


def test_a_broken_manifest_means_rendering_everything(project, caplog):
    caplog.set_level(logging.DEBUG, logger="site_builder")
    assert build(project) == 0
    total = rendered(caplog)
    (project / "docs" / writers.MANIFEST).write_text("{not json", encoding="utf-8")
    assert build(project) == 0
    assert rendered(caplog) == total


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
    monkeypatch.setenv("CATALOG_BUILD_JOBS", "2")
    assert build(project) == 0
    before = digests(project / "site")
    # A Chinese page that links to an anchor that does not exist: only the
    # process building Chinese sees it, and strict mode must still fail.
    page = project / "docs" / "zh" / "courses" / "laser-processing.md"
    page.unlink()  # so that it is rendered again
    import site_builder.generators as generators

    real = generators.render_pages

    def with_broken_link(*args, **kwargs):
        pages = real(*args, **kwargs)
        key = "zh/courses/laser-processing.md"
        if key in pages:  # the Chinese pages (rendered in a child when there are two cores)
            pages[key] += "\n[broken](../catalog.md#no-such-anchor)\n"
        return pages

    monkeypatch.setattr("site_builder.build.render_pages", with_broken_link)
    assert build(project) == 1
    assert "no-such-anchor" in page.read_text(encoding="utf-8")
    assert digests(project / "site") == before


def test_the_fast_qr_mask_choice_is_segnos():
    """Course pages render their QR code with a faster scoring of segno's eight
    masks; it must pick the same mask and give the same modules as segno."""
    import random

    import segno
    from segno import encoder

    from site_builder import generators

    original = encoder.find_and_apply_best_mask
    if hasattr(original, "keywords"):                      # already replaced in this process
        original = original.keywords["_original"]
    rng = random.Random(6)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-"
    contents = [f"https://catalog.example.org/{'zh/' if i % 2 else ''}courses/"
                f"{''.join(rng.choice(alphabet) for _ in range(rng.randint(3, 80)))}/" for i in range(150)]
    contents += ["".join(chr(rng.randint(32, 0x4e00 if i % 3 == 0 else 126)) for _ in range(rng.randint(1, 300)))
                 for i in range(150)]
    versions = set()
    for content in contents:
        encoder.find_and_apply_best_mask = original
        expected = segno.make(content, error="m")
        generators._fast_qr_masks()
        assert encoder.find_and_apply_best_mask is not original
        got = segno.make(content, error="m")
        assert (got.mask, got.matrix) == (expected.mask, expected.matrix), content
        versions.add(expected.version)
    assert len(versions) > 5



def test_search_de_duplication_is_the_i18n_plugins_own(project):
    """The one-pass pre-check removes exactly what mkdocs-static-i18n removes."""
    import copy

    from site_builder import mkdocs_glue

    i18n = mkdocs_glue.load(project, None).plugins["i18n"]

    def entries(*rows):
        return [{"location": loc, "title": title, "text": text} for loc, title, text in rows]

    a = ("courses/a/", "Photonics", "Laser safety")
    b = ("courses/b/", "Fiber", "Splicing")
    cases = [
        entries(a, b, ("zh/courses/a/", "Photonics", "Laser safety"), ("zh/courses/b/", "光纤", "熔接"),
                ("zh/courses/c/", "Fiber", "Splicing, other")),         # one repeat of the default
        entries(a, b, ("zh/courses/a/", "光电技术", "激光安全"), ("zh/courses/b/", "光纤", "熔接")),  # none
        entries(a, ("zh/courses/x/", "Photonics", "Laser safety")),     # same text, other page
    ]
    kept = []
    for case in cases:
        expected = copy.deepcopy(case)
        type(i18n).reconfigure_search_duplicates(i18n, expected)
        got = copy.deepcopy(case)
        mkdocs_glue._linear_dedupe(i18n)(got)
        assert got == expected
        kept.append(len(got))
    assert kept == [4, 4, 2]


def test_anchor_ids_of_raw_html_are_found_when_a_link_asks(project, monkeypatch):
    """MkDocs' ids of raw HTML are parsed lazily: a link to an id that exists
    only in a page's raw HTML (the catalog's filter form) passes the strict
    build, a link to a missing one fails it, and unlinked pages give the same
    site as MkDocs' eager parse."""
    import contextlib

    from site_builder import mkdocs_glue

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setenv("CATALOG_BUILD_JOBS", "1")
    assert build(project) == 0
    lazy = digests(project / "site")
    with monkeypatch.context() as m:
        m.setattr(mkdocs_glue, "_lazy_raw_html_anchors", contextlib.nullcontext)
        (project / "docs" / writers.MANIFEST).unlink()
        assert build(project) == 0
        assert digests(project / "site") == lazy

    import site_builder.generators as generators

    real = generators.render_pages

    def with_link(anchor):
        def render(*args, **kwargs):
            pages = real(*args, **kwargs)
            key = "en/courses/laser-processing.md"
            if key in pages:
                pages[key] += f"\n[filters](../catalog.md#{anchor})\n"
            return pages
        return render

    page = project / "docs" / "en" / "courses" / "laser-processing.md"
    assert 'id="filters"' in (project / "docs" / "en" / "catalog.md").read_text(encoding="utf-8")
    page.unlink()
    monkeypatch.setattr("site_builder.build.render_pages", with_link("filters"))
    assert build(project) == 0
    page.unlink()
    monkeypatch.setattr("site_builder.build.render_pages", with_link("no-such-filters"))
    assert build(project) == 1
