"""Headless Chromium for the browser tests: where it is, one skip message, one clock.

A test that takes the ``browser`` fixture from here, or is marked
``pytest.mark.browser``, is a browser test: without Chromium (or Playwright)
conftest skips every one of them with SKIP_REASON, before any of its fixtures
builds a site.  The pages' clock
reads conftest.BUILD_DATE (noon UTC), the day the test sites are built as of:
what a page computes from the reader's clock (deadlines passed, "starting
within") is then the same on any day the tests run.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import BUILD_DATE

try:
    from playwright import sync_api as playwright_api
except ImportError:  # the test extra is not installed
    playwright_api = None

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SKIP_REASON = "Chromium not found: install Debian's chromium (.ci/run does) to run the browser tests"
AVAILABLE = CHROMIUM is not None and playwright_api is not None

#: Chromium as root on a machine with no network beyond loopback.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]

_DAY = dt.date.fromisoformat(BUILD_DATE)
#: What the pages' clock reads unless a test sets it.
NOON = dt.datetime(_DAY.year, _DAY.month, _DAY.day, 12, 0, tzinfo=dt.timezone.utc)


class PinnedBrowser:
    """A Playwright browser whose new contexts' clock starts at NOON and runs on
    from there (a frozen clock would stall the pages' debounced search).
    Everything else is the browser's."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.clock.install(time=NOON)
        return context

    def new_page(self, **options):
        return self.new_context(**options).new_page()

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="module")
def browser():
    if not AVAILABLE:
        pytest.skip(SKIP_REASON)
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield PinnedBrowser(chromium)
        chromium.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(folder: Path):
    """Serve ``folder`` on 127.0.0.1; the base URL ("http://127.0.0.1:PORT/")."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
