"""Search indexes with Chinese word segmentation, one per language.

Each language's MkDocs build writes its own index; the generated pages' entries
(made from the model, see generators.course_search_entries) are added to it,
and Chinese text is segmented with jieba taught the catalog's own vocabulary
(term base and glossaries) so that trade words such as 物联网 stay whole.  Each
text is segmented once: results are cached across builds.  The browser side
(overrides/assets/javascripts/workers/catalog-search.js) segments the query
against the words in the index, so a word matches whether jieba split it or
not.  No MkDocs here.
"""

from __future__ import annotations

import hashlib
import logging
import re
from functools import lru_cache
from pathlib import Path

from . import caches

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


@lru_cache(maxsize=4)
def _tokenizer(words: tuple):
    """A jieba tokenizer taught ``words`` (about half a second to load: one per
    vocabulary and process, shared by the page rendering and the search index)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for word in words:  # each run of Han characters in a term is a word
        tokenizer.add_word(word, freq=100_000)
    return tokenizer


class Segmenter:
    """jieba, with the catalog's vocabulary added as user words.

    Each text is segmented once: results are kept in a cache file (keyed by the
    vocabulary and the text) that later builds reuse while the text is
    unchanged, and jieba (about half a second to load) is only started when a
    text is not in the cache."""

    def __init__(self, vocabulary: list[str], cache: Path | None = None):
        self.words = sorted({run for word in vocabulary for run in _CJK_RUN.findall(word)
                             if len(run) > 1})
        self.key = hashlib.sha256("\n".join(self.words).encode("utf-8")).hexdigest()
        self.cache_path = cache
        self.cache: dict[str, str] = caches.load(cache, self.key)
        self.used: set[str] = set()
        self.added = False
        self.tokenizer = None

    def _jieba(self):
        if self.tokenizer is None:
            self.tokenizer = _tokenizer(tuple(self.words))
        return self.tokenizer

    def words_of(self, term: str) -> list[str]:
        """A term cut into words: its runs of Han characters by the longest
        words jieba knows inside them (other than the term itself), the
        characters between such words kept together; other text as it is."""
        whole = term.strip()
        known = {w for w in self._jieba().cut_for_search(whole, HMM=False) if len(w) > 1 and w != whole}
        longest = max(map(len, known), default=1)
        out: list[str] = []
        for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", whole):
            if not _CJK_RUN.fullmatch(run):
                out.append(run)
                continue
            rest, i = "", 0
            while i < len(run):
                for size in range(min(longest, len(run) - i), 1, -1):
                    if run[i:i + size] in known:
                        if rest:
                            out.append(rest)
                            rest = ""
                        out.append(run[i:i + size])
                        i += size
                        break
                else:
                    rest += run[i]
                    i += 1
            if rest:
                out.append(rest)
        return out

    def segment(self, text: str) -> str:
        """Insert a zero-width space between the Chinese words of ``text``."""
        text = text.replace("\u200b", "")
        if not _CJK_RUN.search(text):
            return text
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        self.used.add(key)
        done = self.cache.get(key)
        if done is None:
            tokenizer = self._jieba()

            def cut(match: re.Match) -> str:
                return "\u200b".join(tokenizer.cut(match.group(0), HMM=False))

            done = self.cache[key] = _CJK_RUN.sub(cut, text)
            self.added = True
        return done

    def save(self) -> None:
        """Write the cache back when texts were added (only the texts of this build)."""
        if self.added:
            caches.save(self.cache_path, self.key,
                        {k: v for k, v in self.cache.items() if k in self.used})


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\n]+")


def plain_text(html: str) -> str:
    """Search result text without markup: smaller, and shown as plain text."""
    import html as _html

    text = _TAG.sub(" ", html)
    # Keep entities escaped: Material shows this text as HTML.
    text = _html.escape(_html.unescape(text), quote=False)
    return _SPACE.sub(" ", text).strip()


#: The index configuration of every language: the separators of both scripts
#: (a text may mix them), and lunr's English stemmer and stop words (lunr's own
#: language support is not used: see the module doc).
INDEX_CONFIG = {"lang": ["en"], "separator": ZH_SEPARATOR, "pipeline": ["stemmer", "stopWordFilter"]}


def index_docs(entries, segmenter: Segmenter | None) -> list[dict]:
    """Search documents of entries ``(location, title, text)``: Chinese
    segmented, course codes one token."""
    docs = []
    for location, title, body in entries:
        title, body = join_codes(title), join_codes(body)
        if segmenter is not None:
            title, body = segmenter.segment(title), segmenter.segment(body)
        docs.append({"location": location, "title": title, "text": body})
    return docs


def language_index(material: dict, ours: list[dict], segmenter: Segmenter | None) -> dict:
    """One language's search index: what Material's search plugin wrote for the
    build (pages it parsed, made like ours) followed by the generated pages'
    documents (:func:`index_docs`)."""
    theirs = index_docs(((d["location"], d.get("title", ""), plain_text(d.get("text", "")))
                         for d in material.get("docs", [])), segmenter)
    config = dict(material.get("config", {}))
    config.update(INDEX_CONFIG)
    return {"config": config, "docs": theirs + list(ours)}


def release_tokenizers() -> None:
    """Let jieba's dictionaries go (a language build needs them only while it
    renders; MkDocs' build comes next)."""
    _tokenizer.cache_clear()
