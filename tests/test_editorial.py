"""Editorial rules (editorial.yml): each is a located `check` warning, never an error.

Each test builds a small project from the fixture course, with the catalog's own
editorial.yml, departs from one rule and reads the exact warning it gets.
"""

from __future__ import annotations

import copy
import subprocess

import pytest
import yaml

from conftest import PYTHON, REPO, course_yaml, derived_course, make_project
from site_builder.readers import read_catalog

RULES = (REPO / "editorial.yml").read_text(encoding="utf-8")
#: The rules without the catalog-wide one, which a one-category fixture always departs from.
COURSE_RULES = "\n".join(line for line in RULES.splitlines()
                         if not line.startswith("every_category_has_a_course"))


def course(course_id="photonics-technology", code="OPT-201", **changes) -> dict:
    """The fixture course, as a course every editorial rule accepts: its runs ask the
    entry levels of the most demanding course (advanced, or with hazards), and its run on
    the home campus closes eight weeks and four days before the start."""
    data = derived_course(course_id, code, "Photonics Technology", "光电技术", **changes)
    if "offerings" not in changes:
        for run in data["offerings"]:
            run["entry_levels"] = {lang: LEVEL_FOR_ANY_COURSE[lang] for lang in run["entry_levels"]}
        run = next(r for r in data["offerings"] if r["id"] == "2027-03-chongqing")
        run["deadline"] = "2027-01-08"                          # starts 2027-03-08
    return data


#: The entry level that meets editorial.yml's entry_level_minimum for any course.
LEVEL_FOR_ANY_COURSE = {"zh": "HSK 4", "en": "CEFR B1"}


def project(tmp_path, *courses: dict, rules: str | None = COURSE_RULES):
    root = make_project(tmp_path / "project", {f"{c['id']}.yml": course_yaml(c) for c in courses})
    if rules is not None:
        if rules in (RULES, COURSE_RULES):
            rules = present_only(rules, {c["id"] for c in courses})
        (root / "editorial.yml").write_text(rules, encoding="utf-8")
    return root


def present_only(rules: str, ids: set) -> str:
    """The rules with hazard_courses naming only the fixture's courses (the catalog's list
    names courses a fixture lacks, which the check reports)."""
    lines = rules.splitlines(keepends=True)
    for n, line in enumerate(lines):
        if line.startswith("hazard_courses: ") and line.rstrip().endswith("}"):
            groups = yaml.safe_load(line)["hazard_courses"]
            kept = {name: [c for c in group if c in ids] for name, group in groups.items()}
            kept = ", ".join(f"{name}: [{', '.join(group)}]" for name, group in kept.items() if group)
            lines[n] = f"hazard_courses: {{{kept}}}\n" if kept else ""
    return "".join(lines)


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
        "one_translation_per_glossary_term, teaching_languages_in_notes, entry_level_minimum, "
        "hazard_courses, language_course_categories, international_deadline, seats_within_venue_capacity",
        "editorial.yml:4:14: warning: code_scheme: 'maybe'; expected yes or no"]


def test_editorial_warnings_never_fail_check(tmp_path):
    root = project(tmp_path, course(code="OPT-301"))
    for strict in ([], ["--strict"]):
        run = subprocess.run([PYTHON, "-m", "site_builder", "--root", str(root), "check", *strict],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert "warning: code: \"OPT-301\" for a course at level intermediate" in run.stderr
        assert "checked 1 course" in run.stderr


# --------------------------------------------------------------------------
# Offerings: what a run says of itself agrees (notes, entry levels, deadlines, seats)
# --------------------------------------------------------------------------

def run_of(data: dict, offering_id: str) -> dict:
    return next(r for r in data["offerings"] if r["id"] == offering_id)


def value_at(root, course_id: str, *needles: str) -> str:
    """file:line:col of the value right after the last of ``needles``, each found after the one
    before it (the file as course_yaml writes it)."""
    text = (root / "courses" / f"{course_id}.yml").read_text(encoding="utf-8")
    index = 0
    for needle in needles:
        index = text.index(needle, index) + len(needle)
    line, column = text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)
    return f"courses/{course_id}.yml:{line}:{column}"


CHONGQING = "id: 2027-03-chongqing"
NAKHON_PATHOM = "id: 2027-06-nakhon-pathom"


def test_a_note_that_says_which_languages_the_lessons_are_in_names_the_runs_languages(tmp_path):
    data = course()
    run = run_of(data, "2027-03-chongqing")                      # taught in [zh, en]
    run["note"] = {"en": "Lessons are in Chinese, with English slides.", "zh": "以中文授课，配英文课件。"}
    other = run_of(data, "2027-06-nakhon-pathom")                # taught in [en]
    other["note"] = {"en": "Taught in Chinese and English.", "zh": "中英双语授课。"}
    root = project(tmp_path, data)
    assert warnings(root) == [
        f"{value_at(root, 'photonics-technology', CHONGQING, '  note:', 'en: ')}: warning: "
        "offerings[1].note.en: \"in Chinese\", but instruction_languages also lists English (entry level "
        "CEFR B1); expected a note that names every instruction language, or instruction_languages and "
        "entry_levels without English (editorial.yml)",
        f"{value_at(root, 'photonics-technology', CHONGQING, '  note:', 'zh: ')}: warning: "
        "offerings[1].note.zh: \"中文授课\", but instruction_languages also lists English (entry level "
        "CEFR B1); expected a note that names every instruction language, or instruction_languages and "
        "entry_levels without English (editorial.yml)",
        f"{value_at(root, 'photonics-technology', NAKHON_PATHOM, '  note:', 'en: ')}: warning: "
        "offerings[2].note.en: \"in Chinese and English\", but Chinese is not among its instruction "
        "languages (English); expected a note that names its instruction languages, or Chinese in "
        "instruction_languages with an entry level (editorial.yml)"]


@pytest.mark.parametrize("en,zh", [
    ("Lessons are in Chinese and English, with English slides.", "中英双语授课，配英文课件。"),
    ("Lessons are in Chinese or English, as the group needs.", "用中文和英语授课。"),
    ("Bring a laptop. English slides and handouts.", "请自带笔记本电脑。配英文课件和讲义。"),  # no word on the lessons
])
def test_a_note_that_names_the_runs_languages_or_none_gets_no_warning(tmp_path, en, zh):
    data = course()
    run_of(data, "2027-03-chongqing")["note"] = {"en": en, "zh": zh}
    run_of(data, "2027-06-nakhon-pathom")["note"] = {"en": "Taught in English, with Thai interpretation.",
                                                     "zh": "英语授课，提供泰语翻译。"}
    assert warnings(project(tmp_path, data)) == []


def test_an_entry_level_below_the_least_for_the_courses_level(tmp_path):
    data = course(level="advanced", code="OPT-301")
    run_of(data, "2027-03-chongqing")["entry_levels"] = {"zh": "HSK 3", "en": "CEFR B1"}
    run_of(data, "2027-06-nakhon-pathom")["entry_levels"] = {"en": "CEFR A2"}   # interpreted: still too low
    root = project(tmp_path, data)
    assert warnings(root) == [
        f"{value_at(root, 'photonics-technology', CHONGQING, 'entry_levels:', 'zh: ')}: warning: "
        "offerings[1].entry_levels.zh: \"HSK 3\" for Chinese in an advanced course; expected HSK 4 or "
        "higher, the least for advanced courses (editorial.yml)",
        f"{value_at(root, 'photonics-technology', NAKHON_PATHOM, 'entry_levels:', 'en: ')}: warning: "
        "offerings[2].entry_levels.en: \"CEFR A2\" for English in an advanced course; expected CEFR B1 or "
        "higher, the least for advanced courses (editorial.yml)"]
    # Intermediate (the fixture's level) asks for less.
    data["level"], data["code"] = "intermediate", "OPT-201"
    assert warnings(project(tmp_path / "intermediate", dict(data, id="led-display-control-systems"))) == []


def test_a_language_course_asks_the_level_learners_start_from(tmp_path):
    data = course("chinese-for-work-foundation", "OPT-101", category="chinese-culture", level="foundation")
    run_of(data, "2027-03-chongqing")["entry_levels"] = {"zh": "HSK 1", "en": "CEFR A2"}
    assert warnings(project(tmp_path, data)) == []
    data["category"] = "optoelectronics"
    root = project(tmp_path / "not-a-language-course", data)
    assert [w.split(": warning: ")[1] for w in warnings(root)] == [
        "offerings[1].entry_levels.zh: \"HSK 1\" for Chinese in a foundation course; expected HSK 3 or "
        "higher, the least for foundation courses (editorial.yml)"]


@pytest.mark.parametrize("course_id,hazard", [("laser-processing", "laser"),
                                              ("new-energy-vehicle-technology", "high-voltage")])
def test_safety_critical_theory_below_b1_or_hsk_4_needs_interpretation(tmp_path, course_id, hazard):
    category = "automotive" if hazard == "high-voltage" else "optoelectronics"
    data = course(course_id, "OPT-202", category=category)
    run = run_of(data, "2027-06-nakhon-pathom")
    run["entry_levels"], run["interpretation"] = {"en": "CEFR A2"}, "false"
    root = project(tmp_path, data)
    assert warnings(root) == [
        f"{value_at(root, course_id, NAKHON_PATHOM, 'entry_levels:', 'en: ')}: warning: "
        f"offerings[2].entry_levels.en: \"CEFR A2\" for English, the language of the safety-critical theory "
        f"of a {hazard} course, with no interpretation; expected CEFR B1 or higher for {hazard} safety, or "
        "interpretation: true with the safety theory interpreted (editorial.yml)"]
    run["interpretation"] = "true"
    assert warnings(project(tmp_path / "interpreted", data)) == []
    run["interpretation"], run["entry_levels"] = "false", {"en": "CEFR B1"}
    assert warnings(project(tmp_path / "b1", data)) == []


def test_a_course_without_hazards_may_ask_a2_without_interpretation(tmp_path):
    data = course("led-display-control-systems", "OPT-202")
    run = run_of(data, "2027-06-nakhon-pathom")
    run["entry_levels"], run["interpretation"] = {"en": "CEFR A2"}, "false"
    assert warnings(project(tmp_path, data)) == []


def test_a_run_on_the_home_campus_closes_in_time_for_a_visa(tmp_path):
    data = course()
    run_of(data, "2027-03-chongqing")["deadline"] = "2027-02-05"   # 31 days before 2027-03-08
    root = project(tmp_path, data)
    assert warnings(root) == [
        f"{value_at(root, 'photonics-technology', CHONGQING, 'deadline: ')}: warning: "
        "offerings[1].deadline: 2027-02-05, 31 days before the start 2027-03-08 at cquet-chongqing (china), "
        "where learners come from abroad; expected a deadline at least 8 weeks before the start (2027-01-11 "
        "or earlier): time for an admission letter and a visa (editorial.yml)"]
    run_of(data, "2027-03-chongqing")["deadline"] = "2027-01-11"   # exactly eight weeks
    assert warnings(project(tmp_path / "eight-weeks", data)) == []


def test_runs_abroad_online_cancelled_or_past_have_no_visa_deadline(tmp_path):
    data = course()
    for run in data["offerings"]:
        run["deadline"] = str(run["start"])                        # applications until the first day
        run["application"] = {"decision_weeks": "0"}               # and an answer at once
    run_of(data, "2027-03-chongqing")["status"] = "cancelled"
    past = copy.deepcopy(run_of(data, "2027-03-chongqing"))
    past.update(id="2025-03-chongqing", status="closed", start="2025-03-10", end="2025-04-18",
                deadline="2025-03-10")
    data["offerings"].append(past)
    assert warnings(project(tmp_path, data)) == []


def test_seats_within_the_venues_capacity(tmp_path):
    data = course()
    root = project(tmp_path, data)
    venues = root / "courses" / "_shared" / "venues.yml"
    text = venues.read_text(encoding="utf-8")
    kingston = text.index("  - id: kingston-training-center")
    zone = text.index("    timezone: America/Jamaica\n", kingston) + len("    timezone: America/Jamaica\n")
    rest = text[zone:]
    rest = rest[rest.index("  - id: "):] if "  - id: " in rest else ""
    venues.write_text(text[:zone] + "    capacity: 16\n" + rest, encoding="utf-8")
    assert warnings(root) == [
        f"{value_at(root, 'photonics-technology', 'id: 2027-09-kingston', 'seats: ')}: warning: "
        "offerings[3].seats: 20 seats, but kingston-training-center holds 16; expected at most 16 seats, the "
        "venue's capacity (courses/_shared/venues.yml) (editorial.yml)"]
    venues.write_text(text[:zone] + "    capacity: 20\n" + rest, encoding="utf-8")
    assert warnings(root) == []
    venues.write_text(text[:zone] + "    capacity: 16\n" + rest, encoding="utf-8")
    (root / "editorial.yml").write_text(present_only(COURSE_RULES.replace(
        "seats_within_venue_capacity: yes", "seats_within_venue_capacity: no"), {data["id"]}), encoding="utf-8")
    assert warnings(root) == []


def test_what_an_offering_rule_names_is_in_the_shared_tables(tmp_path):
    rules = ("entry_level_minimum: {expert: {zh: HSK 3}, advanced: {zh: HSK 10, en: CEFR B1}}\n"
             "hazard_courses: {laser: [laser-cutting]}\n"
             "language_course_categories: [chinese]\n"
             "international_deadline: {weeks: 8, regions: [mars]}\n"
             "teaching_languages_in_notes: {fr: [\"en {languages}\"]}\n")
    root = project(tmp_path, course(), rules=rules)
    assert warnings(root) == [
        "editorial.yml:1:23: warning: entry_level_minimum.expert: \"expert\", which is not in "
        "courses/_shared/levels.yml; expected a level id (foundation, intermediate, advanced) or hazard",
        "editorial.yml:1:59: warning: entry_level_minimum.advanced.zh: \"HSK 10\" for \"zh\"; expected \"HSK 1\" "
        "(did you mean it?), or one of HSK 1, HSK 2, HSK 3, HSK 4, HSK 5, HSK 6, HSK 7, HSK 8, HSK 9",
        "editorial.yml:2:26: warning: hazard_courses.laser[0]: \"laser-cutting\", which is not a course; "
        "expected the id of a course in courses/",
        "editorial.yml:3:30: warning: language_course_categories[0]: \"chinese\", which is not in "
        "courses/_shared/categories.yml; expected one of optoelectronics, automotive, ict, ai-security, "
        "iot-electronics, smart-agriculture, chinese-culture",
        "editorial.yml:4:46: warning: international_deadline.regions[0]: \"mars\", which is not in "
        "courses/_shared/regions.yml; expected one of china, thailand, indonesia, malaysia, singapore, "
        "kazakhstan, south-africa, barbados, jamaica",
        "editorial.yml:5:31: warning: teaching_languages_in_notes.fr: phrases for \"fr\", which is not a "
        "language of the site; expected the site's languages (mkdocs.yml): en, zh"]


@pytest.mark.parametrize("rule,value", [
    ("teaching_languages_in_notes", "{en: [in]}"),                 # no {languages}
    ("entry_level_minimum", "{advanced: HSK 4}"),
    ("hazard_courses", "[laser-processing]"),
    ("language_course_categories", "chinese-culture"),
    ("international_deadline", "{weeks: eight, regions: [china]}"),
    ("seats_within_venue_capacity", "sometimes"),
])
def test_an_offering_rule_that_cannot_be_read_is_a_warning(tmp_path, rule, value):
    root = project(tmp_path, course(), rules=f"{rule}: {value}\n")
    got = warnings(root)
    assert len(got) == 1 and got[0].startswith(f"editorial.yml:1:{len(rule) + 3}: warning: {rule}: ")
    assert "expected " in got[0]


@pytest.mark.parametrize("guide", ["CONTRIBUTING.md", "CONTRIBUTING.zh.md"])
def test_both_guides_describe_every_house_rule(guide):
    """A rule in editorial.yml that a guide does not name is a rule authors meet unexplained."""
    import yaml

    from conftest import REPO

    rules = yaml.safe_load((REPO / "editorial.yml").read_text(encoding="utf-8"))
    text = (REPO / guide).read_text(encoding="utf-8")
    missing = [name for name in rules if f"`{name}`" not in text]
    assert missing == [], missing
