"""Stage 3 of the pipeline, beside the pages: the catalog's data for other systems.

* ``catalog.json``: every course, in every language, with every offering, in a
  documented, versioned format whose JSON Schema (``catalog.schema.json``) is
  published beside it;
* iCal calendars (RFC 5545, written by the ``icalendar`` library): per
  language, one of every upcoming run of the catalog, one per course and one
  per run (the "Add to calendar" of each offering).

Pure functions from the checked model to bytes: :func:`data_files` (at the
site's root) and :func:`calendar_files` (in one language's folder; each
language's build writes its own) give each file with its path, and
writers.write_files writes them.
Deterministic: the build date is the only clock, and every list is sorted.
No MkDocs here.
"""

from __future__ import annotations

import datetime as _dt
import json
from urllib.parse import urlsplit

from . import applications, offerings
from .labels import labels
from .urls import Pages
from .settings import FEED_FILE, FEED_SCHEMA_FILE, FEED_VERSION

#: The domain of calendar event UIDs when the site has no address (mkdocs.yml site_url).
UID_DOMAIN = "course-catalog.invalid"


# ---------------------------------------------------------------------------
# catalog.json
# ---------------------------------------------------------------------------

def catalog_feed(catalog, pages: Pages) -> dict:
    """The whole catalog as plain data (see :func:`feed_schema` for its format)."""
    languages = catalog.site_languages
    today = catalog.build_date

    def names(table: dict, ids) -> list[dict]:
        return [{"id": i, "name": dict(table[i].name)} for i in ids if i in table]

    courses = []
    for course in catalog.ordered_courses():
        courses.append({
            "id": course.id,
            "code": course.code,
            "urls": {lang: pages.absolute(lang, pages.course(course.id)) for lang in languages},
            "title": dict(course.title),
            "summary": dict(course.summary),
            "description": dict(course.description),
            "audience": dict(course.audience),
            "requirements": dict(course.requirements),
            "category": names(catalog.categories, [course.category])[0],
            "level": names(catalog.levels, [course.level])[0],
            "hours": course.hours,
            "delivery": course.delivery,
            "instruction_languages": list(course.instruction_languages),
            "regions": names(catalog.regions, course.regions),
            "partners": names(catalog.partners, course.partners),
            "prerequisites": list(course.prerequisites or []),
            "outcomes": [dict(o) for o in course.outcomes],
            "modules": [{"title": dict(m.title), "hours": m.hours, "topics": [dict(t) for t in m.topics]}
                        for m in course.modules],
            "assessment": [{"method": dict(a.method), "weight": a.weight} for a in course.assessment],
            "certification": dict(course.certification),
            "glossary": [{"en": g.en, "zh": g.zh} for g in course.glossary or []],
            "contact": {"name": dict(course.contact.name), "email": course.contact.email},
            "status": course.status,
            "updated": course.updated.isoformat(),
            "offerings": [_offering(catalog, o, today) for o in
                          sorted(course.offerings or [], key=lambda o: (o.start, o.id))],
        })
    return {
        "format": "course-catalog",
        "version": FEED_VERSION,
        "schema": FEED_SCHEMA_FILE,
        "generated": today.isoformat(),
        "languages": list(languages),
        "default_language": languages.default,
        "courses": courses,
    }


def _offering(catalog, o, today: _dt.date) -> dict:
    venue = catalog.venues.get(o.venue) if o.venue else None
    fee = {"type": o.fee.type}
    if o.fee.type == "paid":
        fee.update(amount=str(o.fee.amount), currency=o.fee.currency)
    if o.fee.note:
        fee["note"] = dict(o.fee.note)
    out = {
        "id": o.id,
        "status": o.status,
        "state": offerings.state(o, today),
        "start": o.start.isoformat(),
        "end": o.end.isoformat(),
        "deadline": o.deadline.isoformat(),
        "delivery": o.delivery,
        "venue": None,
        "timezone": o.timezone or (venue.timezone if venue else None),
        "instruction_languages": list(o.instruction_languages),
        "entry_levels": dict(o.entry_levels or {}),
        "interpretation": o.interpretation,
        "seats": o.seats,
        "fee": fee,
        "apply": o.apply,
        "application": _application(catalog, o),
        "note": dict(o.note) if o.note else None,
    }
    if venue is not None:
        region = catalog.regions.get(venue.region)
        out["venue"] = {"id": o.venue, "name": dict(venue.name), "city": dict(venue.city),
                        "region": venue.region, "country": region.country if region else None}
    return out


def _application(catalog, o) -> dict | None:
    """How to apply for the run (applications.py), or None when the catalog says nothing."""
    app = applications.resolve(catalog, o)
    if app is None:
        return None
    answer = applications.answer_by(o, app)

    def texts(items):
        return [dict(item) for item in items or []]

    return {
        "follows": applications.followed(catalog, o),
        "steps": texts(app.steps),
        "documents": texts(app.documents),
        "selection": dict(app.selection) if app.selection else None,
        "on_offer": dict(app.on_offer) if app.on_offer else None,
        "decision_weeks": app.decision_weeks,
        "answer_by": answer.isoformat() if answer else None,
        "visa_letter": bool(app.visa_letter),
        "visa_weeks": app.visa_weeks if app.visa_letter else None,
        "accommodation": dict(app.accommodation) if app.accommodation else None,
        "funding": [{"route": r.route, "note": dict(r.note)} for r in app.funding or []],
    }


def feed_schema(catalog) -> dict:
    """The JSON Schema (draft 2020-12) of catalog.json, published beside it."""
    languages = list(catalog.site_languages)
    text = {"type": "object", "required": languages, "additionalProperties": False,
            "properties": {lang: {"type": "string"} for lang in languages},
            "description": "A text in every catalog language."}
    date = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    slug = {"type": "string", "pattern": r"^[a-z0-9]+(?:-[a-z0-9]+)*$"}
    named = {"type": "object", "required": ["id", "name"], "additionalProperties": False,
             "properties": {"id": slug, "name": {"$ref": "#/$defs/text"}}}
    nullable_text = {"oneOf": [{"$ref": "#/$defs/text"}, {"type": "null"}]}

    def obj(properties: dict, optional: tuple = ()) -> dict:
        return {"type": "object", "additionalProperties": False, "properties": properties,
                "required": [k for k in properties if k not in optional]}

    offering = obj({
        "id": slug,
        "status": {"enum": ["open", "waitlist", "closed", "cancelled"],
                   "description": "As the course file says."},
        "state": {"enum": ["open", "waitlist", "closed", "cancelled", "deadline_passed", "past"],
                  "description": "What the site shows on the generated date: deadline_passed is "
                                 "still marked open or waitlist after its deadline; past has ended."},
        "start": date, "end": date, "deadline": date,
        "delivery": {"enum": ["onsite", "online", "blended"]},
        "venue": {"oneOf": [{"type": "null"}, obj({
            "id": slug, "name": {"$ref": "#/$defs/text"}, "city": {"$ref": "#/$defs/text"},
            "region": slug, "country": {"type": ["string", "null"], "pattern": "^[A-Z]{2}$"}})]},
        "timezone": {"type": ["string", "null"], "description": "IANA time zone name."},
        "instruction_languages": {"type": "array", "items": slug, "minItems": 1},
        "entry_levels": {"type": "object", "additionalProperties": {"type": "string"},
                         "description": "Language id -> level (HSK n, CEFR xx)."},
        "interpretation": {"type": "boolean"},
        "seats": {"type": "integer", "minimum": 0},
        "fee": obj({"type": {"enum": ["paid", "free", "funded"]},
                    "amount": {"type": "string", "pattern": r"^\d+(?:\.\d{1,2})?$",
                               "description": "Decimal amount as a string (no float rounding)."},
                    "currency": {"type": "string", "pattern": "^[A-Z]{3}$",
                                 "description": "ISO 4217 code."},
                    "note": {"$ref": "#/$defs/text"}}, optional=("amount", "currency", "note")),
        "apply": {"type": ["string", "null"], "pattern": "^(https://|mailto:)"},
        "application": {"oneOf": [{"type": "null"}, obj({
            "follows": {"type": ["string", "null"],
                        "description": "Id of the shared application the run follows (courses/_shared/applications.yml)."},
            "steps": {"type": "array", "items": {"$ref": "#/$defs/text"}, "minItems": 1,
                      "description": "What an applicant does, in order."},
            "documents": {"type": "array", "items": {"$ref": "#/$defs/text"},
                          "description": "Documents an applicant prepares."},
            "selection": nullable_text,
            "on_offer": {"oneOf": [{"$ref": "#/$defs/text"}, {"type": "null"}],
                         "description": "What an applicant offered a place does to take it."},
            "decision_weeks": {"type": ["integer", "null"], "minimum": 0,
                               "description": "Weeks after the deadline by which every applicant has an answer."},
            "answer_by": {"oneOf": [date, {"type": "null"}],
                          "description": "The deadline plus decision_weeks."},
            "visa_letter": {"type": "boolean",
                            "description": "Whether admitted learners receive a visa invitation letter."},
            "visa_weeks": {"type": ["integer", "null"], "minimum": 1,
                           "description": "Weeks to allow for the visa (with visa_letter)."},
            "accommodation": nullable_text,
            "funding": {"type": "array", "items": obj({
                "route": {"enum": ["scholarship", "sponsor", "free"]},
                "note": {"$ref": "#/$defs/text"}})},
        })], "description": "How to apply for the run; null when the catalog does not say (version 1.1)."},
        "note": nullable_text,
    })
    course = obj({
        "id": slug, "code": {"type": "string"},
        "urls": {"type": "object", "required": languages, "additionalProperties": False,
                 "properties": {lang: {"type": "string", "format": "uri"} for lang in languages}},
        "title": {"$ref": "#/$defs/text"}, "summary": {"$ref": "#/$defs/text"},
        "description": {"$ref": "#/$defs/text", "description": "Markdown."},
        "audience": {"$ref": "#/$defs/text"}, "requirements": {"$ref": "#/$defs/text"},
        "category": {"$ref": "#/$defs/named"}, "level": {"$ref": "#/$defs/named"},
        "hours": {"type": "integer", "minimum": 1},
        "delivery": {"enum": ["onsite", "online", "blended"]},
        "instruction_languages": {"type": "array", "items": slug},
        "regions": {"type": "array", "items": {"$ref": "#/$defs/named"}},
        "partners": {"type": "array", "items": {"$ref": "#/$defs/named"}},
        "prerequisites": {"type": "array", "items": slug},
        "outcomes": {"type": "array", "items": {"$ref": "#/$defs/text"}},
        "modules": {"type": "array", "items": obj({
            "title": {"$ref": "#/$defs/text"}, "hours": {"type": "integer"},
            "topics": {"type": "array", "items": {"$ref": "#/$defs/text"}}})},
        "assessment": {"type": "array", "items": obj({
            "method": {"$ref": "#/$defs/text"}, "weight": {"type": "integer"}})},
        "certification": {"$ref": "#/$defs/text"},
        "glossary": {"type": "array", "items": obj({"en": {"type": "string"}, "zh": {"type": "string"}})},
        "contact": obj({"name": {"$ref": "#/$defs/text"},
                        "email": {"type": "string", "format": "email"}}),
        "status": {"enum": ["active", "planned", "archived"]},
        "updated": date,
        "offerings": {"type": "array", "items": {"$ref": "#/$defs/offering"}},
    })
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": FEED_SCHEMA_FILE,
        "title": f"Course catalog feed, format version {FEED_VERSION}",
        "description": "Every course of the catalog in every language, with its offerings. "
                       "Versioned: a new minor version only adds fields.",
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "version", "schema", "generated", "languages", "default_language",
                     "courses"],
        "properties": {
            "format": {"const": "course-catalog"},
            "version": {"const": FEED_VERSION},
            "schema": {"const": FEED_SCHEMA_FILE},
            "generated": date,
            "languages": {"type": "array", "items": {"type": "string"}},
            "default_language": {"type": "string"},
            "courses": {"type": "array", "items": {"$ref": "#/$defs/course"}},
        },
        "$defs": {"text": text, "named": named, "offering": offering, "course": course},
    }


def dumps(data) -> bytes:
    """JSON as published: UTF-8, stable key order.  JSON needs no more: a
    consumer parses it; no page embeds the file."""
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------
# iCal
# ---------------------------------------------------------------------------

def _calendar(name: str, events: list):
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//site_builder//course catalog//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(event)
    return cal


def _event(catalog, course, o, lang: str, pages: Pages, t: dict, formats):
    """One all-day event for a run of a course, in ``lang``."""
    from icalendar import Event

    event = Event()
    # Stable across builds: the course, the run and the language, at the site's host.
    host = urlsplit(pages.site_url).hostname or UID_DOMAIN
    event.add("uid", f"{course.id}.{o.id}.{lang}@{host}")
    stamp = _dt.datetime.combine(catalog.build_date, _dt.time(0, 0), tzinfo=_dt.timezone.utc)
    event.add("dtstamp", stamp)
    event.add("dtstart", o.start)
    event.add("dtend", o.end + _dt.timedelta(days=1))  # all-day: DTEND is exclusive
    event.add("summary", course.title[lang] + t["code_in_parens"].replace("{code}", course.code))
    event.add("location", formats.place(o))
    url = pages.absolute(lang, pages.course(course.id))
    if url:
        event.add("url", f"{url}#offering-{o.id}")
    lines = [course.summary[lang],
             f"{t['offering_place']}{t['colon']}{formats.place(o)}",
             f"{t['offering_languages']}{t['colon']}{formats.languages(o)}",
             f"{t['offering_fee']}{t['colon']}{formats.fee(o)}",
             f"{t['offering_deadline']}{t['colon']}{formats.date(o.deadline)}",
             f"{t['offering_status']}{t['colon']}{t['state_' + offerings.state(o, catalog.build_date)]}"]
    if o.apply:
        lines.append(f"{t['apply']}{t['colon']}{o.apply}")
    if o.note:
        lines.append(o.note[lang])
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if o.status == "cancelled" else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event


#: How long before a run's application deadline its calendar event reminds the learner.
DEADLINE_ALARM = _dt.timedelta(days=7)


def _deadline_event(catalog, course, o, lang: str, pages: Pages, t: dict, formats):
    """The run's application deadline as an all-day event of its own, with a
    reminder (VALARM) :data:`DEADLINE_ALARM` before it: the day to apply by,
    and what to prepare."""
    from icalendar import Alarm, Event

    event = Event()
    host = urlsplit(pages.site_url).hostname or UID_DOMAIN
    event.add("uid", f"{course.id}.{o.id}.deadline.{lang}@{host}")
    event.add("dtstamp", _dt.datetime.combine(catalog.build_date, _dt.time(0, 0), tzinfo=_dt.timezone.utc))
    event.add("dtstart", o.deadline)
    event.add("dtend", o.deadline + _dt.timedelta(days=1))
    summary = t["deadline_event"].replace("{title}", course.title[lang]).replace("{code}", course.code)
    event.add("summary", summary)
    url = pages.absolute(lang, pages.course(course.id))
    if url:
        event.add("url", f"{url}#offering-{o.id}")
    lines = [f"{t['offering_dates']}{t['colon']}{formats.dates(o)} · {formats.place(o)}"]
    if o.apply:
        lines.append(f"{t['apply']}{t['colon']}{o.apply}")
    application = applications.resolve(catalog, o)
    if application is not None:
        lines += ["", t["howto_title"], *applications.lines(o, application, lang, t, formats)]
    event.add("description", "\n".join(lines))
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -DEADLINE_ALARM)
    event.add_component(alarm)
    return event


def data_files(catalog, pages: Pages) -> dict[str, bytes]:
    """The files at the site's root: catalog.json and its schema."""
    return {FEED_FILE: dumps(catalog_feed(catalog, pages)),
            FEED_SCHEMA_FILE: dumps(feed_schema(catalog))}


def calendar_files(catalog, pages: Pages, lang: str) -> dict[str, bytes]:
    """The calendars of ``lang``: path in the language's folder -> content."""
    today = catalog.build_date
    t = labels(catalog.site_languages)[lang]
    formats = offerings.Formats(catalog, lang, t)
    files, every = {}, []
    for course in catalog.ordered_courses():
        events = []
        for o in offerings.upcoming(course, today):
            run = [_event(catalog, course, o, lang, pages, t, formats)]
            if offerings.can_apply(o, today):  # a deadline still ahead (or today), to be reminded of
                run.append(_deadline_event(catalog, course, o, lang, pages, t, formats))
            events.extend(run)
            name = f"{course.title[lang]} · {formats.dates(o)}"
            files[pages.calendar(course.id, o.id)] = _calendar(name, run).to_ical()
        if events:
            files[pages.calendar(course.id)] = _calendar(course.title[lang], events).to_ical()
            every.extend(events)
    every.sort(key=lambda e: (e.decoded("dtstart"), str(e["uid"])))
    files[pages.calendar()] = _calendar(f"{t['site_name']}{t['colon']}{t['calendar_name']}", every).to_ical()
    return files
