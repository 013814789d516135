"""Turning author text into safe page text, escaped for the medium it reaches.

* ``escape_html``: text that goes into HTML (the page bodies, which reach
  MkDocs as HTML and are never parsed as Markdown): HTML's five
  metacharacters become references, nothing else.
* ``escape_markdown``: text that Markdown really reads (the headings of a
  page's Markdown shell, from which MkDocs makes the table of contents): HTML
  metacharacters and every Markdown-significant character become numeric
  character references, so a heading shows exactly as typed.
* ``markdown_to_html`` renders an author's Markdown field and reduces the
  result to a small allow-list of tags and attributes.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache

import markdown as _markdown
import nh3
from markupsafe import Markup

# A line break too: Markdown never sees a line start inside author text, so a
# blank line, an indent or a list marker in a multi-line text stays plain text;
# and a tab, which Markdown would expand to spaces.
_SPECIAL = set("&<>\"'`*_[]{}#|~!\\^=$:()\n\t")
_ENTITIES = {ord(ch): f"&#{ord(ch)};" for ch in _SPECIAL}
_LINE_START = re.compile(r"(?m)^([ \t]*)([-+.0-9>])")
_MAYBE_MARKER = frozenset(" \t-+.0123456789>")


def _plain(value) -> str | Markup:
    """Author text as a string (already-safe markup as it is, None as ""), a line
    break between two Chinese characters dropped: it would show as a space."""
    if isinstance(value, Markup):
        return value
    text = "" if value is None else str(value)
    return join_cjk_lines(text) if "\n" in text else text


def escape_html(value) -> Markup:
    """Plain text -> HTML text that shows it verbatim."""
    text = _plain(value)
    return text if isinstance(text, Markup) else Markup.escape(text)


def escape_markdown(value) -> Markup:
    """Plain text -> text that Markdown (and the HTML it makes) shows verbatim."""
    text = _plain(value)
    if isinstance(text, Markup):
        return text
    out = text.translate(_ENTITIES)
    # Line breaks and tabs are references now: only the text's own start can
    # look like a Markdown list or number ("- x", "1. x").
    if out[:1] in _MAYBE_MARKER:
        out = _LINE_START.sub(lambda m: f"{m.group(1)}&#{ord(m.group(2))};", out)
    return Markup(out)


def front_matter(value) -> Markup:
    """A page title or description for the page's front matter.

    A YAML double-quoted string (JSON is a subset) holding HTML-escaped text:
    Material prints page titles and descriptions into ``<title>``, ``<meta>``
    and the header without escaping them.
    """
    return Markup(json.dumps(html.escape(str(value)), ensure_ascii=False))


def script_json(data) -> str:
    """JSON safe inside <script>: no "</script>", no HTML comment openers."""
    import json

    return (json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])\n(?=[{_CJK}])")
#: In a Chinese text, a break beside a Chinese character (为用户提供⏎DHCP) too.
_CJK_EDGE_BREAK = re.compile(rf"(?<=[{_CJK}])\n|\n(?=[{_CJK}])")
_HAN_CHAR = re.compile(rf"[{_CJK}]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def join_cjk_lines(html: str) -> str:
    """A line break shows as a space: drop it between two Chinese characters,
    and, in a text mostly in Chinese, beside one (Chinese sets no space before
    or after a Latin word).  In an English text a Chinese term keeps its spaces."""
    if len(_HAN_CHAR.findall(html)) > len(_LATIN_LETTER.findall(html)):
        return _CJK_EDGE_BREAK.sub("", html)
    return _CJK_BREAK.sub("", html)


_TAGS = {"p", "br", "strong", "em", "b", "i", "code", "pre", "ul", "ol", "li",
         "blockquote", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody",
         "tr", "th", "td", "hr", "sub", "sup"}
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
_URL_SCHEMES = {"http", "https", "mailto"}
_DEAD_LINK = re.compile(r"<a\b(?![^>]*\shref=)[^>]*>(.*?)</a>", re.S)


_ABSOLUTE_URL = re.compile(r"(?:https?://|mailto:)[^\s]", re.I)


def _absolute_links_only(element: str, attribute: str, value: str) -> str | None:
    """Links in author Markdown go out of the site (http, https, mailto) or nowhere:
    a relative or odd URL ("java\tscript:", "//host") is dropped with its href."""
    if attribute == "href" and not _ABSOLUTE_URL.match(value):
        return None
    return value


def _clean(html: str) -> str:
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES,
                     attribute_filter=_absolute_links_only,
                     link_rel="noopener noreferrer", strip_comments=True)


@lru_cache(maxsize=4)
def description_html(markdown_text: str) -> Markup:
    """An author's Markdown as safe HTML, remembered for the next call (a course's
    page and its search entry both need it, one after the other; a larger cache
    would only flatter the benchmark, whose synthetic courses repeat texts)."""
    return markdown_to_html(markdown_text)


_RENDERER: list = []  # one Markdown instance, reset between texts (making one costs more)


def markdown_to_html(text: str) -> Markup:
    """Render author Markdown and keep only the allow-listed HTML."""
    if not _RENDERER:
        _RENDERER.append(_markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html"))
    md = _RENDERER[0]
    try:
        html = md.reset().convert(text)
    except RecursionError:  # the checker refuses such nesting (schema.markdown_nesting)
        _RENDERER.clear()  # its state is not to be trusted after that
        html = f"<p>{Markup.escape(text)}</p>"
    # Headings inside a description sit below the page's own h2 sections.
    html = re.sub(r"<(/?)h[12]\b", r"<\1h3", html)
    clean = _clean(html)
    # A link whose URL was refused (javascript:, data:, ...) is left without an
    # href, which HTML does not allow with rel: keep its text only, and clean
    # the result once more so that nothing but allow-listed markup survives.
    clean = _clean(_DEAD_LINK.sub(r"\1", clean))
    clean = join_cjk_lines(clean.replace("\n\n", "\n"))
    return Markup(clean)
