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
from functools import lru_cache

from .messages import M, Both, Doc, Either, LanguageName, close_matches, did_you_mean
from .settings import SiteLanguages

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE = re.compile(r"^[A-Z]{2,6}-[0-9]{3,4}[A-Z]?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Obj(dict):
    """A checked record: a dict whose fields also read as attributes.

    Every declared field is a key (``None`` when the file lacks it or it was
    wrong), so a misspelt field name raises AttributeError instead of reading
    as ``None``."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"a checked record has no field {name!r}") from None


class Localized(dict):
    """A text in every catalog language: ``text["en"]``, ``text.zh``."""

    __getattr__ = dict.get
    #: Languages whose text is not written yet: ``{"zh": "missing" | "stub"}``.
    #: A preview shows such a text in another language (see Text.check).
    gaps: dict = {}
    #: For each language in ``gaps``, the language of the text shown instead.
    stand_ins: dict = {}

    def written_in(self, lang: str) -> str:
        """The language of the text shown as ``self[lang]``."""
        return self.stand_ins.get(lang, lang)


#: The placeholder written where a text is still to come: ``TODO(en)``, ``TODO(zh)``.
#: Defined once: the scaffold writes it, the checker reports it, the preview flags it.
STUB = "TODO({lang})"


#: A placeholder of any language in a text.
STUB_FOUND = re.compile(re.escape(STUB).replace(re.escape("{lang}"), r"[A-Za-z_-]{2,12}"))


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
        return M("nothing")
    if isinstance(value, dict):
        return M("a mapping")
    if isinstance(value, list):
        return M("a list")
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

    expected = M("a value")
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
            return M("the control character U+{code}", code=format(ord(ch), "04X"))
    return None


@dataclass
class String(Kind):
    """Plain text in one language."""

    max_length: int = 200
    multiline: bool = False
    pattern: re.Pattern | None = None
    expected: object = M("text")
    #: Whether a placeholder (TODO(en)) left in the text is reported.
    placeholders: bool = True

    def check(self, value, path, ck):
        if value is None or (isinstance(value, str) and not value.strip()):
            ck.problem(path, M("nothing"), self.expected)
            return _MISSING
        if not isinstance(value, str):
            ck.problem(path, describe(value), self.expected)
            return _MISSING
        bad = _bad_chars(value)
        if bad:
            ck.problem(path, bad, M("printable text"))
            return _MISSING
        if not self.multiline and "\n" in value.strip():
            ck.problem(path, M("text over several lines"), M("one line of text"))
            return _MISSING
        if len(value) > self.max_length:
            ck.problem(path, M("{count} characters", count=len(value)),
                       M("at most {maximum}", maximum=self.max_length))
            return _MISSING
        if self.pattern and not self.pattern.match(value):
            ck.problem(path, describe(value), self.expected)
            return _MISSING
        marker = self.placeholders and STUB_FOUND.search(value)
        if marker:  # a Text reports its own; this is a plain text (a glossary term)
            ck.problem(path, M('the placeholder "{marker}"', marker=marker.group()),
                       M("{expected} written in its place", expected=self.expected),
                       severity=ck.missing_translation)
        return value.strip()


def Slug(expected=M("a slug: lowercase letters, digits and single hyphens, e.g. led-display-basics")):
    return String(max_length=64, pattern=SLUG, expected=expected)


@dataclass
class Ref(Kind):
    """A slug naming an entry of shared data (categories, levels, ...)."""

    table: str
    expected: object = ""

    def check(self, value, path, ck):
        slug = Slug(M("the id of one of the {table} in courses/_shared/{table}.yml", table=self.table))
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
    what: object = M("text")

    @staticmethod
    def expected_for(languages) -> M:
        return M("a mapping with {keys}", keys=Both([f"{l}:" for l in languages]))

    def check(self, value, path, ck):
        languages = ck.languages
        if not isinstance(value, dict):
            ck.problem(path, describe(value), self.expected_for(languages))
            return _MISSING
        out = Localized()
        for key in value:
            if key not in languages:
                ck.problem(path + (key,), M("the unknown language {name}", name=describe(key)),
                           Either(list(languages)), key=True)
        gaps = {}
        for lang in languages:
            name = LanguageName(lang)
            expected = M("the {language} {what} (non-empty text)", language=name, what=self.what)
            text = value.get(lang)
            if text is None or (isinstance(text, str) and not text.strip()):
                if lang not in ck.doc.skipped:  # else its line was set aside after a syntax mistake
                    ck.problem(path + (lang,), M("nothing"), expected,
                               severity=ck.missing_translation)
                out[lang], gaps[lang] = "", "missing"
                continue
            marker = next((stub(l) for l in languages if isinstance(text, str) and stub(l) in text), None)
            if marker:
                ck.problem(path + (lang,), M('the placeholder "{marker}"', marker=marker),
                           M("the {language} {what} written in its place", language=name, what=self.what),
                           severity=ck.missing_translation)
                gaps[lang] = "stub"
            kind = String(self.max_length, self.multiline or self.markdown, expected=expected,
                          placeholders=False)
            got = kind.check(text, path + (lang,), ck)
            if self.markdown and got is not _MISSING and markdown_nesting(got) > MAX_MARKDOWN_NESTING:
                ck.problem(path + (lang,), M("lists or quotes nested {depth} deep on one line",
                                             depth=markdown_nesting(got)),
                           M("at most {maximum} levels of Markdown lists and quotes",
                             maximum=MAX_MARKDOWN_NESTING))
                got = _MISSING
            out[lang] = "" if got is _MISSING else got
        if gaps:
            # A preview shows an untranslated text in the default language
            # (else in the first language it is written in).
            order = [languages.default, *languages.others(languages.default)]
            written = [l for l in order if l not in gaps and out[l]]
            out.stand_ins = {}
            for lang in gaps:
                if written:
                    out[lang], out.stand_ins[lang] = out[written[0]], written[0]
                else:
                    out[lang] = out[lang] or stub(lang)
            out.gaps = gaps
        return out


@dataclass
class Integer(Kind):
    """A whole number within bounds."""

    minimum: int
    maximum: int
    unit: object = ""

    @property
    def expected(self):
        if self.unit:
            return M("a whole number of {unit} from {minimum} to {maximum}", unit=self.unit,
                     minimum=self.minimum, maximum=self.maximum)
        return M("a whole number from {minimum} to {maximum}", minimum=self.minimum, maximum=self.maximum)

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
        return M("one of {choices}", choices=list(self.choices))

    def check(self, value, path, ck):
        if isinstance(value, str) and value in self.choices:
            return value
        ck.problem(path, describe(value), did_you_mean(value, self.choices, self.expected))
        return _MISSING


@dataclass
class Date(Kind):
    """A calendar date written YYYY-MM-DD, no later than tomorrow."""

    expected: object = M("a date written YYYY-MM-DD, e.g. 2025-04-25")

    def latest(self, ck) -> tuple[_dt.date, str, str]:
        """(the latest date accepted, what a later one is called, what is expected instead)."""
        latest = ck.today + _dt.timedelta(days=1)
        # One course dated ahead would move the whole site's idea of "now".
        return latest, M("a date in the future"), M("a date no later than tomorrow ({date})",
                                                     date=latest.isoformat())

    def check(self, value, path, ck):
        if isinstance(value, str) and DATE.match(value):
            try:
                date = _dt.date.fromisoformat(value)
            except ValueError:
                ck.problem(path, M("{value}, a date that does not exist", value=describe(value)), self.expected)
                return _MISSING
            latest, later, expected = self.latest(ck)
            if date > latest:
                ck.problem(path, M("{value}, {why}", value=value, why=later), expected)
                return _MISSING
            if date < EARLIEST_DATE:
                ck.problem(path, M("{value}, a date before {year}", value=value, year=EARLIEST_DATE.year),
                           M("a recent date (a typo in the year?)"), severity="warning")
            return date
        ck.problem(path, describe(value), self.expected)
        return _MISSING


@dataclass
class FutureDate(Date):
    """A date that may lie ahead (an offering's start, end or deadline), but
    not further than ``years`` ahead of the build machine's today."""

    years: int = 4
    expected: object = M("a date written YYYY-MM-DD, e.g. 2027-04-05")

    def latest(self, ck) -> tuple[_dt.date, str, str]:
        latest = ck.today.replace(year=ck.today.year + self.years, day=min(ck.today.day, 28))
        return (latest, M("more than {years} years ahead", years=self.years),
                M("a date within {years} years from today (a typo in the year?)", years=self.years))


@dataclass
class Boolean(Kind):
    """Yes or no, written true or false."""

    expected: object = M("true or false")

    def check(self, value, path, ck):
        word = value.strip().lower() if isinstance(value, str) else None
        if word in ("true", "yes"):
            return True
        if word in ("false", "no"):
            return False
        ck.problem(path, describe(value), self.expected)
        return _MISSING


#: A host name: labels of letters, digits and inner hyphens, at least one dot.
HOST = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
#: An e-mail address as the catalog accepts it (ASCII, one @, a host with a dot).
EMAIL = re.compile(r"^[a-z0-9!#$%'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%'*+/=?^_`{|}~-]+)*@"
                   r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.I)
_URL_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")


def _safe_link(value: str) -> tuple[str | None, str]:
    """(the link as the catalog writes it, or None; why it was refused)."""
    from urllib.parse import urlsplit

    if not _URL_CHARS.match(value):
        return None, M("a link with spaces, backslashes or characters outside a URL")
    scheme, colon, rest = value.partition(":")
    scheme = scheme.lower()
    if scheme == "mailto":
        address, _, query = rest.partition("?")
        if EMAIL.match(address):
            return "mailto:" + address + (f"?{query}" if query else ""), ""
        return None, M("a mailto: link without one valid address")
    if scheme != "https":
        return None, (M("a link of the scheme {scheme}", scheme=repr(scheme[:12])) if colon
                      else M("a link without https: or mailto:"))
    if not rest.startswith("//"):
        return None, M("an https: link without a host (https://host/...)")
    parts = urlsplit("https:" + rest)
    if "@" in parts.netloc:
        return None, M("an https: link with a user name before its host")
    host, _, port = parts.netloc.partition(":")
    if not HOST.match(host.lower()) or (port and not port.isdigit()):
        return None, M("an https: link whose host is not a domain name")
    return "https:" + rest.replace(parts.netloc, parts.netloc.lower(), 1), ""


@dataclass
class Link(Kind):
    """Where a learner applies: an ``https://`` address or a ``mailto:`` address."""

    expected: object = M("an https:// link or a mailto: address, e.g. https://example.org/apply")

    def check(self, value, path, ck):
        if not isinstance(value, str) or not value.strip():
            ck.problem(path, describe(value), self.expected)
            return _MISSING
        link, why = _safe_link(value.strip())
        if link is None:
            ck.problem(path, M("{value}, {why}", value=describe(value), why=why), self.expected)
            return _MISSING
        return link


#: The address the scaffold writes until the real one is known (reported like TODO(en)).
PLACEHOLDER_EMAIL = "todo@example.org"


@dataclass
class Email(Kind):
    """An e-mail address."""

    expected: object = M("an e-mail address, e.g. admissions@example.org")

    def check(self, value, path, ck):
        if isinstance(value, str) and value.strip() == PLACEHOLDER_EMAIL:
            ck.problem(path, M('the placeholder "{marker}"', marker=PLACEHOLDER_EMAIL),
                       M("the role address written in its place"),
                       severity=ck.missing_translation)
            return value.strip()
        if isinstance(value, str) and EMAIL.match(value.strip()):
            return value.strip()
        ck.problem(path, describe(value), self.expected)
        return _MISSING


@dataclass
class Listed(Kind):
    """A name from a standard list kept by a library: ``names()`` gives them all."""

    names: object  # () -> frozenset
    expected: object
    #: What an author may write instead of a name: (value) -> the names meant.
    aliases: object = None

    def check(self, value, path, ck):
        if isinstance(value, str) and value in self.names():
            return value
        meant = sorted(self.aliases(value)) if self.aliases and isinstance(value, str) else None
        ck.problem(path, describe(value), did_you_mean(value, self.names(), self.expected, meant))
        return _MISSING


@lru_cache(maxsize=1)
def currencies() -> frozenset:
    """The ISO 4217 codes in use (from Babel's CLDR data)."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


@lru_cache(maxsize=1)
def time_zones() -> frozenset:
    """The IANA time zone names (the tzdata package, else the system's database)."""
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


#: What authors write for a currency that neither ISO 4217 nor CLDR's names and
#: symbols spell so: the Renminbi's everyday abbreviation and unit.
CURRENCY_ABBREVIATIONS = {"RMB": "CNY", "元": "CNY"}


def currency_named(text: str) -> set[str]:
    """The ISO 4217 codes an author may mean by ``text``: a code in other
    letter case, a currency's name or symbol in a catalog language (CLDR, by
    Babel: 人民币, ¥, US$, euro), or a common abbreviation (RMB)."""
    key = text.strip().casefold()
    if not key:
        return set()
    if key.upper() in currencies():
        return {key.upper()}
    found = {code for name, code in CURRENCY_ABBREVIATIONS.items() if name.casefold() == key}
    return found | _currency_names().get(key, set())


@lru_cache(maxsize=1)
def _currency_names() -> dict[str, set[str]]:
    from babel import Locale
    from babel.numbers import get_currency_name, get_currency_symbol

    from .messages import message_languages

    names: dict[str, set[str]] = {}
    for lang in message_languages():
        locale = Locale.parse(lang)
        for code in currencies():
            for name in (get_currency_name(code, locale=locale), get_currency_symbol(code, locale=locale)):
                if name and name != code:
                    names.setdefault(name.casefold(), set()).add(code)
    return names


def Currency() -> Listed:
    return Listed(currencies, M("an ISO 4217 currency code in capitals, e.g. USD, CNY, THB"), currency_named)


def TimeZone() -> Listed:
    return Listed(time_zones, M("an IANA time zone name such as Asia/Shanghai or Africa/Johannesburg"))


@dataclass
class Amount(Kind):
    """A sum of money: digits, optionally a point and one or two decimals."""

    maximum: int = 999_999_999
    expected: object = M("an amount such as 350 or 1200.50 (no currency sign, no thousands separator)")

    def check(self, value, path, ck):
        from decimal import Decimal

        if isinstance(value, str) and re.fullmatch(r"[0-9]{1,9}(?:\.[0-9]{1,2})?", value.strip()):
            amount = Decimal(value.strip())
            if amount <= self.maximum:
                return amount
        ck.problem(path, describe(value), self.expected)
        return _MISSING


@dataclass
class MapOf(Kind):
    """A mapping from the ids of a shared table to values of one kind."""

    table: str
    value: Kind
    minimum: int = 0

    @property
    def expected(self):
        return M("a mapping from ids of courses/_shared/{table}.yml to values", table=self.table)

    def check(self, value, path, ck):
        if value is None and self.minimum == 0:
            return {}
        if not isinstance(value, dict) or len(value) < self.minimum:
            ck.problem(path, describe(value), self.expected)
            return _MISSING
        out = {}
        for key, item in value.items():
            if not isinstance(key, str) or not SLUG.match(key):
                ck.problem(path + (key,), describe(key), M("the id of one of the {table}", table=self.table),
                           key=True)
                continue
            got = self.value.check(item, path + (key,), ck)
            if got is not _MISSING:
                out[key] = got
        return out


@dataclass
class ListOf(Kind):
    """A list of values of one kind."""

    item: Kind
    minimum: int = 0
    maximum: int = 50
    unique: bool = False

    @property
    def expected(self):
        return M("a list of {minimum} to {maximum} items", minimum=self.minimum, maximum=self.maximum)

    def check(self, value, path, ck):
        if value is None and self.minimum == 0:
            return []
        if not isinstance(value, list):
            ck.problem(path, describe(value), self.expected)
            return _MISSING
        if not self.minimum <= len(value) <= self.maximum:
            ck.problem(path, M("{count} items", count=len(value)), self.expected)
            return _MISSING
        out, seen = [], {}
        for i, item in enumerate(value):
            got = self.item.check(item, path + (i,), ck)
            if got is _MISSING:
                continue
            if self.unique:
                mark = repr(got)
                if mark in seen:
                    ck.problem(path + (i,), M("{value} a second time (first as item {first})",
                                              value=describe(item), first=seen[mark] + 1),
                               M("each item once"))
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
    expected: object = M("a mapping of fields")

    def check(self, value, path, ck):
        if not isinstance(value, dict):
            ck.problem(path, describe(value), self.expected)
            return _MISSING
        names = {f.name for f in self.fields}
        out = Obj()
        # A misspelt field is one problem, at the misspelling: "did you mean
        # summary" there, and no "no field summary" besides.
        meant = set()
        for key in value:
            if key not in names:
                missing = [n for n in names if n not in value]
                hint = did_you_mean(key, missing, M("one of {choices}", choices=sorted(names)))
                meant |= set(close_matches(key, missing))
                ck.problem(path + (key,), M("the unknown field {name}", name=describe(key)), hint, key=True)
        for f in self.fields:
            # Every declared field is present in the result: None (an empty
            # list) when absent or wrong, so that later rules can read it.
            out[f.name] = [] if isinstance(f.kind, ListOf) else None
            if f.name not in value:
                # Not on lines set aside after a syntax mistake, nor misspelt.
                if f.required and f.name not in ck.doc.skipped and f.name not in meant:
                    ck.problem(path, M('no field "{name}"', name=f.name),
                               M("{name}: {doc}", name=f.name, doc=Doc(f.doc)))
                continue
            got = f.kind.check(value[f.name], path + (f.name,), ck)
            if got is not _MISSING:
                out[f.name] = got
        return out


def texts(kind: Kind, value, raw, path: tuple = ()):
    """(path, Localized) of every text (a Text field) in a checked ``value`` of
    ``kind``, where ``raw`` (the file's data) shows its place: a list's items
    are trusted only when checking dropped none of them."""
    if isinstance(kind, Text):
        if isinstance(value, Localized):
            yield path, value
    elif isinstance(kind, Record):
        if isinstance(value, dict) and isinstance(raw, dict):
            for f in kind.fields:
                if value.get(f.name) is not None and f.name in raw:
                    yield from texts(f.kind, value[f.name], raw[f.name], path + (f.name,))
    elif isinstance(kind, ListOf):
        if isinstance(value, list) and isinstance(raw, list) and len(value) == len(raw):
            for i, (item, raw_item) in enumerate(zip(value, raw)):
                yield from texts(kind.item, item, raw_item, path + (i,))


# --------------------------------------------------------------------------
# The course file, schema version 1
# --------------------------------------------------------------------------

MODULE = Record([
    Field("title", Text(120, what=M("module title")), "Module title."),
    Field("hours", Integer(1, 500, M("hours")), "Contact hours of this module; modules add up to the course hours."),
    Field("topics", ListOf(Text(200, what=M("topic")), 1, 20), "What the module covers: equipment, tools, procedures."),
])

ASSESSMENT = Record([
    Field("method", Text(160, what=M("assessment method")), "How learners are assessed, e.g. practical test on a fiber splicer."),
    Field("weight", Integer(1, 100, M("percent")), "Share of the final grade in percent; weights add up to 100."),
])

TERM = Record([
    Field("en", String(80, expected=M("the English term")), "The term in English."),
    Field("zh", String(40, expected=M("the Chinese term")), "The term in Chinese (pinyin is added at build time)."),
    Field("pinyin", String(120, expected=M("the term in pinyin as GB/T 16159 writes it, e.g. Huìsītōng diànqiáo")),
          "Its pinyin, where the automatic one is wrong: a word's syllables joined, words apart, tone marks, capitals for names.",
          required=False),
])

READING = Record([
    Field("zh", String(20, expected=M("a Chinese word, or one character with after, before or in_clause_after")),
          "The word (or the one character) read."),
    Field("pinyin", String(80, expected=M("its pinyin with tone marks, e.g. tiáojiào or Huìsītōng")),
          "How it is written in pinyin: syllables joined, tone marks, a capital for a name."),
    Field("after", ListOf(String(20, expected=M("the text right before the character")), 1, 100, unique=True),
          "Only where the character stands as a word of its own right after one of these.", required=False),
    Field("in_clause_after", ListOf(String(20, expected=M("a word earlier in the clause")), 1, 20, unique=True),
          "Only where the character stands as a word of its own after one of these in the same clause (以…为).",
          required=False),
    Field("before", ListOf(String(20, expected=M("the text right after the character")), 1, 100, unique=True),
          "Only where the character stands as a word of its own right before one of these.", required=False),
    Field("after_a_word", Boolean(), "Only where the character stands as a word of its own right after a word of "
          "two characters or more (上 after a noun: píngtái shang).", required=False),
])

FEE = Record([
    Field("type", Choice(("paid", "free", "funded")), "paid (an amount in a currency), free, or funded (by a sponsor; say by whom in the note)."),
    Field("amount", Amount(), "The fee of a paid offering, e.g. 350 or 1200.50.", required=False),
    Field("currency", Currency(), "ISO 4217 code of the amount, e.g. USD, CNY, THB.", required=False),
    Field("note", Text(200, what=M("fee note")), "What the fee covers, or who funds a free or funded place (required for free and funded).", required=False),
])

FUNDING = Record([
    Field("route", Choice(("scholarship", "sponsor", "free")), "scholarship (a grant a learner applies for), sponsor (an employer or institution pays), or free (places without a fee)."),
    Field("note", Text(300, what=M("funding note")), "Who offers it, who may ask, and how."),
])

#: How to apply for a run: set once in courses/_shared/applications.yml (for a
#: venue, a partner, or as the default) and overridden field by field in a run.
APPLICATION_FIELDS = [
    Field("steps", ListOf(Text(200, what=M("application step")), 1, 8), "What an applicant does to apply, in order, e.g. fill in the form at the Apply link."),
    Field("documents", ListOf(Text(200, what=M("document")), 0, 12), "Documents an applicant prepares, e.g. a copy of the passport."),
    Field("selection", Text(400, multiline=True, what=M("selection")), "How applicants are chosen."),
    Field("on_offer", Text(200, what=M("step after an offer")), "What an applicant offered a place does to take it, e.g. accept it by e-mail within 10 days.", required=False),
    Field("decision_weeks", Integer(0, 26, M("weeks")), "Weeks after the deadline by which every applicant has an answer (0: by the deadline itself)."),
    Field("visa_letter", Boolean(), "true when admitted learners receive an invitation letter for their visa application."),
    Field("visa_weeks", Integer(1, 26, M("weeks")), "Weeks to allow for the visa between the answer and the start (required with visa_letter: true).", required=False),
    Field("accommodation", Text(300, what=M("accommodation")), "Where learners stay, and who books it.", required=False),
    Field("funding", ListOf(FUNDING, 0, 5), "Ways to have the fee paid: scholarships, sponsors, free places.", required=False),
]

#: A run's own application: an entry of applications.yml (use:), changed field by field.
OFFERING_APPLICATION = Record([
    Field("use", Ref("applications"), "The application of courses/_shared/applications.yml this run follows (else its venue's, its venue partner's, or the default).", required=False),
    *[Field(f.name, f.kind, f.doc, required=False) for f in APPLICATION_FIELDS],
])

OFFERING = Record([
    Field("id", Slug("an offering id: lowercase letters, digits and single hyphens, e.g. 2027-04-bangkok"), "Stable id of this run of the course, unique within the course (calendar entries keep it)."),
    Field("status", Choice(("open", "waitlist", "closed", "cancelled")), "open (applications taken), waitlist, closed or cancelled."),
    Field("start", FutureDate(), "First day, YYYY-MM-DD."),
    Field("end", FutureDate(), "Last day, YYYY-MM-DD; not before the start."),
    Field("deadline", FutureDate(), "Last day to apply, YYYY-MM-DD; not after the start."),
    Field("delivery", Choice(("onsite", "online", "blended")), "onsite or blended (at the venue), or online (in the time zone given)."),
    Field("venue", Ref("venues"), "Where it runs (onsite and blended): a venue id from courses/_shared/venues.yml.", required=False),
    Field("timezone", TimeZone(), "Time zone of an online offering's sessions (IANA name, e.g. Asia/Bangkok).", required=False),
    Field("instruction_languages", ListOf(Ref("languages"), 1, 6, unique=True), "Languages this run is taught in, ids from courses/_shared/languages.yml."),
    Field("entry_levels", MapOf("languages", String(20, expected=M("a level of that language's scale, e.g. HSK 3 or CEFR B1")), 1), "Language level needed to follow, per instruction language (levels listed in courses/_shared/languages.yml), e.g. {zh: HSK 3, en: CEFR B1}."),
    Field("interpretation", Boolean(), "true when interpretation into the learners' language is provided."),
    Field("seats", Integer(0, 10000, M("seats")), "Places offered."),
    Field("fee", FEE, "What a learner pays."),
    Field("apply", Link(), "How to apply: an https:// link or a mailto: address (required while open or waitlist).", required=False),
    Field("application", OFFERING_APPLICATION, "How to apply for this run, where it differs from the application it follows (courses/_shared/applications.yml).", required=False),
    Field("note", Text(600, multiline=True, what=M("offering note")), "Anything else a learner should know about this run.", required=False),
])

CONTACT = Record([
    Field("name", Text(120, what=M("contact name")), "The office or role to write to (never a person's name), e.g. International admissions office."),
    Field("email", Email(), "A role address, e.g. admissions@example.org."),
])

COURSE = Record([
    Field("schema", Choice(("1",)), "Version of this file format; always 1.", required=False),
    Field("id", Slug(), "Stable URL key; equals the file name without .yml."),
    Field("code", String(12, pattern=CODE, expected=M("a course code such as OPT-101 (2-6 capitals, hyphen, 3-4 digits)")), "Course code shown to learners; unique in the catalog."),
    Field("title", Text(120, what=M("title")), "Course title."),
    Field("summary", Text(400, what=M("summary")), "One or two sentences a learner can judge in ten seconds."),
    Field("description", Text(3000, markdown=True, what=M("description")), "Who the course is for and what they will be able to do (Markdown)."),
    Field("category", Ref("categories"), "Category id from courses/_shared/categories.yml."),
    Field("level", Ref("levels"), "Level id from courses/_shared/levels.yml."),
    Field("hours", Integer(1, 2000, M("hours")), "Total contact hours; equals the sum of module hours."),
    Field("delivery", Choice(("onsite", "online", "blended")), "How the course is delivered: onsite, online or blended."),
    Field("instruction_languages", ListOf(Ref("languages"), 1, 6, unique=True), "Languages teaching happens in, ids from courses/_shared/languages.yml."),
    Field("regions", ListOf(Ref("regions"), 0, 30, unique=True), "Regions where the course is offered, ids from courses/_shared/regions.yml."),
    Field("partners", ListOf(Ref("partners"), 0, 20, unique=True), "Partner institutions and companies, ids from courses/_shared/partners.yml."),
    Field("prerequisites", ListOf(Slug(), 0, 10, unique=True), "Ids of courses to complete first.", required=False),
    Field("audience", Text(600, multiline=True, what=M("audience")), "Who the course is for."),
    Field("outcomes", ListOf(Text(300, what=M("learning outcome")), 1, 12), "What learners can do afterwards; measurable."),
    Field("modules", ListOf(MODULE, 1, 20), "Modules in teaching order."),
    Field("assessment", ListOf(ASSESSMENT, 1, 10), "Assessment methods and their weights."),
    Field("certification", Text(300, what=M("certification")), "Certificate awarded or standard the course aligns with."),
    Field("glossary", ListOf(TERM, 0, 30), "Key terms, Chinese and English.", required=False),
    Field("requirements", Text(600, multiline=True, what=M("entry requirements")), "Entry requirements: schooling, experience, documents (language levels go with each offering)."),
    Field("contact", CONTACT, "Whom learners write to with questions."),
    Field("offerings", ListOf(OFFERING, 0, 50), "Runs of the course: dates, place, fee, how to apply.", required=False),
    Field("status", Choice(("active", "planned", "archived")), "active, planned or archived."),
    Field("updated", Date(), "Date of the last change to the content, YYYY-MM-DD."),
])


# --------------------------------------------------------------------------
# Shared data files in courses/_shared/
# --------------------------------------------------------------------------

def _table(extra: list[Field] | None = None) -> Record:
    return Record([
        Field("id", Slug(), "Stable id used by course files."),
        Field("name", Text(120, what=M("name")), "Name in every catalog language."),
        *(extra or []),
    ])


#: Typical costs of living at a venue, for a learner's estimate of the total.
COSTS = Record([
    Field("currency", Currency(), "ISO 4217 code of the amounts, e.g. CNY."),
    Field("accommodation_week", Amount(), "Typical cost of a week's room at or near the venue.", required=False),
    Field("living_week", Amount(), "Typical cost of a week's meals and local transport.", required=False),
    Field("note", Text(200, what=M("costs note")), "Where the figures come from, or what they include.", required=False),
])

RATE = Record([
    Field("currency", Currency(), "ISO 4217 code, e.g. CNY."),
    Field("per_usd", Amount(), "How many units of the currency one US dollar buys, e.g. 7.10."),
])

SHARED = {
    "categories": ListOf(_table([
        Field("description", Text(600, multiline=True, what=M("description")), "What the category covers."),
    ]), 1, 100),
    "levels": ListOf(_table([
        Field("description", Text(300, what=M("description")), "Who this level is for."),
    ]), 1, 20),
    "languages": ListOf(_table([
        Field("entry_levels", ListOf(String(20, expected=M("a level name, e.g. HSK 3")), 0, 20, unique=True), "Levels of this language's scale that offerings may ask for, lowest first (HSK for Chinese, CEFR for English).", required=False),
    ]), 1, 50),
    "regions": ListOf(_table([
        Field("country", String(2, pattern=re.compile(r"^[A-Z]{2}$"), expected=M("an ISO 3166-1 alpha-2 code, e.g. TH")), "ISO 3166-1 code of the country (for calendars and data feeds).", required=False),
    ]), 1, 300),
    "partners": ListOf(_table([
        Field("kind", Choice(("institution", "company", "association", "government")), "What kind of partner."),
        Field("region", Slug(), "Region id the partner is based in.", required=False),
        Field("application", Slug(), "How to apply for runs at the partner's venues: an id of courses/_shared/applications.yml.", required=False),
    ]), 0, 500),
    "venues": ListOf(_table([
        Field("city", Text(80, what=M("city")), "City (and province or state) of the venue."),
        Field("region", Slug(), "Region id (courses/_shared/regions.yml) the venue is in."),
        Field("partner", Slug(), "Partner id (courses/_shared/partners.yml) hosting the venue.", required=False),
        Field("timezone", TimeZone(), "IANA time zone of the venue, e.g. Asia/Bangkok."),
        Field("capacity", Integer(1, 10000, M("learners")), "Most learners one run at the venue can take (rooms, workstations); a run offers no more seats.", required=False),
        Field("application", Slug(), "How to apply for runs at the venue: an id of courses/_shared/applications.yml (else its partner's).", required=False),
        Field("costs", COSTS, "Typical weekly costs of a room and of living at the venue, in one currency.", required=False),
    ]), 0, 500),
    "applications": ListOf(_table([
        *APPLICATION_FIELDS,
        Field("default", Boolean(), "true for the application of runs that name none and whose venue and partner have none (online runs); one at most.", required=False),
    ]), 0, 100),
    "rates": Record([
        Field("date", Date(), "The date of the rates, shown once with the converted amounts."),
        Field("note", Text(200, what=M("rates note")), "Where the rates come from, shown with them."),
        Field("currencies", ListOf(RATE, 1, 200), "Each currency a learner may see amounts in, with its rate to the US dollar."),
    ]),
    "terms": ListOf(TERM, 0, 5000),
    "readings": ListOf(READING, 0, 5000),
    "synonyms": ListOf(ListOf(String(80, expected=M("a word or phrase a learner may search for")), 2, 12,
                              unique=True), 0, 2000),
}


#: The shared tables whose ids a course file names (Ref), in the order editors list them.
REF_TABLES = ("categories", "levels", "languages", "regions", "partners", "venues", "applications")


def field_docs() -> list[str]:
    """The documentation of every field of the course and shared files, once each,
    in schema order (translated in the message catalogs)."""
    docs: dict[str, None] = {}

    def walk(kind) -> None:
        if isinstance(kind, Record):
            for f in kind.fields:
                docs[f.doc] = None
                walk(f.kind)
        elif isinstance(kind, ListOf):
            walk(kind.item)
        elif isinstance(kind, MapOf):
            walk(kind.value)

    walk(COURSE)
    for kind in SHARED.values():
        walk(kind)
    return list(docs)
