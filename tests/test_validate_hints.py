"""An id that is not in a shared table (or is no course) is reported with the id it
is probably a slip for ("did you mean ..."), then what was expected."""

from __future__ import annotations

from conftest import base_course, course_yaml, make_project
from site_builder.messages import M
from site_builder.readers import read_catalog

CATEGORIES = ("ai-security, automotive, chinese-culture, ict, iot-electronics, optoelectronics, "
              "smart-agriculture")


def errors_at(root, field: str) -> list[str]:
    _, problems = read_catalog(root)
    return [p.format() for p in problems.errors if p.field == field]


def hint(message: str) -> str:
    """The part of a message between "expected" and "did you mean"."""
    assert "did you mean" in message, message
    return message.split("; expected ", 1)[1].split("did you mean", 1)[0]


def test_a_misspelt_category_says_which_category_was_meant(tmp_path):
    data = base_course()
    data["category"] = "optoelectronic"
    root = make_project(tmp_path, {"photonics-technology.yml": course_yaml(data)})
    [message] = errors_at(root, "category")
    assert message.startswith('courses/photonics-technology.yml:')
    assert 'category: "optoelectronic", which is not in courses/_shared/categories.yml; expected ' in message
    # The closest id first (difflib may add a second, less close one), then the choices.
    assert hint(message).lstrip('"').startswith("optoelectronics")
    assert message.endswith("one of " + CATEGORIES)


def test_a_misspelt_venue_says_which_venue_was_meant(tmp_path):
    data = base_course()
    data["offerings"][1]["venue"] = "cquet-chongquing"
    root = make_project(tmp_path, {"photonics-technology.yml": course_yaml(data)})
    [message] = errors_at(root, "offerings[1].venue")
    assert '"cquet-chongquing", which is not in courses/_shared/venues.yml; expected ' in message
    assert hint(message).lstrip('"').startswith("cquet-chongqing")


def test_a_misspelt_prerequisite_says_which_course_was_meant(tmp_path):
    other = base_course()
    other.update(id="laser-processing", code="OPT-202", prerequisites=["photonics-technolgy"])
    root = make_project(tmp_path, {"photonics-technology.yml": course_yaml(base_course()),
                                   "laser-processing.yml": course_yaml(other)})
    [message] = errors_at(root, "prerequisites[0]")
    assert '"photonics-technolgy", which is not a course; expected ' in message
    assert hint(message).lstrip('"').startswith("photonics-technology")
    assert message.endswith("the id of a course in courses/")


def test_an_id_like_no_other_has_no_hint(tmp_path):
    data = base_course()
    data["category"] = "underwater-basket-weaving"
    root = make_project(tmp_path, {"photonics-technology.yml": course_yaml(data)})
    [message] = errors_at(root, "category")
    assert "did you mean" not in message
    assert message.endswith("; expected one of " + CATEGORIES)


def test_the_hint_is_a_message_of_its_own(tmp_path):
    """The found and expected parts are messages, translated when shown."""
    data = base_course()
    data["category"] = "optoelectronic"
    root = make_project(tmp_path, {"photonics-technology.yml": course_yaml(data)})
    _, problems = read_catalog(root)
    [problem] = [p for p in problems.errors if p.field == "category"]
    assert isinstance(problem.found, M) and isinstance(problem.expected, M)
    assert "did you mean" in problem.expected.text
