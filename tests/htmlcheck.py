"""Helpers to read a built site: parse pages, collect links and ids."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class Page(HTMLParser):
    """Links, ids, text and the <html lang> of one HTML file."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.ids: set[str] = set()
        self.lang = None
        self.text_parts: list[str] = []
        self.elements: list[tuple[str, dict]] = []
        self._skip = 0
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag == "html":
            self.lang = attrs.get("lang")
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for attribute in ("href", "src"):
            if attrs.get(attribute) is not None:
                self.links.append((tag, attribute, attrs[attribute]))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())


def catalog_html(site: Path, pattern: str = "*.html") -> list[Path]:
    """The site's HTML files of the catalog: every one but the web editor's
    (admin/, a tool for faculty, tested in test_cms)."""
    from site_builder.settings import ADMIN_DIR

    return sorted(p for p in site.rglob(pattern) if p.relative_to(site).parts[0] != ADMIN_DIR)


def pages(site: Path) -> list[Page]:
    return [Page(p) for p in catalog_html(site)]


def resolve(site: Path, page: Path, url: str) -> tuple[Path | None, str]:
    """The file a relative URL points at (None for external), and its fragment."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("mailto:", "tel:")):
        return None, parts.fragment
    if not parts.path:
        return page, parts.fragment
    if parts.path.startswith("/"):  # site_url's path is "/" in the tests
        target = (site / unquote(parts.path).lstrip("/")).resolve()
    else:
        target = (page.parent / unquote(parts.path)).resolve()
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, parts.fragment
