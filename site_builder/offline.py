"""The offline copy: the whole catalog as a zip that works from a folder.

Learners on costly or intermittent links download it once from the home page
and browse, search and print with no connection (file://).  It is made from
the site just built, the way Material's offline plugin would make it, without
a second build:

- a link to a folder (``courses/x/``) names its ``index.html``, since a browser
  shows a folder's listing, not its index page, from file://;
- each language's search index is also written as a script
  (``search/search_index.js``), which Material loads from file:// where it
  cannot fetch, with result locations naming their ``index.html`` too;
- the iframe-worker shim (vendored) runs the search worker from file://.

Deterministic: entries sorted, fixed dates and modes.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import zipfile
from pathlib import Path

log = logging.getLogger(__name__)

#: Where the zip lands in the published site.
DOWNLOAD = "downloads/catalog-offline.zip"
#: Top folder inside the zip.
ZIP_FOLDER = "catalog"
#: The vendored iframe-worker shim (the same file Material's offline plugin would add).
IFRAME_WORKER = "assets/javascripts/iframe-worker/shim.js"

_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"#?]*)([^"]*)"')
_HEAD = re.compile(r"<head>")


def _file_url(path: str) -> str:
    """A relative link to a folder names the folder's index.html."""
    if not path or re.match(r"^[a-z][a-z0-9+.-]*:|^/", path, re.I):
        return path  # same page, absolute, or another scheme: as it is
    if path.endswith("/"):
        return path + "index.html"
    if path in (".", "..") or path.endswith(("/.", "/..")):
        return path + "/index.html"
    return path


def offline_html(html: str, depth: int) -> str:
    """One page of the site, for reading from a folder."""
    def link(match: re.Match) -> str:
        start, path, rest = match.groups()
        if not path and rest.startswith("?"):
            return match.group(0)
        return f'{start}{_file_url(path)}{rest}"'

    html = _ATTRIBUTE.sub(link, html)
    shim = "../" * depth + IFRAME_WORKER
    return _HEAD.sub(f'<head><script src="{shim}"></script>', html, count=1)


def offline_index(text: str) -> str:
    """A language's search index as the script Material loads from file://."""
    index = json.loads(text)
    for doc in index.get("docs", []):
        path, _, anchor = doc["location"].partition("#")
        doc["location"] = (_file_url(path) if path else "index.html") + (f"#{anchor}" if anchor else "")
    return "var __index = " + json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def build_offline(site: Path, into: Path) -> None:
    """Zip ``site`` (a finished build) for reading offline as ``into/DOWNLOAD``."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    target = into / DOWNLOAD
    target.parent.mkdir(parents=True, exist_ok=True)

    def add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
        info = zipfile.ZipInfo(f"{ZIP_FOLDER}/{name}", date_time=stamp)
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, data, compresslevel=6)

    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            rel = path.relative_to(site).as_posix()
            if path.suffix in (".map", ".gz") or rel == DOWNLOAD or rel == "sitemap.xml":
                continue  # for developers and crawlers, not readers
            data = path.read_bytes()
            if path.suffix == ".html":
                depth = rel.count("/")
                data = offline_html(data.decode("utf-8"), depth).encode("utf-8")
            elif rel.endswith("search/search_index.json"):
                add(archive, rel[: -len(".json")] + ".js",
                    offline_index(data.decode("utf-8")).encode("utf-8"))
            add(archive, rel, data)
