"""The search entries of a course page, one per section, made from the model
(search.py adds them to each language's index in place of Material parsing
the page's HTML).

Stage: model -> pages.  No MkDocs here.
"""

from __future__ import annotations

import html
import re

from . import offerings, text
from .labels import labels
from .urls import Pages


def course_search_entries(catalog, course, lang: str, pages: Pages, headings, dependents,
                          pinyin) -> list:
    """The search entries of a course page, one per section, from the model:
    (location, title, text), text as plain text (HTML-escaped, as Material shows it)."""
    from .search import plain_text

    def names(table, ids) -> str:
        return ", ".join(table[i].name[lang] for i in ids if i in table)

    location = pages.url(pages.course(course.id))
    level = catalog.levels.get(course.level)
    t = labels(catalog.site_languages)[lang]
    formats = offerings.Formats(catalog, lang, t)
    runs = offerings.upcoming(course, catalog.build_date)
    nxt = offerings.next_run(course, catalog.build_date)
    # What a result shows, most useful first, each fact set apart: the summary,
    # the next start with its place and fee, then what else finds the course.
    facts = [course.summary[lang],
             f"{t['card_next']}{t['colon']}{formats.date(nxt.start)} · {formats.place(nxt)} · {formats.fee(nxt)}"
             if nxt else "",
             *(course.title[o] for o in catalog.site_languages.others(lang)),
             catalog.categories[course.category].name[lang] if course.category in catalog.categories else "",
             level.name[lang] if level else "", names(catalog.languages, course.instruction_languages),
             names(catalog.regions, course.regions or [])]
    sections = {
        "dates": " ".join([*(f"{formats.dates(o)} {formats.place(o)} {formats.languages(o)} {formats.fee(o)}"
                             for o in runs), course.requirements[lang], course.contact.name[lang]]),
        "description": plain_text(str(text.description_html(course.description[lang]))),
        "audience": course.audience[lang],
        "outcomes": " ".join(o[lang] for o in course.outcomes),
        "modules": " ".join(f"{m.title[lang]} " + " ".join(tp[lang] for tp in m.topics)
                            for m in course.modules),
        "assessment": " ".join(a.method[lang] for a in course.assessment),
        "certification": course.certification[lang] if course.certification else "",
        "prerequisites": " ".join(f"{catalog.courses[p].title[lang]} ({catalog.courses[p].code})"
                                  for p in course.prerequisites if p in catalog.courses),
        "dependents": " ".join(f"{d.title[lang]} ({d.code})" for d in dependents),
        "partners": names(catalog.partners, course.partners or []),
        "glossary": t["entry_sep"].join(t["glossary_entry"].replace("{zh}", g.zh).replace("{pinyin}", pinyin(g.zh))
                                        .replace("{en}", g.en) for g in course.glossary or []),
    }

    def plain(value: str) -> str:  # runs of HTML white space are one space, as shown
        return html.escape(_HTML_SPACE.sub(" ", value).strip(" "), quote=False)

    entries = [(location, plain(f"{course.title[lang]} · {course.code}"),
                plain(" · ".join(f for f in facts if f)))]
    for level_, anchor, heading in headings:
        if level_ == 2 and anchor in sections:
            entries.append((f"{location}#{anchor}", plain(heading), plain(sections[anchor])))
    return entries


_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
