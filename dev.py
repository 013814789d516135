#!/usr/bin/env python3
"""One entry point for people and CI; needs only Python 3.11+.

    python3 dev.py build     check the courses and build the site into site/
    python3 dev.py test      run the whole test suite
    python3 dev.py serve     live preview at http://127.0.0.1:8000/
    python3 dev.py check     check the course files only (--strict: untranslated texts are errors,
                             --report: what is not translated yet, --format github: CI annotations)
    python3 dev.py new ID --category CAT   start courses/ID.yml with every field
    python3 dev.py schema    regenerate schema/course.schema.json (editor support)
    python3 dev.py messages  update the message catalogs (site_builder/locale/) after a message changed
    python3 dev.py bench     build benchmark: 33 to 3000 synthetic courses (bench/)
    python3 dev.py weight    page weight per page kind, search index size per language
    python3 dev.py lighthouse  Lighthouse (mobile) on every page kind in each language (Node.js, npm)

The first run creates .venv/ and installs the exact versions pinned in
requirements.lock; later runs reuse it until the lock file changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def ensure_environment() -> None:
    """Create .venv and install the pinned dependencies when the pins changed."""
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]})")
    stamp = VENV / ".installed"
    wanted = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted and PYTHON.exists():
        return
    if not PYTHON.exists():
        say("creating .venv/ ...")
        venv.EnvBuilder(with_pip=True).create(VENV)
    say("installing pinned dependencies (first run only) ...")
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(pip + ["-r", str(LOCK)], check=True)
    subprocess.run(pip + ["--no-deps", "-e", str(ROOT)], check=True)
    stamp.write_text(wanted)


def run(*args: str) -> int:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    child = subprocess.Popen([str(PYTHON), *args], cwd=ROOT, env=env)
    while True:
        try:
            return child.wait()
        except KeyboardInterrupt:  # Ctrl+C reaches the child too: let it end in its own words
            continue


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "help"
    if command in ("help", "-h", "--help"):
        print(__doc__)
        return 0
    ensure_environment()
    if command == "build":
        code = run("-m", "site_builder", "build", *argv[1:])
        if code == 0:
            say(f"the site is in {ROOT / 'site'}/ (the default language at /, each other language in its folder, e.g. /zh/)")
            say("look at it:  python3 -m http.server --directory site 8000   then open http://127.0.0.1:8000/")
            say("while you edit courses, python3 dev.py serve builds a preview of its own that follows every save")
        return code
    if command == "check":
        return run("-m", "site_builder", "check", *argv[1:])
    if command == "serve":
        return run("-m", "site_builder", "serve", *argv[1:])
    if command == "test":
        return run("-m", "pytest", *argv[1:])
    if command == "weight":
        return run(str(ROOT / "bench" / "page_weight.py"), *(argv[1:] or [str(ROOT / "site")]))
    if command == "bench":
        return run(str(ROOT / "bench" / "build_bench.py"), *argv[1:])
    if command == "lighthouse":
        return run(str(ROOT / "bench" / "lighthouse_bench.py"), *argv[1:])
    if command in ("new", "schema", "messages"):
        return run("-m", "site_builder", command, *argv[1:])
    if command == "report":
        return run("-m", "site_builder", "check", "--report", *argv[1:])
    say(f"unknown command {command!r}; see python3 dev.py help")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
