"""The offline copy: links name index.html, search index as a script, fixed zip."""

import json
import zipfile

from site_builder.offline import DOWNLOAD, build_offline, offline_html, offline_index


def test_links_to_folders_name_their_index_page():
    html = ('<head></head><a href="../courses/x/">x</a> <a href="./">here</a> <a href="..">up</a> '
            '<a href="#modules">m</a> <a href="https://catalog.example.org/zh/">abs</a> '
            '<link href="../assets/main.css"> <a href="../zh/catalog/?category=ict#top">f</a>')
    out = offline_html(html, depth=2)
    assert '<head><script src="../../assets/javascripts/iframe-worker/shim.js"></script>' in out
    assert 'href="../courses/x/index.html"' in out
    assert 'href="./index.html"' in out and 'href="../index.html"' in out
    assert 'href="#modules"' in out and 'href="https://catalog.example.org/zh/"' in out
    assert 'href="../assets/main.css"' in out
    assert 'href="../zh/catalog/index.html?category=ict#top"' in out


def test_search_index_becomes_a_script_with_file_locations():
    index = {"config": {"lang": ["en"]}, "docs": [
        {"location": "courses/x/", "title": "X", "text": ""},
        {"location": "courses/x/#modules", "title": "M", "text": ""},
        {"location": "", "title": "Home", "text": ""}]}
    script = offline_index(json.dumps(index))
    assert script.startswith("var __index = ")
    data = json.loads(script[len("var __index = "):])
    assert [d["location"] for d in data["docs"]] == [
        "courses/x/index.html", "courses/x/index.html#modules", "index.html"]


def test_zip_is_byte_identical_for_the_same_site(built_site, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    build_offline(built_site, tmp_path / "a")
    build_offline(built_site, tmp_path / "b")
    a, b = (tmp_path / "a" / DOWNLOAD).read_bytes(), (tmp_path / "b" / DOWNLOAD).read_bytes()
    assert a == b
    with zipfile.ZipFile(tmp_path / "a" / DOWNLOAD) as archive:
        names = archive.namelist()
    assert names == sorted(names)
    assert "catalog/index.html" in names and "catalog/zh/search/search_index.js" in names
    assert "catalog/assets/javascripts/iframe-worker/shim.js" in names
    assert not [n for n in names if n.endswith((".map", ".zip"))]
