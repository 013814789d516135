"""The URL scheme: where each generated page and file lives, and the links
between them.  The lowest floor of the rendering stage: pages, feeds and
writers import it directly.

Stage: model -> pages.  No MkDocs here.
"""

from __future__ import annotations

import posixpath

from .model import Catalog
from .settings import SiteLanguages


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

    def absolute_file(self, lang: str, path: str) -> str:
        """The published URL of the file ``path`` of ``lang``'s folder (a calendar, a feed)."""
        return self.site_url + self.languages.prefix(lang) + path

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
    def saved() -> str:
        """The learner's saved courses, compared and shared (learner.js)."""
        return "saved.md"

    @staticmethod
    def compare(course_id: str) -> str:
        """The file the saved page loads for a course: its facts, as a script."""
        return f"compare/{course_id}.js"

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
        return [self.home(), self.catalog(), self.status(), self.saved(),
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
