"""Synthetic but realistic catalogs for the benchmark.

A catalog of ``n`` courses is made from the real course files in ``courses/``:
the first 33 are the real files as they are; every further course is a copy of
one real course (round robin) with a new id and code, a numbered title in both
languages, and its outcomes, modules and topics shuffled.  Text therefore has
real length and real Chinese / English content, the shared data is the same,
and prerequisites point at the copy of the same "generation", so the
prerequisite graph stays acyclic and every reference resolves.

Everything is seeded: the same ``n`` gives the same files.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
COURSES = REPO / "courses"

#: What a build of a generated project needs besides the course files.
PROJECT_FILES = ("mkdocs.yml",)
PROJECT_DIRS = ("overrides",)
#: Course codes have at most four digits.
MAX_COURSES = 9999


def real_courses(courses_dir: Path = COURSES) -> list[dict]:
    """The real course files as plain data (every scalar a string, as written)."""
    out = []
    for path in sorted(courses_dir.glob("*.yml")):
        out.append(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader))
    return out


def _copy(base: dict, index: int, generation: int, ids: set[str],
          rng: random.Random) -> dict:
    """Course number ``index``: generation ``generation`` (>= 1) of the real course ``base``."""
    data = dict(base)
    suffix = f"-g{generation}"
    data["id"] = base["id"] + suffix
    # Real codes have three digits; copies get the course number in four.
    data["code"] = f"{base['code'].split('-')[0]}-{index:04d}"
    data["title"] = {"en": f"{base['title']['en']} ({generation + 1})",
                     "zh": f"{base['title']['zh']}（{generation + 1}）"}
    data["prerequisites"] = [p + suffix for p in base.get("prerequisites") or [] if p in ids]
    outcomes = list(base["outcomes"])
    rng.shuffle(outcomes)
    data["outcomes"] = outcomes
    modules = []
    for module in base["modules"]:
        topics = list(module["topics"])
        rng.shuffle(topics)
        modules.append(dict(module, topics=topics))
    rng.shuffle(modules)
    data["modules"] = modules
    return data


def catalog(n: int, courses_dir: Path = COURSES, seed: int = 6) -> list[dict]:
    """``n`` course records: the real ones, then numbered copies of them."""
    real = real_courses(courses_dir)
    if n > MAX_COURSES:
        raise ValueError(f"at most {MAX_COURSES} courses (codes have at most 4 digits)")
    rng = random.Random(seed)
    out = []
    for i in range(n):
        generation, base = divmod(i, len(real))
        # prerequisites that exist in this generation (the last one may be partial)
        ids = {c["id"] for c in real[: n - generation * len(real)]}
        out.append(real[base] if generation == 0 else _copy(real[base], i, generation, ids, rng))
    return out


def dump(course: dict) -> str:
    return yaml.safe_dump(course, allow_unicode=True, sort_keys=False, width=10_000)


def make_project(dest: Path, n: int, repo: Path = REPO) -> Path:
    """A buildable project in ``dest`` whose courses/ holds ``n`` courses."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        shutil.copy(repo / name, dest / name)
    for name in PROJECT_DIRS:
        shutil.copytree(repo / name, dest / name, dirs_exist_ok=True)
    courses = dest / "courses"
    if courses.exists():
        shutil.rmtree(courses)
    shutil.copytree(repo / "courses" / "_shared", courses / "_shared")
    for course in catalog(n, repo / "courses"):
        (courses / f"{course['id']}.yml").write_text(dump(course), encoding="utf-8")
    docs = dest / "docs"
    docs.mkdir(exist_ok=True)
    if (repo / "docs" / ".gitignore").exists():
        shutil.copy(repo / "docs" / ".gitignore", docs / ".gitignore")
    return dest
