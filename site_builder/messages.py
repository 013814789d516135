"""Messages to authors: written in English in the code, shown in the author's language.

A message is marked where it is written, ``M("the unknown field {name}", name=...)``,
and kept as it is until it is shown: a problem found while reading is shown in
the terminal in the author's language, in the preview's error panel in the
page's language, and in both in a pull request's annotations.  Log lines are
translated as they are printed (:class:`TranslatingFormatter`).

The translations are gettext catalogs, ``site_builder/locale/<lang>/LC_MESSAGES/
messages.po``, read through Babel; ``python -m site_builder messages`` extracts
every marked text (Babel's extractor, keywords in :data:`KEYWORDS`) and brings the
catalogs up to date.  A text without a translation is shown in English.
"""

from __future__ import annotations

import logging
import os
import re
from functools import lru_cache
from pathlib import Path

#: Where the catalogs are: one folder per language, gettext's layout.
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
#: The language the messages are written in, in the code.
SOURCE_LANGUAGE = "en"
#: The calls whose texts Babel extracts: M(...), Plural(...) and the log calls.
#: Each schema field's documentation is added from the schema itself (extract).
KEYWORDS = {"M": None, "Plural": (1, 2), "info": None, "warning": None, "error": None}


class M:
    """A message text with named fields, translated when it is shown.

    ``args`` are user data shown as they are (a file's value, a field name) or
    messages themselves (translated too).  Braces meant literally are doubled,
    as in :meth:`str.format`."""

    __slots__ = ("text", "args")

    def __init__(self, text: str, /, **args):
        self.text = text
        self.args = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in args.items()))

    def translated(self, translator: "Translator") -> str:
        template = translator.gettext(self.text)
        values = {key: shown(value, translator) for key, value in self.args}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):  # a translation that names a field wrongly
            return self.text.format(**values)

    def __str__(self) -> str:
        return self.translated(ENGLISH)

    def __repr__(self) -> str:
        return f"M({self.text!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, M) and (self.text, self.args) == (other.text, other.args)

    def __hash__(self) -> int:
        return hash((self.text, self.args))


class Doc(M):
    """A text with no fields, shown as written (a field's documentation, whose
    examples may hold braces: ``{zh: HSK 3, en: CEFR B1}``)."""

    __slots__ = ()

    def translated(self, translator: "Translator") -> str:
        return translator.gettext(self.text)


class Plural(M):
    """A message whose wording follows a number, ``count``: "1 problem", "3 problems"."""

    __slots__ = ("plural",)

    def __init__(self, text: str, plural: str, /, count: int, **args):
        super().__init__(text, count=count, **args)
        self.plural = plural

    def translated(self, translator: "Translator") -> str:
        values = {key: shown(value, translator) for key, value in self.args}
        count = dict(self.args)["count"]
        template = translator.ngettext(self.text, self.plural, count)
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            return (self.text if count == 1 else self.plural).format(**values)


def shown(value, translator: "Translator") -> str:
    """A message (or a plain text) as ``translator``'s language shows it."""
    if hasattr(value, "translated"):
        return value.translated(translator)
    if isinstance(value, (list, tuple)):
        return translator.gettext(LIST_SEPARATOR.text).join(shown(v, translator) for v in value)
    return str(value)


class LanguageName:
    """A language's name as the reader's language writes it (CLDR, by Babel):
    "Chinese" in English, "中文" in Chinese."""

    __slots__ = ("code",)

    def __init__(self, code: str):
        self.code = code

    def translated(self, translator: "Translator") -> str:
        from babel import Locale, UnknownLocaleError

        try:
            return Locale.parse(self.code).get_display_name(translator.lang) or self.code
        except (UnknownLocaleError, ValueError):
            return self.code

    def __eq__(self, other) -> bool:
        return isinstance(other, LanguageName) and other.code == self.code

    def __hash__(self) -> int:
        return hash(self.code)


def close_matches(word, choices) -> list[str]:
    """The choices ``word`` may be a slip for: a letter missed, doubled or
    swapped, or other letter case (difflib's ratio, closest first)."""
    import difflib

    if not isinstance(word, str) or not word:
        return []
    by_case = [c for c in choices if c.casefold() == word.casefold() and c != word]
    return by_case or difflib.get_close_matches(word, list(choices), n=1, cutoff=0.8)


def did_you_mean(word, choices, expected, meant=None) -> object:
    """``expected``, led by what ``word`` may be a slip for: the choices close
    to it, or ``meant`` (the names it stands for, e.g. CNY for RMB)."""
    near = list(meant) if meant else close_matches(word, choices)
    if not near:
        return expected
    quoted = [f'"{n}"' for n in near]
    if len(near) == 1:
        return M("{meant} (did you mean it?), or {expected}", meant=quoted[0], expected=expected)
    return M("{meant} (did you mean one of them?), or {expected}", meant=Either(quoted), expected=expected)


class Either:
    """Names joined by "or" in the reader's language: "a" or "b"."""

    __slots__ = ("names",)

    def __init__(self, names):
        self.names = tuple(names)

    def translated(self, translator: "Translator") -> str:
        return translator.gettext(OR.text).join(self.names)

    def __eq__(self, other) -> bool:
        return isinstance(other, Either) and other.names == self.names

    def __hash__(self) -> int:
        return hash(self.names)


#: Between two names one of which is meant ("a" or "b").
OR = M(" or ")


class Both(Either):
    """Names joined by "and" in the reader's language: English and Chinese."""

    __slots__ = ()

    def translated(self, translator: "Translator") -> str:
        return translator.gettext(AND.text).join(shown(n, translator) for n in self.names)


#: Between names that all count ("English and Chinese").
AND = M(" and ")


#: Between the items of a list in a message ("USD, CNY").
LIST_SEPARATOR = M(", ")


class Translator:
    """One language's catalog (English, the code's own, needs none)."""

    def __init__(self, lang: str):
        self.lang = lang
        self._catalog = _catalog(lang)

    def gettext(self, text: str) -> str:
        return self._catalog.gettext(text) if self._catalog is not None else text

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        if self._catalog is not None:
            return self._catalog.ngettext(singular, plural, count)
        return singular if count == 1 else plural


@lru_cache(maxsize=None)
def _catalog(lang: str):
    """The compiled catalog of ``lang`` (Babel's Translations), None for the source language."""
    if lang == SOURCE_LANGUAGE:
        return None
    from babel.support import Translations

    found = Translations.load(str(LOCALE_DIR), [lang], DOMAIN)
    return found if isinstance(found, Translations) else None


ENGLISH = Translator(SOURCE_LANGUAGE)


def message_languages() -> list[str]:
    """The languages messages can be shown in: the source and each catalog's."""
    found = sorted(p.name for p in LOCALE_DIR.iterdir()
                   if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()) if LOCALE_DIR.is_dir() else []
    return [SOURCE_LANGUAGE] + [lang for lang in found if lang != SOURCE_LANGUAGE]


def author_language(asked: str | None = None, environ=os.environ) -> str:
    """The language to speak to the author in: ``asked`` (``--lang``), else the
    locale's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext reads them), else
    the source language."""
    available = message_languages()
    wanted = [asked] if asked else []
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            wanted += value.split(":")
            break
    for item in wanted:
        code = item.split(".")[0].split("@")[0].replace("-", "_")
        for candidate in (code, code.split("_")[0]):
            if candidate in available:
                return candidate
    return SOURCE_LANGUAGE


class TranslatingFormatter(logging.Formatter):
    """Log lines in one language: a message object, or a logged text with its
    %-arguments, is looked up in the catalog before it is printed."""

    def __init__(self, translator: Translator):
        super().__init__()
        self.translator = translator

    def text(self, record) -> str:
        msg = record.msg
        if hasattr(msg, "translated"):
            text = msg.translated(self.translator)
        else:
            text = self.translator.gettext(str(msg))
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            text = text % tuple(shown(a, self.translator) if hasattr(a, "translated") else a
                                for a in args)
        return text


# -- the catalogs (python -m site_builder messages) -----------------------------

def extract():
    """Every marked text of the package, as a Babel catalog (the template)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    template = Catalog(project="site_builder", fuzzy=False)
    root = Path(__file__).parent
    method_map = [("**/templates/**", "ignore"), ("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
            str(root), method_map=method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True):
        if isinstance(message, tuple):  # Plural: the singular and the plural text
            message = tuple(message[:2]) if len(message) >= 2 and all(message[:2]) else message[0]
        first = message[0] if isinstance(message, tuple) else message
        if not first or not re.sub(r"%[-#0 +]*\d*(?:\.\d+)?[a-z%]|\{\w*\}", "", first).strip(" "):
            continue  # "%s" and the like: nothing to translate
        template.add(message, locations=[(f"site_builder/{filename}", lineno)],
                     auto_comments=comments, context=context)
    from .schema import field_docs

    for doc in field_docs():  # shown after "no field ...", and as the web editor's hints
        template.add(doc, locations=[("site_builder/schema.py", 0)],
                     auto_comments=["The documentation of a field of the course schema."])
    return template


def catalog_files(lang: str) -> tuple[Path, Path]:
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def update_catalogs() -> list[str]:
    """Bring every language's .po up to date with the code (new texts added
    untranslated, gone ones dropped) and compile its .mo; the files changed."""
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po

    template = extract()
    changed = []
    for lang in message_languages()[1:]:
        po, mo = catalog_files(lang)
        with open(po, "rb") as handle:
            catalog = read_po(handle, locale=lang)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        for message in catalog:  # a text not translated yet is not "fuzzy": it is to do
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.id and not any(strings):
                message.flags.discard("fuzzy")
        out = BytesIO()
        write_po(out, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False,
                 ignore_obsolete=True)
        compiled = BytesIO()
        write_mo(compiled, catalog)
        for path, data in ((po, out.getvalue()), (mo, compiled.getvalue())):
            if not path.is_file() or path.read_bytes() != data:
                path.write_bytes(data)
                changed.append(str(path))
    return changed


def untranslated(lang: str) -> list[str]:
    """The marked texts that ``lang``'s catalog does not translate yet."""
    from babel.messages.pofile import read_po

    po, _ = catalog_files(lang)
    with open(po, "rb") as handle:
        catalog = read_po(handle, locale=lang)
    def done(message) -> bool:
        found = catalog.get(message.id)
        if found is None:
            return False
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        return bool(strings) and all(strings)

    return [m.id for m in extract() if m.id and not done(m)]
