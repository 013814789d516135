"""Pinyin of Chinese text, written as GB/T 16159-2012 (the basic rules of Hanyu
Pinyin orthography) asks; the glossaries and the reading mode both use it.

Stage: model -> pages.  No MkDocs here.

* **Words.**  A run of Han characters is cut into words by the catalog's
  segmenter (jieba, taught the term base, the glossaries and the readings
  table; search.Segmenter.cut).  A word's syllables are joined, with an
  apostrophe before a syllable that starts with a, o or e (rèdiàn'ǒu); words
  stand apart.  A name of four or more syllables is written as the words it is
  made of (diànchí guǎnlǐ xìtǒng, juǎnjī shénjīng wǎngluò), a one-syllable
  prefix or suffix joins its word (kěbiānchéng, chuángǎnqì).
* **Readings by word.**  Each word is read on its own (pypinyin with its phrase
  dictionary), so a reading never crosses a word boundary (班组长 | 的 | 确认
  gives de quèrèn, not dí).  A character that stands as a word of its own and
  reads differently by context (为 wéi after 换算, 行 háng after a number) takes
  the reading the readings table gives for that context.
* **The catalog's own readings win.**  A term of the term base or of a glossary
  may carry ``pinyin:``; ``courses/_shared/readings.yml`` holds words the
  dictionaries lack or misread (调校 tiáojiào, 码垛 mǎduò) and proper names
  (Huìsītōng).  They are written as given, capitals included.
* Digits and Latin stay as written; Chinese punctuation becomes Western
  punctuation; a text that holds sentences starts each sentence with a capital.

Results are cached per text (``caches``), keyed by everything that decides
them, so jieba and pypinyin start only for a text not seen before.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .messages import M
from . import caches

#: A run of Han characters (CJK Unified Ideographs, extension A, compatibility).
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HAN_OR_NOT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

#: GB/T 16159-2012 5.1.4: one-syllable prefixes and suffixes are joined to their word
#: (fùbùzhǎng, fēijīnshǔ, xiàndàihuà, kēxuéxìng); here those of technical Chinese.
PREFIXES = frozenset("副总非反超半云")
SUFFIXES = frozenset("器仪机性化率者员式型度们家表计件制集屏角值态室层点")
#: Inside a term (a name of the trade), a character left over between words joins
#: the word before it when it is one of these (提示词 注入, 热影响区, 蒸散量), else the
#: word after it (光 线路 终端 -> guāngxiànlù zhōngduān); function words stand apart.
BOUND_SUFFIXES = SUFFIXES | frozenset("词层台图线量点区值集卡板库码盘站")
FUNCTION_WORDS = frozenset("与和及或的之并即")
#: Locatives stand apart inside a name too (交车 前 检查).
LOCATIVES = frozenset("前后上下中内外里间")
#: A determiner written apart from the measure word after it (měi zǔ, měi tiān).
SEPARATE_DETERMINERS = frozenset("每")
#: GB/T 16159 writes the original tone of 一 and 不, never their sandhi (yī fēnzhōng, bù duì).
_CITATION = {("一", "yì"): "yī", ("一", "yí"): "yī", ("不", "bú"): "bù"}
#: A numeral and a measure word are written apart too (yī gè, liǎng zhǒng).
NUMERALS = frozenset("一二三四五六七八九十两几")
MEASURE_WORDS = frozenset("个种次条台名组位项套根块张份遍类级句周天点")

#: Chinese marks as pinyin text writes them (after NFKC, which makes ，：；！？（） Western).
_MARKS = str.maketrans({"。": ".", "、": ",", "「": "\u201c", "」": "\u201d", "《": "\u201c", "》": "\u201d",
                        "…": "...", "—": "\u2014", "～": "~", "·": " "})
_SPACE_BEFORE_MARK = re.compile(r"\s+([,.;:!?)\u201d%])")
_SPACE_AFTER_OPEN = re.compile(r"([(\u201c])\s+")
_SPACE_AFTER_MARK = re.compile(r"([,;:!?)\u201d])(\w|\()")
#: Full-width forms of Western marks (，：；！？（）), made Western; ² and the like stay.
_FULL_WIDTH = re.compile(r"[\uff01-\uff5e\u3000]")
#: A text that starts with a Han character (after opening marks): its first letter is a capital.
_STARTS_WITH_HAN = re.compile(r"^[\s“‘《「（(]*[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: What ends a sentence (a text holding one is written with sentence capitals).
_SENTENCE_END = re.compile(r"[。！？]")
#: What ends a clause (the reach of a readings rule's ``in_clause_after``).
_CLAUSE_END = re.compile(r"[，。；：！？、,;:!?（）()]")
_APOSTROPHE_BEFORE = re.compile(r"^[aoeāáǎàōóǒòēéěè]", re.IGNORECASE)


@dataclass(frozen=True)
class Word:
    """One word of a text: its characters and how it is written in pinyin."""

    zh: str
    pinyin: str
    #: The syllable of each Han character ([] for digits, Latin, punctuation).
    syllables: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def dictionary():
    """pypinyin with CC-CEDICT's readings of words loaded over its own phrase
    data (pypinyin-dict's documented ``load()``): 子网 zǐwǎng, 师傅 shīfu, 切换
    qiēhuàn.  Once per process."""
    import pypinyin
    from pypinyin_dict.phrase_pinyin_data import cc_cedict

    cc_cedict.load()
    return pypinyin


def _bare(text: str) -> str:
    """Toneless, lower case, ü as u, character for character (lengths kept)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]
        out.append("u" if base in "vV" else base.lower())
    return "".join(out)


def split_syllables(zh: str, pinyin: str) -> list[str] | None:
    """The pinyin written for ``zh`` (a run of Han characters) cut into one
    syllable per character, each one of the character's readings that pypinyin
    knows (heteronyms); None when no such cut exists (a typo, a wrong reading,
    a syllable too many or too few)."""
    from pypinyin import Style

    readings_of = dictionary().pinyin
    written = pinyin.replace("'", "").replace("\u2019", "").replace(" ", "").replace("-", "")
    bare = _bare(written)
    # Each character on its own: a phrase's reading would hide the others (标识 biāozhì, biāoshí).
    options = [{_bare(r) for r in readings_of(ch, style=Style.NORMAL, heteronym=True, errors="default")[0]}
               for ch in zh]
    options = [{o.replace("v", "u") for o in opts} for opts in options]
    memo: dict[tuple[int, int], list[str] | None] = {}

    def cut(i: int, at: int) -> list[str] | None:
        if i == len(options):
            return [] if at == len(bare) else None
        if (i, at) in memo:
            return memo[i, at]
        found = None
        for option in sorted(options[i], key=len, reverse=True):
            if bare.startswith(option, at):
                rest = cut(i + 1, at + len(option))
                if rest is not None:
                    found = [written[at:at + len(option)], *rest]
                    break
        memo[i, at] = found
        return found

    return cut(0, 0) if len(options) == len(zh) else None


def join_syllables(syllables) -> str:
    """A word's syllables joined, with an apostrophe before a, o, e (GB/T 16159 5.7)."""
    out = ""
    for s in syllables:
        if out and _APOSTROPHE_BEFORE.match(s):
            out += "'"
        out += s
    return out


@dataclass(frozen=True)
class Rule:
    """A character read one way where it stands as a word of its own in a context."""

    zh: str
    pinyin: str
    after: tuple[str, ...] = ()
    in_clause_after: tuple[str, ...] = ()

    before: tuple[str, ...] = ()
    after_a_word: bool = False

    def applies(self, ahead: str, behind: str, previous: str = "") -> bool:
        """Whether the rule holds for the character between ``ahead`` (the text
        before it) and ``behind`` (the text after it); ``previous`` is the word
        right before it."""
        clause = _CLAUSE_END.split(ahead)[-1]
        return (any(ahead.endswith(a) for a in self.after)
                or any(a in clause for a in self.in_clause_after)
                or any(behind.startswith(b) for b in self.before)
                or (self.after_a_word and bool(HAN_RUN.fullmatch(previous))
                    and (len(previous) > 1 or previous in BOUND_SUFFIXES)))  # 数据 集 上


class Readings:
    """The catalog's own readings: words with their pinyin (term base,
    glossaries, readings table), and context rules for single characters."""

    def __init__(self, words: dict[str, str] | None = None, rules: list[Rule] | None = None,
                 terms=(), titles=()):
        self.words = dict(words or {})
        self.rules = list(rules or [])
        #: Titles of works (the courses' Chinese titles): in quotation marks, a name.
        self.titles = tuple(sorted(set(titles), key=lambda t: (-len(t), t)))
        #: The catalog's terms (term base, glossaries): each divided as a name.
        self.terms = frozenset(terms)
        self._long: re.Pattern | None = None

    @classmethod
    def of_catalog(cls, catalog) -> "Readings":
        words: dict[str, str] = {}
        rules: list[Rule] = []
        for row in getattr(catalog, "readings", None) or []:
            if row.get("after") or row.get("in_clause_after") or row.get("before") or row.get("after_a_word"):
                rules.append(Rule(row.zh, row.pinyin, tuple(row.get("after") or ()),
                                  tuple(row.get("in_clause_after") or ()), tuple(row.get("before") or ()),
                                  bool(row.get("after_a_word"))))
            else:
                words[row.zh] = row.pinyin
        terms = list(catalog.terms)
        for course in catalog.courses.values():
            terms.extend(course.get("glossary") or [])
        for term in terms:  # a term's own pinyin wins over the table
            if term.get("pinyin"):
                words[term.zh.strip()] = term.pinyin
        return cls(words, rules, {run for term in terms for run in HAN_RUN.findall(term.zh or "")},
                   [title for course in catalog.courses.values() for lang, title in course.title.items()
                    if HAN_RUN.search(title or "")])

    def long_terms(self) -> re.Pattern:
        """The terms and words of four characters or more, longest first, as one pattern
        with one group (re.split gives the text between them and the terms)."""
        if self._long is None:
            longest = sorted({t for t in [*self.terms, *self.words] if len(t) >= 4 and HAN_RUN.fullmatch(t)},
                             key=lambda t: (-len(t), t))
            self._long = re.compile("(" + "|".join(map(re.escape, longest)) + ")" if longest else "(?!)")
        return self._long

    @property
    def key(self) -> str:
        text = "\n".join([*(f"{k}\t{v}" for k, v in sorted(self.words.items())),
                          *(f"{r.zh}\t{r.pinyin}\t{'|'.join(r.after)}\t{'|'.join(r.in_clause_after)}\t{'|'.join(r.before)}\t{r.after_a_word}"
                            for r in self.rules), *sorted(self.terms), *self.titles])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def vocabulary(self) -> list[str]:
        """Words the segmenter must keep whole (runs of Han characters of two or more)."""
        return sorted({run for word in self.words for run in HAN_RUN.findall(word) if len(run) > 1})


class Pinyin:
    """Pinyin of Chinese texts: ``pinyin(text)`` is the text written in pinyin,
    ``pinyin.words(text)`` the words it is made of (see the module's docstring)."""

    VERSION = "pinyin-gbt16159-1"

    def __init__(self, segmenter, readings: Readings | None = None, cache: Path | None = None):
        self.segmenter = segmenter
        self.readings = readings or Readings()
        self.path = cache
        self.key = f"{self.VERSION}:{segmenter.key}:{self.readings.key}"
        self.done: dict[str, str] = caches.load(cache, self.key)
        self.added = False

    def __call__(self, zh: str) -> str:
        if zh not in self.done:
            self.done[zh] = self.write(zh)
            self.added = True
        return self.done[zh]

    def heading(self, zh: str) -> str:
        """The pinyin of a text that stands alone (a title, a heading, a list
        item): its first letter a capital, as a sentence's (GB/T 16159 6.x)."""
        written = self(zh)
        if not _STARTS_WITH_HAN.match(zh):  # gNodeB, 5G: a name or a number keeps its form
            return written
        return written[:1].upper() + written[1:]

    def save(self) -> None:
        """Write the cache back if texts were added."""
        if self.added:
            caches.save(self.path, self.key, self.done)

    # -- the text as words -------------------------------------------------

    def words(self, zh: str) -> list[Word]:
        """The text as words: Han words with their pinyin, other text as it is."""
        out: list[Word] = []
        text = zh.strip()
        at = 0
        for run in _HAN_OR_NOT.findall(text):
            if not HAN_RUN.fullmatch(run):
                out.append(Word(run, run))
            else:
                out.extend(self._han_words(run, text, at))
            at += len(run)
        return out

    def syllables(self, zh: str) -> list[str]:
        """One syllable per Han character of ``zh``, in order."""
        return [s for word in self.words(zh) for s in word.syllables]

    def write(self, zh: str) -> str:
        """The text written in pinyin, words apart, punctuation Western."""
        parts: list[str] = []
        for word in self.words(zh):
            if word.syllables:
                parts.append(word.pinyin)
            else:
                piece = _FULL_WIDTH.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)),
                                        word.zh).translate(_MARKS).strip()
                if piece == "-" and word.zh == "-":  # a hyphen between words joins them
                    piece = "\0"
                if piece:
                    parts.append(piece)
        joined = " ".join(parts).replace(" \0 ", "-").replace("\0", "-")
        joined = _SPACE_AFTER_MARK.sub(r"\1 \2", joined)
        joined = _SPACE_BEFORE_MARK.sub(r"\1", _SPACE_AFTER_OPEN.sub(r"\1", joined))
        for title in self.readings.titles:  # a quoted title is a name: its words capitalised
            if f"\u201c{title}\u201d" in zh or f"\u300a{title}\u300b" in zh:
                written = self(title)
                joined = joined.replace(f"\u201c{written}\u201d", f"\u201c{_title_case(written)}\u201d")
        if _SENTENCE_END.search(zh):
            start = r"(^|" if _STARTS_WITH_HAN.match(zh) else r"((?!^)"  # gNodeB keeps its form
            joined = re.sub(start + r"[.!?]\s+|[.!?]\u201d\s+)([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü])",
                            lambda m: m.group(1) + m.group(2).upper(), joined)
        return joined

    def _han_words(self, run: str, text: str, start: int) -> list[Word]:
        pieces: list[str] = []
        # A term of four characters or more is divided as a name (GB/T 16159 5.1.3)
        # wherever it stands, so it is written alike in a glossary and in a sentence.
        for i, part in enumerate(self.readings.long_terms().split(run)):
            if not part:
                continue
            if i % 2 and part in self.readings.words:
                pieces.append(part)
            elif i % 2:
                pieces.extend(self._parts(part))
            else:
                pieces.extend(self._divide(self.segmenter.cut(part)))
        out: list[Word] = []
        at = 0
        for piece in pieces:
            out.append(self._word(piece, text[:start + at], text[start + at + len(piece):],
                                  out[-1].zh if out else ""))
            at += len(piece)
        return _join_affixes(out)

    def _divide(self, words: list[str]) -> list[str]:
        """GB/T 16159 5.1.3: a word of four or more characters is written as the
        words it is made of."""
        out: list[str] = []
        for word in words:
            if word[0] == "第" and len(word) > 1 and word[1] in NUMERALS:  # 第一 dì-yī, 第三周 dì-sān zhōu
                end = 1 + len(word[1:]) - len(word[1:].lstrip("".join(NUMERALS)))
                out.append(word[:end])
                out.extend([word[end:]] if word[end:] else [])
                continue
            if len(word) == 2 and (word[0] in SEPARATE_DETERMINERS
                                   or (word[0] in NUMERALS and word[1] in MEASURE_WORDS)):
                # 每组 měi zǔ, 两个 liǎng gè: numeral or determiner and measure word apart (GB/T 16159 5.1.6)
                out.extend(word)
                continue
            if len(word) < 4 or word in self.readings.words:
                out.append(word)
                continue
            out.extend(self._parts(word))
        return out

    def _parts(self, word: str) -> list[str]:
        """A name of four or more characters divided into the words it is made
        of: as few characters left over as can be, then as few words; a
        character left over joins a neighbour (BOUND_SUFFIXES), consecutive
        ones each other; a name that has fewer than two words stays whole."""
        known = {w for w in self.segmenter.parts(word) if 1 < len(w) < len(word)}
        known |= {w for w in self.readings.words if 1 < len(w) < len(word) and w in word}
        best: list[tuple | None] = [None] * (len(word) + 1)
        best[0] = (0, 0, [])
        for end in range(1, len(word) + 1):
            for start in range(end):
                piece = word[start:end]
                if best[start] is None or not (len(piece) == 1 or piece in known):
                    continue
                singles, count, pieces = best[start]
                option = (singles + (len(piece) == 1), count + 1, pieces + [piece])
                if best[end] is None or option[:2] < best[end][:2]:
                    best[end] = option
        pieces = best[len(word)][2]
        grouped: list[str] = []
        pending = ""  # characters left over, waiting for the word after them
        for i, piece in enumerate(pieces):
            if len(piece) > 1:
                if len(pending) > 1:  # characters that make a word of their own (路侧 单元)
                    grouped.append(pending)
                    pending = ""
                grouped.append(pending + piece)
                pending = ""
            elif piece in FUNCTION_WORDS or piece in LOCATIVES:
                if pending:
                    grouped.append(pending)
                grouped.append(piece)
                pending = ""
            elif (not pending and grouped and grouped[-1] not in FUNCTION_WORDS
                  and (piece in BOUND_SUFFIXES or i == len(pieces) - 1)):
                grouped[-1] += piece
            else:
                pending += piece
        grouped = [q for g in grouped
                   for q in (self._parts(g) if 4 <= len(g) < len(word) and g not in self.readings.words else [g])]
        if pending:
            if len(pending) == 1 and grouped and grouped[-1] not in FUNCTION_WORDS:
                grouped[-1] += pending
            else:
                grouped.append(pending)
        return grouped if len(grouped) > 1 else [word]

    def _word(self, zh: str, ahead: str, behind: str, previous: str = "") -> Word:
        if len(zh) == 1:  # a character alone: its reading in this context first
            for rule in self.readings.rules:
                if rule.zh == zh and rule.applies(ahead, behind, previous):
                    return Word(zh, rule.pinyin, (rule.pinyin,))
        explicit = self.readings.words.get(zh)
        if explicit is not None:
            syllables = split_syllables(zh, explicit)
            if syllables is not None:
                return Word(zh, explicit, tuple(syllables))
        from pypinyin import Style

        syllables = [_CITATION.get((ch, s), s) for ch, s in
                     zip(zh, dictionary().lazy_pinyin(zh, style=Style.TONE, errors="default"))]
        if zh[0] == "第" and len(zh) > 1 and zh[1] in NUMERALS:  # GB/T 16159 5.3.3: dì-yī
            return Word(zh, syllables[0] + "-" + join_syllables(syllables[1:]), tuple(syllables))
        return Word(zh, join_syllables(syllables), tuple(syllables))


def _join_affixes(words: list[Word]) -> list[Word]:
    """GB/T 16159 5.1.4: a one-character prefix or suffix, cut off as a word of
    its own, joins the word it belongs to (传感 器 -> chuángǎnqì)."""
    out: list[Word] = []
    for word in words:
        if (len(word.zh) == 1 and word.zh in SUFFIXES and out and len(out[-1].zh) > 1
                and out[-1].syllables and " " not in out[-1].pinyin and "-" not in out[-1].pinyin):
            out[-1] = _merge(out[-1], word)
            continue
        out.append(word)
    merged: list[Word] = []
    skip = False
    for i, word in enumerate(out):
        if skip:
            skip = False
            continue
        nxt = out[i + 1] if i + 1 < len(out) else None
        if (len(word.zh) == 1 and word.zh in PREFIXES and nxt is not None and len(nxt.zh) > 1
                and nxt.syllables and " " not in nxt.pinyin and "-" not in nxt.pinyin):
            merged.append(_merge(word, nxt))
            skip = True
            continue
        merged.append(word)
    return merged


#: Function words a title keeps in lower case (Shùjù Tōngxìn yǔ Wǎngluò Gōngchéng).
_LOWER_IN_TITLES = frozenset({"yǔ", "hé", "de", "jí", "huò", "zhī", "bìng", "duì", "zài"})


def _title_case(written: str) -> str:
    words = written.split(" ")
    return " ".join(w if i and w in _LOWER_IN_TITLES else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _merge(first: Word, second: Word) -> Word:
    """Two words as one (as written, capitals kept; an apostrophe where needed)."""
    joined = join_syllables([first.pinyin, second.pinyin])
    return Word(first.zh + second.zh, joined, first.syllables + second.syllables)


def check_readings(catalog, shared_docs: dict, course_docs: dict, problems) -> None:
    """Warn where a written pinyin (a term's ``pinyin``, a row of the readings
    table) is no reading of its characters: a syllable too many or too few, or
    one that is not a reading of its character.  The message lists the
    readings each character has."""
    from .schema import Checker

    def check(ck, path, zh, written) -> None:
        han = "".join(HAN_RUN.findall(zh))
        rest = written
        for other in _HAN_OR_NOT.findall(zh):  # digits and Latin are written as they are
            if not HAN_RUN.fullmatch(other) and other.strip():
                rest = rest.replace(other.strip(), " ")
        if not han or split_syllables(han, rest) is not None:
            return
        from pypinyin import Style

        readings_of = dictionary().pinyin
        each = ", ".join(f"{ch} {'/'.join(readings_of(ch, style=Style.TONE, heteronym=True, errors='default')[0])}"
                         for ch in han)
        ck.problem(path, M('"{written}" for {zh}, which is not a reading of its characters', written=written, zh=zh),
                   M("one syllable per character, each one of its readings ({readings})", readings=each),
                   severity="warning")

    for table in ("terms", "readings"):
        doc = shared_docs.get(table)
        rows = doc.data.get(table) if doc is not None and isinstance(doc.data, dict) else None
        if not isinstance(rows, list):
            continue
        ck = Checker(doc, problems)
        for i, row in enumerate(rows):
            if isinstance(row, dict) and isinstance(row.get("pinyin"), str) and isinstance(row.get("zh"), str):
                check(ck, (table, i, "pinyin"), row["zh"], row["pinyin"])
    for cid, (path, doc) in course_docs.items():
        course = catalog.courses.get(cid)
        if course is None:
            continue
        ck = Checker(doc, problems)
        for i, term in enumerate(course.get("glossary") or []):
            if term.get("pinyin") and term.get("zh"):
                check(ck, ("glossary", i, "pinyin"), term.zh, term.pinyin)
