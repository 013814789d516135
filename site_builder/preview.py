"""Live preview: ``python3 dev.py serve`` (http://127.0.0.1:8000/).

MkDocs' own ``serve`` rebuilds every page on every save, which takes minutes
in a catalog of thousands of courses.  This server builds the whole site once,
then on each save re-renders only the pages whose inputs changed and rebuilds
just those pages through the same functions as the full build: one MkDocs
build per language, side by side, of the changed course pages plus the
listing pages (which make up the navigation, so every rebuilt page is
byte-identical to what the full build writes).  A saved shared file, a new or
removed course, or a changed template rebuilds everything.

A course with an error is reported in the terminal, located, and the last good
pages stay served, with a panel that lists the problems in the page's language
(file:line, the message) until the file is fixed.  Pages served to the browser get a small script that
reloads them when the site changes (the files on disk are the build's own).
"""

from __future__ import annotations

import functools
import http.server
import logging
import os
import threading
import time
from dataclasses import replace
from pathlib import Path

from . import writers
from .messages import M, Translator, message_languages
from .settings import CACHE_DIR, COURSES_DIR

log = logging.getLogger(__name__)

#: Where the preview's site is built and served from.
PREVIEW_SITE = f"{CACHE_DIR}/preview/site"
#: The URL the reload script asks for the site's version.
VERSION_URL = "/__preview__/version"
_RELOAD = ("<script>(function(){var v=null;function poll(){fetch('%s').then(function(r){return r.text()})"
           ".then(function(t){if(v!==null&&t!==v)location.reload();v=t}).catch(function(){})"
           ".finally(function(){setTimeout(poll,700)})}poll()})();</script>" % VERSION_URL)


#: Most problems listed in a page's panel (the terminal lists them all).
PANEL_MOST = 20


@functools.lru_cache(maxsize=1)
def _panel_template():
    import jinja2

    from .labels import TEMPLATES

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    return env.get_template("preview_panel.html")


def watched_files(root: Path) -> dict[str, tuple]:
    """(mtime, size) of every file whose change means a rebuild."""
    from .labels import TEMPLATES

    out = {}
    for folder in (root / COURSES_DIR, TEMPLATES):
        try:
            entries = list(folder.rglob("*"))
        except OSError:
            continue
        for path in entries:
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.is_file():
                out[str(path)] = (stat.st_mtime_ns, stat.st_size)
    config = root / "mkdocs.yml"
    if config.is_file():
        out[str(config)] = (config.stat().st_mtime_ns, config.stat().st_size)
    return out


#: Seconds without a save before the preview brings the search index,
#: catalog.json and the calendars up to date (Preview.follow_up_soon).
FOLLOW_UP_QUIET = 1.5


def _follow_up(site: Path, catalog, search_jobs: list, site_url: str,
               directory_urls: bool) -> None:  # pragma: no cover - in the child
    """The preview's search indexes and data files, in a process of its own at
    low priority (its language builds inherit it)."""
    from .pipeline import build_languages, die_with_parent, jobs

    die_with_parent()
    try:
        os.nice(10)
    except (AttributeError, OSError):
        pass
    for result in build_languages(search_jobs, catalog, jobs(len(search_jobs)), fresh=False):
        if not result.ok:
            log.error("%s; the search index was not updated", result.error)
    try:
        writers.write_feeds(site, catalog, site_url, directory_urls)
    except OSError as exc:
        log.error("could not write the data files (%s)", exc.strerror or exc)


class Preview:
    """The preview's site, kept up to date with courses/."""

    def __init__(self, root: Path, site: Path | None = None):
        self.root = root
        self.site = (site or root / PREVIEW_SITE).resolve()
        self.reader_cache: dict = {}
        self.version = 0
        self.lock = threading.Lock()
        #: The search index and data files follow in the background
        #: (follow_up_soon): the timer that starts the process that writes
        #: them, that process, and the lock over both.
        self.follow_lock = threading.Lock()
        self.follow_timer: threading.Timer | None = None
        self.follow_process = None
        self.seen: dict[str, tuple] = {}
        self.catalog = None
        #: Each course's digest and translation gaps while it is unchanged.
        self.digests: dict = {}
        self.gaps: dict = {}
        #: The errors that keep the last good pages served (shown in every page's panel).
        self.problems: list = []

    # -- building ------------------------------------------------------------------

    def full(self) -> bool:
        """Build everything (start, shared files, added or removed courses)."""
        from .pipeline import build

        self.seen = watched_files(self.root)
        code = build(self.root, self.site, reader_cache=self.reader_cache)
        if code != 0 and self.site.is_dir():
            from .readers import read_catalog

            _, problems = read_catalog(self.root, cache=self.reader_cache)
            self.problems = sorted(set(problems.errors))
            self.version += 1
        if code == 0:
            self.problems = []
            from .language_build import warm_up
            from .readers import read_catalog

            self.catalog, _ = read_catalog(self.root, cache=self.reader_cache)
            warm_up(self.catalog)
            self.version += 1
        return code == 0

    def update(self) -> bool | None:
        """Rebuild what changed since the last look; None when nothing did."""
        now = watched_files(self.root)
        if now == self.seen:
            return None
        changed = {path for path in set(now) | set(self.seen) if now.get(path) != self.seen.get(path)}
        self.seen = now
        self.stop_follow_up()  # it would be redone from this catalog anyway
        start = time.perf_counter()
        ok = self._rebuild(changed)
        if ok:
            self.version += 1
            log.info("preview updated in %.1f s", time.perf_counter() - start)
        return ok

    def _rebuild(self, changed: set[str]) -> bool:
        from .readers import read_catalog

        courses = str((self.root / COURSES_DIR).resolve())
        only_courses = all(Path(p).parent == Path(courses) and p.endswith(".yml") for p in changed)
        catalog, problems = read_catalog(self.root, cache=self.reader_cache)
        problems.report()
        if problems.errors:
            log.error(M("{count} problem(s) in {folder}/; the last good pages stay served",
                        count=len(problems.errors), folder=COURSES_DIR))
            self.problems = sorted(set(problems.errors))
            self.version += 1  # the pages reload and show the panel
            return False
        if self.problems:
            self.problems = []
            self.version += 1  # the panel goes, even where no page changes
        if (not only_courses or self.catalog is None
                or set(catalog.courses) != set(self.catalog.courses)):
            return self.full()
        self.catalog = catalog
        ok = self.pages(catalog)
        from .language_build import warm_up

        warm_up(catalog)  # for the next save's workers (a glossary edit changes jieba's words)
        return ok

    def pages(self, catalog) -> bool:
        """Re-render what changed and rebuild those pages, every language at once."""
        from .pipeline import OFFLINE_DOWNLOAD, build_languages, jobs, source_date_epoch
        from .language_build import LanguageJob, site_options
        from .fingerprints import course_digests, translation_gaps_of

        os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch()
        options = site_options(self.root)
        if isinstance(options, str):
            log.error("%s", options)
            return False
        languages = catalog.site_languages
        digests = course_digests(catalog, self.digests)
        gaps = translation_gaps_of(catalog, self.gaps)
        job_list = [LanguageJob(self.root, lang, self.site if lang == languages.default
                                else self.site / lang, options["site_url"],
                                options["use_directory_urls"], self.root / CACHE_DIR,
                                OFFLINE_DOWNLOAD, digests=digests, gaps=gaps, pages_only=True,
                                search=False)
                    for lang in languages]
        # Forked: a few pages, and the workers start with what this process remembers.
        results = build_languages(job_list, catalog, jobs(len(job_list)), fresh=False)
        for result in results:
            if not result.ok:
                log.error("%s; the last good pages stay served", result.error)
        writers.write_sitemap(self.site, catalog, options["site_url"], options["use_directory_urls"])
        if all(r.ok for r in results):
            self.follow_up_soon(catalog, [replace(job, search=True) for job in job_list], options)
        return all(r.ok for r in results)

    def follow_up_soon(self, catalog, search_jobs: list, options: dict) -> None:
        """What the edited pages need not wait for: each language's search index
        (``search_jobs``), then catalog.json and the calendars.  At thousands of
        courses they take seconds, so they are written once the preview has been
        quiet for FOLLOW_UP_QUIET seconds, by a process of low priority that the
        next save stops (:meth:`stop_follow_up`).  Each writes from the whole
        catalog it was given, so the last one leaves everything complete."""
        import multiprocessing

        def start():
            # Forked only while no other thread of the preview is building: a
            # lock held at the fork (jieba's, Jinja's) would stay held in the
            # child for ever.  Same order as update(): self.lock, then follow_lock.
            with self.lock, self.follow_lock:
                if self.follow_timer is not timer:
                    return  # a newer save came in the meantime
                context = multiprocessing.get_context("fork" if "fork" in
                                                      multiprocessing.get_all_start_methods() else "spawn")
                # Not a daemon: it starts the language builds' processes itself.
                self.follow_process = context.Process(
                    target=_follow_up, name="preview-follow-up",
                    args=(self.site, catalog, search_jobs, options["site_url"],
                          options["use_directory_urls"]))
                self.follow_process.start()

        with self.follow_lock:
            timer = threading.Timer(FOLLOW_UP_QUIET, start)
            timer.daemon = True
            self.follow_timer = timer
        timer.start()

    def stop_follow_up(self) -> None:
        """Stop bringing the search index and the data files up to date from an
        older catalog (a save came in, or the preview ends)."""
        with self.follow_lock:
            if self.follow_timer is not None:
                self.follow_timer.cancel()
                self.follow_timer = None
            if self.follow_process is not None:
                if self.follow_process.is_alive():
                    self.follow_process.terminate()
                self.follow_process.join()
                self.follow_process = None

    # -- serving -------------------------------------------------------------------

    def watch(self, interval: float = 0.25) -> None:
        while True:
            time.sleep(interval)
            try:
                with self.lock:
                    self.update()
            except Exception:  # keep serving; the terminal shows what went wrong
                log.exception("the preview could not be updated")

    def page_language(self, url: str) -> str:
        """The language of the page at ``url``: its first folder, else the default."""
        languages = self.catalog.site_languages if self.catalog is not None else None
        if languages is None:
            return message_languages()[0]
        first = url.lstrip("/").split("/", 1)[0]
        return first if first in languages.codes else languages.default

    def panel(self, url: str) -> str:
        """The error panel for the page at ``url`` (empty while there is no error)."""
        problems = self.problems
        if not problems:
            return ""
        lang = self.page_language(url)
        translator = Translator(lang if lang in message_languages() else message_languages()[0])
        shown = problems[:PANEL_MOST]
        return _panel_template().render(
            lang=lang,
            heading=M("This preview is not up to date: fix these problems in the course files "
                      "and save").translated(translator),
            problems=[{"place": f"{p.path}:{p.line}:{p.column}", "text": p.text(translator)} for p in shown],
            more=(M("... and {count} more (the terminal lists them all)", count=len(problems) - len(shown))
                  .translated(translator) if len(problems) > len(shown) else ""))

    def handler(self):
        preview = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format, *args):  # quiet: the terminal is for course problems
                pass

            def send(self, body: bytes, content_type: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path == VERSION_URL:
                    return self.send(str(preview.version).encode(), "text/plain")
                path = Path(self.translate_path(self.path))
                if path.is_dir():
                    path = path / "index.html"
                if path.suffix == ".html" and path.is_file():
                    extra = preview.panel(self.path) + _RELOAD
                    body = path.read_bytes().replace(b"</body>", extra.encode() + b"</body>", 1)
                    return self.send(body, "text/html; charset=utf-8")
                return super().do_GET()

        return functools.partial(Handler, directory=str(self.site))


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Build, serve and keep the preview up to date until interrupted."""
    preview = Preview(root)
    log.info("building the preview ...")
    if not preview.full():
        log.error("fix the problems above; the preview starts once the catalog builds")
        while not preview.full():
            while watched_files(root) == preview.seen:
                time.sleep(0.25)
    server = http.server.ThreadingHTTPServer((host, port), preview.handler())
    threading.Thread(target=preview.watch, daemon=True).start()
    log.info("preview at http://%s:%d/ (Ctrl+C to stop); it updates when you save a file in %s/",
             host, port, COURSES_DIR)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info(M("preview stopped"))
    finally:
        server.server_close()
        preview.stop_follow_up()
    return 0
