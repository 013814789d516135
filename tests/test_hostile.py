"""Hostile and broken course files: exact located messages, exit 1, no traceback.

Every file (or folder) in tests/hostile/ is a course file an attacker or a
careless author could send in a pull request; tests/hostile/expected.yml holds
the exact lines ``check --strict`` must print for it.  Files too big to keep in
the repository, and links that only make sense in a real file system, are made
by GENERATED below.  The valid ones (expected: []) are built, and the pages are
read as HTML and opened in Chromium: nothing an author writes may run there.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from chromium import browser, serve  # noqa: F401 (browser: a fixture)
from conftest import PYTHON, make_project
from htmlcheck import Page

from site_builder import cli

HOSTILE = Path(__file__).parent / "hostile"
EXPECTED: dict[str, list[str]] = yaml.safe_load((HOSTILE / "expected.yml").read_text(encoding="utf-8"))
VALID = sorted(name for name, lines in EXPECTED.items() if not lines)


def _base_course(course_id: str) -> str:
    """A valid course of the corpus, renamed (the corpus's own valid CRLF file, normalised)."""
    text = (HOSTILE / "crlf.yml").read_bytes().decode("utf-8").replace("\r\n", "\n")
    return text.replace("id: crlf\n", f"id: {course_id}\n")


def _huge_file(root: Path) -> None:
    text = _base_course("huge-file").encode("utf-8")
    padding = b"# " + b"x" * 98 + b"\n"
    text += padding * ((300_000 - len(text)) // len(padding))
    (root / "courses" / "huge-file.yml").write_bytes(text + b"#" * (300_000 - len(text) - 1) + b"\n")


def _many_values(root: Path) -> None:
    text = _base_course("many-values").replace("regions: []", "regions: [" + "china, " * 30_000 + "china]")
    (root / "courses" / "many-values.yml").write_text(text, encoding="utf-8")


def _symlink_outside(root: Path) -> None:
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.yml").write_text(_base_course("symlink-outside"), encoding="utf-8")
    (root / "courses" / "symlink-outside.yml").symlink_to(outside / "secret.yml")


def _shared_symlink_outside(root: Path) -> None:
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    partners = root / "courses" / "_shared" / "partners.yml"
    shutil.copy(partners, outside / "partners.yml")
    partners.unlink()
    partners.symlink_to(outside / "partners.yml")


#: Cases made at test time: name in expected.yml -> what puts it into a project.
GENERATED = {
    "huge-file.yml": _huge_file,
    "many-values.yml": _many_values,
    "symlink-outside.yml": _symlink_outside,
    "_shared/partners.yml": _shared_symlink_outside,
}


def add_case(root: Path, name: str) -> None:
    """Put the hostile case ``name`` into the project ``root``, byte for byte."""
    if name in GENERATED:
        GENERATED[name](root)
        return
    source = HOSTILE / name
    for path in sorted(source.iterdir()) if source.is_dir() else [source]:
        shutil.copyfile(path, root / "courses" / path.name)


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_check(root: Path, capsys) -> tuple[int, list[str], str]:
    """``check --strict`` in this process: exit code, the located lines, all of stderr."""
    capsys.readouterr()
    code = cli.main(["--root", str(root), "check", "--strict"])
    err = capsys.readouterr().err
    return code, [line for line in err.splitlines() if line.startswith("courses/")], err


def test_the_corpus_and_the_expected_messages_match():
    on_disk = {p.name for p in HOSTILE.iterdir()
               if p.name != "expected.yml" and p.suffix != ".py" and p.name != "__pycache__"}
    assert on_disk | set(GENERATED) == set(EXPECTED)
    assert not on_disk & set(GENERATED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_case_gets_its_exact_messages(tmp_path, capsys, name):
    root = make_project(tmp_path / "project", {})
    add_case(root, name)
    before = tree_digest(root / "courses")
    code, lines, err = run_check(root, capsys)
    assert lines == EXPECTED[name]
    assert code == (1 if EXPECTED[name] else 0)
    assert "Traceback" not in err
    assert tree_digest(root / "courses") == before       # the checker never rewrites author files


def test_all_cases_at_once_in_a_real_process(tmp_path):
    """One run over the whole corpus: every message, exit 1, no traceback, nothing written."""
    root = make_project(tmp_path / "project", {})
    for name in EXPECTED:
        add_case(root, name)
    before = tree_digest(root / "courses")
    run = subprocess.run([PYTHON, "-m", "site_builder", "--root", str(root), "check", "--strict"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    printed = [line for line in run.stderr.splitlines() if line.startswith("courses/")]
    # Alone, each file is checked against the shared lists only; together the
    # codes of the valid files still differ, so each case's lines are the same.
    for name, lines in EXPECTED.items():
        for line in lines:
            assert line in printed, (name, line)
    errors = [line for line in printed if ": warning: " not in line]
    assert f"{len(errors)} problems found in course files" in run.stderr
    assert tree_digest(root / "courses") == before
    assert not (root / "site").exists() and not list(root.glob(".site*"))


def test_nothing_runs_on_the_build_machine(tmp_path):
    """The YAML tags that would run commands in yaml.unsafe_load run nothing here."""
    marker = Path("/tmp/pwned-by-a-course")
    marker.unlink(missing_ok=True)
    root = make_project(tmp_path / "project", {})
    for name in ("python-object-apply.yml", "python-name.yml", "python-object-new.yml"):
        add_case(root, name)
    outside_before = sorted(p.name for p in tmp_path.iterdir())
    run = subprocess.run([PYTHON, "-m", "site_builder", "--root", str(root), "build", "--strict"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert not marker.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == outside_before


# ---------------------------------------------------------------------------
# The valid hostile files: built, read as HTML, opened in a browser
# ---------------------------------------------------------------------------

#: Text that looks like markup, in every plain-text field of one course and in
#: a partner's name: it must show exactly as written everywhere.
META = "<b>x</b> & | * # `c` [l](u) {x} _u_ {{ 7*7 }} {% if %} \\ ' \" &amp; <!-- c -->"


def _meta_course() -> str:
    data = yaml.safe_load(_base_course("plain-text-metacharacters"))
    data["code"] = "HOS-900"
    for key in ("title", "summary", "audience", "certification"):
        data[key] = {"en": f"{key} {META}", "zh": f"{key}（中文）{META}"}
    data["outcomes"] = [{"en": f"outcome {META}", "zh": f"成果 {META}"}]
    data["modules"][0]["title"] = {"en": f"module {META}", "zh": f"模块 {META}"}
    data["modules"][0]["topics"] = [{"en": f"topic {META}", "zh": f"主题 {META}"}]
    data["assessment"][0]["method"] = {"en": f"method {META}", "zh": f"方法 {META}"}
    data["glossary"] = [{"en": "term <i>&|*#`[]{}_", "zh": "术语<&>"}]
    data["partners"] = ["rmutr"]
    data["regions"] = ["china"]
    assert data["category"] == "optoelectronics" and data["level"] == "foundation"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


#: Plain text in the shared lists (English side): (table, id, field, text).
SHARED_TEXT = [
    ("partners", "rmutr", "name", f"partner {META}"),
    ("categories", "optoelectronics", "name", f"category {META}"),
    ("categories", "optoelectronics", "description",
     f"category description {META}\n\n    indented\n- dash\n1. one\n\n> quote"),
    ("levels", "foundation", "name", f"level {META}"),
    ("regions", "china", "name", f"region {META}"),
]


def _edit_shared(root: Path, table: str, row_id: str, field: str, value: str) -> None:
    path = root / "courses" / "_shared" / f"{table}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    row = next(r for r in data[table] if r["id"] == row_id)
    row[field]["en"] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The valid hostile files plus the metacharacter course, built by the real command."""
    root = make_project(tmp_path_factory.mktemp("hostile") / "project", {})
    for name in VALID:
        add_case(root, name)
    (root / "courses" / "plain-text-metacharacters.yml").write_text(_meta_course(), encoding="utf-8")
    for table, row_id, field, value in SHARED_TEXT:
        _edit_shared(root, table, row_id, field, value)
    run = subprocess.run([PYTHON, "-m", "site_builder", "--root", str(root), "build", "--strict"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return root / "site"


def _course_pages(site: Path, course_id: str) -> list[Path]:
    return [site / "courses" / course_id / "index.html", site / "zh" / "courses" / course_id / "index.html"]


def test_jinja_looking_text_is_shown_not_evaluated(hostile_site):
    en, zh = (Page(p) for p in _course_pages(hostile_site, "jinja-text"))
    h1 = en.text
    assert "{{ 7*7 }} {% if true %}yes{% endif %} <b>bold</b> & | * # `code` [link](x) {x} _u_" in h1
    assert "{{ ''.__class__.__mro__[1].__subclasses__() }} {%- raw %}x{% endraw %}" in h1
    assert "</title><script>window.__pwned = 'certification'</script>" in h1
    assert "{{ config }}{# comment #}" in zh.text
    assert "49" not in h1 and "<class" not in h1
    assert not [tag for tag, _ in en.elements if tag == "b"]


def test_plain_text_fields_show_exactly_as_written(hostile_site):
    for lang, path in zip(("en", "zh"), _course_pages(hostile_site, "plain-text-metacharacters")):
        html_text = path.read_text(encoding="utf-8")
        page = Page(path)
        # Page body, module table, assessment table, glossary table, partner list.
        for label in ("summary", "audience", "certification"):
            expected = f"{label} {META}" if lang == "en" else f"{label}（中文）{META}"
            assert expected in page.text
        for piece in ("module", "topic", "method", "outcome") if lang == "en" else ("模块", "主题", "方法", "成果"):
            assert f"{piece} {META}" in page.text
        assert "term <i>&|*#`[]{}_" in page.text and "术语<&>" in page.text
        if lang == "en":
            assert f"partner {META}" in page.text
        # <title>, the description meta tag and the header hold the same text.
        title = f"title {META}" if lang == "en" else f"title（中文）{META}"
        head = html_text[: html_text.index("</head>")]
        titles = re.findall(r"<title>(.*?)</title>", head, re.S)
        assert len(titles) == 1 and html.unescape(titles[0]).startswith(title)
        metas = [a for t, a in page.elements if t == "meta" and a.get("name") == "description"]
        assert [m["content"] for m in metas] == [f"summary {META}" if lang == "en" else f"summary（中文）{META}"]
        # No element the author typed: the templates and the theme use no <b> or <i>.
        assert not [tag for tag, _ in page.elements if tag in ("b", "i")]
        for tag, attrs in page.elements:
            assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        # Structured data (JSON-LD), where present, holds the title as written.
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html_text, re.S):
            assert "</" not in block
            assert title in _strings(json.loads(block))


def _strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    return [s for v in values for s in _strings(v)]


def test_shared_names_show_exactly_as_written(hostile_site):
    def flat(value: str) -> str:
        return " ".join(value.split())

    course, catalog, category = "courses/plain-text-metacharacters", "catalog", "categories/optoelectronics"
    shown_on = {"partners": [course], "levels": [catalog, course], "regions": [course],
                "categories": [category, catalog, ""], ("categories", "description"): [category, ""]}
    for table, _, field, value in SHARED_TEXT:
        for rel in shown_on.get((table, field)) or shown_on[table]:
            page = Page(hostile_site / rel / "index.html")
            assert flat(value) in page.text, (table, field, rel)
            assert not [t for t, _ in page.elements if t in ("b", "i", "pre", "blockquote")], rel
    category = (hostile_site / "categories/optoelectronics/index.html").read_text(encoding="utf-8")
    head = category[: category.index("</head>")]
    assert html.unescape(re.search(r"<title>(.*?)</title>", head, re.S).group(1)).startswith(f"category {META}")


def _search_docs(site: Path) -> list[dict]:
    docs = []
    for index in site.rglob("search_index.json"):
        docs += json.loads(index.read_text(encoding="utf-8"))["docs"]
    return docs


def test_search_index_holds_the_text_as_written(hostile_site):
    docs = [d for d in _search_docs(hostile_site) if "plain-text-metacharacters" in d["location"]]
    assert docs
    # The index holds HTML that Material's search shows as HTML: the author's
    # text must be escaped there and read back exactly.
    texts = " ".join(html.unescape(re.sub(r"<[^>]+>", "", d["text"] + " " + d["title"])) for d in docs)
    texts = texts.replace("\u200b", "")  # word separators of the Chinese index
    assert f"summary {META}" in texts and f"title {META}" in texts
    for d in docs:
        assert not re.search(r"<(?:b|i|script)\b", d["text"] + d["title"]), d


def test_markdown_description_is_reduced_to_the_allow_list(hostile_site):
    path = _course_pages(hostile_site, "html-in-description")[0]
    page = Page(path)
    html_text = path.read_text(encoding="utf-8")
    start = html_text.index('<div class="cc-description">')
    description = html_text[start: html_text.index("</div>", start)]
    assert "Intro {{ 7*7 }} and {% if x %}not a block{% endif %}." in page.text
    for tag in ("script", "img", "iframe", "style", "form", "input", "svg", "math", "object", "embed",
                "base", "meta", "link", "details"):
        assert f"<{tag}" not in description, tag
    hrefs = re.findall(r'href="([^"]*)"', description)
    assert hrefs == ["https://worldskills.org/", "https://example.com/"]
    for anchor in re.findall(r"<a\b[^>]*>", description):
        assert "javascript" not in anchor.lower() and "data:" not in anchor
        if "href" in anchor:
            assert 'rel="noopener noreferrer"' in anchor
    assert not re.search(r"\son\w+=|style=|target=", description)
    assert "tracker.example" not in html_text and "evil.example" not in html_text


#: Runs in each page: fires the events an inline handler would listen to on every
#: element, then lists what could still run script (handlers, script URLs).
_PROBE = """() => {
  for (const el of document.querySelectorAll("body *")) {
    for (const type of ["mouseover", "mouseenter", "focus", "toggle", "load", "error", "animationstart"]) {
      el.dispatchEvent(new Event(type));
    }
  }
  const risky = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (a.name.startsWith("on")) risky.push(el.tagName + " " + a.name);
    }
    for (const name of ["href", "src", "action", "formaction", "data"]) {
      const value = el.getAttribute(name);
      if (value && /^\\s*(javascript|data|vbscript):/i.test(value)) risky.push(el.tagName + " " + name + "=" + value);
    }
  }
  return {pwned: window.__pwned === undefined ? null : String(window.__pwned), risky, title: document.title};
}"""


def _search(page, query: str) -> list[str]:
    """Type ``query`` into the search box; the paths of the results shown.

    The index loads in a worker after the page: a query typed before it is
    ready gets no answer, so type it again until the result count shows.
    """
    page.locator("input[data-md-component=search-query]").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    meta = ".md-search-result__meta"
    waiting = page.locator(meta).first.text_content()  # "Type to start searching"
    for attempt in range(1, 5):
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        page.keyboard.type(query, delay=20)
        with contextlib.suppress(Exception):
            page.wait_for_function("([meta, waiting]) => document.querySelector(meta)?.textContent !== waiting",
                                   arg=[meta, waiting], timeout=1_500 * attempt)
            break
    return page.locator(".md-search-result__item > a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)")


@pytest.mark.browser
def test_no_script_runs_in_the_browser(hostile_site, browser):
    """Open the hostile pages in Chromium, fire every event, search: nothing the authors wrote runs."""
    outside_requests, dialogs = [], []
    ids = ["plain-text-metacharacters", *[n[: -len(".yml")] for n in VALID]]
    with serve(hostile_site) as base:
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:"))
                else outside_requests.append(r.url))
        for lang in ("", "zh/"):
            for course_id in ids:
                page.goto(f"{base}{lang}courses/{course_id}/", wait_until="load")
                found = page.evaluate(_PROBE)
                assert found["pwned"] is None and found["risky"] == [], (course_id, found)
                if course_id == "jinja-text" and not lang:
                    assert found["title"].startswith("{{ 7*7 }} {% if true %}yes{% endif %} <b>bold</b>")
            for rel in ("", "catalog/", "categories/optoelectronics/"):
                page.goto(f"{base}{lang}{rel}", wait_until="load")
                found = page.evaluate(_PROBE)
                assert found["pwned"] is None and found["risky"] == [], (rel, found)
            # Search renders the index as HTML: look for the hostile words.
            page.goto(f"{base}{lang}catalog/", wait_until="load")
            for query in ("summary", "certification", "window"):
                results = _search(page, query)
                found = page.evaluate(_PROBE)
                assert found["pwned"] is None and found["risky"] == [], (query, found)
                if query == "summary":  # results that show the hostile text
                    assert any("plain-text-metacharacters" in url for url in results), (query, results)
        page.context.close()
    assert dialogs == []
    assert outside_requests == []


def _course_texts(name: str) -> dict:
    return yaml.safe_load((HOSTILE / name).read_text(encoding="utf-8"))


def test_author_text_stays_inert_in_calendars_and_feeds(hostile_site):
    """The calendar and JSON parsers read back exactly what was written, and nothing else."""
    import icalendar

    source = _course_texts("offering-text-in-calendars.yml")
    note = source["offerings"][0]["note"]
    for prefix, lang in (("", "en"), ("zh/", "zh")):
        for rel in ("calendar.ics", "calendars/offering-text-in-calendars.ics",
                    "calendars/offering-text-in-calendars/run-0.ics"):
            raw = (hostile_site / prefix / rel).read_bytes()
            calendar = icalendar.Calendar.from_ical(raw)
            ours = [e for e in calendar.walk("VEVENT") if "offering-text-in-calendars" in str(e["uid"])]
            runs = [e for e in ours if ".deadline." not in str(e["uid"])]
            deadlines = [e for e in ours if ".deadline." in str(e["uid"])]
            assert len(runs) == 1 and len(deadlines) == 1, rel
            event = runs[0]
            code = {"en": " (HOS-123)", "zh": "（HOS-123）"}[lang]
            assert str(event["summary"]) == source["title"][lang] + code
            assert str(event["description"]).endswith(note[lang])
            assert str(deadlines[0]["summary"]).endswith(source["title"][lang] + code)
            assert "injected@evil.example" not in [str(e["uid"]) for e in calendar.walk("VEVENT")]
            # The only reminders are the deadlines' own, one each.
            alarms = calendar.walk("VALARM")
            deadline_events = [e for e in calendar.walk("VEVENT") if ".deadline." in str(e["uid"])]
            assert len(alarms) == len(deadline_events) and all(str(a["action"]) == "DISPLAY" for a in alarms)
            # Folded to 75 octets, every line; the author's BEGIN:/END: never start one.
            lines = raw.split(b"\r\n")
            assert all(len(line) <= 75 for line in lines)
            unfolded = raw.replace(b"\r\n ", b"").split(b"\r\n")
            assert unfolded.count(b"BEGIN:VCALENDAR") == 1 and unfolded.count(b"END:VCALENDAR") == 1
            assert not [l for l in unfolded if l.startswith((b"SUMMARY:Injected", b"UID:injected"))]
            assert unfolded.count(b"BEGIN:VALARM") == len(deadline_events)
    feed = json.loads((hostile_site / "catalog.json").read_text(encoding="utf-8"))
    course = next(c for c in feed["courses"] if c["id"] == "offering-text-in-calendars")
    assert course["title"] == source["title"]
    assert course["offerings"][0]["note"] == note
    assert course["offerings"][0]["fee"]["note"] == source["offerings"][0]["fee"]["note"]
    assert course["offerings"][0]["apply"] == "https://example.org/apply?x=1;y=2,z"
    for lang, path in zip(("en", "zh"), _course_pages(hostile_site, "offering-text-in-calendars")):
        html_text = path.read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html_text, re.S)
        assert len(blocks) == 1 and "</" not in blocks[0] and "<!--" not in blocks[0]
        data = json.loads(blocks[0])
        assert data["name"] == source["title"][lang]
        assert data["hasCourseInstance"][0]["offers"]["url"] == "https://example.org/apply?x=1;y=2,z"


def test_valid_edges_of_dates_zones_and_money(hostile_site):
    import icalendar

    page = Page(hostile_site / "courses" / "offering-edges-valid" / "index.html").text
    assert "29 Feb 2028" in page and "5,000 Japanese yen" in page and "0.50 Bahraini dinars" in page
    assert "Online (Line Islands Time, UTC+14)" in page
    calendar = icalendar.Calendar.from_ical(
        (hostile_site / "calendars/offering-edges-valid.ics").read_bytes())
    leap = next(e for e in calendar.walk("VEVENT") if ".run-0." in str(e["uid"]))
    assert str(leap.decoded("dtstart")) == "2028-02-29" and str(leap.decoded("dtend")) == "2028-03-01"
    links = [a.get("href") for t, a in Page(hostile_site / "courses" / "offering-links" / "index.html").elements
             if t == "a"] if (hostile_site / "courses" / "offering-links").exists() else []
    assert links == []  # the file with bad links was refused, so it has no page


def test_hostile_pages_are_still_valid_html(hostile_site):
    """Escaped author text never breaks the markup: the W3C checker finds nothing of ours."""
    from test_integrity import w3c_errors

    ids = ["plain-text-metacharacters", *[n[: -len(".yml")] for n in VALID]]
    ours, material = w3c_errors([p for course_id in ids for p in _course_pages(hostile_site, course_id)])
    assert ours == []
    assert material


def test_project_folders_that_are_links_are_not_followed(tmp_path, capsys):
    """A pull request can turn courses/ or docs/ into a link: nothing outside is read or touched."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me", encoding="utf-8")
    (outside / "secret.yml").write_text("id: secret-data\n", encoding="utf-8")
    before = tree_digest(outside)

    root = make_project(tmp_path / "project", {})
    shutil.rmtree(root / "courses")
    (root / "courses").symlink_to(outside, target_is_directory=True)
    code, _, err = run_check(root, capsys)
    assert code == 1 and "Traceback" not in err
    assert "courses:1:1: a link to another folder; expected the folder courses/ itself" in err
    assert "secret" not in err

    root = make_project(tmp_path / "project2")
    shutil.rmtree(root / "docs")
    (root / "docs").symlink_to(outside, target_is_directory=True)
    run = subprocess.run([PYTHON, "-m", "site_builder", "--root", str(root), "build"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode != 0
    assert "it is a link to another folder" in run.stderr
    assert tree_digest(outside) == before          # nothing pruned or written there
    assert not (root / "site").exists()
