"""Shared fixtures: a throw-away copy of the project with chosen course files."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
#: The build date of every test build (SOURCE_DATE_EPOCH): the sample offerings
#: of 2027 are upcoming, those of 2025 past, whatever day the tests run.
BUILD_DATE = "2026-12-01"
BUILD_EPOCH = "1796083200"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PYTHON = sys.executable


def make_project(dest: Path, courses: dict[str, str] | None = None, *, real_courses=False) -> Path:
    """Copy the parts of the project a build needs into ``dest``.

    ``courses`` maps file names to YAML text; by default the three fixture
    courses (one real course and two derived from it) are used.
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", dest / "overrides")
    (dest / "docs").mkdir()
    shutil.copy(REPO / "docs" / ".gitignore", dest / "docs" / ".gitignore")
    (dest / "courses").mkdir()
    shutil.copytree(REPO / "courses" / "_shared", dest / "courses" / "_shared")
    if real_courses:
        for path in (REPO / "courses").glob("*.yml"):
            shutil.copy(path, dest / "courses" / path.name)
    else:
        for name, text in (courses if courses is not None else sample_courses()).items():
            (dest / "courses" / name).write_text(text, encoding="utf-8")
    return dest


def base_course() -> dict:
    """The fixture course as plain data (every value a string, as authors write it)."""
    return yaml.safe_load((FIXTURES / "courses" / "photonics-technology.yml").read_text(encoding="utf-8"))


def course_yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def derived_course(course_id: str, code: str, en: str, zh: str, **changes) -> dict:
    data = base_course()
    data.update(id=course_id, code=code, title={"en": en, "zh": zh}, updated="2026-04-01")
    data.update(changes)
    return data


def sample_courses() -> dict[str, str]:
    """Three valid courses forming a learning path: photonics -> fiber -> laser."""
    fiber = derived_course("optical-fiber-communication", "OPT-201",
                           "Optical Fiber Communication Technology", "光纤通信技术",
                           prerequisites=["photonics-technology"], level="advanced")
    laser = derived_course("laser-processing", "OPT-202", "Laser Processing Technology",
                           "激光加工技术", prerequisites=["photonics-technology"],
                           delivery="onsite", category="optoelectronics")
    return {
        "photonics-technology.yml": (FIXTURES / "courses" / "photonics-technology.yml").read_text(encoding="utf-8"),
        "optical-fiber-communication.yml": course_yaml(fiber),
        "laser-processing.yml": course_yaml(laser),
    }


def sample_offerings():
    """(file name, offering id, status, end) of every offering in courses/."""
    for path in sorted((REPO / "courses").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for offering in data.get("offerings") or []:
            yield path.name, offering["id"], offering.get("status"), dt.date.fromisoformat(str(offering["end"]))


def pytest_terminal_summary(terminalreporter, exitstatus):
    """When tests failed: which sample offerings the machine's clock has already
    put in the past (the tests build as of BUILD_DATE; a failure on a later day
    may be a test or a page that read the clock instead)."""
    if exitstatus in (0, 5):  # passed, or nothing collected
        return
    today = dt.datetime.now(dt.timezone.utc).date()
    aged = [f"courses/{name}: {oid} ({status}) ended {end}"
            for name, oid, status, end in sample_offerings() if end < today and status in ("open", "waitlist")]
    if today > dt.date.fromisoformat(BUILD_DATE) and aged:
        terminalreporter.write_sep("-", f"sample data aged by today ({today}); the tests build as of {BUILD_DATE}")
        for line in aged:
            terminalreporter.write_line(line)


def pytest_collection_modifyitems(config, items):
    """A test that drives Chromium (it takes the ``browser`` fixture, or is marked
    ``browser``) is marked ``browser``; without Chromium every one of them is
    skipped with the same reason, before its fixtures build anything."""
    from chromium import AVAILABLE, SKIP_REASON

    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if not AVAILABLE and item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.fixture(scope="session", autouse=True)
def pinned_build_date_for_the_session():
    """Every build of the session, in a fixture of any scope, is as of BUILD_DATE.

    A session-scoped autouse fixture is set up before every other fixture, so a
    module- or session-scoped build cannot take the day the tests run on."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = BUILD_EPOCH
    yield
    if saved is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = saved


@pytest.fixture(autouse=True)
def pinned_build_date(monkeypatch):
    """Each test starts as of BUILD_DATE again, whatever the test before it set
    (a build sets SOURCE_DATE_EPOCH for its processes; restored after each test)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """One build of the fixture project, shared by read-only HTML tests."""
    from site_builder.pipeline import build

    root = make_project(tmp_path_factory.mktemp("built") / "project")
    assert build(root) == 0
    return root / "site"
