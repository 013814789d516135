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


def test_reference_pages_are_plain_markdown_of_every_course_out_of_the_nav(tmp_path):
    import reference
    import yaml

    project = synth.make_project(tmp_path / "p", 40)
    catalog, _ = read_catalog(project)
    ref = reference.write_project(catalog, tmp_path / "ref")
    config = yaml.safe_load((ref / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["not_in_nav"].strip() == "courses/*.md"
    assert [p for p in config["nav"] if isinstance(p, str)] == ["index.md", "catalog.md"]
    assert {p["i18n"]["languages"][0]["locale"] for p in config["plugins"] if isinstance(p, dict)} == {"en"}
    course = catalog.courses["laser-processing"]
    for lang in ("en", "zh"):
        pages = sorted(p.stem for p in (ref / "docs" / lang / "courses").glob("*.md"))
        assert pages == sorted(catalog.courses)
        page = (ref / "docs" / lang / "courses" / "laser-processing.md").read_text(encoding="utf-8")
        assert page.startswith(f"# {course.title[lang]}\n")
        assert course.modules[0].title[lang] in page and "<" not in course.title[lang]
        listing = (ref / "docs" / lang / "catalog.md").read_text(encoding="utf-8")
        assert listing.count("](courses/") == 40


def _run(wall: float) -> "build_bench.Run":
    return build_bench.Run(wall, 0, 0, "")


def test_the_budget_fails_a_warm_build_slower_than_the_reference_allows():
    rows = [build_bench.Row(300, 600, _run(20.0), _run(10.0), _run(14.0)),    # cold 2.0x, warm 1.4x
            build_bench.Row(1000, 2000, _run(40.0), _run(25.0), _run(40.0)),  # cold 1.6x, warm 1.6x
            build_bench.Row(3000, 6000, _run(90.0), None, _run(80.0))]        # no reference: not judged
    assert [r.courses for r in build_bench.over_budget(rows, 1.5)] == [1000]
    assert build_bench.over_budget(rows, 1.7) == []
    table = build_bench.markdown_table(rows)
    assert "| 2.00 | 1.40 |" in table and "| 1.60 | 1.60 |" in table


def test_write_readme_replaces_only_the_marked_section(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{build_bench.START}\nold\n{build_bench.END}\noutro\n", encoding="utf-8")
    build_bench.write_readme("| new |", readme)
    assert readme.read_text(encoding="utf-8") == \
        f"intro\n{build_bench.START}\n| new |\n{build_bench.END}\noutro\n"
