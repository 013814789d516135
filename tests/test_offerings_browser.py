"""Offerings as a learner uses them, in headless Chromium: Apply, the new
catalog filters, dates in both languages, and deadlines by the reader's clock.

The real catalog is built as of conftest.BUILD_DATE, and the browser's clock
is set to that day (Playwright's clock), so what the page computes from the
reader's clock is known; one test moves the clock past a deadline.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest

from chromium import NOON, browser, serve  # noqa: F401 (browser: a fixture)
from conftest import BUILD_DATE, make_project
from test_site_browser import cards_shown

from site_builder import offerings

pytestmark = [pytest.mark.browser, pytest.mark.dates]

TODAY = dt.date.fromisoformat(BUILD_DATE)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from site_builder.pipeline import build
    from site_builder.readers import read_catalog

    root = make_project(tmp_path_factory.mktemp("offerings") / "project", real_courses=True)
    assert build(root) == 0
    catalog, _ = read_catalog(root)
    with serve(root / "site") as url:
        yield {"url": url, "catalog": catalog, "root": root}


def open_page(browser, site, clock=NOON, width=1280):
    """A page whose clock reads ``clock``; the application links are answered
    here, and any other request to another host is refused and recorded."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.clock.set_fixed_time(clock)
    page.applied, page.outside = [], []
    host = urlsplit(site["url"]).netloc

    def route(route):
        url = route.request.url
        if urlsplit(url).netloc == host:
            route.continue_()
        elif url.startswith("https://example.org/apply/"):
            page.applied.append(url)  # the application form, answered here
            route.fulfill(status=200, content_type="text/html", body="<title>Apply</title><h1>Form</h1>")
        else:
            page.outside.append(url)
            route.abort()

    page.route("**/*", route)
    return page


def close(page) -> None:
    assert page.outside == [], "requests left the site"
    page.context.close()


def test_apply_leads_to_the_application_link(browser, site):
    catalog = site["catalog"]
    course = catalog.courses["led-display-control-systems"]
    nxt = offerings.next_to_apply(course, TODAY)
    for prefix, label in (("", "Apply by 12 Mar 2027"), ("zh/", "2027年3月12日前报名")):
        page = open_page(browser, site)
        page.goto(site["url"] + prefix + "courses/led-display-control-systems/")
        button = page.locator(".cc-next:not([hidden]) .cc-apply")
        assert button.inner_text().strip() == label
        # It is on the first screen of a phone-sized window too (checked below); here: click it.
        button.click()
        page.wait_for_url(nxt.apply)
        assert page.applied == [nxt.apply]
        close(page)


def test_dates_are_read_in_the_readers_language(browser, site):
    page = open_page(browser, site)
    for prefix, dates, place in (
            ("", "19 – 23 Apr 2027", "Partner training center, Nakhon Pathom, Thailand"),
            ("zh/", "2027年4月19日至23日", "泰国 佛统府 合作培训中心")):
        page.goto(site["url"] + prefix + "courses/led-display-control-systems/")
        first = page.locator(".cc-offerings .cc-offering").first
        assert first.locator(".cc-offering__dates").inner_text().strip() == dates
        assert place in first.inner_text()
        # Past runs are folded away until opened.
        past = page.locator(".cc-past")
        assert not past.locator(".cc-offering").first.is_visible()
        past.locator("summary").click()
        assert past.locator(".cc-offering").first.is_visible()
    close(page)


def test_the_first_screen_of_a_phone_shows_the_next_date_and_apply(browser, site):
    page = open_page(browser, site, width=390)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site["url"] + "courses/led-display-control-systems/")
    # When, where, in which language, how much and how to apply: all on the first screen.
    for selector in ("h1", ".cc-summary", ".cc-keyfacts", ".cc-next__when", ".cc-next__terms",
                     ".cc-next:not([hidden]) .cc-apply"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844, selector
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.locator(".cc-next:not([hidden]) .cc-qr--apply").is_visible()  # the application QR code is for print
    close(page)


def expected_cards(catalog, **wanted) -> int:
    n = 0
    for course in catalog.courses.values():
        card = offerings.card(catalog, course, TODAY)
        ok = True
        if wanted.get("open") and not card["open"]:
            ok = False
        if wanted.get("within") and int(wanted["within"]) not in card["within"]:
            ok = False
        places = [w for w in (wanted.get("countries"), "online" if wanted.get("online") else None) if w]
        if places and not set(places) & set(card["countries"]):
            ok = False
        n += ok
    return n


@pytest.mark.parametrize("prefix", ["", "zh/"])
def test_the_new_filters_open_starting_within_and_country(browser, site, prefix):
    catalog = site["catalog"]
    page = open_page(browser, site)
    page.goto(site["url"] + prefix + "catalog/")
    total = cards_shown(page)
    assert total == len(catalog.courses)
    page.select_option("#filter-open", "yes")
    assert cards_shown(page) == expected_cards(catalog, open=True)
    page.select_option("#filter-within", "3")
    three = expected_cards(catalog, open=True, within="3")
    assert cards_shown(page) == three
    assert 0 < three < total  # the filter really narrows the list
    assert "within=3" in page.url and "open=yes" in page.url
    page.select_option("#filter-within", "")
    page.select_option("#filter-open", "")
    page.select_option("#filter-countries", "thailand")
    thailand = expected_cards(catalog, countries="thailand")
    assert cards_shown(page) == thailand and 0 < thailand < total
    # The state is in the address: opening it again shows the same list.
    address = page.url
    page.goto(address)
    assert cards_shown(page) == thailand
    # "... or online" widens it to the courses with an online run.
    page.check("#filter-online")
    either = expected_cards(catalog, countries="thailand", online=True)
    assert cards_shown(page) == either and thailand < either < total and "online=yes" in page.url
    close(page)


def test_a_card_under_a_place_filter_shows_its_next_run_there(browser, site):
    page = open_page(browser, site)
    page.goto(site["url"] + "catalog/?category=automotive&countries=kazakhstan")
    catalog = site["catalog"]
    for card in page.locator(".cc-card:visible").all():
        course_id = card.locator("h3 a").evaluate("a => new URL(a.href).pathname.split('/').filter(Boolean).pop()")
        runs = [o for o in offerings.upcoming(catalog.courses[course_id], TODAY)
                if o.status != "cancelled" and offerings.place(catalog, o) == "kazakhstan"]
        first = min(runs, key=lambda o: o.start)
        line = card.locator(".cc-card__next:visible")
        assert line.count() == 1 and "Almaty" in line.inner_text(), line.inner_text()
        assert line.locator("time").get_attribute("datetime") == first.start.isoformat()
    # Without the filter the card shows its next run anywhere again.
    page.select_option("#filter-countries", "")
    nexts = page.locator(".cc-card:visible .cc-card__next:visible")
    assert nexts.count() == cards_shown(page)
    close(page)


def test_the_new_filters_work_by_keyboard(browser, site):
    catalog = site["catalog"]
    page = open_page(browser, site)
    page.goto(site["url"] + "catalog/")
    page.focus("#filter-open")
    page.keyboard.press("ArrowDown")
    assert page.eval_on_selector("#filter-open", "s => s.value") == "yes"
    assert cards_shown(page) == expected_cards(catalog, open=True)
    close(page)


def test_deadlines_passed_by_the_readers_clock_are_marked(browser, site):
    catalog = site["catalog"]
    later = dt.datetime(2027, 3, 20, 12, 0, tzinfo=dt.timezone.utc)   # after 12 Mar, before 31 May
    page = open_page(browser, site, clock=later)
    page.goto(site["url"] + "courses/led-display-control-systems/")
    first = page.locator("#offering-2027-04-nakhon-pathom")
    assert first.locator(".cc-offering__state").inner_text().strip() == "Deadline passed"
    assert first.locator(".cc-apply").count() == 0
    # The next intake shown is now the next run still open by the reader's clock.
    shown = page.locator(".cc-next:not([hidden])")
    assert shown.count() == 1 and shown.get_attribute("data-run") == "2027-07-chongqing"
    second = page.locator("#offering-2027-07-chongqing")
    assert second.locator(".cc-offering__state").inner_text().strip() == "Open"
    assert second.locator(".cc-apply").count() == 1
    # The catalog's "open for applications" follows the reader's clock as well.
    page.goto(site["url"] + "catalog/?open=yes")
    shown = cards_shown(page)
    expected = sum(1 for c in catalog.courses.values()
                   if any(offerings.can_apply(o, later.date()) for o in c.offerings))
    assert shown == expected
    close(page)
