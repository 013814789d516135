"""schema.org JSON-LD of a course page: the Course and its upcoming
CourseInstances, for search engines and other readers of the page.

Stage: model -> pages.  No MkDocs here.
"""

from __future__ import annotations

from markupsafe import Markup

from . import applications, offerings, text
from .urls import Pages


def course_jsonld(catalog, course, lang: str, pages: Pages, t: dict) -> Markup:
    """schema.org Course, as a <script> body that no text can break out of."""
    def url(course_id: str) -> str:
        return pages.absolute(lang, pages.course(course_id))

    formats = offerings.Formats(catalog, lang, t)

    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "@id": url(course.id),
        "url": url(course.id),
        "courseCode": course.code,
        "name": course.title[lang],
        "description": course.summary[lang],
        "inLanguage": list(course.instruction_languages),
        "educationalLevel": catalog.levels[course.level].name[lang],
        "teaches": [outcome[lang] for outcome in course.outcomes],
        "provider": {"@type": "EducationalOrganization", "name": t["provider_name"]},
        "coursePrerequisites": [
            {"@type": "Course", "courseCode": catalog.courses[p].code,
             "name": catalog.courses[p].title[lang], "url": url(p)}
            for p in course.prerequisites if p in catalog.courses],
        "hasCourseInstance": [_course_instance(catalog, course, o, lang, url(course.id), t, formats)
                              for o in offerings.upcoming(course, catalog.build_date)
                              if o.status != "cancelled"] or {
            "@type": "CourseInstance",
            "courseMode": _COURSE_MODE[course.delivery],
            "courseWorkload": f"PT{course.hours}H",
        },
        "dateModified": course.updated.isoformat(),
    }
    routes = {route.route for o in offerings.upcoming(course, catalog.build_date) if o.status != "cancelled"
              for route in (applications.resolve(catalog, o) or {}).get("funding") or []}
    if routes:
        data["financialAidEligible"] = [t["funding_" + r] for r in ("scholarship", "sponsor", "free") if r in routes]
    if course.certification and course.certification[lang]:
        data["educationalCredentialAwarded"] = course.certification[lang]
    return Markup(text.script_json(data))


_COURSE_MODE = {"onsite": "Onsite", "online": "Online", "blended": "Blended"}


def _course_instance(catalog, course, offering, lang: str, page_url: str, t: dict, formats) -> dict:
    """schema.org CourseInstance of one upcoming run."""
    venue = catalog.venues.get(offering.venue) if offering.venue else None
    if venue is not None:
        region = catalog.regions.get(venue.region)
        address = {"@type": "PostalAddress", "addressLocality": venue.city[lang]}
        if region is not None:
            address["addressCountry"] = region.country or region.name[lang]
        location = {"@type": "Place", "name": venue.name[lang], "address": address}
    else:
        location = {"@type": "VirtualLocation", "name": offering.timezone}
    fee = offering.fee
    offer = {"@type": "Offer", "category": "Paid" if fee.type == "paid" else "Free",
             "price": str(fee.amount) if fee.type == "paid" else "0",
             "validThrough": offering.deadline.isoformat()}
    if fee.type == "paid":
        offer["priceCurrency"] = fee.currency
    if offering.apply:
        offer["url"] = offering.apply
    application = applications.resolve(catalog, offering)
    if application is not None:
        offer["description"] = "\n".join(applications.lines(offering, application, lang, t, formats))
    offer["availability"] = ("https://schema.org/InStock"
                             if offerings.can_apply(offering, catalog.build_date)
                             else "https://schema.org/SoldOut")
    return {
        "@type": "CourseInstance",
        "@id": f"{page_url}#offering-{offering.id}",
        "courseMode": _COURSE_MODE[offering.delivery],
        "courseWorkload": f"PT{course.hours}H",
        "startDate": offering.start.isoformat(),
        "endDate": offering.end.isoformat(),
        "location": location,
        "inLanguage": list(offering.instruction_languages),
        "maximumAttendeeCapacity": offering.seats,
        "offers": offer,
    }
