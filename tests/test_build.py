"""End to end: build the fixture catalog into a temp dir and read its HTML."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from conftest import base_course, course_yaml, make_project
from htmlcheck import Page, pages, resolve

from site_builder.pipeline import build


def tree_digest(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


LANG_ROOTS = {"en": "", "zh": "zh/"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_kind_exists_with_the_right_language(built_site, lang):
    prefix = LANG_ROOTS[lang]
    for rel in ["index.html", "catalog/index.html", "categories/optoelectronics/index.html",
                "courses/photonics-technology/index.html", "courses/laser-processing/index.html"]:
        page = Page(built_site / prefix / rel)
        assert page.lang == lang, rel


def test_course_page_english(built_site):
    page = Page(built_site / "courses/photonics-technology/index.html")
    text = page.text
    assert "Photonics Technology (WorldSkills Standard)" in text
    assert "光电技术（世界技能大赛标准）" in text          # the other language's title
    assert "OPT-101" in text and "96 hours" in text
    assert "Beam profiling and M² measurement" in text
    assert "Timed practical tasks on the optical table 50%" in text
    assert "guāngxiān" in text                              # pinyin generated at build time, by word
    assert "Rajamangala University of Technology Rattanakosin" in text
    hrefs = {url for _, _, url in page.links}
    assert "../optical-fiber-communication/" in hrefs         # course that builds on this one
    assert "../../categories/optoelectronics/" in hrefs


def test_course_page_chinese(built_site):
    page = Page(built_site / "zh/courses/optical-fiber-communication/index.html")
    text = page.text
    assert "光纤通信技术" in text and "96 学时" in text
    assert "先修课程" in text
    assert "光电技术（世界技能大赛标准）" in text           # prerequisite, linked by its Chinese title
    assert "../photonics-technology/" in {url for _, _, url in page.links}
    assert "Optical Fiber Communication Technology" in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_catalog_lists_every_course(built_site, lang):
    page = Page(built_site / LANG_ROOTS[lang] / "catalog/index.html")
    cards = [a for t, a in page.elements if t == "article" and "cc-card" in a.get("class", "")]
    assert sorted(a["data-level"] for a in cards) == ["advanced", "intermediate", "intermediate"]
    linked = {url for _, _, url in page.links if "/courses/" in url or url.startswith("../courses/")}
    assert linked == {"../courses/photonics-technology/", "../courses/optical-fiber-communication/",
                      "../courses/laser-processing/"}


def test_course_pages_are_not_in_the_navigation(built_site):
    # The 404 page has the navigation every page has, and no content linking courses.
    for page in (built_site / "404.html", built_site / "zh/404.html"):
        hrefs = {url for _, _, url in Page(page).links}
        assert any(url.endswith("catalog/") for url in hrefs)
        assert any(url.endswith("categories/optoelectronics/") for url in hrefs)
        assert not [url for url in hrefs if "courses/" in url]


def test_all_internal_links_and_anchors_resolve(built_site):
    problems = []
    parsed = {p.path.resolve(): p for p in pages(built_site)}
    for page in parsed.values():
        for tag, attribute, url in page.links:
            target, fragment = resolve(built_site, page.path, url)
            if target is None:
                continue
            if not target.exists():
                problems.append(f"{page.path.relative_to(built_site)}: {url}")
            elif fragment and target.suffix == ".html" and target.resolve() in parsed \
                    and fragment not in parsed[target.resolve()].ids:
                problems.append(f"{page.path.relative_to(built_site)}: {url} (no #{fragment})")
    assert problems == []


def test_no_request_leaves_the_site(built_site):
    """Only the site's own host (canonical/alternate links) may appear in what a
    page loads (src, and href outside <a>: <a> links are followed by a click only,
    such as an offering's application link)."""
    outside = []
    for page in pages(built_site):
        for tag, attribute, url in page.links:
            if tag == "a":
                continue
            if url.startswith(("http://", "https://", "//")) and not url.startswith("https://catalog.example.org/"):
                outside.append(f"{page.path.relative_to(built_site)}: <{tag} {attribute}={url}>")
    assert outside == []
    for css in built_site.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8")


def test_failed_check_leaves_the_last_good_site(project):
    assert build(project) == 0
    before = tree_digest(project / "site")
    broken = (project / "courses" / "laser-processing.yml").read_text(encoding="utf-8")
    (project / "courses" / "laser-processing.yml").write_text(broken.replace("\nhours: 96\n", "\nhours: lots\n"))
    assert build(project) == 1
    assert tree_digest(project / "site") == before


def test_failed_mkdocs_build_leaves_the_last_good_site(project):
    assert build(project) == 0
    before = tree_digest(project / "site")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nnot_a_real_option: [\n")
    assert build(project) == 1
    assert tree_digest(project / "site") == before
    assert not list(project.glob(".site.*"))


def test_same_input_gives_byte_identical_output(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a = make_project(tmp_path / "a")
    b = make_project(tmp_path / "b")
    assert build(a) == 0
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    time.sleep(1.1)
    assert build(b) == 0
    assert tree_digest(a / "site") == tree_digest(b / "site")


def test_unchanged_pages_are_not_rewritten(project):
    assert build(project) == 0
    docs = project / "docs"
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*.md")}
    time.sleep(0.05)
    assert build(project) == 0
    assert {p: p.stat().st_mtime_ns for p in docs.rglob("*.md")} == before

    data = base_course()
    data["summary"]["en"] = "A new summary."
    (project / "courses" / "photonics-technology.yml").write_text(course_yaml(data), encoding="utf-8")
    assert build(project) == 0
    changed = sorted(str(p.relative_to(docs)) for p in docs.rglob("*.md")
                     if p.stat().st_mtime_ns != before[p])
    # the course itself, and the English pages that show its summary
    assert changed == ["en/catalog.md", "en/categories/optoelectronics.md",
                       "en/courses/photonics-technology.md"]


def test_docs_folder_that_is_a_link_is_refused_cleanly(project, tmp_path):
    import shutil
    import subprocess

    from conftest import PYTHON

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.md").write_text("not ours", encoding="utf-8")
    shutil.rmtree(project / "docs")
    (project / "docs").symlink_to(elsewhere, target_is_directory=True)
    run = subprocess.run([PYTHON, "-m", "site_builder", "--root", str(project), "build"],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "it is a link to another folder" in run.stderr
    assert (elsewhere / "keep.md").read_text(encoding="utf-8") == "not ours"
    assert not (project / "site").exists()


def test_a_forked_worker_ends_when_its_build_is_killed():
    """die_with_parent: SIGKILL on the build process ends its forked worker too."""
    import signal
    import sys

    from site_builder.pipeline import die_with_parent

    if not sys.platform.startswith("linux"):
        pytest.skip("prctl(PR_SET_PDEATHSIG) is Linux only")
    read, write = os.pipe()
    build_pid = os.fork()
    if build_pid == 0:  # pragma: no cover - plays the build process
        me = os.getpid()
        worker = os.fork()
        if worker == 0:  # plays its language worker
            die_with_parent(me)
            time.sleep(30)
            os._exit(0)
        os.write(write, str(worker).encode())
        time.sleep(30)
        os._exit(0)
    os.close(write)
    worker = int(os.read(read, 32).decode())
    os.close(read)
    time.sleep(0.2)  # the worker has set its parent-death signal
    os.kill(build_pid, signal.SIGKILL)
    os.waitpid(build_pid, 0)
    deadline = time.monotonic() + 3
    while Path(f"/proc/{worker}").exists() and time.monotonic() < deadline:
        stat = Path(f"/proc/{worker}/stat").read_text() if Path(f"/proc/{worker}").exists() else ""
        if stat.rsplit(")", 1)[-1].split()[:1] == ["Z"]:
            break  # dead, waiting to be reaped by init
        time.sleep(0.05)
    else:
        assert not Path(f"/proc/{worker}").exists(), "the worker outlived its killed build"
