"""Smoke test of the benchmark's synthetic catalogs (nothing here is timed)."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import build_bench  # noqa: E402
import synth  # noqa: E402

from site_builder.readers import read_catalog  # noqa: E402


def test_a_generated_catalog_passes_the_checker(tmp_path):
    real = len(list((REPO / "courses").glob("*.yml")))
    n = 2 * real + 5                       # the real courses, one full copy, part of another
    project = synth.make_project(tmp_path / "p", n)
    catalog, problems = read_catalog(project)
    assert problems.errors == []
    assert len(catalog.courses) == n
    codes = [c.code for c in catalog.courses.values()]
    assert len(set(codes)) == n
    copy = catalog.courses[f"{synth.real_courses()[0]['id']}-g1"]
    original = catalog.courses[synth.real_courses()[0]["id"]]
    for lang in ("en", "zh"):
        assert copy.title[lang] != original.title[lang]
        assert copy.description[lang] == original.description[lang]   # real-length text
    assert sorted(m.title["en"] for m in copy.modules) == sorted(m.title["en"] for m in original.modules)


def test_generation_is_deterministic(tmp_path):
    a = synth.make_project(tmp_path / "a", 70)
    b = synth.make_project(tmp_path / "b", 70)
    files = sorted(p.name for p in (a / "courses").glob("*.yml"))
    assert files == sorted(p.name for p in (b / "courses").glob("*.yml"))
    assert all((a / "courses" / f).read_bytes() == (b / "courses" / f).read_bytes() for f in files)


def test_reference_config_lists_every_page(tmp_path):
    docs = tmp_path / "p" / "docs"
    for lang in ("en", "zh"):
        for page in ("index.md", "catalog.md", "categories/ict.md", "courses/a.md", "courses/b.md"):
            (docs / lang / page).parent.mkdir(parents=True, exist_ok=True)
            (docs / lang / page).write_text("# x\n", encoding="utf-8")
    ref = build_bench.reference_project(tmp_path / "p", tmp_path / "ref")
    config = (ref / "mkdocs.yml").read_text(encoding="utf-8")
    for page in ("index.md", "catalog.md", "categories/ict.md", "courses/a.md", "courses/b.md"):
        assert f"- {page}\n" in config
    assert "not_in_nav" not in config and "  - catalog\n" not in config


def test_write_readme_replaces_only_the_marked_section(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{build_bench.START}\nold\n{build_bench.END}\noutro\n", encoding="utf-8")
    build_bench.write_readme("| new |", readme)
    assert readme.read_text(encoding="utf-8") == \
        f"intro\n{build_bench.START}\n| new |\n{build_bench.END}\noutro\n"
