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
from .messages import ENGLISH, Both, Doc, M
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

    def __init__(self, messages: list):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = messages


def new_course(root: Path, course_id: str, category: str, today: _dt.date | None = None,
               tr=ENGLISH) -> Path:
    """Write ``courses/<course_id>.yml``, its comments in ``tr``'s language; never
    overwrites. Raises ScaffoldError."""
    catalog, _ = read_catalog(root)
    folder = root / COURSES_DIR
    messages = []
    if not SLUG.match(course_id) or len(course_id) > 64:
        messages.append(M('course id "{id}": not a valid id; expected lowercase letters, digits and single '
                          "hyphens (at most 64), e.g. solar-pv-installation", id=course_id))
    else:
        for name in (course_id + ".yml", course_id + ".yaml"):
            if (folder / name).exists():
                existing = COURSES_DIR + "/" + name
                messages.append(M('course id "{id}": {file} already exists; expected a new id (to change '
                                  "that course, edit its file)", id=course_id, file=existing))
    if category not in catalog.categories:
        known = list(catalog.categories) or [M("none (the file cannot be read)")]
        table = COURSES_DIR + "/_shared/categories.yml"
        messages.append(M('category "{category}": not in {file}; expected one of {choices}', category=category,
                          file=table, choices=known))
    if messages:
        raise ScaffoldError(messages)

    from .problems import Problems
    from .validate import read_editorial_rules

    rules = read_editorial_rules(root, Problems(), catalog)
    level = next(iter(catalog.levels), None)
    values = {("id",): course_id, ("category",): category,
              ("code",): suggest_code(catalog, category, level if rules.get("code_scheme") else None),
              ("updated",): (today or _dt.date.today()).isoformat(),
              ("examples",): examples(catalog, rules, today),
              **house_rule_values(rules)}
    venue = catalog.venues.get(next(iter(catalog.venues), ""))
    if venue is not None and venue.get("region"):
        # The example run's venue is in one of the course's regions.
        values[("regions",)] = f"[{venue.region}]"
    from .jsonschema import Tables

    tables = Tables.of(catalog)
    guide = f"CONTRIBUTING.{tr.lang}.md"
    text = render(values, tables, tr, guide if (root / guide).is_file() else "CONTRIBUTING.md")
    target = folder / f"{course_id}.yml"
    folder.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8", newline="\n") as out:  # "x": never overwrite
        out.write(text)
    return target


def house_rule_values(rules: dict) -> dict:
    """Values that meet the house rules (editorial.yml) from the start: as many
    outcomes, modules and glossary terms to fill in as the least each rule
    asks, and hours that add up within the course and module limits."""
    values = {}
    for field, rule in (("outcomes", "outcomes"), ("modules", "modules"), ("glossary", "glossary_terms")):
        if rule in rules:
            values[("count", field)] = rules[rule][0]
    modules = values.get(("count", "modules"), 1)
    least = max(rules.get("course_hours", [8])[0], modules * rules.get("module_hours_at_least", 1))
    per_module = -(-least // modules)  # rounded up: whole hours per module
    values[("hours",)] = str(per_module * modules)
    values[("modules", "hours")] = str(per_module)
    return values


def suggest_code(catalog, category: str, level: str | None = None) -> str:
    """A free code: the prefix this category's courses use, next number up.
    With ``level`` (the catalog's code scheme, PREFIX-LNN): L is the level's
    place in courses/_shared/levels.yml, NN the next free number from 01."""
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
    if level is not None and level in catalog.levels:
        digit = list(catalog.levels).index(level) + 1
        number = digit * 100 + 1
    while f"{prefix}-{number}" in used:
        number += 1
    return f"{prefix}-{number}"


# ---------------------------------------------------------------------------
# The file's text, field by field from the schema
# ---------------------------------------------------------------------------

def render(values: dict[tuple, str], tables, tr=ENGLISH, guide: str = "CONTRIBUTING.md") -> str:
    """The new file's text; ``tables`` (a jsonschema.Tables) names the shared ids and
    languages; its comments are in ``tr``'s language, pointing to ``guide``."""
    head = [MODELINE] + ["# " + line for line in (
        M("A new course. Replace every {markers} with the real text,",
          markers=Both([stub(lang) for lang in tables.languages])).translated(tr),
        M("check with:  python3 dev.py check --report    preview with:  python3 dev.py serve").translated(tr),
        M("Every field is explained in the comment above it; see {guide}.", guide=guide).translated(tr))]
    return "\n".join(head + _record(COURSE, (), values, tables, tr)) + "\n"


def _record(kind: Record, path: tuple, values, tables, tr=ENGLISH) -> list[str]:
    lines = []
    for f in kind.fields:
        lines.append("# " + Doc(f.doc).translated(tr) + _hint(f.kind, f.doc, tables, tr))
        inline = _inline(f.kind, path + (f.name,), values, tables)
        if inline == '""' and not f.required:
            lines.pop()  # an optional text nobody has to write (a term's own pinyin)
            continue
        if inline is not None:
            lines.append(f"{f.name}: {inline}")
            example_values = values.get(("examples",), {}).get(f.name)
            if isinstance(f.kind, ListOf) and isinstance(f.kind.item, Record) and example_values:
                # An empty list, and below it an item of every field to copy (as comments).
                example = [f"{f.name}:"] + ["  " + line for line in
                                            _block(f.kind, path + (f.name,), example_values, tables, tr)]
                lines.append("# " + M("For example (remove the [] above and the '# ' before the lines "
                                      "below):").translated(tr))
                lines += ["# " + line for line in example]
        else:
            lines.append(f"{f.name}:")
            lines += ["  " + line for line in _block(f.kind, path + (f.name,), values, tables, tr)]
    return lines


def _hint(kind: Kind, doc: str, tables, tr=ENGLISH) -> str:
    if isinstance(kind, ListOf) and kind.minimum == 0 and isinstance(kind.item, Record):
        fields = "{" + ", ".join(f"{f.name}: ..." for f in kind.item.fields) + "}"
        return " " + M("Each item: {fields}", fields=fields).translated(tr)
    if isinstance(kind, ListOf):
        kind = kind.item
    if isinstance(kind, Ref) and tables.get(kind.table):
        return " " + M("Ids: {ids}", ids=", ".join(tables[kind.table])).translated(tr)
    if isinstance(kind, Choice) and not all(choice in doc for choice in kind.choices):
        return " " + M("One of: {choices}", choices=", ".join(kind.choices)).translated(tr)
    return ""


def examples(catalog, rules: dict | None = None, today: _dt.date | None = None) -> dict:
    """The example item written (as comments) under an empty list of records:
    an offering in the first venue, taught in the catalog's languages, each
    asking for the third level of its scale, next year, its deadline early
    enough for the house rule on international runs."""
    languages = list(catalog.languages)[:2]
    levels = {}
    for lang in languages:
        scale = catalog.languages[lang].entry_levels or ["?"]
        levels[lang] = scale[min(2, len(scale) - 1)]
    year = (today or _dt.date.today()).year + 1
    start = _dt.date(year, 4, 5)
    weeks = ((rules or {}).get("international_deadline") or (4, ()))[0]
    deadline = start - _dt.timedelta(weeks=weeks + 2)
    return {"offerings": {
        ("offerings", "id"): f"{year}-04-first-run",
        ("offerings", "status"): "open",
        ("offerings", "start"): start.isoformat(),
        ("offerings", "end"): (start + _dt.timedelta(days=4)).isoformat(),
        ("offerings", "deadline"): deadline.isoformat(),
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
    if isinstance(kind, ListOf) and kind.minimum == 0 and not values.get(("count",) + key):
        return "[]"
    if isinstance(kind, ListOf) and isinstance(kind.item, Ref):
        return "[" + _inline(kind.item, path + (0,), values, tables) + "]"
    if isinstance(kind, String):
        # A term's en: and zh: are texts of those languages, to be written.
        return stub(path[-1]) if path and path[-1] in tables.languages else '""'
    return None


def _block(kind: Kind, path: tuple, values, tables, tr=ENGLISH) -> list[str]:
    """The lines of a value written below its field, indented by the caller."""
    if isinstance(kind, Text):
        if kind.markdown or kind.multiline:
            return [line for lang in tables.languages for line in (f"{lang}: |", f"  {stub(lang)}")]
        return [f"{lang}: {stub(lang)}" for lang in tables.languages]
    if isinstance(kind, Record):
        return _record(kind, path, values, tables, tr)
    if isinstance(kind, ListOf):
        item = _inline(kind.item, path + (0,), values, tables)
        if item is not None:
            return [f"- {item}"]
        out = []
        count = values.get(("count",) + tuple(p for p in path if not isinstance(p, int)), 1)
        for i in range(count):
            lines = _block(kind.item, path + (i,), values, tables, tr)
            if i:  # the field comments once, above the first item
                lines = [line for line in lines if not line.lstrip().startswith("#")]
            # Comments before the item's first field stay above the "- " line.
            first = next(j for j, line in enumerate(lines) if not line.startswith("#"))
            out += (lines[:first] + ["- " + lines[first]]
                    + ["  " + line for line in lines[first + 1:]])
        return out
    raise TypeError(f"the scaffold cannot write the kind {type(kind).__name__}")
