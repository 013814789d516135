"""Costs in context: living costs at a venue and the whole for a run
(offerings.living_costs), the dated rate table (courses/_shared/rates.yml),
and amounts in the learner's currency in Chromium (learner.js)."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from html import unescape

import pytest
import yaml

from chromium import NOON, browser  # noqa: F401 (browser: a fixture)
from conftest import base_course, course_yaml
from test_offerings_browser import site  # noqa: F401 (a fixture: the real catalog, built and served)

from site_builder import offerings
from site_builder.readers import read_catalog

pytestmark = pytest.mark.dates

FILE = "courses/photonics-technology.yml"


def test_a_run_on_site_adds_a_room_and_living_for_its_weeks_to_the_fee(project):
    catalog, _ = read_catalog(project)
    costs = catalog.venues["cquet-chongqing"].costs
    course = catalog.courses["photonics-technology"]
    run = next(o for o in course.offerings if o.venue == "cquet-chongqing")
    found = offerings.living_costs(catalog, run)
    assert found["weeks"] == math.ceil(((run.end - run.start).days + 1) / 7)
    if run.delivery == "onsite":
        assert found["total"] == run.fee.amount + (costs.accommodation_week + costs.living_week) * found["weeks"]
    else:  # blended: part of it at home; the weekly figures only
        assert found["total"] is None
    onsite = run.__class__({**run, "delivery": "onsite", "end": run.start + dt.timedelta(days=4)})
    assert offerings.living_costs(catalog, onsite)["total"] == run.fee.amount + costs.accommodation_week + costs.living_week
    online = run.__class__({**run, "delivery": "online", "venue": None})
    assert offerings.living_costs(catalog, online) is None
    # A fee in another currency than the costs: no sum of the two.
    other = run.__class__({**onsite, "fee": run.fee.__class__({**run.fee, "currency": "USD"})})
    assert offerings.living_costs(catalog, other)["total"] is None


def test_the_rates_and_costs_are_checked_where_they_are_written(project):
    rates = project / "courses/_shared/rates.yml"
    data = yaml.safe_load(rates.read_text(encoding="utf-8"))
    data["rates"]["currencies"] = [r for r in data["rates"]["currencies"] if r["currency"] != "THB"]
    data["rates"]["currencies"].append({"currency": "RMB", "per_usd": "7,1"})
    rates.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    venues = project / "courses/_shared/venues.yml"
    venues.write_text(venues.read_text(encoding="utf-8").replace('living_week: "350"', 'living_week: "about 350"'),
                      encoding="utf-8")
    _, found = read_catalog(project)
    got = [p.format() for p in found]
    assert any("courses/_shared/rates.yml:" in g and 'currency: "RMB"' in g and '"CNY" (did you mean it?)' in g
               for g in got), got
    assert any("courses/_shared/rates.yml:" in g and 'per_usd: "7,1"' in g for g in got), got
    assert any("courses/_shared/venues.yml:" in g and 'costs.living_week: "about 350"' in g for g in got), got
    # The fixture's run in Thai baht: a warning, there is no rate to show it in another currency.
    assert any(g.startswith(FILE) and "warning" in g and '"THB", which courses/_shared/rates.yml has no rate for' in g
               for g in got), got


def test_the_page_shows_the_living_costs_of_a_run(built_site):
    html = unescape((built_site / "courses/photonics-technology/index.html").read_text(encoding="utf-8"))
    item = html[html.index('id="offering-2027-03-chongqing"'):]
    row = re.sub(r"<[^>]+>", "", item[item.index("<dt>Living costs</dt>"):item.index("</dd>", item.index("<dt>Living costs"))])
    assert "Room: about 420 Chinese yuan a week" in row
    assert "Meals and local transport: about 350 Chinese yuan a week" in row
    zh = unescape((built_site / "zh/courses/photonics-technology/index.html").read_text(encoding="utf-8"))
    assert "住宿：每周约" in zh and 'data-amount="420" data-currency="CNY"' in zh


@pytest.mark.browser
def test_amounts_show_about_what_they_are_in_the_learners_currency(browser, site):
    catalog = site["catalog"]
    rate = {r.currency: r.per_usd for r in catalog.rates.currencies}
    course = catalog.courses["laser-processing"]
    run = next(o for o in course.offerings if o.id == "2027-03-chongqing")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.clock.set_fixed_time(NOON)
    page.goto(site["url"] + "zh/courses/laser-processing/")
    note = page.locator(".cc-profile__rates")
    assert not note.is_visible() and page.locator(".cc-money__approx").count() == 0
    page.select_option("form.cc-profile select[name=currency]", "KES")
    assert note.is_visible() and "2026年11月30日" in note.inner_text()
    fee = page.locator("#offering-2027-03-chongqing .cc-money").first
    approx = float(run.fee.amount / rate["CNY"] * rate["KES"])
    shown = fee.locator("xpath=following-sibling::span[1]").inner_text()
    digits = float(re.sub(r"[^0-9.]", "", shown))
    assert shown.startswith("（约合") and abs(digits - approx) / approx < 0.01, shown
    # Kept on the device; every amount of every page; Clear removes it.
    page.goto(site["url"] + "courses/led-display-control-systems/")
    assert page.locator(".cc-money__approx").count() == page.locator(".cc-money").count() - len(
        [m for m in page.locator(".cc-money").all() if m.get_attribute("data-currency") == "KES"])
    page.get_by_role("button", name="Clear my choices").click()
    assert page.locator(".cc-money__approx").count() == 0
    context.close()
