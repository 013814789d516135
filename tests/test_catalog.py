"""Catalog-wide coherence rules, asserted on the real course files in courses/.

The checker validates each file and the references between files; these rules
are editorial: learning paths that make sense, a consistent code scheme, sizes
a learner can take in, and one translation per technical term.
"""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict

import pytest

from conftest import PYTHON, REPO
from site_builder.readers import read_catalog

# Course codes: <category prefix>-<level digit><two-digit number>, e.g. OPT-201.
# The level digit is the position of the level in courses/_shared/levels.yml
# (1 foundation, 2 intermediate, 3 advanced).
CODE = re.compile(r"^(?P<prefix>[A-Z]{3})-(?P<level>[1-9])(?P<number>\d\d)$")
CODE_IN_TEXT = re.compile(r"\b[A-Z]{2,6}-\d{3,4}\b")


@pytest.fixture(scope="module")
def catalog():
    catalog, problems = read_catalog(REPO)
    assert not problems.errors, "\n".join(p.format() for p in sorted(problems.errors))
    return catalog


def level_rank(catalog) -> dict[str, int]:
    return {level: i for i, level in enumerate(catalog.levels)}


def texts(value):
    """Every plain string inside a course value (texts, lists, records)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)
    elif isinstance(value, str):
        yield value


def test_no_warnings():
    problems = read_catalog(REPO)[1]
    assert not problems.warnings, "\n".join(p.format() for p in sorted(problems.warnings))


def test_check_command_passes_with_no_warnings():
    done = subprocess.run([PYTHON, "-m", "site_builder", "check"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "checked 33 courses: no errors" in out
    assert "warning" not in out.lower(), out


def test_all_33_courses_and_every_category_used(catalog):
    assert len(catalog.courses) == 33
    used = defaultdict(list)
    for course in catalog.courses.values():
        used[course.category].append(course.id)
    empty = [c for c in catalog.categories if not used[c]]
    assert not empty, f"categories without courses: {empty}"


@pytest.mark.parametrize("field,low,high", [("glossary", 8, 15), ("outcomes", 4, 8), ("modules", 4, 10)])
def test_sizes(catalog, field, low, high):
    wrong = {c.id: len(c.get(field) or []) for c in catalog.courses.values()
             if not low <= len(c.get(field) or []) <= high}
    assert not wrong, f"{field} should have {low}-{high} items: {wrong}"


def test_hours_fit_a_short_course(catalog):
    # One to three weeks of full-time training; no module shorter than a half day.
    wrong = {c.id: c.hours for c in catalog.courses.values() if not 24 <= c.hours <= 120}
    assert not wrong, wrong
    short = {(c.id, m.title.en): m.hours for c in catalog.courses.values()
             for m in c.modules if m.hours < 3}
    assert not short, short


def test_codes_follow_the_scheme(catalog):
    rank = level_rank(catalog)
    prefixes = defaultdict(set)
    for course in catalog.courses.values():
        match = CODE.match(course.code)
        assert match, f"{course.id}: {course.code} is not PREFIX-LNN"
        assert int(match["level"]) == rank[course.level] + 1, \
            f"{course.id}: {course.code} does not match its level {course.level}"
        assert match["number"] != "00", course.code
        prefixes[course.category].add(match["prefix"])
    assert all(len(p) == 1 for p in prefixes.values()), f"one prefix per category: {dict(prefixes)}"
    owners = [next(iter(p)) for p in prefixes.values()]
    assert len(owners) == len(set(owners)), f"categories share a prefix: {dict(prefixes)}"


def test_codes_named_in_text_exist(catalog):
    codes = {c.code for c in catalog.courses.values()}
    prefixes = {code.split("-")[0] for code in codes}
    stale = set()
    for course in catalog.courses.values():
        for text in texts({k: v for k, v in course.items() if k != "code"}):
            for code in CODE_IN_TEXT.findall(text):
                if code.split("-")[0] in prefixes and code not in codes:
                    stale.add((course.id, code))
    assert not stale, f"descriptions name course codes that do not exist: {sorted(stale)}"


def test_prerequisites_form_learning_paths(catalog):
    rank = level_rank(catalog)
    courses = catalog.courses
    for course in courses.values():
        pres = course.prerequisites or []
        if course.level == "foundation":
            assert not pres, f"{course.id} is a foundation course but requires {pres}"
        for pre in pres:
            assert rank[courses[pre].level] <= rank[course.level], \
                f"{course.id} ({course.level}) requires the higher-level {pre} ({courses[pre].level})"
            if course.status == "active":
                assert courses[pre].status == "active", \
                    f"active {course.id} requires {pre}, which is {courses[pre].status}"


def test_partner_home_regions_are_listed(catalog):
    # A partner based in a region ties the course to that region.
    missing = {(c.id, p): catalog.partners[p].region for c in catalog.courses.values()
               for p in c.partners
               if catalog.partners[p].region and catalog.partners[p].region not in c.regions}
    assert not missing, missing


def test_one_translation_per_glossary_term(catalog):
    seen = defaultdict(lambda: defaultdict(list))
    for course in catalog.courses.values():
        for term in course.glossary:
            seen[term.en.lower()][term.zh].append(course.id)
    split = {en: dict(zh) for en, zh in seen.items() if len(zh) > 1}
    assert not split, f"terms translated differently in different courses: {split}"
