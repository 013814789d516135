"""The term base wording check: a concept used in one language of a field must have the
term base's wording in the other; located warnings, and no false alarms."""

from __future__ import annotations

import pytest

from conftest import base_course, course_yaml, make_project
from site_builder.readers import read_catalog
from site_builder.schema import Obj
from site_builder.wording import TermIndex, wording

TERMS = [Obj(en=en, zh=zh) for en, zh in [
    ("laser", "激光"), ("lidar", "激光雷达"), ("short circuit", "短路"), ("relay", "继电器"),
    ("switch", "交换机"), ("proximity switch", "接近开关"), ("optical fiber", "光纤"),
    ("fiber", "光纤"), ("cold solder joint", "虚焊"), ("Internet of Things", "物联网"),
    ("programmable logic controller", "可编程逻辑控制器"), ("solder bridge", "桥连"),
    ("calibration (sensor or measuring system)", "标定"),
    ("calibration (instrument against a reference standard)", "校准"),
    ("unmanned aerial vehicle", "无人机"), ("drone", "无人机"), ("work order", "工单"),
]]
INDEX = TermIndex.build(TERMS, [Obj(en="fiber laser", zh="光纤激光器")])


def mismatches(en: str, zh: str) -> list[tuple]:
    return [(lang, term, counterparts) for lang, term, counterparts in INDEX.mismatches(en, zh)]


@pytest.mark.parametrize("en,zh,expected", [
    # A wording other than the term base's, in either language.
    ("Finding cold joints", "查找虚焊", [("en", "虚焊", ("cold solder joint",))]),
    ("Removing a solder bridge", "清除连锡", [("zh", "solder bridge", ("桥连",))]),
    ("Pressure transmitter calibration", "压力变送器校验",
     [("zh", "calibration", ("标定", "校准"))]),
    ("Cleaning the optical fibre", "清洁光纤", [("en", "光纤", ("optical fiber", "fiber"))]),
    ("Relays and fuses", "熔断器与接触器", [("zh", "relay", ("继电器",))]),
])
def test_a_different_wording_is_found(en, zh, expected):
    assert mismatches(en, zh) == expected


@pytest.mark.parametrize("en,zh", [
    ("Lidar point clouds", "激光雷达点云"),                      # 激光 inside 激光雷达 is the lidar
    ("OSPF finds the shortest path", "OSPF计算最短路径"),          # 短路 inside 最短路径
    ("DHCP server and DHCP relay", "DHCP服务器与DHCP中继"),        # not the electrical relay
    ("Messages relayed by the gateway", "经网关转发的消息"),       # whole words only
    ("Switch off the mains supply", "断开市电"),                  # switch the verb
    ("Inductive proximity switches", "电感式接近开关"),            # the longer concept wins
    ("Run a fiber laser marking machine", "操作光纤激光打标机"),    # a glossary word
    ("Open a 12-fiber cable", "开剥12芯光缆"),                     # 12-fiber is one word
    ("Calibrate the load cell", "标定称重传感器"),                  # any inflection
    ("Spectrometer calibration", "光谱仪校准"),                    # either sense of calibration
    ("IoT security basics", "物联网安全基础"),                     # the initialism
    ("Wiring PLCs", "可编程逻辑控制器接线"),
    ("Flying the drone by hand", "手动操控无人机"),                 # two English wordings, one Chinese
    ("Short circuits to ground", "对地短路"),                      # plural, any case
])
def test_no_false_alarm(en, zh):
    assert mismatches(en, zh) == []


def test_a_sense_note_is_not_part_of_the_wording():
    assert wording("calibration (sensor or measuring system)") == "calibration"
    assert INDEX.en_terms[("calibration",)] == ("calibration", ("标定", "校准"))


def project_with_topic(tmp_path, en: str, zh: str):
    data = base_course()
    data["modules"][2]["topics"][1] = {"en": en, "zh": zh}
    root = make_project(tmp_path, {"photonics-technology.yml": course_yaml(data)})
    lines = (root / "courses" / "photonics-technology.yml").read_text(encoding="utf-8").splitlines()
    return root, lines


def test_the_warning_is_located_at_the_text_without_the_wording(tmp_path):
    root, lines = project_with_topic(tmp_path, "Spectrometer use and calibration", "光谱仪的使用与校验")
    _, problems = read_catalog(root)
    assert not problems.errors
    line = lines.index("  - en: Spectrometer use and calibration") + 2
    assert lines[line - 1] == "    zh: 光谱仪的使用与校验"
    assert [p.format() for p in problems.warnings] == [
        f"courses/photonics-technology.yml:{line}:9: warning: modules[2].topics[1].zh: "
        '"calibration" in the English text, but not "标定" or "校准"; '
        'expected "标定" or "校准", the term base wording (courses/_shared/terms.yml)']


def test_a_british_spelling_is_named(tmp_path):
    root, lines = project_with_topic(tmp_path, "Cleaning optical fibre end faces", "光纤端面清洁")
    _, problems = read_catalog(root)
    line = lines.index("  - en: Cleaning optical fibre end faces") + 1
    assert [p.format() for p in problems.warnings] == [
        f"courses/photonics-technology.yml:{line}:9: warning: modules[2].topics[1].en: "
        '"光纤" in the Chinese text, but not "optical fiber" or "fiber" ("optical fibre" is British '
        'spelling); expected "optical fiber" or "fiber", the term base wording (courses/_shared/terms.yml)']


def test_glossary_entries_are_checked_once(tmp_path):
    data = base_course()
    data["glossary"][1] = {"en": "optical fiber", "zh": "光导纤维"}   # the glossary rule's case
    data["glossary"][4] = {"en": "cold joint", "zh": "虚焊"}           # any text: the glossary too
    root = make_project(tmp_path, {"photonics-technology.yml": course_yaml(data)})
    _, problems = read_catalog(root)
    assert [p.field for p in sorted(problems.warnings)] == ["glossary[1].zh", "glossary[4].en"]


def test_untranslated_text_is_not_checked(tmp_path):
    data = base_course()
    data["modules"][2]["topics"][1] = {"en": "Removing a solder bridge", "zh": "TODO(zh)"}
    root = make_project(tmp_path, {"photonics-technology.yml": course_yaml(data)})
    _, problems = read_catalog(root)
    assert [str(p.found) for p in problems.warnings] == ['the placeholder "TODO(zh)"']
