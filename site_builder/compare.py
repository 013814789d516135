"""A course's facts for the saved list and its comparison (learner.js): a
small script per course and language, loaded only when the learner's saved
page asks for it (a script, so that it loads from the offline copy too).

Stage: model -> pages.  No MkDocs here.
"""

from __future__ import annotations

import json

from . import offerings


def compare_data(catalog, course, lang: str, pages, formats) -> str:
    """``ccCompare({...});``: what the comparison shows of ``course`` in ``lang``:
    level, hours, languages, outcomes, and each run still open for applications
    (dates, place, fee, deadline, and what it asks in each language)."""
    today = catalog.build_date
    runs = [{"dates": formats.dates(o), "place": formats.place(o), "fee": formats.fee(o),
             "deadline": formats.date(o.deadline), "d": o.deadline.isoformat(),
             "need": offerings.needs(catalog, o), "i": 1 if o.interpretation else 0}
            for o in offerings.upcoming(course, today) if offerings.can_apply(o, today)]
    data = {"id": course.id, "code": course.code, "title": course.title[lang],
            "url": pages.url(pages.course(course.id)),
            "level": catalog.levels[course.level].name[lang], "hours": course.hours,
            "languages": formats.t["list_sep"].join(catalog.languages[l].name[lang]
                                                    for l in course.instruction_languages
                                                    if l in catalog.languages),
            "outcomes": [o[lang] for o in course.outcomes], "runs": runs}
    literal = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Inert inside a script whatever the texts hold: no "</script", no line separators.
    literal = literal.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"ccCompare({literal});\n"
