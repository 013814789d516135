"""The reading mode of a course page: the texts of another language (and
their pinyin), written as a script the page loads on demand.

Stage: model -> pages.  No MkDocs here.
"""

from __future__ import annotations

import json

from .labels import labels
from .settings import SiteLanguages


def reading_language(languages: SiteLanguages, lang: str) -> str | None:
    """The language a page's reading mode shows beside ``lang``: the default
    language, or on its pages the next one (None for a one-language site)."""
    if lang != languages.default:
        return languages.default
    others = languages.others(lang)
    return others[0] if others else None


def reading_texts(catalog, course, lang: str, other: str, headings, pinyin) -> str:
    """The reading-mode file of a course page in ``lang``: each paired text
    (data-pair in course.html.j2) in ``other``, and its pinyin when ``other``
    is written in Chinese characters.  A script that hands its data (a JSON
    literal, nothing else) to catalog.js: ``ccReading({...});``."""
    t, t_other = labels(catalog.site_languages)[lang], labels(catalog.site_languages)[other]
    by_label = {value: key for key, value in t.items()}
    texts = {"h-title": course.title[other], "summary": course.summary[other],
             "audience": course.audience[other], "requirements": course.requirements[other],
             "certification": course.certification[other]}
    for level, anchor, heading in headings:
        key = by_label.get(heading)
        if level == 2 and key:
            texts[f"h-{anchor}"] = t_other[key]
    for i, outcome in enumerate(course.outcomes):
        texts[f"outcome-{i}"] = outcome[other]
    for i, module in enumerate(course.modules):
        texts[f"module-{i}"] = module.title[other]
        for j, topic in enumerate(module.topics):
            texts[f"topic-{i}-{j}"] = topic[other]
    for i, item in enumerate(course.assessment):
        texts[f"method-{i}"] = item.method[other]
    data = {"lang": other, "texts": texts}
    if catalog.site_languages.script(other) in ("Hans", "Hant", "Hani"):
        data["pinyin"] = {key: pinyin.heading(value) for key, value in texts.items()}
    literal = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Inert inside a script whatever the texts hold: no "</script", no line separators.
    literal = literal.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"ccReading({literal});\n"
