"""Page rendering: the checked catalog turned into pages, one set per language.

One Jinja2 template per page kind renders the page's body as HTML from the
model; the language is a loop variable.  Author data is only ever passed *to*
templates as values, never rendered *as* a template, so ``{{ ... }}`` in a
course file is just text.  Every value printed by a template is escaped for
HTML (see :mod:`site_builder.text`) unless it is already safe markup made here.

A page is written for MkDocs as a small Markdown *shell* (front matter, the
title and the section headings, from which MkDocs makes the table of
contents) followed by the body HTML after :data:`BODY_MARKER`; the catalog
plugin hands MkDocs the body in place of the shell's HTML, so Python-Markdown
never parses the generated HTML.  Course pages also carry their search entries
(search_entries.py) and their reading-mode file (reading.py).

Stage: model -> pages.  No MkDocs here.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache

import jinja2
from markupsafe import Markup

from . import applications, atom, offerings, pathways, report, text
from .fingerprints import translation_gaps_of
from .jsonld import course_jsonld
from .labels import TEMPLATES, labels
from .model import Catalog
from .qr import QrCodes
from .compare import compare_data
from .reading import reading_language, reading_texts
from .search_entries import course_search_entries
from .urls import Pages

log = logging.getLogger(__name__)

#: Separates a generated page's Markdown shell from its body HTML.
BODY_MARKER = "<!-- catalog:body -->"


def _finalize(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return text.escape_html(value)


def _lang_of(value, lang: str) -> Markup:
    """` lang="en"` where the text shown in ``lang`` is another language's, still
    to be translated (screen readers and fonts then read it right), else ""."""
    written = value.written_in(lang) if hasattr(value, "written_in") else lang
    return Markup("") if written == lang else Markup(f' lang="{text.escape_html(written)}"')


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
    env.filters["markdown"] = text.description_html
    env.filters["lang_of"] = _lang_of
    env.filters["address"] = lambda url: url[len("mailto:"):].split("?")[0] if url.startswith("mailto:") else url
    env.filters["date"] = lambda d: d.isoformat() if isinstance(d, _dt.date) else d
    return env


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
    #: A course page's file for the saved list's comparison: (path, script text), or None.
    compare: tuple | None = None

    def source(self) -> str:
        """The file MkDocs reads: front matter, Markdown shell, then the body HTML."""
        front = {"title": html.escape(self.title), "description": html.escape(self.description),
                 # Our pages' search entries are made from the model (see search.py):
                 # Material's search plugin need not parse their HTML.
                 "search": {"exclude": True}}
        lines = ["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()),
                 "---", ""]
        for level, anchor, heading in self.headings:
            lines.append(f"{'#' * level} {text.escape_markdown(heading)} {{#{anchor}}}")
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
        return Markup(f'<h{level} id="{anchor}" data-pair="h-{anchor}"{lang_attr}>{text.escape_html(heading)}</h{level}>')


class Cards:
    """Course cards (the listing pages' entries), each made once for the pages
    that list it with the same link, and kept between builds (``stored``, by
    the fingerprint of the course's page in ``keys``: the card is made from the
    same inputs).  ``used`` holds this build's, for the caller to keep."""

    def __init__(self, stored: dict[str, str] | None = None, keys: dict[str, str] | None = None):
        self.stored = stored or {}
        self.keys = keys or {}
        self.used: dict[str, str] = {}

    def get(self, course, href: str, make) -> str:
        key = f"{self.keys.get(course.id, course.id)}|{href}"
        if key not in self.used:
            self.used[key] = self.stored.get(key) or str(make(course))
        return self.used[key]


def render_language(catalog: Catalog, lang: str, *, directory_urls: bool = True, site_url: str = "",
                    only_courses: set[str] | None = None, download: str | None = None,
                    qr_codes=None, listings: bool = True, gaps: dict | None = None,
                    pinyin=None, cards: Cards | None = None):
    """Every generated page of ``lang``, one at a time (course pages only for
    ``only_courses``, if given; the listing pages only if ``listings``): each can
    be written and dropped before the next.

    ``qr_codes`` (a :class:`QrCodes`) makes and remembers the pages' QR codes,
    ``pinyin`` (a :class:`Pinyin`) the glossaries' pinyin, ``cards`` (:class:`Cards`)
    the courses' cards."""
    languages = catalog.site_languages
    env = environment()
    pages = Pages(languages, directory_urls, site_url)
    qr_codes = qr_codes if qr_codes is not None else QrCodes()
    t = labels(languages)[lang]
    ordered = catalog.ordered_courses()
    dependents = catalog.all_dependents()  # once: per course it would cost O(n²)
    common = dict(lang=lang, other_langs=languages.others(lang), t=t, catalog=catalog,
                  pages=pages, default_lang=languages.default, language_name=languages.names[lang])
    today = catalog.build_date
    common.update(f=offerings.Formats(catalog, lang, t), state=lambda o: offerings.state(o, today),
                  card=lambda c: offerings.card(catalog, c, today),
                  application=lambda o: applications.resolve(catalog, o), answer_by=applications.answer_by,
                  needs=lambda o: offerings.needs(catalog, o),
                  living_costs=lambda o: offerings.living_costs(catalog, o))
    cards = cards if cards is not None else Cards()

    def render(template: str, page: str, title: str, description: str, **extra) -> Page:
        def link(target: str) -> Markup:
            return Markup(html.escape(pages.link(page, target)))

        def card_once(course, make) -> str:
            """A course's card (the macro ``make``), made once for all the pages
            that list it with the same link: the catalog and its category."""
            return cards.get(course, pages.link(page, pages.course(course.id)), make)

        heading = _Headings()
        body = env.get_template(template).render(**common, page=page, link=link, h=heading,
                                                 card_once=card_once, **extra)
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
        # Every run open for applications can be the "next intake": the first
        # is shown, or (learner.js) the first the reader's languages fit.
        open_runs = [o for o in offerings.upcoming(course, today) if offerings.can_apply(o, today)]
        other = reading_language(languages, lang)
        page = render("course.html.j2", here, course.title[lang],
                      course.summary[lang], course=course,
                      next=next_run, open_runs=open_runs,
                      apply_qrs={o.id: qr_codes.svg(o.apply, t["apply_qr_title"]) for o in open_runs[:1]},
                      upcoming=offerings.upcoming(course, today), past=offerings.past(course, today),
                      partners=offerings.partners(catalog, course),
                      ics=lambda o, c=course, here=here: pages.file_link(here, pages.calendar(c.id, o.id)),
                      course_ics=pages.file_link(here, pages.calendar(course.id)),
                      reading=pages.file_link(here, pages.reading(course.id)) if other else None,
                      reading_lang=other, reading_name=languages.name_in(other, lang) if other else "",
                      jsonld=course_jsonld(catalog, course, lang, pages, t),
                      qr=qr_codes.svg(pages.absolute(lang, pages.course(course.id)), t["qr_title"]),
                      dependents=dependents.get(course.id, []), glossary=_glossary(course, pinyin),
                      untranslated=[report.where(g.path, t) for g in gaps[course.id][lang]])
        page.compare = (pages.compare(course.id), compare_data(catalog, course, lang, pages, common["f"]))
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
           feed_version=FEED_VERSION, runs_feed=pages.file_link(home, atom.feed_path()))
    by_start = sorted(ordered, key=lambda c: offerings.sort_key(c, lang, catalog.build_date))
    feeds = atom.feeds_of(catalog, lang)
    yield render("catalog.html.j2", pages.catalog(), t["catalog_title"], t["catalog_intro"],
           courses=by_start, filters=_filters(catalog, ordered, lang, t),
           feeds=[(pages.file_link(pages.catalog(), path), title, kind) for path, title, kind in feeds])
    for category_id, category in catalog.categories.items():
        here = pages.category(category_id)
        path = atom.feed_path("category", category_id)
        yield render("category.html.j2", here, category.name[lang],
               category.description[lang], category=category,
               courses=catalog.in_category(category_id),
               pathway=pathways.svg(catalog, category_id, lang,
                                    t["pathway_svg_title"].replace("{name}", category.name[lang])),
               feed=pages.file_link(here, path) if any(p == path for p, _, _ in feeds) else None)
    saved = pages.saved()
    yield render("saved.html.j2", saved, t["saved_title"], t["saved_intro"],
                 compare_base=pages.file_link(saved, "compare/"), root=pages.file_link(saved, ""),
                 page_script=pages.site_file(lang, saved, "assets/javascripts/saved-page.js"))
    yield render("status.html.j2", pages.status(), t["status_title"], t["status_intro"],
                 languages=list(catalog.site_languages),
                 rows=[{"course": c, "gaps": gaps[c.id]} for c in ordered],
                 complete=sum(1 for c in ordered if not any(gaps[c.id].values())))


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


def _glossary(course, pinyin) -> list[dict]:
    return [{"zh": term.zh, "en": term.en, "pinyin": pinyin(term.zh)} for term in course.glossary]
