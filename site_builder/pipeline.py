"""The two commands, ``check`` and ``build``, as short lists of stages.

Where this sits: YAML (loader) -> checked model (readers, schema, validate) ->
pages (rendering and the modules it uses) -> MkDocs (language_build, plugin) ->
site (writers).  ``build`` runs the languages' builds side by side and swaps the
finished site in; each stage lives in its own module, and only
language_build.py (one language's MkDocs build) and plugin.py know about MkDocs.
"""

from __future__ import annotations

import calendar
import logging
import os
import time
from contextlib import contextmanager
from pathlib import Path

from .messages import M, Plural
from .problems import Problems
from .readers import read_catalog
from .settings import CACHE_DIR, SITE_DIR
from . import writers

log = logging.getLogger(__name__)


@contextmanager
def _stage(timings: dict, name: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - start


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
    return _summary(catalog, problems, building=False)


def _severity(strict: bool) -> str:
    """How an untranslated text counts: an error in strict runs (CI), else a warning."""
    return "error" if strict else "warning"


def _translation_hint(catalog, strict: bool, only: set[str] | None = None) -> None:
    from .report import incomplete

    todo = [c for c in incomplete(catalog) if only is None or catalog.sources.get(c) in only]
    if todo and not strict:
        names = todo[:5] + (["..."] if len(todo) > 5 else [])
        log.warning(Plural("not fully translated yet: {count} course ({names}); the preview marks what is "
                           "missing, and --strict (CI) refuses it; 'python3 dev.py check --report' "
                           "lists every text left",
                           "not fully translated yet: {count} courses ({names}); the preview marks what is "
                           "missing, and --strict (CI) refuses it; 'python3 dev.py check --report' "
                           "lists every text left", count=len(todo), names=names))


def _summary(catalog, problems: Problems, building: bool) -> int:
    errors, warnings = len(problems.errors), len(problems.warnings)
    if errors:
        if building:
            log.error(Plural("{count} problem found in course files; nothing was built",
                             "{count} problems found in course files; nothing was built", count=errors))
        else:
            log.error(Plural("{count} problem found in course files", "{count} problems found in course files",
                             count=errors))
        return 1
    if warnings:
        log.info(M("checked {count} courses: no errors, {warnings}", count=len(catalog.courses),
                   warnings=Plural("{count} warning", "{count} warnings", count=warnings)))
    else:
        log.info(M("checked {count} courses: no errors", count=len(catalog.courses)))
    return 0


def source_date_epoch(today=None) -> str:
    """The build date as SOURCE_DATE_EPOCH: as set (CI pins it to the start of
    the day), else the start of today (UTC).  It is the reference of every
    "upcoming" and "past" on the site; no course date can move it."""
    from .settings import build_date

    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    return str(calendar.timegm(build_date(today).timetuple()))


#: The offline copy's zip, linked from the home page (see offline.py).
OFFLINE_DOWNLOAD = "downloads/catalog-offline.zip"

#: "1" builds the languages one after the other (still each in its own process).
JOBS_ENV = "CATALOG_BUILD_JOBS"


def jobs(languages: int) -> int:
    """How many languages are built at the same time."""
    wanted = os.environ.get(JOBS_ENV, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return min(int(wanted), languages)
    return max(1, min(languages, os.cpu_count() or 1))


def die_with_parent(parent: int | None = None) -> None:
    """In a worker: ignore Ctrl+C, and end when the process that started it ends (a killed build
    leaves no worker writing on).  ``parent``: that process's id, if known
    (else only an adoption by init counts as its death).  Linux only (prctl);
    elsewhere a no-op."""
    import ctypes
    import signal

    # Ctrl+C in the terminal reaches every process of the build: the parent
    # answers it (in one line); a worker ends with the parent, without a word.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() == 1 or (parent is not None and os.getppid() != parent):
        os._exit(1)  # the parent died before prctl took effect


def _worker(job, catalog, results, parent: int) -> None:  # pragma: no cover - in the child
    """A language build in its own process; its result goes back on ``results``.
    ``catalog`` is the checked catalog, or the path of a file holding it (pickled
    by this build, for workers that start fresh)."""
    from .language_build import LanguageResult, build_language

    die_with_parent(parent)
    try:
        if isinstance(catalog, Path):
            import pickle

            with open(catalog, "rb") as source:
                catalog = pickle.load(source)
        result = build_language(job, catalog)
    except BaseException as exc:  # report, never hang the parent
        result = LanguageResult(job.lang, False, f"building '{job.lang}': {type(exc).__name__}: {exc}")
    results.put(result)


#: From this many courses on, the language builds start as fresh processes (see build_languages).
SPAWN_FROM = 2000


def build_languages(jobs_list, catalog, parallel: int, *, fresh: bool | None = None) -> list:
    """Run the language builds, ``parallel`` at a time, each in a process of
    its own (multiprocessing); their results in the order of ``jobs_list``.
    ``fresh``: whether workers start as new processes (None: for large catalogs)."""
    import multiprocessing

    from .language_build import LanguageResult

    methods = multiprocessing.get_all_start_methods()
    # fork hands the checked catalog to the workers without copying it.  A large
    # catalog's workers start fresh instead (spawn) and read it from a file: a
    # forked worker would also carry everything reading and checking it took.
    if "fork" not in methods:
        fresh = True
    elif fresh is None:
        fresh = len(catalog.courses) >= SPAWN_FROM
    context = multiprocessing.get_context("spawn" if fresh else "fork")
    handed = catalog
    if fresh:
        import pickle
        import tempfile

        cache = jobs_list[0].cache
        cache.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="catalog-", dir=cache))  # this build's own
        handed = folder / "catalog.pickle"
        with open(handed, "wb") as out:
            pickle.dump(catalog, out, protocol=pickle.HIGHEST_PROTOCOL)
    results = context.Queue()
    waiting, running, done = list(jobs_list), {}, {}
    try:
        while waiting or running:
            while waiting and len(running) < parallel:
                job = waiting.pop(0)
                process = context.Process(target=_worker, args=(job, handed, results, os.getpid()),
                                          name=f"build-{job.lang}", daemon=True)
                process.start()
                running[job.lang] = process
            try:
                result = results.get(timeout=0.2)
            except Exception:  # queue.Empty: see whether a worker died without a word
                for lang, process in list(running.items()):
                    if not process.is_alive() and lang not in done:
                        process.join()
                        try:
                            result = results.get(timeout=0.5)
                        except Exception:
                            result = LanguageResult(lang, False,
                                                    f"the build of '{lang}' ended unexpectedly "
                                                    f"(exit code {process.exitcode})")
                        done[result.lang] = result
                        running.pop(result.lang, None)
                continue
            done[result.lang] = result
            process = running.pop(result.lang, None)
            if process is not None:
                process.join()
    finally:
        for process in running.values():
            process.kill()
            process.join()
        if fresh:
            import shutil

            shutil.rmtree(handed.parent, ignore_errors=True)
    return [done[job.lang] for job in jobs_list]


def build(root: Path, site_dir: Path | None = None, *, strict: bool = False,
          timings: dict | None = None, reader_cache: dict | None = None) -> int:
    """Check, generate and build the site; swap it in only when complete.

    ``strict`` (CI, publishing) refuses untranslated texts; otherwise they are
    built as a preview whose pages say what is not translated yet.
    ``timings`` receives the seconds of each stage (bench/build_bench.py);
    ``reader_cache`` is kept by the preview server across builds (readers.read_catalog).
    """
    from .language_build import LanguageJob
    from .labels import missing_labels

    timings = timings if timings is not None else {}
    site_dir = (site_dir or root / SITE_DIR).resolve()
    writers.recover(site_dir)

    # 1. Read and check every course file; stop before touching anything.
    with _stage(timings, "read"):
        catalog, problems = read_catalog(root, missing_translation=_severity(strict),
                                         cache=reader_cache)
    problems.report()
    _translation_hint(catalog, strict)
    if _summary(catalog, problems, building=True):
        return 1
    writers.release_memory()  # what checking held (every file's positions) before the workers fork
    languages = catalog.site_languages
    for lang, keys in missing_labels(languages).items():
        log.warning("interface labels not translated into %s (%s): %d, shown in %s "
                    "(site_builder/templates/labels.yml)", lang, languages.english_name(lang),
                    len(keys), languages.english_name(languages.default))

    # 2. Pin the build date, so that the same input gives the same bytes.
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch()

    # 3. One MkDocs build per language, side by side: the default language into
    #    a fresh staging folder beside the old site, each other language into a
    #    folder of its own that becomes staging/<lang>/.
    from .language_build import site_options

    options = site_options(root)
    if isinstance(options, str):
        log.error("%s; the site was not built, %s is unchanged", options, _rel(site_dir, root))
        return 1
    staging = writers.staging_dir(site_dir)
    parts = {lang: staging if lang == languages.default else writers.staging_dir(site_dir)
             for lang in languages}
    offline = writers.staging_dir(site_dir)  # the pages' offline form, made by each language's build
    try:
        job_list = [LanguageJob(root, lang, parts[lang], options["site_url"],
                                options["use_directory_urls"], root / CACHE_DIR, OFFLINE_DOWNLOAD,
                                offline_dir=offline, site_files=lang == languages.default)
                    for lang in languages]
        with _stage(timings, "languages"):
            results = build_languages(job_list, catalog, jobs(len(job_list)))
        for result in results:
            for stage, seconds in result.timings.items():
                timings[f"{stage}.{result.lang}"] = seconds
        failed = [r for r in results if not r.ok]
        if failed:
            for result in failed:
                log.error("%s", result.error)
            log.error("the site was not built; %s is unchanged", _rel(site_dir, root))
            for part in [*parts.values(), offline]:
                writers.discard(part)
            return 1
        log.info("generated pages: %d changed", sum(r.changed for r in results))

        # 4. Put the languages together in one folder (the default language's
        #    build wrote the files of the whole site: catalog.json, the sitemap).
        with _stage(timings, "merge"):
            for lang, part in parts.items():
                if part != staging:
                    writers.move_into(part, staging / lang)
            # One copy of the theme's assets, for the site and its offline form.
            for name in writers.share_assets(staging, [languages.prefix(l).strip("/") for l in languages
                                                       if l != languages.default], options["site_url"]):
                writers.point_at_shared_assets(offline / name, name, options["site_url"])

        # 5. The offline copy (file://), zipped into the new site for download.
        from .offline import build_offline

        with _stage(timings, "offline"):
            build_offline(staging, staging, prepared=offline)
            writers.discard(offline)
    except OSError as exc:  # a full disk, a quota: the new site is dropped, the old one stays
        for part in [*parts.values(), offline]:
            writers.discard(part)
        log.error("could not write the new site (%s); %s is unchanged",
                  exc.strerror or exc, _rel(site_dir, root))
        return 1
    except BaseException:
        for part in [*parts.values(), offline]:
            writers.discard(part)
        raise

    # 6. Swap the finished site in.
    with _stage(timings, "swap"):
        writers.swap_in(staging, site_dir)
    log.debug("stage seconds: %s", ", ".join(f"{k} {v:.3f}" for k, v in timings.items()))
    log.info("site built: %s (%d courses, %s)", _rel(site_dir, root), len(catalog.courses),
             ", ".join(languages))
    return 0


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root)) + "/"
    except ValueError:
        return str(path)
