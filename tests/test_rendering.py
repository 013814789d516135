"""site_builder/rendering.py: page bodies are HTML, escaped for HTML only."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from site_builder import text
from site_builder.readers import read_catalog
from site_builder.rendering import render_language
from conftest import make_project


class _Tree(HTMLParser):
    """Tags, attributes (values unescaped) and text, in order: what a browser reads."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.items: list = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.items.append(("<", tag, tuple(attrs)))

    def handle_endtag(self, tag):
        self.items.append((">", tag))

    def handle_data(self, data):
        if self.items and self.items[-1][0] == "t":
            self.items[-1] = ("t", self.items[-1][1] + data)
        else:
            self.items.append(("t", data))


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    from conftest import REPO  # noqa: F401

    catalog, problems = read_catalog(make_project(tmp_path_factory.mktemp("render")))
    assert not problems.errors
    return catalog


def test_bodies_escaped_for_html_read_as_the_markdown_safe_escape_did(catalog, monkeypatch):
    """Escaping for HTML only (href="https://…") changes no page as a browser
    reads it: every body parses to the same tags, attributes and text as with
    the escape that also guards against Markdown, which the bodies never reach."""
    for lang in catalog.site_languages:
        html_only = {p.path: p.body for p in render_language(catalog, lang, site_url="https://catalog.example.org/")}
        with monkeypatch.context() as m:
            m.setattr(text, "escape_html", text.escape_markdown)
            both = {p.path: p.body for p in render_language(catalog, lang, site_url="https://catalog.example.org/")}
        assert html_only.keys() == both.keys() and len(html_only) > 5
        for path in html_only:
            assert _Tree(html_only[path]).items == _Tree(both[path]).items, path
        assert any(html_only[p] != both[p] for p in html_only)  # the bytes did change


def test_attributes_read_as_written(catalog):
    course = next(iter(catalog.courses.values()))
    page = next(p for p in render_language(catalog, catalog.site_languages.default,
                                           site_url="https://catalog.example.org/")
                if p.path.endswith(f"{course.id}.md"))
    assert 'href="https://' in page.body and "&#58;" not in page.body and "&#46;" not in page.body
