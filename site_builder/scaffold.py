"""``python -m site_builder new <id> --category <cat>``: start a new course file.

The file is written from the one schema (:data:`site_builder.schema.COURSE`):
every field is present, in schema order, each under a comment with its
documentation; every text holds the placeholder of its language
(``TODO(en)``, ``TODO(zh)``), which ``check`` reports until it is replaced.
Values that must agree with each other (hours, weights) are filled so that the
new file checks without errors: only the placeholders are left to do.
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from collections import Counter
from pathlib import Path

from .jsonschema import MODELINE
from .readers import read_catalog
from .schema import (COURSE, SLUG, Boolean, Choice, Date, Email, Integer, Kind, Link, ListOf,
                     PLACEHOLDER_EMAIL, Record, Ref, String, Text, stub)
from .settings import COURSES_DIR

log = logging.getLogger(__name__)

#: Values that make a new file consistent (hours add up, weights make 100).
#: Keys are field paths with list positions left out.
SUGGESTED = {
    ("hours",): "8",
    ("modules", "hours"): "8",
    ("assessment", "weight"): "100",
    ("status",): "planned",
}


class ScaffoldError(Exception):
    """The course cannot be started; carries every reason, one message each."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def new_course(root: Path, course_id: str, category: str, today: _dt.date | None = None) -> Path:
    """Write ``courses/<course_id>.yml``; never overwrites. Raises ScaffoldError."""
    catalog, _ = read_catalog(root)
    folder = root / COURSES_DIR
    messages = []
    if not SLUG.match(course_id) or len(course_id) > 64:
        messages.append(f'course id "{course_id}": not a valid id; expected lowercase letters, '
                        "digits and single hyphens (at most 64), e.g. solar-pv-installation")
    else:
        for name in (f"{course_id}.yml", f"{course_id}.yaml"):
            if (folder / name).exists():
                messages.append(f'course id "{course_id}": {COURSES_DIR}/{name} already exists; '
                                "expected a new id (to change that course, edit its file)")
    if category not in catalog.categories:
        known = ", ".join(catalog.categories) or "none (the file cannot be read)"
        messages.append(f'category "{category}": not in {COURSES_DIR}/_shared/categories.yml; '
                        f"expected one of {known}")
    if messages:
        raise ScaffoldError(messages)

    values = {("id",): course_id, ("category",): category,
              ("code",): suggest_code(catalog, category),
              ("updated",): (today or _dt.date.today()).isoformat(),
              ("examples",): examples(catalog)}
    from .jsonschema import Tables

    tables = Tables({name: list(getattr(catalog, name)) for name in
                     ("categories", "levels", "languages", "regions", "partners", "venues")},
                    catalog.site_languages)
    text = render(values, tables)
    target = folder / f"{course_id}.yml"
    folder.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8", newline="\n") as out:  # "x": never overwrite
        out.write(text)
    return target


def suggest_code(catalog, category: str) -> str:
    """A free code: the prefix this category's courses use, next number up."""
    used = {c.code for c in catalog.courses.values() if c.get("code")}
    prefixes = Counter(code.split("-")[0] for c in catalog.courses.values()
                       if c.get("category") == category and (code := c.get("code")))
    if prefixes:
        prefix = prefixes.most_common(1)[0][0]
    else:
        prefix = (re.sub(r"[^a-z]", "", category)[:3] or "NEW").upper().ljust(2, "X")
    numbers = [int(m.group(1)) for code in used
               if (m := re.fullmatch(re.escape(prefix) + r"-([0-9]{3,4})[A-Z]?", code))]
    number = max(numbers, default=100) + 1
    while f"{prefix}-{number}" in used:
        number += 1
    return f"{prefix}-{number}"


# ---------------------------------------------------------------------------
# The file's text, field by field from the schema
# ---------------------------------------------------------------------------

def render(values: dict[tuple, str], tables) -> str:
    """The new file's text; ``tables`` (a jsonschema.Tables) names the shared ids and languages."""
    head = [MODELINE,
            "# A new course. Replace every " + " and ".join(stub(lang) for lang in tables.languages)
            + " with the real text,",
            "# check with:  python3 dev.py check --report    preview with:  python3 dev.py serve",
            "# Every field is explained in the comment above it; see CONTRIBUTING.md."]
    return "\n".join(head + _record(COURSE, (), values, tables)) + "\n"


def _record(kind: Record, path: tuple, values, tables) -> list[str]:
    lines = []
    for f in kind.fields:
        lines.append(f"# {f.doc}" + _hint(f.kind, f.doc, tables))
        inline = _inline(f.kind, path + (f.name,), values, tables)
        if inline is not None:
            lines.append(f"{f.name}: {inline}")
            example_values = values.get(("examples",), {}).get(f.name)
            if isinstance(f.kind, ListOf) and isinstance(f.kind.item, Record) and example_values:
                # An empty list, and below it an item of every field to copy (as comments).
                example = [f"{f.name}:"] + ["  " + line for line in
                                            _block(f.kind, path + (f.name,), example_values, tables)]
                lines.append("# For example (remove the [] above and the '# ' before the lines below):")
                lines += ["# " + line for line in example]
        else:
            lines.append(f"{f.name}:")
            lines += ["  " + line for line in _block(f.kind, path + (f.name,), values, tables)]
    return lines


def _hint(kind: Kind, doc: str, tables) -> str:
    if isinstance(kind, ListOf) and kind.minimum == 0 and isinstance(kind.item, Record):
        return " Each item: {" + ", ".join(f"{f.name}: ..." for f in kind.item.fields) + "}"
    if isinstance(kind, ListOf):
        kind = kind.item
    if isinstance(kind, Ref) and tables.get(kind.table):
        return " Ids: " + ", ".join(tables[kind.table])
    if isinstance(kind, Choice) and not all(choice in doc for choice in kind.choices):
        return " One of: " + ", ".join(kind.choices)
    return ""


def examples(catalog) -> dict:
    """The example item written (as comments) under an empty list of records:
    an offering in the first venue, taught in the catalog's languages, each
    asking for the third level of its scale."""
    languages = list(catalog.languages)[:2]
    levels = {}
    for lang in languages:
        scale = catalog.languages[lang].entry_levels or ["?"]
        levels[lang] = scale[min(2, len(scale) - 1)]
    year = _dt.date.today().year + 1
    return {"offerings": {
        ("offerings", "id"): f"{year}-04-first-run",
        ("offerings", "status"): "open",
        ("offerings", "start"): f"{year}-04-05",
        ("offerings", "end"): f"{year}-04-09",
        ("offerings", "deadline"): f"{year}-03-12",
        ("offerings", "delivery"): "onsite",
        ("offerings", "timezone"): "Asia/Shanghai  # online offerings only, instead of venue",
        ("offerings", "instruction_languages"): "[" + ", ".join(languages) + "]",
        ("offerings", "entry_levels"): "{" + ", ".join(f"{l}: {v}" for l, v in levels.items()) + "}",
        ("offerings", "interpretation"): "false",
        ("offerings", "seats"): "24",
        ("offerings", "fee", "type"): "paid",
        ("offerings", "fee", "amount"): '"3800"',
        ("offerings", "fee", "currency"): "CNY",
        ("offerings", "apply"): "https://example.org/apply",
    }}


def _inline(kind: Kind, path: tuple, values, tables) -> str | None:
    """The value written on the field's own line, or None for a block."""
    key = tuple(p for p in path if not isinstance(p, int))
    if key in values or path in values:
        return values.get(path, values.get(key))
    if isinstance(kind, Email):
        return PLACEHOLDER_EMAIL
    if isinstance(kind, Link):
        return '""'
    if isinstance(kind, Boolean):
        return "false"
    if key in SUGGESTED:
        return SUGGESTED[key]
    if isinstance(kind, Integer):
        return str(kind.minimum)
    if isinstance(kind, Choice):
        return kind.choices[0]
    if isinstance(kind, Date):
        return _dt.date.today().isoformat()
    if isinstance(kind, Ref):
        return (tables.get(kind.table) or ["TODO"])[0]
    if isinstance(kind, ListOf) and kind.minimum == 0:
        return "[]"
    if isinstance(kind, ListOf) and isinstance(kind.item, Ref):
        return "[" + _inline(kind.item, path + (0,), values, tables) + "]"
    if isinstance(kind, String):
        return '""'
    return None


def _block(kind: Kind, path: tuple, values, tables) -> list[str]:
    """The lines of a value written below its field, indented by the caller."""
    if isinstance(kind, Text):
        if kind.markdown or kind.multiline:
            return [line for lang in tables.languages for line in (f"{lang}: |", f"  {stub(lang)}")]
        return [f"{lang}: {stub(lang)}" for lang in tables.languages]
    if isinstance(kind, Record):
        return _record(kind, path, values, tables)
    if isinstance(kind, ListOf):
        item = _inline(kind.item, path + (0,), values, tables)
        if item is not None:
            return [f"- {item}"]
        lines = _block(kind.item, path + (0,), values, tables)
        # Comments before the item's first field stay above the "- " line.
        first = next(i for i, line in enumerate(lines) if not line.startswith("#"))
        return (lines[:first] + ["- " + lines[first]]
                + ["  " + line for line in lines[first + 1:]])
    raise TypeError(f"the scaffold cannot write the kind {type(kind).__name__}")
