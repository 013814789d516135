"""The sample catalog as of a day when every sample offering has ended.

The sample offerings run in 2027; the daily rebuild will build them as of 2028
and later.  Then the strict build must still succeed (the rebuild never stops
on data the date alone turned), and the site must say what is true: no run to
apply for, past runs folded away, "no dates announced yet", nothing "open".
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re

import icalendar
import jsonschema
import pytest

from conftest import REPO, make_project, sample_offerings
from htmlcheck import Page

from site_builder.pipeline import build

pytestmark = pytest.mark.dates

#: A day after the end of every sample offering.
AGED = dt.date(2028, 6, 1)


@pytest.fixture(scope="module")
def aged_site(tmp_path_factory):
    later = [f"{name}: {oid} ends {end}" for name, oid, _, end in sample_offerings() if end >= AGED]
    assert not later, f"sample offerings end after {AGED}; move AGED past them: {later}"
    root = make_project(tmp_path_factory.mktemp("aged") / "project", real_courses=True)
    epoch = str(calendar.timegm(AGED.timetuple()))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", epoch)
        assert build(root, strict=True) == 0, "the strict build as of a day with every offering past failed"
    return root / "site"


def courses(site):
    return sorted(p.parent.name for p in (site / "courses").glob("*/index.html"))


@pytest.mark.parametrize("prefix", ["", "zh/"])
def test_course_pages_offer_nothing_to_apply_for(aged_site, prefix):
    found = courses(aged_site)
    assert len(found) == len(list((REPO / "courses").glob("*.yml")))
    no_dates = {"": "No dates announced yet.", "zh/": "暂未公布开课时间。"}[prefix]
    for course_id in found:
        page = Page(aged_site / prefix / "courses" / course_id / "index.html")
        classes = [a.get("class", "") for _, a in page.elements]
        assert not any("cc-apply" in c or "cc-next" in c.split() for c in classes), course_id
        assert not any("cc-ics" in c.split() for c in classes), course_id  # no calendar entry to add
        assert no_dates in page.text, course_id
        # Past runs are still there, folded away.
        html = (aged_site / prefix / "courses" / course_id / "index.html").read_text(encoding="utf-8")
        past = re.search(r'<details class="cc-past".*?</details>', html, re.S)
        assert past and "cc-offering" in past.group(0), course_id


@pytest.mark.parametrize("prefix", ["", "zh/"])
def test_catalog_and_home_show_nothing_open(aged_site, prefix):
    catalog = Page(aged_site / prefix / "catalog" / "index.html")
    cards = [a for tag, a in catalog.elements if tag == "article" and "cc-card" in a.get("class", "").split()]
    assert len(cards) == len(courses(aged_site))
    assert all(a["data-open"] == "no" and a["data-within"] == "" and a["data-countries"] == "" for a in cards)
    assert not any("cc-card__open" in a.get("class", "") for _, a in catalog.elements)
    home = Page(aged_site / prefix / "index.html")
    assert "intakes" not in home.ids and not any("cc-intakes" in a.get("class", "") for _, a in home.elements)


def test_feeds_say_every_run_is_past(aged_site):
    feed = json.loads((aged_site / "catalog.json").read_text(encoding="utf-8"))
    jsonschema.validate(feed, json.loads((aged_site / "catalog.schema.json").read_text(encoding="utf-8")))
    states = {o["state"] for c in feed["courses"] for o in c["offerings"]}
    assert states and states <= {"past", "cancelled"}, states
    for prefix in ("", "zh/"):
        cal = icalendar.Calendar.from_ical((aged_site / prefix / "calendar.ics").read_bytes())
        assert [c for c in cal.walk("VEVENT")] == []  # the calendar of upcoming runs has none


def test_the_check_warns_about_runs_still_marked_open_and_fails_nothing(tmp_path, monkeypatch, caplog):
    from site_builder.pipeline import check

    root = make_project(tmp_path / "p", real_courses=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(calendar.timegm(AGED.timetuple())))
    assert check(root, strict=True) == 0
    still_open = [line for line in caplog.messages
                  if re.search(r"warning: offerings\[\d+\]\.status: open, but the offering ended on 2027-", line)]
    marked_open = sum(1 for _, _, status, _ in sample_offerings() if status == "open")
    assert marked_open and len(still_open) == marked_open
