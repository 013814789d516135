"""site_builder/urls.py: where each generated page and file lives, and the
relative links between them, with and without directory URLs."""

from __future__ import annotations

import pytest

from site_builder.settings import site_languages
from site_builder.urls import Pages, relative_url
from conftest import REPO


@pytest.fixture(scope="module")
def languages():
    return site_languages(REPO)


def test_pages_have_folder_urls_or_html_files(languages):
    folders, files = Pages(languages), Pages(languages, directory_urls=False)
    assert folders.url(Pages.home()) == "" and files.url(Pages.home()) == "index.html"
    assert folders.url(Pages.course("laser-processing")) == "courses/laser-processing/"
    assert files.url(Pages.course("laser-processing")) == "courses/laser-processing.html"
    assert folders.url(Pages.category("optoelectronics")) == "categories/optoelectronics/"


def test_links_between_pages_are_relative(languages):
    pages = Pages(languages)
    assert pages.link(Pages.course("a"), Pages.course("b")) == "../b/"
    assert pages.link(Pages.course("a"), Pages.home()) == "../../"
    assert pages.link(Pages.home(), Pages.catalog()) == "catalog/"
    files = Pages(languages, directory_urls=False)
    assert files.link(Pages.course("a"), Pages.home()) == "../index.html"
    assert relative_url("courses/a/", "courses/a/") == "./"


def test_absolute_urls_carry_the_site_url_and_the_language_folder(languages):
    pages = Pages(languages, site_url="https://catalog.example.org")
    other = languages.others(languages.default)[0]
    assert pages.absolute(languages.default, Pages.course("x")) == "https://catalog.example.org/courses/x/"
    assert pages.absolute(other, Pages.course("x")) == f"https://catalog.example.org/{other}/courses/x/"


def test_files_at_the_site_root_and_in_the_language_folder(languages):
    pages = Pages(languages)
    other = languages.others(languages.default)[0]
    assert pages.site_file(languages.default, Pages.course("x"), "downloads/a.zip") == "../../downloads/a.zip"
    assert pages.site_file(other, Pages.course("x"), "downloads/a.zip") == "../../../downloads/a.zip"
    assert Pages.calendar() == "calendar.ics"
    assert Pages.calendar("x").endswith("/x.ics") and Pages.calendar("x", "run-1").endswith("/x/run-1.ics")
    assert pages.file_link(Pages.course("x"), Pages.reading("x")) == "../../reading/x.js"
