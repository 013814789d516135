"""A third language is one entry in mkdocs.yml: the site gets it, complete.

French is added to the i18n plugin's languages of a fixture project and
nothing else; one course carries a French title.  The build gives French
pages with lang="fr", the same-page switcher and reciprocal hreflang in all
three languages, the sitemap, a French search index of French pages only, a
French 404 page, and the "not yet translated" notices where French texts fall
back to the default language.  The shipped catalog stays English and Chinese.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import REPO, make_project
from htmlcheck import Page

from site_builder.settings import site_languages

SITE_URL = "https://catalog.example.org/"
COURSE = "photonics-technology"


def add_french(project: Path) -> None:
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    entry = "        - locale: fr\n          name: Français\n          build: true\n"
    anchor = "          nav_translations:\n            Categories: 课程类别\n"
    assert anchor in config
    (project / "mkdocs.yml").write_text(config.replace(anchor, anchor + entry), encoding="utf-8")
    path = project / "courses" / f"{COURSE}.yml"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    zh_title = data["title"]["zh"]
    text = text.replace(f"  zh: {zh_title}\n", f"  zh: {zh_title}\n  fr: Technologie photonique\n", 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def french_site(tmp_path_factory):
    from site_builder.pipeline import build

    project = make_project(tmp_path_factory.mktemp("french") / "project")
    add_french(project)
    assert site_languages(project).codes == ("en", "zh", "fr")
    assert build(project) == 0  # a preview build: the French texts are not all written
    return project / "site"


def test_the_shipped_catalog_stays_english_and_chinese():
    languages = site_languages(REPO)
    assert languages.codes == ("en", "zh") and languages.default == "en"


def asset_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file() and "assets" in p.relative_to(site).parts)


def test_one_copy_of_the_theme_assets_for_every_language(french_site, built_site):
    """A third language adds no asset byte; its pages load the site's assets."""
    assert not (french_site / "zh" / "assets").exists() and not (french_site / "fr" / "assets").exists()
    assert asset_bytes(french_site) == asset_bytes(built_site) > 1_000_000
    for page in (french_site / "fr" / "index.html", french_site / "zh" / "courses" / "photonics-technology" / "index.html",
                 french_site / "fr" / "404.html"):
        found = Page(page)
        assets = [url for tag, _, url in found.links if "assets/" in url and tag in ("link", "script")]
        assert assets, page
        for url in assets:
            if url.startswith("/"):
                target = french_site / url.lstrip("/").split("#")[0]
            else:
                target = (page.parent / url.split("#")[0]).resolve()
            assert target.is_file() and "assets" == target.relative_to(french_site.resolve()).parts[0], (page, url)


def test_french_pages_have_their_language_and_the_switcher(french_site):
    page = Page(french_site / "fr" / "courses" / COURSE / "index.html")
    assert page.lang == "fr"
    switch = {a["hreflang"]: a["href"] for tag, a in page.elements
              if tag == "a" and "md-select__link" in a.get("class", "")}
    assert switch == {"en": f"../../../courses/{COURSE}/", "zh": f"../../../zh/courses/{COURSE}/",
                      "fr": "./"}
    assert "Technologie photonique" in page.text


def test_hreflang_is_reciprocal_across_three_languages(french_site):
    path = f"courses/{COURSE}/"
    expected = {"en": SITE_URL + path, "zh": SITE_URL + "zh/" + path, "fr": SITE_URL + "fr/" + path,
                "x-default": SITE_URL + path}
    for prefix in ("", "zh/", "fr/"):
        page = Page(french_site / prefix / path / "index.html")
        links = {a["hreflang"]: a["href"] for tag, a in page.elements
                 if tag == "link" and a.get("rel") == "alternate" and "hreflang" in a}
        assert links == expected, prefix


def test_the_sitemap_lists_french_with_its_alternates(french_site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(french_site / "sitemap.xml").getroot()
    urls = {u.find("s:loc", ns).text: {l.get("hreflang"): l.get("href") for l in u.findall("x:link", ns)}
            for u in root.findall("s:url", ns)}
    french = SITE_URL + f"fr/courses/{COURSE}/"
    assert urls[french] == {"en": SITE_URL + f"courses/{COURSE}/",
                            "zh": SITE_URL + f"zh/courses/{COURSE}/", "fr": french}
    assert len(urls) == 3 * 13
    assert not (french_site / "fr" / "sitemap.xml").exists()


def test_french_search_index_holds_only_french_pages(french_site):
    index = json.loads((french_site / "fr" / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    assert docs
    for doc in docs:
        target = doc["location"].split("#")[0]
        assert (french_site / "fr" / target / "index.html").is_file(), doc["location"]
    titles = {d["title"] for d in docs if "#" not in d["location"]}
    assert any("Technologie photonique" in t for t in titles)
    chinese = json.loads((french_site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not any("Technologie photonique" in d["title"] for d in chinese["docs"])


def test_french_404_page(french_site):
    page = Page(french_site / "fr" / "404.html")
    assert page.lang == "fr"
    links = [a.get("href") for tag, a in page.elements if tag == "a" and "md-select__link" in a.get("class", "")]
    assert "/fr/" in links and "/" in links and "/zh/" in links


def test_missing_french_texts_fall_back_with_the_notice(french_site):
    page = Page(french_site / "fr" / "courses" / COURSE / "index.html")
    notice = re.search(r'<div class="cc-notice cc-untranslated".*?</div>', page.path.read_text(encoding="utf-8"), re.S)
    assert notice and "Français" in notice.group(0)
    # The summary is not written in French: the English one is shown.
    english = Page(french_site / "courses" / COURSE / "index.html")
    summary = re.search(r'<p class="cc-summary"[^>]*>(.*?)</p>', english.path.read_text(encoding="utf-8"), re.S).group(1)
    assert summary in page.path.read_text(encoding="utf-8")
    other = Page(french_site / "fr" / "courses" / "laser-processing" / "index.html")
    assert "cc-untranslated" in other.path.read_text(encoding="utf-8")


def test_missing_interface_labels_are_warned(tmp_path):
    import subprocess

    from conftest import PYTHON

    project = make_project(tmp_path / "project")
    add_french(project)
    run = subprocess.run([PYTHON, "-m", "site_builder", "--root", str(project), "build"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "interface labels not translated into fr (French)" in run.stderr
    assert "Traceback" not in run.stderr
    strict = subprocess.run([PYTHON, "-m", "site_builder", "--root", str(project), "check", "--strict"],
                            capture_output=True, text=True)
    lines = strict.stderr.splitlines()
    assert strict.returncode == 1
    assert any(line.startswith(f"courses/{COURSE}.yml:") and "summary.fr" in line for line in lines)
    assert not any(line.startswith(f"courses/{COURSE}.yml:") and ": title.fr:" in line for line in lines)


def french_project(tmp_path, title_fr: str, **zh) -> Path:
    project = make_project(tmp_path / "project")
    add_french(project)
    path = project / "courses" / f"{COURSE}.yml"
    text = path.read_text(encoding="utf-8").replace("  fr: Technologie photonique\n", f"  fr: {title_fr}\n", 1)
    for field, value in zh.items():
        data = yaml.safe_load(text)
        text = text.replace(f"  zh: {data[field]['zh']}\n", f"  zh: {value}\n", 1)
    path.write_text(text, encoding="utf-8")
    return project


def located(project, strict=False, severity="error"):
    from site_builder.readers import read_catalog

    _, problems = read_catalog(project, missing_translation="error" if strict else "warning")
    return [p.format() for p in problems if p.severity == severity and p.path.endswith(f"{COURSE}.yml")]


def test_an_empty_third_language_text_is_located(tmp_path):
    project = french_project(tmp_path, '""')
    line = next(i for i, l in enumerate((project / "courses" / f"{COURSE}.yml").read_text(
        encoding="utf-8").splitlines(), 1) if l.startswith("  fr:"))
    message = f"courses/{COURSE}.yml:{line}:7: title.fr: nothing; expected the French title (non-empty text)"
    assert message in located(project, strict=True)
    assert message.replace("title.fr", "warning: title.fr") in located(project, severity="warning")


def test_a_text_in_the_wrong_script_is_warned_at_its_field(tmp_path):
    project = french_project(tmp_path, "光电技术", title="Photonics Technology")
    warnings = [m for m in located(project, severity="warning") if "script" in m]
    assert any(': title.fr: "光电技术", with no letter of the script French is written in; expected the French text' in m
               for m in warnings), warnings
    assert any(': title.zh: "Photonics Technology", with no letter of the script Chinese is written in; expected the Chinese text'
               in m for m in warnings), warnings
    # A Chinese text with Latin brand names, or a short code, is not flagged.
    from site_builder.wording import wrong_script

    assert not wrong_script("NovaLCT安装与智能设置", "Hans") and not wrong_script("PLC", "Hans")
    assert wrong_script("Technologie", "Hans") and not wrong_script("Technologie", None)
