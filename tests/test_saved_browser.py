"""Saved courses (overrides/assets/javascripts/saved.js, site_builder/compare.py),
in headless Chromium on the real catalog: save with the keyboard, compare two
to four side by side, share the list as a link that opens it elsewhere, in
both languages, from the offline copy too; and the weight it adds."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from chromium import browser  # noqa: F401 (browser: a fixture)
from conftest import REPO
from test_learner_browser import new_page
from test_offerings_browser import site  # noqa: F401 (a fixture: the real catalog, built and served)

pytestmark = [pytest.mark.browser, pytest.mark.dates]


def saved_ids(page) -> list[str]:
    return page.evaluate("JSON.parse(localStorage.getItem('cc-saved') || '[]')")


def test_save_compare_and_share_a_list(browser, site):
    catalog = site["catalog"]
    ordered = [c.id for c in catalog.ordered_courses()]
    page = new_page(browser)
    page.goto(site["url"] + "catalog/")
    # Saved with the keyboard: Tab to a card's toggle, Enter.
    toggle = page.locator(f'.cc-card:has(a[href$="courses/{ordered[0]}/"]) .cc-save')
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true" and toggle.inner_text() == "★ Saved"
    for course_id in ordered[1:5]:
        page.locator(f'.cc-card:has(a[href$="courses/{course_id}/"]) .cc-save').click()
    assert saved_ids(page) == ordered[:5]
    assert page.locator(".cc-saved-link").inner_text() == "Saved courses (5)"
    # A course page knows it; unsaved there, it leaves the list.
    page.goto(site["url"] + f"courses/{ordered[4]}/")
    page.locator(".cc-save").click()
    assert saved_ids(page) == ordered[:4]
    page.locator(".cc-saved-link").click()
    page.wait_for_selector(".cc-compare:not([hidden])")
    titles = page.locator(".cc-compare thead th a").all_inner_texts()
    assert titles == [f"{catalog.courses[i].code} {catalog.courses[i].title['en']}" for i in ordered[:4]]
    rows = {row.get_attribute("data-row"): row.locator("td").all_inner_texts()
            for row in page.locator(".cc-compare tbody tr").all()}
    assert rows["level"] == [catalog.levels[catalog.courses[i].level].name["en"] for i in ordered[:4]]
    assert rows["hours"] == [str(catalog.courses[i].hours) for i in ordered[:4]]
    assert all(catalog.courses[i].outcomes[0]["en"] in cell for i, cell in zip(ordered[:4], rows["outcomes"]))
    # Two to four: a fifth is refused, one unticked leaves three columns, one left hides the table.
    picks = page.locator(".cc-saved__pick input")
    picks.nth(1).uncheck()
    assert page.locator(".cc-compare thead th a").count() == 3
    picks.nth(2).uncheck()
    picks.nth(3).uncheck()
    assert not page.locator(".cc-compare").is_visible()
    # Shared as a link: another device opens the same list and may keep it.
    page.locator("[data-action=share]").click()
    link = page.locator(".cc-saved__link input").input_value()
    assert link.endswith("saved/?courses=" + ",".join(ordered[:4]))
    other = new_page(browser, width=1280)
    other.goto(link.replace("/saved/", "/zh/saved/"))
    other.wait_for_selector(".cc-compare:not([hidden])")
    assert other.locator(".cc-saved__shared").is_visible()
    assert other.locator(".cc-compare thead th a").count() == 4
    assert other.locator(".cc-compare tbody tr[data-row=level] td").first.inner_text() == \
        catalog.levels[catalog.courses[ordered[0]].level].name["zh"]
    other.get_by_role("button", name="全部加入我的收藏").click()
    assert saved_ids(other) == ordered[:4]
    assert page.errors == [] and other.errors == []
    other.context.close()
    page.context.close()


def test_the_saved_list_works_from_the_offline_copy(browser, site):
    catalog = site["catalog"]
    ids = [c.id for c in catalog.ordered_courses()][:2]
    root = Path(site["root"]) / "site"
    page = new_page(browser)
    page.goto((root / "saved" / "index.html").as_uri() + "?courses=" + ",".join(ids))
    page.wait_for_selector(".cc-compare:not([hidden])")
    assert page.locator(".cc-compare thead th a").count() == 2
    page.context.close()


def test_a_list_with_foreign_ids_loads_nothing_but_course_scripts(browser, site):
    page = new_page(browser)
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(site["url"] + "saved/?courses=../../evil,https:%2F%2Fevil.example%2Fx,laser-processing,no-such-course")
    page.wait_for_timeout(300)
    scripts = [u for u in asked if "/compare/" in u]
    assert [u.rsplit("/", 1)[-1] for u in scripts] == ["laser-processing.js", "no-such-course.js"]
    assert [li.inner_text().split("\n")[0] for li in page.locator(".cc-saved__list li").all()] == [
        "OPT-202 Laser Processing Technology"]
    assert not any("evil" in u for u in asked if "/saved/?" not in u)
    page.context.close()


def test_saving_and_comparing_weigh_little():
    """What the saved list adds to a page's first view, compressed: under 5 KB (the
    saved page's own script comes with that page only)."""
    weight = len(gzip.compress((REPO / "overrides/assets/javascripts/saved.js").read_bytes(), 9))
    whole = weight + len(gzip.compress((REPO / "overrides/assets/javascripts/saved-page.js").read_bytes(), 9))
    print(f"saved.js: {weight} bytes gzip on every page; with saved-page.js: {whole}")
    assert weight < 2 * 1024 and whole < 5 * 1024
