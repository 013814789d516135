"""The MkDocs plugin ``catalog`` (mkdocs.yml: plugins): a thin event layer.

Only documented plugin events and config options are used:

- ``on_config``: write the generated pages into docs/ (plain ``mkdocs build`` and
  ``mkdocs serve``; ``site_builder build`` writes them itself and turns this
  off with the ``generate`` option);
- ``on_page_markdown`` / ``on_page_content``: a generated page is a small
  Markdown shell (title, headings: MkDocs makes the table of contents from
  it) and the body HTML our templates made from the model; Markdown renders
  the shell only, and the page's content is the body;
- ``on_page_context`` / ``on_template_context``: the page in every language
  (same-page switcher, absolute hreflang, x-default) and the interface labels;
- ``on_env``: the ``catalog_search_config`` filter, which points Material's
  search at our worker without copying Material's ``config`` block, and
  Jinja's bytecode cache for the theme's compiled templates;
- ``on_post_build``: the language's search index gets the generated pages'
  entries (made from the model, Chinese segmented);
- ``on_serve``: ``mkdocs serve`` watches courses/ and the page templates.

The language of a build is the i18n plugin's ``build_only_locale`` (one
MkDocs build per language) or its default language.
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.config import base  # noqa: E402
from mkdocs.config import config_options as c  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import BasePlugin, event_priority  # noqa: E402

from .settings import COURSES_DIR, site_languages  # noqa: E402

log = logging.getLogger(__name__)


class CatalogConfig(base.Config):
    """Options of the ``catalog`` plugin."""

    #: Write docs/ from courses/ when the build starts (plain mkdocs build/serve).
    #: ``site_builder build`` has written the pages already and sets it off.
    generate = c.Type(bool, default=True)
    #: The published address of the site's root (the default language), when the
    #: build's own site_url is that of another language's folder; "" = site_url.
    site_root = c.Type(str, default="")
    #: Folder (relative to mkdocs.yml) of what builds reuse: search entries,
    #: segmented text, QR codes.
    cache_dir = c.Type(str, default=".cache")
    #: Add the generated pages' entries to the search index after the build.
    #: The preview's first pass over an edit leaves the index to its second.
    search_entries = c.Type(bool, default=True)


class CatalogPlugin(BasePlugin[CatalogConfig]):
    """Generated pages through MkDocs' documented events (see the module doc)."""

    def __init__(self):
        super().__init__()
        #: Body HTML of each generated page, from on_page_markdown to on_page_content.
        self.bodies: dict[str, str] = {}
        #: The generated pages of this build (their content is dropped once written).
        self.generated: set[str] = set()

    # -- the build's language and addresses ------------------------------------

    def _root(self, config) -> Path:
        return Path(config.config_file_path).parent

    def _build_language(self, config) -> str:
        i18n = config.plugins.get("i18n")
        locale = i18n.config.build_only_locale if i18n is not None else None
        return locale or site_languages(self._root(config)).default

    def _site_root(self, config) -> str:
        root = self.config.site_root or config.site_url or ""
        return root.rstrip("/") + "/" if root else ""

    # -- events ------------------------------------------------------------------

    def on_config(self, config):
        if not self.config.generate:
            return config
        from .language_build import generate_language
        from .readers import read_catalog

        root = self._root(config)
        catalog, problems = read_catalog(root)
        problems.report()
        if problems.errors:
            raise PluginError(f"{len(problems.errors)} problem(s) in {COURSES_DIR}/; "
                              "fix them and save again")
        i18n = config.plugins.get("i18n")
        only = i18n.config.build_only_locale if i18n is not None else None
        for lang in ([only] if only else catalog.site_languages):
            changed = generate_language(root, catalog, lang, directory_urls=config.use_directory_urls,
                                        site_url=self._site_root(config),
                                        cache=root / self.config.cache_dir,
                                        docs_dir=Path(config.docs_dir))
            if changed:
                log.info("course pages updated (%s): %d file(s)", lang, len(changed))
        return config

    def on_serve(self, server, config, builder):
        """Rebuild the preview when a course file or a page template changes."""
        root = self._root(config)
        server.watch(str(root / COURSES_DIR))
        server.watch(str(Path(__file__).parent / "templates"))
        # docs/ is our output: a rebuild writes it, so watching it would rebuild twice.
        try:
            server.unwatch(config.docs_dir)
        except (KeyError, ValueError):  # pragma: no cover - not watched
            pass
        return server

    def on_env(self, env, config, files):
        from jinja2 import FileSystemBytecodeCache

        env.filters["catalog_search_config"] = search_config
        # The theme's templates, compiled once and kept (Jinja's documented
        # bytecode cache, keyed by each template's source): every build
        # otherwise compiles them again, a third of a preview's MkDocs time.
        folder = self._root(config) / self.config.cache_dir / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
        return env

    def on_page_markdown(self, markdown, page, config, files):
        from .rendering import split_source

        shell, body = split_source(markdown)
        if body is not None:
            self.bodies[page.file.src_uri] = body
        return shell

    def on_page_content(self, html, page, config, files):
        body = self.bodies.pop(page.file.src_uri, None)
        if body is None:
            return html
        self.generated.add(page.file.src_uri)
        return body

    @event_priority(-200)  # after every other plugin has seen the page
    def on_post_page(self, output, page, config):
        """The page is written next: its content (the body HTML) is not read again,
        so a build holds only the pages not yet written (memory at thousands of pages)."""
        if page.file.src_uri in self.generated:
            page.content = None
        return output

    @event_priority(-200)  # after mkdocs-static-i18n has set the page's language
    def on_page_context(self, context, page, config, nav):
        lang = context.get("i18n_page_locale") or self._build_language(config)
        languages = page_languages(page.url, lang, site_languages(self._root(config)),
                                   self._site_root(config), config["use_directory_urls"])
        self._set_context(context, config, languages)
        return context

    def on_template_context(self, context, template_name, config):
        if template_name == "404.html":
            lang = context.get("i18n_current_language") or self._build_language(config)
            languages = not_found_languages(lang, site_languages(self._root(config)),
                                            self._site_root(config))
            self._set_context(context, config, languages)
        return context

    def _set_context(self, context, config, languages: dict) -> None:
        from .labels import labels

        context["catalog_i18n"] = languages
        context["catalog_labels"] = labels(site_languages(self._root(config))).get(languages["lang"], {})
        # Material prints extra.alternate as <link rel="alternate" hreflang>, and
        # shows the language switcher when it is set: the page's own alternates
        # (absolute: hreflang needs absolute URLs; the switcher, our partial,
        # links them relatively).  mkdocs-static-i18n sets it per page the same way.
        config.extra["alternate"] = [{"lang": alt["lang"], "name": alt["name"], "link": alt["url"]}
                                     for alt in languages["alternates"]]

    @event_priority(-200)  # after Material's search plugin has written the index
    def on_post_build(self, config):
        from .language_build import write_search_index

        if not self.config.search_entries:
            return
        write_search_index(self._root(config), Path(config.site_dir), self._build_language(config),
                           cache=self._root(config) / self.config.cache_dir)


# ---------------------------------------------------------------------------
# Pure helpers (no MkDocs objects)
# ---------------------------------------------------------------------------

def page_languages(url: str, lang: str, languages, site_root: str, directory_urls: bool = True) -> dict:
    """The page at ``url`` (in a build of ``lang``) in every language: relative
    link (switcher) and absolute URL (hreflang)."""
    from .urls import Pages, relative_url

    prefix = languages.prefix(lang)
    urls = Pages(languages, directory_urls)
    path = url[len(prefix):] if prefix and url.startswith(prefix) else url
    here = prefix + path  # the page's place in the whole site
    alternates = []
    for other in languages:
        target = languages.prefix(other) + path
        alternates.append({"lang": other, "name": languages.names[other],
                           "link": relative_url(here, target),
                           "url": site_root + target, "current": other == lang})
    return {"lang": lang, "default": languages.default, "alternates": alternates,
            "x_default": site_root + path,
            # The maintainers' translation status page, linked from the footer
            # only; the catalog, where search sends a learner to the online runs.
            "status": relative_url(here, prefix + urls.url(Pages.status())),
            "catalog": relative_url(here, prefix + urls.url(Pages.catalog()))}


def not_found_languages(lang: str, languages, site_root: str) -> dict:
    """Language links of a 404 page: it is served at any depth, so they are
    absolute paths, to each language's home page."""
    path = urlsplit(site_root).path or "/"
    alternates = [{"lang": other, "name": languages.names[other], "current": other == lang,
                   "link": path + languages.prefix(other), "url": site_root + languages.prefix(other)}
                  for other in languages]
    return {"lang": lang, "default": languages.default, "alternates": alternates,
            "x_default": site_root}


_CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def search_config(material_block, worker: str):
    """Material's ``config`` block (its ``super()``) with the search worker set
    to ours; Material's own worker URL rides along in the fragment, so that
    ours can load it without knowing its hashed name."""
    from jinja2.utils import htmlsafe_json_dumps
    from markupsafe import Markup

    text = str(material_block)
    match = _CONFIG_SCRIPT.search(text)
    if match is None:  # pragma: no cover - a theme without the block
        return Markup(text)
    data = json.loads(match.group(2))
    if data.get("search"):
        # Material's worker, relative to ours (both are theme files of this site).
        material = posixpath.relpath(urlsplit(data["search"]).path or ".",
                                     posixpath.dirname(urlsplit(worker).path) or ".")
        data["search"] = f"{worker}#{quote(material, safe='/.')}"
    script = match.group(1) + str(htmlsafe_json_dumps(data, dumps=json.dumps, sort_keys=True)) \
        + match.group(3)
    return Markup(text[:match.start()] + script + text[match.end():])
