"""Stage 3: write generated pages, the sitemap, and swap in the finished site.

Pages are written only when their content changed, so a preview does not see
its own output as an edit and unchanged files keep their mtime.  The site is
built in fresh sibling folders (one per language) and moved into place only
when it is complete: a failed or killed build never leaves a half-written
``site/``.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

#: Files in the docs folder that are ours to keep (not generated).
KEEP = {".gitignore"}


class UnsafeOutput(ValueError):
    """A write that would land outside the build's own folders: refused."""


def write_pages(docs_dir: Path, pages, *, prune: bool = True,
                keep: set[str] = frozenset()) -> list[str]:
    """Write ``pages`` (a mapping or an iterable of (relative path, text), which
    may be produced while writing) under ``docs_dir``; return the relative
    paths rewritten.  Each text is written, then dropped.

    Pruning removes every other file except those in ``keep`` (pages that are
    up to date and were therefore not rendered again)."""
    if docs_dir.is_symlink():  # pruning would delete files wherever it points
        raise UnsafeOutput(f"refusing to write into {docs_dir}: it is a link to another folder")
    docs_dir.mkdir(parents=True, exist_ok=True)
    real = docs_dir.resolve()
    inside: dict[Path, bool] = {}  # each folder resolved once
    changed, written = [], set()
    for rel, content in (sorted(pages.items()) if isinstance(pages, dict) else pages):
        target = docs_dir / rel
        parent = target.parent
        if parent not in inside:
            parent.mkdir(parents=True, exist_ok=True)
            inside[parent] = parent.resolve().is_relative_to(real)
        if not inside[parent] or Path(rel).name in ("", ".", "..") or target.is_symlink():
            raise UnsafeOutput(f"refusing to write outside {docs_dir}: {rel}")
        written.add(Path(rel))
        if _replace_if_changed(target, content.encode("utf-8")):
            changed.append(rel)
    if prune:
        wanted = written | {Path(rel) for rel in keep}
        for path in sorted(docs_dir.rglob("*"), reverse=True):
            rel = path.relative_to(docs_dir)
            if path.is_file() and rel not in wanted and rel.name not in KEEP:
                path.unlink()
                changed.append(str(rel))
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed


def _replace_if_changed(target: Path, data: bytes) -> bool:
    """Write ``data`` to ``target`` atomically, unless it holds it already; True when written."""
    try:
        if target.read_bytes() == data:
            return False
    except OSError:
        pass
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return True


def read_json(path: Path) -> dict:
    """A JSON object written by :func:`write_json` ({} if missing or unreadable)."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_json(path: Path, data: dict) -> None:
    """Write ``data`` atomically (a reader sees the old file or the new one)."""
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
                   encoding="utf-8")
    os.replace(tmp, path)


def staging_dir(site_dir: Path) -> Path:
    """A fresh empty folder beside ``site_dir`` to build into."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.new-", dir=site_dir.parent))


def recover(site_dir: Path) -> None:
    """Undo an interrupted swap: restore the previous site if it was set aside."""
    old = site_dir.with_name(f".{site_dir.name}.old")
    if old.exists() and not site_dir.exists():
        os.replace(old, site_dir)
        log.info("restored %s from an interrupted build", site_dir)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)
    for stale in site_dir.parent.glob(f".{site_dir.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)


def swap_in(new: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by ``new``; at no moment is there no complete site.

    Where the system can exchange two folders in one step (Linux renameat2),
    the new and the old site trade places and the old one, now under the
    staging name, is removed (``recover`` removes it if the build is killed
    first).  Elsewhere: two renames, the old site kept aside until the new one
    is in place, and ``recover`` puts it back if the build dies in between.
    """
    old = site_dir.with_name(f".{site_dir.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if site_dir.exists() and _exchange(new, site_dir):
        shutil.rmtree(new)
        return
    if site_dir.exists():
        os.replace(site_dir, old)
    os.replace(new, site_dir)
    if old.exists():
        shutil.rmtree(old)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def replace_file(source: Path, target: Path) -> None:
    """Copy ``source`` over ``target`` in one step (a reader sees one or the other)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def move_into(part: Path, target: Path) -> None:
    """Move a language's finished folder into place (one rename)."""
    if target.exists():
        shutil.rmtree(target)
    os.replace(part, target)


#: The theme's files in each language's build (Material's and overrides/assets/).
ASSETS_DIR = "assets"


def share_assets(site: Path, folders: list[str], site_url: str) -> list[str]:
    """One copy of the theme's assets for every language.  Each language's
    MkDocs build writes its own ``assets/``; where a language's folder (e.g.
    ``zh``) holds a byte-identical copy of the site's, its pages are pointed at
    the site's files and the copy goes: a language switch downloads nothing
    again.  Returns the folders that now use the site's assets."""
    import filecmp

    shared = site / ASSETS_DIR
    names = sorted(str(p.relative_to(shared)) for p in shared.rglob("*") if p.is_file())
    done = []
    for name in folders:
        own = site / name / ASSETS_DIR
        if not own.is_dir():
            continue
        mine = sorted(str(p.relative_to(own)) for p in own.rglob("*") if p.is_file())
        same, _, _ = filecmp.cmpfiles(shared, own, mine, shallow=False)
        if mine != names or len(same) != len(mine):
            log.info("%s/%s differs from %s/: kept", name, ASSETS_DIR, ASSETS_DIR)
            continue
        point_at_shared_assets(site / name, name, site_url)
        shutil.rmtree(own)
        done.append(name)
    return done


def point_at_shared_assets(folder: Path, name: str, site_url: str) -> None:
    """Point the pages of a language's folder ``name`` (the site's, or their
    offline form) at the site's ``assets/`` instead of the folder's own."""
    import re
    from urllib.parse import urlsplit

    absolute = (urlsplit(site_url).path or "/").rstrip("/") + "/"
    for page in folder.rglob("*.html"):
        depth = len(page.relative_to(folder).parts) - 1
        text = page.read_text(encoding="utf-8")
        # Relative links into the language's assets/ climb one folder more;
        # absolute ones (the 404 page) lose the language's folder.
        new = re.sub(r"""(?<=["'(])""" + re.escape("../" * depth + ASSETS_DIR + "/"),
                     "../" * (depth + 1) + ASSETS_DIR + "/", text)
        new = new.replace(f'"{absolute}{name}/{ASSETS_DIR}/', f'"{absolute}{ASSETS_DIR}/')
        if new != text:
            _replace_if_changed(page, new.encode("utf-8"))


def drop_sitemap(folder: Path) -> None:
    """Remove the sitemap MkDocs wrote for one language's pages only (the
    site's own sitemap, :func:`write_sitemap`, lists every language)."""
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        (folder / name).unlink(missing_ok=True)


def write_sitemap(site: Path, catalog, site_url: str, directory_urls: bool) -> None:
    """One sitemap.xml (and .gz) at the root: every page in every language,
    each with all its alternates."""
    import gzip
    from xml.sax.saxutils import quoteattr, escape as xml_escape

    from .urls import Pages

    languages = catalog.site_languages
    pages = Pages(languages, directory_urls, site_url)
    latest = catalog.latest_update()
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for page in pages.all(catalog):
        if page == pages.saved():  # one learner's list on one device: nothing to index
            continue
        course = catalog.courses.get(page[len("courses/"):-len(".md")]) if page.startswith("courses/") else None
        modified = (course.updated if course else latest)
        for lang in languages:
            lines.append("    <url>")
            lines.append(f"        <loc>{xml_escape(pages.absolute(lang, page))}</loc>")
            if modified:
                lines.append(f"        <lastmod>{modified.isoformat()}</lastmod>")
            for other in languages:
                lines.append(f'        <xhtml:link rel="alternate" hreflang={quoteattr(other)} '
                             f'href={quoteattr(pages.absolute(other, page))}/>')
            lines.append("    </url>")
    lines.append("</urlset>")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    (site / "sitemap.xml").write_bytes(data)
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(data, mtime=0))


def write_files(folder: Path, files: dict[str, bytes], *, prune: str | None = None) -> int:
    """Write ``files`` (path in ``folder`` -> bytes) into ``folder``; a file that
    already holds the same bytes is left alone.  ``prune``: a subfolder whose
    other files (calendars of runs no longer upcoming) are removed.  Returns
    how many files were written."""
    written = 0
    for rel, data in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        written += _replace_if_changed(target, data)
    if prune and (folder / prune).is_dir():
        for old in (folder / prune).rglob("*"):
            if old.is_file() and old.relative_to(folder).as_posix() not in files:
                old.unlink()
    return written


def write_language_feeds(folder: Path, catalog, lang: str, site_url: str, directory_urls: bool,
                         cache: Path | None = None) -> int:
    """The calendars (feeds.calendar_files) and Atom feeds (atom.feed_files) of
    ``lang`` into its folder ``folder``; those of runs, categories or places no
    longer listed are removed.  With ``cache``, made again only when what they
    are made from changed (fingerprints.feeds_fingerprint), else the last
    build's, kept there."""
    from .atom import FEEDS_DIR, feed_files
    from .feeds import calendar_files
    from .fingerprints import feeds_fingerprint
    from .settings import CALENDARS_DIR
    from .urls import Pages

    key = feeds_fingerprint(catalog, lang, directory_urls=directory_urls, site_url=site_url) if cache else None
    stored = read_json(cache / f"feeds-{lang}.json") if cache else {}
    if stored.get("key") == key and isinstance(stored.get("calendars"), dict) and isinstance(stored.get("feeds"), dict):
        calendars = {path: text.encode("utf-8") for path, text in stored["calendars"].items()}
        feeds = {path: text.encode("utf-8") for path, text in stored["feeds"].items()}
    else:
        pages = Pages(catalog.site_languages, directory_urls, site_url)
        calendars, feeds = calendar_files(catalog, pages, lang), feed_files(catalog, pages, lang)
        if cache:
            write_json(cache / f"feeds-{lang}.json", {
                "key": key, "calendars": {p: b.decode("utf-8") for p, b in calendars.items()},
                "feeds": {p: b.decode("utf-8") for p, b in feeds.items()}})
    return (write_files(folder, calendars, prune=CALENDARS_DIR)
            + write_files(folder, feeds, prune=FEEDS_DIR))


def write_data_files(site: Path, catalog, site_url: str, directory_urls: bool) -> int:
    """The data for other systems at the root of ``site``: catalog.json and its
    schema (feeds.data_files)."""
    from .feeds import data_files
    from .urls import Pages

    return write_files(site, data_files(catalog, Pages(catalog.site_languages, directory_urls, site_url)))


def write_site_files(site: Path, catalog, site_url: str, directory_urls: bool) -> int:
    """The files of the whole site ``site`` that no language's pages hold: the
    sitemap and the data files."""
    write_sitemap(site, catalog, site_url, directory_urls)
    return write_data_files(site, catalog, site_url, directory_urls)


def write_feeds(site: Path, catalog, site_url: str, directory_urls: bool) -> int:
    """The data files of the whole site ``site`` and each language's calendars and feeds:
    what the preview rewrites after a change."""
    languages = catalog.site_languages
    written = write_data_files(site, catalog, site_url, directory_urls)
    for lang in languages:
        written += write_language_feeds(site / languages.prefix(lang), catalog, lang, site_url, directory_urls)
    return written


def release_memory() -> None:
    """Collect garbage and hand freed heap back to the system (glibc): what one
    stage held (the catalog's positions, jieba's dictionary) is not carried into
    the next (a forked worker, MkDocs' build)."""
    import gc

    gc.collect()
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def discard(new: Path) -> None:
    shutil.rmtree(new, ignore_errors=True)
