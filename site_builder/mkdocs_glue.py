"""The only module that talks to MkDocs: load the config, run a build, and the
event handlers that keep ``mkdocs serve`` in step with ``courses/``."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.config import load_config  # noqa: E402
from mkdocs.exceptions import Abort, MkDocsException, PluginError  # noqa: E402
from mkdocs.plugins import BasePlugin, event_priority  # noqa: E402

from .settings import COURSES_DIR  # noqa: E402

log = logging.getLogger(__name__)

#: Set while ``site_builder build`` runs MkDocs on pages it has already written.
PREGENERATED = False
#: The checked catalog of the current build (set by ``build`` or by on_config).
CATALOG = None


def load(root: Path, site_dir: Path | None):
    """The project's MkDocs configuration (strict), optionally with another site_dir."""
    options = {"strict": True}
    if site_dir is not None:
        options["site_dir"] = str(site_dir)
    return load_config(str(root / "mkdocs.yml"), **options)


def quiet_third_parties() -> None:
    """jieba logs its start-up on stderr; and Material's search plugin would
    segment Chinese with plain jieba, which site_builder.search redoes with the
    catalog's vocabulary: switch Material's off to save the work."""
    try:
        from material.plugins.search import plugin as material_search
    except ImportError:  # pragma: no cover
        pass
    else:
        material_search.jieba = None
    try:
        import jieba
    except ImportError:  # pragma: no cover - jieba is a pinned dependency
        return
    jieba.setLogLevel(logging.WARNING)


def build(root: Path, site_dir: Path, *, pregenerated: bool, catalog=None) -> bool:
    """Run a strict MkDocs build into ``site_dir``; False (already logged) on failure."""
    return _build(root, site_dir, pregenerated=pregenerated, catalog=catalog)


def _build(root: Path, site_dir: Path, *, pregenerated: bool, catalog) -> bool:
    quiet_third_parties()

    global PREGENERATED, CATALOG
    PREGENERATED = pregenerated
    CATALOG = catalog
    try:
        config = load(root, site_dir)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            run_mkdocs(config)
        finally:
            config.plugins.on_shutdown()
        return True
    except Abort as exc:
        log.error("MkDocs stopped: %s", exc)
    except (MkDocsException, PluginError) as exc:
        log.error("MkDocs failed: %s", exc)
    finally:
        PREGENERATED = False
    return False


def page_options(root: Path) -> dict | None:
    """What page generation needs from mkdocs.yml (URL style, site URL);
    None (logged) if the configuration is invalid."""
    try:
        config = load(root, None)
        return {"directory_urls": config.use_directory_urls, "site_url": config.site_url or ""}
    except (Abort, MkDocsException) as exc:
        log.error("mkdocs.yml: %s", exc)
        return None


# ---------------------------------------------------------------------------
# The MkDocs plugin ``catalog`` (mkdocs.yml: plugins), a thin event layer
# ---------------------------------------------------------------------------

class CatalogPlugin(BasePlugin):
    """Generates the catalog pages, links the languages of each page to each
    other, splits the search index by language, and keeps ``mkdocs serve``
    watching courses/."""

    def on_config(self, config):
        return on_config(config)

    def on_serve(self, server, config, builder):
        return on_serve(server, config, builder)

    def on_env(self, env, config, files):
        # MkDocs makes a new Jinja environment for every build (and every
        # language): keep the compiled theme templates for the whole process.
        env.bytecode_cache = _TEMPLATE_CACHE
        return env

    @event_priority(-200)  # after mkdocs-static-i18n has set the page's language
    def on_page_context(self, context, page, config, nav):
        languages = page_languages(page.url, config)
        context["catalog_i18n"] = languages
        context["catalog_labels"] = _labels(languages["lang"])
        _set_alternates(config, languages)
        return context

    def on_template_context(self, context, template_name, config):
        if template_name == "404.html":
            languages = not_found_languages(config)
            context["catalog_i18n"] = languages
            context["catalog_labels"] = _labels(languages["lang"])
            _set_alternates(config, languages)
        return context

    def on_post_template(self, output, template_name, config):
        """Each language gets its own 404 page; /404.html stays the default one."""
        if template_name != "404.html":
            return output
        langs, default, _ = _languages(config)
        current = config.plugins.get("i18n").current_language
        if current == default:
            self._default_404 = output
            return output
        target = Path(config.site_dir) / current / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output, encoding="utf-8")
        return getattr(self, "_default_404", output)

    @event_priority(-200)  # after mkdocs-static-i18n has written its merged index
    def on_post_build(self, config):
        i18n = config.plugins.get("i18n")
        if i18n is not None and getattr(i18n, "building", False):
            return  # an inner, per-language build: the outer one finishes the job
        write_search_indexes(config)


class _MemoryBytecodeCache:
    """Jinja bytecode cache in memory (templates compile once per process)."""

    def __init__(self):
        import jinja2

        class Cache(jinja2.BytecodeCache):
            def __init__(self):
                self.store: dict[str, bytes] = {}

            def load_bytecode(self, bucket):
                data = self.store.get(bucket.key)
                if data is not None:
                    bucket.bytecode_from_string(data)

            def dump_bytecode(self, bucket):
                self.store[bucket.key] = bucket.bytecode_to_string()

        self.cache = Cache()


_TEMPLATE_CACHE = _MemoryBytecodeCache().cache


def _labels(lang: str) -> dict:
    from .generators import labels

    return labels().get(lang, {})


def _set_alternates(config, languages: dict) -> None:
    """Material prints config.extra.alternate as <link rel="alternate">: make
    those absolute (hreflang needs absolute URLs); the switcher uses
    catalog_i18n's relative links (overrides/partials/alternate.html)."""
    absolute = [{"lang": alt["lang"], "name": alt["name"], "link": alt["url"]}
                for alt in languages["alternates"]]
    config.extra["alternate"] = absolute
    config.extra.alternate = absolute  # mkdocs-static-i18n sets the attribute


def _languages(config):
    """(languages in order, default language) from the i18n plugin's config."""
    i18n = config.plugins.get("i18n")
    langs = [lang.locale for lang in i18n.config.languages]
    default = next(lang.locale for lang in i18n.config.languages if lang.default)
    return langs, default, {lang.locale: lang.name for lang in i18n.config.languages}


def page_languages(url: str, config) -> dict:
    """The page in every language: relative link (switcher) and absolute URL (hreflang)."""
    from .generators import relative_url

    langs, default, names = _languages(config)
    path = url
    current = default
    for lang in langs:
        if lang != default and (url == lang + "/" or url.startswith(lang + "/")):
            current, path = lang, url[len(lang) + 1:]
    site_url = (config.site_url or "").rstrip("/") + "/"
    alternates = []
    for lang in langs:
        target = ("" if lang == default else lang + "/") + path
        alternates.append({"lang": lang, "name": names[lang], "link": relative_url(url, target),
                           "url": site_url + target, "current": lang == current})
    return {"lang": current, "default": default, "alternates": alternates,
            "x_default": site_url + path}


def not_found_languages(config) -> dict:
    """Language links of a 404 page: it is served at any depth, so they are
    absolute paths, to each language's home page."""
    from urllib.parse import urlsplit

    langs, default, names = _languages(config)
    current = config.plugins.get("i18n").current_language
    site_url = (config.site_url or "").rstrip("/") + "/"
    path = urlsplit(site_url).path or "/"
    alternates = [{"lang": lang, "name": names[lang], "current": lang == current,
                   "link": path + ("" if lang == default else lang + "/"),
                   "url": site_url + ("" if lang == default else lang + "/")}
                  for lang in langs]
    return {"lang": current, "default": default, "alternates": alternates,
            "x_default": site_url}


def write_search_indexes(config) -> None:
    """Replace the merged search index by one index per language."""
    import json

    from .search import Segmenter, catalog_vocabulary, split_index

    site = Path(config.site_dir)
    merged = site / "search" / "search_index.json"
    if not merged.is_file():
        return
    langs, default, _ = _languages(config)
    index = json.loads(merged.read_text(encoding="utf-8"))
    segmenter = _segmenter(CATALOG)
    codes = {f"courses/{c.id}{end}": c.code for c in CATALOG.courses.values()
             for end in ("/", ".html")} if CATALOG else {}
    # (Listing pages are left out of search in their front matter: they only
    # repeat the courses' summaries.)
    for lang, data in split_index(index, langs, default, segmenter, codes).items():
        target = site / ("" if lang == default else lang) / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        target.write_text(text, encoding="utf-8")


def on_config(config):
    """Generate the pages before MkDocs looks at the docs folder (serve, plain build)."""
    quiet_third_parties()
    if PREGENERATED:
        return config
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return config  # the other languages' pass of the same build: pages are written
    global CATALOG
    from .build import generate, source_date_epoch
    from .generators import render_pages
    from .readers import read_catalog
    from .settings import DOCS_DIR
    from .writers import write_pages

    root = Path(config.config_file_path).parent
    catalog, problems = read_catalog(root)
    problems.report()
    if problems.errors:
        raise PluginError(f"{len(problems.errors)} problem(s) in {COURSES_DIR}/; fix them and save again")
    CATALOG = catalog
    os.environ.setdefault("SOURCE_DATE_EPOCH", source_date_epoch(catalog))
    options = {"directory_urls": config.use_directory_urls, "site_url": config.site_url or ""}
    if Path(config.docs_dir).resolve() == (root / DOCS_DIR).resolve():
        changed = generate(root, catalog, **options)  # only courses that changed
    else:
        changed = write_pages(Path(config.docs_dir), render_pages(catalog, **options))
    if changed:
        log.info("course pages updated: %d file(s)", len(changed))
    return config


def on_serve(server, config, builder):
    """Rebuild the preview when a course file or a page template changes."""
    root = Path(config.config_file_path).parent
    server.watch(str(root / COURSES_DIR))
    server.watch(str(Path(__file__).parent / "templates"))
    # docs/ is our output: a rebuild writes it, so watching it would rebuild twice.
    try:
        server.unwatch(config.docs_dir)
    except (KeyError, ValueError):  # pragma: no cover - not watched
        pass
    return server


# ---------------------------------------------------------------------------
# Building the languages side by side (``site_builder build`` only)
# ---------------------------------------------------------------------------
#
# mkdocs-static-i18n builds the default language, then each other language,
# one after the other in one process.  Nearly all of that time is per page
# (Markdown, theme template, search entries), and pages of one language never
# need the rendered pages of another.  So one forked child runs the very same
# sequence, but renders only the pages of the other languages, and this
# process renders only the default language's pages; of the other pages each
# process reads just the front matter that navigation and templates use.  The
# child writes nothing but its pages; it hands its search entries and warning
# count back before the i18n plugin merges the search indexes, so the output
# is byte for byte that of the sequential build.  `mkdocs serve` is unchanged.

def run_mkdocs(config) -> None:
    """``mkdocs build`` of ``config``; the languages side by side when possible."""
    from mkdocs.commands import build as mkdocs_build

    i18n = config.plugins.get("i18n")
    if i18n is not None:
        i18n.reconfigure_search_duplicates = _linear_dedupe(i18n)
    others = [lang for lang in i18n.build_languages if lang != i18n.default_language] if i18n else []
    from .build import parallel

    with _lazy_raw_html_anchors():
        if not others or not parallel():
            mkdocs_build.build(config)
            return
        split = _LanguageSplit(config, i18n, others)
        try:
            split.start()
            mkdocs_build.build(config)
            split.finish()
        finally:
            split.stop()


@contextmanager
def _lazy_raw_html_anchors():
    """MkDocs parses each page's whole Markdown once more with HTMLParser, only
    to know the ids in its raw HTML in case a link elsewhere names one as an
    anchor (``validation.anchors``).  Our pages are mostly raw HTML and few
    links carry anchors: parse only when an anchor is looked up (the very
    same parse), which saves a tenth of the build."""
    from mkdocs.structure import pages as mkdocs_pages

    preprocessor = mkdocs_pages._RawHTMLPreprocessor
    original = preprocessor.__dict__["run"]

    def run(self, lines):
        self.present_anchor_ids = _LazyAnchorIds("\n".join(lines))
        return lines

    preprocessor.run = run
    try:
        yield
    finally:
        preprocessor.run = original


class _LazyAnchorIds(AbstractSet):
    """The anchor ids MkDocs' _HTMLHandler finds in ``text`` (plus ``extra``),
    found on first use."""

    def __init__(self, text: str, extra=frozenset()):
        self._text, self._extra, self._ids = text, extra, None

    def _found(self) -> set:
        if self._ids is None:
            from mkdocs.structure.pages import _HTMLHandler

            parser = _HTMLHandler()
            parser.feed(self._text)
            parser.close()
            self._ids, self._text = set(self._extra) | parser.present_anchor_ids, None
        return self._ids

    def __contains__(self, anchor) -> bool:
        return anchor in self._found()

    def __iter__(self):
        return iter(self._found())

    def __len__(self) -> int:
        return len(self._found())

    def __ror__(self, other):  # MkDocs: markdown_ids | raw_html_ids
        return _LazyAnchorIds(self._text, frozenset(other) | self._extra) if self._ids is None \
            else set(other) | self._ids


def _linear_dedupe(i18n):
    """mkdocs-static-i18n's removal of search entries that repeat the default
    language compares every entry with every other (minutes at 3000 courses).
    First look for a candidate in one pass; only if there is one, run the
    plugin's own method, so the result is always exactly the plugin's."""
    original = type(i18n).reconfigure_search_duplicates.__get__(i18n)

    def reconfigure_search_duplicates(entries):
        prefixes = tuple(f"{lang}/" for lang in i18n.build_languages)

        targets: dict[tuple, list[str]] = {}
        for entry in entries:
            if entry["location"].startswith(prefixes):
                targets.setdefault((entry["title"], entry["text"]), []).append(entry["location"])
        for entry in entries:
            if entry["location"].startswith(prefixes):
                continue
            locations = targets.get((entry["title"], entry["text"]), ())
            if any(location.endswith(entry["location"]) for location in locations):
                return original(entries)
        return None

    return reconfigure_search_duplicates


#: The catalog-vocabulary segmenter of the current build (made while waiting).
_SEGMENTER: dict = {}


def _segmenter(catalog):
    """The Segmenter for ``catalog``'s vocabulary, made once per catalog."""
    from .search import Segmenter, catalog_vocabulary

    if catalog is None:
        return None
    if _SEGMENTER.get("catalog") is not catalog:
        _SEGMENTER.update(catalog=catalog, segmenter=Segmenter(catalog_vocabulary(catalog)))
    return _SEGMENTER["segmenter"]


class _LanguageSplit:
    """The page work of the non-default languages, done by a forked child."""

    def __init__(self, config, i18n, child_languages: list[str]):
        from mkdocs.commands import build as mkdocs_build

        self.config, self.i18n = config, i18n
        self.child_languages = child_languages
        self.module = mkdocs_build
        self.populate, self.build_page = mkdocs_build._populate_page, mkdocs_build._build_page
        self.post_build = config.plugins.on_post_build
        self.pid: int | None = None
        self.in_child = False
        self.reader = None
        self.failed: str | None = None

    # -- both processes ------------------------------------------------------

    def _owned(self) -> bool:
        return (self.i18n.current_language in self.child_languages) == self.in_child

    def _populate_page(self, page, config, files, dirty=False):
        if self._owned():
            return self.populate(page, config, files, dirty)
        # Rendered by the other process: only the front matter (title) that
        # navigation and the theme's templates read.
        config._current_page = page
        try:
            page = config.plugins.on_pre_page(page, config=config, files=files)
            page.read_source(config)
        finally:
            config._current_page = None

    def _build_page(self, page, config, doc_files, nav, env, dirty=False, excluded=False):
        if self._owned():
            return self.build_page(page, config, doc_files, nav, env, dirty, excluded)

    def _on_post_build(self, *, config):
        lang = self.i18n.current_language
        if lang in self.child_languages:
            if self.in_child:
                self._send(lang)
            else:
                self._receive(lang)
        return self.post_build(config=config)

    def _patch(self) -> None:
        self.module._populate_page = self._populate_page
        self.module._build_page = self._build_page
        self.config.plugins.on_post_build = self._on_post_build

    def _unpatch(self) -> None:
        self.module._populate_page, self.module._build_page = self.populate, self.build_page
        del self.config.plugins.on_post_build

    def _search(self):
        for name in ("material/search", "search"):
            plugin = self.config.plugins.get(name)
            if plugin is not None and hasattr(plugin, "search_index"):
                return plugin
        return None

    # -- this process ----------------------------------------------------------

    def start(self) -> None:
        self._patch()
        quiet_third_parties()
        read, write = os.pipe()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - runs in the child (its coverage is lost)
            from .build import die_with_parent

            die_with_parent(parent)
            os.close(read)
            self._child(os.fdopen(write, "wb"))
        os.close(write)
        self.reader = os.fdopen(read, "rb")

    def _receive(self, lang: str) -> None:
        import pickle
        import time

        _segmenter(CATALOG)  # meanwhile: write_search_indexes needs it next
        start = time.perf_counter()
        try:
            message = pickle.load(self.reader)
        except EOFError:
            message = {"error": "the build of the other languages stopped unexpectedly"}
        log.debug("waited %.2f s for the pages of '%s'", time.perf_counter() - start, lang)
        if message.get("error") or message.get("lang") != lang:
            self.failed = message.get("error") or f"expected the pages of {lang}"
            raise Abort(f"building '{lang}': {self.failed}")
        if message["warnings"] and self.config.strict:
            self.failed = f"{message['warnings']} warning(s) while building '{lang}'"
        search = self._search()
        if search is not None:
            search.search_index.entries.extend(message["entries"])

    def finish(self) -> None:
        """After the build: fail (strict) if the child warned; reap it."""
        self._reap()
        if self.failed:
            raise Abort(f"Aborted in strict mode: {self.failed}")

    def _reap(self) -> None:
        if self.pid:
            os.waitpid(self.pid, 0)
            self.pid = None

    def stop(self) -> None:
        if self.pid:
            import signal

            os.kill(self.pid, signal.SIGTERM)
            self._reap()
        if self.reader is not None:
            self.reader.close()
        self._unpatch()

    # -- the child -------------------------------------------------------------

    def _child(self, pipe) -> None:  # pragma: no cover - runs in the child
        """Run the build, render the other languages' pages, never return."""
        import pickle

        from mkdocs import utils
        from mkdocs.structure.files import Files

        self.in_child, self.pipe = True, pipe
        self.remaining = list(self.child_languages)
        self.warnings = utils.CountHandler()
        self.warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(self.warnings)
        # Everything but the pages is written by the parent.
        utils.clean_directory = lambda path: None
        Files.copy_static_files = lambda self, *args, **kwargs: None
        self.module._build_theme_template = lambda *args, **kwargs: None
        self.module._build_extra_template = lambda *args, **kwargs: None
        code = 1
        try:
            self.module.build(self.config)
            pickle.dump({"error": "the build ended before every language was built"}, pipe)
        except SystemExit as exc:
            code = exc.code or 0
        except BaseException as exc:
            try:
                pickle.dump({"error": f"{type(exc).__name__}: {exc}"}, pipe)
            except Exception:
                pass
        finally:
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
            os._exit(code)

    def _send(self, lang: str) -> None:  # pragma: no cover - runs in the child
        import pickle

        search = self._search()
        count = sum(n for _, n in self.warnings.get_counts())
        pickle.dump({"lang": lang, "warnings": count,
                     "entries": search.search_index.entries if search is not None else []},
                    self.pipe)
        self.pipe.flush()
        self.remaining.remove(lang)
        if not self.remaining:
            raise SystemExit(0)
