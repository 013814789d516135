"""Per-language search indexes with Chinese word segmentation.

mkdocs-static-i18n writes one search index for every language, with the
default language's separator, so Chinese queries find little and results mix
languages.  This module splits that index into one index per language and
re-segments Chinese text with jieba, taught the catalog's own vocabulary (term
base, glossaries, category names) so that trade words such as 物联网 stay
whole.  The browser side (overrides/assets/javascripts/workers/catalog-search.js)
segments the query against the same vocabulary, so a word matches whether
jieba split it or not.  Pure functions: no MkDocs here.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

#: What splits Chinese text into tokens in the index (and in queries).
ZH_SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；：（）《》“”‘’·/]+"
#: English: whitespace and hyphens, as Material's default.
EN_SEPARATOR = r"[\s\-]+"

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
#: A course code such as OPT-101; indexed as one token (see join_codes).
_CODE = re.compile(r"\b([A-Z]{2,6})-([0-9]{3,4}[A-Z]?)\b")


def join_codes(text: str) -> str:
    """OPT-101 -> OPT\u2011101: a non-breaking hyphen, which looks the same but
    is not a separator, so a code is one token (the browser joins queries alike)."""
    return _CODE.sub("\\1\u2011\\2", text)


def catalog_vocabulary(catalog) -> list[str]:
    """Chinese words of the trade the segmenter must keep whole."""
    words = {t.zh for t in catalog.terms}
    for course in catalog.courses.values():
        words.update(term.zh for term in course.get("glossary") or [])
    # Only words: long names (categories, partners) would stop jieba from
    # cutting them into the words a learner types.
    return sorted(w for w in words if w and _CJK_RUN.search(w) and len(w) <= 6)


_BASE = None  # jieba's dictionary takes about a second to load: once per process


def _fresh_tokenizer():
    """A jieba tokenizer with only the base dictionary (a copy: adding words
    changes the frequencies, and every Segmenter must start from the same)."""
    global _BASE
    import jieba

    jieba.setLogLevel(logging.WARNING)
    if _BASE is None:
        _BASE = jieba.Tokenizer()
        _BASE.initialize()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = dict(_BASE.FREQ)
    tokenizer.total = _BASE.total
    tokenizer.initialized = True
    return tokenizer


class Segmenter:
    """jieba, with the catalog's vocabulary added as user words."""

    def __init__(self, vocabulary: list[str]):
        self._jieba = _fresh_tokenizer()
        for word in vocabulary:
            # Each run of Han characters in a term is a word of its own.
            for run in _CJK_RUN.findall(word):
                if len(run) > 1:
                    self._jieba.add_word(run, freq=100_000)

    def segment(self, text: str) -> str:
        """Insert a zero-width space between the Chinese words of ``text``."""
        text = text.replace("\u200b", "")

        def cut(match: re.Match) -> str:
            return "\u200b".join(self._jieba.cut(match.group(0), HMM=False))

        return _CJK_RUN.sub(cut, text)


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\n]+")


def plain_text(html: str) -> str:
    """Search result text without markup: smaller, and shown as plain text."""
    import html as _html

    text = _TAG.sub(" ", html)
    # Keep entities escaped: Material shows this text as HTML.
    text = _html.escape(_html.unescape(text), quote=False)
    return _SPACE.sub(" ", text).strip()


def split_index(index: dict, languages: list[str], default: str,
                segmenter: Segmenter | None, codes: dict[str, str] | None = None) -> dict[str, dict]:
    """One index per language; locations relative to that language's root.

    ``codes`` maps a page location (``courses/x/``) to its course code, added
    to that page's title so that a code search puts the course first.
    """
    codes = codes or {}
    out = {}
    for lang in languages:
        prefix = "" if lang == default else f"{lang}/"
        docs = []
        for doc in index.get("docs", []):
            location = doc["location"]
            if lang == default:
                if any(location.startswith(f"{other}/") for other in languages if other != default):
                    continue
            elif not location.startswith(prefix):
                continue
            doc = dict(doc, location=location[len(prefix):])
            if doc["location"] in codes:
                doc["title"] = f"{doc.get('title', '')} · {codes[doc['location']]}"
            doc["title"] = join_codes(doc.get("title", ""))
            doc["text"] = join_codes(plain_text(doc.get("text", "")))
            if lang == "zh" and segmenter is not None:
                doc["title"] = segmenter.segment(doc.get("title", ""))
                doc["text"] = segmenter.segment(doc.get("text", ""))
            docs.append(doc)
        config = dict(index.get("config", {}))
        config["lang"] = ["en"]  # lunr's own language support is not used: see module doc
        config["separator"] = ZH_SEPARATOR if lang == "zh" else EN_SEPARATOR
        # English word forms (sensor / sensors) through lunr's stemmer; Chinese has none.
        config["pipeline"] = ["stemmer"] if lang == "zh" else ["stemmer", "stopWordFilter"]
        out[lang] = {"config": config, "docs": docs}
    return out
