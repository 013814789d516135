"""Command line: ``python -m site_builder check|build``.

Author mistakes end in a list of located messages and exit code 1, never a
traceback.  Only our own messages reach the terminal: third-party chatter
(MkDocs' banners, jieba's start-up lines) is filtered out.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from .messages import Either, M, TranslatingFormatter, Translator, author_language, message_languages

log = logging.getLogger("site_builder")


class _Format(TranslatingFormatter):
    """Our log lines in the author's language; an error that names no file says so."""

    def format(self, record):
        msg = self.text(record)
        if record.levelno >= logging.ERROR and not msg.startswith("courses/"):
            return M("error: {message}", message=msg).translated(self.translator)
        return msg


def setup_logging(verbose: bool = False, language: str | None = None) -> None:
    """Log to stderr in ``language`` (default: the locale's, see messages.author_language)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Format(Translator(language or author_language())))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    # MkDocs and its plugins: warnings and errors only (they fail strict builds).
    for name in ("mkdocs", "jieba", "mkdocs_static_i18n", "material"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.WARNING)
    logging.getLogger("mkdocs").propagate = True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_builder",
                                     description="Check and build the bilingual course catalog.")
    parser.add_argument("--root", type=Path, default=None,
                        help="project folder holding mkdocs.yml and courses/ (default: current)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' own messages")
    parser.add_argument("--lang", choices=message_languages(), default=None,
                        help="language of the messages (default: the locale's, e.g. LANG=zh_CN.UTF-8)")
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="check every course file and report all problems")
    c.add_argument("files", nargs="*", type=Path,
                   help="report only on these course files (the whole catalog is still checked)")
    c.add_argument("--report", action="store_true",
                   help="also print, per course and language, the texts not yet translated")
    c.add_argument("--format", choices=("text", "github"), default="text",
                   help="github: print problems as GitHub Actions annotations")
    b = sub.add_parser("build", help="check, then build the site into site/")
    b.add_argument("--site-dir", type=Path, default=None, help="where the site goes (default: site/)")
    for command in (c, b):
        command.add_argument("--strict", action="store_true",
                             help="untranslated texts are errors (CI); default: a preview that marks them")
    n = sub.add_parser("new", help="start a new course file: courses/<id>.yml")
    n.add_argument("id", help="the new course's id, e.g. solar-pv-installation")
    n.add_argument("--category", required=True, help="a category id from courses/_shared/categories.yml")
    v = sub.add_parser("serve", help="live preview: build, serve, and rebuild the changed pages on save")
    v.add_argument("--dev-addr", default="127.0.0.1:8000", help="host:port (default 127.0.0.1:8000)")
    s = sub.add_parser("schema", help="write schema/course.schema.json (editor support) from the schema in code")
    s.add_argument("--check", action="store_true", help="only tell whether the file is up to date (exit 1 if not)")
    m = sub.add_parser("messages", help="bring the message catalogs (site_builder/locale/) up to date "
                                        "with the code, and list the texts still to translate")
    m.add_argument("--check", action="store_true", help="only tell whether they are (exit 1 if not)")
    args = parser.parse_args(argv)
    setup_logging(args.verbose, args.lang)

    from .settings import project_root

    root = (args.root or project_root()).resolve()
    try:
        if args.command == "check":
            return _check(root, args)
        if args.command == "build":
            from .pipeline import build

            return build(root, site_dir=args.site_dir, strict=args.strict)
        if args.command == "serve":
            from .preview import serve

            host, _, port = args.dev_addr.rpartition(":")
            return serve(root, host or "127.0.0.1", int(port or 8000))
        if args.command == "new":
            return _new(root, args)
        if args.command == "schema":
            return _schema(root, args)
        if args.command == "messages":
            return _messages(args)
    except KeyboardInterrupt:
        log.error("interrupted")
        return 130
    except BrokenPipeError:  # output piped into a pager or head that stopped reading
        sys.stderr.close()
        return 1
    return 2


def _check(root: Path, args) -> int:
    from .pipeline import check
    from . import report

    only = _sources(root, args.files)

    def show(catalog, problems):
        if args.format == "github":
            # In the language asked for; else in every language (a pull request
            # is read by authors of each).
            languages = [args.lang] if args.lang else message_languages()
            translators = [Translator(lang) for lang in languages]
            for problem in sorted(set(problems)):
                print(report.annotation(problem, translators), flush=True)
        else:
            problems.report()
        if args.report:
            print(report.translation_report(catalog, only, problems, Translator(args.lang or author_language())),
                  flush=True)

    return check(root, strict=args.strict, only=only, show=show)


def _sources(root: Path, files: list[Path]) -> set[str] | None:
    """The course files named on the command line as reported (courses/x.yml).

    None (everything) when no file, or a shared file, is named: a change to
    courses/_shared/ can affect every course.
    """
    from .settings import COURSES_DIR

    if not files:
        return None
    named = set()
    for file in files:
        try:
            rel = file.resolve().relative_to(root).as_posix()
        except ValueError:
            rel = file.as_posix()
        if not rel.startswith(f"{COURSES_DIR}/") or rel.count("/") != 1:
            return None
        named.add(rel)
    return named


def _new(root: Path, args) -> int:
    from .scaffold import ScaffoldError, new_course

    try:
        path = new_course(root, args.id, args.category, tr=Translator(args.lang or author_language()))
    except ScaffoldError as exc:
        for message in exc.messages:
            log.error(message)
        log.error("no file was written")
        return 1
    except FileExistsError as exc:  # created by someone else meanwhile
        log.error("%s already exists; no file was written", exc.filename)
        return 1
    from .schema import stub
    from .settings import site_languages

    rel = path.relative_to(root).as_posix()
    markers = [stub(lang) for lang in site_languages(root)]
    log.info(M("wrote {file}: every field is there; replace each {markers} with the real text.",
               file=rel, markers=Either(markers)))
    log.info(M("next:  python3 dev.py check --report   (what is left)   python3 dev.py serve   (preview)"))
    return 0


def _schema(root: Path, args) -> int:
    from . import jsonschema

    if args.check:
        if jsonschema.is_current(root):
            return 0
        log.error("%s is out of date; run: python -m site_builder schema", jsonschema.SCHEMA_FILE)
        return 1
    changed = jsonschema.write(root)
    print(f"{jsonschema.SCHEMA_FILE}: {'updated' if changed else 'already up to date'}")
    return 0


def _messages(args) -> int:
    from . import messages

    if args.check:
        left = {lang: messages.untranslated(lang) for lang in message_languages()[1:]}
        for lang, texts in left.items():
            for text in texts:
                log.error(M("not translated into {lang}: {text}", lang=lang, text=repr(text)))
        return 1 if any(left.values()) else 0
    for path in messages.update_catalogs():
        print(f"updated {path}")
    for lang in message_languages()[1:]:
        count = len(messages.untranslated(lang))
        print(f"{lang}: {count} text(s) to translate" if count else f"{lang}: complete")
    return 0
