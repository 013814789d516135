"""Checking course files: every problem of every file, located, in one run."""

import subprocess
import sys

from conftest import FIXTURES, PYTHON, base_course, course_yaml, derived_course, make_project

from site_builder.readers import read_catalog


def broken_text() -> str:
    """The fixture course with ten different mistakes, one per line edited."""
    text = (FIXTURES / "courses" / "photonics-technology.yml").read_text(encoding="utf-8")
    # Without its offerings (their own mistakes are tests/test_offerings.py's).
    start, end = text.index("\nofferings:\n"), text.index("\nstatus: active")
    text = text[:start] + text[end:]
    edits = [
        ("id: photonics-technology", "id: photonics"),                         # 1 id != file name
        ("code: OPT-101", "code: opt101"),                                     # 2 bad code
        ("  zh: 光电技术（世界技能大赛标准）", "  zh:"),                          # 3 missing Chinese title
        ("level: intermediate", "level: expert"),                              # 4 unknown level
        ("delivery: blended", "delivery: classroom"),                          # 5 bad delivery
        ("regions: [china, thailand, barbados, jamaica]", "regions: [china, mars]"),  # 6 unknown region
        ("prerequisites: []", "prerequisites: [no-such-course]"),              # 7 missing prerequisite
        ("    weight: 10", "    weight: 5"),                                   # 8 weights add to 95
        ("updated: 2026-03-02", "updated: 2026/03/02"),                        # 9 bad date
        ("status: active", "status: active\ncolour: blue"),                    # 10 unknown field
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


EXPECTED = [
    'courses/photonics-technology.yml:3:5: id: "photonics"; expected "photonics-technology", the file name without .yml',
    'courses/photonics-technology.yml:4:7: code: "opt101"; expected a course code such as OPT-101 (2-6 capitals, hyphen, 3-4 digits)',
    "courses/photonics-technology.yml:7:6: title.zh: nothing; expected the Chinese title (non-empty text)",
    'courses/photonics-technology.yml:32:8: level: "expert", which is not in courses/_shared/levels.yml; expected one of advanced, foundation, intermediate',
    'courses/photonics-technology.yml:34:11: delivery: "classroom"; expected one of onsite, online, blended',
    'courses/photonics-technology.yml:36:18: regions[1]: "mars", which is not in courses/_shared/regions.yml; expected one of barbados, china, indonesia, jamaica, kazakhstan, malaysia, singapore, south-africa, thailand',
    'courses/photonics-technology.yml:38:17: prerequisites[0]: "no-such-course", which is not a course; expected the id of a course in courses/',
    "courses/photonics-technology.yml:85:3: assessment: weights adding up to 95; expected weights adding up to 100",
    'courses/photonics-technology.yml:115:10: updated: "2026/03/02"; expected a date written YYYY-MM-DD, e.g. 2025-04-25',
]


def test_ten_mistakes_give_ten_located_messages(tmp_path):
    root = make_project(tmp_path, {"photonics-technology.yml": broken_text()})
    _, problems = read_catalog(root, missing_translation="error")  # strict, as in CI
    messages = sorted(p.format() for p in problems)
    assert len(messages) == 10
    for expected in EXPECTED:
        assert expected in messages
    unknown = [m for m in messages if "colour" in m]
    assert unknown and unknown[0].startswith("courses/photonics-technology.yml:114:1: colour: the unknown field")


def test_check_command_exit_code_and_no_traceback(tmp_path):
    root = make_project(tmp_path, {"photonics-technology.yml": broken_text()})
    run = subprocess.run([PYTHON, "-m", "site_builder", "--root", str(root), "check", "--strict"],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.count("courses/photonics-technology.yml:") == 10
    assert "10 problems found in course files" in run.stderr


def test_problems_across_files_are_all_reported(tmp_path):
    a = derived_course("course-a", "OPT-301", "A", "甲", prerequisites=["course-b"])
    b = derived_course("course-b", "OPT-301", "B", "乙", prerequisites=["course-a"])
    a["hours"] = "95"
    root = make_project(tmp_path, {"course-a.yml": course_yaml(a), "course-b.yml": course_yaml(b)})
    _, problems = read_catalog(root)
    text = "\n".join(p.format() for p in problems)
    assert 'course-b.yml:3:7: code: "OPT-301", already used by courses/course-a.yml' in text
    assert "hours: 95 hours, but the modules add up to 96" in text
    assert "a cycle course-a -> course-b -> course-a" in text or "a cycle course-b -> course-a -> course-b" in text


def test_missing_translation_everywhere_is_reported(tmp_path):
    data = base_course()
    data["outcomes"][2]["en"] = ""
    data["modules"][1]["topics"][0].pop("zh")
    data["glossary"][0]["zh"] = None
    root = make_project(tmp_path, {"photonics-technology.yml": course_yaml(data)})
    _, problems = read_catalog(root)
    fields = sorted(p.field for p in problems)
    assert fields == ["glossary[0].zh", "modules[1].topics[0].zh", "outcomes[2].en"]


def test_yaml_implicit_types_do_not_surprise(tmp_path):
    data = base_course()
    data["title"]["en"] = "no"          # would be False in plain YAML
    data["code"] = "OPT-110"
    root = make_project(tmp_path, {"photonics-technology.yml": course_yaml(data)
                                   .replace("en: 'no'", "en: no")})
    catalog, problems = read_catalog(root)
    assert not problems.errors
    assert catalog.courses["photonics-technology"].title.en == "no"


def test_glossary_disagreeing_with_term_base_warns(tmp_path):
    data = base_course()
    data["glossary"][1] = {"en": "optical fiber", "zh": "光导纤维"}
    root = make_project(tmp_path, {"photonics-technology.yml": course_yaml(data)})
    _, problems = read_catalog(root)
    assert not problems.errors
    assert [p.format() for p in problems.warnings] == [
        'courses/photonics-technology.yml:164:7: warning: glossary[1].zh: "光导纤维" for "optical fiber"; '
        'expected "光纤", the term base translation (courses/_shared/terms.yml)']
