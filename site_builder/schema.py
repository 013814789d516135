"""The course schema, declared once: every field of a course file, one a line.

Each field names its kind (how the raw YAML string is read and checked) and a
docstring shown to authors (and used for the editor's JSON Schema).  Checking
turns raw values into model objects and reports every problem it sees; it never
stops at the first one.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field

from .settings import SiteLanguages

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE = re.compile(r"^[A-Z]{2,6}-[0-9]{3,4}[A-Z]?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Obj(dict):
    """A checked record: a dict whose keys also read as attributes."""

    __getattr__ = dict.get


class Localized(dict):
    """A text in every catalog language: ``text["en"]``, ``text.zh``."""

    __getattr__ = dict.get
    #: Languages whose text is not written yet: ``{"zh": "missing" | "stub"}``.
    #: A preview shows such a text in another language (see Text.check).
    gaps: dict = {}


#: The placeholder written where a text is still to come: ``TODO(en)``, ``TODO(zh)``.
#: Defined once: the scaffold writes it, the checker reports it, the preview flags it.
STUB = "TODO({lang})"


def stub(lang: str) -> str:
    """The placeholder of one language, e.g. ``TODO(zh)``."""
    return STUB.format(lang=lang)


#: Dates before this are warned about (likely a typo in the year).
EARLIEST_DATE = _dt.date(2000, 1, 1)


class Checker:
    """Collects problems while one document is checked."""

    @property
    def today(self) -> _dt.date:
        """The build machine's date: a date later than tomorrow is refused."""
        return _dt.date.today()

    def __init__(self, doc, problems, severity_missing_translation="error",
                 languages: SiteLanguages | None = None):
        self.doc = doc
        self.problems = problems
        self.missing_translation = severity_missing_translation
        #: The site's languages: every text is checked in each of them.
        self.languages = languages

    def problem(self, path: tuple, found: str, expected: str, *, key=False,
                severity="error") -> None:
        from .problems import Problem

        line, col = (self.doc.where_key if key else self.doc.where)(path)
        self.problems.append(Problem(self.doc.path, line, col, dotted(path), found,
                                     expected, severity))


def dotted(path: tuple) -> str:
    """("modules", 2, "hours") -> "modules[2].hours"."""
    out = ""
    for part in path:
        if not isinstance(part, int):  # a key as typed: shortened, control characters shown
            part = visible(part if len(part) <= 40 else part[:37] + "...")
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def describe(value) -> str:
    """How a found value is named in a message."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = value if len(value) <= 40 else value[:37] + "..."
    return '"' + visible(text) + '"'


def visible(text: str) -> str:
    """Text as a one-line message shows it: line breaks, control and invisible characters escaped."""
    return "".join(_visible(ch) for ch in text)


def _visible(ch: str) -> str:
    if ch == "\n":
        return "\\n"
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"
    return ch


_MISSING = object()


# --------------------------------------------------------------------------
# Kinds of value
# --------------------------------------------------------------------------

class Kind:
    """How one value is checked.

    ``check`` reports problems to the checker and returns the model value;
    records, lists and texts return what was valid (so that later rules can
    still look at the rest), a leaf value that is wrong returns _MISSING.
    """

    expected = "a value"
    json: dict = {}

    def check(self, value, path, ck: Checker):
        raise NotImplementedError


def _bad_chars(text: str) -> str | None:
    # Fast path: printable text (str.isprintable refuses a superset of what is
    # refused here) needs no look at each character.
    if text.replace("\n", "").replace("\t", "").replace(" ", "").isprintable():
        return None
    for ch in text:
        if ch in "\n\t":
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs", "Co", "Cn") or ch in "\u2028\u2029":
            return f"the control character U+{ord(ch):04X}"
    return None


@dataclass
class String(Kind):
    """Plain text in one language."""

    max_length: int = 200
    multiline: bool = False
    pattern: re.Pattern | None = None
    expected: str = "text"

    def check(self, value, path, ck):
        if value is None or (isinstance(value, str) and not value.strip()):
            ck.problem(path, "nothing", self.expected)
            return _MISSING
        if not isinstance(value, str):
            ck.problem(path, describe(value), self.expected)
            return _MISSING
        bad = _bad_chars(value)
        if bad:
            ck.problem(path, bad, "printable text")
            return _MISSING
        if not self.multiline and "\n" in value.strip():
            ck.problem(path, "text over several lines", "one line of text")
            return _MISSING
        if len(value) > self.max_length:
            ck.problem(path, f"{len(value)} characters", f"at most {self.max_length}")
            return _MISSING
        if self.pattern and not self.pattern.match(value):
            ck.problem(path, describe(value), self.expected)
            return _MISSING
        return value.strip()


def Slug(expected="a slug: lowercase letters, digits and single hyphens, e.g. led-display-basics"):
    return String(max_length=64, pattern=SLUG, expected=expected)


@dataclass
class Ref(Kind):
    """A slug naming an entry of shared data (categories, levels, ...)."""

    table: str
    expected: str = ""

    def check(self, value, path, ck):
        slug = Slug(f"the id of one of the {self.table} in courses/_shared/{self.table}.yml")
        return slug.check(value, path, ck)


#: Markdown lists (and quotes) opened on one line, as in "- - - - x", nest one
#: level each; Python-Markdown renders each level by recursion.
MAX_MARKDOWN_NESTING = 10
_LINE_MARKERS = re.compile(r"^(?:[ \t]*(?:>[ \t]?|[-+*][ \t]+|\d{1,9}[.)][ \t]+))+", re.M)
_MARKER = re.compile(r">|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t])")


def markdown_nesting(text: str) -> int:
    """The most list and quote markers that open one line of ``text``."""
    return max((len(_MARKER.findall(m.group())) for m in _LINE_MARKERS.finditer(text)), default=0)


@dataclass
class Text(Kind):
    """A text given in every catalog language (a mapping en: ..., zh: ...)."""

    max_length: int = 200
    multiline: bool = False
    markdown: bool = False
    what: str = "text"

    @staticmethod
    def expected_for(languages) -> str:
        return "a mapping with " + " and ".join(f"{l}:" for l in languages)

    def check(self, value, path, ck):
        languages = ck.languages
        if not isinstance(value, dict):
            ck.problem(path, describe(value), self.expected_for(languages))
            return _MISSING
        out = Localized()
        for key in value:
            if key not in languages:
                ck.problem(path + (key,), f"the unknown language {describe(key)}",
                           " or ".join(languages), key=True)
        gaps = {}
        for lang in languages:
            name = languages.english_name(lang)
            expected = f"the {name} {self.what} (non-empty text)"
            text = value.get(lang)
            if text is None or (isinstance(text, str) and not text.strip()):
                ck.problem(path + (lang,), "nothing", expected,
                           severity=ck.missing_translation)
                out[lang], gaps[lang] = "", "missing"
                continue
            marker = next((stub(l) for l in languages if isinstance(text, str) and stub(l) in text), None)
            if marker:
                ck.problem(path + (lang,), f'the placeholder "{marker}"',
                           f"the {name} {self.what} written in its place",
                           severity=ck.missing_translation)
                gaps[lang] = "stub"
            kind = String(self.max_length, self.multiline or self.markdown, expected=expected)
            got = kind.check(text, path + (lang,), ck)
            if self.markdown and got is not _MISSING and markdown_nesting(got) > MAX_MARKDOWN_NESTING:
                ck.problem(path + (lang,), f"lists or quotes nested {markdown_nesting(got)} deep on one line",
                           f"at most {MAX_MARKDOWN_NESTING} levels of Markdown lists and quotes")
                got = _MISSING
            out[lang] = "" if got is _MISSING else got
        if gaps:
            # A preview shows an untranslated text in the default language
            # (else in the first language it is written in).
            order = [languages.default, *languages.others(languages.default)]
            written = [out[l] for l in order if l not in gaps and out[l]]
            for lang in gaps:
                out[lang] = written[0] if written else (out[lang] or stub(lang))
            out.gaps = gaps
        return out


@dataclass
class Integer(Kind):
    """A whole number within bounds."""

    minimum: int
    maximum: int
    unit: str = ""

    @property
    def expected(self):
        return f"a whole number{(' of ' + self.unit) if self.unit else ''} from {self.minimum} to {self.maximum}"

    def check(self, value, path, ck):
        if isinstance(value, str) and re.fullmatch(r"[0-9]{1,7}", value.strip()):
            number = int(value)
            if self.minimum <= number <= self.maximum:
                return number
        ck.problem(path, describe(value), self.expected)
        return _MISSING


@dataclass
class Choice(Kind):
    """One of a fixed set of words."""

    choices: tuple[str, ...]

    @property
    def expected(self):
        return "one of " + ", ".join(self.choices)

    def check(self, value, path, ck):
        if isinstance(value, str) and value in self.choices:
            return value
        ck.problem(path, describe(value), self.expected)
        return _MISSING


@dataclass
class Date(Kind):
    """A calendar date written YYYY-MM-DD."""

    expected: str = "a date written YYYY-MM-DD, e.g. 2025-04-25"

    def check(self, value, path, ck):
        if isinstance(value, str) and DATE.match(value):
            try:
                date = _dt.date.fromisoformat(value)
            except ValueError:
                ck.problem(path, f"{describe(value)}, a date that does not exist", self.expected)
                return _MISSING
            latest = ck.today + _dt.timedelta(days=1)
            if date > latest:
                # One course dated ahead would move the whole site's idea of "now".
                ck.problem(path, f"{value}, a date in the future",
                           f"a date no later than tomorrow ({latest.isoformat()})")
                return _MISSING
            if date < EARLIEST_DATE:
                ck.problem(path, f"{value}, a date before {EARLIEST_DATE.year}",
                           "a recent date (a typo in the year?)", severity="warning")
            return date
        ck.problem(path, describe(value), self.expected)
        return _MISSING


@dataclass
class ListOf(Kind):
    """A list of values of one kind."""

    item: Kind
    minimum: int = 0
    maximum: int = 50
    unique: bool = False

    @property
    def expected(self):
        return f"a list of {self.minimum} to {self.maximum} items"

    def check(self, value, path, ck):
        if value is None and self.minimum == 0:
            return []
        if not isinstance(value, list):
            ck.problem(path, describe(value), self.expected)
            return _MISSING
        if not self.minimum <= len(value) <= self.maximum:
            ck.problem(path, f"{len(value)} items", self.expected)
            return _MISSING
        out, seen = [], {}
        for i, item in enumerate(value):
            got = self.item.check(item, path + (i,), ck)
            if got is _MISSING:
                continue
            if self.unique:
                mark = repr(got)
                if mark in seen:
                    ck.problem(path + (i,), f"{describe(item)} a second time "
                               f"(first as item {seen[mark] + 1})", "each item once")
                    continue
                seen[mark] = i
            out.append(got)
        return out


@dataclass
class Field:
    """One field of a record: name, kind, documentation, and whether required."""

    name: str
    kind: Kind
    doc: str
    required: bool = True


@dataclass
class Record(Kind):
    """A mapping with declared fields; unknown fields are refused."""

    fields: list[Field] = field(default_factory=list)
    expected: str = "a mapping of fields"

    def check(self, value, path, ck):
        if not isinstance(value, dict):
            ck.problem(path, describe(value), self.expected)
            return _MISSING
        names = {f.name for f in self.fields}
        out = Obj()
        for key in value:
            if key not in names:
                ck.problem(path + (key,), f"the unknown field {describe(key)}",
                           "one of " + ", ".join(sorted(names)), key=True)
        for f in self.fields:
            if f.name not in value:
                if f.required:
                    ck.problem(path, f'no field "{f.name}"', f"{f.name}: {f.doc}")
                elif isinstance(f.kind, ListOf):
                    out[f.name] = []
                continue
            got = f.kind.check(value[f.name], path + (f.name,), ck)
            if got is not _MISSING:
                out[f.name] = got
        return out


# --------------------------------------------------------------------------
# The course file, schema version 1
# --------------------------------------------------------------------------

MODULE = Record([
    Field("title", Text(120, what="module title"), "Module title."),
    Field("hours", Integer(1, 500, "hours"), "Contact hours of this module; modules add up to the course hours."),
    Field("topics", ListOf(Text(200, what="topic"), 1, 20), "What the module covers: equipment, tools, procedures."),
])

ASSESSMENT = Record([
    Field("method", Text(160, what="assessment method"), "How learners are assessed, e.g. practical test on a fiber splicer."),
    Field("weight", Integer(1, 100, "percent"), "Share of the final grade in percent; weights add up to 100."),
])

TERM = Record([
    Field("en", String(80, expected="the English term"), "The term in English."),
    Field("zh", String(40, expected="the Chinese term"), "The term in Chinese (pinyin is added at build time)."),
])

COURSE = Record([
    Field("schema", Choice(("1",)), "Version of this file format; always 1.", required=False),
    Field("id", Slug(), "Stable URL key; equals the file name without .yml."),
    Field("code", String(12, pattern=CODE, expected="a course code such as OPT-101 (2-6 capitals, hyphen, 3-4 digits)"), "Course code shown to learners; unique in the catalog."),
    Field("title", Text(120, what="title"), "Course title."),
    Field("summary", Text(400, what="summary"), "One or two sentences a learner can judge in ten seconds."),
    Field("description", Text(3000, markdown=True, what="description"), "Who the course is for and what they will be able to do (Markdown)."),
    Field("category", Ref("categories"), "Category id from courses/_shared/categories.yml."),
    Field("level", Ref("levels"), "Level id from courses/_shared/levels.yml."),
    Field("hours", Integer(1, 2000, "hours"), "Total contact hours; equals the sum of module hours."),
    Field("delivery", Choice(("onsite", "online", "blended")), "How the course is delivered: onsite, online or blended."),
    Field("instruction_languages", ListOf(Ref("languages"), 1, 6, unique=True), "Languages teaching happens in, ids from courses/_shared/languages.yml."),
    Field("regions", ListOf(Ref("regions"), 0, 30, unique=True), "Regions where the course is offered, ids from courses/_shared/regions.yml."),
    Field("partners", ListOf(Ref("partners"), 0, 20, unique=True), "Partner institutions and companies, ids from courses/_shared/partners.yml."),
    Field("prerequisites", ListOf(Slug(), 0, 10, unique=True), "Ids of courses to complete first.", required=False),
    Field("audience", Text(600, multiline=True, what="audience"), "Who the course is for."),
    Field("outcomes", ListOf(Text(300, what="learning outcome"), 1, 12), "What learners can do afterwards; measurable."),
    Field("modules", ListOf(MODULE, 1, 20), "Modules in teaching order."),
    Field("assessment", ListOf(ASSESSMENT, 1, 10), "Assessment methods and their weights."),
    Field("certification", Text(300, what="certification"), "Certificate awarded or standard the course aligns with."),
    Field("glossary", ListOf(TERM, 0, 30), "Key terms, Chinese and English.", required=False),
    Field("status", Choice(("active", "planned", "archived")), "active, planned or archived."),
    Field("updated", Date(), "Date of the last change to the content, YYYY-MM-DD."),
])


# --------------------------------------------------------------------------
# Shared data files in courses/_shared/
# --------------------------------------------------------------------------

def _table(extra: list[Field] | None = None) -> Record:
    return Record([
        Field("id", Slug(), "Stable id used by course files."),
        Field("name", Text(120, what="name"), "Name in every catalog language."),
        *(extra or []),
    ])


SHARED = {
    "categories": ListOf(_table([
        Field("description", Text(600, multiline=True, what="description"), "What the category covers."),
    ]), 1, 100),
    "levels": ListOf(_table([
        Field("description", Text(300, what="description"), "Who this level is for."),
    ]), 1, 20),
    "languages": ListOf(_table(), 1, 50),
    "regions": ListOf(_table(), 1, 300),
    "partners": ListOf(_table([
        Field("kind", Choice(("institution", "company", "association", "government")), "What kind of partner."),
        Field("region", Slug(), "Region id the partner is based in.", required=False),
    ]), 0, 500),
    "terms": ListOf(TERM, 0, 5000),
}
