"""The editor's JSON Schema: generated from the schema in code, checked in, and right.

Course files are validated here the way an editor's YAML extension does it:
YAML 1.2 core types (``1`` is a number, ``2026-03-02`` stays text) and a
draft-07 JSON Schema validator.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import jsonschema
import pytest
import yaml

from conftest import PYTHON, REPO, base_course, course_yaml, make_project

from site_builder import jsonschema as generated
from site_builder.schema import COURSE


class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 core schema, as editors read files: no dates, only true/false booleans."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))


def validator() -> jsonschema.Draft7Validator:
    schema = json.loads((REPO / generated.SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def errors_of(text: str) -> list[str]:
    data = yaml.load(text, Loader=Yaml12Loader)
    return sorted("/".join(str(p) for p in e.absolute_path) + ": " + e.validator
                  for e in validator().iter_errors(data))


def test_checked_in_schema_matches_the_code():
    """Fails when schema.py or courses/_shared changed without `python -m site_builder schema`."""
    current = (REPO / generated.SCHEMA_FILE).read_text(encoding="utf-8")
    assert current == generated.render(generated.shared_ids(REPO)), \
        f"{generated.SCHEMA_FILE} is out of date: run  python -m site_builder schema"


def test_schema_describes_every_field_of_the_one_schema():
    schema = json.loads((REPO / generated.SCHEMA_FILE).read_text(encoding="utf-8"))
    assert list(schema["properties"]) == [f.name for f in COURSE.fields]
    assert schema["required"] == [f.name for f in COURSE.fields if f.required]
    assert schema["additionalProperties"] is False
    for f in COURSE.fields:
        assert schema["properties"][f.name]["description"].startswith(f.doc)


def test_every_course_file_points_its_editor_at_the_schema():
    files = sorted((REPO / "courses").glob("*.yml"))
    assert len(files) >= 30
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == generated.MODELINE, path.name
    # The relative path in that line leads to the checked-in file.
    target = (REPO / "courses" / generated.MODELINE.split("$schema=")[1]).resolve()
    assert target == (REPO / generated.SCHEMA_FILE).resolve() and target.is_file()


@pytest.mark.parametrize("path", sorted((REPO / "courses").glob("*.yml")), ids=lambda p: p.stem)
def test_every_real_course_is_valid_for_the_editor(path):
    assert errors_of(path.read_text(encoding="utf-8")) == []


def test_a_new_course_is_valid_for_the_editor(project):
    run = subprocess.run([PYTHON, "-m", "site_builder", "--root", str(project), "new", "solar-pv",
                          "--category", "ict"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert errors_of((project / "courses" / "solar-pv.yml").read_text(encoding="utf-8")) == []


def test_editor_underlines_the_mistakes_the_checker_reports():
    data = base_course()
    data["category"] = "photonics"             # not a category id
    data["title"].pop("zh")                    # translation missing
    data["modules"][0]["hours"] = "eight"      # not a number
    data["delivery"] = "classroom"             # not a choice
    data["colour"] = "blue"                    # unknown field
    data["regions"] = ["china", "china"]       # listed twice
    text = course_yaml(data).replace("hours: '8'", "hours: 8")
    assert errors_of(text) == [
        ": additionalProperties",
        "category: enum",
        "delivery: enum",
        "modules/0/hours: type",
        "regions: uniqueItems",
        "title: required",
    ]


def test_schema_command_writes_and_checks(tmp_path):
    root = make_project(tmp_path / "p")
    (root / "schema").mkdir()
    shutil.copy(REPO / generated.SCHEMA_FILE, root / generated.SCHEMA_FILE)

    def run(*args):
        return subprocess.run([PYTHON, "-m", "site_builder", "--root", str(root), "schema", *args],
                              capture_output=True, text=True)

    assert run("--check").returncode == 0
    # A new shared id makes the checked-in file stale, until it is regenerated.
    categories = root / "courses" / "_shared" / "categories.yml"
    categories.write_text(categories.read_text(encoding="utf-8") + (
        "  - id: renewable-energy\n"
        "    name: {en: Renewable energy, zh: 新能源}\n"
        "    description: {en: Solar and wind., zh: 太阳能与风能。}\n"), encoding="utf-8")
    stale = run("--check")
    assert stale.returncode == 1 and "schema/course.schema.json is out of date" in stale.stderr
    assert run().returncode == 0
    assert run("--check").returncode == 0
    schema = json.loads((root / generated.SCHEMA_FILE).read_text(encoding="utf-8"))
    assert "renewable-energy" in schema["properties"]["category"]["enum"]
