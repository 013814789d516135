"""`python -m site_builder new`: a new faculty member starts a course file."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
import subprocess

import pytest

from conftest import PYTHON, make_project

from site_builder.jsonschema import MODELINE
from site_builder.loader import load_file
from site_builder.messages import SOURCE_LANGUAGE
from site_builder.readers import read_catalog
from site_builder.schema import COURSE, Record, Text, stub
from site_builder.settings import site_languages

#: Its outcome depends on a date: run again with the clock moved (.ci/run).
pytestmark = pytest.mark.dates

LANGUAGES = site_languages(Path(__file__).resolve().parent.parent).codes


def new(root, *args):
    return subprocess.run([PYTHON, "-m", "site_builder", "--root", str(root), "new", *args],
                          capture_output=True, text=True)


def check(root, *args, lang=None):
    language = ["--lang", lang] if lang else []
    return subprocess.run([PYTHON, "-m", "site_builder", "--root", str(root), *language, "check", *args],
                          capture_output=True, text=True)


def fenced_text(guide) -> list[str]:
    """The ```text blocks of a guide: what it shows the tools print."""
    import re

    return re.findall(r"```text\n(.*?)```", guide.read_text(encoding="utf-8"), re.S)


def text_paths(kind, value, path=()):
    """Every (path, Localized-mapping) a raw course value holds where the schema has a Text."""
    if isinstance(kind, Text):
        yield path, value
    elif isinstance(kind, Record):
        for f in kind.fields:
            if isinstance(value, dict) and f.name in value:
                yield from text_paths(f.kind, value[f.name], path + (f.name,))
    elif hasattr(kind, "item") and isinstance(value, list):
        for i, item in enumerate(value):
            yield from text_paths(kind.item, item, path + (i,))


@pytest.fixture
def scaffolded(project):
    run = new(project, "solar-pv-installation", "--category", "optoelectronics")
    assert run.returncode == 0, run.stderr
    return project, project / "courses" / "solar-pv-installation.yml", run


def test_new_course_has_every_field_and_both_languages_stubbed(scaffolded):
    project, path, run = scaffolded
    assert "courses/solar-pv-installation.yml" in run.stdout + run.stderr
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    doc = load_file(path, "courses/solar-pv-installation.yml")
    # Every field of the one schema, in schema order (required or not).
    assert list(doc.data) == [f.name for f in COURSE.fields]
    assert doc.data["id"] == "solar-pv-installation"
    assert doc.data["category"] == "optoelectronics"
    assert doc.data["updated"] == dt.date.today().isoformat()
    texts = list(text_paths(COURSE, doc.data))
    assert {p[0] for p, _ in texts} == {f.name for f in COURSE.fields if _has_text(f.kind)}
    for where, value in texts:
        assert {k: v.strip() for k, v in value.items()} == {lang: stub(lang) for lang in LANGUAGES}, where


def _has_text(kind) -> bool:
    if isinstance(kind, Text):
        return True
    if isinstance(kind, Record):
        return any(_has_text(f.kind) for f in kind.fields)
    return hasattr(kind, "item") and kind.minimum > 0 and _has_text(kind.item)


def test_new_course_code_is_valid_and_unused(scaffolded):
    project, path, _ = scaffolded
    catalog, _ = read_catalog(project)
    code = catalog.courses["solar-pv-installation"].code
    others = {c.code for c in catalog.courses.values() if c.id != "solar-pv-installation"}
    assert code not in others
    # The prefix the category's courses already use (the fixture courses are OPT-xxx).
    assert re.fullmatch(r"OPT-[0-9]{3}", code)


def test_new_course_checks_with_only_placeholder_warnings(scaffolded):
    project, path, _ = scaffolded
    catalog, problems = read_catalog(project)
    assert "solar-pv-installation" in catalog.courses
    assert problems.errors == []
    mine = [p for p in problems if p.path == "courses/solar-pv-installation.yml"]
    assert mine and all(p.severity == "warning" and str(p.found).startswith('the placeholder "')
                        for p in mine)
    assert any(p.field == "contact.email" and "todo@example.org" in str(p.found) for p in mine)
    # Plain check passes (a preview can be built), strict check (CI) does not.
    assert check(project).returncode == 0
    strict = check(project, "--strict")
    assert strict.returncode == 1
    assert "Traceback" not in strict.stderr
    assert 'courses/solar-pv-installation.yml:13:7: title.en: the placeholder "TODO(en)"' in strict.stderr


def test_filled_in_course_passes_strict_check(scaffolded):
    project, path, _ = scaffolded
    text = path.read_text(encoding="utf-8")
    n = iter(range(1, 100))
    text = re.sub(r"TODO\((en|zh)\)", lambda m: f"Text {next(n)}" if m.group(1) == "en" else f"文本{next(n)}", text)
    text = text.replace("todo@example.org", "solar-training@example.org")
    path.write_text(text, encoding="utf-8")
    run = check(project, "--strict")
    assert run.returncode == 0, run.stderr


def test_existing_id_is_refused_and_the_file_kept(scaffolded):
    project, path, _ = scaffolded
    before = path.read_bytes()
    run = new(project, "solar-pv-installation", "--category", "optoelectronics")
    assert run.returncode == 1
    assert "courses/solar-pv-installation.yml already exists" in run.stderr
    assert "Traceback" not in run.stderr
    assert path.read_bytes() == before
    # An existing course of the catalog, too.
    original = (project / "courses" / "photonics-technology.yml").read_bytes()
    run = new(project, "photonics-technology", "--category", "optoelectronics")
    assert run.returncode == 1 and "already exists" in run.stderr
    assert (project / "courses" / "photonics-technology.yml").read_bytes() == original


@pytest.mark.parametrize("bad", ["Solar PV", "solar_pv", "solar-", "solar--pv", "Solar", "solar.pv", "../escape"])
def test_invalid_id_is_refused(project, bad):
    files = sorted(p.name for p in (project / "courses").iterdir())
    run = new(project, bad, "--category", "optoelectronics")
    assert run.returncode == 1
    assert f'course id "{bad}": not a valid id; expected lowercase letters, digits and single hyphens' in run.stderr
    assert "Traceback" not in run.stderr
    assert sorted(p.name for p in (project / "courses").iterdir()) == files
    assert not (project / "escape.yml").exists()


def test_unknown_category_is_refused_with_the_known_ones(project):
    run = new(project, "solar-pv-installation", "--category", "solar")
    assert run.returncode == 1
    assert 'category "solar": not in courses/_shared/categories.yml; expected one of optoelectronics, automotive' in run.stderr
    assert not (project / "courses" / "solar-pv-installation.yml").exists()


def test_every_mistake_is_reported_at_once(project):
    run = new(project, "Bad Id", "--category", "nope")
    assert run.returncode == 1
    assert 'course id "Bad Id"' in run.stderr and 'category "nope"' in run.stderr


def test_a_category_without_courses_gets_a_code_from_its_id(tmp_path):
    root = make_project(tmp_path / "p")
    run = new(root, "everyday-chinese", "--category", "chinese-culture")
    assert run.returncode == 0, run.stderr
    catalog, problems = read_catalog(root)
    assert catalog.courses["everyday-chinese"].code == "CHI-101"
    assert problems.errors == []


@pytest.mark.parametrize("guide", ["CONTRIBUTING.md", "CONTRIBUTING.zh.md"])
def test_the_contributors_guide_shows_real_messages(project, guide):
    """The guide's example: a new course, partly filled in, with two mistakes."""
    import shutil

    from conftest import REPO

    shutil.copy(REPO / "editorial.yml", project / "editorial.yml")  # the guide's project has its house rules
    assert new(project, "solar-pv-installation", "--category", "iot-electronics").returncode == 0
    path = project / "courses" / "solar-pv-installation.yml"
    text = path.read_text(encoding="utf-8")
    for field, en, zh in (("title", "Solar PV Installation", "光伏系统安装"),
                          ("summary", "Install and test rooftop solar panels safely.", "安全地安装并测试屋顶光伏组件。")):
        text = text.replace(f"{field}:\n  en: TODO(en)\n  zh: TODO(zh)", f"{field}:\n  en: {en}\n  zh: {zh}")
    text = text.replace("level: foundation", "level: beginner").replace("\nhours: 24\n", "\nhours: 80\n")
    text = text.replace("certification:\n  en: TODO(en)\n  zh: TODO(zh)",
                        "certification:\n  en: Solar PV installer certificate\n  zh:")
    path.write_text(text, encoding="utf-8")
    # The guide's language is in its name (CONTRIBUTING.zh.md); its examples show the messages in it.
    parts = guide.split(".")
    lang = parts[1] if len(parts) == 3 else SOURCE_LANGUAGE
    checked = check(project, "--report", "courses/solar-pv-installation.yml", lang=lang)
    output = checked.stdout + checked.stderr
    shown = [line for block in fenced_text(REPO / guide) if "solar-pv-installation" in block
             for line in block.splitlines() if line.strip() and line.strip() != "..."]
    assert len(shown) >= 12
    for line in shown:
        assert line in output.splitlines(), line


def write_every_placeholder(text: str) -> str:
    """The scaffold's file with each placeholder written, as an author would."""
    import re

    count = iter(range(1, 10_000))
    for lang in LANGUAGES:
        text = re.sub(re.escape(stub(lang)),
                      lambda m: f"Sample text {next(count)}." if lang == LANGUAGES[0] else f"示例文字{next(count)}。",
                      text)
    return text.replace("todo@example.org", "admissions@example.org")


def uncomment_the_example_offering(text: str) -> str:
    """What the scaffold's comment says to do: remove the [] and the '# ' before the example."""
    import re

    text = text.replace("offerings: []\n", "")
    text = re.sub(r"(?m)^# For example.*\n", "", text)
    return re.sub(r"(?m)^# (offerings:|  )", r"\1", text)


@pytest.mark.parametrize("with_offering", [False, True])
def test_the_scaffold_passes_the_house_rules_once_its_texts_are_written(tmp_path, with_offering):
    import shutil

    from conftest import REPO

    root = make_project(tmp_path / "p", real_courses=True)
    shutil.copy(REPO / "editorial.yml", root / "editorial.yml")
    assert new(root, "solar-pv-installation", "--category", "iot-electronics").returncode == 0
    path = root / "courses" / "solar-pv-installation.yml"
    text = write_every_placeholder(path.read_text(encoding="utf-8"))
    if with_offering:
        text = uncomment_the_example_offering(text)
        import re

        assert re.search(r"\nofferings:\n(?:  #.*\n)*  - id: ", text), text
    path.write_text(text, encoding="utf-8")
    run = check(root, "--strict", "courses/solar-pv-installation.yml")
    assert run.returncode == 0, run.stderr
    assert "courses/solar-pv-installation.yml:" not in run.stderr, run.stderr  # not even a warning
    catalog, _ = read_catalog(root)
    assert len(catalog.courses["solar-pv-installation"].offerings) == (1 if with_offering else 0)
