"""How to apply for a run: the application it follows, with the run's own changes.

An application is set once in ``courses/_shared/applications.yml`` and named
by a venue or a partner (``application:``), or marked ``default: true`` for the
runs that name none (online runs).  A run may name another (``application:
use:``) and change any field of it.  Pure functions of the model: the pages,
the calendars, the JSON feed and the checks read a run's application here.
No MkDocs here.
"""

from __future__ import annotations

import datetime as _dt

from .schema import APPLICATION_FIELDS, ListOf, Obj

#: The fields of an application, in schema order.
FIELDS = tuple(f.name for f in APPLICATION_FIELDS)
#: The fields every run's application needs, from wherever it takes them.
REQUIRED = tuple(f.name for f in APPLICATION_FIELDS if f.required)
_LISTS = {f.name for f in APPLICATION_FIELDS if isinstance(f.kind, ListOf)}


def followed(catalog, offering) -> str | None:
    """The id of the application a run follows: its own ``use:``, its venue's,
    its venue partner's, or the catalog's default (None when there is none)."""
    own = offering.application or {}
    if own.get("use"):
        return own["use"]
    venue = catalog.venues.get(offering.venue) if offering.venue else None
    if venue is not None and venue.get("application"):
        return venue.application
    partner = catalog.partners.get(venue.partner) if venue is not None and venue.get("partner") else None
    if partner is not None and partner.get("application"):
        return partner.application
    return next((key for key, app in catalog.applications.items() if app.get("default")), None)


def resolve(catalog, offering) -> Obj | None:
    """The run's application, every field of :data:`FIELDS` present (None
    where it has none), or None when the run has no application at all."""
    base = catalog.applications.get(followed(catalog, offering) or "")
    own = offering.application or {}
    if base is None and not any(own.get(name) for name in FIELDS):
        return None
    out = Obj({name: None for name in FIELDS})
    for source in (base or {}, own):
        for name in FIELDS:
            value = source.get(name)
            # A list left out of a run's changes reads as empty: it changes nothing.
            if value is not None and not (name in _LISTS and not value and source is own):
                out[name] = value
    return out


def missing(application) -> list[str]:
    """The required fields an application lacks (with visa_weeks, when a letter is given)."""
    gaps = [name for name in REQUIRED if application.get(name) in (None, [])]
    if application.get("visa_letter") and application.get("visa_weeks") is None:
        gaps.append("visa_weeks")
    return gaps


def answer_by(offering, application) -> _dt.date | None:
    """The day by which every applicant to the run has an answer."""
    if offering.deadline is None or application.get("decision_weeks") is None:
        return None
    return offering.deadline + _dt.timedelta(weeks=application.decision_weeks)


def lines(offering, application, lang: str, t: dict, formats) -> list[str]:
    """The run's application as plain text in ``lang``, as the page's list says
    it (numbered steps, then the visa, accommodation and funding), for readers
    that take text: the JSON-LD offer and the deadline's calendar event."""
    steps = []
    if application.documents:
        steps.append(f"{t['howto_documents']}{t['colon']}" + t["item_sep"].join(d[lang] for d in application.documents))
    steps.extend(step[lang] for step in application.steps or [])
    answer = answer_by(offering, application)
    if application.selection:
        steps.append(f"{t['howto_selection']}{t['colon']}{application.selection[lang]}"
                     + (t["howto_answer_by"].replace("{date}", formats.date(answer)) if answer else ""))
    if application.on_offer:
        steps.append(application.on_offer[lang])
    out = [f"{i}. {line}" for i, line in enumerate(steps, 1)]
    if offering.delivery != "online":
        visa = (t["howto_visa_letter"].replace("{weeks}", str(application.visa_weeks))
                if application.visa_letter else t["howto_no_visa_letter"])
        out.append(f"{t['howto_visa']}{t['colon']}{visa}")
        if application.accommodation:
            out.append(f"{t['howto_accommodation']}{t['colon']}{application.accommodation[lang]}")
    for route in application.funding or []:
        out.append(f"{t['funding_' + route.route]}{t['colon']}{route.note[lang]}")
    return out
