"""The web editor at /admin/ (Decap CMS), configured from the one schema in code.

Faculty edit a course in a browser form, both languages side by side; saving
opens a pull request (Decap's editorial workflow: one branch and one pull
request per change), which CI checks like any other change.  A save changes
only the lines of the fields changed: the page registers our own file format,
"course-yaml" (``tools/cms/course-format.js``, Decap's custom format API, with
the vendored round-trip YAML library ``vendor/yaml-*/``), which keeps every
comment, the first-line comment for code editors and each value's style.
Nothing of the form is written by hand: every field comes from :data:`site_builder.schema.COURSE`
(one visitor case per kind, as :mod:`site_builder.jsonschema` does for the
JSON Schema), the ids a reference may take from ``courses/_shared/``, the
languages from ``mkdocs.yml``.

:func:`write_admin` writes ``admin/`` into a built site: ``index.html``
(``templates/admin.html``: loads only files copied beside it, the vendored
bundle ``vendor/decap-cms-*/decap-cms.js``, the YAML library and the format),
``config.yml`` (:func:`render`) and those files.  No learner's page links
to it.  No MkDocs here.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from functools import singledispatch
from pathlib import Path

import yaml

from .jsonschema import MODELINE, Tables, shared_ids
from .messages import Doc, M, Translator, message_languages
from .schema import (COURSE, DATE, SLUG, Amount, Boolean, Choice, Date, Email, Integer, Kind, Link, ListOf,
                     Listed, MapOf, Record, Ref, String, Text)
from .settings import ADMIN_DIR, CONFIG_FILE, COURSES_DIR

#: The CMS release the admin page loads (vendored, never fetched from elsewhere).
CMS_VERSION = "3.16.3"
#: The vendored bundle, relative to the project's root; its LICENSE beside it.
BUNDLE = f"vendor/decap-cms-{CMS_VERSION}/decap-cms.js"
#: The round-trip YAML library the course format writes files with (eemeli/yaml,
#: its browser build: ES modules), vendored; its LICENSE inside.
YAML_VERSION = "2.9.1"
YAML_LIBRARY = f"vendor/yaml-{YAML_VERSION}"
#: Where the library goes in ``admin/``.
YAML_DIR = "yaml"
#: The course files' format for the editor ("course-yaml", an ES module).
FORMAT_MODULE = "tools/cms/course-format.js"
#: Its name in the collection's ``format:`` (registered by the admin page).
FORMAT = "course-yaml"
#: The branch a repository's changes are proposed against when mkdocs.yml says none.
DEFAULT_BRANCH = "main"
#: The project's own checkout (the vendored bundle lives there, whatever project is built).
_HOME = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Repository:
    """Where the editor proposes its changes: a GitHub repository and its branch."""

    #: ``owner/name`` on GitHub, from mkdocs.yml's ``repo_url``; None when it has none.
    name: str | None = None
    #: The branch pull requests go to (mkdocs.yml ``edit_uri: edit/<branch>/...``).
    branch: str = DEFAULT_BRANCH
    #: The GitHub sign-in service (an OAuth client, see EDITOR.md), mkdocs.yml
    #: ``extra: editor_auth_url:``; None: Netlify's, Decap's default.
    auth_url: str | None = None


def repository(root: Path) -> Repository:
    """The repository named in ``root/mkdocs.yml`` (MkDocs' own ``repo_url`` and ``edit_uri``)."""

    class Loader(yaml.SafeLoader):
        """mkdocs.yml with its tags (!ENV, !relative) read as plain values."""

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((Path(root) / CONFIG_FILE).read_text(encoding="utf-8"), Loader=Loader) or {}
    url = str(config.get("repo_url") or "")
    found = re.match(r"^https://github\.com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?$", url)
    branch = re.match(r"^/?(?:edit|blob|tree)/([^/]+)/", str(config.get("edit_uri") or ""))
    auth = str((config.get("extra") or {}).get("editor_auth_url") or "").rstrip("/")
    return Repository(found.group(1) if found else None, branch.group(1) if branch else DEFAULT_BRANCH,
                      auth if auth.startswith("https://") else None)


def tables_of(catalog) -> Tables:
    """The shared ids of an already checked catalog (what :func:`shared_ids` reads from disk)."""
    return Tables.of(catalog)


def cms_config(tables: Tables, repo: Repository = Repository()) -> dict:
    """Decap CMS's configuration: one folder collection, the course files."""
    languages = tables.languages
    backend = {"name": "github"}
    if repo.name:
        backend["repo"] = repo.name
    if repo.auth_url:
        backend.update(base_url=repo.auth_url, auth_endpoint="auth")
    backend.update(branch=repo.branch, squash_merges=True,
                   commit_messages={"create": "Courses: create {{slug}} (web editor)",
                                    "update": "Courses: update {{slug}} (web editor)",
                                    "delete": "Courses: delete {{slug}} (web editor)"})
    return {
        "backend": backend,
        # decap-server on this computer, used only when the editor is opened at
        # localhost (tests, local editing); the published site uses GitHub.
        "local_backend": True,
        "publish_mode": "editorial_workflow",
        # Decap requires a media folder; no field of a course takes a file.
        "media_folder": "uploads",
        # The form alone, full width: a course page is built by the site, not previewed here.
        "editor": {"preview": False},
        "collections": [{
            "name": "courses",
            "label": "Courses",
            "label_singular": "Course",
            "description": "One course of the catalog, in " + " and ".join(
                languages.english_name(l) for l in languages) + ". Saving proposes the change for review.",
            "folder": COURSES_DIR,
            "extension": "yml",
            "format": FORMAT,
            "create": True,
            "delete": False,
            "identifier_field": "id",
            "slug": "{{fields.id}}",
            "summary": "{{fields.code}} · {{fields.title." + languages.default + "}}",
            "sortable_fields": ["id", "code"],
            "fields": fields_of(COURSE, tables),
        }],
    }


def render(tables: Tables, repo: Repository = Repository()) -> str:
    """The exact text of ``admin/config.yml``."""
    head = ("# The web editor's configuration (Decap CMS), generated by site_builder/cms.py from\n"
            "# site_builder/schema.py, courses/_shared/ and mkdocs.yml at each build; do not edit.\n")
    return head + yaml.safe_dump(cms_config(tables, repo), sort_keys=False, allow_unicode=True, width=100)


def shape(record: Record, tables: Tables) -> dict:
    """What the course format needs of the schema (``tools/cms/course-format.js``):
    the keys of a record in order, the optional ones, and the shape of each field
    that is a record (of each item for a list of records, of the texts' languages)."""
    out = {"keys": [f.name for f in record.fields],
           "optional": [f.name for f in record.fields if not f.required], "fields": {}}
    for f in record.fields:
        kind = f.kind.item if isinstance(f.kind, ListOf) else f.kind
        if isinstance(kind, Record):
            out["fields"][f.name] = shape(kind, tables)
        elif isinstance(kind, Text):
            out["fields"][f.name] = {"keys": list(tables.languages), "optional": [], "fields": {}}
        elif isinstance(kind, MapOf):
            out["fields"][f.name] = {"keys": list(tables.get(kind.table) or []), "optional": [], "fields": {}}
    return out


def page(tables: Tables) -> str:
    """The exact text of ``admin/index.html``: Decap started by hand once the
    course format is registered (``window.CMS_MANUAL_INIT``, then ``CMS.init()``)."""
    import jinja2

    settings = {"name": FORMAT, "extension": "yml", "modeline": MODELINE, "shape": shape(COURSE, tables)}
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                             autoescape=True, keep_trailing_newline=True)
    return env.get_template("admin.html").render(
        bundle=Path(BUNDLE).name, library=f"{YAML_DIR}/index.js", module=Path(FORMAT_MODULE).name,
        settings=json.dumps(settings, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c"))


def write_admin(site_dir: Path, root: Path, catalog=None) -> Path:
    """Write ``admin/`` into the built site ``site_dir`` for the project at ``root``:
    index.html, config.yml, the vendored bundle with its licence, the course
    format and the YAML library (``admin/yaml/``, its licence inside).
    ``catalog`` (the build's checked catalog) saves reading the shared tables
    again.  Returns the folder written."""
    tables = tables_of(catalog) if catalog is not None else shared_ids(root)
    admin = Path(site_dir) / ADMIN_DIR
    admin.mkdir(parents=True, exist_ok=True)
    bundle = _HOME / BUNDLE
    for source in (bundle, bundle.with_name("LICENSE"), bundle.with_name(bundle.name + ".LICENSE.txt"),
                   _HOME / FORMAT_MODULE):
        shutil.copyfile(source, admin / source.name)
    library = _HOME / YAML_LIBRARY
    shutil.rmtree(admin / YAML_DIR, ignore_errors=True)
    # The browser build (index.js and dist/, ES modules) and its LICENSE; not
    # its package.json (only Node needs to be told these are modules).
    shutil.copytree(library, admin / YAML_DIR, ignore=shutil.ignore_patterns("package.json"))
    (admin / "config.yml").write_text(render(tables, repository(root)), encoding="utf-8")
    (admin / "index.html").write_text(page(tables), encoding="utf-8")
    return admin


# ---------------------------------------------------------------------------
# One case per kind of value: the widget (and its options) of a value
# ---------------------------------------------------------------------------

def label(name: str) -> str:
    """A field's label in the form: ``instruction_languages`` -> "Instruction languages"."""
    return name.replace("_", " ").capitalize()


def fields_of(record: Record, tables: Tables) -> list[dict]:
    """The form fields of a record, in the schema's order (Decap writes keys in this order)."""
    out = []
    for f in record.fields:
        widget = to_cms(f.kind, tables)
        detail = widget.pop("hint", None)
        required = f.required
        if isinstance(f.kind, Text) and not f.required:
            # An optional text: the form asks for no language until one is
            # written (the checker then asks for every language).
            widget["fields"] = [dict(sub, required=False) for sub in widget["fields"]]
        if isinstance(f.kind, ListOf) and f.kind.minimum == 0:
            # The form refuses an empty list in a required field; the file
            # needs the key: an empty list is written unless one is given.
            if f.required:
                widget["default"] = []
            required = False
        expected = f.kind.expected if getattr(f.kind, "expected", "") else detail
        out.append({"name": f.name, "label": label(f.name), **widget,
                    "hint": field_hint(f.doc, expected), "required": required})
    return out


def field_hint(doc: str, expected) -> str:
    """A field's help under it in the form: its documentation and what it takes,
    in every language the messages are written in, one paragraph each (the
    teachers read Chinese or English more easily)."""
    said = []
    for lang in message_languages():
        translator = Translator(lang)
        text = Doc(doc).translated(translator)
        if expected:
            text += " " + M("Expected: {expected}.", expected=expected).translated(translator)
        said.append(text)
    return "\n\n".join(dict.fromkeys(said))


def _typed_in(regex: str, kind: Kind) -> dict:
    """A text box the form checks against ``regex`` (what the checker takes of ``kind``)."""
    return {"widget": "string", "pattern": _pattern(regex, str(kind.expected)), "hint": str(kind.expected)}


def _pattern(regex: re.Pattern | str, message: str) -> list:
    # Python and ECMAScript agree on the patterns used here (^, $, classes, groups).
    return [regex.pattern if isinstance(regex, re.Pattern) else regex, message]


@singledispatch
def to_cms(kind: Kind, tables: Tables) -> dict:
    raise TypeError(f"no form field for the kind {type(kind).__name__}; add a case to {__name__}")


@to_cms.register
def _(kind: String, tables):
    out = {"widget": "text" if kind.multiline else "string"}
    if kind.pattern is not None:
        out["pattern"] = _pattern(kind.pattern, str(kind.expected))
    out["hint"] = str(kind.expected)
    return out


@to_cms.register
def _(kind: Ref, tables):
    ids = tables.get(kind.table)
    if not ids:  # an empty table: nothing to choose from; the checker names the table
        return {"widget": "string", "pattern": _pattern(SLUG, f"an id of courses/_shared/{kind.table}.yml")}
    return {"widget": "select", "options": list(ids), "hint": f"one of the {kind.table} in courses/_shared/{kind.table}.yml"}


@to_cms.register
def _(kind: Text, tables):
    languages = tables.languages
    widget = "text" if kind.multiline or kind.markdown else "string"
    subfields = []
    for lang in languages:
        english, own = languages.english_name(lang), languages.names.get(lang, lang)
        subfields.append({
            "name": lang, "label": english if own == english else f"{english} · {own}", "widget": widget,
            "hint": f"The {english} {kind.what}, at most {kind.max_length} characters"
                    + (" (Markdown: a blank line between paragraphs, **bold**, - a list item)." if kind.markdown else "."),
            "required": True})
    return {"widget": "object", "collapsed": False, "fields": subfields}


@to_cms.register
def _(kind: Integer, tables):
    return {"widget": "number", "value_type": "int", "min": kind.minimum, "max": kind.maximum,
            "hint": str(kind.expected)}


@to_cms.register
def _(kind: Choice, tables):
    out = {"widget": "select", "options": list(kind.choices), "hint": str(kind.expected)}
    if len(kind.choices) == 1:  # the file format's version: written in a new file
        out["default"] = kind.choices[0]
    return out


@to_cms.register
def _(kind: Date, tables):
    # The browser's own date picker; the value is written YYYY-MM-DD (a date, no time).
    return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False,
            "pattern": _pattern(DATE, str(kind.expected)), "hint": str(kind.expected)}


@to_cms.register
def _(kind: ListOf, tables):
    out = {"widget": "list", "min": kind.minimum, "max": kind.maximum}
    if kind.minimum == 0:
        # No item until one is added (else a new course would start with an
        # empty run, its checkbox's default making the item look filled in).
        out["default"] = []
    if isinstance(kind.item, Ref) and tables.get(kind.item.table):
        # Several ids of one table: one select that takes many.
        out = {"widget": "select", "multiple": True, "options": list(tables[kind.item.table]),
               "min": kind.minimum, "max": kind.maximum}
        out["hint"] = f"{str(kind.expected)}, ids of courses/_shared/{kind.item.table}.yml"
        return out
    if isinstance(kind.item, Record):
        out["fields"] = fields_of(kind.item, tables)
        first = kind.item.fields[0]
        out["summary"] = "{{fields." + first.name + (
            "." + tables.languages.default if isinstance(first.kind, Text) else "") + "}}"
    elif isinstance(kind.item, Text):
        # Each item one mapping {lang: text}: the text's fields are the item's.
        out["fields"] = to_cms(kind.item, tables)["fields"]
        out["summary"] = "{{fields." + tables.languages.default + "}}"
    else:
        item = to_cms(kind.item, tables)
        item.pop("hint", None)
        out["field"] = {"name": "item", "label": "Item", **item}
    out["hint"] = str(kind.expected)
    return out


@to_cms.register
def _(kind: Record, tables):
    return {"widget": "object", "collapsed": False, "fields": fields_of(kind, tables)}


@to_cms.register
def _(kind: Boolean, tables):
    # A checkbox always has a value: unticked is written false.
    return {"widget": "boolean", "default": False, "hint": str(kind.expected)}


#: https:// or mailto: only (any case), as the checker accepts them.
LINK = "^(?:[Hh][Tt][Tt][Pp][Ss]://[^\\s\\\\]+|[Mm][Aa][Ii][Ll][Tt][Oo]:[^\\s@]+@[^\\s]+)$"


@to_cms.register
def _(kind: Link, tables):
    return _typed_in(LINK, kind)


@to_cms.register
def _(kind: Email, tables):
    return _typed_in(r"^[^\s@]+@[^\s@]+\.[^\s@]+$", kind)


@to_cms.register
def _(kind: Listed, tables):
    return {"widget": "select", "options": sorted(kind.names()), "hint": str(kind.expected)}


@to_cms.register
def _(kind: Amount, tables):
    # Text, not a number field: a number would lose "1200.50"'s last zero.
    return _typed_in(r"^[0-9]{1,9}(?:\.[0-9]{1,2})?$", kind)


@to_cms.register
def _(kind: MapOf, tables):
    # One optional entry per id of the table, in its order: {zh: HSK 3, en: CEFR B1}.
    value = to_cms(kind.value, tables)
    detail = value.pop("hint", None)
    keys = tables.get(kind.table) or []
    return {"widget": "object", "collapsed": False,
            "fields": [{"name": key, "label": key, **value, "required": False,
                        **({"hint": detail} if detail else {})} for key in keys],
            "hint": str(kind.expected)}
