"""What each page is rendered from, as digests: a page whose digest is the
same as at the last build is kept without rendering it (the incremental
build and the live preview).

Stage: model -> pages.  No MkDocs here.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from .labels import TEMPLATES
from .model import Catalog
from .report import translation_gaps


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
        catalog.venues, catalog.applications, catalog.build_date,
        directory_urls, site_url, lang, download, repr(languages)])).hexdigest()


def feeds_fingerprint(catalog: Catalog, lang: str, *, directory_urls: bool, site_url: str) -> str:
    """Digest of everything the calendars and Atom feeds of ``lang`` are made
    from (each course's title, summary, category, date of change and runs; the
    shared tables; the build date; the options): while it is unchanged, the
    last build's files are written again without being made again."""
    courses = [(c.id, c.code, c.title, c.summary, c.category, c.updated, c.offerings)
               for c in catalog.ordered_courses()]
    return hashlib.sha256(_code_digest() + _digest([
        courses, catalog.categories, catalog.levels, catalog.languages, catalog.regions, catalog.venues,
        catalog.applications, catalog.build_date, directory_urls, site_url, lang,
        repr(catalog.site_languages)])).hexdigest()


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
                          catalog.partners, catalog.venues, catalog.applications, catalog.build_date,
                          catalog.terms, directory_urls, site_url, lang,
                          repr(languages)]))
    own = course_digests(catalog) if digests is None else digests
    dependents = catalog.all_dependents()
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
