"""The learner's catalog in a real browser (headless Chromium via Playwright).

Builds the real catalog once, serves it on localhost and clicks,
types and switches language as a learner would.  Without Chromium these tests
are skipped with the reason shown in pytest's summary.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from chromium import browser, playwright_api, serve  # noqa: F401 (browser: a fixture)
from conftest import BUILD_DATE, make_project

from site_builder import applications, offerings
from site_builder.labels import labels

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Base URL of the real catalog, built and served on 127.0.0.1."""
    from site_builder.pipeline import build
    from site_builder.readers import read_catalog

    root = make_project(tmp_path_factory.mktemp("browser") / "project", real_courses=True)
    assert build(root) == 0
    catalog, _ = read_catalog(root)
    with serve(root / "site") as url:
        yield {"url": url, "catalog": catalog, "root": root}


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.outside_requests = []
    host = urlsplit(site["url"]).netloc

    def watch(request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and parts.netloc != host:
            page.outside_requests.append(request.url)

    page.on("request", watch)
    yield page
    assert page.outside_requests == [], "requests left the site"
    context.close()


def cards_shown(page) -> int:
    return page.locator(".cc-card:visible").count()


def search(page, query: str) -> list[str]:
    """Type ``query`` into the search box as a person would; the result paths.

    Latin text is typed key by key; Chinese arrives whole, as an input method
    commits it.  The index loads in a worker after the page: if the answer is
    not there yet, clear the box and type again, as a person would.
    """
    box = page.locator("input[data-md-component=search-query]")
    box.click()
    for attempt in range(4):
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        if query.isascii():
            page.keyboard.type(query, delay=30)
        else:
            page.keyboard.insert_text(query)
            page.keyboard.press("End")  # the input method's keyup
        try:
            page.wait_for_function(
                "() => document.querySelector('.md-search-result__meta')?.textContent.match(/\\d/)",
                timeout=3_000 * (attempt + 1))
            break
        except playwright_api.TimeoutError:
            continue
    # Results follow each keystroke: read them once they stop changing.
    read = lambda: page.locator(".md-search-result__item > a").evaluate_all(  # noqa: E731
        "els => els.map(e => new URL(e.href).pathname)")
    results, previous = read(), None
    while results != previous:
        page.wait_for_timeout(500)
        previous, results = results, read()
    return results


@pytest.mark.dates
def test_the_pages_clock_reads_the_build_date(page, site):
    """What a page computes from the reader's clock is as of the build date, on any day."""
    page.goto(site["url"])
    assert page.evaluate("new Date().toISOString().slice(0, 10)") == BUILD_DATE
    page.wait_for_timeout(300)
    assert page.evaluate("new Date().toISOString().slice(0, 10)") == BUILD_DATE  # and it runs on from there
    assert page.evaluate("new Promise(done => setTimeout(() => done('fired'), 50))") == "fired"


# --------------------------------------------------------------------------
# Catalog filters
# --------------------------------------------------------------------------

def test_filters_combine_count_and_live_in_the_url(page, site):
    courses = list(site["catalog"].courses.values())
    page.goto(site["url"] + "catalog/")
    assert cards_shown(page) == len(courses)
    page.select_option("#filter-category", "ict")
    ict = [c for c in courses if c.category == "ict"]
    assert cards_shown(page) == len(ict)
    assert page.locator(".cc-filters__count").inner_text() == f"Showing {len(ict)} of {len(courses)} courses"
    page.select_option("#filter-level", "foundation")
    both = [c for c in ict if c.level == "foundation"]
    assert 0 < cards_shown(page) == len(both) < len(ict)
    assert "category=ict" in page.url and "level=foundation" in page.url

    # a shared link opens the same filtered view
    page.goto(page.url)
    assert cards_shown(page) == len(both)
    assert page.locator("#filter-category").input_value() == "ict"
    shown = set(page.locator(".cc-card:visible h3 a").evaluate_all(
        "els => els.map(e => new URL(e.href).pathname.split('/').filter(Boolean).pop())"))
    assert shown == {c.id for c in both}

    page.get_by_role("button", name="Show all courses").click()
    total = len(site["catalog"].courses)
    page.wait_for_function(f"() => document.querySelectorAll('.cc-card:not([hidden])').length === {total}")
    assert "?" not in page.url


def test_filters_in_chinese_and_by_delivery_and_language(page, site):
    courses = list(site["catalog"].courses.values())
    page.goto(site["url"] + "zh/catalog/?delivery=online")
    online = [c for c in courses if c.delivery == "online"]
    assert 0 < cards_shown(page) == len(online)
    assert page.locator(".cc-filters__count").inner_text() == f"显示 {len(online)} 门课程（共 {len(courses)} 门）"
    page.select_option("#filter-delivery", "")
    page.select_option("#filter-languages", "en")
    assert cards_shown(page) == len([c for c in courses if "en" in c.instruction_languages])
    # One "where" filter: the course's own regions are no second, look-alike filter.
    assert page.locator("#filter-regions").count() == 0


def test_every_filter_change_is_a_history_entry(page, site):
    courses = list(site["catalog"].courses.values())
    page.goto(site["url"] + "catalog/")
    page.select_option("#filter-category", "ict")
    page.select_option("#filter-level", "foundation")
    both = len([c for c in courses if c.category == "ict" and c.level == "foundation"])
    assert cards_shown(page) == both
    page.go_back()
    assert page.url.endswith("catalog/?category=ict") and page.locator("#filter-level").input_value() == ""
    assert cards_shown(page) == len([c for c in courses if c.category == "ict"])
    page.go_back()
    assert page.url.endswith("catalog/") and cards_shown(page) == len(courses)
    page.go_forward()
    page.go_forward()
    assert page.locator("#filter-level").input_value() == "foundation" and cards_shown(page) == both


@pytest.mark.parametrize("start,target", [("catalog/?category=ict&online=yes", "zh/catalog/?category=ict&online=yes"),
                                          ("courses/photonics-technology/#dates", "zh/courses/photonics-technology/#dates")])
def test_the_language_switch_keeps_filters_and_the_place_on_the_page(page, site, start, target):
    page.goto(site["url"] + start)
    page.locator(".md-header__option .md-select").hover()
    page.locator('.md-select__link[hreflang="zh"]').click()
    page.wait_for_url(site["url"] + target)
    if "catalog" in start:
        assert page.locator("#filter-category").input_value() == "ict" and page.locator("#filter-online").is_checked()


def test_cards_are_sorted_by_next_start_then_title(page, site):
    page.goto(site["url"] + "catalog/")
    starts = page.locator(".cc-card").evaluate_all("cs => cs.map(c => [c.dataset.start || '9999', c.dataset.title])")
    assert starts == sorted(starts, key=lambda pair: (pair[0], pair[1].casefold()))
    assert len({s for s, _ in starts}) > 3
    page.select_option("#cc-sort", "title")
    titles = page.locator(".cc-card").evaluate_all("cs => cs.map(c => c.dataset.title)")
    assert titles == sorted(titles, key=str.casefold) and "sort=title" in page.url


def test_on_a_phone_the_filters_fold_and_the_first_screen_shows_courses(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site["url"] + "catalog/?category=ict")
    toggle = page.locator(".cc-filters__toggle")
    assert toggle.is_visible() and toggle.inner_text() == "Filters (1)"
    assert not page.locator("#filter-category").is_visible()
    first = page.locator(".cc-card:visible").first.bounding_box()
    assert first["y"] + 200 < 844  # a course, title to next start, on the first screen
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and page.locator("#filter-category").is_visible()
    page.select_option("#filter-level", "foundation")
    assert toggle.inner_text() == "Filters (2)"
    context.close()
    # On a desktop the fields show and the button does not.
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(site["url"] + "catalog/")
    assert page.locator("#filter-category").is_visible() and not page.locator(".cc-filters__toggle").is_visible()
    context.close()


def test_filters_work_by_keyboard(page, site):
    page.goto(site["url"] + "catalog/")
    page.focus("#filter-level")
    page.keyboard.press("ArrowDown")  # Any -> Foundation
    foundation = [c for c in site["catalog"].courses.values() if c.level == "foundation"]
    assert cards_shown(page) == len(foundation)
    assert "level=foundation" in page.url


def test_without_javascript_the_full_list_shows(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site["url"] + "catalog/?category=ict")
    assert page.locator(".cc-card").count() == len(site["catalog"].courses)
    assert cards_shown(page) == len(site["catalog"].courses)
    assert not page.locator("form.cc-filters").is_visible()
    context.close()


# --------------------------------------------------------------------------
# Search
# --------------------------------------------------------------------------

@pytest.mark.parametrize("query, course", [
    ("物联网", "iot-application-technology"),
    ("新能源汽车", "new-energy-vehicle-technology"),
    ("光纤", "optical-fiber-communication"),
    ("传感器", "sensors-detection"),
    ("网络安全", "cybersecurity-fundamentals"),
    ("无人机", "agricultural-drone-operation"),
])
def test_chinese_search_finds_the_course_in_chinese_only(page, site, query, course):
    page.goto(site["url"] + "zh/")
    results = search(page, query)
    assert f"/zh/courses/{course}/" in results[:8], results[:8]
    assert all(path.startswith("/zh/") for path in results)


@pytest.mark.parametrize("query", ["sensor", "sensors"])
def test_english_search_matches_word_forms_in_english_only(page, site, query):
    page.goto(site["url"])
    results = search(page, query)
    assert "/courses/sensors-detection/" in results[:8], results[:8]
    assert not any(path.startswith("/zh/") for path in results)


def test_a_course_code_finds_its_course(page, site):
    course = site["catalog"].courses["led-display-control-systems"]
    page.goto(site["url"])
    results = search(page, course.code)
    assert results[0] == "/courses/led-display-control-systems/"


# --------------------------------------------------------------------------
# Language switch, print
# --------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["courses/machine-vision/", "catalog/", "categories/ict/", ""])
def test_language_switch_leads_to_the_same_page(page, site, path):
    page.goto(site["url"] + path)
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".md-header__option .md-select").hover()
    page.get_by_role("link", name="中文").click()
    page.wait_for_url(site["url"] + "zh/" + path)
    assert page.locator("html").get_attribute("lang") == "zh"
    page.locator(".md-header__option .md-select").hover()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(site["url"] + path)


def test_404_pages_have_their_language(page, site):
    for path, lang, heading in [("404.html", "en", "Page not found"), ("zh/404.html", "zh", "页面未找到")]:
        page.goto(site["url"] + path)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").first.inner_text() == heading


def test_course_first_view_is_small_and_the_index_waits_for_a_search(page, site):
    """At most 100 KB (gzip) before the first click; the index only when searching."""
    import gzip

    urls = []
    page.on("requestfinished", lambda request: urls.append(request.url))
    page.goto(site["url"] + "zh/courses/iot-application-technology/")
    page.wait_for_load_state("networkidle")
    served = site["root"] / "site"
    files = [served / urlsplit(url).path.lstrip("/") for url in urls if url.startswith(site["url"])]
    files = [f / "index.html" if f.is_dir() else f for f in files]
    total = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    assert 50_000 < total <= 100_000, f"{total} bytes in {len(files)} files"
    assert not [u for u in urls if "search_index" in u]
    with page.expect_response(lambda response: response.url.endswith("/zh/search/search_index.json")):
        page.locator("input[data-md-component=search-query]").click()
    assert "/zh/courses/iot-application-technology/" in search(page, "物联网")


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF (pypdf), NFKC-normalised: the PDF's fonts
    may map a character to its Kangxi radical form (示 as ⽰)."""
    import io
    import unicodedata

    from pypdf import PdfReader

    return [" ".join(unicodedata.normalize("NFKC", page.extract_text() or "").split())
            for page in PdfReader(io.BytesIO(pdf)).pages]


def printed(words: str, text: str) -> bool:
    """``words`` (spaces aside) in a PDF's text, where a Han character may come
    out as a CJK radical that NFKC does not map back (车 as ⻋)."""
    pattern = "".join(f"(?:{re.escape(c)}|[\u2e80-\u2fdf])" if "\u4e00" <= c <= "\u9fff" else re.escape(c)
                      for c in unicodedata.normalize("NFKC", words).replace(" ", ""))
    return re.search(pattern, text) is not None


def test_every_course_prints_on_one_a4_page_in_each_language(browser, site):
    """Ctrl+P on a course page: a one-page sheet with both titles, the summary,
    the next intake and how to apply, the contact and the page's address."""
    catalog = site["catalog"]
    today = catalog.build_date
    context = browser.new_context()
    page = context.new_page()
    for prefix, lang in (("", "en"), ("zh/", "zh")):
        for course in catalog.ordered_courses():
            page.goto(f"{site['url']}{prefix}courses/{course.id}/", wait_until="domcontentloaded")
            sheets = pdf_pages(page.pdf(format="A4"))
            assert len(sheets) == 1, (lang, course.id, len(sheets))
            text = sheets[0].replace(" ", "")
            for other in catalog.site_languages:
                assert printed(course.title[other], text), (lang, course.id, other, text[:200])
            assert f"https://catalog.example.org/{prefix}courses/{course.id}/" in text, (lang, course.id)
            assert course.contact.email in text, (lang, course.id)
            nxt = offerings.next_to_apply(course, today)
            if nxt:
                assert nxt.apply.removeprefix("mailto:").split("?")[0].replace(" ", "") in text, (lang, course.id)
                # How to apply for it: its steps and when the answer comes.
                application = applications.resolve(catalog, nxt)
                assert printed(application.steps[-1][lang], text), (lang, course.id)
                assert printed(labels(catalog.site_languages)[lang]["howto_title"], text), (lang, course.id)
    context.close()


def test_the_course_sheet_prints_no_screen_control_and_the_full_details_stay_printable(page, site):
    page.goto(site["url"] + "courses/photonics-technology/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-search", ".md-footer", ".cc-reading",
                     ".cc-print", ".cc-next:not([hidden]) .cc-apply", ".cc-ics", "#description"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator(".cc-qr:not(.cc-qr--apply) svg").is_visible()
    assert page.locator(".cc-print-url").inner_text() == "https://catalog.example.org/courses/photonics-technology/"
    assert page.locator(".cc-next:not([hidden]) .cc-next__address").is_visible() and page.locator(".cc-next:not([hidden]) .cc-qr--apply svg").is_visible()
    assert page.locator(".cc-sample").is_visible()  # the sample-data notice, on the sheet too
    # Printed black on white: no coloured bar behind the application address.
    background = page.evaluate("() => getComputedStyle(document.querySelector('.cc-next')).backgroundColor")
    assert background in ("rgba(0, 0, 0, 0)", "transparent")
    # The full details: ?print=full, or its button.
    page.goto(site["url"] + "courses/photonics-technology/?print=full")
    page.emulate_media(media="print")
    assert page.locator("#description").is_visible() and page.locator(".cc-glossary").is_visible()
    full = pdf_pages(page.pdf(format="A4"))
    assert len(full) > 1 and any("Learning outcomes" in sheet for sheet in full)
    # Every run's "how to apply", folded on screen, is printed in full (and folded again after).
    folded = page.locator("details.cc-howto").count()
    assert folded >= 2 and " ".join(full).count("Fill in the application form") == folded + 1
    # catalog.js opens them for the full print and folds them again after it.
    assert page.evaluate("""() => { const all = [...document.querySelectorAll('details.cc-howto')];
        all.forEach(d => { d.open = false; d.removeAttribute('data-print-opened'); });
        window.dispatchEvent(new Event('beforeprint')); const opened = all.every(d => d.open);
        window.dispatchEvent(new Event('afterprint')); return opened && all.every(d => !d.open); }""")
    page.emulate_media(media="screen")
    page.goto(site["url"] + "courses/photonics-technology/")
    assert page.get_by_role("button", name="Print full details").is_visible()


# --------------------------------------------------------------------------
# Keyboard: focus never lands on something hidden
# --------------------------------------------------------------------------

FOCUSED = """() => { const e = document.activeElement;
  if (!e || e === document.body) return null;
  const r = e.getBoundingClientRect();
  return {what: e.tagName + "." + e.className + " " + (e.innerText || "").slice(0, 30),
          shown: e.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
                 && r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth}; }"""


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 900)])
@pytest.mark.parametrize("path", ["", "catalog/", "zh/courses/led-display-control-systems/"])
def test_focus_never_lands_on_something_hidden(browser, site, width, height, path):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(site["url"] + path)
    # Each state at once: Material fades the skip link and the language list in.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    hidden = []
    for stop in range(1, 26):
        page.keyboard.press("Tab")
        page.wait_for_timeout(80)  # Material opens the search when its field takes focus
        focused = page.evaluate(FOCUSED)
        if focused and not focused["shown"]:
            hidden.append((stop, focused["what"]))
    assert hidden == []
    context.close()


def test_the_phone_drawer_opens_and_its_links_take_focus(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site["url"] + "catalog/")
    page.locator('label[for="__drawer"].md-header__button').click()
    link = page.locator(".md-sidebar--primary .md-nav__link", has_text="Bilingual vocational courses")
    link.wait_for(state="visible")
    link.focus()
    assert page.evaluate(FOCUSED)["shown"]
    context.close()


# --------------------------------------------------------------------------
# Accessibility (axe-core, WCAG 2.1 A and AA rules)
# --------------------------------------------------------------------------

AXE_OPTIONS = {"resultTypes": ["violations"],
               "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("lang", ["", "zh/"])
@pytest.mark.parametrize("path", ["", "catalog/", "catalog/?category=automotive&level=foundation",
                                  "courses/new-energy-vehicle-technology/"])
def test_no_serious_accessibility_violation(page, site, lang, path):
    page.goto(site["url"] + lang + path)
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == []


@pytest.mark.parametrize("lang, query", [("", "battery"), ("zh/", "电池")])
def test_no_serious_accessibility_violation_in_search_results(page, site, lang, query):
    page.goto(site["url"] + lang)
    assert search(page, query)
    assert serious_violations(page) == []


# --------------------------------------------------------------------------
# The offline copy (file://), downloaded from the home page
# --------------------------------------------------------------------------

def test_offline_copy_works_from_a_folder_search_included(browser, site, tmp_path):
    import zipfile

    home = site["root"] / "site" / "index.html"
    href = [a for a in home.read_text(encoding="utf-8").split('"') if a.endswith(".zip")][0]
    with zipfile.ZipFile(home.parent / href) as archive:
        archive.extractall(tmp_path)
    start = (tmp_path / "catalog" / "index.html").as_uri()
    context = browser.new_context()
    page = context.new_page()
    outside = []
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else outside.append(r.url))
    page.goto(start)
    page.get_by_role("link", name="Browse all courses").click()
    page.wait_for_load_state()
    assert page.url.endswith("/catalog/catalog/index.html")
    courses = site["catalog"].courses.values()
    page.locator(".cc-card").first.wait_for()
    assert cards_shown(page) == len(courses)
    page.select_option("#filter-category", "automotive")
    assert cards_shown(page) == sum(1 for c in courses if c.category == "automotive")
    results = search(page, "battery")
    assert any(path.endswith("/courses/new-energy-vehicle-technology/index.html") for path in results)

    page.goto(start.replace("index.html", "courses/sensors-detection/index.html"))
    page.locator(".md-header__option .md-select").hover()
    page.get_by_role("link", name="中文").click()
    assert page.url.endswith("/catalog/zh/courses/sensors-detection/index.html")
    results = search(page, "传感器")
    assert any(path.endswith("/zh/courses/sensors-detection/index.html") for path in results)
    # The reading mode works from the folder too: its texts are a script.
    page.goto(start.replace("index.html", "zh/courses/sensors-detection/index.html"))
    page.locator(".cc-reading__toggle").click()
    page.locator(".cc-pair").first.wait_for(timeout=5_000)
    assert page.locator('.cc-pair[lang="en"]').count() > 10
    assert page.locator(".cc-reading__error").inner_text() == ""
    assert outside == []
    context.close()


def test_search_and_language_switch_by_keyboard(page, site):
    page.goto(site["url"] + "catalog/")
    page.keyboard.press("/")                      # Material's search shortcut
    page.keyboard.type("virtualization", delay=30)
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__meta')?.textContent.match(/\\d/)", timeout=15_000)
    page.keyboard.press("ArrowDown")              # first result
    page.keyboard.press("Enter")
    page.wait_for_url("**/courses/**?h=virtual*")
    assert "/courses/" in page.url
    # the language switch is reachable with Tab and opens with Enter
    page.goto(site["url"] + "courses/cloud-computing-fundamentals/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == "zh":
            break
    else:
        raise AssertionError("the language switch cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(site["url"] + "zh/courses/cloud-computing-fundamentals/")


# --------------------------------------------------------------------------
# Phones (390 x 844)
# --------------------------------------------------------------------------

PHONE_PAGES = ("", "catalog/", "catalog/?category=ict", "categories/ict/", "courses/photonics-technology/",
               "status/", "404.html")


@pytest.mark.parametrize("prefix", ["", "zh/"])
def test_no_page_scrolls_sideways_on_a_phone(browser, site, prefix):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    wide = {}
    for path in PHONE_PAGES:
        page.goto(site["url"] + prefix + path)
        page.wait_for_load_state()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[prefix + path] = width
    context.close()
    assert wide == {}


def test_modules_stack_as_blocks_on_a_phone(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site["url"] + "courses/photonics-technology/")
    row = page.locator(".cc-modules tbody tr").first
    box = {name: row.locator(sel).bounding_box() for name, sel in
           (("number", "td >> nth=0"), ("title", "th"), ("topics", "td >> nth=1"), ("hours", "td >> nth=2"))}
    # Number, title and hours on one line; the topics below them, as wide as the row.
    assert abs(box["number"]["y"] - box["title"]["y"]) < 8 and abs(box["hours"]["y"] - box["title"]["y"]) < 8
    assert box["topics"]["y"] >= box["title"]["y"] + box["title"]["height"] - 1
    assert box["topics"]["width"] > 300
    assert row.locator("td >> nth=2").evaluate("e => getComputedStyle(e, '::after').content") not in ("none", "")
    context.close()


@pytest.mark.parametrize("path", ["catalog/", "zh/catalog/?category=ict"])
def test_the_filter_panel_does_not_shift_the_cards(browser, site, path):
    """Cumulative layout shift under 0.05 on the catalog (the panel used to appear after load)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site["url"] + path)
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    shift = page.evaluate("""() => new Promise(resolve => {
        let total = 0;
        new PerformanceObserver(list => {
            for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
        }).observe({type: "layout-shift", buffered: true});
        setTimeout(() => resolve(total), 300);
    })""")
    assert page.locator("form.cc-filters").is_visible()
    context.close()
    assert shift < 0.05, shift


@pytest.mark.parametrize("prefix, name", [("", "Search"), ("zh/", "搜索")])
def test_the_search_dialog_has_an_accessible_name(page, site, prefix, name):
    page.goto(site["url"] + prefix + "courses/photonics-technology/")
    page.wait_for_load_state()
    label = page.locator('.md-search[role="dialog"]').get_attribute("aria-label")
    assert label and label.startswith(name), label


# --------------------------------------------------------------------------
# Bilingual reading mode
# --------------------------------------------------------------------------

def test_reading_mode_shows_the_other_language_with_pinyin_and_is_remembered(browser, site):
    course = site["catalog"].courses["sensors-detection"]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site["url"] + "courses/sensors-detection/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if "/reading/" in u]  # loaded only when asked for
    page.get_by_role("button", name="Show the Chinese text too").wait_for()
    toggle = page.locator(".cc-reading__toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    page.locator(".cc-pair").first.wait_for()
    assert toggle.get_attribute("aria-pressed") == "true" and toggle.inner_text() == "Hide the Chinese text"
    # Under the title, each heading, outcome, module, topic: the Chinese, and its pinyin.
    title = page.locator("h1 + .cc-pair")
    assert title.get_attribute("lang") == "zh" and title.inner_text().startswith(course.title["zh"])
    assert page.locator("#outcomes + .cc-pair").inner_text().startswith("学习成果")
    first = page.locator('[data-pair="outcome-0"] .cc-pair')
    assert first.inner_text().startswith(course.outcomes[0]["zh"])
    pinyin = first.locator(".cc-pair__pinyin")
    assert pinyin.get_attribute("lang") == "zh-Latn" and re.search(r"[āáǎàēéěèīíǐìōóǒòūúǔù]", pinyin.inner_text())
    assert page.locator('[data-pair="topic-0-0"] .cc-pair').inner_text().startswith(course.modules[0].topics[0]["zh"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Printing follows it: the course sheet carries the summary in both languages.
    page.emulate_media(media="print")
    assert page.locator('[data-pair="summary"] .cc-pair').is_visible()
    assert page.locator("h1 + .cc-pair").is_visible()
    page.emulate_media(media="screen")
    # Remembered on the next page, in the other direction on the Chinese site.
    page.goto(site["url"] + "zh/courses/laser-processing/")
    pair = page.locator('[data-pair="outcome-0"] .cc-pair')
    pair.wait_for()
    laser = site["catalog"].courses["laser-processing"]
    assert pair.get_attribute("lang") == "en" and pair.inner_text() == laser.outcomes[0]["en"]
    assert page.locator(".cc-pair__pinyin").count() == 0  # no pinyin under English
    page.get_by_role("button", name="隐藏英语").click()
    assert page.locator(".cc-pair").count() == 0
    page.goto(site["url"] + "courses/laser-processing/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".cc-pair").count() == 0
    context.close()


def test_without_javascript_the_reading_mode_is_not_there(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site["url"] + "courses/sensors-detection/")
    assert not page.locator(".cc-reading").is_visible()
    assert page.locator(".cc-pair").count() == 0
    context.close()


def test_reading_mode_adds_at_most_5_kb_to_the_first_view(site):
    """What a course page's first view carries for it (gzip): the pairing marks
    and the button in the HTML, and the reading-mode code of catalog.js."""
    import gzip

    served = site["root"] / "site"
    script = (served / "assets/javascripts/catalog.js").read_text(encoding="utf-8")
    code = script[script.index("/*\n * Bilingual reading mode"):]
    for page in ("courses/sensors-detection/index.html", "zh/courses/industrial-robot-operation/index.html"):
        html = (served / page).read_text(encoding="utf-8")
        bare = re.sub(r' data-pair="[^"]*"', "", re.sub(r'<p class="cc-reading".*?</p>', "", html, flags=re.S))
        added = len(gzip.compress(html.encode(), 9)) - len(gzip.compress(bare.encode(), 9))
        assert added + len(gzip.compress(code.encode(), 9)) <= 5_000, added
