"""One language of the site: its pages written into docs/, then its MkDocs build.

Where this sits: pages (rendering) -> MkDocs -> site; pipeline.py runs one of
these per language.

``site_builder build`` runs :func:`build_language` once per language, side by
side in separate processes; each is an ordinary MkDocs build of one locale
(mkdocs-static-i18n's ``build_only_locale``) into its own folder.  The catalog
plugin calls :func:`generate_language` and :func:`write_search_index` from its
events in plain ``mkdocs build`` / ``mkdocs serve`` too.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import writers
from .fingerprints import fingerprints
from .qr import QrCodes
from .rendering import render_language
from .urls import Pages
from .settings import CONFIG_FILE, DOCS_DIR

log = logging.getLogger(__name__)

#: Environment read by mkdocs.yml (!ENV): the language of a one-locale build,
#: whether the plugin writes the pages, and the address of the site's root.
LOCALE_ENV, GENERATE_ENV, SITE_ROOT_ENV = "CATALOG_LOCALE", "CATALOG_GENERATE", "CATALOG_SITE_ROOT"
#: Environment read by mkdocs.yml: whether the build writes the search index.
SEARCH_ENV = "CATALOG_SEARCH"


def _manifest_path(cache: Path, lang: str) -> Path:
    return cache / f"pages-{lang}.json"


def _cards_path(cache: Path, lang: str) -> Path:
    """The courses' cards of ``lang``'s listing pages (rendering.Cards), kept between builds."""
    return cache / f"cards-{lang}.json"


def _search_path(cache: Path, lang: str) -> Path:
    """The generated pages' search documents of ``lang`` (written by generate_language)."""
    return cache / f"search-{lang}.json"


def generate_language(root: Path, catalog, lang: str, *, directory_urls: bool, site_url: str,
                      cache: Path, docs_dir: Path | None = None, download: str | None = None,
                      timings: dict | None = None, digests: dict | None = None,
                      gaps: dict | None = None, release: bool = True,
                      search_index: bool = True) -> list[str]:
    """Render the pages of ``lang`` that may have changed, write those that did.

    Course pages whose inputs (``fingerprints``) are as at the last build, and
    still on disk, are neither rendered nor written; listing pages always are.
    ``release``: hand the memory rendering took back before MkDocs' build (a
    full build; the preview's short-lived workers need not).  ``search_index``:
    also make the language's search documents (:func:`write_search_index`).
    The search entries of every course page go to the cache for
    :func:`write_search_index`.  Returns the paths rewritten (or removed).
    """
    timings = timings if timings is not None else {}
    start = time.perf_counter()
    base = docs_dir or root / DOCS_DIR
    if base.is_symlink():  # pruning would delete files wherever it points
        raise writers.UnsafeOutput(f"refusing to write into {base}: it is a link to another folder")
    docs = base / lang
    pages = Pages(catalog.site_languages, directory_urls, site_url)
    prints = fingerprints(catalog, lang, directory_urls=directory_urls, site_url=site_url,
                          digests=digests)
    manifest = writers.read_json(_manifest_path(cache, lang))
    before = manifest.get("courses", {}) if isinstance(manifest.get("courses"), dict) else {}
    kept = {cid for cid, fp in prints.items()
            if isinstance(before.get(cid), dict) and before[cid].get("print") == fp
            and (docs / pages.course(cid)).is_file()}
    qr = QrCodes(cache / f"qr-codes-{lang}.json")
    from .fingerprints import listing_fingerprint, translation_gaps_of
    from .pinyin import Pinyin, Readings
    from .search import Segmenter, catalog_vocabulary

    vocabulary = catalog_vocabulary(catalog)
    pinyin = Pinyin(Segmenter(vocabulary), Readings.of_catalog(catalog), cache / f"pinyin-{lang}.json")
    gaps = gaps if gaps is not None else translation_gaps_of(catalog)
    listing_print = listing_fingerprint(catalog, lang, directory_urls=directory_urls,
                                        site_url=site_url, download=download, gaps=gaps)
    listing = [p for p in pages.all(catalog) if not p.startswith("courses/")]
    listings_kept = manifest.get("listing") == listing_print and all((docs / p).is_file() for p in listing)

    from .rendering import Cards

    cards = Cards(writers.read_json(_cards_path(cache, lang)).get("cards"), prints)
    search = {cid: before[cid].get("search", []) for cid in kept}
    by_path = {pages.course(cid): cid for cid in prints}
    count = 0

    def sources():  # each page is written, then dropped, before the next is rendered
        nonlocal count
        for page in render_language(catalog, lang, directory_urls=directory_urls, site_url=site_url,
                                    only_courses=set(prints) - kept, download=download, qr_codes=qr,
                                    listings=not listings_kept, gaps=gaps, pinyin=pinyin,
                                    cards=cards):
            count += 1
            if page.path in by_path:
                search[by_path[page.path]] = page.search
            yield page.path, page.source()
            if page.reading:
                yield page.reading
            if page.compare:
                yield page.compare

    changed = writers.write_pages(docs, sources(), keep={pages.course(cid) for cid in kept}
                                  | {pages.reading(cid) for cid in kept}
                                  | {pages.compare(cid) for cid in kept}
                                  | (set(listing) if listings_kept else set()))
    timings["render"] = timings.get("render", 0.0) + time.perf_counter() - start
    start = time.perf_counter()
    courses = {cid: {"print": prints[cid], "search": search.get(cid, [])} for cid in prints}
    writers.write_json(_manifest_path(cache, lang),
                       {"vocabulary": vocabulary, "courses": courses,
                        "listing": listing_print})
    qr.save()
    pinyin.save()
    if cards.used:  # the listing pages were rendered: keep their cards for the next build
        writers.write_json(_cards_path(cache, lang), {"cards": cards.used})
    if search_index:
        _search_documents(catalog, courses, vocabulary, cache, lang)
    if release:
        writers.release_memory()
    timings["write"] = timings.get("write", 0.0) + time.perf_counter() - start
    log.debug("%s: rendered %d pages; %d courses unchanged", lang, count, len(kept))
    return changed


def _search_documents(catalog, courses: dict, vocabulary: list, cache: Path, lang: str) -> None:
    """The search documents of the generated pages and the tables that forgive
    a query (search.search_aids), into the cache for :func:`write_search_index`."""
    # Segmented now, while jieba is loaded for the pinyin anyway; the MkDocs
    # build then runs without it.
    from .search import Segmenter, index_docs, release_tokenizers, search_aids

    segmenter = Segmenter(vocabulary, cache / f"segments-{lang}.json")
    ordered = [tuple(e) for cid in sorted(courses) for e in courses[cid]["search"]]
    docs = index_docs(ordered, segmenter)
    writers.write_json(_search_path(cache, lang), {"docs": docs,
                                                   "aids": search_aids(catalog, docs, segmenter, lang)})
    segmenter.save()
    del segmenter
    release_tokenizers()


def write_search_index(root: Path, site_dir: Path, lang: str, *, cache: Path) -> None:
    """Add the generated pages' search entries to the index Material's search
    plugin wrote for this build (``site_dir/search/search_index.json``)."""
    from .search import Segmenter, language_index

    target = site_dir / "search" / "search_index.json"
    material = writers.read_json(target)
    if not material:
        return
    manifest = writers.read_json(_manifest_path(cache, lang))
    generated = writers.read_json(_search_path(cache, lang))
    ours = generated.get("docs", [])
    # Material's own entries (pages it parsed; none of ours) are made alike.
    segmenter = (Segmenter(manifest.get("vocabulary") or [], cache / f"segments-{lang}.json")
                 if material.get("docs") else None)
    index = language_index(material, ours, segmenter, generated.get("aids"))
    if segmenter is not None:
        segmenter.save()
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    target.write_text(text, encoding="utf-8")


def site_options(root: Path) -> dict | str:
    """What page generation needs from mkdocs.yml (site URL, URL style), or
    the reason (a string) why the configuration is invalid."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    try:
        config = load_config(str(root / CONFIG_FILE), strict=True)
    except (Abort, MkDocsException) as exc:
        return f"{CONFIG_FILE}: {exc}"
    site_url = config.site_url or ""
    return {"site_url": site_url.rstrip("/") + "/" if site_url else "",
            "use_directory_urls": config.use_directory_urls}


# ---------------------------------------------------------------------------
# The per-language build (in its own process)
# ---------------------------------------------------------------------------

@dataclass
class LanguageJob:
    """What one language's build needs."""

    root: Path
    lang: str
    #: Where MkDocs writes this language's pages (the staging folder, or a
    #: folder beside it that becomes staging/<lang>/).
    site_dir: Path
    #: The published address of the site's root.
    site_root: str
    directory_urls: bool
    cache: Path
    download: str | None = None
    #: Where the pages' offline form goes (offline.prepare), or None for none.
    offline_dir: Path | None = None
    #: Each course's own digest (fingerprints.course_digests), if already known.
    digests: dict | None = None
    #: Each course's translation gaps (fingerprints.translation_gaps_of), if already known.
    gaps: dict | None = None
    #: Preview: rebuild only the pages whose source changed (plus the listing
    #: pages, which make the navigation) and copy them into ``site_dir``.
    pages_only: bool = False
    #: This job's folder is the site's root (the default language): it also
    #: writes the files of the whole site, catalog.json, its schema and one
    #: sitemap of every language; the other languages drop their own sitemaps.
    site_files: bool = False
    #: Whether the build writes the language's search index.  The preview's
    #: first pass over an edit shows the pages; its second, in the background,
    #: brings the search index up to date.
    search: bool = True


@dataclass
class LanguageResult:
    lang: str
    ok: bool
    error: str = ""
    changed: int = 0
    timings: dict = field(default_factory=dict)


def build_language(job: LanguageJob, catalog) -> LanguageResult:
    """Write the docs of ``job.lang`` and run MkDocs' build of that one locale."""
    from mkdocs.exceptions import Abort, MkDocsException, PluginError

    timings: dict = {}
    languages = catalog.site_languages
    site_url = job.site_root + languages.prefix(job.lang) if job.site_root else ""
    try:
        changed = generate_language(job.root, catalog, job.lang, directory_urls=job.directory_urls,
                                    site_url=job.site_root, cache=job.cache, download=job.download,
                                    timings=timings, digests=job.digests, gaps=job.gaps,
                                    release=not job.pages_only, search_index=job.search)
    except writers.UnsafeOutput as exc:
        return LanguageResult(job.lang, False, str(exc), timings=timings)
    os.environ.update({LOCALE_ENV: job.lang, GENERATE_ENV: "false", SITE_ROOT_ENV: job.site_root,
                       SEARCH_ENV: "true" if job.search else "false"})
    if job.pages_only:
        return _rebuild_pages(job, catalog, changed, site_url, timings)
    start = time.perf_counter()
    try:
        options = {"site_dir": str(job.site_dir), "strict": True}
        if site_url:
            options["site_url"] = site_url
        run_mkdocs(job.root, options)
        # This language's calendars and Atom feeds, beside its pages.
        start_feeds = time.perf_counter()
        writers.write_language_feeds(job.site_dir, catalog, job.lang, job.site_root, job.directory_urls,
                                     cache=job.cache)
        timings["calendars"] = time.perf_counter() - start_feeds
        if job.offline_dir is not None:
            from .offline import prepare

            prepare(job.site_dir, languages.prefix(job.lang), job.offline_dir)
        if job.site_files:
            from .cms import write_admin

            writers.write_site_files(job.site_dir, catalog, job.site_root, job.directory_urls)
            write_admin(job.site_dir, job.root, catalog)  # the web editor, at admin/
        else:
            writers.drop_sitemap(job.site_dir)
    except Abort as exc:
        return LanguageResult(job.lang, False, f"MkDocs stopped ({job.lang}): {exc}", timings=timings)
    except (MkDocsException, PluginError) as exc:
        return LanguageResult(job.lang, False, f"MkDocs failed ({job.lang}): {exc}", timings=timings)
    finally:
        timings["mkdocs"] = time.perf_counter() - start
    return LanguageResult(job.lang, True, changed=len(changed), timings=timings)


def warm_up(catalog) -> None:
    """Load in this process what a language build loads first: the page
    templates compiled, pypinyin's dictionary and jieba taught the catalog's
    words.  The preview calls it once per catalog, so that the workers it forks
    on every save start with them."""
    from .pinyin import dictionary
    from .rendering import environment
    from .search import Segmenter, catalog_vocabulary

    env = environment()
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)
    dictionary()
    Segmenter(catalog_vocabulary(catalog)).load()


def run_mkdocs(root: Path, options: dict) -> None:
    """``mkdocs build`` of root/mkdocs.yml with ``options``, as MkDocs' command line runs it."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(root / CONFIG_FILE), **options)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


def _rebuild_pages(job: LanguageJob, catalog, changed: list[str], site_url: str,
                   timings: dict) -> LanguageResult:
    """The MkDocs build of a few pages (the preview): the changed course pages
    and every listing page (they make the navigation, so each page comes out
    as the full build writes it), copied into the served site with the
    language's search index."""
    import shutil
    import tempfile

    from mkdocs.exceptions import Abort, MkDocsException, PluginError

    pages = Pages(catalog.site_languages, job.directory_urls, job.site_root)
    docs = job.root / DOCS_DIR / job.lang
    listing = [p for p in pages.all(catalog) if not p.startswith("courses/")]
    wanted = sorted(set(listing) | {p for p in changed if p.endswith(".md") and (docs / p).is_file()})
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=".preview-", dir=job.cache) as work:
        work = Path(work)
        for page in wanted:
            target = work / "docs" / job.lang / page
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(docs / page, target)
        options = {"site_dir": str(work / "site"), "docs_dir": str(work / "docs"), "strict": True}
        if site_url:
            options["site_url"] = site_url
        try:
            run_mkdocs(job.root, options)
        except (Abort, MkDocsException, PluginError) as exc:
            return LanguageResult(job.lang, False, f"MkDocs stopped ({job.lang}): {exc}",
                                  timings=timings)
        built = work / "site"
        outputs = [pages.url(page) for page in wanted]
        files = [(f"{url}index.html" if url.endswith("/") or url == "" else url) for url in outputs]
        for rel in [*files, *(["search/search_index.json"] if job.search else [])]:
            source = built / rel
            if source.is_file():
                writers.replace_file(source, job.site_dir / rel)
    # Other files of the docs (the reading mode's texts) go to the site as MkDocs copies them.
    writers.write_files(job.site_dir, {rel: (docs / rel).read_bytes() for rel in changed
                                       if not rel.endswith(".md") and (docs / rel).is_file()})
    timings["mkdocs"] = time.perf_counter() - start
    return LanguageResult(job.lang, True, changed=len(changed), timings=timings)
