"""The learner's languages (overrides/assets/javascripts/learner.js), in
headless Chromium on the real catalog: set once, kept on the device, each
open run marked, the next intake the learner can join shown first, the
catalog's cards marked and filtered; nothing changes without JavaScript.

What a learner can join is worked out here from the model, independently of
the page: a run open for applications whose every language's entry level the
learner meets (one of them, with interpretation)."""

from __future__ import annotations

import datetime as dt

import pytest

from chromium import NOON, browser, serve  # noqa: F401 (browser: a fixture)
from conftest import BUILD_DATE
from test_offerings_browser import site  # noqa: F401 (a fixture: the real catalog, built and served)

from site_builder import offerings

pytestmark = [pytest.mark.browser, pytest.mark.dates]

TODAY = dt.date.fromisoformat(BUILD_DATE)
#: The learner of the issue: English at B1, no Chinese.
LEARNER = {"en": "CEFR B1", "zh": ""}


def joinable(catalog, run, levels=LEARNER) -> bool:
    met = []
    for lang, level in run.entry_levels.items():
        scale = catalog.languages[lang].entry_levels
        have = levels.get(lang) or ""
        met.append(have in scale and scale.index(have) >= scale.index(level))
    return any(met) if run.interpretation else all(met)


def open_runs(course):
    return [o for o in offerings.upcoming(course, TODAY) if offerings.can_apply(o, TODAY)]


def new_page(browser, width=390, **options):
    context = browser.new_context(viewport={"width": width, "height": 844}, **options)
    page = context.new_page()
    page.clock.set_fixed_time(NOON)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def cards_shown(page) -> list[str]:
    """The course ids of the catalog's cards shown, sorted."""
    hrefs = page.locator(".cc-card:visible .cc-card__title a").evaluate_all("links => links.map(a => a.href)")
    return sorted(href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs)


def set_levels(page, levels=LEARNER):
    for lang, level in levels.items():
        page.select_option(f"form.cc-profile select[name={lang}]", level)


def test_a_course_page_marks_each_run_and_shows_first_the_one_the_learner_can_join(browser, site):
    catalog = site["catalog"]
    # A course whose first open run is taught in Chinese only, with a later one in English.
    course = next(c for c in catalog.ordered_courses()
                  if len(open_runs(c)) > 1 and not joinable(catalog, open_runs(c)[0])
                  and any(joinable(catalog, o) for o in open_runs(c)))
    page = new_page(browser)
    page.goto(site["url"] + f"courses/{course.id}/")
    shown = page.locator(".cc-next:not([hidden])")
    assert shown.get_attribute("data-run") == open_runs(course)[0].id   # no levels set: as without them
    assert page.locator(".cc-fit:visible").count() == 0
    set_levels(page)
    first_fit = next(o for o in open_runs(course) if joinable(catalog, o))
    assert shown.count() == 1 and shown.get_attribute("data-run") == first_fit.id
    assert shown.locator(".cc-fit").inner_text() == "Your languages fit"
    assert shown.locator(".cc-apply").get_attribute("href") == first_fit.apply
    # Its "how to apply", taken from its run below, shown open.
    assert shown.locator(".cc-howto__title").inner_text() == "How to apply"
    assert shown.locator(".cc-howto__steps > li").count() == page.locator(
        f"#offering-{first_fit.id} .cc-howto__steps > li").count() >= 3
    for run in open_runs(course):
        mark = page.locator(f"#offering-{run.id} .cc-fit").inner_text()
        if joinable(catalog, run):
            assert mark == "Your languages fit", run.id
        else:
            missing = [level for lang, level in run.entry_levels.items() if not LEARNER.get(lang)]
            assert mark.startswith("Needs ") and all(level in mark for level in missing), (run.id, mark)
    # Kept on the device: another page, in the other language, knows the levels.
    page.goto(site["url"] + f"zh/courses/{course.id}/")
    assert page.locator("form.cc-profile select[name=en]").input_value() == "CEFR B1"
    assert page.locator(".cc-next:not([hidden])").get_attribute("data-run") == first_fit.id
    assert page.locator(".cc-next:not([hidden]) .cc-fit").inner_text() == "语言水平符合要求"
    # Cleared: as before.
    page.get_by_role("button", name="清除我的选择").click()
    assert page.locator(".cc-next:not([hidden])").get_attribute("data-run") == open_runs(course)[0].id
    assert page.evaluate("localStorage.getItem('cc-languages')") is None
    assert page.errors == []
    page.context.close()


def test_the_catalog_marks_cards_and_shows_only_courses_the_learner_can_join(browser, site):
    catalog = site["catalog"]
    page = new_page(browser, width=1280)
    page.goto(site["url"] + "catalog/")
    join = page.locator("#filter-join")
    assert join.is_disabled()                      # nothing to filter by before the levels are set
    set_levels(page)
    assert join.is_enabled()
    join.check()
    expected = sorted(c.id for c in catalog.courses.values()
                      if any(joinable(catalog, o) for o in open_runs(c)))
    assert 0 < len(expected) < len(catalog.courses)
    assert cards_shown(page) == expected
    assert "join=yes" in page.url
    card = page.locator(f'.cc-card:has(a[href$="courses/{expected[0]}/"]) .cc-card__fit')
    assert card.inner_text().startswith("A run starting ") and card.inner_text().endswith(" fits your languages")
    # The address keeps the filter: opened again (levels kept), the same cards.
    page.goto(page.url)
    assert cards_shown(page) == expected
    assert page.errors == []
    page.context.close()


def test_without_javascript_every_run_shows_as_before(browser, site):
    catalog = site["catalog"]
    course = catalog.courses["laser-processing"]
    page = new_page(browser, java_script_enabled=False)
    page.goto(site["url"] + f"courses/{course.id}/")
    assert not page.locator("form.cc-profile").is_visible()
    assert page.locator(".cc-next:not([hidden])").get_attribute("data-run") == open_runs(course)[0].id
    assert page.locator("li.cc-offering").count() == len(offerings.upcoming(course, TODAY)) + len(
        offerings.past(course, TODAY))
    page.context.close()
