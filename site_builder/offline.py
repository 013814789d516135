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

from .settings import ADMIN_DIR

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


def _offline_version(rel: str, data: bytes) -> dict[str, bytes]:
    """What the offline copy holds for the site file ``rel``: the file itself
    (HTML with links to index.html and the shim), plus the script form of a
    search index."""
    if rel.endswith(".html"):
        return {rel: offline_html(data.decode("utf-8"), rel.count("/")).encode("utf-8")}
    if rel.endswith("search/search_index.json"):
        return {rel: data, rel[: -len(".json")] + ".js": offline_index(data.decode("utf-8")).encode("utf-8")}
    return {rel: data}


def _included(rel: str) -> bool:
    return not (rel.endswith((".map", ".gz")) or rel == DOWNLOAD or rel == "sitemap.xml"
                or rel.startswith(ADMIN_DIR + "/"))  # the editor works online only


def prepare(part: Path, prefix: str, into: Path) -> None:
    """Write the offline form of the pages and search index of ``part`` (one
    language's build, at ``prefix`` in the whole site) under ``into``, so that
    the languages' builds do this side by side and :func:`build_offline` only zips."""
    for path in part.rglob("*"):
        rel = prefix + path.relative_to(part).as_posix()
        if path.is_file() and _included(rel) and (rel.endswith(".html") or rel.endswith("search_index.json")):
            for name, data in _offline_version(rel, path.read_bytes()).items():
                if name.endswith((".html", ".js")):
                    target = into / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)


def build_offline(site: Path, into: Path, prepared: Path | None = None) -> None:
    """Zip ``site`` (a finished build) for reading offline as ``into/DOWNLOAD``;
    pages already in their offline form under ``prepared`` (see :func:`prepare`)
    are taken from there."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    target = into / DOWNLOAD
    target.parent.mkdir(parents=True, exist_ok=True)

    def add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
        info = zipfile.ZipInfo(f"{ZIP_FOLDER}/{name}", date_time=stamp)
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, data, compresslevel=5)

    with zipfile.ZipFile(target, "w") as archive:
        # In the order of the names' text, so that the listing reads as sorted.
        for path in sorted((p for p in site.rglob("*") if p.is_file()),
                           key=lambda p: p.relative_to(site).as_posix()):
            rel = path.relative_to(site).as_posix()
            if not _included(rel):
                continue  # for developers and crawlers, not readers
            ready = prepared / rel if prepared is not None else None
            if ready is not None and rel.endswith(".html") and ready.is_file():
                entries = {rel: ready.read_bytes()}
            elif ready is not None and rel.endswith("search/search_index.json") and \
                    ready.with_suffix(".js").is_file():
                entries = {rel: path.read_bytes(), rel[: -len(".json")] + ".js":
                           ready.with_suffix(".js").read_bytes()}
            else:
                entries = _offline_version(rel, path.read_bytes())
            for name in sorted(entries):
                add(archive, name, entries[name])
