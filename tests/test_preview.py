"""Live preview: an edit to a course file rewrites only the pages that show it,
and `mkdocs serve` shows the change (timings are in bench/preview_bench.py, not here)."""

from __future__ import annotations

import sys
import time

import pytest

from conftest import REPO, base_course, course_yaml, make_project

sys.path.insert(0, str(REPO / "bench"))
from preview_bench import fetch, free_port, start_serve, stop  # noqa: E402  (the benchmark's helpers)

from site_builder.generators import Pages, render_pages  # noqa: E402
from site_builder.readers import read_catalog  # noqa: E402
from site_builder.settings import LANGUAGES  # noqa: E402
from site_builder.writers import write_pages  # noqa: E402

COURSE = "photonics-technology"


def regenerate(root) -> list[str]:
    catalog, problems = read_catalog(root)
    assert problems.errors == []
    return sorted(write_pages(root / "docs", render_pages(catalog)))


def edit(root, course_id: str, change) -> None:
    path = root / "courses" / f"{course_id}.yml"
    text = path.read_text(encoding="utf-8")
    new = change(text)
    assert new != text
    path.write_text(new, encoding="utf-8")


@pytest.fixture(scope="module")
def catalog_project(tmp_path_factory):
    """The real catalog (every course in courses/), generated once."""
    root = make_project(tmp_path_factory.mktemp("preview") / "project", real_courses=True)
    regenerate(root)
    return root


def course_pages(course_id: str) -> set[str]:
    return {f"{lang}/{Pages.course(course_id)}" for lang in LANGUAGES}


def test_nothing_is_rewritten_without_an_edit(catalog_project):
    assert regenerate(catalog_project) == []


def test_a_description_edit_rewrites_only_that_course(catalog_project):
    edit(catalog_project, COURSE, lambda t: t.replace("\ndescription:\n  en: |\n    ",
                                                      "\ndescription:\n  en: |\n    Edited. ", 1))
    # The English description is on the English course page only.
    assert regenerate(catalog_project) == [f"en/{Pages.course(COURSE)}"]


def test_a_title_edit_rewrites_the_course_and_the_pages_listing_it(catalog_project):
    catalog, _ = read_catalog(catalog_project)
    course = catalog.courses[COURSE]
    neighbours = set(course.prerequisites) | {c.id for c in catalog.dependents(COURSE)}
    allowed = course_pages(COURSE) | {f"{lang}/{page}" for lang in LANGUAGES for page in (
        Pages.catalog(), Pages.category(course.category), Pages.status(), Pages.home())}
    allowed |= {page for other in neighbours for page in course_pages(other)}

    edit(catalog_project, COURSE, lambda t: t.replace(f"  en: {course.title.en}\n",
                                                      f"  en: {course.title.en} (edited)\n", 1))
    changed = set(regenerate(catalog_project))
    assert course_pages(COURSE) <= changed
    assert f"en/{Pages.catalog()}" in changed
    assert changed <= allowed, sorted(changed - allowed)
    untouched = [c for c in catalog.courses if c != COURSE and c not in neighbours]
    assert len(untouched) > 20
    assert not {page for c in untouched for page in course_pages(c)} & changed


def test_a_new_untranslated_text_rewrites_the_course_and_the_status_page(catalog_project):
    edit(catalog_project, COURSE, lambda t: t.replace("\nsummary:\n  en: ", "\nsummary:\n  en: TODO(en) ", 1))
    changed = set(regenerate(catalog_project))
    # The English page gets its notice; both status pages list the course.
    assert {f"en/{Pages.course(COURSE)}"} | {f"{lang}/{Pages.status()}" for lang in LANGUAGES} <= changed
    assert f"zh/{Pages.course(COURSE)}" not in changed


# ---------------------------------------------------------------------------
# The real preview server
# ---------------------------------------------------------------------------

def wait_for(condition, timeout: float = 120) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def preview_server(tmp_path):
    root = make_project(tmp_path / "project")
    port = free_port()
    server, output = start_serve(root, port)
    try:
        assert wait_for(lambda: "Serving on" in "".join(output) or server.poll() is not None), "".join(output)
        assert server.poll() is None, "".join(output)
        yield root, f"http://127.0.0.1:{port}/", output
    finally:
        stop(server)


def test_serve_shows_an_edit_and_rewrites_only_that_course(preview_server):
    root, base, output = preview_server
    en = base + f"courses/{COURSE}/"
    assert "Photonics Technology" in fetch(en)
    docs = {p: p.stat().st_mtime_ns for p in (root / "docs").rglob("*.md")}

    edit(root, COURSE, lambda t: t.replace("\ndescription:\n  en: |\n    ",
                                           "\ndescription:\n  en: |\n    Preview-marker-1. ", 1))
    assert wait_for(lambda: "Preview-marker-1." in fetch(en)), "".join(output[-40:])
    rewritten = {str(p.relative_to(root / "docs")) for p in (root / "docs").rglob("*.md")
                 if p.stat().st_mtime_ns != docs.get(p)}
    assert rewritten == {f"en/{Pages.course(COURSE)}"}


def test_serve_previews_a_course_with_a_missing_translation(preview_server):
    root, base, output = preview_server
    data = base_course()
    data["summary"]["zh"] = ""
    (root / "courses" / f"{COURSE}.yml").write_text(course_yaml(data), encoding="utf-8")
    zh = base + f"zh/courses/{COURSE}/"
    assert wait_for(lambda: "cc-untranslated" in fetch(zh)), "".join(output[-40:])
    page = fetch(zh)
    assert "预览：尚未提供中文。" in page and data["summary"]["en"][:40] in page
