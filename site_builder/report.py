"""What is not yet translated, and problems as CI annotations.

* :func:`translation_gaps` walks a checked course and lists, per language,
  every text still missing or still the ``TODO(lang)`` placeholder;
* :func:`translation_report` is the text ``check --report`` prints;
* :func:`annotation` formats a problem as a GitHub Actions workflow command
  (``::error file=...,line=...,col=...::message``) so that a pull request shows
  it on the changed line.

Pure functions returning strings: the command line prints them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .problems import Problem
from .schema import Localized, dotted
from .settings import SiteLanguages


@dataclass(frozen=True)
class Gap:
    """One text of one course not yet written in one language."""

    path: tuple          # field path, e.g. ("modules", 1, "topics", 0)
    reason: str          # "missing" or "stub"

    @property
    def field(self) -> str:
        return dotted(self.path)


def translation_gaps(course, languages: SiteLanguages) -> dict[str, list[Gap]]:
    """``{lang: [Gap, ...]}`` for every site language (empty lists when complete)."""
    gaps: dict[str, list[Gap]] = {lang: [] for lang in languages}

    def walk(value, path):
        if isinstance(value, Localized):
            for lang, reason in value.gaps.items():
                gaps[lang].append(Gap(path, reason))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, path + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, path + (i,))

    walk(course, ())
    return gaps


def incomplete(catalog) -> list[str]:
    """Ids of the courses with any text not yet written in some language."""
    return [c.id for c in catalog.ordered_courses()
            if any(translation_gaps(c, catalog.site_languages).values())]


def translation_report(catalog, only: set[str] | None = None) -> str:
    """Per course and language: complete, or which fields are missing / placeholders.

    ``only`` restricts the report to courses from these source files.
    """
    lines = []
    languages = catalog.site_languages
    courses = [c for c in catalog.ordered_courses()
               if only is None or catalog.sources.get(c.id) in only]
    done = 0
    for course in courses:
        gaps = translation_gaps(course, languages)
        source = catalog.sources.get(course.id, course.id)
        if not any(gaps.values()):
            done += 1
            lines.append(f"{source}: complete")
            continue
        lines.append(f"{source}: not complete")
        for lang in languages:
            if not gaps[lang]:
                lines.append(f"  {lang} ({languages.english_name(lang)}): complete")
                continue
            parts = []
            for reason, what in (("missing", "missing"), ("stub", "placeholder")):
                fields = [g.field for g in gaps[lang] if g.reason == reason]
                if fields:
                    parts.append(f"{what}: " + ", ".join(fields))
            lines.append(f"  {lang} ({languages.english_name(lang)}): " + "; ".join(parts))
    lines.append(f"translation status: {done} of {len(courses)} course"
                 f"{'' if len(courses) == 1 else 's'} complete in "
                 + " and ".join(languages.english_name(lang) for lang in languages))
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# GitHub Actions annotations
# ---------------------------------------------------------------------------

def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """``::error file=courses/x.yml,line=12,col=5::title.zh: nothing; expected ...``"""
    command = "warning" if problem.severity == "warning" else "error"
    label = f"{problem.field}: " if problem.field else ""
    message = f"{label}{problem.found}; expected {problem.expected}"
    props = ",".join(f"{key}={_escape_property(str(value))}" for key, value in
                     (("file", problem.path), ("line", problem.line), ("col", problem.column)))
    return f"::{command} {props}::{_escape_data(message)}"
