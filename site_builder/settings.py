"""Project-wide constants: languages, folders and limits.  No MkDocs here."""

from __future__ import annotations

from pathlib import Path

#: Languages of the catalog, in order; the first is the default (served at /).
LANGUAGES: tuple[str, ...] = ("en", "zh")
DEFAULT_LANGUAGE = LANGUAGES[0]

#: Names used in messages to authors (messages are in English).
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}

#: Folder holding one YAML file per course.
COURSES_DIR = "courses"
#: Folder (inside COURSES_DIR) holding shared taxonomy data.
SHARED_DIR = "_shared"
#: Folder MkDocs reads the generated Markdown from (content never committed).
DOCS_DIR = "docs"
#: Folder of the published site.
SITE_DIR = "site"


def project_root() -> Path:
    """The folder holding mkdocs.yml (the current one, else the package's parent)."""
    here = Path.cwd()
    if (here / "mkdocs.yml").is_file():
        return here
    return Path(__file__).resolve().parent.parent
