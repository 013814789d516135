"""The editor's JSON Schema of a course file, generated from the one schema in code.

VS Code (YAML extension) and other editors read ``schema/course.schema.json``
through the first line of every course file::

    # yaml-language-server: $schema=../schema/course.schema.json

and then complete field names, show each field's documentation and underline
mistakes while faculty type.  Nothing here is written by hand: every property
comes from :data:`site_builder.schema.COURSE` (one visitor case per kind), and
the ids a reference may take come from ``courses/_shared/``.  ``python -m
site_builder schema`` rewrites the file; a test fails when it drifts.
"""

from __future__ import annotations

import json
import re
from functools import singledispatch
from pathlib import Path

from .schema import (COURSE, REF_TABLES, Amount, Boolean, Choice, Date, Email, Integer, Kind, Link, ListOf, Listed,
                     MapOf, Record, Ref, String, Text)
from .settings import SiteLanguages, site_languages

#: Where the schema is written, relative to the project root.
SCHEMA_FILE = "schema/course.schema.json"
#: The first line of every course file: tells the editor where the schema is.
MODELINE = "# yaml-language-server: $schema=../" + SCHEMA_FILE


class Tables(dict):
    """The ids of each shared table, and the site's languages (every text has one entry each)."""

    def __init__(self, ids: dict, languages: SiteLanguages):
        super().__init__(ids)
        self.languages = languages

    @classmethod
    def of(cls, catalog) -> "Tables":
        """The ids of a read catalog's tables that course files refer to."""
        return cls({table: list(getattr(catalog, table)) for table in REF_TABLES},
                   catalog.site_languages)


def course_schema(tables: Tables) -> dict:
    """The JSON Schema (draft-07) of a course file.

    ``tables`` maps a shared table (``categories``, ``levels``, ...) to its ids,
    which become the values an editor offers for a reference.
    """
    body = to_json(COURSE, tables)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$comment": "Generated from site_builder/schema.py by `python -m site_builder schema`; do not edit.",
        "title": "Course file of the bilingual course catalog",
        "description": "One course, in every catalog language (" + ", ".join(
            f"{lang}: {tables.languages.english_name(lang)}" for lang in tables.languages) + ").",
        **body,
    }


def render(tables: Tables) -> str:
    """The schema file's exact text (stable key order, one trailing newline)."""
    return json.dumps(course_schema(tables), indent=2, ensure_ascii=False) + "\n"


def shared_ids(root: Path) -> Tables:
    """The ids of every shared table, in file order (what references may name)."""
    from .readers import read_catalog

    catalog, _ = read_catalog(root)
    catalog.site_languages = site_languages(root)
    return Tables.of(catalog)


def write(root: Path) -> bool:
    """Write the schema file under ``root``; True when its content changed."""
    target = root / SCHEMA_FILE
    text = render(shared_ids(root))
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return True


def is_current(root: Path) -> bool:
    """Whether the checked-in schema file equals what the code generates."""
    target = root / SCHEMA_FILE
    return target.is_file() and target.read_text(encoding="utf-8") == render(shared_ids(root))


def _expected(kind, tables: Tables) -> str:
    return kind.expected_for(tables.languages) if isinstance(kind, Text) else kind.expected


# ---------------------------------------------------------------------------
# One case per kind of value
# ---------------------------------------------------------------------------

def _pattern(regex: re.Pattern) -> str:
    # Python and ECMA-262 agree on the patterns used here (^, $, classes, groups).
    return regex.pattern


def _yaml_scalars(word: str) -> list:
    """The values an editor may read for a word typed plainly: ``1`` is a number to it."""
    return [word, int(word)] if re.fullmatch(r"[0-9]+", word) else [word]


@singledispatch
def to_json(kind: Kind, tables: dict) -> dict:
    raise TypeError(f"no JSON Schema for the kind {type(kind).__name__}; add a case to {__name__}")


@to_json.register
def _(kind: String, tables):
    out = {"type": "string", "minLength": 1, "maxLength": kind.max_length}
    if kind.pattern is not None:
        out["pattern"] = _pattern(kind.pattern)
    out["description"] = f"Expected: {_expected(kind, tables)}."
    return out


@to_json.register
def _(kind: Ref, tables):
    from .schema import SLUG

    out = {"type": "string", "pattern": _pattern(SLUG)}
    if tables.get(kind.table):
        out["enum"] = list(tables[kind.table])
    return out


@to_json.register
def _(kind: Text, tables):
    one = {"type": "string", "minLength": 1, "maxLength": kind.max_length}
    properties = {}
    for lang in tables.languages:
        properties[lang] = dict(one, description=f"The {tables.languages.english_name(lang)} {kind.what}"
                                + (" (Markdown)." if kind.markdown else "."))
    return {"type": "object", "properties": properties, "required": list(tables.languages),
            "additionalProperties": False}


@to_json.register
def _(kind: Integer, tables):
    return {"type": "integer", "minimum": kind.minimum, "maximum": kind.maximum,
            "description": f"Expected: {_expected(kind, tables)}."}


@to_json.register
def _(kind: Choice, tables):
    values = [v for word in kind.choices for v in _yaml_scalars(word)]
    return {"enum": values, "description": f"Expected: {_expected(kind, tables)}."}


@to_json.register
def _(kind: Date, tables):
    from .schema import DATE

    return {"type": "string", "format": "date", "pattern": _pattern(DATE),
            "description": f"Expected: {_expected(kind, tables)}."}


@to_json.register
def _(kind: ListOf, tables):
    out = {"type": ["array", "null"] if kind.minimum == 0 else "array",
           "items": to_json(kind.item, tables), "minItems": kind.minimum, "maxItems": kind.maximum}
    if kind.unique:
        out["uniqueItems"] = True
    return out


@to_json.register
def _(kind: Record, tables):
    properties = {}
    for f in kind.fields:
        prop = to_json(f.kind, tables)
        detail = prop.pop("description", None)
        prop = {"description": f.doc + (f" {detail}" if detail else ""), **prop}
        properties[f.name] = prop
    return {"type": "object", "properties": properties,
            "required": [f.name for f in kind.fields if f.required],
            "additionalProperties": False}


@to_json.register
def _(kind: Boolean, tables):
    return {"enum": [True, False, "true", "false", "yes", "no"],
            "description": f"Expected: {_expected(kind, tables)}."}


@to_json.register
def _(kind: Link, tables):
    return {"type": "string", "pattern": "^(?:[Hh][Tt][Tt][Pp][Ss]://[^\\s\\\\]+|[Mm][Aa][Ii][Ll][Tt][Oo]:[^\\s@]+@[^\\s]+)$",
            "description": f"Expected: {_expected(kind, tables)}."}


@to_json.register
def _(kind: Email, tables):
    return {"type": "string", "format": "email", "description": f"Expected: {_expected(kind, tables)}."}


@to_json.register
def _(kind: Listed, tables):
    return {"enum": sorted(kind.names()), "description": f"Expected: {_expected(kind, tables)}."}


@to_json.register
def _(kind: Amount, tables):
    return {"type": ["string", "number"], "pattern": "^[0-9]{1,9}(?:\\.[0-9]{1,2})?$",
            "minimum": 0, "maximum": kind.maximum, "description": f"Expected: {_expected(kind, tables)}."}


@to_json.register
def _(kind: MapOf, tables):
    keys = {"pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"}
    if tables.get(kind.table):
        keys = {"enum": list(tables[kind.table])}
    return {"type": "object", "propertyNames": keys, "additionalProperties": to_json(kind.value, tables),
            "minProperties": kind.minimum}
