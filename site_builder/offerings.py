"""Offerings as learners see them, against the site's build date.

Which runs of a course are upcoming or past, which one a learner can still
apply for, and each run's facts written in a language: dates and money by
Babel in the locale the interface labels name (``labels.yml``: ``locale``).
Pure functions of the model: the pages, the calendars and the JSON feed all
read offerings through this module.  No MkDocs here.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

#: Statuses under which a learner can still apply (before the deadline).
APPLICABLE = ("open", "waitlist")

#: The dash between the two ends of a date range, with the spaces around it (CLDR uses thin ones).
_RANGE_DASH = re.compile(r"\s*[\u2013\u2014-]\s*")

#: The "starting within" choices of the catalog, in months.
WITHIN_MONTHS = (1, 3, 6)


def is_past(offering, today: _dt.date) -> bool:
    """Ended before ``today``."""
    return offering.end < today


def can_apply(offering, today: _dt.date) -> bool:
    """Open (or waitlist) with a way to apply, and the deadline not passed."""
    return (offering.status in APPLICABLE and offering.apply is not None
            and offering.deadline >= today and not is_past(offering, today))


def state(offering, today: _dt.date) -> str:
    """What the page says of a run: open, waitlist, closed, cancelled,
    deadline_passed (still marked open) or past (ended)."""
    if is_past(offering, today):
        return "cancelled" if offering.status == "cancelled" else "past"
    if offering.status in APPLICABLE:
        return offering.status if can_apply(offering, today) else "deadline_passed"
    return offering.status


def upcoming(course, today: _dt.date) -> list:
    """Runs that have not ended, by start date."""
    return sorted((o for o in course.offerings or [] if not is_past(o, today)),
                  key=lambda o: (o.start, o.end, o.id))


def past(course, today: _dt.date) -> list:
    """Runs that have ended, the latest first."""
    return sorted((o for o in course.offerings or [] if is_past(o, today)),
                  key=lambda o: (o.start, o.id), reverse=True)


def next_to_apply(course, today: _dt.date):
    """The earliest upcoming run a learner can apply for, or None."""
    return next((o for o in upcoming(course, today) if can_apply(o, today)), None)


def add_months(day: _dt.date, months: int) -> _dt.date:
    """``day`` moved ``months`` ahead (the 31st becomes the month's last day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def starts_within(course, today: _dt.date) -> list[int]:
    """The catalog's "starting within" choices (months) that a run of the
    course, not cancelled and not yet started, falls in."""
    starts = [o.start for o in upcoming(course, today) if o.status != "cancelled" and o.start >= today]
    return [m for m in WITHIN_MONTHS if any(s <= add_months(today, m) for s in starts)]


def countries(catalog, course, today: _dt.date) -> list[str]:
    """Region ids of the venues of a course's upcoming runs (not cancelled), in table order."""
    used = {catalog.venues[o.venue].region for o in upcoming(course, today)
            if o.venue in catalog.venues and o.status != "cancelled"}
    return [r for r in catalog.regions if r in used]


def partners(catalog, course) -> list[str]:
    """The course's partners, then the partners whose venues host its runs (each once)."""
    found = list(course.partners or [])
    for o in course.offerings or []:
        venue = catalog.venues.get(o.venue) if o.venue else None
        if venue and venue.partner and venue.partner not in found:
            found.append(venue.partner)
    return found


#: The place of a run without a venue, beside the countries of the others.
ONLINE = "online"


def place(catalog, offering) -> str:
    """Where a run takes place, for the catalog's "where" filter: its venue's
    region id, or ONLINE."""
    venue = catalog.venues.get(offering.venue) if offering.venue else None
    return venue.region if venue else ONLINE


def card(catalog, course, today: _dt.date) -> dict:
    """What a course's card shows and filters by: whether it is open for
    applications, the "starting within" choices, the places of its runs
    (countries, then ONLINE), the next start overall and in each place (shown
    when the "where" filter asks for that place), and its runs as data for the
    reader's clock and languages (``start/deadline/applicable/needs/interpretation``
    per run, read by catalog.js and learner.js)."""
    runs = [o for o in upcoming(course, today) if o.status != "cancelled"]

    def first(found):
        return _first_to_start(found, today)

    by_place: dict[str, list] = {}
    for o in runs:
        by_place.setdefault(place(catalog, o), []).append(o)
    places = [r for r in catalog.regions if r in by_place] + ([ONLINE] if ONLINE in by_place else [])
    return {
        "open": any(can_apply(o, today) for o in runs),
        "within": starts_within(course, today),
        "countries": places,
        "next": first(runs),
        "next_in": [(where, first(by_place[where])) for where in places],
        "can_apply": lambda o: can_apply(o, today),
        "runs": " ".join(f"{o.start.isoformat()}/{o.deadline.isoformat()}/"
                         f"{'1' if o.status in APPLICABLE and o.apply else '0'}/"
                         f"{needs(catalog, o)}/{'1' if o.interpretation else '0'}" for o in runs),
    }


def needs(catalog, offering) -> str:
    """The entry level of each of a run's languages as the reader's page reads
    it: ``zh.2,en.3``, each level's place (from 0) in its language's scale
    (courses/_shared/languages.yml), for matching a learner's own levels."""
    out = []
    for lang, level in (offering.entry_levels or {}).items():
        scale = (catalog.languages.get(lang) or {}).get("entry_levels") or []
        if level in scale:
            out.append(f"{lang}.{scale.index(level)}")
    return ",".join(out)


def living_costs(catalog, offering) -> dict | None:
    """What living at a run's venue typically costs (courses/_shared/venues.yml
    ``costs``), or None: the weekly figures, and for a run on site the whole:
    its weeks, and the fee with a room and living for them, where the fee is in
    the same currency (or nothing)."""
    venue = catalog.venues.get(offering.venue) if offering.venue else None
    costs = venue.get("costs") if venue is not None else None
    if not costs or offering.delivery == "online":
        return None
    weeks = -(-((offering.end - offering.start).days + 1) // 7)
    total = None
    fee = offering.fee
    if offering.delivery == "onsite" and costs.accommodation_week is not None and costs.living_week is not None \
            and fee is not None:
        paid = fee.amount if fee.type == "paid" and fee.currency == costs.currency else None
        base = Decimal(0) if fee.type != "paid" else paid
        if base is not None:
            total = base + (costs.accommodation_week + costs.living_week) * weeks
    return {"currency": costs.currency, "accommodation_week": costs.accommodation_week,
            "living_week": costs.living_week, "weeks": weeks, "total": total, "note": costs.note}


def _first_to_start(runs: list, today: _dt.date):
    """The first of ``runs`` (upcoming, in order) not yet started, else the first."""
    return next((o for o in runs if o.start >= today), runs[0] if runs else None)


def next_run(course, today: _dt.date):
    """The run a card shows as "Next start": upcoming, not cancelled."""
    return _first_to_start([o for o in upcoming(course, today) if o.status != "cancelled"], today)


def sort_key(course, lang: str, today: _dt.date) -> tuple:
    """The catalog's order: the next start (courses without one last), then the title."""
    nxt = next_run(course, today)
    return (nxt.start if nxt else _dt.date.max, course.title[lang].casefold())


def intakes(catalog, today: _dt.date, limit: int) -> list[tuple]:
    """(offering, course) of the next runs open for applications, soonest first."""
    found = [(o, c) for c in catalog.ordered_courses() for o in upcoming(c, today) if can_apply(o, today)]
    found.sort(key=lambda pair: (pair[0].start, pair[1].code or "", pair[0].id))
    return found[:limit]


# ---------------------------------------------------------------------------
# Writing a run's facts in one language
# ---------------------------------------------------------------------------

@dataclass
class Formats:
    """Dates, money and places of runs in one language: ``t`` is the
    language's row of the interface labels (``locale`` names Babel's locale)."""

    catalog: object
    lang: str
    t: dict

    @property
    def locale(self) -> str:
        return self.t.get("locale") or self.lang

    def date(self, day: _dt.date) -> str:
        return _date(day, self.locale)

    def dates(self, offering) -> str:
        """"7 – 11 Apr 2027" / "2027年4月7日至11日"."""
        return _dates(offering.start, offering.end, self.locale, self.t.get("date_range_joiner"))

    def weeks(self, offering) -> str:
        """The length: "5 days" or "8 weeks"."""
        days = (offering.end - offering.start).days + 1
        if days < 14:
            return self.t["length_days"].replace("{n}", str(days))
        return self.t["length_weeks"].replace("{n}", str(round(days / 7)))

    def place(self, offering) -> str:
        """"RMUTR campus, Nakhon Pathom, Thailand" (in the order of the label
        ``place_order``) or "Online (Indochina Time, UTC+7)"."""
        venue = self.catalog.venues.get(offering.venue) if offering.venue else None
        if venue is None:
            return self.t["online_in_zone"].replace("{zone}", self.zone(offering))
        region = self.catalog.regions.get(venue.region)
        parts = {"venue": venue.name[self.lang], "city": venue.city[self.lang],
                 "country": region.name[self.lang] if region else ""}
        out = []
        for key in self.t["place_order"].split():  # "Singapore, Singapore" once
            if parts.get(key) and parts[key] not in out:
                out.append(parts[key])
        return self.t["place_sep"].join(out)

    def zone(self, offering) -> str:
        """The run's time zone in words, at its first day: "China Standard Time,
        UTC+8" / "中国标准时间，UTC+8" (CLDR's name, through Babel)."""
        if not offering.timezone:
            return ""
        return _zone(offering.timezone, offering.start, self.locale, self.t["zone_format"])

    def country(self, offering) -> str:
        venue = self.catalog.venues.get(offering.venue) if offering.venue else None
        region = self.catalog.regions.get(venue.region) if venue else None
        return region.name[self.lang] if region else self.t["delivery_online"]

    def languages(self, offering) -> str:
        """Each instruction language with its entry level: "Chinese (HSK 3), English (CEFR B1)"."""
        names, out = self.catalog.languages, []
        for lang in offering.instruction_languages:
            name = names[lang].name[self.lang] if lang in names else lang
            level = (offering.entry_levels or {}).get(lang)
            out.append(self.t["level_format"].replace("{language}", name).replace("{level}", level)
                       if level else name)
        return self.t["list_sep"].join(out)

    def money(self, amount, currency: str) -> str:
        return money(amount, currency, self.locale)

    def currency_name(self, code: str) -> str:
        """"US dollar" / "美元": a currency's name in the page's language (CLDR)."""
        from babel.numbers import get_currency_name

        return get_currency_name(code, locale=self.locale)

    def fee(self, offering) -> str:
        fee = offering.fee
        if fee is None:
            return ""
        if fee.type != "paid":
            return self.t["fee_" + fee.type]
        return money(fee.amount, fee.currency, self.locale)


@lru_cache(maxsize=4096)
def _date(day: _dt.date, locale: str) -> str:
    from babel.dates import format_date

    return format_date(day, "medium", locale=locale)


@lru_cache(maxsize=4096)
def _dates(start: _dt.date, end: _dt.date, locale: str, joiner: str | None) -> str:
    from babel.dates import format_interval

    if start == end:
        return _date(start, locale)
    text = format_interval(start, end, "yMMMd", locale=locale)
    return _RANGE_DASH.sub(joiner, text) if joiner else text


@lru_cache(maxsize=1024)
def _zone(zone: str, day: _dt.date, locale: str, form: str) -> str:
    from zoneinfo import ZoneInfo

    from babel.dates import get_timezone_name

    noon = _dt.datetime.combine(day, _dt.time(12), tzinfo=ZoneInfo(zone))
    name = get_timezone_name(noon, "long", locale=locale)
    minutes = int(noon.utcoffset().total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    offset = f"UTC{'+' if minutes >= 0 else '−'}{hours}" + (f":{rest:02d}" if rest else "")
    return form.replace("{name}", name).replace("{offset}", offset)


@lru_cache(maxsize=4096)
def money(amount: Decimal, currency: str, locale: str) -> str:
    """An amount with the currency's name in the reader's locale (CLDR, through
    Babel): "14,500 Thai baht", "14,500泰铢", "12.50 US dollars"."""
    from babel.numbers import format_currency

    pattern = "#,##0" if amount == amount.to_integral_value() else "#,##0.00##"
    return format_currency(amount, currency, format=pattern, locale=locale, format_type="name",
                           currency_digits=False)
