"""The reference build: the stack we stand on, doing the plainest version of our job.

The same courses (read and checked by site_builder, so both builds see the same
model) are written as plain Markdown, one page per course and language: title,
summary, description, outcomes, and tables of the modules and the glossary;
plus a home page, a catalog page listing every course, and a page per
category.  MkDocs 1.6 builds them with mkdocs-material and mkdocs-static-i18n
(folder structure, every language), search on, and the course pages out of
the navigation (``not_in_nav``), as ours are.  No offerings, calendars, feeds,
pinyin, reading mode, QR codes, JSON-LD or offline copy: what our build costs
beyond this is the price of those features.

Its time is the denominator of the bench's ratios (bench/build_bench.py): a
ratio is stable across machines where a time in seconds is not.
"""

from __future__ import annotations

from pathlib import Path

CONFIG = """\
site_name: Course catalog (reference build)
site_url: https://catalog.example.org/
docs_dir: docs
site_dir: site
use_directory_urls: true
theme:
  name: material
  language: {default}
markdown_extensions:
  - attr_list
  - tables
  - toc
not_in_nav: |
  courses/*.md
nav:
  - index.md
  - catalog.md
  - Categories:
{categories}
plugins:
  - search
  - i18n:
      docs_structure: folder
      languages:
{languages}
"""


def _cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def course_page(course, lang: str) -> str:
    """One course in one language, as plain Markdown."""
    lines = [f"# {course.title[lang]}", "", course.summary[lang], "", course.description[lang].strip(), ""]
    lines += ["## Learning outcomes", ""] + [f"- {o[lang]}" for o in course.outcomes or []] + [""]
    lines += ["## Modules", "", "| Module | Hours | Topics |", "|---|---:|---|"]
    lines += [f"| {_cell(m.title[lang])} | {m.hours} | {_cell('; '.join(t[lang] for t in m.topics))} |"
              for m in course.modules or []]
    if course.get("glossary"):
        lines += ["", "## Glossary", "", "| English | 中文 |", "|---|---|"]
        lines += [f"| {_cell(g.en)} | {_cell(g.zh)} |" for g in course.glossary]
    return "\n".join(lines) + "\n"


def write_project(catalog, dest: Path) -> Path:
    """The reference project of ``catalog`` in ``dest`` (mkdocs.yml and docs/)."""
    languages = catalog.site_languages
    docs = dest / "docs"
    for lang in languages:
        base = docs / lang
        (base / "courses").mkdir(parents=True, exist_ok=True)
        (base / "categories").mkdir(parents=True, exist_ok=True)
        for course in catalog.courses.values():
            (base / "courses" / f"{course.id}.md").write_text(course_page(course, lang), encoding="utf-8")
        (base / "index.md").write_text(f"# {len(catalog.courses)} courses\n\n[Catalog](catalog.md)\n",
                                       encoding="utf-8")
        listing = [f"- [{c.code} {c.title[lang]}](courses/{c.id}.md)" for c in catalog.ordered_courses()]
        (base / "catalog.md").write_text("# Catalog\n\n" + "\n".join(listing) + "\n", encoding="utf-8")
        for cid, category in catalog.categories.items():
            rows = [f"- [{c.code} {c.title[lang]}](../courses/{c.id}.md)" for c in catalog.in_category(cid)]
            (base / "categories" / f"{cid}.md").write_text(f"# {category.name[lang]}\n\n" + "\n".join(rows) + "\n",
                                                           encoding="utf-8")
    categories = "\n".join(f"    - categories/{cid}.md" for cid in catalog.categories)
    langs = "\n".join(f"        - locale: {lang}\n          name: {languages.names[lang]}\n          build: true"
                      + ("\n          default: true" if lang == languages.default else "")
                      for lang in languages)
    (dest / "mkdocs.yml").write_text(CONFIG.format(default=languages.default, categories=categories,
                                                   languages=langs), encoding="utf-8")
    return dest
