"""site_builder/labels.py: the one translation table of the interface."""

from __future__ import annotations

import dataclasses

import yaml

from site_builder.labels import TEMPLATES, labels, missing_labels
from site_builder.settings import site_languages
from conftest import REPO


def test_every_label_is_written_in_every_site_language():
    languages = site_languages(REPO)
    assert missing_labels(languages) == {}
    table = labels(languages)
    rows = yaml.safe_load((TEMPLATES / "labels.yml").read_text(encoding="utf-8"))
    for lang in languages:
        assert set(table[lang]) == set(rows)
        assert all(table[lang][key] == rows[key][lang] for key in rows)


def test_a_language_without_labels_shows_the_default_languages_and_is_named():
    languages = site_languages(REPO)
    french = dataclasses.replace(languages, codes=(*languages.codes, "fr"),
                                 names={**languages.names, "fr": "Français"})
    table = labels(french)
    assert table["fr"]["catalog_title"] == table[languages.default]["catalog_title"]
    assert "catalog_title" in missing_labels(french)["fr"]
