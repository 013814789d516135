"""The data for other systems, read back with real parsers: catalog.json with
``jsonschema`` against the schema published beside it, the calendars with
``icalendar``."""

from __future__ import annotations

import datetime as dt
import json
from html import unescape

import icalendar
import jsonschema
import pytest

from conftest import BUILD_DATE, base_course, course_yaml, make_project

from site_builder.pipeline import build

#: Its outcome depends on a date: run again with the clock moved (.ci/run).
pytestmark = pytest.mark.dates


def load(site, rel):
    return json.loads((site / rel).read_text(encoding="utf-8"))


def events(path, deadlines: bool = False) -> list:
    """The run events of a calendar file (or, with ``deadlines``, its application deadlines)."""
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return [c for c in cal.walk() if c.name == "VEVENT" and (".deadline." in str(c["uid"])) == deadlines]


def test_catalog_json_validates_against_its_published_schema(built_site):
    feed = load(built_site, "catalog.json")
    schema = load(built_site, "catalog.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(feed)
    assert feed["version"] == schema["properties"]["version"]["const"]
    assert feed["generated"] == BUILD_DATE and feed["languages"] == ["en", "zh"]
    ids = [c["id"] for c in feed["courses"]]
    assert sorted(ids) == ["laser-processing", "optical-fiber-communication", "photonics-technology"]
    course = next(c for c in feed["courses"] if c["id"] == "photonics-technology")
    # Every language of every text, and every offering (past ones too).
    assert course["title"] == {"en": "Photonics Technology (WorldSkills Standard)", "zh": "光电技术（世界技能大赛标准）"}
    assert [o["id"] for o in course["offerings"]] == [
        "2025-02-bridgetown", "2027-03-chongqing", "2027-06-nakhon-pathom", "2027-09-kingston", "2027-10-online"]
    by_id = {o["id"]: o for o in course["offerings"]}
    assert by_id["2025-02-bridgetown"]["state"] == "past"
    assert by_id["2027-03-chongqing"]["fee"] == {"type": "paid", "amount": "5200", "currency": "CNY"}
    assert by_id["2027-10-online"]["venue"] is None and by_id["2027-10-online"]["timezone"] == "America/Barbados"
    assert by_id["2027-06-nakhon-pathom"]["venue"]["country"] == "TH"
    assert course["urls"]["zh"].endswith("/zh/courses/photonics-technology/")


def test_a_feed_that_breaks_its_schema_is_refused_by_it(built_site):
    """The schema is strict enough to catch a wrong feed (so the test above can fail)."""
    feed = load(built_site, "catalog.json")
    schema = load(built_site, "catalog.schema.json")
    feed["courses"][0]["offerings"][0]["fee"]["amount"] = 12.5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(feed, schema, cls=jsonschema.Draft202012Validator)
    feed = load(built_site, "catalog.json")
    feed["courses"][0]["title"].pop("zh")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(feed, schema, cls=jsonschema.Draft202012Validator)


def test_the_home_page_links_the_feeds(built_site):
    home = unescape((built_site / "index.html").read_text(encoding="utf-8"))
    zh = unescape((built_site / "zh/index.html").read_text(encoding="utf-8"))
    assert 'href="catalog.json"' in home and 'href="catalog.schema.json"' in home
    assert 'href="calendar.ics"' in home
    assert 'href="../catalog.json"' in zh and 'href="calendar.ics"' in zh


@pytest.mark.parametrize("prefix, summary, words", [
    ("", "Photonics Technology (WorldSkills Standard) (OPT-101)", ("Place: ", "Apply by: ")),
    ("zh/", "光电技术（世界技能大赛标准）（OPT-101）", ("地点：", "报名截止：")),
])
def test_calendars_per_language_course_and_offering(built_site, prefix, summary, words):
    every = events(built_site / prefix / "calendar.ics")
    course = events(built_site / prefix / "calendars/photonics-technology.ics")
    one = events(built_site / prefix / "calendars/photonics-technology/2027-03-chongqing.ics")
    # Upcoming runs only (not the 2025 one), of all three fixture courses.
    assert len(every) == 3 * 4 and len(course) == 4 and len(one) == 1
    event = one[0]
    lang = prefix.rstrip("/") or "en"
    assert str(event["uid"]) == f"photonics-technology.2027-03-chongqing.{lang}@catalog.example.org"
    assert event.decoded("dtstamp") == dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
    # All-day dates: DTEND is the day after the last day.
    assert event.decoded("dtstart") == dt.date(2027, 3, 8) and event.decoded("dtend") == dt.date(2027, 4, 17)
    assert event["dtstart"].params.get("VALUE") == "DATE"
    assert str(event["summary"]) == summary
    assert str(event["url"]).endswith(f"{prefix}courses/photonics-technology/#offering-2027-03-chongqing")
    assert str(event["location"])
    for word in words:
        assert word in str(event["description"])
    assert [str(e["uid"]) for e in every] == sorted(
        (str(e["uid"]) for e in every), key=lambda u: (next(x.decoded("dtstart") for x in every if str(x["uid"]) == u), u))
    cancelled = next(e for e in course if "2027-10-online" in str(e["uid"]))
    assert str(cancelled["status"]) == "CANCELLED"


def test_uids_and_bytes_are_stable_across_builds(tmp_path):
    a, b = make_project(tmp_path / "a"), make_project(tmp_path / "b")
    assert build(a) == 0 and build(b) == 0
    for rel in ("calendar.ics", "zh/calendar.ics", "catalog.json", "catalog.schema.json"):
        assert (a / "site" / rel).read_bytes() == (b / "site" / rel).read_bytes()


def test_author_text_stays_inert_inside_its_event(tmp_path):
    data = base_course()
    data["offerings"][1]["note"] = {"en": "Line one\nBEGIN:VEVENT\nSUMMARY:Injected; a, b\nEND:VEVENT",
                                    "zh": "注意：BEGIN:VCALENDAR，分号;逗号,"}
    data["title"] = {"en": "Optics, lasers; and END:VCALENDAR", "zh": "光学；激光"}
    root = make_project(tmp_path / "p", {"photonics-technology.yml": course_yaml(data)})
    assert build(root) == 0
    for prefix, lang in (("", "en"), ("zh/", "zh")):
        cal = icalendar.Calendar.from_ical((root / "site" / prefix / "calendars/photonics-technology.ics").read_bytes())
        found = [c for c in cal.walk() if c.name == "VEVENT"]
        runs = [e for e in found if ".deadline." not in str(e["uid"])]
        assert len(runs) == 4 and len(found) == 4 + 3  # nothing added: four runs, three deadlines ahead
        event = next(e for e in runs if "2027-03-chongqing" in str(e["uid"]))
        assert str(event["description"]).endswith(data["offerings"][1]["note"][lang])
        assert str(event["summary"]) == data["title"][lang] + {"en": " (OPT-101)", "zh": "（OPT-101）"}[lang]
    # On the wire: the author's BEGIN:VEVENT is inside an escaped, folded value, never a line of its own.
    raw = (root / "site" / "calendars/photonics-technology.ics").read_bytes()
    lines = raw.replace(b"\r\n ", b"").split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == 7 and lines.count(b"END:VCALENDAR") == 1
    assert not [line for line in lines if line.startswith(b"SUMMARY:Injected")]


@pytest.mark.parametrize("prefix, summary, how", [
    ("", "Application deadline: Photonics Technology (WorldSkills Standard) (OPT-101)", "How to apply"),
    ("zh/", "报名截止：光电技术（世界技能大赛标准）（OPT-101）", "如何报名"),
])
def test_each_deadline_ahead_is_an_event_with_a_reminder_a_week_before(built_site, prefix, summary, how):
    from site_builder import offerings
    from site_builder.readers import read_catalog

    catalog, _ = read_catalog(built_site.parent)
    course = catalog.courses["photonics-technology"]
    ahead = [o for o in offerings.upcoming(course, catalog.build_date)
             if offerings.can_apply(o, catalog.build_date)]
    found = events(built_site / prefix / "calendars/photonics-technology.ics", deadlines=True)
    assert len(ahead) >= 2 and [e.decoded("dtstart") for e in found] == [o.deadline for o in ahead]
    every = events(built_site / prefix / "calendar.ics", deadlines=True)
    assert {str(e["uid"]) for e in found} <= {str(e["uid"]) for e in every}
    for event, run in zip(found, ahead):
        assert event["dtstart"].params.get("VALUE") == "DATE"
        assert event.decoded("dtend") == run.deadline + dt.timedelta(days=1)
        assert str(event["summary"]) == summary
        alarms = [c for c in event.walk() if c.name == "VALARM"]
        assert len(alarms) == 1 and str(alarms[0]["action"]) == "DISPLAY"
        assert alarms[0].decoded("trigger") == -dt.timedelta(days=7)
        description = str(event["description"])
        assert how in description and run.apply in description and "\n1. " in description
    # The run's own calendar file holds its deadline too.
    one = icalendar.Calendar.from_ical(
        (built_site / prefix / f"calendars/photonics-technology/{ahead[0].id}.ics").read_bytes())
    assert len([c for c in one.walk() if c.name == "VEVENT"]) == 2
    # A run whose deadline has passed, or that is closed, gets no reminder.
    closed = [o for o in offerings.upcoming(course, catalog.build_date) if o not in ahead]
    assert closed and not [e for e in found if any(o.id in str(e["uid"]) for o in closed)]
