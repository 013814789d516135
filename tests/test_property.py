"""Property-based: any text, in every text field, checks cleanly and shows verbatim.

Hypothesis draws strings (any Unicode, mixed scripts, right-to-left text,
emoji, control characters, Markdown and HTML metacharacters) and puts one in
every plain-text field of a course (found by walking the schema, so a new
field is covered without editing this file), in the Markdown description and
in a partner's name in courses/_shared.  Either the checker refuses the course
with located one-line messages and no exception, or the text reaches the page
exactly as written (between markers, as the HTML parser reads it) without
adding a single element.

Two tests: a broad one (many examples) renders the pages and runs them through
Markdown with the extensions of mkdocs.yml; a narrow one (few examples) runs
the whole build and reads the HTML, <title>, meta description, JSON-LD and the
search index.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_project
from test_text import Parsed, site_markdown

from site_builder import text
from site_builder.pipeline import build
from site_builder.rendering import render_language
from site_builder.readers import read_catalog
from site_builder.schema import COURSE, ListOf, Record, String, Text
from site_builder.settings import site_languages

LANGUAGES = site_languages(Path(__file__).resolve().parent.parent).codes

HOSTILE = Path(__file__).parent / "hostile"
COURSE_ID = "property-course"
OPEN, CLOSE = "⟦", "⟧"

PIECES = [
    "<", ">", "&", '"', "'", "`", "*", "_", "#", "|", "[", "]", "(", ")", "{", "}", "\\", "~", "!", "^", "=",
    "$", ":", "-", "+", ".", "1.", "- ", "> ", "---", "===", "    ", "\t", "\n", "\n\n", " ", "\u00a0",
    "<script>alert(1)</script>", "</title>", "</p>", "<b>", "<!--", "-->", "]]>", "&amp;", "&#60;", "&lt;",
    "{{ 7*7 }}", "{% if x %}", "{# c #}", "[x](javascript:alert(1))", "![i](https://t.example/p.png)",
    "javascript:", "data:", "onerror=", "**b**", "__u__", "`c`", "\\*", "{: .x}", "{#id}", "| a | b |",
    "مرحبا", "שלום", "\u202e", "\u202c", "\u200f", "\u200b", "\u200d", "\ufeff", "👩‍💻", "🚀", "e\u0301",
    "中文", "，。", "“引号”", "ＡＢＣ", "\x00", "\x07", "\x1b", "\r", "\u2028", "\x85", "\U0001d518",
]

#: Unicode categories the checker refuses in text (control, unassigned, line separators).
_REFUSED = ("Cc", "Cs", "Co", "Cn", "Zl", "Zp")


def _refused(value: str) -> bool:
    return any(unicodedata.category(ch) in _REFUSED for ch in value)


any_text = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_characters=OPEN + CLOSE), max_size=30),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(st.characters(codec="utf-8"), max_size=3)),
             max_size=8).map("".join),
).filter(lambda s: OPEN not in s and CLOSE not in s and len(s) <= 34)

#: Text every field accepts: no control or line-break characters (the full
#: builds are few, so none is spent on a refusal; refusals are tested above).
printable_text = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=_REFUSED, exclude_characters=OPEN + CLOSE),
            max_size=30),
    st.lists(st.one_of(st.sampled_from([p for p in PIECES if not _refused(p)]),
                       st.text(st.characters(codec="utf-8", exclude_categories=_REFUSED), max_size=3)),
             max_size=8).map("".join),
).filter(lambda s: OPEN not in s and CLOSE not in s and len(s) <= 34 and not _refused(s))


# ---------------------------------------------------------------------------
# The course, and where its plain-text fields are
# ---------------------------------------------------------------------------

def base_course() -> dict:
    data = yaml.safe_load((HOSTILE / "crlf.yml").read_bytes().decode("utf-8"))
    data.update(id=COURSE_ID, code="PRP-101", partners=["rmutr"],
                glossary=[{"en": "term", "zh": "术语"}])
    # One upcoming run (the tests' build date is 2026-12-01): its notes reach the page,
    # the calendars and catalog.json.
    data["offerings"] = [{
        "id": "run", "status": "open", "start": "2027-05-03", "end": "2027-05-07",
        "deadline": "2027-04-01", "delivery": "online", "timezone": "Asia/Shanghai",
        "instruction_languages": ["en"], "entry_levels": {"en": "CEFR B1"}, "interpretation": "false",
        "seats": "10", "fee": {"type": "free", "note": {lang: "x" for lang in LANGUAGES}},
        "apply": "https://example.org/apply", "note": {lang: "x" for lang in LANGUAGES}}]
    return data


def text_leaves(kind, value, path=()):
    """Paths of the plain-text strings of ``value`` (a course), read from the schema."""
    if isinstance(kind, Record):
        for f in kind.fields:
            if isinstance(value, dict) and f.name in value:
                yield from text_leaves(f.kind, value[f.name], path + (f.name,))
    elif isinstance(kind, ListOf):
        for i, item in enumerate(value or []):
            yield from text_leaves(kind.item, item, path + (i,))
    elif isinstance(kind, Text) and not kind.markdown:
        for lang in LANGUAGES:
            yield path + (lang,)
    elif isinstance(kind, String) and kind.pattern is None:
        yield path


def put(data, path, value) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


LEAVES = list(text_leaves(COURSE, base_course()))
#: One marker letter per field: ⟦a...⟧, ⟦b...⟧; the partner's name is ⟦P...⟧.
MARK = {path: chr(ord("a") + i) for i, path in enumerate(LEAVES)}


def marked(letter: str, value: str) -> str:
    return f"{OPEN}{letter}{value}{CLOSE}"


def hostile_project(root: Path, value: str) -> None:
    """The project with ``value`` in every text field of one course and a partner's name."""
    data = base_course()
    for path, letter in MARK.items():
        put(data, path, marked(letter, value))
    data["description"] = {lang: value if value.strip() else "x" for lang in LANGUAGES}
    (root / "courses" / f"{COURSE_ID}.yml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    partners_file = root / "courses" / "_shared" / "partners.yml"
    partners = yaml.safe_load(partners_file.read_text(encoding="utf-8"))
    for row in partners["partners"]:
        if row["id"] == "rmutr":
            row["name"] = {lang: marked("P", value) for lang in LANGUAGES}
    partners_file.write_text(yaml.safe_dump(partners, allow_unicode=True, sort_keys=False), encoding="utf-8")


def fresh_project(parent: Path) -> Path:
    root = parent / "project"
    if root.exists():
        shutil.rmtree(root)
    return make_project(root, {})


def assert_clean_refusal(problems) -> None:
    """Refused: every problem names the file, a line and column, and fits on one line."""
    assert problems.errors
    for problem in problems:
        message = problem.format()
        assert problem.path.startswith("courses/") and problem.line >= 1 and problem.column >= 1
        assert "\n" not in message and "\r" not in message
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u202e]", message)


def shown(value: str) -> str:
    """What the page must hold for ``value``: the checked text (a line break between
    two Chinese characters is dropped, as Chinese is written without spaces)."""
    return text.join_cjk_lines(value)


def shown_on(lang: str) -> set[str]:
    """The fields a course page in ``lang`` shows: its language's texts, the title in
    every language, both sides of the glossary, the partner's name."""
    return ({MARK[path] for path in LEAVES if path[-1] == lang or path[0] == "glossary"}
            | {MARK[("title", other)] for other in LANGUAGES} | {"P"})


def marked_texts(page: str) -> dict[str, set[str]]:
    """The text between each field's markers, as an HTML parser reads ``page``
    (the glossary's pinyin column, computed from the Chinese term, left out)."""
    page = re.sub(r'<td lang="zh-Latn">.*?</td>|<script\b.*?</script>', "", page, flags=re.S)
    found: dict[str, set[str]] = {}
    for letter, content in re.findall(f"{OPEN}(.)(.*?){CLOSE}", "".join(Parsed(page).parts), re.S):
        found.setdefault(letter, set()).add(content)
    return found


def structure(source: str) -> list[tuple]:
    """The elements of an HTML page, tag and attribute names in order (but those inside
    the Markdown description, whose markup is the author's, within the allow-list)."""
    source = re.sub(r'(<div class="cc-description">).*?(</div>)', r"\1\2", source, flags=re.S)
    return [(tag, tuple(sorted(attrs))) for tag, attrs in Parsed(source).tags]


# ---------------------------------------------------------------------------
# Broad: many strings, pages rendered and run through Markdown
# ---------------------------------------------------------------------------

def rendered_course_pages(root: Path):
    """(problems, {lang: (front matter, html)}) of the course page in each language."""
    from mkdocs.utils import meta

    catalog, problems = read_catalog(root, missing_translation="error")
    if problems.errors:
        return problems, {}
    out = {}
    out["feeds"] = feeds_of(catalog)
    for lang in LANGUAGES:
        page = next(p for p in render_language(catalog, lang, site_url="https://catalog.example.org/")
                    if p.path == f"courses/{COURSE_ID}.md")
        shell, front = meta.get_data(page.source())
        site_markdown(shell)  # the Markdown MkDocs renders (title and headings) must render
        out[lang] = (front, page.body)  # what the page shows: the plugin hands MkDocs the body
    return problems, out


def feeds_of(catalog) -> dict:
    """The course's data as other systems read it back: each language's
    calendar of the run (icalendar) and catalog.json (json)."""
    import icalendar

    from site_builder.feeds import calendar_files, data_files
    from site_builder.urls import Pages

    pages = Pages(catalog.site_languages, True, "https://catalog.example.org/")
    out = {"json": json.loads(data_files(catalog, pages)["catalog.json"])}
    for lang in LANGUAGES:
        raw = calendar_files(catalog, pages, lang)[f"calendars/{COURSE_ID}/run.ics"]
        out[lang] = (raw, icalendar.Calendar.from_ical(raw))
    return out


def feed_shape(feeds: dict) -> tuple:
    """What the feeds hold but the author's text: JSON paths, iCal components and properties."""
    def paths(value, at=()):
        if isinstance(value, dict):
            return [p for k, v in value.items() for p in paths(v, at + (k,))]
        if isinstance(value, list):
            return [p for i, v in enumerate(value) for p in paths(v, at + (i,))]
        return [at]

    calendars = tuple((lang, tuple((c.name, tuple(sorted(c))) for c in feeds[lang][1].walk()))
                      for lang in LANGUAGES)
    return tuple(paths(feeds["json"])), calendars


def check_feeds(feeds: dict, neutral_shape: tuple, value: str) -> None:
    """The author's text comes back exactly from iCal and JSON, and nothing else was added."""
    assert feed_shape(feeds) == neutral_shape
    course = feeds["json"]["courses"][0]
    run = course["offerings"][0]
    for lang in LANGUAGES:
        letter = MARK[("title", lang)]
        assert course["title"][lang] == marked(letter, value).strip()
        assert run["note"][lang] == marked(MARK[("offerings", 0, "note", lang)], value).strip()
        assert run["fee"]["note"][lang] == marked(MARK[("offerings", 0, "fee", "note", lang)], value).strip()
        raw, calendar = feeds[lang]
        (event,) = [e for e in calendar.walk("VEVENT") if ".deadline." not in str(e["uid"])]
        (deadline,) = [e for e in calendar.walk("VEVENT") if ".deadline." in str(e["uid"])]
        code = {"en": " (PRP-101)", "zh": "（PRP-101）"}[lang]
        assert str(event["summary"]) == marked(letter, value).strip() + code
        assert str(deadline["summary"]).endswith(marked(letter, value).strip() + code)
        assert str(event["description"]).endswith("\n" + marked(MARK[("offerings", 0, "note", lang)], value).strip())
        assert all(len(line) <= 75 for line in raw.split(b"\r\n"))


@pytest.fixture(scope="module")
def neutral(tmp_path_factory):
    """The course page structure with a plain word in every field."""
    root = fresh_project(tmp_path_factory.mktemp("neutral"))
    hostile_project(root, "word")
    problems, pages = rendered_course_pages(root)
    assert not problems.errors
    shape = feed_shape(pages.pop("feeds"))
    return {**{lang: structure(page) for lang, (_, page) in pages.items()}, "feeds": shape}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=any_text)
def test_any_text_in_every_field_is_refused_cleanly_or_shown_verbatim(tmp_path_factory, neutral, value):
    root = fresh_project(tmp_path_factory.mktemp("prop", numbered=True))
    hostile_project(root, value)
    problems, pages = rendered_course_pages(root)
    if problems.errors:
        assert_clean_refusal(problems)
        return
    expected = shown(value)
    check_feeds(pages.pop("feeds"), neutral["feeds"], value)
    for lang, (front, page) in pages.items():
        # No element was added, none removed: the page has the shape it has with a plain word.
        assert structure(page) == neutral[lang]
        # Every field shows the text exactly.
        found = marked_texts(page)
        for letter in shown_on(lang):
            assert found.get(letter) == {expected}, (lang, letter, found.get(letter))
        # Front matter: HTML-escaped (Material prints it raw), the same text once unescaped.
        assert html.unescape(front["title"]) == marked(MARK[("title", lang)], value).strip()
        assert not re.search(r'[<>"]', front["title"] + front["description"])
        # JSON-LD: the title as data; nothing in it can end the script.
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
        assert json.loads(block)["name"] == marked(MARK[("title", lang)], value).strip()
        assert "<" not in block
        # The Markdown description: only allow-listed markup, links only out of the site.
        start = page.index('<div class="cc-description">')
        description = Parsed(page[start: page.index("</div>", start) + len("</div>")])
        for tag, attrs in description.tags[1:]:
            assert tag in text._TAGS, tag
            assert set(attrs) <= text._ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, attrs)
            assert tag != "a" or re.match(r"(?i)(https?|mailto):", attrs.get("href", "")), attrs


# ---------------------------------------------------------------------------
# Narrow: a few strings, the whole build, the HTML as published
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def neutral_site(tmp_path_factory):
    root = fresh_project(tmp_path_factory.mktemp("neutral-site"))
    hostile_project(root, "word")
    assert build(root, strict=True) == 0
    return {lang: structure(_course_html(root / "site", lang)) for lang in LANGUAGES}


def _course_html(site: Path, lang: str) -> str:
    prefix = "" if lang == LANGUAGES[0] else f"{lang}/"
    return (site / prefix / "courses" / COURSE_ID / "index.html").read_text(encoding="utf-8")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=printable_text)
def test_the_built_site_shows_any_text_verbatim(tmp_path_factory, neutral_site, value):
    root = fresh_project(tmp_path_factory.mktemp("prop-build", numbered=True))
    hostile_project(root, value)
    assert build(root, strict=True) == 0
    expected = shown(value)
    site = root / "site"
    index_docs = []
    for index in site.rglob("search_index.json"):
        index_docs += json.loads(index.read_text(encoding="utf-8"))["docs"]
    for lang in LANGUAGES:
        source = _course_html(site, lang)
        assert structure(source) == neutral_site[lang]
        found = marked_texts(source)
        for letter in shown_on(lang):
            assert found.get(letter) == {expected}, (lang, letter, found.get(letter))
        title = marked(MARK[("title", lang)], value).strip()
        head = source[: source.index("</head>")]
        assert html.unescape(re.search(r"<title>(.*?)</title>", head, re.S).group(1)).startswith(title)
        summary = marked(MARK[("summary", lang)], value).strip()
        metas = re.findall(r'<meta name="description" content="([^"]*)"', head)
        assert [html.unescape(m) for m in metas] == [summary]
    # The search index holds the page text as HTML: unescaped, the text is there as written
    # (up to runs of HTML white space, which the index keeps as one space, as a browser shows them).
    indexed = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", d["text"] + " " + d["title"])
                                      for d in index_docs if COURSE_ID in d["location"]))

    def squeeze(text: str) -> str:
        # (Zero-width space between words, word joiner between a word's characters: search.py.)
        return re.sub(r"[ \t\n\r\f]+", " ", text.replace("\u200b", "").replace("\u2060", ""))

    assert squeeze(marked(MARK[("summary", "en")], expected)) in squeeze(indexed)
