"""The two pipeline commands: ``check`` and ``build``.

``build`` is a short list of stages; each stage lives in its own module and
only the last two know about MkDocs.
"""

from __future__ import annotations

import calendar
import logging
import os
import time
from contextlib import contextmanager
from pathlib import Path

from .generators import Pages, fingerprints, render_pages
from .problems import Problems
from .readers import read_catalog
from .settings import DOCS_DIR, LANGUAGES, SITE_DIR
from . import writers

log = logging.getLogger(__name__)

#: Seconds spent in each stage of the last :func:`build` (read, render, write,
#: mkdocs, swap); logged at debug level and read by bench/build_bench.py.
TIMINGS: dict[str, float] = {}


@contextmanager
def _stage(name: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        TIMINGS[name] = TIMINGS.get(name, 0.0) + time.perf_counter() - start


def check(root: Path, *, strict: bool = False, only: set[str] | None = None, show=None) -> int:
    """Check every course file; log every problem; 0 when there are no errors.

    ``strict`` (CI) makes untranslated texts errors; ``only`` limits what is
    reported to these source files (the whole catalog is still read: courses
    refer to each other); ``show(catalog, problems)`` replaces the log of the
    problems (the command line prints annotations or a report through it).
    """
    catalog, problems = read_catalog(root, missing_translation=_severity(strict))
    if only is not None:
        problems = Problems(p for p in problems if p.path in only)
    if show is None:
        problems.report()
    else:
        show(catalog, problems)
    _translation_hint(catalog, strict, only)
    return _summary(catalog, problems)


def _severity(strict: bool) -> str:
    """How an untranslated text counts: an error in strict runs (CI), else a warning."""
    return "error" if strict else "warning"


def _translation_hint(catalog, strict: bool, only: set[str] | None = None) -> None:
    from .report import incomplete

    todo = [c for c in incomplete(catalog) if only is None or catalog.sources.get(c) in only]
    if todo and not strict:
        names = ", ".join(todo[:5]) + (", ..." if len(todo) > 5 else "")
        log.warning("not fully translated yet: %d course%s (%s); the preview marks what is missing, "
                    "--strict (CI) fails; 'python3 dev.py check --report' lists every text left",
                    len(todo), "" if len(todo) == 1 else "s", names)


def _summary(catalog, problems: Problems) -> int:
    errors, warnings = len(problems.errors), len(problems.warnings)
    if errors:
        log.error("%d problem%s found in course files; nothing was built",
                  errors, "" if errors == 1 else "s")
        return 1
    log.info("checked %d courses: no errors%s", len(catalog.courses),
             f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")
    return 0


def source_date_epoch(catalog) -> str:
    """The build date: SOURCE_DATE_EPOCH if set, else the newest course date."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    latest = catalog.latest_update()
    return str(calendar.timegm(latest.timetuple())) if latest else "0"


#: The offline copy's zip, linked from the home page (see offline.py).
OFFLINE_DOWNLOAD = "downloads/catalog-offline.zip"


def generate(root: Path, catalog, *, directory_urls: bool = True, site_url: str = "",
             download: str | None = None) -> list[str]:
    """Render the pages that may have changed and write those that did.

    Course pages whose inputs (``fingerprints``) are as at the last build, and
    still on disk, are neither rendered nor written; index pages always are.
    """
    docs = root / DOCS_DIR
    with _stage("render"):
        prints = fingerprints(catalog, directory_urls=directory_urls, site_url=site_url)
        before = writers.read_manifest(docs)
        kept = {cid: [f"{lang}/{Pages.course(cid)}" for lang in LANGUAGES] for cid in prints
                if before.get(cid) == prints[cid]}
        kept = {cid: paths for cid, paths in kept.items() if all((docs / p).is_file() for p in paths)}
        pages = _render(catalog, directory_urls=directory_urls, site_url=site_url,
                        download=download, only_courses=set(prints) - set(kept))
    with _stage("write"):
        changed = writers.write_pages(docs, pages, keep={p for paths in kept.values() for p in paths})
        writers.write_manifest(docs, prints)
    log.debug("rendered %d pages; %d courses unchanged", len(pages), len(kept))
    return changed


#: "1" renders and builds the languages one after the other in one process.
JOBS_ENV = "CATALOG_BUILD_JOBS"


def parallel() -> bool:
    """Whether to work on the languages side by side (forked processes)."""
    jobs = os.environ.get(JOBS_ENV, "").strip()
    if jobs:
        return jobs.isdigit() and int(jobs) > 1
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


def die_with_parent(parent: int) -> None:
    """In a forked child: end when the parent ends (a killed build leaves no
    worker writing on).  Linux only (prctl); elsewhere a no-op."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _render(catalog, **options) -> dict[str, str]:
    """Every page; the other languages rendered by a forked child meanwhile."""
    import pickle

    first, rest = LANGUAGES[:1], LANGUAGES[1:]
    if not rest or not parallel():
        return render_pages(catalog, **options)
    read, write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            die_with_parent(parent)
            os.close(read)
            with os.fdopen(write, "wb") as out:
                pickle.dump(render_pages(catalog, languages=rest, **options), out,
                            protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    try:
        pages = render_pages(catalog, languages=first, **options)
        with os.fdopen(read, "rb") as source:
            try:
                pages.update(pickle.load(source))
            except EOFError:  # the child failed: render them here, with the error
                pages.update(render_pages(catalog, languages=rest, **options))
    finally:
        os.waitpid(pid, 0)
    return pages


def build(root: Path, site_dir: Path | None = None, *, strict: bool = False) -> int:
    """Check, generate and build the site; swap it in only when complete.

    ``strict`` (CI, publishing) refuses untranslated texts; otherwise they are
    built as a preview whose pages say what is not translated yet.
    """
    site_dir = (site_dir or root / SITE_DIR).resolve()
    writers.recover(site_dir)
    TIMINGS.clear()

    # 1. Read and check every course file; stop before touching anything.
    with _stage("read"):
        catalog, problems = read_catalog(root, missing_translation=_severity(strict))
    problems.report()
    _translation_hint(catalog, strict)
    if _summary(catalog, problems):
        return 1

    # 2. Pin the build date, so that the same input gives the same bytes.
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(catalog)

    # 3. Render the Markdown pages of every language (only changed files are written).
    from . import mkdocs_glue

    options = mkdocs_glue.page_options(root)
    if options is None:
        log.error("the site was not built; %s is unchanged", _rel(site_dir, root))
        return 1
    try:
        changed = generate(root, catalog, download=OFFLINE_DOWNLOAD, **options)
    except writers.UnsafeOutput as exc:
        log.error("%s; %s is unchanged", exc, _rel(site_dir, root))
        return 1
    log.info("generated pages: %d changed", len(changed))

    # 4. Let MkDocs build the site into a fresh folder beside the old one.
    staging = writers.staging_dir(site_dir)
    try:
        with _stage("mkdocs"):
            ok = mkdocs_glue.build(root, staging, pregenerated=True, catalog=catalog)
    except BaseException:
        writers.discard(staging)
        raise
    if not ok:
        writers.discard(staging)
        log.error("the site was not built; %s is unchanged", _rel(site_dir, root))
        return 1

    # 5. The offline copy (file://), zipped into the new site for download.
    from .offline import build_offline

    with _stage("offline"):
        try:
            build_offline(staging, staging)
        except BaseException:
            writers.discard(staging)
            raise

    # 6. Swap the finished site in.
    with _stage("swap"):
        writers.swap_in(staging, site_dir)
    log.debug("stage seconds: %s", ", ".join(f"{k} {v:.3f}" for k, v in TIMINGS.items()))
    log.info("site built: %s (%d courses, %s)", _rel(site_dir, root), len(catalog.courses),
             ", ".join(sorted({"en", "zh"})))
    return 0


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root)) + "/"
    except ValueError:
        return str(path)
