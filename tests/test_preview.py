"""Live preview: an edit to a course file rewrites only the pages that show it,
and the preview server shows the change, byte for byte as the full build
writes it (timings are in bench/preview_bench.py, not here)."""

from __future__ import annotations

import sys
import time

import pytest

from conftest import REPO, base_course, course_yaml, make_project

sys.path.insert(0, str(REPO / "bench"))
from preview_bench import fetch, free_port, start_serve, stop  # noqa: E402  (the benchmark's helpers)

from site_builder.language_build import generate_language, site_options  # noqa: E402
from site_builder.urls import Pages  # noqa: E402
from site_builder.readers import read_catalog  # noqa: E402
from site_builder.settings import site_languages  # noqa: E402

COURSE = "photonics-technology"
LANGUAGES = site_languages(REPO).codes


def regenerate(root) -> list[str]:
    """What each language's build writes into docs/: the paths rewritten."""
    catalog, problems = read_catalog(root)
    assert problems.errors == []
    options = site_options(root)
    changed = []
    for lang in catalog.site_languages:
        changed += [f"{lang}/{p}" for p in generate_language(
            root, catalog, lang, directory_urls=options["use_directory_urls"],
            site_url=options["site_url"], cache=root / ".cache")]
    return sorted(changed)


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
    # The other language's reading mode shows the English title too.
    allowed |= {f"{lang}/{Pages.reading(COURSE)}" for lang in LANGUAGES}

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
        assert wait_for(lambda: "preview at" in "".join(output) or server.poll() is not None), "".join(output)
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
                                           "\ndescription:\n  en: |\n    Preview-marker-1. ", 1)
         .replace("\naudience:\n  en: ", "\naudience:\n  en: Preview-marker-2. ", 1))
    assert wait_for(lambda: "Preview-marker-1." in fetch(en)), "".join(output[-40:])
    rewritten = {str(p.relative_to(root / "docs")) for p in (root / "docs").rglob("*.md")
                 if p.stat().st_mtime_ns != docs.get(p)}
    assert rewritten == {f"en/{Pages.course(COURSE)}"}
    # The Chinese page's reading mode shows the English audience: its file is served anew.
    assert wait_for(lambda: "Preview-marker-2." in fetch(base + f"zh/reading/{COURSE}.js"))

    # The search index follows in the background, then the data files.
    from site_builder.pipeline import build
    from site_builder.preview import PREVIEW_SITE

    served = root / PREVIEW_SITE
    assert wait_for(lambda: "Preview-marker-1." in (served / "search/search_index.json").read_text("utf-8")), \
        "".join(output[-40:])
    assert wait_for(lambda: "Preview-marker-1." in (served / "catalog.json").read_text("utf-8")), \
        "".join(output[-40:])
    # What the preview shows is what the full build writes, byte for byte.
    assert build(root, tmp_full := root.parent / "full") == 0
    for rel in (f"courses/{COURSE}/index.html", f"zh/courses/{COURSE}/index.html", "catalog/index.html",
                "search/search_index.json", "zh/search/search_index.json", "sitemap.xml", "catalog.json",
                f"calendars/{COURSE}.ics", f"zh/calendars/{COURSE}.ics", f"reading/{COURSE}.js"):
        assert (served / rel).read_bytes() == (tmp_full / rel).read_bytes(), rel


def test_serve_keeps_the_last_good_pages_and_names_the_error(preview_server):
    root, base, output = preview_server
    en = base + f"courses/{COURSE}/"
    before = fetch(en)
    edit(root, COURSE, lambda t: t.replace("\nhours: ", "\nhours: many ", 1))
    assert wait_for(lambda: f"courses/{COURSE}.yml:" in "".join(output)), "".join(output[-40:])
    located = [line for line in "".join(output).splitlines() if line.startswith(f"courses/{COURSE}.yml:")]
    assert located and "hours" in located[0], located
    assert "Traceback" not in "".join(output)
    assert fetch(en) == before


def test_serve_previews_a_course_with_a_missing_translation(preview_server):
    root, base, output = preview_server
    data = base_course()
    data["summary"]["zh"] = ""
    (root / "courses" / f"{COURSE}.yml").write_text(course_yaml(data), encoding="utf-8")
    zh = base + f"zh/courses/{COURSE}/"
    assert wait_for(lambda: "cc-untranslated" in fetch(zh)), "".join(output[-40:])
    page = fetch(zh)
    assert "预览：尚未提供中文。" in page and data["summary"]["en"][:40] in page
