"""Live preview: an edit to a course file rewrites only the pages that show it,
and the preview server shows the change, byte for byte as the full build
writes it (timings are in bench/preview_bench.py, not here)."""

from __future__ import annotations

import sys
import time
from html.parser import HTMLParser

import pytest

from chromium import browser  # noqa: F401  (a fixture)
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
    # The saved list's facts of the course hold its title.
    allowed |= {f"{lang}/{Pages.compare(COURSE)}" for lang in LANGUAGES}

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


class Panel(HTMLParser):
    """The preview's error panel in a served page: its lang, heading and text."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.found, self.lang, self.depth = False, None, 0
        self.heading, self.parts, self._in_heading = "", [], False
        self.feed(page)
        self.text = " ".join("".join(self.parts).split())

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "cc-preview-problems":
            self.found, self.lang, self.depth = True, attrs.get("lang"), 1
        elif self.depth:
            self.depth += 1
            self._in_heading = tag == "strong"

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            self._in_heading = False

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)
            if self._in_heading:
                self.heading += data


def panel_of(page: str):
    """The error panel of a served page, or None."""
    panel = Panel(page)
    return panel if panel.found else None


def test_serve_keeps_the_last_good_pages_and_shows_the_error_in_them(preview_server):
    root, base, output = preview_server
    pages = {lang: base + (f"{lang}/" if lang != LANGUAGES[0] else "") + f"courses/{COURSE}/"
             for lang in LANGUAGES}
    before = {lang: fetch(url) for lang, url in pages.items()}
    assert all(panel_of(page) is None for page in before.values())
    original = (root / "courses" / f"{COURSE}.yml").read_text(encoding="utf-8")

    edit(root, COURSE, lambda t: t.replace("\nhours: ", "\nhours: many ", 1))
    saved = time.monotonic()
    assert wait_for(lambda: panel_of(fetch(pages[LANGUAGES[0]])) is not None), "".join(output[-40:])
    assert time.monotonic() - saved < 2.0 + 0.5  # the page asks for the version every 0.7 s
    line = 1 + original[:original.index("\nhours: ") + 1].count("\n")
    for lang, url in pages.items():
        page = fetch(url)
        panel = panel_of(page)
        assert panel is not None, lang
        text = panel.text
        assert f"courses/{COURSE}.yml:{line}:" in text and "hours" in text and '"many' in text, text
        assert panel.lang == lang
        # The last good page, with the panel and nothing else added.
        assert page.replace(page[page.index("<aside"):page.index("</aside>") + len("</aside>")], "") \
            .replace("\n", "") == before[lang].replace("\n", ""), lang
    # In each page's language: the Chinese page's panel is in Chinese.
    from site_builder.messages import Translator

    for lang, url in pages.items():
        heading = " ".join(panel_of(fetch(url)).heading.split())
        assert heading == " ".join(Translator(lang).gettext(
            "This preview is not up to date: fix these problems in the course files and save").split())
    located = [line for line in "".join(output).splitlines() if line.startswith(f"courses/{COURSE}.yml:")]
    assert located and "hours" in located[0], located
    assert "Traceback" not in "".join(output)

    # Fixed: the panel goes.
    (root / "courses" / f"{COURSE}.yml").write_text(original, encoding="utf-8")
    assert wait_for(lambda: panel_of(fetch(pages[LANGUAGES[0]])) is None, timeout=30), "".join(output[-40:])


def test_ctrl_c_ends_the_preview_quietly(tmp_path):
    import os
    import signal
    import subprocess

    root = make_project(tmp_path / "project")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "--root", str(root), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root, env=dict(os.environ, NO_MKDOCS_2_WARNING="1", LANG="C.UTF-8"), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output: list[str] = []
    import threading

    threading.Thread(target=lambda: output.extend(server.stdout), daemon=True).start()
    try:
        assert wait_for(lambda: "preview at" in "".join(output) or server.poll() is not None), "".join(output)
        # A save, so that the workers and the follow-up process are about.
        edit(root, COURSE, lambda t: t.replace("\ndescription:\n  en: |\n    ",
                                               "\ndescription:\n  en: |\n    Edited. ", 1))
        assert wait_for(lambda: "preview updated" in "".join(output)), "".join(output)
        time.sleep(1.6)  # the follow-up starts
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl+C in the terminal does
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    time.sleep(0.5)
    text = "".join(output)
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert text.rstrip().splitlines()[-1] == "preview stopped", text


def test_serve_previews_a_course_with_a_missing_translation(preview_server):
    root, base, output = preview_server
    data = base_course()
    data["summary"]["zh"] = ""
    (root / "courses" / f"{COURSE}.yml").write_text(course_yaml(data), encoding="utf-8")
    zh = base + f"zh/courses/{COURSE}/"
    assert wait_for(lambda: "cc-untranslated" in fetch(zh)), "".join(output[-40:])
    page = fetch(zh)
    assert "预览：尚未提供中文。" in page and data["summary"]["en"][:40] in page


@pytest.mark.browser
def test_an_open_page_shows_the_error_and_drops_it_when_fixed(preview_server, browser):
    """In Chromium, as the author sees it: the page already open reloads with the
    panel after a bad save, and without it after the fix."""
    root, base, output = preview_server
    original = (root / "courses" / f"{COURSE}.yml").read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": 412, "height": 860})
    try:
        page = context.new_page()
        other = LANGUAGES[-1]  # a language in a folder of its own
        page.goto(base + f"{other}/courses/{COURSE}/")
        page.wait_for_timeout(1000)  # the reload script has the site's version
        edit(root, COURSE, lambda t: t.replace("\nhours: ", "\nhours: many ", 1))
        saved = time.monotonic()
        panel = page.wait_for_selector("#cc-preview-problems", timeout=15_000)
        print(f"panel shown {time.monotonic() - saved:.2f} s after the save")
        assert panel.is_visible()
        assert f"courses/{COURSE}.yml:" in panel.inner_text()
        assert page.evaluate("document.getElementById('cc-preview-problems').lang") == other
        (root / "courses" / f"{COURSE}.yml").write_text(original, encoding="utf-8")
        page.wait_for_selector("#cc-preview-problems", state="detached", timeout=30_000)
    finally:
        context.close()
