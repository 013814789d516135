from conftest import make_project


# ---------------------------------------------------------------------------
# The rules of site_builder/pinyin.py, one by one
# ---------------------------------------------------------------------------

def _romaniser(tmp_path=None, words=(), readings=None, terms=()):
    from site_builder.pinyin import Pinyin, Readings
    from site_builder.search import Segmenter

    from site_builder.pinyin import Readings as _R

    readings = _R(readings.words, readings.rules, terms) if readings else _R(terms=terms)
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
    found = [(p.path, p.line, p.column, p.field, p.found, p.expected, p.severity)
             for p in problems if "pinyin" in p.field]
    assert found == [("courses/_shared/readings.yml", 3, 22, "readings[1].pinyin",
                      '"tiáojiàojiào" for 调校, which is not a reading of its characters',
                      "one syllable per character, each one of its readings (调 diào/tiáo, 校 xiào/jiào/jiǎo/qiāo)",
                      "warning")]
