"""Search indexes with Chinese word segmentation, one per language.

Each language's MkDocs build writes its own index; the generated pages' entries
(made from the model, see search_entries.course_search_entries) are added to it,
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

#: Between the characters of a Chinese word in the index (U+2060, invisible, no
#: separator): a word is one token, and it is no run of Han characters, so Material's
#: worker (which cuts each run of Han characters of a query into pieces of its
#: index) leaves the query's words as catalog-search.js writes them, joined alike.
WORD_JOINER = "\u2060"

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
#: A course code such as OPT-101; indexed as one token (see join_codes).
_CODE = re.compile(r"\b([A-Z]{2,6})-([0-9]{3,4}[A-Z]?)\b")


def join_codes(text: str) -> str:
    """OPT-101 -> OPT\u2011101: a non-breaking hyphen, which looks the same but
    is not a separator, so a code is one token (the browser joins queries alike)."""
    return _CODE.sub("\\1\u2011\\2", text)


def catalog_vocabulary(catalog) -> list[str]:
    """Chinese words of the trade the segmenter must keep whole (the term base,
    the glossaries and the words of the readings table, readings.yml)."""
    words = {t.zh for t in catalog.terms}
    words.update(row.zh for row in getattr(catalog, "readings", None) or [])
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

    #: How segmented texts are written (change it with the format: words apart by
    #: U+200B, a word's characters joined by U+2060, Han runs set apart).
    VERSION = "segments-2"

    def __init__(self, vocabulary: list[str], cache: Path | None = None):
        self.words = sorted({run for word in vocabulary for run in _CJK_RUN.findall(word)
                             if len(run) > 1})
        # The cache is keyed by the vocabulary and by how texts are cut (VERSION).
        self.key = hashlib.sha256("\n".join([self.VERSION, *self.words]).encode("utf-8")).hexdigest()
        self.cache_path = cache
        self.cache: dict[str, str] = caches.load(cache, self.key)
        self.used: set[str] = set()
        self.added = False
        self.tokenizer = None

    def load(self) -> None:
        """Start jieba now (a process that forks workers hands it to them)."""
        self._jieba()

    def _jieba(self):
        if self.tokenizer is None:
            self.tokenizer = _tokenizer(tuple(self.words))
        return self.tokenizer

    def cut(self, run: str) -> list[str]:
        """A run of Han characters cut into words (jieba, no HMM, the
        catalog's vocabulary kept whole)."""
        return list(self._jieba().cut(run, HMM=False))

    def parts(self, word: str) -> set[str]:
        """The words jieba knows inside ``word`` (its search mode), the word too."""
        return set(self._jieba().cut_for_search(word, HMM=False))

    def segment(self, text: str) -> str:
        """Insert a zero-width space between the Chinese words of ``text``, and
        a word joiner between the characters of each word (see WORD_JOINER)."""
        text = text.replace("\u200b", "").replace(WORD_JOINER, "")
        if not _CJK_RUN.search(text):
            return text
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        self.used.add(key)
        done = self.cache.get(key)
        if done is None:
            tokenizer = self._jieba()

            def cut(match: re.Match) -> str:
                # Separated from the text around too: "SIEM监控" is SIEM and 监控.
                words = tokenizer.cut(match.group(0), HMM=False)
                return "\u200b" + "\u200b".join(WORD_JOINER.join(word) for word in words) + "\u200b"

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
        if "#" in location:
            # A section's title is its heading, an interface label the same on
            # every course ("Learning outcomes", "Courses that build on this
            # one"): shown in the results, never matched, or a query's "learn"
            # or "build" would rank every course's section alike (titles weigh
            # a thousand times the text in Material's index).
            import html

            plain = html.unescape(title.replace("\u200b", "").replace(WORD_JOINER, ""))
            title = html.escape(WORD_JOINER.join(plain), quote=False)
        docs.append({"location": location, "title": title, "text": body})
    return docs


def language_index(material: dict, ours: list[dict], segmenter: Segmenter | None,
                   aids: dict | None = None) -> dict:
    """One language's search index: what Material's search plugin wrote for the
    build (pages it parsed, made like ours) followed by the generated pages'
    documents (:func:`index_docs`); the tables of :func:`search_aids` go in the
    configuration, under ``catalog`` (Material hands its worker the index's
    config and docs, and its worker reads only the config keys it knows)."""
    theirs = index_docs(((d["location"], d.get("title", ""), plain_text(d.get("text", "")))
                         for d in material.get("docs", [])), segmenter)
    config = dict(material.get("config", {}))
    config.update(INDEX_CONFIG)
    if aids:
        config["catalog"] = aids
    return {"config": config, "docs": theirs + list(ours)}


# ---------------------------------------------------------------------------
# What the browser needs to forgive a query (catalog-search.js)
# ---------------------------------------------------------------------------

_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def search_aids(catalog, docs: list[dict], segmenter: Segmenter, lang: str) -> dict:
    """The tables one language's search uses to forgive a query, limited to
    what its index holds (``docs``):

    * ``synonyms``: groups of words searched as one: courses/_shared/synonyms.yml
      and the term base's English-Chinese pairs, lower-cased;
    * ``spellings``: a word in British or American spelling -> the spelling the
      index uses (breame's lists);
    * ``traditional``: a traditional Chinese character -> the simplified one the
      index uses (OpenCC's conversion, for the index's characters only);
    * ``pinyin``: the toneless pinyin of a Chinese word of a title, a category
      or a term (glossaries, term base) -> the words (pypinyin);
    * ``terms``: the Chinese words of the trade (term base, glossaries) in the
      index: a query's word that is one of them weighs more than a common word;
    * ``places``: every country's name in every site language, lower-cased
      (CLDR through Babel, and the regions table) -> [its name in ``lang``,
      whether a run of the catalog is there]: a query for a country without a
      run is told so plainly.
    """
    from .wording import wording

    segmented = " ".join(f"{d['title']} {d['text']}" for d in docs).replace(WORD_JOINER, "")
    tokens = set(re.split(ZH_SEPARATOR, segmented))
    text = segmented.replace("\u200b", "")
    groups = [[w.lower() for w in group] for group in catalog.synonyms]
    groups += [[wording(t.en).lower(), t.zh] for t in catalog.terms]
    return {"synonyms": groups, "spellings": _spellings(text), "traditional": _traditional(text),
            "pinyin": _pinyin_words(catalog, segmenter, _pieces(tokens)),
            "terms": [w for w in catalog_vocabulary(catalog) if w in tokens],
            "places": _places(catalog, lang)}


def _places(catalog, lang: str) -> dict[str, list]:
    from babel import Locale

    from .offerings import upcoming

    today = catalog.build_date
    regions_run = {catalog.venues[o.venue].region for c in catalog.courses.values() for o in upcoming(c, today)
                   if o.venue in catalog.venues and o.status != "cancelled"}
    here = Locale.parse(lang).territories
    out: dict[str, list] = {}
    for other in catalog.site_languages:
        names = Locale.parse(other).territories
        for code, name in names.items():
            if len(code) == 2 and code.isalpha() and code in here:
                out.setdefault(name.lower(), [here[code], False])
        for region_id, region in catalog.regions.items():
            entry = [region.name[lang], region_id in regions_run]
            out[region.name[other].lower()] = entry
            if region.country and region.country in names:
                out[names[region.country].lower()] = entry
    return out


def _spellings(text: str) -> dict[str, str]:
    from breame.spelling import get_american_spelling, get_british_spelling

    words = {w.lower() for w in _LATIN_WORD.findall(text)}
    out = {}
    for word in sorted(words):
        for other in (get_british_spelling(word), get_american_spelling(word)):
            if other and other not in words:  # a word the index has is searched as it is
                out[other] = word
    return out


def _traditional(text: str) -> dict[str, str]:
    import opencc

    chars = sorted(set(_HAN.findall(text)))
    out = {}
    for config in ("s2t", "s2tw", "s2hk"):
        converter = opencc.OpenCC(config)
        converted = converter.convert("".join(chars))
        for simplified, traditional in zip(chars, converted):
            if traditional != simplified and len(converted) == len(chars):
                out.setdefault(traditional, simplified)
    return out


def _pieces(tokens: set[str]) -> set[str]:
    """Every run of 2 to 6 Han characters inside the index's tokens: the words a
    query can find (as themselves, or as part of a longer word)."""
    out = set()
    for token in tokens:
        for run in _CJK_RUN.findall(token):
            out.update(run[i:j] for i in range(len(run)) for j in range(i + 2, min(len(run), i + 6) + 1))
    return out


def _pinyin_words(catalog, segmenter: Segmenter, findable: set[str]) -> dict[str, list[str]]:
    from pypinyin import Style

    from .pinyin import dictionary

    lazy_pinyin = dictionary().lazy_pinyin  # the readings the pages' pinyin uses

    words: set[str] = set()
    default = catalog.site_languages
    chinese = [lang for lang in default if default.script(lang) in ("Hans", "Hant", "Hani")]
    names = [row.name for table in (catalog.categories, catalog.levels, catalog.regions, catalog.partners)
             for row in table.values()]
    def cut(text: str) -> list[str]:
        """The words of a text as the index cut it (cached: no jieba when warm),
        and the words inside each (新能源 in 新能源汽车), as jieba's search mode
        would give them."""
        out = []
        for word in segmenter.segment(text).replace(WORD_JOINER, "").split("\u200b"):
            out.append(word)
            if _CJK_RUN.fullmatch(word) and len(word) > 2:
                out += [word[i:j] for i in range(len(word)) for j in range(i + 2, min(len(word), i + 4) + 1)
                        if (i, j) != (0, len(word))]
        return out

    for lang in chinese:
        for course in catalog.courses.values():
            words.update(cut(course.title[lang]))
            words.update(_CJK_RUN.findall(course.title[lang]))
        for name in names:
            words.update(_CJK_RUN.findall(name[lang]))
    for term in catalog.terms:
        words.update(_CJK_RUN.findall(term.zh))
    for course in catalog.courses.values():
        for term in course.glossary or []:
            words.update(_CJK_RUN.findall(term.zh))
            words.update(cut(term.zh))
    out: dict[str, list[str]] = {}
    for word in sorted(w for w in words if _CJK_RUN.fullmatch(w) and len(w) > 1 and w in findable):
        key = "".join(lazy_pinyin(word, style=Style.NORMAL)).lower()
        out.setdefault(key, []).append(word)
    return out


def release_tokenizers() -> None:
    """Let jieba's dictionaries go (a language build needs them only while it
    renders; MkDocs' build comes next)."""
    _tokenizer.cache_clear()
