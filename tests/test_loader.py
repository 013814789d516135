"""The YAML loader: positions, duplicate keys, no implicit typing, no objects."""

import pytest

from site_builder.loader import LoadError, load_file, load_text


def load(text):
    return load_text(text, "courses/x.yml")


def error(text):
    with pytest.raises(LoadError) as info:
        load(text)
    return info.value.problem.format()


def test_every_scalar_is_text_as_typed():
    doc = load("a: no\nb: on\nc: 1.10\nd: 2025-01-01\ne: 012\nf: yes\n")
    assert doc.data == {"a": "no", "b": "on", "c": "1.10", "d": "2025-01-01", "e": "012", "f": "yes"}


def test_empty_and_null_are_none_but_quoted_null_is_text():
    doc = load('a:\nb: ~\nc: null\nd: "null"\n')
    assert doc.data == {"a": None, "b": None, "c": None, "d": "null"}


def test_positions_of_values_and_keys():
    doc = load("title:\n  en: Hello\n  zh: 你好\nlist:\n  - one\n  - two\n")
    assert doc.where(("title", "zh")) == (3, 7)
    assert doc.where_key(("title", "zh")) == (3, 3)
    assert doc.where(("list", 1)) == (6, 5)
    assert doc.where(("title", "missing")) == doc.where(("title",))


def test_duplicate_key_names_both_lines():
    assert error("id: a\ncode: X\nid: b\n") == (
        'courses/x.yml:3:1: the key "id" a second time (first at line 1); expected each field once')


def test_python_object_tags_are_refused_without_constructing():
    message = error("a: !!python/object/apply:os.system ['touch /tmp/pwned']\n")
    assert message.startswith("courses/x.yml:1:4: the tag tag:yaml.org,2002:python/object/apply:os.system")


def test_aliases_are_refused():
    assert "alias" in error("a: &x [1, 2]\nb: *x\n")


def test_merge_keys_are_refused():
    assert "merge key" in error("a: {x: 1}\nb:\n  <<: {x: 2}\n")


def test_tabs_get_a_located_message():
    message = error("title:\n\ten: x\n")
    assert message.startswith("courses/x.yml:2:1: a tab character; expected spaces for indentation")


def test_deep_nesting_is_refused():
    assert "nesting deeper" in error("a: " + "[" * 40 + "]" * 40 + "\n")


def test_empty_file():
    assert error("") == ("courses/x.yml:1:1: an empty file; expected a mapping of fields "
                         "(see courses/README or `new`)")


def test_bom_crlf_and_non_utf8(tmp_path):
    good = tmp_path / "good.yml"
    good.write_bytes(b"\xef\xbb\xbfa: 1\r\nb: 2\r\n")
    assert load_file(good, "good.yml").data == {"a": "1", "b": "2"}
    bad = tmp_path / "bad.yml"
    bad.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(LoadError) as info:
        load_file(bad, "bad.yml")
    assert info.value.problem.format() == (
        "bad.yml:2:7: byte 0xe9 that is not UTF-8; expected a file saved as UTF-8")


def test_oversize_file(tmp_path):
    big = tmp_path / "big.yml"
    big.write_text("a: " + "x" * 300_000 + "\n")
    with pytest.raises(LoadError) as info:
        load_file(big, "big.yml")
    assert "at most 262144 bytes" in info.value.problem.format()
