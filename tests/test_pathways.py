"""site_builder/pathways.py: a category's learning pathway, drawn at build
time as SVG (read back with ElementTree), with the same relations as a list
of links beside it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape

from conftest import base_course, course_yaml, derived_course, make_project

from site_builder import pathways
from site_builder.pipeline import build
from site_builder.readers import read_catalog

SVG = "{http://www.w3.org/2000/svg}"


def figure(page_html: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg class=\"cc-pathway__svg\".*?</svg>", page_html, re.S).group())


def test_a_course_stands_right_of_its_prerequisites(project):
    catalog, _ = read_catalog(project)
    nodes = {n.course.id: n for n in pathways.layout(catalog, "optoelectronics")}
    # The fixture's path: photonics -> fiber, photonics -> laser.
    assert nodes["laser-processing"].column == nodes["photonics-technology"].column + 1
    assert nodes["optical-fiber-communication"].column == nodes["photonics-technology"].column + 1
    arrows = sorted((a.course.id, b.course.id) for a, b in pathways.edges(list(nodes.values())))
    assert arrows == [("photonics-technology", "laser-processing"),
                      ("photonics-technology", "optical-fiber-communication")]
    assert len({(n.column, n.row) for n in nodes.values()}) == len(nodes)   # no two boxes in one place


def test_the_category_page_draws_the_pathway_and_lists_it_as_text(built_site):
    catalog, _ = read_catalog(built_site.parent)
    page = (built_site / "categories/optoelectronics/index.html").read_text(encoding="utf-8")
    svg = figure(page)
    assert svg.get("role") == "img" and svg.find(SVG + "title").text.startswith("Learning pathway of ")
    nodes = pathways.layout(catalog, "optoelectronics")
    boxes = svg.findall(f"{SVG}g")
    assert len(boxes) == len(nodes) and len(svg.findall(f"{SVG}path")) == len(pathways.edges(nodes))
    assert [b.find(SVG + "title").text.split()[0] for b in boxes] == [n.course.code for n in nodes]
    # Every box fits its title: at most two lines, none wider than the box.
    for box in boxes:
        lines = [t.text for t in box.findall(SVG + "text")][1:]
        assert 1 <= len(lines) <= 2 and all(pathways._width(line) <= pathways.TITLE_EM for line in lines)
    # The list beside it: each course, with links to its prerequisites.
    listed = page[page.index('class="cc-pathway__list"'):page.index("</ul>", page.index('class="cc-pathway__list"'))]
    for course in catalog.in_category("optoelectronics"):
        item = re.search(rf'<li><a href="[^"]*courses/{course.id}/">.*?</li>', listed).group()
        if course.prerequisites:
            for pre in course.prerequisites:
                assert f"courses/{pre}/" in item
        else:
            assert "a starting point" in unescape(item)
        assert " builds on " in unescape(item) or not course.prerequisites
    zh = (built_site / "zh/categories/optoelectronics/index.html").read_text(encoding="utf-8")
    assert figure(zh).find(SVG + "title").text.endswith("学习路径：各课程的先修关系")


def test_a_prerequisite_of_another_category_is_dashed_and_a_category_without_any_has_no_figure(tmp_path):
    fiber = derived_course("optical-fiber-communication", "OPT-201", "Optical Fiber Communication Technology",
                           "光纤通信技术", prerequisites=[], category="ict")
    laser = derived_course("laser-processing", "OPT-202", "Laser <script>alert(1)</script> & Processing",
                           "激光加工技术", prerequisites=["optical-fiber-communication"])
    root = make_project(tmp_path / "p", {"photonics-technology.yml": course_yaml(base_course()),
                                         "optical-fiber-communication.yml": course_yaml(fiber),
                                         "laser-processing.yml": course_yaml(laser)})
    assert build(root) == 0
    page = (root / "site/categories/optoelectronics/index.html").read_text(encoding="utf-8")
    svg = figure(page)
    outside = [g for g in svg.findall(f"{SVG}g") if "cc-pathway__box--outside" in g.get("class")]
    assert [g.find(SVG + "title").text for g in outside] == ["OPT-201 Optical Fiber Communication Technology"]
    assert "(another category)" in page
    # The author's markup is text in the picture, never an element.
    raw = re.search(r"<svg class=\"cc-pathway__svg\".*?</svg>", page, re.S).group()
    assert not svg.findall(f".//{SVG}script") and "<script>" not in raw and "&lt;script&gt;" in raw
    titles = [t.text for g in svg.findall(f"{SVG}g") for t in g.findall(SVG + "title")]
    assert "OPT-202 Laser <script>alert(1)</script> & Processing" in titles
    ict = (root / "site/categories/ict/index.html").read_text(encoding="utf-8")
    assert "cc-pathway" not in ict
