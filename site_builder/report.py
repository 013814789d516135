"""What is not yet translated, and problems as CI annotations.

* :func:`translation_gaps` walks a checked course and lists, per language,
  every text still missing or still the ``TODO(lang)`` placeholder, with the
  text shown in its place (the source a translator works from);
* :func:`where` names the place of a gap as the preview's notice on the course
  page does ("Modules 3 › Topics 1", counted from 1, in the page's language);
* :func:`translation_report` is the text ``check --report`` prints: per course
  and language the same gaps as that notice, numbered from 1, each with its
  line in the course file and its source text;
* :func:`annotation` formats a problem as a GitHub Actions workflow command
  (``::error file=...,line=...,col=...::message``) so that a pull request shows
  it on the changed line.

Pure functions returning strings: the command line prints them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .problems import Problem
from .schema import Localized, dotted, visible
from .settings import SiteLanguages


@dataclass(frozen=True)
class Gap:
    """One text of one course not yet written in one language."""

    path: tuple          # field path, e.g. ("modules", 1, "topics", 0)
    reason: str          # "missing" or "stub"
    #: The language of the text shown in its place (None when no language has it yet).
    source: str | None = None
    #: That text: what a translator translates.
    text: str = ""

    @property
    def field(self) -> str:
        return dotted(self.path)


def translation_gaps(course, languages: SiteLanguages) -> dict[str, list[Gap]]:
    """``{lang: [Gap, ...]}`` for every site language (empty lists when complete)."""
    gaps: dict[str, list[Gap]] = {lang: [] for lang in languages}

    def walk(value, path):
        if isinstance(value, Localized):
            for lang, reason in value.gaps.items():
                source = value.stand_ins.get(lang)
                gaps[lang].append(Gap(path, reason, source, (value.get(lang) or "") if source else ""))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, path + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, path + (i,))

    walk(course, ())
    return gaps


def where(path: tuple, t: dict) -> str:
    """The place of a text as readers of the page name it, counted from 1, in the words
    of one language's interface labels ``t``: ("modules", 1, "topics", 0) -> "Modules 2 ›
    Topics 1" (课程模块 2 › 主要内容 1), ("summary",) -> "Summary" (课程简介)."""
    words: list[str] = []
    for part in path:
        if isinstance(part, int) and words:
            words[-1] += f" {part + 1}"
        else:
            words.append(t.get(f"field_{part}") or t.get(str(part)) or str(part))
    return " › ".join(words)


def incomplete(catalog) -> list[str]:
    """Ids of the courses with any text not yet written in some language."""
    return [c.id for c in catalog.ordered_courses()
            if any(translation_gaps(c, catalog.site_languages).values())]


#: How much of a source text a line of the report shows.
SOURCE_SHOWN = 100
#: How the report names the reason of a gap.
REASONS = {"missing": "missing", "stub": "placeholder"}


def translation_report(catalog, only: set[str] | None = None, problems=None) -> str:
    """Per course and language: complete, or the parts not written yet, numbered from 1
    as the preview's notice on the course page lists them (the same parts, in the same
    order and words), each with its line in the course file (from the check's
    ``problems``, which locate every gap) and the text shown in its place.

    ``only`` restricts the report to courses from these source files.
    """
    from .labels import labels

    lines = []
    languages = catalog.site_languages
    t = labels(languages)
    located: dict[tuple, int] = {}
    for problem in problems or ():
        key = (problem.path, problem.field)
        located[key] = min(located.get(key, problem.line), problem.line)
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
            name = languages.english_name(lang)
            if not gaps[lang]:
                lines.append(f"  {lang} ({name}): complete")
                continue
            n = len(gaps[lang])
            lines.append(f"  {lang} ({name}): {n} part{'' if n == 1 else 's'} not written in {name} yet")
            for number, gap in enumerate(gaps[lang], 1):
                line = located.get((source, dotted(gap.path + (lang,))))
                text = visible(gap.text)
                text = text if len(text) <= SOURCE_SHOWN else text[:SOURCE_SHOWN - 3] + "..."
                shown = (f'; source ({languages.english_name(gap.source)}): "{text}"' if gap.source
                         else "; no language has it yet")
                lines.append(f"    {number}. {f'line {line}: ' if line else ''}{where(gap.path, t[lang])} "
                             f"({REASONS.get(gap.reason, gap.reason)}){shown}")
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
