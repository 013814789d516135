"""Learner queries (tests/search_queries.yml), asked of the built site's search
in headless Chromium: each must find its course among the first three results.

Every query goes through the page's own search worker (catalog-search.js, then
Material's), as a typed query does: the page posts it, the worker forgives it
and Material's worker ranks the pages.  The results are read where the page
reads them; a few queries are also typed into the search box, to show that the
box gives the same first results.  The queries are the learners', not ours:
misspellings, British spellings, abbreviations, natural phrases, toneless
pinyin, traditional characters, parts of words, course codes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from chromium import browser, serve  # noqa: F401 (browser: a fixture)
from conftest import make_project
from test_site_browser import search

pytestmark = pytest.mark.browser

QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text(encoding="utf-8"))
CASES = [(lang, case["q"], case["course"], case["kind"]) for lang in QUERIES for case in QUERIES[lang]]

def ask(answer: str) -> str:
    """A query for the page's search worker: wait for its results (Material's
    worker is async), then evaluate ``answer`` on them (``found``)."""
    return """async q => {
  const before = self.catalogSearch.results;
  self.dispatchEvent(new MessageEvent("message", { data: { type: 2, data: q } }));
  for (let i = 0; i < 250 && self.catalogSearch.results === before; i++) {
    await new Promise(done => setTimeout(done, 10));
  }
  const found = self.catalogSearch.results;
  return found === before ? null : """ + answer + """;
}"""


#: The locations of the results.
ASK = ask("found.items.map(group => group[0].location)")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from site_builder.pipeline import build

    root = make_project(tmp_path_factory.mktemp("queries") / "project", real_courses=True)
    assert build(root) == 0
    with serve(root / "site") as url:
        yield url


@pytest.fixture(scope="module")
def workers(browser, site):
    """Each language's page with its search loaded (a first query typed): lang -> (page, worker)."""
    context = browser.new_context()
    out = {}
    for lang, prefix in (("en", ""), ("zh", "zh/")):
        page = context.new_page()
        page.goto(site + prefix)
        search(page, "laser" if lang == "en" else "激光")
        (worker,) = page.workers
        out[lang] = (page, worker)
    yield out
    context.close()


def course_of(location: str) -> str | None:
    parts = location.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "courses" else None


def first_courses(locations: list[str], n: int = 3) -> list[str]:
    out = []
    for location in locations:
        course = course_of(location)
        if course and course not in out:
            out.append(course)
    return out[:n]


@pytest.mark.parametrize("lang, query, course, kind", CASES, ids=[f"{l}-{k}-{q}" for l, q, _, k in CASES])
def test_a_learner_query_finds_its_course_in_the_top_three(workers, lang, query, course, kind):
    _, worker = workers[lang]
    found = worker.evaluate(ASK, query)
    assert found is not None, "no answer from the search worker"
    assert course in first_courses(found), (worker.evaluate("q => self.catalogSearch.forgive(q)", query),
                                            first_courses(found, 5))


def test_every_course_and_kind_is_asked_in_both_languages():
    import glob

    courses = {Path(p).stem for p in glob.glob(str(Path(__file__).parent.parent / "courses" / "*.yml"))}
    for lang in ("en", "zh"):
        asked = [case for case in QUERIES[lang]]
        assert len(asked) >= 60
        assert {case["course"] for case in asked} == courses


@pytest.mark.parametrize("lang, prefix, query, course", [
    ("en", "", "embeded systems", "embedded-system-development"),
    ("en", "", "optical fibre", "optical-fiber-communication"),
    ("zh", "zh/", "機器人", "industrial-robot-operation"),
    ("zh", "zh/", "xinnengyuan", "new-energy-vehicle-technology"),
])
def test_typed_into_the_box_the_same_course_comes_first(browser, site, lang, prefix, query, course):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site + prefix)
    results = search(page, query)
    assert course in first_courses([r.split("/", 2)[-1] if r.startswith("/zh/") else r.lstrip("/")
                                    for r in results]), results[:6]
    context.close()


def test_a_query_that_finds_nothing_suggests_the_closest_words(browser, site):
    context = browser.new_context()
    for prefix, query, word, label in (("", "lazzer", "laser", "Did you mean:"),
                                       ("zh/", "xinnengyaun", "新能源", "您是不是要找：")):
        page = context.new_page()
        page.goto(site + prefix)
        box = page.locator("input[data-md-component=search-query]")
        box.click()
        search(page, "laser" if not prefix else "激光")  # the index is loaded
        box.fill("")
        page.keyboard.type(query, delay=30)
        line = page.locator(".cc-did-you-mean")
        line.wait_for(timeout=10_000)
        assert line.inner_text().startswith(label)
        link = line.get_by_role("button", name=word, exact=True)
        link.click()  # searches again for the word
        page.wait_for_function("w => document.querySelector('[data-md-component=search-query]').value === w", arg=word)
        page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
        assert page.locator(".cc-did-you-mean").count() == 0
    context.close()


#: The words each result says it matched or missed (Material shows the missed
#: ones struck through, and puts the matched ones in the page's ?h=).
TERMS = ask("found.items.flatMap(group => group.map(doc => Object.keys(doc.terms)))")


@pytest.mark.parametrize("lang, query, own", [
    ("en", "fibre splicing", {"fibre", "fiber", "splicing", "splice"}),
    ("en", "car repair", {"car", "repair"}),
    ("zh", "光纤熔接", None),
    ("zh", "汽车维修", None),
])
def test_results_name_only_the_learners_own_words(workers, lang, query, own):
    """Never the rewriter's words (synonyms, stems of other words, the longer
    words a piece stands for), never a word joiner."""
    _, worker = workers[lang]
    found = worker.evaluate(TERMS, query)
    assert found, "no result"
    words = {word for terms in found for word in terms}
    assert words, found
    assert not any("\u2060" in word for word in words), words
    if own is None:  # Chinese: pieces of what was typed
        assert all(word in query for word in words), words
    else:
        assert words <= own, words


def test_shared_result_links_carry_no_invisible_characters(browser, site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site + "zh/")
    search(page, "光纤熔接")
    links = page.locator(".md-search-result__item > a").evaluate_all("els => els.map(e => e.href)")
    assert links and not any("%E2%81%A0" in link.upper() or "\u2060" in link for link in links), links
    assert any("?H=%E5%85%89%E7%BA%A4" in link.upper() for link in links), links  # ?h=光纤…: highlights
    context.close()


@pytest.mark.parametrize("lang, query, place, runs", [
    ("en", "Kenya", "Kenya", False), ("en", "kazakhstan", "Kazakhstan", True), ("en", "Romania", "Romania", False),
    ("en", "oman", "Oman", False), ("zh", "肯尼亚", "肯尼亚", False), ("zh", "泰國", "泰国", True),
    ("zh", "Kenya", "肯尼亚", False), ("en", "哈萨克斯坦", "Kazakhstan", True),
])
def test_a_country_is_understood_in_either_language(workers, lang, query, place, runs):
    _, worker = workers[lang]
    assert worker.evaluate("q => self.catalogSearch.placeOf(q)", query) == [place, runs]


def test_a_country_without_a_run_is_said_plainly_with_the_online_runs(browser, site):
    context = browser.new_context()
    for prefix, query, said in (("", "Kenya", "No course is offered in Kenya yet."), ("zh/", "肯尼亚", "肯尼亚暂无开班。")):
        page = context.new_page()
        page.goto(site + prefix)
        search(page, "laser" if not prefix else "激光")  # the index is loaded
        box = page.locator("input[data-md-component=search-query]")
        box.fill("")
        page.keyboard.insert_text(query)
        page.keyboard.press("End")
        line = page.locator(".cc-place")
        line.wait_for(timeout=10_000)
        assert line.inner_text().startswith(said)
        assert page.locator(".cc-did-you-mean:not(.cc-place)").count() == 0  # no look-alike words
        line.locator("a").click()
        page.wait_for_url(site + prefix + "catalog/?online=yes")
        assert page.locator("#filter-online").is_checked()
    context.close()
