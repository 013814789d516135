"""Stage 2: turn the checked catalog into Markdown pages, one set per language.

One Jinja2 template per page kind; the language is a loop variable.  Author
data is only ever passed *to* templates as values, never rendered *as* a
template, so ``{{ ... }}`` in a course file is just text.  Every value printed
by a template is escaped (see :mod:`site_builder.text`) unless it is already
safe markup produced here.
"""

from __future__ import annotations

import datetime as _dt
import html
import posixpath
import re
from functools import lru_cache
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from . import text
from .model import Catalog
from .report import translation_gaps
from .settings import DEFAULT_LANGUAGE, LANGUAGES

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    """The interface translation table: ``labels()[lang][key]``."""
    table = yaml.safe_load((TEMPLATES / "labels.yml").read_text(encoding="utf-8"))
    return {lang: {key: row[lang] for key, row in table.items()} for lang in LANGUAGES}


def _finalize(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return text.escape(value)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,  # our own escape runs on every {{ }} through finalize
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Markdown heading ids are written {#id}: Jinja comments are {## ... ##}.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["front"] = text.front_matter
    env.filters["markdown"] = text.markdown_to_html
    env.filters["date"] = lambda d: d.isoformat() if isinstance(d, _dt.date) else d
    return env


def relative_url(source: str, target: str) -> str:
    """Relative link between two site-relative URLs (``courses/x/``, ``index.html``)."""
    base = source.rstrip("/") if (source == "" or source.endswith("/")) else posixpath.dirname(source)
    rel = posixpath.relpath(target.rstrip("/") or ".", base or ".")
    if target == "" or target.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel


class Pages:
    """Where each page lives, as a path relative to its language folder."""

    def __init__(self, directory_urls: bool = True, site_url: str = ""):
        self.directory_urls = directory_urls
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""

    def site_file(self, lang: str, page: str, path: str) -> str:
        """Relative URL from ``page`` (in ``lang``) to a file at the site's root."""
        here = ("" if lang == DEFAULT_LANGUAGE else f"{lang}/") + self.url(page)
        base = here.rstrip("/") if (here == "" or here.endswith("/")) else posixpath.dirname(here)
        return posixpath.relpath(path, base or ".")

    def absolute(self, lang: str, page: str) -> str:
        """The published URL of ``page`` in ``lang`` (for QR codes and JSON-LD)."""
        prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
        return self.site_url + prefix + self.url(page)

    @staticmethod
    def home() -> str:
        return "index.md"

    @staticmethod
    def catalog() -> str:
        return "catalog.md"

    @staticmethod
    def category(category_id: str) -> str:
        return f"categories/{category_id}.md"

    @staticmethod
    def course(course_id: str) -> str:
        return f"courses/{course_id}.md"

    @staticmethod
    def status() -> str:
        return "status.md"

    def url(self, page: str) -> str:
        """The site-relative URL MkDocs gives the page ``page``."""
        stem = page[: -len(".md")]
        if stem == "index" or stem.endswith("/index"):
            stem = stem[: -len("index")]
            return stem + ("" if self.directory_urls else "index.html")
        return stem + ("/" if self.directory_urls else ".html")

    def link(self, source: str, target: str) -> str:
        """Relative URL from page ``source`` to page ``target``."""
        return relative_url(self.url(source), self.url(target))


def render_pages(catalog: Catalog, *, directory_urls: bool = True, site_url: str = "",
                 only_courses: set[str] | None = None, download: str | None = None,
                 languages: tuple[str, ...] = LANGUAGES) -> dict[str, str]:
    """Every generated page: ``{"en/courses/x.md": markdown, ...}``, of ``languages``."""
    env = environment()
    pages = Pages(directory_urls, site_url)
    ordered = catalog.ordered_courses()
    dependents = _dependents(ordered)  # once: per course it would cost O(n²)
    gaps = {course.id: translation_gaps(course) for course in ordered}
    out: dict[str, str] = {}
    for lang in languages:
        other = [l for l in LANGUAGES if l != lang]
        common = dict(lang=lang, other_langs=other, t=labels()[lang], catalog=catalog,
                      pages=pages, default_lang=DEFAULT_LANGUAGE)

        def render(template: str, page: str, **extra) -> None:
            def link(target: str) -> Markup:
                return Markup(html.escape(pages.link(page, target)))

            out[f"{lang}/{page}"] = env.get_template(template).render(
                **common, page=page, link=link, **extra)

        render("home.md.j2", pages.home(), courses=ordered,
               download=Markup(html.escape(pages.site_file(lang, pages.home(), download)))
               if download else None)
        render("catalog.md.j2", pages.catalog(), courses=ordered,
               filters=_filters(catalog, ordered, lang, labels()[lang]))
        for category_id, category in catalog.categories.items():
            render("category.md.j2", pages.category(category_id), category=category,
                   courses=catalog.in_category(category_id))
        for course in ordered:
            if only_courses is not None and course.id not in only_courses:
                continue
            render("course.md.j2", pages.course(course.id), course=course,
                   jsonld=_jsonld(catalog, course, lang, pages, labels()[lang]),
                   qr=_qr(pages.absolute(lang, pages.course(course.id)), labels()[lang]),
                   dependents=dependents.get(course.id, []), glossary=_glossary(course),
                   untranslated=[_part_label(g.path, common["t"]) for g in gaps[course.id][lang]])
        render("status.md.j2", pages.status(), languages=LANGUAGES,
               rows=[{"course": c, "gaps": gaps[c.id]} for c in ordered],
               complete=sum(1 for c in ordered if not any(gaps[c.id].values())))
    return out


def _dependents(ordered) -> dict[str, list]:
    """Course id -> the courses listing it as a prerequisite, in catalog order
    (what ``Catalog.dependents`` gives, for every course in one pass)."""
    out: dict[str, list] = {}
    for course in ordered:
        for pre in dict.fromkeys(course.prerequisites or []):
            out.setdefault(pre, []).append(course)
    return out


def _part_label(path: tuple, t: dict) -> str:
    """("modules", 1, "topics", 0) -> "Modules 2 › Topics 1", in the page's language."""
    words: list[str] = []
    for part in path:
        if isinstance(part, int) and words:
            words[-1] += f" {part + 1}"
        else:
            words.append(t.get(f"field_{part}") or t.get(str(part)) or str(part))
    return " › ".join(words)


def _filters(catalog, courses, lang: str, t: dict) -> list[tuple]:
    """(card attribute, label, [(value, name)]) for each catalog filter.

    Only values some course uses are offered, in the shared tables' order.
    """
    def used(table: dict, values) -> list[tuple[str, str]]:
        present = set(values)
        return [(key, row.name[lang]) for key, row in table.items() if key in present]

    return [
        ("category", t["category"], used(catalog.categories, (c.category for c in courses))),
        ("level", t["level"], used(catalog.levels, (c.level for c in courses))),
        ("delivery", t["delivery"], [(d, t["delivery_" + d]) for d in ("onsite", "online", "blended")
                                     if any(c.delivery == d for c in courses)]),
        ("regions", t["regions"], used(catalog.regions, (r for c in courses for r in c.regions))),
        ("languages", t["instruction_languages"],
         used(catalog.languages, (l for c in courses for l in c.instruction_languages))),
    ]


def _jsonld(catalog, course, lang: str, pages: Pages, t: dict) -> Markup:
    """schema.org Course, as a <script> body that no text can break out of."""
    def url(course_id: str) -> str:
        return pages.absolute(lang, pages.course(course_id))

    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "@id": url(course.id),
        "url": url(course.id),
        "courseCode": course.code,
        "name": course.title[lang],
        "description": course.summary[lang],
        "inLanguage": list(course.instruction_languages),
        "educationalLevel": catalog.levels[course.level].name[lang],
        "teaches": [outcome[lang] for outcome in course.outcomes],
        "provider": {"@type": "EducationalOrganization", "name": t["provider_name"]},
        "coursePrerequisites": [
            {"@type": "Course", "courseCode": catalog.courses[p].code,
             "name": catalog.courses[p].title[lang], "url": url(p)}
            for p in course.prerequisites if p in catalog.courses],
        "hasCourseInstance": {
            "@type": "CourseInstance",
            "courseMode": {"onsite": "Onsite", "online": "Online", "blended": "Blended"}[course.delivery],
            "courseWorkload": f"PT{course.hours}H",
        },
        "dateModified": course.updated.isoformat(),
    }
    if course.certification and course.certification[lang]:
        data["educationalCredentialAwarded"] = course.certification[lang]
    return Markup(text.script_json(data))


def _qr(url: str, t: dict) -> Markup:
    """The page's URL as an inline SVG QR code (no image request, prints sharply)."""
    import segno

    _fast_qr_masks()
    if not url.startswith(("http://", "https://")):
        return Markup("")
    svg = segno.make(url, error="m").svg_inline(scale=3, border=2, title=t["qr_title"],
                                               svgclass="cc-qr__code", lineclass=None)
    return Markup(svg)


# QR codes: segno picks the data mask with the lowest penalty (ISO/IEC 18004
# 7.8.3) by scoring all eight masks module by module in Python, most of the
# time of rendering a course page.  The same scores, computed on whole rows.

def _fast_qr_masks() -> None:
    """Let segno choose its masks with :func:`_best_mask` (once per process)."""
    import functools

    from segno import encoder

    if not isinstance(encoder.find_and_apply_best_mask, functools.partial):
        encoder.find_and_apply_best_mask = functools.partial(
            _best_mask, _original=encoder.find_and_apply_best_mask)


_QR_RUN = re.compile(rb"\x00{5,}|\x01{5,}")
_QR_N3 = bytes((1, 0, 1, 1, 1, 0, 1))


@lru_cache(maxsize=64)
def _qr_layout(size: int) -> tuple:
    """For a symbol of ``size``: each mask pattern's XOR of the data modules,
    laid out row by row and column by column (a 0x02 byte ends every line),
    and the modules where a 2x2 block can end (row and column above exist)."""
    from segno import encoder

    function_matrix = encoder.make_matrix(size, size)
    encoder.add_finder_patterns(function_matrix, size, size)
    encoder.add_alignment_patterns(function_matrix, size, size)
    function_matrix[-8][8] = 0x1
    masks = []
    for pattern in encoder.get_data_mask_functions(False):
        xor = [[pattern(i, j) if function_matrix[i][j] > 0x1 else 0 for j in range(size)]
               for i in range(size)]
        masks.append((_qr_lines(xor, b"\0"), _qr_lines(zip(*xor), b"\0")))
    corners = _qr_lines([[int(i > 0 and j > 0) for j in range(size)] for i in range(size)], b"\0")
    return tuple(masks), corners


def _qr_lines(lines, end: bytes) -> int:
    return int.from_bytes(b"".join(bytes(line) + end for line in lines), "big")


def _qr_n3(seq: bytes, size: int) -> int:
    """segno's N3 count of one row or column (same scan, same quirks)."""
    count = 0
    idx = seq.find(_QR_N3)
    while idx != -1:
        offset = idx + 7
        if idx in (0, size - 7) or not any(seq[max(idx - 4, 0):min(idx, size)]) \
                or not any(seq[max(offset, 0):min(offset + 4, size)]):
            count += 40
        else:
            offset = idx + 4
        idx = seq.find(_QR_N3, offset)
    return count


def _qr_score(rows: int, cols: int, size: int, corners: int) -> tuple[int, bytes]:
    """segno's penalty (N1 + N2 + N3 + N4) of a masked symbol given as whole
    integers, one byte per module, row by row and column by column."""
    length = size * (size + 1)
    row_bytes, col_bytes = rows.to_bytes(length, "big"), cols.to_bytes(length, "big")
    runs = _QR_RUN.findall(row_bytes + col_bytes)          # 0x02 ends every line
    n1 = sum(map(len, runs)) - 2 * len(runs)
    stride = 8 * (size + 1)
    left = ~(rows ^ (rows >> 8))                            # same as the module to the left
    up = ~(rows ^ (rows >> stride))                         # same as the module above
    n2 = 3 * (left & up & (left >> stride) & corners).bit_count()
    n3 = sum(_qr_n3(line, size) for line in (row_bytes + col_bytes).split(b"\x02")
             if _QR_N3 in line)
    dark = rows.bit_count() - size                          # less the line ends' bits
    n4 = 10 * int(abs(float(dark) / (size ** 2) * 100 - 50) / 5)
    return n1 + n2 + n3 + n4, row_bytes


def _best_mask(matrix, width, height, proposed_mask=None, *, _original):
    """segno's find_and_apply_best_mask: the same choice and matrix, several times
    faster: the symbol as one integer per mask, runs and patterns found by
    C-level searches instead of a Python loop over every module."""
    if proposed_mask is not None or width != height or width < 21:
        return _original(matrix, width, height, proposed_mask)
    size = width
    masks, corners = _qr_layout(size)
    rows, cols = _qr_lines(matrix, b"\x02"), _qr_lines(zip(*matrix), b"\x02")
    best = None
    for number, (mask_rows, mask_cols) in enumerate(masks):
        score, row_bytes = _qr_score(rows ^ mask_rows, cols ^ mask_cols, size, corners)
        if best is None or score < best[0]:
            best = (score, number, row_bytes)
    return best[1], tuple(bytearray(line) for line in best[2].split(b"\x02")[:size])


def _glossary(course) -> list[dict]:
    return [{"zh": term.zh, "en": term.en, "pinyin": _pinyin(term.zh)} for term in course.glossary]


@lru_cache(maxsize=8192)
def _pinyin(zh: str) -> str:
    """Pinyin with tone marks; terms recur across courses (the term base)."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(zh, style=Style.TONE, errors="default"))


# ---------------------------------------------------------------------------
# What each course page is rendered from, for rebuilding only changed pages
# ---------------------------------------------------------------------------

def fingerprints(catalog: Catalog, *, directory_urls: bool = True, site_url: str = "") -> dict[str, str]:
    """Course id -> digest of everything its pages are rendered from: the
    course, its prerequisites and dependents, the shared tables, the page
    options and this package's code and templates.  A course whose digest is
    unchanged since the last build keeps its pages without rendering them."""
    import hashlib
    import json

    def digest(value) -> bytes:
        return hashlib.sha256(json.dumps(value, default=repr, sort_keys=True,
                                         ensure_ascii=False).encode("utf-8")).digest()

    common = hashlib.sha256(_code_digest())
    common.update(digest([catalog.categories, catalog.levels, catalog.languages, catalog.regions,
                          catalog.partners, catalog.terms, directory_urls, site_url]))
    own = {cid: digest([course, repr(translation_gaps(course))])
           for cid, course in catalog.courses.items()}
    dependents = _dependents(catalog.ordered_courses())
    out = {}
    for cid, course in catalog.courses.items():
        h = common.copy()
        h.update(own[cid])
        for other in [*(course.prerequisites or []), "|", *(d.id for d in dependents.get(cid, []))]:
            h.update(own.get(other, other.encode("utf-8")))
        out[cid] = h.hexdigest()
    return out


def _code_digest() -> bytes:
    import hashlib

    h = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *TEMPLATES.glob("*")]):
        if path.is_file():
            h.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return h.digest()
