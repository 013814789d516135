"""One concept, one wording: course texts against the term base (courses/_shared/terms.yml).

Every text of a course is written in both languages in the same field, so a field is
the unit of comparison.  A term-base concept is *used* in a field when one language's
text contains the term base's wording of it; the field is *inconsistent* when the other
language's text does not contain the counterpart wording.  That pair is the reliable
signal of a wording that differs from the term base: "cold joint" where the Chinese
says 虚焊, 开焊 where the English says "cold solder joint", 校验 where the English says
"calibration".  The warning points at the text that lacks the term base's wording.

Finding where a concept is used (strict, so that a word in another sense is not taken
for the concept):

- English: whole words, any case, a plural ending allowed; a hyphen or slash joins two
  words into one ("12-fiber" is not "fiber", "switch-off" is not "switch"); longest match
  first, so "proximity switch" is its own concept and not "switch", and a phrase of a
  course glossary or of OTHER_WORDS is one word ("DHCP relay" is not the electrical relay).
- Chinese: longest match over the Chinese words the catalog knows (term base,
  glossaries, and OTHER_WORDS below), so 激光 inside 激光雷达 is the lidar, not the
  laser, and 短路 inside 最短路径 is no short circuit.

Finding whether the counterpart is there (lenient, so that a correct text is never
warned): Chinese by plain containment; English in any inflection ("calibrate" and
"calibrated" count for "calibration") or as the usual initialism ("IoT" for "Internet
of Things", "PLC" for "programmable logic controller").

A term-base English wording may carry a sense note in parentheses, for one word that
names two concepts: "calibration (sensor or measuring system)" -> 标定 and "calibration
(instrument against a reference standard)" -> 校准.  The note is not part of the
wording; "calibration" then has two accepted counterparts.  Spelling: the term base is
American; a British spelling of a term-base wording ("optical fibre", "colour") is not
the term base's wording, and the message says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .messages import Either, LanguageName, M

#: Words in general use that contain a term-base wording but are not that concept.
#: (Course glossaries add the trade's own compound words automatically.)
OTHER_WORDS = {
    "en": (
        "switch on", "switch off", "switched on", "switched off", "switching on", "switching off",
        "light switch", "power switch",           # not the network switch
        "DHCP relay", "relay agent",              # not the electrical relay
        "optical transmitter", "radio transmitter",  # not the process transmitter
        "empty container", "pesticide container", "shipping container",  # not the software container
        "sensor network",                         # 传感网, not a sensor
        "fiber cable", "fiber-optic cable",       # 光缆: the cable, not the fiber
    ),
    "zh": (
        "最短路径", "开放式最短路径优先",            # no short circuit (短路)
        "滴灌带",                                  # drip tape, a product
        "施工单位",                                # contractor: no work order (工单)
        "光纤熔接",                                # fusion splicing: the English names no fiber
    ),
}

_SENSE_NOTE = re.compile(r"\s*\([^)]*\)\s*$")
_EN_WORD = re.compile(r"[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def wording(term_en: str) -> str:
    """The English wording of a term-base entry: without its sense note."""
    return _SENSE_NOTE.sub("", term_en).strip()


@lru_cache(maxsize=65536)
def _singular(word: str) -> str:
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _key(phrase: str) -> tuple[str, ...]:
    """An English phrase as matched: its words, lower case, singular (a hyphen or slash
    joins two words into one: "12-fiber" is not "fiber")."""
    return tuple(_singular(w) for w in _EN_WORD.findall(phrase))


def _stem(word: str) -> str:
    word = word.lower()
    for ending in ("ations", "ation", "ions", "ion", "ings", "ing", "ed", "es", "s", "e", "y"):
        if len(word) - len(ending) >= 4 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def _initialism(phrase: str) -> str | None:
    """"Internet of Things" -> "iot", "programmable logic controller" -> "plc"."""
    letters = [w[0] for w in re.findall(r"[A-Za-z]+", phrase)]
    return "".join(letters).lower() if len(letters) >= 2 else None


def _starts(vocabulary) -> dict:
    lengths: dict = {}
    for item in vocabulary:
        lengths.setdefault(item[0], set()).add(len(item))
    return {first: tuple(sorted(n, reverse=True)) for first, n in lengths.items()}


@lru_cache(maxsize=4096)
def _lenient_en(phrase: str) -> tuple[tuple[str, ...], re.Pattern, re.Pattern | None]:
    """How the counterpart wording is found in an English text: its stems (each must occur
    in the lower-case text: a quick test), the wording in any inflection (on lower case),
    and its initialism (on the text as written; it counts only in capitals)."""
    stems = tuple(_stem(w) for w in re.findall(r"[a-z0-9]+", phrase.lower()))
    pattern = r"[\s/-]+".join(re.escape(stem) + "[a-z]*" for stem in stems)
    words = re.compile(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])")
    initials = _initialism(phrase)
    short = re.compile(rf"(?<![A-Za-z0-9]){re.escape(initials)}s?(?![A-Za-z0-9])", re.IGNORECASE) \
        if initials else None
    return stems, words, short


#: American spellings and their British forms, for the message only.
_BRITISH = (("fiber", "fibre"), ("center", "centre"), ("meter", "metre"), ("liter", "litre"),
            ("color", "colour"), ("labor", "labour"), ("analyz", "analys"), ("iz", "is"),
            ("enroll", "enrol"), ("program", "programme"), ("catalog", "catalogue"))


def _british_forms(phrase: str) -> list[str]:
    forms = set()
    for us, uk in _BRITISH:
        if us in phrase.lower():
            forms.add(phrase.lower().replace(us, uk))
    return sorted(forms)


@dataclass
class TermIndex:
    """The term base, ready for matching texts against it."""

    #: English wording (normalized words) -> (wording as written, accepted Chinese counterparts)
    en_terms: dict[tuple, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    #: Chinese wording -> accepted English counterparts (wordings as written)
    zh_terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Every known English phrase (normalized) and Chinese word, for longest matching.
    en_vocabulary: set = field(default_factory=set)
    zh_vocabulary: set = field(default_factory=set)
    _patterns: dict = field(default_factory=dict)

    @classmethod
    def build(cls, terms, glossaries=()) -> "TermIndex":
        """``terms``: the term base rows (en, zh); ``glossaries``: every course glossary row."""
        index = cls()
        en_to_zh: dict[tuple, tuple[str, list[str]]] = {}
        zh_to_en: dict[str, list[str]] = {}
        for term in terms:
            en, zh = wording(term.en), term.zh.strip()
            key = _key(en)
            if not key or not zh:
                continue
            en_to_zh.setdefault(key, (en, []))[1].append(zh)
            zh_to_en.setdefault(zh, []).append(en)
        index.en_terms = {k: (en, tuple(dict.fromkeys(zhs))) for k, (en, zhs) in en_to_zh.items()}
        index.zh_terms = {zh: tuple(dict.fromkeys(ens)) for zh, ens in zh_to_en.items()}
        index.en_vocabulary = set(index.en_terms) | {_key(p) for p in OTHER_WORDS["en"]}
        index.zh_vocabulary = set(index.zh_terms) | set(OTHER_WORDS["zh"])
        for row in glossaries:
            if row.get("en"):
                index.en_vocabulary.add(_key(wording(row.en)))
            if row.get("zh") and _CJK.search(row.zh):
                index.zh_vocabulary.add(row.zh.strip())
        index.en_vocabulary.discard(())
        return index

    # -- where a concept is used -------------------------------------------------

    def english_terms(self, text: str) -> list[str]:
        """Term-base wordings used in an English text (longest match, left to right)."""
        words = [_singular(w) for w in _EN_WORD.findall(text)]
        starts, found, i = self._en_starts(), [], 0
        while i < len(words):
            for n in starts.get(words[i], ()):
                key = tuple(words[i:i + n])
                if key in self.en_vocabulary:
                    if key in self.en_terms:
                        found.append(self.en_terms[key][0])
                    i += n
                    break
            else:
                i += 1
        return list(dict.fromkeys(found))

    def chinese_terms(self, text: str) -> list[str]:
        """Term-base wordings used in a Chinese text (longest match, left to right)."""
        starts, first = self._zh_starts()
        found, i = [], 0
        while True:
            at = first.search(text, i)  # the next character that starts a known word
            if at is None:
                break
            i = at.start()
            for n in starts[text[i]]:
                word = text[i:i + n]
                if word in self.zh_vocabulary:
                    if word in self.zh_terms:
                        found.append(word)
                    i += n
                    break
            else:
                i += 1
        return list(dict.fromkeys(found))

    def _en_starts(self) -> dict:
        """First word -> the lengths (in words) of the known phrases it starts, longest first."""
        if "en" not in self._patterns:
            self._patterns["en"] = _starts(self.en_vocabulary)
        return self._patterns["en"]

    def _zh_starts(self) -> tuple[dict, re.Pattern]:
        if "zh" not in self._patterns:
            starts = _starts(self.zh_vocabulary)
            first = re.compile("[" + "".join(re.escape(ch) for ch in sorted(starts)) + "]" if starts else "(?!)")
            self._patterns["zh"] = starts, first
        return self._patterns["zh"]

    # -- whether the counterpart is there ------------------------------------------

    @staticmethod
    def has_english(text: str, phrase: str, lower: str | None = None) -> bool:
        """Whether ``text`` holds ``phrase`` in any inflection, or as its initialism in
        capitals ("IoT", "PLCs")."""
        stems, words, short = _lenient_en(phrase)
        lower = text.lower() if lower is None else lower
        if all(stem in lower for stem in stems) and words.search(lower):
            return True
        return short is not None and any(sum(ch.isupper() for ch in m.group()) >= 2
                                         for m in short.finditer(text))

    def mismatches(self, en: str, zh: str):
        """(language lacking the wording, term wording found, accepted counterparts) per
        concept used in one language of a field and missing from the other."""
        for term in self.english_terms(en):
            counterparts = self.en_terms[_key(term)][1]
            if not any(c in zh for c in counterparts):
                yield "zh", term, counterparts
        lower = en.lower()
        for term in self.chinese_terms(zh):
            counterparts = self.zh_terms[term]
            if not any(self.has_english(en, c, lower) for c in counterparts):
                yield "en", term, counterparts


def _texts(course, doc):
    """(path, {"en": ..., "zh": ...}) for every text field of a course (schema.texts)
    and every glossary term, at its place in the file."""
    from .schema import COURSE, texts

    yield from texts(COURSE, course, doc.data)
    raw = doc.data.get("glossary") if isinstance(doc.data, dict) else None
    terms = course.get("glossary") or []
    if isinstance(raw, list) and len(raw) == len(terms):
        for i, term in enumerate(terms):
            yield ("glossary", i), term


def check_course(ck, course, doc, index: TermIndex, glossary_checked=frozenset()) -> None:
    """Warn, at the text, where a field uses a term-base concept in one language only.

    ``glossary_checked``: lower-case English glossary terms the exact glossary rule
    already compares with the term base (not warned twice).
    """
    for path, text in _texts(course, doc):
        if getattr(text, "gaps", None):
            continue  # not translated yet: reported as such
        en, zh = text.get("en") or "", text.get("zh") or ""
        if not en or not zh:
            continue
        if path[0] == "glossary" and en.lower() in glossary_checked:
            continue
        for lang, term, counterparts in index.mismatches(en, zh):
            wanted = Either(f'"{c}"' for c in counterparts)
            other = LanguageName("en" if lang == "zh" else "zh")
            british = [f for c in counterparts for f in _british_forms(c) if f in en.lower()] \
                if lang == "en" else []
            if british:
                found = M('"{term}" in the {language} text, but not {wanted} ("{british}" is British spelling)',
                          term=term, language=other, wanted=wanted, british=british[0])
            else:
                found = M('"{term}" in the {language} text, but not {wanted}', term=term, language=other,
                          wanted=wanted)
            ck.problem(path + (lang,), found,
                       M("{wanted}, the term base wording (courses/_shared/terms.yml)", wanted=wanted),
                       severity="warning")


# ---------------------------------------------------------------------------
# Texts in the wrong script
# ---------------------------------------------------------------------------

#: ISO 15924 script (SiteLanguages.script) -> how Unicode names its letters
#: (the first word of unicodedata.name); a script not listed is not checked.
SCRIPT_LETTERS = {"Latn": "LATIN", "Cyrl": "CYRILLIC", "Grek": "GREEK", "Arab": "ARABIC",
                  "Hebr": "HEBREW", "Thai": "THAI", "Deva": "DEVANAGARI",
                  "Hans": "CJK", "Hant": "CJK", "Hani": "CJK"}
#: Fewer letters than this are not judged (a code, an abbreviation).
SCRIPT_MIN_LETTERS = 4


def wrong_script(text: str, script: str | None) -> bool:
    """Whether ``text`` has some letters, but none in the language's ``script``
    (a Chinese text written in Latin letters only, a French one in Chinese)."""
    import unicodedata

    word = SCRIPT_LETTERS.get(script or "")
    if word is None:
        return False
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < SCRIPT_MIN_LETTERS:
        return False
    return not any(unicodedata.name(ch, "").startswith(word) for ch in letters)


def check_scripts(ck, course, doc, languages) -> None:
    """Warn, at the text, where a language's text has no letter of its script."""
    from .schema import Localized, describe

    for path, text in _texts(course, doc):
        if not isinstance(text, Localized):
            continue  # a glossary term: checked against the term base
        for lang in languages:
            value = text.get(lang) or ""
            if lang in (text.gaps or {}) or not wrong_script(value, languages.script(lang)):
                continue
            ck.problem(path + (lang,), M("{value}, with no letter of the script {language} is written in",
                                         value=describe(value), language=LanguageName(lang)),
                       M("the {language} text (a text of another language pasted here?)",
                         language=LanguageName(lang)),
                       severity="warning")
