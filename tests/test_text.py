"""site_builder.text: author text made safe for Markdown, HTML, front matter and scripts.

Each test renders the result the way the site does (Python-Markdown with the
extensions of mkdocs.yml, then an HTML parser) and looks at what a reader gets.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import markdown
import pytest
import yaml

from site_builder import text


def site_markdown(source: str) -> str:
    """Markdown as MkDocs renders a page of this site (extensions of mkdocs.yml)."""
    from mkdocs.config import load_config

    from conftest import REPO

    config = load_config(str(REPO / "mkdocs.yml"))
    return markdown.markdown(source, extensions=config.markdown_extensions,
                             extension_configs=config.mdx_configs)


class Parsed(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.parts: list[str] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


NASTY = [
    "<b>bold</b> & <script>alert(1)</script>",
    "*emphasis* _under_ `code` **strong** ~~strike~~",
    "[link](https://example.com) ![image](x.png) <https://auto.link>",
    "# not a heading", "1. not a list", "- not a list", "> not a quote", "+ plus", "---", "===",
    "| a | b |", "{: .class } {#id} {{ 7*7 }} {% if %}", "\\*escaped\\* \\\\",
    "&amp; &lt; &#60; &#x3C; &nbsp;", "<!-- comment --> ]]> <![CDATA[x]]>",
    "a  \ntwo lines", "first\n\n    indented code\n\n1. list", "$math$ ^sup^ ==mark==",
    "مرحبا بالعالم", "שלום \u202eevil\u202c", "emoji 👩‍💻🚀", "中文，标点。“引号”",
]


@pytest.mark.parametrize("value", NASTY)
@pytest.mark.parametrize("wrapper", ["{}", "# {}", "<p>{}</p>", "<td>{}</td>", "- item {}"])
def test_escaped_text_shows_verbatim_and_makes_no_element(value, wrapper):
    """Text that Markdown reads (a page shell's headings) is escaped for Markdown."""
    page = Parsed(site_markdown(wrapper.format(text.escape_markdown(value))))
    plain = Parsed(site_markdown(wrapper.format("x")))
    assert [tag for tag, _ in page.tags] == [tag for tag, _ in plain.tags]
    assert text.join_cjk_lines(value) in page.text


def test_escape_markdown_turns_every_metacharacter_into_a_reference():
    escaped = str(text.escape_markdown("<>&\"'`*_[]{}#|~!\\^=$:()\n"))
    assert not re.search(r"[<>\"'`*_\[\]{}#|~!\\^=$:()\n]", escaped.replace("&#", "").replace(";", ""))
    assert html.unescape(escaped) == "<>&\"'`*_[]{}#|~!\\^=$:()\n"
    assert str(text.escape_markdown("1. one")).startswith("&#49;")
    assert text.escape_markdown(None) == "" and text.escape_markdown(text.escape_markdown("<")) == "&#60;"


@pytest.mark.parametrize("value", NASTY)
def test_escape_html_escapes_only_what_html_reads(value):
    """Text that goes into HTML: the five HTML metacharacters, nothing else, so
    attributes read href="https://…" and text reads as typed in the source too."""
    escaped = str(text.escape_html(value))
    assert not re.search(r"[<>\"']", escaped)
    assert html.unescape(escaped) == text.join_cjk_lines(value)
    assert str(text.escape_html("https://example.org/a_b:(1)")) == "https://example.org/a_b:(1)"
    assert str(text.escape_html("a < b & \"c\"")) == "a &lt; b &amp; &#34;c&#34;"


@pytest.mark.parametrize("value", NASTY)
def test_front_matter_is_yaml_holding_escaped_html(value):
    front = str(text.front_matter(value))
    loaded = yaml.safe_load(f"title: {front}\n")["title"]
    assert html.unescape(loaded) == value
    assert not re.search(r"[<>\"]", loaded)  # Material prints it raw into <title>, <meta> and the header
    assert html.escape(html.unescape(loaded)) == loaded


def test_script_json_cannot_end_the_script():
    data = {"name": "</script><script>alert(1)</script> <!-- \u2028 \u2029 & >"}
    body = text.script_json(data)
    assert "</" not in body and "<!--" not in body and "\u2028" not in body and "\u2029" not in body
    assert json.loads(body) == data


HOSTILE_MARKDOWN = {
    "<script>alert(1)</script>": "script",
    "<img src=x onerror=alert(1)>": "img",
    "<iframe src='https://evil.example/'></iframe>": "iframe",
    "<style>body{display:none}</style>": "style",
    "<form action='https://evil.example/'><input name=p></form>": "form",
    "<svg onload=alert(1)><circle/></svg>": "svg",
    "<math><mtext>x</mtext></math>": "math",
    "<object data='x.swf'></object>": "object",
    "<embed src='x'>": "embed",
    "<base href='https://evil.example/'>": "base",
    "<meta http-equiv='refresh' content='0;url=https://evil.example/'>": "meta",
    "<link rel=stylesheet href='https://evil.example/x.css'>": "link",
    "<details open ontoggle=alert(1)>x</details>": "details",
    "<video src=x onerror=alert(1)></video>": "video",
    "<div style='position:fixed'>x</div>": "div",
}


@pytest.mark.parametrize("source,tag", HOSTILE_MARKDOWN.items())
def test_markdown_keeps_only_the_allow_list(source, tag):
    rendered = str(text.markdown_to_html(f"Before {source} after"))
    # As on the page: inside the description block, run through Markdown again.
    page = Parsed(site_markdown(f'<div class="cc-description">\n{rendered}\n</div>'))
    assert page.tags[0] == ("div", {"class": "cc-description"})
    tags = {t for t, _ in page.tags[1:]}
    assert tag not in tags
    assert tags <= {"p", "a", "strong", "em", "code", "pre", "ul", "ol", "li"}
    for _, attrs in page.tags:
        assert not [name for name in attrs if name.startswith("on") or name == "style"]


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "javascript&#58;alert(1)", "javascript&colon;alert(1)",
    "&#106;avascript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>", "data:image/svg+xml;base64,PHN2Zz4=", "file:///etc/passwd",
])
def test_dangerous_link_urls_leave_plain_text(url):
    for source in (f"[click]({url})", f'<a href="{url}">click</a>'):
        rendered = str(text.markdown_to_html(source))
        page = Parsed(rendered)
        assert "click" in page.text
        for tag, attrs in page.tags:
            assert tag != "a" or attrs.get("href", "").startswith(("http:", "https:", "mailto:")), rendered
        assert "<a " not in rendered and "<a>" not in rendered  # no link left without its URL


def test_links_out_get_noopener_and_headings_sit_below_the_page_sections():
    rendered = str(text.markdown_to_html(
        "# Big\n\n## Also big\n\n[site](https://example.com/) <a href='https://x.org/' target=_blank>x</a>"))
    page = Parsed(rendered)
    anchors = [attrs for tag, attrs in page.tags if tag == "a"]
    assert [a["href"] for a in anchors] == ["https://example.com/", "https://x.org/"]
    assert all(a["rel"] == "noopener noreferrer" and "target" not in a for a in anchors)
    assert [tag for tag, _ in page.tags if tag.startswith("h")] == ["h3", "h3"]


def test_template_syntax_in_markdown_is_text():
    rendered = str(text.markdown_to_html("{{ 7*7 }} {% for x in y %}{{ x }}{% endfor %} {# c #}"))
    assert "{{ 7*7 }} {% for x in y %}{{ x }}{% endfor %} {# c #}" in html.unescape(rendered)


def test_markdown_nested_past_the_recursion_limit_renders_as_text():
    """The checker refuses it (schema.markdown_nesting); rendering never raises."""
    rendered = str(text.markdown_to_html("- " * 3000 + "x"))
    assert rendered.startswith("<p>- - -") and rendered.endswith("x</p>")


def test_a_wrapped_chinese_paragraph_reads_without_stray_spaces():
    # A Chinese text wrapped in the YAML file: no space where a line ended,
    # next to a Latin word as between two characters (Chinese sets none).
    html = text.description_html("本课程为用户提供\nDHCP服务，并在\n交换机上配置VLAN。")
    assert "为用户提供DHCP服务，并在交换机上配置VLAN。" in html
    # An English text naming a Chinese term keeps the space a line break makes.
    html = text.description_html("Learn the term 传感器\nand how a sensor\nworks.")
    assert "传感器\nand" in html or "传感器 and" in html
    assert "sensor\nworks" in html or "sensor works" in html
