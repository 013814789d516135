"""Stage 2: turn the checked catalog into pages, one set per language.

One Jinja2 template per page kind renders the page's body as HTML from the
model; the language is a loop variable.  Author data is only ever passed *to*
templates as values, never rendered *as* a template, so ``{{ ... }}`` in a
course file is just text.  Every value printed by a template is escaped (see
:mod:`site_builder.text`) unless it is already safe markup produced here.

A page is written for MkDocs as a small Markdown *shell* (front matter, the
title and the section headings, from which MkDocs makes the table of
contents) followed by the body HTML after :data:`BODY_MARKER`; the catalog
plugin hands MkDocs the body in place of the shell's HTML, so Python-Markdown
never parses the generated HTML.  Course pages also carry their search entries,
one per section, made from the model.  No MkDocs here.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import html
import json
import logging
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from . import caches, offerings, text
from .model import Catalog
from . import report
from .report import translation_gaps
from .settings import SiteLanguages

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"

#: Separates a generated page's Markdown shell from its body HTML.
BODY_MARKER = "<!-- catalog:body -->"


# ---------------------------------------------------------------------------
# Interface labels and the template environment
# ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _label_table() -> dict:
    return yaml.safe_load((TEMPLATES / "labels.yml").read_text(encoding="utf-8"))


def labels(languages: SiteLanguages) -> dict[str, dict[str, str]]:
    """The interface translation table: ``labels(languages)[lang][key]``.

    A label missing in a language falls back to the default language's (see
    :func:`missing_labels`, which the build reports as a warning)."""
    return _labels(languages.codes, languages.default)


@lru_cache(maxsize=8)
def _labels(codes: tuple, default: str) -> dict:
    table = _label_table()
    return {lang: {key: row.get(lang) or row.get(default) or "" for key, row in table.items()}
            for lang in codes}


def missing_labels(languages: SiteLanguages) -> dict[str, list[str]]:
    """Language -> the interface labels not translated into it (shown in the default language)."""
    table = _label_table()
    out = {}
    for lang in languages:
        keys = [key for key, row in table.items() if not row.get(lang)]
        if keys:
            out[lang] = keys
    return out


def _finalize(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return text.escape(value)


@lru_cache(maxsize=4)
def _description_html(markdown_text: str) -> Markup:
    """An author's Markdown as safe HTML (a course's page and its search entry both
    need it, one after the other; a larger cache would only flatter the benchmark,
    whose synthetic courses repeat texts)."""
    return text.markdown_to_html(markdown_text)


def _lang_of(value, lang: str) -> Markup:
    """` lang="en"` where the text shown in ``lang`` is another language's, still
    to be translated (screen readers and fonts then read it right), else ""."""
    written = value.written_in(lang) if hasattr(value, "written_in") else lang
    return Markup("") if written == lang else Markup(f' lang="{text.escape(written)}"')


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,  # our own escape runs on every {{ }} through finalize
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = _description_html
    env.filters["lang_of"] = _lang_of
    env.filters["address"] = lambda url: url[len("mailto:"):].split("?")[0] if url.startswith("mailto:") else url
    env.filters["date"] = lambda d: d.isoformat() if isinstance(d, _dt.date) else d
    return env


# ---------------------------------------------------------------------------
# Where pages live
# ---------------------------------------------------------------------------

def relative_url(source: str, target: str) -> str:
    """Relative link between two site-relative URLs (``courses/x/``, ``index.html``)."""
    base = source.rstrip("/") if (source == "" or source.endswith("/")) else posixpath.dirname(source)
    rel = posixpath.relpath(target.rstrip("/") or ".", base or ".")
    if target == "" or target.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel


class Pages:
    """Where each page lives, as a path relative to its language folder."""

    def __init__(self, languages: SiteLanguages, directory_urls: bool = True, site_url: str = ""):
        self.languages = languages
        self.directory_urls = directory_urls
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""

    def site_file(self, lang: str, page: str, path: str) -> str:
        """Relative URL from ``page`` (in ``lang``) to a file at the site's root."""
        here = self.languages.prefix(lang) + self.url(page)
        base = here.rstrip("/") if (here == "" or here.endswith("/")) else posixpath.dirname(here)
        return posixpath.relpath(path, base or ".")

    def absolute(self, lang: str, page: str) -> str:
        """The published URL of ``page`` in ``lang`` (for QR codes, JSON-LD, the sitemap)."""
        return self.site_url + self.languages.prefix(lang) + self.url(page)

    @staticmethod
    def home() -> str:
        return "index.md"

    @staticmethod
    def catalog() -> str:
        return "catalog.md"

    @staticmethod
    def category(category_id: str) -> str:
        return f"categories/{category_id}.md"

    @staticmethod
    def course(course_id: str) -> str:
        return f"courses/{course_id}.md"

    @staticmethod
    def status() -> str:
        return "status.md"

    @staticmethod
    def reading(course_id: str) -> str:
        """The file a course page's reading mode loads: the texts of another
        language, as a script (a page opened from a folder may load scripts,
        not JSON)."""
        return f"reading/{course_id}.js"

    @staticmethod
    def calendar(course_id: str | None = None, offering_id: str | None = None) -> str:
        """A calendar file in the language's folder: every upcoming run of the
        catalog, of one course, or one run."""
        from .settings import CALENDARS_DIR

        if course_id is None:
            return "calendar.ics"
        return f"{CALENDARS_DIR}/{course_id}/{offering_id}.ics" if offering_id else f"{CALENDARS_DIR}/{course_id}.ics"

    def file_link(self, source: str, target: str) -> str:
        """Relative URL from page ``source`` to the file ``target`` of the same language."""
        return relative_url(self.url(source), target)

    def all(self, catalog: Catalog) -> list[str]:
        """Every generated page, in a fixed order."""
        return [self.home(), self.catalog(), self.status(),
                *(self.category(c) for c in catalog.categories),
                *(self.course(c.id) for c in catalog.ordered_courses())]

    def url(self, page: str) -> str:
        """The site-relative URL MkDocs gives the page ``page`` (in its language folder)."""
        stem = page[: -len(".md")]
        if stem == "index" or stem.endswith("/index"):
            stem = stem[: -len("index")]
            return stem + ("" if self.directory_urls else "index.html")
        return stem + ("/" if self.directory_urls else ".html")

    def link(self, source: str, target: str) -> str:
        """Relative URL from page ``source`` to page ``target``."""
        return relative_url(self.url(source), self.url(target))


# ---------------------------------------------------------------------------
# A generated page
# ---------------------------------------------------------------------------

@dataclass
class Page:
    """One generated page of one language."""

    #: Path in the language's folder of docs/, e.g. ``courses/x.md``.
    path: str
    title: str
    description: str
    #: The page body as HTML, headings included.
    body: str
    #: (level, id, text) of each heading of the body, in order.
    headings: list = field(default_factory=list)
    #: Search entries (location, title, text) from the model; listing pages have none.
    search: list = field(default_factory=list)
    #: A course page's reading-mode file: (path in the language's folder, JSON text), or None.
    reading: tuple | None = None

    def source(self) -> str:
        """The file MkDocs reads: front matter, Markdown shell, then the body HTML."""
        front = {"title": html.escape(self.title), "description": html.escape(self.description),
                 # Our pages' search entries are made from the model (see search.py):
                 # Material's search plugin need not parse their HTML.
                 "search": {"exclude": True}}
        lines = ["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()),
                 "---", ""]
        for level, anchor, heading in self.headings:
            lines.append(f"{'#' * level} {text.escape(heading)} {{#{anchor}}}")
            lines.append("")
        return "\n".join(lines) + BODY_MARKER + "\n" + self.body


def split_source(markdown: str) -> tuple[str, str | None]:
    """(Markdown shell, body HTML or None) of a page's Markdown as MkDocs read it."""
    shell, marker, body = markdown.partition(BODY_MARKER)
    if not marker:
        return markdown, None
    return shell, body[1:] if body.startswith("\n") else body


class _Headings:
    """``h(level, id, text)`` in templates: prints a heading and records it for the shell."""

    def __init__(self):
        self.items: list[tuple[int, str, str]] = []

    def __call__(self, level: int, anchor: str, heading, lang_attr: str = "") -> Markup:
        self.items.append((level, anchor, str(heading)))
        return Markup(f'<h{level} id="{anchor}" data-pair="h-{anchor}"{lang_attr}>{text.escape(heading)}</h{level}>')


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

def render_language(catalog: Catalog, lang: str, *, directory_urls: bool = True, site_url: str = "",
                    only_courses: set[str] | None = None, download: str | None = None,
                    qr_codes=None, listings: bool = True, gaps: dict | None = None,
                    pinyin=None):
    """Every generated page of ``lang``, one at a time (course pages only for
    ``only_courses``, if given; the listing pages only if ``listings``): each can
    be written and dropped before the next.

    ``qr_codes`` (a :class:`QrCodes`) makes and remembers the pages' QR codes,
    ``pinyin`` (a :class:`Pinyin`) the glossaries' pinyin."""
    languages = catalog.site_languages
    env = environment()
    pages = Pages(languages, directory_urls, site_url)
    qr_codes = qr_codes if qr_codes is not None else QrCodes()
    t = labels(languages)[lang]
    ordered = catalog.ordered_courses()
    dependents = _dependents(ordered)  # once: per course it would cost O(n²)
    common = dict(lang=lang, other_langs=languages.others(lang), t=t, catalog=catalog,
                  pages=pages, default_lang=languages.default, language_name=languages.names[lang])
    today = catalog.build_date
    common.update(f=offerings.Formats(catalog, lang, t), state=lambda o: offerings.state(o, today),
                  card=lambda c: offerings.card(catalog, c, today))
    def render(template: str, page: str, title: str, description: str, **extra) -> Page:
        def link(target: str) -> Markup:
            return Markup(html.escape(pages.link(page, target)))

        heading = _Headings()
        body = env.get_template(template).render(**common, page=page, link=link, h=heading, **extra)
        return Page(page, title, description, body, heading.items)

    if gaps is None:
        gaps = translation_gaps_of(catalog)
    if pinyin is None:
        from .pinyin import Pinyin, Readings
        from .search import Segmenter, catalog_vocabulary

        pinyin = Pinyin(Segmenter(catalog_vocabulary(catalog)), Readings.of_catalog(catalog))
    if listings:
        yield from _listing_pages(render, catalog, lang, pages, t, ordered, download, gaps)
    for course in ordered:
        if only_courses is not None and course.id not in only_courses:
            continue
        here = pages.course(course.id)
        next_run = offerings.next_to_apply(course, today)
        other = reading_language(languages, lang)
        page = render("course.html.j2", here, course.title[lang],
                      course.summary[lang], course=course,
                      next=next_run,
                      apply_qr=qr_codes.svg(next_run.apply, t["apply_qr_title"]) if next_run else "",
                      upcoming=offerings.upcoming(course, today), past=offerings.past(course, today),
                      partners=offerings.partners(catalog, course),
                      ics=lambda o, c=course, here=here: pages.file_link(here, pages.calendar(c.id, o.id)),
                      course_ics=pages.file_link(here, pages.calendar(course.id)),
                      reading=pages.file_link(here, pages.reading(course.id)) if other else None,
                      reading_lang=other, reading_name=languages.name_in(other, lang) if other else "",
                      jsonld=_jsonld(catalog, course, lang, pages, t),
                      qr=qr_codes.svg(pages.absolute(lang, pages.course(course.id)), t["qr_title"]),
                      dependents=dependents.get(course.id, []), glossary=_glossary(course, pinyin),
                      untranslated=[report.where(g.path, t) for g in gaps[course.id][lang]])
        page.search = course_search_entries(catalog, course, lang, pages, page.headings,
                                            dependents.get(course.id, []), pinyin)
        if other:
            page.reading = (pages.reading(course.id),
                            reading_texts(catalog, course, lang, other, page.headings, pinyin))
        yield page


#: How many upcoming intakes the home page lists.
INTAKES_ON_HOME = 8


def _listing_pages(render, catalog, lang, pages, t, ordered, download, gaps):
    """The pages that list courses: home, catalog, categories, translation status."""
    from .settings import FEED_FILE, FEED_SCHEMA_FILE, FEED_VERSION

    home = pages.home()
    yield render("home.html.j2", home, t["home_title"], t["home_intro"], courses=ordered,
           download=Markup(html.escape(pages.site_file(lang, home, download)))
           if download else None,
           intakes=offerings.intakes(catalog, catalog.build_date, INTAKES_ON_HOME),
           calendar=pages.file_link(home, pages.calendar()),
           feed=pages.site_file(lang, home, FEED_FILE), feed_schema=pages.site_file(lang, home, FEED_SCHEMA_FILE),
           feed_version=FEED_VERSION)
    by_start = sorted(ordered, key=lambda c: offerings.sort_key(c, lang, catalog.build_date))
    yield render("catalog.html.j2", pages.catalog(), t["catalog_title"], t["catalog_intro"],
           courses=by_start, filters=_filters(catalog, ordered, lang, t))
    for category_id, category in catalog.categories.items():
        yield render("category.html.j2", pages.category(category_id), category.name[lang],
               category.description[lang], category=category,
               courses=catalog.in_category(category_id))
    yield render("status.html.j2", pages.status(), t["status_title"], t["status_intro"],
                 languages=list(catalog.site_languages),
                 rows=[{"course": c, "gaps": gaps[c.id]} for c in ordered],
                 complete=sum(1 for c in ordered if not any(gaps[c.id].values())))


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
        "description": plain_text(str(_description_html(course.description[lang]))),
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


def reading_language(languages: SiteLanguages, lang: str) -> str | None:
    """The language a page's reading mode shows beside ``lang``: the default
    language, or on its pages the next one (None for a one-language site)."""
    if lang != languages.default:
        return languages.default
    others = languages.others(lang)
    return others[0] if others else None


def reading_texts(catalog, course, lang: str, other: str, headings, pinyin) -> str:
    """The reading-mode file of a course page in ``lang``: each paired text
    (data-pair in course.html.j2) in ``other``, and its pinyin when ``other``
    is written in Chinese characters.  A script that hands its data (a JSON
    literal, nothing else) to catalog.js: ``ccReading({...});``."""
    t, t_other = labels(catalog.site_languages)[lang], labels(catalog.site_languages)[other]
    by_label = {value: key for key, value in t.items()}
    texts = {"h-title": course.title[other], "summary": course.summary[other],
             "audience": course.audience[other], "requirements": course.requirements[other],
             "certification": course.certification[other]}
    for level, anchor, heading in headings:
        key = by_label.get(heading)
        if level == 2 and key:
            texts[f"h-{anchor}"] = t_other[key]
    for i, outcome in enumerate(course.outcomes):
        texts[f"outcome-{i}"] = outcome[other]
    for i, module in enumerate(course.modules):
        texts[f"module-{i}"] = module.title[other]
        for j, topic in enumerate(module.topics):
            texts[f"topic-{i}-{j}"] = topic[other]
    for i, item in enumerate(course.assessment):
        texts[f"method-{i}"] = item.method[other]
    data = {"lang": other, "texts": texts}
    if catalog.site_languages.script(other) in ("Hans", "Hant", "Hani"):
        data["pinyin"] = {key: pinyin.heading(value) for key, value in texts.items()}
    literal = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Inert inside a script whatever the texts hold: no "</script", no line separators.
    literal = literal.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"ccReading({literal});\n"


def _dependents(ordered) -> dict[str, list]:
    """Course id -> the courses listing it as a prerequisite, in catalog order
    (what ``Catalog.dependents`` gives, for every course in one pass)."""
    out: dict[str, list] = {}
    for course in ordered:
        for pre in dict.fromkeys(course.prerequisites or []):
            out.setdefault(pre, []).append(course)
    return out


def _filters(catalog, courses, lang: str, t: dict) -> list[tuple]:
    """(card attribute, label, [(value, name)]) for each catalog filter.

    Only values some course uses are offered, in the shared tables' order.
    """
    def used(table: dict, values) -> list[tuple[str, str]]:
        present = set(values)
        return [(key, row.name[lang]) for key, row in table.items() if key in present]

    return [
        ("category", t["category"], used(catalog.categories, (c.category for c in courses))),
        ("level", t["level"], used(catalog.levels, (c.level for c in courses))),
        ("delivery", t["delivery"], [(d, t["delivery_" + d]) for d in ("onsite", "online", "blended")
                                     if any(c.delivery == d for c in courses)]),
        ("languages", t["instruction_languages"],
         used(catalog.languages, (l for c in courses for l in c.instruction_languages))),
        ("open", t["filter_open"], [("yes", t["filter_open_yes"])]),
        ("within", t["filter_within"], [(str(m), t[f"within_{m}"]) for m in offerings.WITHIN_MONTHS]),
        ("countries", t["filter_place"],
         used(catalog.regions, (r for c in courses for r in offerings.countries(catalog, c, catalog.build_date)))),
    ]


def _jsonld(catalog, course, lang: str, pages: Pages, t: dict) -> Markup:
    """schema.org Course, as a <script> body that no text can break out of."""
    def url(course_id: str) -> str:
        return pages.absolute(lang, pages.course(course_id))

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
        "hasCourseInstance": [_course_instance(catalog, course, o, lang, url(course.id))
                              for o in offerings.upcoming(course, catalog.build_date)
                              if o.status != "cancelled"] or {
            "@type": "CourseInstance",
            "courseMode": _COURSE_MODE[course.delivery],
            "courseWorkload": f"PT{course.hours}H",
        },
        "dateModified": course.updated.isoformat(),
    }
    if course.certification and course.certification[lang]:
        data["educationalCredentialAwarded"] = course.certification[lang]
    return Markup(text.script_json(data))


_COURSE_MODE = {"onsite": "Onsite", "online": "Online", "blended": "Blended"}


def _course_instance(catalog, course, offering, lang: str, page_url: str) -> dict:
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


class QrCodes:
    """QR codes of page URLs as inline SVG (no image request, prints sharply).

    segno makes them through its documented ``make`` and ``svg_inline``; a code
    depends only on its URL and title, so codes are kept in a cache file that
    later builds reuse (``load``/``save``)."""

    VERSION = "segno-1"  # part of the cache key: change it when the options change

    def __init__(self, path: Path | None = None):
        self.path = path
        self.codes: dict[str, str] = caches.load(path, self.VERSION)
        self.added = False

    def svg(self, url: str, title: str) -> Markup:
        if not url.startswith(("http://", "https://", "mailto:")):
            return Markup("")
        key = hashlib.sha256(f"{url}\0{title}".encode("utf-8")).hexdigest()
        code = self.codes.get(key)
        if code is None:
            import segno

            code = segno.make(url, error="m").svg_inline(scale=3, border=2, title=title,
                                                         svgclass="cc-qr__code", lineclass=None)
            self.codes[key] = code
            self.added = True
        return Markup(code)

    def save(self) -> None:
        """Write the cache back if codes were added."""
        if self.added:
            caches.save(self.path, self.VERSION, self.codes)


def _glossary(course, pinyin) -> list[dict]:
    return [{"zh": term.zh, "en": term.en, "pinyin": pinyin(term.zh)} for term in course.glossary]


# ---------------------------------------------------------------------------
# What each course page is rendered from, for rebuilding only changed pages
# ---------------------------------------------------------------------------

def _per_course(catalog: Catalog, make, memo: dict | None) -> dict:
    """Course id -> ``make(course)``; ``memo`` (kept by the preview across saves)
    remembers each result while the course is the same object as before (the
    reader's cache gives unchanged files' courses back)."""
    out = {}
    for cid, course in catalog.courses.items():
        known = memo.get(id(course)) if memo is not None else None
        if known is not None and known[0] is course:
            out[cid] = known[1]
            continue
        out[cid] = make(course)
        if memo is not None:
            memo[id(course)] = (course, out[cid])
    if memo is not None:
        for stale in set(memo) - {id(c) for c in catalog.courses.values()}:
            del memo[stale]
    return out


def translation_gaps_of(catalog: Catalog, memo: dict | None = None) -> dict:
    """Course id -> its translation gaps per language (report.translation_gaps)."""
    return _per_course(catalog, lambda c: translation_gaps(c, catalog.site_languages), memo)


def listing_fingerprint(catalog: Catalog, lang: str, *, directory_urls: bool, site_url: str,
                        download: str | None, gaps: dict | None = None) -> str:
    """Digest of everything the listing pages of ``lang`` show (each course's
    card, its translation gaps, the shared tables, the options): while it is
    unchanged, they are not rendered again (an edited description does not
    change them)."""
    languages = catalog.site_languages
    gaps = gaps if gaps is not None else translation_gaps_of(catalog)
    cards = [(c.id, c.code, c.title, c.summary, c.category, c.level, c.hours, c.delivery,
              c.instruction_languages, c.regions, c.offerings, repr(gaps[c.id]))
             for c in catalog.ordered_courses()]
    return hashlib.sha256(_code_digest() + _digest([
        cards, catalog.categories, catalog.levels, catalog.languages, catalog.regions,
        catalog.venues, catalog.build_date,
        directory_urls, site_url, lang, download, repr(languages)])).hexdigest()


def course_digests(catalog: Catalog, memo: dict | None = None) -> dict[str, bytes]:
    """Course id -> digest of the course itself (its text and translation gaps)."""
    languages = catalog.site_languages
    return _per_course(catalog, lambda c: _digest([c, repr(translation_gaps(c, languages))]), memo)


def _digest(value) -> bytes:
    return hashlib.sha256(json.dumps(value, default=repr, sort_keys=True,
                                     ensure_ascii=False).encode("utf-8")).digest()


def fingerprints(catalog: Catalog, lang: str, *, directory_urls: bool = True,
                 site_url: str = "", digests: dict | None = None) -> dict[str, str]:
    """Course id -> digest of everything its page in ``lang`` is rendered from:
    the course, its prerequisites and dependents, the shared tables, the site's
    languages, the page options and this package's code and templates.  A
    course whose digest is unchanged since the last build keeps its page
    without rendering it."""
    languages = catalog.site_languages
    common = hashlib.sha256(_code_digest())
    common.update(_digest([catalog.categories, catalog.levels, catalog.languages, catalog.regions,
                          catalog.partners, catalog.venues, catalog.build_date,
                          catalog.terms, directory_urls, site_url, lang,
                          repr(languages)]))
    own = course_digests(catalog) if digests is None else digests
    dependents = _dependents(catalog.ordered_courses())
    out = {}
    for cid, course in catalog.courses.items():
        h = common.copy()
        h.update(own[cid])
        for other in [*(course.prerequisites or []), "|", *(d.id for d in dependents.get(cid, []))]:
            h.update(own.get(other, other.encode("utf-8")))
        out[cid] = h.hexdigest()
    return out


@lru_cache(maxsize=1)
def _code_digest() -> bytes:
    h = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *TEMPLATES.glob("*")]):
        if path.is_file():
            h.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return h.digest()
