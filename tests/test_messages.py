"""Messages to authors in their language: the twelve mistakes of a new author in
one run, located and explained in every message language; the catalogs
complete and compiled; the language picked from the locale."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from conftest import FIXTURES, PYTHON, make_project

from site_builder import messages
from site_builder.messages import Translator, author_language, message_languages

COURSE = "photonics-technology"

#: What a teacher new to YAML typed, each with where its message must point
#: (line, column, a word of the message that names the field or the slip).
MISTAKES = [
    # Syntax, as a Chinese keyboard or an editor types it.
    ("\nlevel: intermediate\n", "\nlevel：intermediate\n", (32, 6, "：")),
    ("  en: Photonics Technology (WorldSkills Standard)\n",
     "  en: Photonics Technology: WorldSkills Standard\n", (6, 27, "")),
    ("\n  zh: 具备电子或物理基础", "\n\tzh: 具备电子或物理基础", (41, 1, "")),
    ("\n  en: Vocational students", "\n\u3000\u3000en: Vocational students", (40, 1, "U+3000")),
    # Values.
    ("\nsummary:\n", "\nsumary:\n", (8, 1, '"summary"')),
    ("currency: CNY}", "currency: RMB}", (139, 49, '"CNY"')),
    ("end: 2027-06-25", "end: 2027-06-01", (144, 10, "2027-06-07")),
    ("apply: https://example.org/apply/photonics-technology/2027-03-chongqing",
     "apply: http://example.org/apply/photonics-technology/2027-03-chongqing", (140, 12, "https://")),
    ("\ncategory: optoelectronics\n", "\ncategory: optoelectronic\n", (31, 11, '"optoelectronics"')),
    ("\nhours: 96\n", "\nhours: ninety-six\n", (33, 8, "ninety-six")),
    ("\nupdated: 2026-03-02\n", "\nupdated: 2026-02-30\n", (180, 10, "2026-02-30")),
    ("venue: rmutr-nakhon-pathom", "venue: rmutr-nakon-pathom", (147, 12, '"rmutr-nakhon-pathom"')),
]


@pytest.fixture(scope="module")
def twelve(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("twelve") / "project")
    text = (FIXTURES / "courses" / f"{COURSE}.yml").read_text(encoding="utf-8")
    for before, after, _ in MISTAKES:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    (root / "courses" / f"{COURSE}.yml").write_text(text, encoding="utf-8")
    return root


def check(root, *args, lang_env="C.UTF-8"):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = lang_env
    return subprocess.run([PYTHON, "-m", "site_builder", "--root", str(root), *args],
                          capture_output=True, text=True, env=env)


def located(stderr: str) -> dict[tuple[int, int], str]:
    out = {}
    for line in stderr.splitlines():
        m = re.match(rf"courses/{COURSE}\.yml:(\d+):(\d+): (.*)", line)
        if m:
            out[(int(m.group(1)), int(m.group(2)))] = m.group(3)
    return out


@pytest.mark.parametrize("lang", message_languages())
def test_the_twelve_mistakes_come_in_one_run_each_located(twelve, lang):
    run = check(twelve, "--lang", lang, "check", "--strict")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    found = located(run.stderr)
    warning = Translator(lang).gettext("warning: {label}{found}; expected {expected}").split("{")[0]
    errors = {where: text for where, text in found.items() if not text.startswith(warning)}
    for _, _, (line, col, word) in MISTAKES:
        assert (line, col) in errors, (line, col, run.stderr)
        assert word in errors[(line, col)], (word, errors[(line, col)])
    assert len(errors) == len(MISTAKES), run.stderr
    if lang != messages.SOURCE_LANGUAGE:
        english = located(check(twelve, "--lang", messages.SOURCE_LANGUAGE, "check", "--strict").stderr)
        for where, text in errors.items():
            assert text != english[where], text  # translated, every one
            assert re.search(r"[\u4e00-\u9fff]", text), text
    assert run.stderr.rstrip().splitlines()[-1] == Translator(lang).gettext("error: {message}").format(
        message=messages.Plural("{count} problem found in course files", "{count} problems found in course files",
                                count=len(MISTAKES)).translated(Translator(lang)))


def test_the_language_comes_from_the_locale(twelve):
    zh = [lang for lang in message_languages() if lang != messages.SOURCE_LANGUAGE]
    for lang in zh:
        by_locale = check(twelve, "check", "--strict", lang_env=f"{lang}_CN.UTF-8")
        asked = check(twelve, "--lang", lang, "check", "--strict")
        assert by_locale.stderr == asked.stderr
    plain = check(twelve, "check", "--strict", lang_env="C.UTF-8")
    assert plain.stderr == check(twelve, "--lang", messages.SOURCE_LANGUAGE, "check", "--strict").stderr


def test_author_language_reads_gettext_variables_in_order():
    available = message_languages()
    other = next((lang for lang in available if lang != messages.SOURCE_LANGUAGE), None)
    assert author_language(environ={}) == messages.SOURCE_LANGUAGE
    assert author_language(environ={"LANG": "fr_FR.UTF-8"}) == messages.SOURCE_LANGUAGE
    if other:
        assert author_language(environ={"LANG": f"{other}_CN.UTF-8"}) == other
        assert author_language(environ={"LC_ALL": "C", "LANG": f"{other}_CN.UTF-8"}) == messages.SOURCE_LANGUAGE
        assert author_language(messages.SOURCE_LANGUAGE, environ={"LANG": f"{other}_CN"}) == messages.SOURCE_LANGUAGE


def test_annotations_carry_every_language_unless_one_is_asked(twelve):
    run = check(twelve, "check", "--strict", "--format", "github")
    annotations = [line for line in run.stdout.splitlines() if line.startswith("::error ")]
    assert len(annotations) == len(MISTAKES)
    for line in annotations:
        assert line.count("%0A") == len(message_languages()) - 1, line
    one = check(twelve, "--lang", messages.SOURCE_LANGUAGE, "check", "--strict", "--format", "github")
    assert all("%0A" not in line for line in one.stdout.splitlines())


def test_every_marked_text_is_translated_and_the_catalogs_are_compiled():
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    template = messages.extract()
    assert len(template) > 150  # the loader's, the schema's, the rules' and the log's messages
    for lang in message_languages()[1:]:
        assert messages.untranslated(lang) == [], lang
        po, mo = messages.catalog_files(lang)
        with open(po, "rb") as handle:
            catalog = read_po(handle, locale=lang)
        # No text the code no longer has, and every field of each text kept.
        assert {m.id for m in catalog if m.id} == {m.id for m in template if m.id}, \
            "run: python -m site_builder messages"
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            fields = set(re.findall(r"\{(\w+)\}", ids[-1])) | set(re.findall(r"%[sd]", ids[-1]))
            for string in strings:
                assert set(re.findall(r"\{(\w+)\}", string)) | set(re.findall(r"%[sd]", string)) == fields, \
                    (message.id, string)
        compiled = BytesIO()
        write_mo(compiled, catalog)
        assert mo.read_bytes() == compiled.getvalue(), "run: python -m site_builder messages"


def test_currency_names_lead_to_their_code():
    from site_builder.schema import currency_named

    assert currency_named("RMB") == {"CNY"}
    assert currency_named("usd") == {"USD"}
    assert currency_named("euro") == {"EUR"}
    assert "CNY" in currency_named("¥")
    if len(message_languages()) > 1:
        assert currency_named("人民币") == {"CNY"}


def test_typing_slips_are_named_at_their_own_column():
    from site_builder.loader import LoadError, load_text

    text = "id: a\ntitle：\n  en: Hi\n  zh: 你好\ncode:\u3000X\nhours: 3\n"
    with pytest.raises(LoadError) as caught:
        load_text(text, "courses/a.yml")
    where = [(p.line, p.column, str(p.found)) for p in caught.value.problems]
    assert where == [(2, 6, "a full-width colon ："), (5, 6, "a full-width space (U+3000) after the colon")]
    # What could be read around them is still there to be checked.
    assert caught.value.document.data == {"id": "a", "title": {"en": "Hi", "zh": "你好"}, "code": "X", "hours": "3"}


def test_reading_goes_on_after_each_syntax_mistake():
    from site_builder.loader import LoadError, load_text

    text = ("id: a\ntitle:\n  en: A: b\n  zh: 甲\nsummary:\n  en: 'open\nhours: 3\n")
    with pytest.raises(LoadError) as caught:
        load_text(text, "courses/a.yml")
    assert [(p.line, p.column) for p in caught.value.problems] == [(3, 8), (6, 7)]
    assert [str(p.found) for p in caught.value.problems] == [
        "a colon followed by a space inside a text", "a quotation mark that is never closed"]
    document = caught.value.document
    assert document.data["id"] == "a" and document.data["title"] == {"zh": "甲"}
    assert "en" in document.skipped  # not reported again as a missing text
