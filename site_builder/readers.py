"""Stage 1: read the course folder into checked model objects.

Everything is gathered first; every problem of every file is collected; the
caller decides what to do with them (``check`` prints, ``build`` refuses).
"""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path

from .loader import LoadError, load_file
from .messages import M
from .model import Catalog
from .problems import Problem, Problems
from .schema import COURSE, SHARED, SLUG, Checker, _MISSING, describe, visible
from .settings import COURSES_DIR, SHARED_DIR, ConfigError, build_date, site_languages
from . import pinyin, validate

log = logging.getLogger(__name__)


def course_files(root: Path) -> tuple[list[Path], Problems]:
    """The course files in ``root/courses``, sorted.

    Every entry named like a course file gets a located message unless it is a
    regular, readable file inside the folder: a link that loops, leads nowhere
    or out of the project, a folder, a FIFO, socket or device (never opened:
    reading a FIFO would wait forever), a file that cannot be read, a name that
    is not UTF-8.  Other entries (hidden, ``_shared``, other extensions,
    folders) are not course files and are passed over."""
    problems = Problems()
    folder = root / COURSES_DIR
    files = []
    if not folder.is_dir():
        problems.append(Problem(COURSES_DIR, 1, 1, "", M("no courses folder"),
                                M("a folder {folder}/ with one .yml file per course", folder=COURSES_DIR)))
        return files, problems
    real_root = Path(os.path.realpath(folder))
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        problems.append(Problem(COURSES_DIR, 1, 1, "", M("a folder that cannot be listed ({reason})", reason=exc.strerror),
                                M("a readable folder {folder}/", folder=COURSES_DIR)))
        return files, problems
    for name in names:
        entry = folder / name
        display = f"{COURSES_DIR}/{visible(name)}"
        if name.startswith((".", "_")):
            continue
        stem, dot, extension = name.rpartition(".")
        if not dot or extension.lower() not in ("yml", "yaml"):
            continue
        problem = _entry_problem(entry, name, real_root)
        if problem is not None:
            found, expected = problem
            problems.append(Problem(display, 1, 1, "", found, expected))
            continue
        if extension != "yml":
            problems.append(Problem(display, 1, 1, "", M("the extension .{extension}", extension=extension),
                                    M("course files named <id>.yml")))
            continue
        if not SLUG.match(stem):
            problems.append(Problem(display, 1, 1, "", M("the file name {name}", name=describe(name)),
                                    M("<id>.yml, the id in lowercase letters, digits and single hyphens")))
            continue
        files.append(entry)
    return files, problems


def _entry_problem(entry: Path, name: str, real_root: Path) -> tuple[str, str] | None:
    """(found, expected) when ``entry`` is not a regular readable file inside
    courses/; None when it is.  Looks at the entry's type before anything opens it."""
    import stat as _stat

    expected = M("a regular, readable YAML file inside courses/")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return M("a file name that is not valid UTF-8"), M("a file name in UTF-8: <id>.yml")
    try:
        link = entry.is_symlink()
        if link and not _inside(Path(os.path.realpath(entry)), real_root):
            return M("a link to a file outside courses/"), M("a regular file inside courses/")
        info = os.stat(entry)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return M("a link that loops"), expected
        if exc.errno == errno.ENOENT:
            return (M("a link to nothing (its target does not exist)") if entry.is_symlink()
                    else M("a file that vanished while it was read")), expected
        return M("an entry that cannot be examined ({reason})", reason=exc.strerror), expected
    if _stat.S_ISDIR(info.st_mode):
        return M("a folder"), M("a course file <id>.yml (a folder is not one)")
    if not _stat.S_ISREG(info.st_mode):
        kind = (M("a FIFO (named pipe)") if _stat.S_ISFIFO(info.st_mode) else
                M("a socket") if _stat.S_ISSOCK(info.st_mode) else
                M("a device") if _stat.S_ISCHR(info.st_mode) or _stat.S_ISBLK(info.st_mode) else
                M("something that is not a regular file"))
        return kind, expected
    if not os.access(entry, os.R_OK):
        return M("a file without read permission"), expected
    return None


def _outside(display: str) -> Problem:
    return Problem(display, 1, 1, "", M("a link to a file outside courses/"),
                   M("a regular file inside courses/"))


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


#: Shared tables a catalog may do without (no term base, no readings, no offering venues, no
#: search synonyms, no application steps, no exchange rates).
OPTIONAL_TABLES = ("terms", "readings", "venues", "synonyms", "applications", "rates")


def read_catalog(root: Path, *, missing_translation: str = "warning",
                 cache: dict | None = None) -> tuple[Catalog, Problems]:
    """Load, check and cross-check every file; return the catalog and all problems.

    A course text not yet translated (missing, or still the TODO placeholder) is
    a "warning" while authoring, so the course can be previewed; strict checks
    (CI) pass ``missing_translation="error"``.  ``cache`` (a dict the caller
    keeps, as the preview server does) holds each course file's own reading
    and schema check, reused while the file's size and modification time are
    unchanged; the rules spanning files run every time.
    """
    catalog = Catalog(build_date=build_date())
    problems = Problems()
    try:
        catalog.site_languages = site_languages(root)
    except ConfigError as exc:
        problems.append(Problem("mkdocs.yml", 1, 1, "", str(exc), M("the site's languages")))
        return catalog, problems
    languages = catalog.site_languages
    if (root / COURSES_DIR).is_symlink():  # everything read must be in the project
        problems.append(Problem(COURSES_DIR, 1, 1, "", M("a link to another folder"),
                                M("the folder {folder}/ itself", folder=COURSES_DIR)))
        return catalog, problems

    # Shared tables first: courses refer to them.
    shared_docs = {}
    for table, kind in SHARED.items():
        display = f"{COURSES_DIR}/{SHARED_DIR}/{table}.yml"
        path = root / display
        if path.exists() and not _inside(path.resolve(), (root / COURSES_DIR).resolve()):
            problems.append(_outside(display))
            continue
        if not path.is_file():
            if table in OPTIONAL_TABLES:
                continue
            problems.append(Problem(display, 1, 1, "", M("no such file"),
                                    M("the shared list of {table}", table=table)))
            continue
        doc = _load(path, display, problems)
        if doc is None:
            continue
        ck = Checker(doc, problems, missing_translation, languages)
        if not isinstance(doc.data, dict) or set(doc.data) != {table}:
            ck.problem((), M("a mapping with other keys") if isinstance(doc.data, dict)
                       else M("a value that is not a mapping"),
                       M("a mapping with the single key {table}:", table=table))
            continue
        rows = kind.check(doc.data[table], (table,), ck)
        if rows is _MISSING:
            continue
        shared_docs[table] = doc
        if table == "terms":
            catalog.terms = [row for row in rows if row.get("en") and row.get("zh")]
            continue
        if table == "readings":
            catalog.readings = [row for row in rows if row.get("zh") and row.get("pinyin")]
            continue
        if table == "synonyms":
            catalog.synonyms = [list(group) for group in rows]
            continue
        if table == "rates":
            catalog.rates = rows
            continue
        rows = [row for row in rows if row.get("id")]
        target = getattr(catalog, table)
        for i, row in enumerate(rows):
            if row.id in target:
                ck.problem((table, i, "id"), M('the id "{id}" a second time', id=row.id), M("unique ids"))
            target[row.id] = row

    validate.check_shared(catalog, shared_docs, problems)

    # Then every course file, each checked against the one schema.
    files, found = course_files(root)
    problems.extend(found)
    docs = {}
    for path, (doc, course) in zip(files, _read_courses(files, problems, missing_translation,
                                                        languages, cache)):
        display = f"{COURSES_DIR}/{path.name}"
        if course is None:
            continue
        ck = Checker(doc, problems, missing_translation, languages)
        if not course.get("id") or course.id in catalog.courses:
            if course.get("id"):
                ck.problem(("id",), M('"{id}", already used by {file}', id=course.id, file=catalog.sources[course.id]),
                           M("an id no other course uses"))
            continue
        catalog.courses[course.id] = course
        catalog.sources[course.id] = display
        docs[course.id] = (path, doc)

    # Finally the rules that span fields and files.
    validate.cross_check(catalog, docs, problems,
                         memo=cache.setdefault("cross-check", {}) if cache is not None else None,
                         build_date=catalog.build_date)
    pinyin.check_readings(catalog, shared_docs, docs, problems)
    return catalog, problems


#: Below this many course files, reading them in a second process costs more than it saves.
PARALLEL_FROM = 400


def _read_courses(files: list[Path], problems: Problems, missing_translation: str, languages,
                  cache: dict | None) -> list[tuple]:
    """(document, checked course or None) of each file, in order.  A large
    catalog is read by two processes (the second half in a forked one, which
    sends its results back); the preview's cache keeps it in this process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    def here(paths) -> list[tuple]:
        return [_course(p, f"{COURSES_DIR}/{p.name}", problems, missing_translation, languages, cache)
                for p in paths]

    if (cache is not None or len(files) < PARALLEL_FROM or (os.cpu_count() or 1) < 2
            or "fork" not in multiprocessing.get_all_start_methods()):
        return here(files)
    half = len(files) // 2
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        other = pool.submit(_read_part, files[half:], missing_translation, languages)
        first = here(files[:half])
        rest, found = other.result()
    problems.extend(found)
    return first + rest


def _read_part(paths: list[Path], missing_translation: str, languages) -> tuple[list, Problems]:
    """In the second process: what _course gives for each of ``paths``, and their problems."""
    found = Problems()
    return [_course(p, f"{COURSES_DIR}/{p.name}", found, missing_translation, languages, None)
            for p in paths], found


def _course(path: Path, display: str, problems: Problems, missing_translation: str,
            languages, cache: dict | None):
    """(document, checked course or None) of one course file; its own problems
    are added to ``problems``."""
    key = None
    if cache is not None:
        try:
            stat = path.stat()
            key = (display, stat.st_mtime_ns, stat.st_size, stat.st_ino, missing_translation,
                   languages.codes, languages.default)
        except OSError:
            key = None
        if key is not None and key in cache:
            doc, course, found = cache[key]
            problems.extend(found)
            return doc, course
    found = Problems()
    doc = _load(path, display, found)
    course = None
    if doc is not None:
        ck = Checker(doc, found, missing_translation, languages)
        if not isinstance(doc.data, dict):
            ck.problem((), M("a list") if isinstance(doc.data, list) else M("a single value"),
                       M("a mapping of course fields (id:, code:, title:, ...)"))
        else:
            course = COURSE.check(doc.data, (), ck)
    if key is not None:
        for old in [k for k in cache if k[0] == display]:
            del cache[old]
        cache[key] = (doc, course, found)
    problems.extend(found)
    return doc, course


def _load(path: Path, display: str, problems: Problems):
    try:
        return load_file(path, display)
    except LoadError as exc:
        # Every syntax mistake is reported; what could be read around them is
        # still checked, so that all of a file's problems come in one run.
        problems.extend(exc.problems)
        return exc.document
