"""The checked catalog: plain data, independent of any renderer."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from .schema import Obj
from .settings import SiteLanguages


@dataclass
class Catalog:
    """Every course and every shared table, checked and cross-linked."""

    categories: dict[str, Obj] = field(default_factory=dict)
    levels: dict[str, Obj] = field(default_factory=dict)
    languages: dict[str, Obj] = field(default_factory=dict)
    regions: dict[str, Obj] = field(default_factory=dict)
    partners: dict[str, Obj] = field(default_factory=dict)
    venues: dict[str, Obj] = field(default_factory=dict)
    #: How to apply, shared by runs (courses/_shared/applications.yml; see applications.py).
    applications: dict[str, Obj] = field(default_factory=dict)
    #: Exchange rates for approximate conversions, with their date (courses/_shared/rates.yml).
    rates: Obj | None = None
    terms: list[Obj] = field(default_factory=list)
    #: Pinyin of words the dictionaries lack or misread (courses/_shared/readings.yml).
    readings: list[Obj] = field(default_factory=list)
    #: Groups of words searched as one (courses/_shared/synonyms.yml).
    synonyms: list[list[str]] = field(default_factory=list)
    courses: dict[str, Obj] = field(default_factory=dict)
    #: Source file of each course, relative to the project (for messages).
    sources: dict[str, str] = field(default_factory=dict)
    #: The site's date (settings.build_date): offerings before it are past.
    build_date: _dt.date | None = None
    #: The site's languages (mkdocs.yml): every text is written in each.
    site_languages: SiteLanguages | None = None

    def ordered_courses(self) -> list[Obj]:
        """Courses in catalog order: category order, then level order, then code."""
        cat_rank = {k: i for i, k in enumerate(self.categories)}
        lvl_rank = {k: i for i, k in enumerate(self.levels)}
        return sorted(self.courses.values(),
                      key=lambda c: (cat_rank.get(c.category, 999), lvl_rank.get(c.level, 999), c.code or ""))

    def in_category(self, category: str) -> list[Obj]:
        return [c for c in self.ordered_courses() if c.category == category]

    def dependents(self, course_id: str) -> list[Obj]:
        """Courses that list ``course_id`` as a prerequisite."""
        return [c for c in self.ordered_courses() if course_id in (c.prerequisites or [])]

    def all_dependents(self) -> dict[str, list[Obj]]:
        """Course id -> the courses listing it as a prerequisite, in catalog order
        (what ``dependents`` gives, for every course in one pass)."""
        out: dict[str, list[Obj]] = {}
        for course in self.ordered_courses():
            for pre in dict.fromkeys(course.prerequisites or []):
                out.setdefault(pre, []).append(course)
        return out

    def latest_update(self):
        """The most recent ``updated`` date of any course (or None)."""
        dates = [c.updated for c in self.courses.values()]
        return max(dates) if dates else None
