"""Translation status: check --report, --strict, the preview notice, the status page,
and problems as GitHub annotations."""

from __future__ import annotations

import re
import subprocess
from html import unescape

import pytest

from site_builder.messages import SOURCE_LANGUAGE
from conftest import PYTHON, base_course, course_yaml, make_project, sample_courses
from htmlcheck import Page

from site_builder.pipeline import build
from site_builder.problems import Problem
from site_builder.readers import read_catalog
from site_builder.report import annotation, translation_gaps, where


def cli(root, *args):
    return subprocess.run([PYTHON, "-m", "site_builder", "--root", str(root), *args],
                          capture_output=True, text=True)


def half_translated() -> dict:
    """The fixture course with a missing Chinese summary, a placeholder English outcome
    and a missing Chinese module topic."""
    data = base_course()
    data["summary"]["zh"] = ""
    data["outcomes"][1]["en"] = "TODO(en)"
    data["modules"][2]["topics"][0].pop("zh")
    return data


@pytest.fixture
def preview_project(tmp_path):
    courses = sample_courses()
    courses["photonics-technology.yml"] = course_yaml(half_translated())
    return make_project(tmp_path / "project", courses)


def test_gaps_of_a_course_per_language(preview_project):
    catalog, problems = read_catalog(preview_project)
    gaps = translation_gaps(catalog.courses["photonics-technology"], catalog.site_languages)
    assert [(g.field, g.reason) for g in gaps["en"]] == [("outcomes[1]", "stub")]
    assert [(g.field, g.reason) for g in gaps["zh"]] == [("summary", "missing"),
                                                          ("modules[2].topics[0]", "missing")]
    assert not any(translation_gaps(catalog.courses["laser-processing"], catalog.site_languages).values())
    # While authoring they are warnings, located like every other problem.
    assert problems.errors == []
    assert sorted(p.field for p in problems.warnings) == [
        "modules[2].topics[0].zh", "outcomes[1].en", "summary.zh"]


def test_gaps_carry_the_text_shown_in_their_place(preview_project):
    catalog, _ = read_catalog(preview_project)
    gaps = translation_gaps(catalog.courses["photonics-technology"], catalog.site_languages)
    source = base_course()
    assert [(g.source, g.text) for g in gaps["en"]] == [("zh", source["outcomes"][1]["zh"])]
    assert [(g.source, g.text) for g in gaps["zh"]] == [
        ("en", " ".join(source["summary"]["en"].split())), ("en", source["modules"][2]["topics"][0]["en"])]


def test_where_counts_from_one_in_the_pages_words():
    t = {"field_summary": "Summary", "modules": "Modules", "topics": "Topics"}
    assert where(("summary",), t) == "Summary"
    assert where(("modules", 0, "topics", 2), t) == "Modules 1 › Topics 3"
    assert where(("offerings", 1, "note"), t) == "offerings 2 › note"  # no label: the field's name


def test_check_report_lists_each_gap_with_its_line_and_source_text(preview_project):
    run = cli(preview_project, "check", "--report")
    assert run.returncode == 0, run.stderr
    report = run.stdout.splitlines()
    source = base_course()
    summary = " ".join(source["summary"]["en"].split())
    empty_zh = line_of(preview_project, "  zh: ''", "summary:")
    assert report[:6] == [
        "courses/photonics-technology.yml: not complete",
        "  en (English): 1 part not written in English yet",
        f"    1. line {line_of(preview_project, '- en: TODO(en)', 'outcomes:')}: Learning outcomes 2 "
        f"(placeholder); source (Chinese): \"{source['outcomes'][1]['zh']}\"",
        "  zh (Chinese): 2 parts not written in Chinese yet",
        f"    1. line {empty_zh}: 课程简介 (missing); "
        f"source (English): \"{summary[:97]}...\"",
        f"    2. line {topic_line(preview_project)}: 课程模块 3 › 主要内容 1 (missing); source (English): "
        f"\"{source['modules'][2]['topics'][0]['en']}\""]
    assert sorted(report[6:8]) == ["courses/laser-processing.yml: complete",
                                   "courses/optical-fiber-communication.yml: complete"]
    assert report[8:] == ["translation status: 2 of 3 courses complete in English and Chinese"]
    # Each line is the line of the check's message about that text.
    for number in re.findall(r"^    \d+\. line (\d+):", run.stdout, re.M):
        assert f"courses/photonics-technology.yml:{number}:" in run.stderr


def topic_line(root) -> int:
    """The line of the third module's first topic (its Chinese text is missing)."""
    data = base_course()
    topic = data["modules"][2]["topics"][0]["en"]
    lines = (root / "courses" / "photonics-technology.yml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if topic in line)


def test_the_report_and_the_preview_notice_list_the_same_parts(preview_project):
    """Same gaps, same count, same words for where, in each language."""
    assert build(preview_project) == 0
    report = cli(preview_project, "check", "--report").stdout
    for lang, prefix in (("en", ""), ("zh", "zh/")):
        html = (preview_project / "site" / prefix / "courses/photonics-technology/index.html").read_text(
            encoding="utf-8")
        notice = re.search(r'<div class="cc-notice cc-untranslated".*?</ul>', html, re.S).group(0)
        shown = [unescape(item).strip() for item in re.findall(r"<li>(.*?)</li>", notice, re.S)]
        block = re.search(rf"^  {lang} \(.*?(?=^  \S|^\S|\Z)", report, re.M | re.S).group(0)
        listed = re.findall(r"^    (\d+)\. line \d+: (.*) \((?:missing|placeholder)\);", block, re.M)
        assert [int(n) for n, _ in listed] == list(range(1, len(shown) + 1))
        assert [where for _, where in listed] == shown and shown


def line_of(root, text: str, after: str) -> int:
    """The line number of the first line equal to ``text`` after the line ``after``."""
    lines = (root / "courses" / "photonics-technology.yml").read_text(encoding="utf-8").splitlines()
    return lines.index(text, lines.index(after)) + 1


def test_plain_check_shows_the_gaps_and_passes_strict_check_fails(preview_project):
    plain = cli(preview_project, "check")
    assert plain.returncode == 0
    line = line_of(preview_project, "  zh: ''", "summary:")
    assert f"courses/photonics-technology.yml:{line}:7: warning: summary.zh: nothing; expected the Chinese summary" \
        in plain.stderr
    assert "not fully translated yet: 1 course (photonics-technology)" in plain.stderr
    assert "checked 3 courses: no errors, 3 warnings" in plain.stderr
    strict = cli(preview_project, "check", "--strict")
    assert strict.returncode == 1
    assert f"courses/photonics-technology.yml:{line}:7: summary.zh: nothing; expected the Chinese summary" \
        in strict.stderr
    assert "3 problems found in course files" in strict.stderr
    assert "Traceback" not in strict.stderr


def test_check_on_named_files_reports_only_those(tmp_path):
    broken = base_course()
    broken["title"]["zh"] = ""
    other = base_course()
    other.update(id="laser-processing", code="OPT-202", level="expert")
    root = make_project(tmp_path / "p", {"photonics-technology.yml": course_yaml(broken),
                                         "laser-processing.yml": course_yaml(other)})
    everything = cli(root, "check", "--strict")
    assert "photonics-technology.yml" in everything.stderr and "laser-processing.yml" in everything.stderr
    one = cli(root, "check", "--strict", str(root / "courses" / "laser-processing.yml"))
    assert one.returncode == 1
    assert 'courses/laser-processing.yml:' in one.stderr and "photonics-technology.yml:" not in one.stderr
    fine = cli(root, "check", "--strict", str(root / "courses" / "photonics-technology.yml"))
    assert fine.returncode == 1 and "title.zh" in fine.stderr and "laser-processing.yml:" not in fine.stderr


def test_github_format_prints_annotations(preview_project):
    data = base_course()
    data["title"]["zh"] = ""
    (preview_project / "courses" / "photonics-technology.yml").write_text(course_yaml(data), encoding="utf-8")
    line = line_of(preview_project, "  zh: ''", "title:")
    run = cli(preview_project, "--lang", SOURCE_LANGUAGE, "check", "--format", "github")  # all: test_messages
    assert run.returncode == 0
    assert run.stdout.splitlines() == [
        f"::warning file=courses/photonics-technology.yml,line={line},col=7::"
        "title.zh: nothing; expected the Chinese title (non-empty text)"]
    strict = cli(preview_project, "check", "--strict", "--format", "github")
    assert strict.returncode == 1
    assert strict.stdout.startswith(f"::error file=courses/photonics-technology.yml,line={line},col=7::title.zh: ")


def test_annotation_escapes_what_github_would_misread():
    problem = Problem("courses/a,b:c.yml", 3, 9, "summary.en", "50% done\r\nsecond line",
                      "one line")
    assert annotation(problem) == ("::error file=courses/a%2Cb%3Ac.yml,line=3,col=9::"
                                   "summary.en: 50%25 done%0D%0Asecond line; expected one line")
    warning = Problem("courses/x.yml", 1, 1, "", "no field", "a field", "warning")
    assert annotation(warning) == "::warning file=courses/x.yml,line=1,col=1::no field; expected a field"


def test_preview_build_marks_untranslated_parts(preview_project):
    assert build(preview_project) == 0
    site = preview_project / "site"
    zh = Page(site / "zh/courses/photonics-technology/index.html")
    notes = [a for t, a in zh.elements if t == "div" and "cc-untranslated" in a.get("class", "")]
    assert len(notes) == 1 and notes[0].get("role") == "note"
    text = zh.text
    assert "预览：尚未提供中文。" in text
    assert "课程简介" in text and "课程模块 3 › 主要内容 1" in text
    # The untranslated summary is shown in the language it is written in.
    english_summary = base_course()["summary"]["en"]
    assert english_summary.split(" ")[0] in text
    # ... and marked as that language, where it stands, on the page and on its card.
    html = (site / "zh/courses/photonics-technology/index.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="cc-summary" data-pair="summary" lang="en">', html)
    assert re.search(r'<li data-pair="topic-2-0" lang="en">', html)
    assert '<h1 id="title" data-pair="h-title">' in html  # written in Chinese: no lang
    assert '<p data-pair="audience">' in html and '<li data-pair="topic-2-1">' in html
    card = (site / "zh/catalog/index.html").read_text(encoding="utf-8")
    assert '<p class="cc-card__summary" lang="en">' in card
    en = Page(site / "courses/photonics-technology/index.html")
    assert "Preview: not yet written in English." in en.text and "Learning outcomes 2" in en.text
    # A complete course has no notice.
    assert "cc-untranslated" not in (site / "zh/courses/laser-processing/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang,prefix", [("en", ""), ("zh", "zh/")])
def test_status_page_lists_what_is_left(preview_project, lang, prefix):
    assert build(preview_project) == 0
    page = Page(preview_project / "site" / prefix / "status/index.html")
    assert page.lang == lang
    rows = page.text
    assert "2 / 3" in rows
    assert "outcomes[1]" in rows and "modules[2].topics[0]" in rows and "summary" in rows
    assert "../courses/photonics-technology/" in {url for _, _, url in page.links}
    cells = [a for t, a in page.elements if t == "td" and a.get("data-lang")]
    assert len(cells) == 3 * 2


def test_strict_build_refuses_and_keeps_the_last_site(preview_project):
    good = base_course()
    (preview_project / "courses" / "photonics-technology.yml").write_text(course_yaml(good), encoding="utf-8")
    assert build(preview_project, strict=True) == 0
    before = (preview_project / "site/zh/courses/photonics-technology/index.html").read_bytes()
    (preview_project / "courses" / "photonics-technology.yml").write_text(
        course_yaml(half_translated()), encoding="utf-8")
    assert build(preview_project, strict=True) == 1
    assert (preview_project / "site/zh/courses/photonics-technology/index.html").read_bytes() == before
    run = cli(preview_project, "build", "--strict")
    assert run.returncode == 1 and "3 problems found in course files" in run.stderr
