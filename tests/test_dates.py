"""Dates are sane, and no single course can move the site's build date."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from conftest import base_course, course_yaml, make_project

from site_builder.pipeline import source_date_epoch
from site_builder.readers import read_catalog

#: Its outcome depends on a date: run again with the clock moved (.ci/run).
pytestmark = pytest.mark.dates


def with_updated(project, value: str) -> None:
    data = base_course()
    data["updated"] = value
    (project / "courses" / "photonics-technology.yml").write_text(course_yaml(data), encoding="utf-8")


def messages(project, severity="error"):
    _, problems = read_catalog(project)
    return [p.format() for p in problems if p.severity == severity]


def line_of(project, key: str) -> int:
    text = (project / "courses" / "photonics-technology.yml").read_text(encoding="utf-8")
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(key))


def test_a_date_after_tomorrow_is_an_error_at_its_field(project):
    with_updated(project, "2099-01-01")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    line = line_of(project, "updated:")
    assert messages(project) == [
        f"courses/photonics-technology.yml:{line}:10: updated: 2099-01-01, a date in the future; "
        f"expected a date no later than tomorrow ({tomorrow})"]


def test_tomorrow_is_accepted_and_a_date_before_2000_is_a_warning(project):
    with_updated(project, (dt.date.today() + dt.timedelta(days=1)).isoformat())
    assert messages(project) == []
    with_updated(project, "1999-12-31")
    assert messages(project) == []
    warnings = messages(project, "warning")
    assert any("updated: 1999-12-31, a date before 2000; expected a recent date" in w for w in warnings)


def test_a_date_that_does_not_exist(project):
    with_updated(project, "2025-02-29")
    assert any("updated: \"2025-02-29\", a date that does not exist" in m for m in messages(project))
    with_updated(project, "2024-02-29")  # a leap day
    assert messages(project) == []


def test_the_build_date_is_today_and_no_course_moves_it(project, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    today = dt.date.today()
    for updated in ((today + dt.timedelta(days=1)).isoformat(), "2026-04-01"):
        with_updated(project, updated)
        catalog, problems = read_catalog(project)
        assert not problems.errors
        assert catalog.build_date == today
        assert source_date_epoch(today) == str(calendar.timegm(today.timetuple()))
    # SOURCE_DATE_EPOCH, when set, wins: it is the reference of "upcoming" and "past".
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert source_date_epoch(today) == "1767225600"
    catalog, _ = read_catalog(project)
    assert catalog.build_date == dt.date(2026, 1, 1)
