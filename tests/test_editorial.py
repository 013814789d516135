"""Editorial rules (editorial.yml): each is a located `check` warning, never an error.

Each test builds a small project from the fixture course, with the catalog's own
editorial.yml, departs from one rule and reads the exact warning it gets.
"""

from __future__ import annotations

import copy
import subprocess

import pytest

from conftest import PYTHON, REPO, course_yaml, derived_course, make_project
from site_builder.readers import read_catalog

RULES = (REPO / "editorial.yml").read_text(encoding="utf-8")
#: The rules without the catalog-wide one, which a one-category fixture always departs from.
COURSE_RULES = "\n".join(line for line in RULES.splitlines()
                         if not line.startswith("every_category_has_a_course"))


def course(course_id="photonics-technology", code="OPT-201", **changes) -> dict:
    """The fixture course, as a course every editorial rule accepts."""
    return derived_course(course_id, code, "Photonics Technology", "光电技术", **changes)


def project(tmp_path, *courses: dict, rules: str | None = COURSE_RULES):
    root = make_project(tmp_path / "project", {f"{c['id']}.yml": course_yaml(c) for c in courses})
    if rules is not None:
        (root / "editorial.yml").write_text(rules, encoding="utf-8")
    return root


def warnings(root) -> list[str]:
    catalog, problems = read_catalog(root)
    assert not problems.errors, [p.format() for p in problems.errors]
    return [p.format() for p in sorted(problems.warnings)]  # in file order


def at(root, course_id: str, line_text: str, after: str | None = None, column: int | None = None) -> str:
    """file:line:col of the first line starting with ``line_text`` (after the line ``after``);
    the column is where the value after "key: " starts unless given."""
    lines = (root / "courses" / f"{course_id}.yml").read_text(encoding="utf-8").splitlines()
    start = lines.index(after) + 1 if after else 0
    for number, line in enumerate(lines[start:], start + 1):
        if line.startswith(line_text):
            col = column if column is not None else line.index(": ") + 3
            return f"courses/{course_id}.yml:{number}:{col}"
    raise AssertionError(f"no line {line_text!r}")


def test_a_course_within_every_rule_gets_no_warning(tmp_path):
    root = project(tmp_path, course(), course("laser-processing", "OPT-202",
                                              prerequisites=["photonics-technology"]))
    assert warnings(root) == []


def test_without_editorial_yml_there_are_no_editorial_rules(tmp_path):
    data = course(code="OPT-999", outcomes=course()["outcomes"][:1])
    assert warnings(project(tmp_path, data, rules=None)) == []


@pytest.mark.parametrize("field,keep,found,expected", [
    ("glossary", 3, "3 terms", "8 to 15 terms"),
    ("outcomes", 2, "2 outcomes", "4 to 8 outcomes"),
])
def test_sizes(tmp_path, field, keep, found, expected):
    data = course()
    data[field] = data[field][:keep]
    root = project(tmp_path, data)
    assert warnings(root) == [
        f"{at(root, 'photonics-technology', field + ':', column=1)}: warning: {field}: {found}; "
        f"expected {expected} (editorial.yml)"]


def test_too_many_modules(tmp_path):
    data = course()
    extra = [dict(copy.deepcopy(m), hours=3) for m in data["modules"]]
    extra.append(dict(copy.deepcopy(data["modules"][0]), hours=12))
    data["modules"] = data["modules"] + extra          # 11 modules: 96 + 5 * 3 + 12 hours
    data["hours"] = 96 + 15 + 12
    root = project(tmp_path, data)
    assert warnings(root) == [
        f"{at(root, 'photonics-technology', 'hours: ')}: warning: hours: 123 hours; "
        "expected 24 to 120 hours (editorial.yml)",
        f"{at(root, 'photonics-technology', 'modules:', column=1)}: warning: modules: "
        "11 modules; expected 4 to 10 modules (editorial.yml)"]


def test_module_shorter_than_half_a_day(tmp_path):
    data = course()
    data["modules"][0]["hours"], data["modules"][1]["hours"] = 2, 26
    root = project(tmp_path, data)
    assert warnings(root) == [
        f"{at(root, 'photonics-technology', '  hours: 2')}: warning: modules[0].hours: 2 hours; "
        "expected a module of at least 3 hours (editorial.yml)"]


@pytest.mark.parametrize("code,found,expected", [
    ("OPT-301", '"OPT-301" for a course at level intermediate',
     "level digit 2 (intermediate), e.g. OPT-201"),
    ("OPT-200", '"OPT-200"', "a number from 01 to 99 after the level digit"),
    ("OPTI-201", '"OPTI-201"',
     "a code PREFIX-LNN: three capitals, the level digit and a two-digit number, e.g. OPT-201"),
])
def test_code_scheme(tmp_path, code, found, expected):
    root = project(tmp_path, course(code=code))
    assert warnings(root) == [f"{at(root, 'photonics-technology', 'code: ')}: warning: code: {found}; "
                              f"expected {expected} (editorial.yml)"]


def test_one_prefix_per_category_and_one_category_per_prefix(tmp_path):
    a = course()
    b = course("laser-processing", "OPT-202")
    c = course("optical-fiber-communication", "LAS-203")             # not the optoelectronics prefix
    d = course("new-energy-vehicle-technology", "OPT-204", category="automotive")  # another's prefix
    root = project(tmp_path, a, b, c, d)
    assert warnings(root) == [
        f"{at(root, 'new-energy-vehicle-technology', 'code: ')}: warning: code: \"OPT-204\", a prefix "
        "the optoelectronics courses use; expected a prefix of the automotive category's own (editorial.yml)",
        f"{at(root, 'optical-fiber-communication', 'code: ')}: warning: code: \"LAS-203\"; expected the "
        "prefix OPT, which the other optoelectronics courses use (editorial.yml)"]


def test_a_code_named_in_a_text_is_a_course(tmp_path):
    data = course()
    data["audience"]["en"] += " Learners who finished OPT-299 may skip module 1."
    root = project(tmp_path, data)
    assert warnings(root) == [
        f"{at(root, 'photonics-technology', '  en: Vocational students', after='audience:')}: warning: "
        "audience.en: the course code OPT-299, which no course has; expected the code of a course in "
        "courses/ (editorial.yml)"]


def test_learning_paths(tmp_path):
    base = course()
    foundation = course("led-display-control-systems", "OPT-101", level="foundation",
                        prerequisites=["photonics-technology"])
    higher = course("optical-fiber-communication", "OPT-202", prerequisites=["machine-vision"])
    planned = course("machine-vision", "OPT-301", level="advanced", status="planned")
    active = course("laser-processing", "OPT-302", level="advanced", prerequisites=["machine-vision"])
    root = project(tmp_path, base, foundation, higher, planned, active)
    pre = "- machine-vision"
    assert warnings(root) == [
        f"{at(root, 'laser-processing', pre, column=3)}: warning: prerequisites[0]: \"machine-vision\", "
        "which is planned; expected prerequisites of an active course that are active too (editorial.yml)",
        f"{at(root, 'led-display-control-systems', '- photonics-technology', column=3)}: warning: "
        "prerequisites[0]: \"photonics-technology\" for a foundation course; expected no prerequisites: "
        "a foundation course is a starting point (editorial.yml)",
        f"{at(root, 'optical-fiber-communication', pre, column=3)}: warning: prerequisites[0]: "
        "\"machine-vision\", a course of the higher level advanced; expected prerequisites at level "
        "intermediate or below (editorial.yml)",
        f"{at(root, 'optical-fiber-communication', pre, column=3)}: warning: prerequisites[0]: "
        "\"machine-vision\", which is planned; expected prerequisites of an active course that are "
        "active too (editorial.yml)"]


def test_a_partner_ties_the_course_to_its_home_region(tmp_path):
    root = project(tmp_path, course(regions=["china"], offerings=[]))  # rmutr is based in Thailand
    assert warnings(root) == [
        f"{at(root, 'photonics-technology', '- rmutr', column=3)}: warning: partners[0]: \"rmutr\", based "
        "in thailand, which is not in regions; expected regions that include thailand, the partner's "
        "home region (editorial.yml)"]


def test_one_translation_per_glossary_term(tmp_path):
    a, b, c = course(), course("laser-processing", "OPT-202"), course("optical-fiber-communication", "OPT-203")
    c["glossary"][7] = {"en": "interferometer", "zh": "干涉计"}   # the others say 干涉仪
    root = project(tmp_path, a, b, c)
    assert warnings(root) == [
        f"{at(root, 'optical-fiber-communication', '  zh: 干涉计', column=7)}: warning: glossary[7].zh: "
        "\"干涉计\" for \"interferometer\"; expected \"干涉仪\", its translation in the other courses' "
        "glossaries (editorial.yml)"]


def test_every_category_has_a_course(tmp_path):
    root = project(tmp_path, course(), rules=RULES)
    lines = (REPO / "courses" / "_shared" / "categories.yml").read_text(encoding="utf-8").splitlines()
    expected = [f"courses/_shared/categories.yml:{n}:9: warning: categories[{i}].id: the category "
                f"\"{line.split(': ', 1)[1]}\", which no course is in; expected at least one course in each "
                "category (editorial.yml)"
                for i, (n, line) in enumerate((n, l) for n, l in enumerate(lines, 1) if l.startswith("  - id: "))
                if not line.endswith(" optoelectronics")]
    assert warnings(root) == expected and len(expected) >= 1


def test_a_rule_that_cannot_be_read_is_a_warning(tmp_path):
    rules = "outcomes: [8, 4]\nmodules: many\nglossary_words: [1, 2]\ncode_scheme: maybe\n"
    root = project(tmp_path, course(), rules=rules)
    assert warnings(root) == [
        "editorial.yml:1:11: warning: outcomes: ['8', '4']; expected [lowest, highest], two whole numbers",
        "editorial.yml:2:10: warning: modules: 'many'; expected [lowest, highest], two whole numbers",
        "editorial.yml:3:1: warning: glossary_words: the unknown rule \"glossary_words\"; expected one of "
        "every_category_has_a_course, glossary_terms, outcomes, modules, course_hours, module_hours_at_least, "
        "code_scheme, codes_in_text_exist, learning_paths, partner_regions_listed, "
        "one_translation_per_glossary_term",
        "editorial.yml:4:14: warning: code_scheme: 'maybe'; expected yes or no"]


def test_editorial_warnings_never_fail_check(tmp_path):
    root = project(tmp_path, course(code="OPT-301"))
    for strict in ([], ["--strict"]):
        run = subprocess.run([PYTHON, "-m", "site_builder", "--root", str(root), "check", *strict],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert "warning: code: \"OPT-301\" for a course at level intermediate" in run.stderr
        assert "checked 1 course" in run.stderr
