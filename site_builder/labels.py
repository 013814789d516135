"""Interface labels: the one translation table of the site's chrome
(``templates/labels.yml``), one row a label, one column a language.

Stage: model -> pages (the pages, feeds and reports read their words here).
No MkDocs here.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from .settings import SiteLanguages

#: The page templates and the label table.
TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _label_table() -> dict:
    return yaml.safe_load((TEMPLATES / "labels.yml").read_text(encoding="utf-8"))


def labels(languages: SiteLanguages) -> dict[str, dict[str, str]]:
    """The interface translation table: ``labels(languages)[lang][key]``.

    A label missing in a language falls back to the default language's (see
    :func:`missing_labels`, which the build reports as a warning)."""
    return _labels(languages.codes, languages.default)


@lru_cache(maxsize=8)
def _labels(codes: tuple, default: str) -> dict:
    table = _label_table()
    return {lang: {key: row.get(lang) or row.get(default) or "" for key, row in table.items()}
            for lang in codes}


def missing_labels(languages: SiteLanguages) -> dict[str, list[str]]:
    """Language -> the interface labels not translated into it (shown in the default language)."""
    table = _label_table()
    out = {}
    for lang in languages:
        keys = [key for key, row in table.items() if not row.get(lang)]
        if keys:
            out[lang] = keys
    return out
