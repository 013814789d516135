"""The shipped catalog in courses/: it checks with no error and no warning.

The editorial rules (learning paths that make sense, a consistent code scheme, sizes a
learner can take in, one translation per term) are `check` warnings declared in
editorial.yml, tested on small fixtures in test_editorial.py; the term base wording
check is tested in test_wording.py.  Here they run on the real course files: a faculty
change that departs from a rule shows as a located warning, not as a failing test.
"""

from __future__ import annotations

import subprocess

import pytest

from conftest import PYTHON, REPO
from site_builder.readers import read_catalog
from site_builder.validate import EDITORIAL_FILE, EDITORIAL_RULES, read_editorial_rules
from site_builder.problems import Problems


@pytest.fixture(scope="module")
def catalog():
    catalog, problems = read_catalog(REPO)
    assert not problems.errors, "\n".join(p.format() for p in sorted(problems.errors))
    return catalog


def course_files() -> list:
    return sorted((REPO / "courses").glob("*.yml"))


def test_no_warnings():
    problems = read_catalog(REPO)[1]
    assert not problems.warnings, "\n".join(p.format() for p in sorted(problems.warnings))


def test_check_command_passes_with_no_warnings(catalog):
    done = subprocess.run([PYTHON, "-m", "site_builder", "check"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert f"checked {len(catalog.courses)} courses: no errors" in out
    assert "warning" not in out.lower(), out


def test_every_course_file_is_in_the_catalog(catalog):
    # The count comes from the folder: adding or retiring a course needs no test change.
    assert len(catalog.courses) == len(course_files()) > 0
    assert sorted(catalog.sources.values()) == [f"courses/{p.name}" for p in course_files()]


def test_the_catalog_declares_every_editorial_rule():
    problems = Problems()
    rules = read_editorial_rules(REPO, problems)
    assert not problems, [p.format() for p in problems]
    assert set(rules) == set(EDITORIAL_RULES), f"{EDITORIAL_FILE} leaves out {set(EDITORIAL_RULES) - set(rules)}"


def test_term_base_has_one_chinese_term_per_english_term(catalog):
    seen = {}
    for term in catalog.terms:
        assert seen.setdefault(term.en.lower(), term.zh) == term.zh, term.en
    assert len(seen) == len(catalog.terms), "an English term listed twice"
