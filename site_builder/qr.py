"""QR codes of page URLs as inline SVG, made once and kept for later builds.

Stage: model -> pages.  No MkDocs here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from markupsafe import Markup

from . import caches


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
