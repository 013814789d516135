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

log = logging.getLogger("site_builder")


class _Format(logging.Formatter):
    def format(self, record):
        msg = record.getMessage()
        if record.levelno >= logging.ERROR and not msg.startswith("courses/"):
            return f"error: {msg}"
        return msg


def setup_logging(verbose: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Format())
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
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="check every course file and report all problems")
    b = sub.add_parser("build", help="check, then build the site into site/")
    b.add_argument("--site-dir", type=Path, default=None, help="where the site goes (default: site/)")
    args = parser.parse_args(argv)
    setup_logging(args.verbose)

    from .settings import project_root

    root = (args.root or project_root()).resolve()
    try:
        if args.command == "check":
            from .build import check

            return check(root)
        if args.command == "build":
            from .build import build

            return build(root, site_dir=args.site_dir)
    except KeyboardInterrupt:
        log.error("interrupted")
        return 130
    return 2
