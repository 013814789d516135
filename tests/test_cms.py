"""The web editor at /admin/ (Decap CMS): its configuration is generated from the
one schema, learners' pages never load it, and a course saved through the form
in headless Chromium (decap-server, the local Git backend) is a file the
checker accepts, changed only in the lines of the fields changed (the course
format, tools/cms/course-format.js, run under Node against every course file)."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import shutil
import socket
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from chromium import browser, serve  # noqa: F401 (browser: a fixture)
from conftest import REPO, make_project

from site_builder import cms
from site_builder.jsonschema import MODELINE, Tables, shared_ids
from site_builder.schema import COURSE, Link, ListOf, Record, Ref, Text

DECAP_SERVER = REPO / "tools" / "cms" / "node_modules" / "decap-server" / "dist" / "index.js"


@pytest.fixture(scope="module")
def tables() -> Tables:
    return shared_ids(REPO)


@pytest.fixture(scope="module")
def config(tables) -> dict:
    return yaml.safe_load(cms.render(tables, cms.repository(REPO)))


def _walk(record: Record, fields: list[dict], path=""):
    """(path, schema field, form field) of every field, the form's in the schema's order."""
    assert [f["name"] for f in fields] == [f.name for f in record.fields], path
    for f, form in zip(record.fields, fields):
        yield f"{path}{f.name}", f, form
        kind = f.kind
        if isinstance(kind, ListOf) and isinstance(kind.item, Record):
            yield from _walk(kind.item, form["fields"], f"{path}{f.name}[].")
        elif isinstance(kind, Record):
            yield from _walk(kind, form["fields"], f"{path}{f.name}.")


def test_the_form_has_every_field_of_the_schema_in_its_order(config):
    collection, = config["collections"]
    seen = list(_walk(COURSE, collection["fields"]))
    assert len(seen) > 50
    for path, f, form in seen:
        assert form["hint"].startswith(f.doc), path
        if not (isinstance(f.kind, ListOf) and f.kind.minimum == 0):
            assert form["required"] is f.required, path
        elif f.required:  # an empty list is allowed, and written
            assert form["required"] is False and form["default"] == [], path


def test_a_text_is_one_field_per_site_language(config, tables):
    languages = list(tables.languages)
    collection, = config["collections"]
    for path, f, form in _walk(COURSE, collection["fields"]):
        if isinstance(f.kind, Text):
            assert form["widget"] == "object", path
            assert [sub["name"] for sub in form["fields"]] == languages, path
            assert all(sub["required"] is f.required for sub in form["fields"]), path
        if isinstance(f.kind, ListOf) and isinstance(f.kind.item, Text):
            assert [sub["name"] for sub in form["fields"]] == languages, path


def test_references_are_selects_of_the_shared_ids(config, tables):
    collection, = config["collections"]
    refs = 0
    for path, f, form in _walk(COURSE, collection["fields"]):
        kind = f.kind.item if isinstance(f.kind, ListOf) else f.kind
        if isinstance(kind, Ref):
            refs += 1
            assert form["widget"] == "select", path
            assert form["options"] == list(tables[kind.table]) and form["options"], path
            assert form.get("multiple", False) is isinstance(f.kind, ListOf), path
    assert refs >= 7  # category, level, languages, regions, partners, venue, the run's languages


def test_links_refuse_http_and_dates_are_dates(config):
    collection, = config["collections"]
    for path, f, form in _walk(COURSE, collection["fields"]):
        if isinstance(f.kind, Link):
            pattern = re.compile(form["pattern"][0])
            assert pattern.match("https://example.org/apply") and pattern.match("mailto:a@example.org")
            assert not pattern.match("http://example.org/apply"), path
        if path.endswith(("updated", "start", "end", "deadline")):
            assert form["widget"] == "datetime" and form["time_format"] is False, path
            assert form["format"] == form["date_format"] == "YYYY-MM-DD", path


def test_the_collection_and_the_backend(config):
    collection, = config["collections"]
    assert (collection["folder"], collection["extension"], collection["format"]) == ("courses", "yml", cms.FORMAT)
    assert collection["slug"] == "{{fields.id}}"
    assert config["publish_mode"] == "editorial_workflow" and config["local_backend"] is True
    assert config["backend"]["name"] == "github"
    assert config["backend"].get("repo") == cms.repository(REPO).name


def test_the_repository_comes_from_mkdocs_yml(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: !ENV [SITE_URL, 'https://x.org/']\n")
    assert cms.repository(tmp_path) == cms.Repository(None, "main")
    (tmp_path / "mkdocs.yml").write_text("repo_url: https://github.com/some-org/catalog\nedit_uri: edit/trunk/docs/\n"
                                         "extra: {editor_auth_url: 'https://auth.example.org/'}\n")
    repo = cms.repository(tmp_path)
    assert repo == cms.Repository("some-org/catalog", "trunk", "https://auth.example.org")
    backend = cms.cms_config(shared_ids(REPO), repo)["backend"]
    assert (backend["repo"], backend["branch"], backend["base_url"]) == (
        "some-org/catalog", "trunk", "https://auth.example.org")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []
        self.imports = []  # what the page's module scripts import
        self._module = False

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("href", "src", "action", "data") and value]
        self._module = tag == "script" and ("type", "module") in attrs

    def handle_data(self, data):
        if self._module:
            self.imports += re.findall(r"""\bimport\b[^'"]*['"]([^'"]+)['"]""", data)

    def handle_endtag(self, tag):
        self._module = False


def test_learners_pages_load_nothing_of_the_editor(built_site):
    assert (built_site / "admin" / "index.html").is_file()  # the build writes the editor...
    pages = [p for p in built_site.rglob("*.html") if p.relative_to(built_site).parts[0] != "admin"]
    assert len(pages) > 10  # ...and no other page loads it
    for page in pages:
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        bad = [u for u in parser.urls if re.search(r"(^|/)admin(/|$)|decap", u)]
        assert not bad, f"{page.relative_to(built_site)} links the editor: {bad}"
    assert not list(REPO.joinpath("overrides").rglob("*admin*"))


def test_the_admin_folder_of_a_built_site(built_site, tmp_path):
    """write_admin on a built site: the page loads the vendored bundle only, and
    its config is render() of the project (generated at build time, never stale)."""
    root = built_site.parent
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    admin = cms.write_admin(site, root)
    assert sorted(p.name for p in admin.iterdir()) == sorted(
        ["index.html", "config.yml", "decap-cms.js", "decap-cms.js.LICENSE.txt", "LICENSE", "course-format.js", "yaml"])
    assert (admin / "config.yml").read_text(encoding="utf-8") == cms.render(shared_ids(root), cms.repository(root))
    html = (admin / "index.html").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(html)
    assert sorted(parser.urls) == ["config.yml", "decap-cms.js"]
    # The format and the YAML library: relative imports of files copied beside the page.
    assert sorted(parser.imports) == ["./course-format.js", "./yaml/index.js"]
    library = REPO / cms.YAML_LIBRARY
    shipped = sorted(p.relative_to(admin / "yaml").as_posix() for p in (admin / "yaml").rglob("*") if p.is_file())
    assert shipped == sorted(p.relative_to(library).as_posix() for p in library.rglob("*")
                             if p.is_file() and p.name != "package.json")
    assert all((admin / "yaml" / name).read_bytes() == (library / name).read_bytes() for name in shipped)
    assert "Eemeli Aro" in (admin / "yaml" / "LICENSE").read_text(encoding="utf-8")
    # The format is registered before Decap starts, and knows the first line the checker asks for.
    assert html.index("window.CMS_MANUAL_INIT = true") < html.index('src="decap-cms.js"') < html.index(
        "CMS.registerCustomFormat(") < html.index("CMS.init()")
    settings = json.loads(re.search(r'<script type="application/json" id="course-format">(.*?)</script>',
                                    html, re.S).group(1))
    assert (settings["name"], settings["modeline"]) == (cms.FORMAT, MODELINE)
    assert settings["shape"]["keys"] == [f.name for f in COURSE.fields]
    assert '<meta name="robots" content="noindex">' in html
    assert (admin / "decap-cms.js").read_bytes() == (REPO / cms.BUNDLE).read_bytes()
    assert "MIT License" in (admin / "LICENSE").read_text(encoding="utf-8")


def test_the_vendored_yaml_library_is_its_browser_build():
    library = REPO / cms.YAML_LIBRARY
    assert "Eemeli Aro" in (library / "LICENSE").read_text(encoding="utf-8")
    assert json.loads((library / "package.json").read_text(encoding="utf-8")) == {"type": "module"}
    found = 0
    for module in library.rglob("*.js"):  # ES modules importing one another, nothing else
        imports = re.findall(r"^(?:import|export)\b[^'\"\n]*from '([^']+)'", module.read_text(encoding="utf-8"), re.M)
        assert all(i.startswith(".") and (module.parent / i).resolve().is_file() for i in imports), (module, imports)
        found += len(imports)
    assert found > 50


def test_the_vendored_bundle_is_the_pinned_release():
    bundle = (REPO / cms.BUNDLE).read_text(encoding="utf-8")
    assert f'"{cms.CMS_VERSION}"' in bundle or f"decap-cms {cms.CMS_VERSION}" in bundle
    # Nothing fetched from a CDN at startup: no stylesheet, font or script host in it.
    assert not re.search(r"fonts\.googleapis|fonts\.gstatic|unpkg\.com|jsdelivr|cdnjs", bundle)


# ---------------------------------------------------------------------------
# The course format under Node: the same files the admin page loads
# ---------------------------------------------------------------------------

#: Run by Node in a folder holding the admin page's files: reads a JSON list of
#: jobs on stdin, {file, edits: [[path, value]...], id}, and prints for each the
#: text toFile gives for the data fromFile read and then edited as the form would.
_HARNESS = r"""
import YAML from './yaml/index.js';
import { courseYaml, TO_STRING } from './course-format.js';
import fs from 'node:fs';

const settings = JSON.parse(fs.readFileSync('settings.json', 'utf8'));
const jobs = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = [];
for (const job of jobs) {
  const text = fs.readFileSync(job.file, 'utf8');
  if (job.roundTrip) {  // the library alone: parse, then write back untouched
    out.push(YAML.parseDocument(text).toString(TO_STRING));
    continue;
  }
  const format = courseYaml(YAML, settings);
  // As Decap holds it: a copy of the data, not the object the format returned.
  const data = JSON.parse(JSON.stringify(format.fromFile(text)));
  for (const [path, value] of job.edits || []) {
    const last = path[path.length - 1];
    const parent = path.slice(0, -1).reduce((at, key) => at[key], data);
    if (value === '__delete__') delete parent[last]; else parent[last] = value;
  }
  if (job.newId) {  // a new course: the format has never read its file
    data.id = job.newId;
  }
  out.push(format.toFile(data, settings.shape.keys, {}));
}
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def node_format(tmp_path_factory):
    """run(jobs) -> texts: the course format and the vendored library under Node
    (the files write_admin puts in admin/, run as ES modules)."""
    if not shutil.which("node"):
        pytest.skip("Node.js not found: the course format is JavaScript")
    folder = tmp_path_factory.mktemp("format")
    site = folder / "site"
    admin = cms.write_admin(site, REPO)
    (admin / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    (admin / "harness.js").write_text(_HARNESS, encoding="utf-8")
    settings = json.loads(re.search(r'id="course-format">(.*?)</script>',
                                    (admin / "index.html").read_text(encoding="utf-8"), re.S).group(1))
    (admin / "settings.json").write_text(json.dumps(settings), encoding="utf-8")

    def run(jobs: list[dict]) -> list[str]:
        done = subprocess.run(["node", "harness.js"], cwd=admin, input=json.dumps(jobs), capture_output=True,
                              text=True, encoding="utf-8", timeout=60)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)
    return run


COURSE_FILES = sorted((REPO / "courses").glob("*.yml"))


def _changed(before: str, after: str) -> list[str]:
    """The lines a unified diff removes (-) and adds (+), without its headers."""
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_every_course_file_round_trips_byte_for_byte_through_the_yaml_library(node_format):
    """What keeps the lines a save does not touch: the library gives back each file as it was."""
    assert len(COURSE_FILES) > 20
    texts = node_format([{"file": str(path), "roundTrip": True} for path in COURSE_FILES])
    differ = [path.name for path, text in zip(COURSE_FILES, texts) if text != path.read_text(encoding="utf-8")]
    assert not differ


def test_a_save_with_no_change_gives_back_every_course_file(node_format):
    texts = node_format([{"file": str(path)} for path in COURSE_FILES])
    differ = [path.name for path, text in zip(COURSE_FILES, texts) if text != path.read_text(encoding="utf-8")]
    assert not differ


def test_a_one_field_change_is_a_diff_of_that_line_only(node_format):
    path = REPO / "courses" / "photonics-technology.yml"
    original = path.read_text(encoding="utf-8")
    cases = {
        "seats": ([[["offerings", 0, "seats"], 28]], ["-    seats: 30", "+    seats: 28"]),
        # a number field given as text by the form is no change; nor is a date
        "same": ([[["hours"], "96"], [["offerings", 0, "seats"], "30"], [["updated"], "2026-12-01"]], []),
        "title": ([[["title", "zh"], "光电技术"]], ["-  zh: 光电技术（参照世界技能大赛）", "+  zh: 光电技术"]),
        "flow item": ([[["modules", 1, "topics", 0, "en"], "Beam walking"]],
                      ["-      - {en: Two-mirror beam walking, zh: 双反射镜光束调整法}",
                       "+      - {en: Beam walking, zh: 双反射镜光束调整法}"]),
        "flow list": ([[["regions"], ["china", "thailand"]]],
                      ["-regions: [china, thailand, jamaica]", "+regions: [china, thailand]"]),
        # an optional text cleared in the form ({en: "", zh: ""}) is left out
        "cleared": ([[["offerings", 1, "note"], {"en": "", "zh": ""}]],
                    ["-    note:", "-      en: Weeks 1–6 online for the theory, with no lesson on 5 April (Qingming "
                     "Festival); weeks 7–8 in the photonics lab on campus for all the practical work.",
                     "-      zh: 第1至6周线上学习理论，4月5日（清明节）停课；第7至8周到校在光电实训室完成全部实操训练。"]),
        # fields the form adds empty are not written; a new one goes where the schema puts it
        "added": ([[["offerings", 0, "timezone"], ""], [["offerings", 0, "apply"], "https://example.org/a"],
                   [["glossary", 0, "pinyin"], ""]],
                  ["+    apply: https://example.org/a"]),
        # a line of a block text: that line (the text box's lost last line break is no change)
        "block": ([[["description", "en"], yaml.safe_load(original)["description"]["en"]
                    .replace("with lasers,", "with a laser,").rstrip("\n")]],
                  ["-    work of a photonics technician task by task. You will work on an optical table with lasers,",
                   "+    work of a photonics technician task by task. You will work on an optical table with a laser,"]),
    }
    texts = node_format([{"file": str(path), "edits": edits} for edits, _ in cases.values()])
    for (name, (_, expected)), text in zip(cases.items(), texts):
        assert _changed(original, text) == expected, name
        assert text.startswith(MODELINE + "\n"), name


def test_a_list_item_added_or_removed_touches_only_its_lines(node_format):
    path = REPO / "courses" / "photonics-technology.yml"
    original = path.read_text(encoding="utf-8")
    data = yaml.load(original, Loader=yaml.BaseLoader)
    topics = data["modules"][1]["topics"]
    added, removed = node_format([
        {"file": str(path), "edits": [[["modules", 1, "topics"], [*topics, {"en": "Fiber lasers", "zh": "光纤激光器"}]]]},
        {"file": str(path), "edits": [[["modules", 1, "topics"], [topics[0], topics[2]]]]},
    ])
    assert _changed(original, added) == ["+      - {en: Fiber lasers, zh: 光纤激光器}"]  # in its neighbours' style
    assert _changed(original, removed) == ["-      - {en: Collimation and focusing with lenses, zh: 透镜准直与聚焦}"]


def test_a_new_course_is_written_in_the_schemas_order_and_accepted(node_format, tmp_path):
    path = REPO / "courses" / "photonics-technology.yml"
    made, = node_format([{"file": str(path), "newId": "photonics-copy",
                          "edits": [[["glossary", 0, "pinyin"], ""], [["offerings", 0, "timezone"], ""]]}])
    assert made.startswith(MODELINE + "\n")
    keys = list(yaml.safe_load(made))
    assert keys == [f.name for f in COURSE.fields if f.name in keys]
    assert "pinyin" not in made and "timezone" not in made  # nothing empty
    assert "\ninstruction_languages:\n  - zh\n  - en\n" in made  # block style
    checked = make_project(tmp_path / "checked", real_courses=True)
    problems = _problems(checked, "photonics-copy.yml", made)
    assert not [p for p in problems if p.severity == "error"], _shown(problems) + [made]


# ---------------------------------------------------------------------------
# End to end: headless Chromium, decap-server in git mode on a copy of the project
# ---------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _git(root: Path, *args) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
                          cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def local_editor(tmp_path):
    """(the editor's URL, the project): a git copy of the project with every real
    course, decap-server (git mode) on it, the admin page served on localhost."""
    if not shutil.which("node"):
        pytest.skip("Node.js not found: the editor's local backend (decap-server) needs it")
    if not DECAP_SERVER.is_file():
        pytest.skip("decap-server is not installed: run  npm ci --prefix tools/cms")

    root = make_project(tmp_path / "project", real_courses=True)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "The catalog")
    site = tmp_path / "site"
    cms.write_admin(site, root)
    port = _free_port()
    config = cms.cms_config(shared_ids(root), cms.repository(root))
    config["local_backend"] = {"url": f"http://localhost:{port}/api/v1"}
    (site / "admin" / "config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                               encoding="utf-8")
    env = dict(os.environ, PORT=str(port), GIT_REPO_DIRECTORY=str(root), MODE="git", BIND_HOST="127.0.0.1")
    log = (tmp_path / "decap-server.log").open("w")
    server = subprocess.Popen(["node", str(DECAP_SERVER)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("decap-server did not start: " + (tmp_path / "decap-server.log").read_text())
                time.sleep(0.1)
        with serve(site) as url:
            yield url.replace("127.0.0.1", "localhost") + "admin/", root
    finally:
        server.terminate()
        server.wait(10)
        log.close()


def _field(scope, name: str):
    """The control (or the group) of the field ``name`` within ``scope``, the first in the form."""
    return scope.locator(f'[id^="{name}-field-"]:visible').first


def _text(scope, name: str, texts: dict):
    """Fill the text ``name`` (the item itself when "") in each language."""
    group = _field(scope, name) if name else scope
    for lang, text in texts.items():
        _field(group, lang).fill(text)


def _choose(scope, name: str, *values):
    control = _field(scope, name)
    for value in values:
        control.click()
        control.fill(value)
        control.press("Enter")


def _add(scope, name: str):
    """Add one item to the list ``name``; the new item (the last one)."""
    group = _field(scope, name)
    group.get_by_role("button", name=re.compile(r"^Add ")).first.click()
    return group


def _open_run(page, run_id: str):
    """Open the run ``run_id`` of the course in the editor; the list of runs."""
    offerings = _field(page, "offerings")
    # A run's summary (its id) below its top bar, whose first button opens it.
    run = offerings.get_by_text(run_id, exact=True)
    run.locator("xpath=preceding-sibling::div[1]//button").first.click()
    _field(offerings, "seats").wait_for()
    return offerings


def _login(page, url):
    page.goto(url)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name="Courses").first.wait_for()


def _save(page):
    page.get_by_role("button", name="Save").click()
    # The editor's status line turns from "Unsaved changes" to "Changes saved".
    page.get_by_text("Changes saved").first.wait_for(timeout=15_000)


def _problems(root: Path, name: str, text: str) -> list:
    """What the checker says of ``text`` as courses/``name`` of the project at
    ``root`` (a copy: decap-server's repository must stay clean)."""
    from site_builder.readers import read_catalog

    (root / "courses" / name).write_text(text, encoding="utf-8")
    _, problems = read_catalog(root, missing_translation="error")
    return [p for p in problems if Path(p.path).name == name]


def _shown(problems) -> list[str]:
    return [f"{p.line}: {p.field}: {p.found} / {p.expected}" for p in problems]


@pytest.mark.browser
def test_a_course_made_and_a_run_edited_in_the_browser_pass_the_checker(browser, local_editor, tmp_path):
    url, root = local_editor
    checked = make_project(tmp_path / "checked", real_courses=True)  # where saved files are checked
    today = dt.date.today().isoformat()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    # The admin page asks nothing of another host (the page, its bundle and config; decap-server).
    hosts = set()
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    _login(page, url)

    # 1. A new course: every required field, both languages.
    page.goto(url + "#/collections/courses/new")
    _field(page, "id").fill("fiber-splicing-basics")
    _field(page, "code").fill("OPT-103")
    _text(page, "title", {"en": "Fiber Splicing Basics", "zh": "光纤熔接基础"})
    _text(page, "summary", {"en": "Splice and test optical fiber on the job.", "zh": "在岗位上熔接并测试光纤。"})
    _text(page, "description", {"en": "Hands-on fiber splicing.\n\n**Bring** safety glasses.",
                                "zh": "光纤熔接实训。\n\n请携带护目镜。"})
    _choose(page, "category", "optoelectronics")
    _choose(page, "level", "foundation")
    _field(page, "hours").fill("40")
    _choose(page, "delivery", "onsite")
    _choose(page, "instruction_languages", "zh", "en")
    _text(page, "audience", {"en": "Technicians new to fiber.", "zh": "初次接触光纤的技术人员。"})
    _text(_add(page, "outcomes"), "", {"en": "Splice fiber with a loss under 0.1 dB.", "zh": "熔接损耗低于0.1 dB。"})
    modules = _add(page, "modules")
    _text(modules, "title", {"en": "Splicing", "zh": "熔接"})
    _field(modules, "hours").fill("40")
    topics = _add(modules, "topics")
    _text(topics, "", {"en": "Cleaving and fusion splicing", "zh": "切割与熔接"})
    assessment = _add(page, "assessment")
    _text(assessment, "method", {"en": "Practical test on a splicer", "zh": "熔接机实操考核"})
    _field(assessment, "weight").fill("100")
    _text(page, "certification", {"en": "Certificate of completion", "zh": "结业证书"})
    _text(page, "requirements", {"en": "Secondary school.", "zh": "中学学历。"})
    contact = _field(page, "contact")
    _text(contact, "name", {"en": "Admissions office", "zh": "招生办公室"})
    _field(contact, "email").fill("admissions@example.org")
    _choose(page, "status", "planned")
    _field(page, "updated").fill(today)
    _save(page)

    # Saving with the editorial workflow is a branch of its own (a pull request on GitHub).
    assert "cms/courses/fiber-splicing-basics" in _git(root, "branch", "--list", "cms/*")
    assert not (root / "courses" / "fiber-splicing-basics.yml").exists()  # main is untouched
    made = _git(root, "show", "cms/courses/fiber-splicing-basics:courses/fiber-splicing-basics.yml")
    # The first line code editors read the schema from; keys in the schema's
    # order, every required one present.
    assert made.startswith(MODELINE + "\n"), made
    keys = list(yaml.safe_load(made))
    assert keys == [f.name for f in COURSE.fields if f.name in keys], keys
    assert {f.name for f in COURSE.fields if f.required} <= set(keys), keys
    problems = _problems(checked, "fiber-splicing-basics.yml", made)
    assert not [p for p in problems if p.severity == "error"], _shown(problems) + [made]
    (checked / "courses" / "fiber-splicing-basics.yml").unlink()

    # 2. An existing course: change a run's seats (its own branch again).
    page.goto(url + "#/collections/courses/entries/photonics-technology")
    page.reload()  # a fresh editor (after a save the old one may still be on its way out)
    offerings = _open_run(page, "2026-06-chongqing")
    seats = _field(offerings, "seats")
    seats.fill("28")
    _save(page)
    edited = _git(root, "show", "cms/courses/photonics-technology:courses/photonics-technology.yml")
    # The file as it was but the seats' line: its first-line comment, every
    # other comment, its long lines, flow lists and block texts are kept.
    original = (REPO / "courses" / "photonics-technology.yml").read_text(encoding="utf-8")
    assert _changed(original, edited) == ["-    seats: 30", "+    seats: 28"]
    comments = [line for line in original.splitlines() if line.lstrip().startswith("#")]
    assert comments[0] == MODELINE and edited.startswith(MODELINE + "\n")
    assert comments == [line for line in edited.splitlines() if line.lstrip().startswith("#")]
    problems = _problems(checked, "photonics-technology.yml", edited)
    assert not [p for p in problems if p.severity == "error"], _shown(problems)

    # 2b. A title in one language: that line only (to the same branch).
    page.reload()
    _text(page, "title", {"zh": "光电技术（世界技能大赛模式）"})
    _save(page)
    titled = _git(root, "show", "cms/courses/photonics-technology:courses/photonics-technology.yml")
    assert _changed(edited, titled) == ["-  zh: 光电技术（参照世界技能大赛）", "+  zh: 光电技术（世界技能大赛模式）"]

    # 3. Wrong values: an http:// link is refused by the form; an end before the
    #    start is saved by the form and reported by the checker, with its line.
    offerings = _open_run(page, "2026-06-chongqing")  # saving closed it
    apply = _field(offerings, "apply")
    apply.fill("http://example.org/apply")
    page.get_by_role("button", name="Save").click()
    page.get_by_text(re.compile(r"apply didn't match the pattern: " + re.escape(str(Link().expected)), re.I)).wait_for()
    assert "http://" not in _git(root, "show", "cms/courses/photonics-technology:courses/photonics-technology.yml")
    apply.clear()  # (fill() alone would add to the refused text in this widget)
    apply.fill("https://example.org/apply")
    _field(offerings, "end").fill("2026-06-01")  # before the run's start, 2026-06-22
    _save(page)
    edited = _git(root, "show", "cms/courses/photonics-technology:courses/photonics-technology.yml")
    # The new field where the schema puts it (before the note), the end's line changed.
    assert _changed(titled, edited) == ["-    end: 2026-08-14", "+    end: 2026-06-01",
                                        "+    apply: https://example.org/apply"]
    problems = [p for p in _problems(checked, "photonics-technology.yml", edited) if p.severity == "error"]
    line = next(i for i, text in enumerate(edited.splitlines(), 1) if text.strip() == "end: 2026-06-01")
    assert [(p.field, p.line) for p in problems] == [("offerings[0].end", line)], _shown(problems)

    # 4. A new run of the course, added through the form: new lines only, accepted.
    page.reload()
    offerings = _add(page, "offerings")
    start = dt.date.today() + dt.timedelta(days=150)
    run = {"id": f"{start:%Y-%m}-new-run", "start": start.isoformat(),
           "end": (start + dt.timedelta(days=11)).isoformat(),
           "deadline": (start - dt.timedelta(weeks=10)).isoformat()}
    def last(name):  # the field of the new run: the last of its name
        return offerings.locator(f'[id^="{name}-field-"]:visible').last

    last("id").fill(run["id"])
    for name in ("start", "end", "deadline"):
        last(name).fill(run[name])
    for name, value in (("status", "open"), ("delivery", "onsite"), ("venue", "cquet-chongqing")):
        control = last(name)
        control.click()
        control.fill(value)
        control.press("Enter")
    languages = last("instruction_languages")
    languages.click()
    languages.fill("en")
    languages.press("Enter")
    last("entry_levels").locator('[id^="en-field-"]:visible').first.fill("CEFR B1")  # in English
    last("seats").fill("20")
    fee_type = last("type")
    fee_type.click()
    fee_type.fill("paid")
    fee_type.press("Enter")
    last("amount").fill("5200")
    currency = last("currency")
    currency.click()
    currency.fill("CNY")
    currency.press("Enter")
    last("apply").fill("https://example.org/apply/new-run")
    _save(page)
    added = _git(root, "show", "cms/courses/photonics-technology:courses/photonics-technology.yml")
    changed = _changed(edited, added)
    assert changed and all(line.startswith("+") for line in changed), changed
    assert f"+  - id: {run['id']}" in changed, "\n".join(changed)
    problems = [p for p in _problems(checked, "photonics-technology.yml", added) if p.severity == "error"]
    assert [p.field for p in problems] == ["offerings[0].end"], _shown(problems)  # step 3's, on purpose
    assert run["id"] in [o["id"] for o in yaml.safe_load(added)["offerings"]]

    assert {host.split(":")[0] for host in hosts} == {"localhost"}, hosts  # the page and decap-server
