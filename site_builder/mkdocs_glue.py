"""The only module that talks to MkDocs: load the config, run a build, and the
event handlers that keep ``mkdocs serve`` in step with ``courses/``."""

from __future__ import annotations

import logging
import os
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
    """jieba (used by Material's search for Chinese) logs its start-up on stderr."""
    try:
        import jieba
    except ImportError:  # pragma: no cover - jieba is a pinned dependency
        return
    jieba.setLogLevel(logging.WARNING)


def build(root: Path, site_dir: Path, *, pregenerated: bool, catalog=None) -> bool:
    """Run a strict MkDocs build into ``site_dir``; False (already logged) on failure."""
    from mkdocs.commands.build import build as mkdocs_build

    quiet_third_parties()

    global PREGENERATED, CATALOG
    PREGENERATED = pregenerated
    CATALOG = catalog
    try:
        config = load(root, site_dir)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
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


def directory_urls(root: Path) -> bool | None:
    """use_directory_urls of the project's config; None (logged) if it is invalid."""
    try:
        return load(root, None).use_directory_urls
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
    import posixpath

    langs, default, names = _languages(config)
    path = url
    current = default
    for lang in langs:
        if lang != default and (url == lang + "/" or url.startswith(lang + "/")):
            current, path = lang, url[len(lang) + 1:]
    site_url = (config.site_url or "").rstrip("/") + "/"
    here = posixpath.dirname(url) if not url.endswith("/") else url.rstrip("/")
    alternates = []
    for lang in langs:
        target = ("" if lang == default else lang + "/") + path
        rel = posixpath.relpath(target.rstrip("/") or ".", here or ".")
        if target.endswith("/") or target == "":
            rel = "./" if rel == "." else rel + "/"
        alternates.append({"lang": lang, "name": names[lang], "link": rel,
                           "url": site_url + target, "current": lang == current})
    return {"lang": current, "default": default, "alternates": alternates,
            "x_default": site_url + path, "root": posixpath.relpath(
                ("" if current == default else current) or ".", here or ".")}


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
    segmenter = Segmenter(catalog_vocabulary(CATALOG)) if CATALOG is not None else None
    for lang, data in split_index(index, langs, default, segmenter).items():
        target = site / ("" if lang == default else lang) / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
                          encoding="utf-8")


def on_config(config):
    """Generate the pages before MkDocs looks at the docs folder (serve, plain build)."""
    quiet_third_parties()
    if PREGENERATED:
        return config
    global CATALOG
    from .build import source_date_epoch
    from .generators import render_pages
    from .readers import read_catalog
    from .writers import write_pages

    root = Path(config.config_file_path).parent
    catalog, problems = read_catalog(root)
    problems.report()
    if problems.errors:
        raise PluginError(f"{len(problems.errors)} problem(s) in {COURSES_DIR}/; fix them and save again")
    CATALOG = catalog
    os.environ.setdefault("SOURCE_DATE_EPOCH", source_date_epoch(catalog))
    changed = write_pages(Path(config.docs_dir),
                          render_pages(catalog, directory_urls=config.use_directory_urls))
    if changed:
        log.info("course pages updated: %d file(s)", len(changed))
    return config


def on_serve(server, config, builder):
    """Rebuild the preview when a course file or a page template changes."""
    root = Path(config.config_file_path).parent
    server.watch(str(root / COURSES_DIR))
    server.watch(str(Path(__file__).parent / "templates"))
    return server
