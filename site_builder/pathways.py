"""A category's learning pathway: its courses and their prerequisites as a
small diagram, drawn at build time as SVG (no script, no library in the page).

Columns are steps along the pathway: a course stands one column right of the
furthest of its prerequisites; an arrow leads from each prerequisite to the
course that builds on it.  A prerequisite from another category is drawn with
a dashed border.  The diagram is a picture (role="img", with a title); the
page lists the same relations as text beside it, for screen readers and small
screens (templates/category.html.j2).

Stage: model -> pages.  Pure and deterministic; no MkDocs here.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup

#: Sizes in CSS pixels: a course's box, the gaps between columns and rows, the margin.
BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 184, 62, 40, 12, 6
#: The text size of a box's lines (the code, then the title on up to two lines).
FONT = 12
#: The widest title line, in em of FONT (a wide character counts 1, another about 0.55).
TITLE_EM = (BOX_W - 16) / FONT


@dataclass
class Node:
    course: object
    column: int
    row: int
    outside: bool  # a prerequisite from another category

    @property
    def x(self) -> int:
        return MARGIN + self.column * (BOX_W + GAP_X)

    @property
    def y(self) -> int:
        return MARGIN + self.row * (BOX_H + GAP_Y)


def layout(catalog, category_id: str) -> list[Node]:
    """The boxes of a category's pathway: its courses, and the prerequisites
    they name from other categories, each in its column (catalog order within)."""
    inside = catalog.in_category(category_id)
    ids = [c.id for c in inside]
    outside = [p for c in inside for p in c.prerequisites or [] if p in catalog.courses and p not in ids]
    order = list(dict.fromkeys(outside)) + ids
    column: dict[str, int] = {}

    def place(course_id: str, seen: tuple = ()) -> int:
        if course_id not in column:
            course = catalog.courses[course_id]
            pres = [] if course_id not in ids else [p for p in course.prerequisites or []
                                                    if p in order and p not in seen]
            column[course_id] = 1 + max((place(p, seen + (course_id,)) for p in pres), default=-1)
        return column[course_id]

    for course_id in order:
        place(course_id)
    rows: dict[int, int] = {}
    nodes = []
    for course_id in sorted(order, key=lambda i: (column[i], order.index(i))):
        col = column[course_id]
        nodes.append(Node(catalog.courses[course_id], col, rows.get(col, 0), course_id not in ids))
        rows[col] = rows.get(col, 0) + 1
    return nodes


def edges(nodes: list[Node]) -> list[tuple[Node, Node]]:
    """(prerequisite, course) of every arrow."""
    by_id = {n.course.id: n for n in nodes}
    return [(by_id[p], n) for n in nodes if not n.outside
            for p in n.course.prerequisites or [] if p in by_id]


def _width(text: str) -> float:
    """About how many em of FONT ``text`` takes (a wide character 1, another 0.55)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def _lines(text: str, em: float = TITLE_EM, count: int = 2) -> list[str]:
    """``text`` on at most ``count`` lines of about ``em``: broken between words
    (or between wide characters), the last line cut with an ellipsis."""
    pieces, word = [], ""
    for ch in text:  # words of Latin text, single wide characters
        if unicodedata.east_asian_width(ch) in "WF":
            pieces += [word, ch] if word else [ch]
            word = ""
        elif ch == " ":
            if word:
                pieces.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        pieces.append(word)
    lines = [""]
    for piece in pieces:
        if lines[-1] and _width(lines[-1] + piece.rstrip()) > em:
            if len(lines) == count:
                lines[-1] = lines[-1].rstrip() + "…"
                return [line.rstrip() for line in lines]
            lines.append("")
        lines[-1] += piece
    lines = [line.rstrip() for line in lines]
    for i, line in enumerate(lines):  # a word longer than a line
        while _width(line) > em:
            line = line[:-2] + "…"
        lines[i] = line
    return lines


def svg(catalog, category_id: str, lang: str, title: str) -> Markup:
    """The pathway of a category as an inline SVG picture (empty when it has no arrow)."""
    nodes = layout(catalog, category_id)
    arrows = edges(nodes)
    if not arrows:
        return Markup("")
    width = MARGIN * 2 + (max(n.column for n in nodes) + 1) * (BOX_W + GAP_X) - GAP_X
    height = MARGIN * 2 + max(n.row + 1 for n in nodes) * (BOX_H + GAP_Y) - GAP_Y
    e = html.escape
    out = [f'<svg class="cc-pathway__svg" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="cc-pathway-title" lang="{e(lang)}">',
           f'<title id="cc-pathway-title">{e(title)}</title>',
           '<defs><marker id="cc-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="8" markerHeight="8" '
           'orient="auto"><path d="M0 0L8 4L0 8z" fill="currentColor"/></marker></defs>']
    for pre, course in arrows:
        x1, y1 = pre.x + BOX_W, pre.y + BOX_H // 2
        x2, y2 = course.x - 2, course.y + BOX_H // 2
        mid = (x1 + x2) // 2
        out.append(f'<path class="cc-pathway__arrow" d="M{x1} {y1}C{mid} {y1} {mid} {y2} {x2} {y2}" '
                   f'fill="none" stroke="currentColor" marker-end="url(#cc-arrow)"/>')
    for n in nodes:
        name = n.course.title[lang]
        out.append(f'<g class="cc-pathway__box{" cc-pathway__box--outside" if n.outside else ""}">'
                   f'<title>{e(n.course.code)} {e(name)}</title>'
                   f'<rect x="{n.x}" y="{n.y}" width="{BOX_W}" height="{BOX_H}" rx="4"/>'
                   f'<text x="{n.x + 8}" y="{n.y + 17}" font-size="{FONT}" font-weight="700">{e(n.course.code)}</text>'
                   + "".join(f'<text x="{n.x + 8}" y="{n.y + 34 + 15 * i}" font-size="{FONT}">{e(line)}</text>'
                             for i, line in enumerate(_lines(name)))
                   + "</g>")
    out.append("</svg>")
    return Markup("".join(out))
