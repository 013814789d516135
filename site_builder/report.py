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

from dataclasses import replace

from dataclasses import dataclass

from .messages import ENGLISH, M, Both, LanguageName, Plural
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
REASONS = {"missing": M("missing"), "stub": M("placeholder")}


def translation_report(catalog, only: set[str] | None = None, problems=None, translator=None) -> str:
    """Per course and language: complete, or the parts not written yet, numbered from 1
    as the preview's notice on the course page lists them (the same parts, in the same
    order and words), each with its line in the course file (from the check's
    ``problems``, which locate every gap) and the text shown in its place.

    ``only`` restricts the report to courses from these source files; ``translator``
    the language it is written in (default: English).
    """
    from .labels import labels

    tr = translator or ENGLISH

    def say(message) -> str:
        return message.translated(tr)

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
            lines.append(say(M("{file}: complete", file=source)))
            continue
        lines.append(say(M("{file}: not complete", file=source)))
        for lang in languages:
            name = LanguageName(lang)
            if not gaps[lang]:
                lines.append("  " + say(M("{lang} ({language}): complete", lang=lang, language=name)))
                continue
            n = len(gaps[lang])
            lines.append("  " + say(Plural("{lang} ({language}): {count} part not written in {language} yet",
                                           "{lang} ({language}): {count} parts not written in {language} yet",
                                           count=n, lang=lang, language=name)))
            for number, gap in enumerate(gaps[lang], 1):
                line = located.get((source, dotted(gap.path + (lang,))))
                text = visible(gap.text)
                text = text if len(text) <= SOURCE_SHOWN else text[:SOURCE_SHOWN - 3] + "..."
                part = where(gap.path, t[lang])
                reason = say(REASONS.get(gap.reason, M(gap.reason)))
                if gap.source:
                    item = M('{part} ({reason}); source ({language}): "{text}"', part=part, reason=reason,
                             language=LanguageName(gap.source), text=text)
                else:
                    item = M("{part} ({reason}); no language has it yet", part=part, reason=reason)
                if line:
                    item = M("line {line}: {item}", line=line, item=item)
                lines.append(f"    {number}. " + say(item))
    lines.append(say(Plural("translation status: {done} of {count} course complete in {languages}",
                            "translation status: {done} of {count} courses complete in {languages}",
                            count=len(courses), done=done,
                            languages=Both([LanguageName(lang) for lang in languages]))))
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# GitHub Actions annotations
# ---------------------------------------------------------------------------

def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem, translators: list | None = None) -> str:
    """``::error file=courses/x.yml,line=12,col=5::title.zh: nothing; expected ...``,
    the message in each of ``translators``' languages, one a line (default: English)."""
    command = "warning" if problem.severity == "warning" else "error"
    message = "\n".join(dict.fromkeys(
        replace(problem, severity="error").text(t) for t in (translators or [None])))
    props = ",".join(f"{key}={_escape_property(str(value))}" for key, value in
                     (("file", problem.path), ("line", problem.line), ("col", problem.column)))
    return f"::{command} {props}::{_escape_data(message)}"
