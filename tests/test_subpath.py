"""Any static host: the site served from a sub-path (http://host/catalog/).

The fixture catalog is built with SITE_URL=http://127.0.0.1:<port>/catalog/ into
<tmp>/catalog/, and <tmp> is served by Python's http.server (a plain static host:
no rewrites, no index fallbacks beyond index.html).  Starting from both language
home pages, every page is fetched and every href/src it holds must answer 200.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from htmlcheck import catalog_html

from conftest import make_project

from site_builder.pipeline import build

SUB_PATH = "/catalog/"
MAX_URLS = 5000  # the crawl is bounded even if a page linked to endless URLs


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, dict, str]] = []
        self.config = None
        self._in_config = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for attribute in ("href", "src"):
            if attrs.get(attribute):
                self.links.append((tag, attrs, attrs[attribute]))
        self._in_config = tag == "script" and attrs.get("id") == "__config"

    def handle_data(self, data):
        if self._in_config:
            self.config = json.loads(data)
            self._in_config = False


@pytest.fixture(scope="module")
def hosted(tmp_path_factory):
    """(base URL, site folder, fetch) of a build served from a sub-path; stopped afterwards."""
    parent = tmp_path_factory.mktemp("host")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(parent)))
    base = f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
    saved = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = base
    try:
        root = make_project(tmp_path_factory.mktemp("subpath") / "project")
        assert build(root, site_dir=parent / SUB_PATH.strip("/")) == 0
    finally:
        if saved is None:
            os.environ.pop("SITE_URL", None)
        else:
            os.environ["SITE_URL"] = saved
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    cache: dict[str, tuple[int, str, bytes]] = {}

    def fetch(url: str) -> tuple[int, str, bytes]:
        if url not in cache:
            assert len(cache) < MAX_URLS, "crawl bound reached"
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    cache[url] = (response.status, response.headers.get("Content-Type", ""), response.read())
            except urllib.error.HTTPError as exc:
                cache[url] = (exc.code, "", b"")
        return cache[url]

    try:
        yield base, parent / SUB_PATH.strip("/"), fetch
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def internal(base: str, url: str) -> bool:
    return urlsplit(url).netloc == urlsplit(base).netloc


def crawl(base: str, fetch) -> tuple[dict[str, Links], list[str]]:
    """Every page reachable from both language homes, and every broken internal link."""
    pages: dict[str, Links] = {}
    broken: list[str] = []
    queue = [base, base + "zh/"]
    while queue:
        url = queue.pop()
        if url in pages:
            continue
        status, kind, body = fetch(url)
        assert status == 200, url
        page = pages[url] = Links()
        page.feed(body.decode("utf-8"))
        for tag, attrs, href in page.links:
            target = urldefrag(urljoin(url, href))[0].split("?")[0]  # ?open=yes: the same page
            if not internal(base, target):
                continue
            status, kind, _ = fetch(target)
            if status != 200:
                broken.append(f"{url[len(base) - 1:]}: <{tag} {href}> -> {status}")
            elif "text/html" in kind and target.startswith(base) and target not in pages:
                queue.append(target)
    return pages, broken


def test_every_internal_link_of_both_languages_answers_200(hosted):
    base, site, fetch = hosted
    pages, broken = crawl(base, fetch)
    assert broken == []
    # Every page of the site was reached, in both languages.
    folders = [p.parent.relative_to(site).as_posix() for p in catalog_html(site, "index.html")]
    built = {base if folder == "." else f"{base}{folder}/" for folder in folders}
    assert set(pages) == built
    assert any("/zh/courses/" in url for url in pages) and any("/courses/" in url and "/zh/" not in url
                                                               for url in pages)


def test_no_link_leaves_the_sub_path(hosted):
    base, site, fetch = hosted
    pages, _ = crawl(base, fetch)
    outside = sorted({f"{url}: {href}" for url, page in pages.items() for _, _, href in page.links
                      if internal(base, urljoin(url, href))
                      and not urlsplit(urljoin(url, href)).path.startswith(SUB_PATH)})
    assert outside == []


def test_search_and_theme_config_resolve_from_every_page(hosted):
    base, site, fetch = hosted
    pages, _ = crawl(base, fetch)
    for url, page in pages.items():
        assert page.config is not None, url
        root = urljoin(url, page.config["base"])
        assert root.startswith(base), url
        assert fetch(urljoin(root + ("" if root.endswith("/") else "/"), "search/search_index.json"))[0] == 200, url
        assert fetch(urljoin(url, page.config["search"]))[0] == 200, url


def test_sitemap_lists_served_urls(hosted):
    base, site, fetch = hosted
    status, _, body = fetch(base + "sitemap.xml")
    assert status == 200
    urls = set(re.findall(r"<loc>([^<]+)</loc>", body.decode("utf-8")))
    urls |= set(re.findall(r'hreflang="[^"]+" href="([^"]+)"', body.decode("utf-8")))
    assert urls and all(u.startswith(base) for u in urls)
    assert [u for u in sorted(urls) if fetch(u)[0] != 200] == []


def test_not_found_page_works_at_any_depth(hosted):
    """Static hosts answer a missing URL with 404.html: its links must work from there."""
    base, site, fetch = hosted
    status, _, body = fetch(base + "404.html")
    assert status == 200
    page = Links()
    page.feed(body.decode("utf-8"))
    assert page.links
    for missing in (base + "no-such-page/", base + "zh/courses/no-such-course/", base + "a/b/c/d.html"):
        assert fetch(missing)[0] == 404
        broken = [href for _, _, href in page.links
                  if internal(base, urljoin(missing, href)) and fetch(urldefrag(urljoin(missing, href))[0])[0] != 200]
        assert broken == [], missing
