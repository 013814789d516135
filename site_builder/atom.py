"""Stage 3, beside the calendars: Atom feeds of the catalog's runs, for
learners who follow new runs in a feed reader (RFC 4287, written by feedgen).

Per language, in that language's folder: one feed of every run that has not
ended, one per category and one per place (a country, or online), each of the
:data:`MAX_ENTRIES` runs changed most recently.  An entry is
one run; its ``updated`` is the day its course file was last changed
(``updated:``), so a reader shows new runs and changed ones.  Every text an
author wrote goes out as plain text (``type="text"``): nothing in a feed can
run in a reader.

Pure functions from the checked model to bytes (:func:`feed_files`); no MkDocs
here.  Deterministic: the build date is the only clock, every list is sorted.
"""

from __future__ import annotations

import datetime as _dt
from urllib.parse import urlsplit

from . import offerings
from .labels import labels
from .urls import Pages

#: The folder of each language's feeds, and the name of the feed of every run.
FEEDS_DIR = "feeds"
ALL_RUNS = "runs.xml"
#: The most entries a feed holds: the runs changed most recently.
MAX_ENTRIES = 200
#: The date in the feeds' tag URIs (RFC 4151): fixed, so that ids never change.
TAG_DATE = "2026"
#: The host in tag URIs when the site has no address (mkdocs.yml site_url).
TAG_HOST = "course-catalog.invalid"


def feed_path(kind: str | None = None, key: str | None = None) -> str:
    """A feed's path in a language's folder: every run, or one category's or place's."""
    return f"{FEEDS_DIR}/{ALL_RUNS}" if kind is None else f"{FEEDS_DIR}/{kind}/{key}.xml"


def feeds_of(catalog, lang: str) -> list[tuple[str, str, str]]:
    """(path, title, kind) of every feed of ``lang``: every run, each category
    with a course, each place with a run (kind: "", "category", "place")."""
    t = labels(catalog.site_languages)[lang]
    today = catalog.build_date
    out = [(feed_path(), t["feed_all_runs"], "")]
    used = {c.category for c in catalog.courses.values()}
    out += [(feed_path("category", cid), category.name[lang], "category")
            for cid, category in catalog.categories.items() if cid in used]
    places = {offerings.place(catalog, o) for c in catalog.courses.values() for o in _runs(c, today)}
    out += [(feed_path("place", rid), region.name[lang], "place")
            for rid, region in catalog.regions.items() if rid in places]
    if offerings.ONLINE in places:
        out.append((feed_path("place", offerings.ONLINE), t["delivery_online"], "place"))
    return out


def _runs(course, today: _dt.date) -> list:
    """The runs a feed lists: every run that has not ended (cancelled ones too: a change to know of)."""
    return offerings.upcoming(course, today)


def feed_files(catalog, pages: Pages, lang: str) -> dict[str, bytes]:
    """The feeds of ``lang``: path in the language's folder -> Atom XML."""
    today = catalog.build_date
    t = labels(catalog.site_languages)[lang]
    formats = offerings.Formats(catalog, lang, t)
    entries = [(course, o) for course in catalog.ordered_courses() for o in _runs(course, today)]
    files = {}
    for path, title, kind in feeds_of(catalog, lang):
        key = path.rsplit("/", 1)[-1].removesuffix(".xml")
        chosen = [(c, o) for c, o in entries
                  if not kind or (kind == "category" and c.category == key)
                  or (kind == "place" and offerings.place(catalog, o) == key)]
        name = t["feed_all_runs"] if not kind else t["feed_runs_in"].replace("{name}", title)
        files[path] = _feed(catalog, pages, lang, t, formats, path, name, chosen)
    return files


def _tag(pages: Pages, *parts: str) -> str:
    host = urlsplit(pages.site_url).hostname or TAG_HOST
    return f"tag:{host},{TAG_DATE}:" + "/".join(parts)


def _midnight(day: _dt.date) -> _dt.datetime:
    return _dt.datetime.combine(day, _dt.time(0, 0), tzinfo=_dt.timezone.utc)


def _feed(catalog, pages: Pages, lang: str, t: dict, formats, path: str, name: str, runs: list) -> bytes:
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(_tag(pages, lang, path))
    fg.title(f"{name} · {t['site_name']}")
    fg.subtitle(t["feed_subtitle"])
    fg.author({"name": t["provider_name"]})
    fg.language(lang)
    fg.generator("site_builder")
    catalog_url = pages.absolute(lang, pages.catalog())
    if catalog_url:
        fg.link(href=catalog_url, rel="alternate", type="text/html")
        fg.link(href=pages.absolute_file(lang, path), rel="self", type="application/atom+xml")
    # Newest change first; the order of the catalog within a day.
    ordered = sorted(runs, key=lambda run: run[0].updated, reverse=True)[:MAX_ENTRIES]
    for course, o in reversed(ordered):  # feedgen puts each new entry first
        _entry(fg.add_entry(), catalog, course, o, lang, pages, t, formats)
    fg.updated(_midnight(max((c.updated for c, _ in ordered), default=catalog.build_date)))
    return fg.atom_str(pretty=True)


def _entry(fe, catalog, course, o, lang: str, pages: Pages, t: dict, formats) -> None:
    state = offerings.state(o, catalog.build_date)
    fe.id(_tag(pages, course.id, o.id, lang))
    code = t["code_in_parens"].replace("{code}", course.code)
    fe.title(f"{course.title[lang]}{code} · {formats.dates(o)} · {formats.place(o)}")
    fe.updated(_midnight(course.updated))
    url = pages.absolute(lang, pages.course(course.id))
    if url:
        fe.link(href=f"{url}#offering-{o.id}", rel="alternate", type="text/html")
    fe.category(term=course.category, label=catalog.categories[course.category].name[lang])
    lines = [course.summary[lang],
             f"{t['offering_status']}{t['colon']}{t['state_' + state]}",
             f"{t['offering_languages']}{t['colon']}{formats.languages(o)}",
             f"{t['offering_fee']}{t['colon']}{formats.fee(o)}",
             f"{t['offering_deadline']}{t['colon']}{formats.date(o.deadline)}"]
    if o.apply and offerings.can_apply(o, catalog.build_date):
        lines.append(f"{t['apply']}{t['colon']}{o.apply}")
    fe.content("\n".join(lines), type="text")
