"""Offerings: the model's rules (site_builder/offerings.py), their validation
(located messages), and what a build shows of them on pages and in JSON-LD."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from html import unescape

import pytest

from conftest import BUILD_DATE, base_course, course_yaml

from site_builder import offerings
from site_builder.readers import read_catalog
from site_builder.schema import Obj

#: Its outcome depends on a date: run again with the clock moved (.ci/run).
pytestmark = pytest.mark.dates

TODAY = dt.date.fromisoformat(BUILD_DATE)


def run(**fields) -> Obj:
    """An offering as the checker makes it (every declared field present)."""
    base = dict(id="x", status="open", start=dt.date(2027, 4, 5), end=dt.date(2027, 4, 9),
                deadline=dt.date(2027, 3, 12), delivery="onsite", venue="cquet-chongqing",
                timezone=None, instruction_languages=["en"], entry_levels={"en": "CEFR B1"},
                interpretation=False, seats=20, fee=Obj(type="free", amount=None, currency=None, note=None),
                apply="https://example.org/apply", note=None)
    base.update(fields)
    return Obj(base)


# ---------------------------------------------------------------------------
# Pure rules
# ---------------------------------------------------------------------------

def test_state_follows_the_build_date_not_only_the_status():
    assert offerings.state(run(), TODAY) == "open"
    assert offerings.state(run(status="waitlist"), TODAY) == "waitlist"
    # Marked open, but its deadline has passed: never shown as open.
    assert offerings.state(run(deadline=dt.date(2026, 11, 30), start=dt.date(2026, 12, 5),
                               end=dt.date(2026, 12, 9)), TODAY) == "deadline_passed"
    # The deadline day itself still counts.
    assert offerings.state(run(deadline=TODAY), TODAY) == "open"
    # Ended: past, whatever the status says.
    assert offerings.state(run(start=dt.date(2025, 4, 7), end=dt.date(2025, 4, 11),
                               deadline=dt.date(2025, 3, 1)), TODAY) == "past"
    assert offerings.state(run(status="cancelled"), TODAY) == "cancelled"
    # "Open" never without a way to apply.
    assert offerings.state(run(apply=None), TODAY) == "deadline_passed"
    assert not offerings.can_apply(run(apply=None), TODAY)


def test_upcoming_past_and_next_to_apply():
    runs = [run(id="late", start=dt.date(2027, 9, 1), end=dt.date(2027, 9, 5), deadline=dt.date(2027, 8, 1)),
            run(id="full", status="closed", start=dt.date(2027, 2, 1), end=dt.date(2027, 2, 5),
                deadline=dt.date(2027, 1, 1)),
            run(id="old", status="closed", start=dt.date(2025, 4, 7), end=dt.date(2025, 4, 11),
                deadline=dt.date(2025, 3, 1)),
            run(id="running", status="closed", start=dt.date(2026, 11, 20), end=dt.date(2026, 12, 20),
                deadline=dt.date(2026, 11, 1))]
    course = Obj(offerings=runs)
    assert [o.id for o in offerings.upcoming(course, TODAY)] == ["running", "full", "late"]
    assert [o.id for o in offerings.past(course, TODAY)] == ["old"]
    assert offerings.next_to_apply(course, TODAY).id == "late"
    assert offerings.next_to_apply(Obj(offerings=[]), TODAY) is None


def test_starting_within_counts_calendar_months():
    assert offerings.add_months(dt.date(2026, 12, 31), 2) == dt.date(2027, 2, 28)
    assert offerings.add_months(dt.date(2026, 12, 1), 1) == dt.date(2027, 1, 1)
    course = Obj(offerings=[run(start=dt.date(2027, 2, 15), end=dt.date(2027, 2, 20),
                                deadline=dt.date(2027, 1, 15))])
    assert offerings.starts_within(course, TODAY) == [3, 6]
    cancelled = Obj(offerings=[run(status="cancelled", start=dt.date(2026, 12, 10),
                                   end=dt.date(2026, 12, 12), deadline=dt.date(2026, 12, 5))])
    assert offerings.starts_within(cancelled, TODAY) == []


def test_dates_and_money_in_each_language():
    catalog, _ = read_catalog(_root())
    o = run(start=dt.date(2027, 4, 7), end=dt.date(2027, 4, 11))
    en = offerings.Formats(catalog, "en", _labels(catalog, "en"))
    zh = offerings.Formats(catalog, "zh", _labels(catalog, "zh"))
    assert en.dates(o) == "7 – 11 Apr 2027"
    assert zh.dates(o) == "2027年4月7日至11日"
    assert en.dates(run(start=dt.date(2027, 4, 28), end=dt.date(2027, 5, 2))) == "28 Apr – 2 May 2027"
    assert en.weeks(o) == "5 days" and zh.weeks(o) == "5天"
    assert en.weeks(run(start=dt.date(2027, 3, 8), end=dt.date(2027, 4, 16))) == "6 weeks"
    # The currency's name in the reader's language (CLDR), never a bare code run into the digits.
    assert offerings.money(Decimal("3800"), "CNY", "en_GB") == "3,800 Chinese yuan"
    assert offerings.money(Decimal("14500"), "THB", "en_GB") == "14,500 Thai baht"
    assert offerings.money(Decimal("14500"), "THB", "zh_Hans_CN") == "14,500泰铢"
    assert offerings.money(Decimal("12.50"), "USD", "en_GB") == "12.50 US dollars"
    assert en.place(o) == "CQUET main campus, Chongqing, China"
    assert zh.place(o) == "中国 重庆 重庆电子科技职业大学校本部"
    # The time zone in words at the run's first day, with its offset (CLDR).
    assert en.place(run(venue=None, delivery="online", timezone="Asia/Bangkok")) == \
        "Online (Indochina Time, UTC+7)"
    assert zh.place(run(venue=None, delivery="online", timezone="Asia/Shanghai")) == "线上（中国标准时间，UTC+8）"
    assert en.place(run(venue=None, delivery="online", timezone="Asia/Kolkata")) == \
        "Online (India Standard Time, UTC+5:30)"
    assert en.languages(run(instruction_languages=["zh", "en"], entry_levels={"zh": "HSK 3", "en": "CEFR B1"})) \
        == "Chinese (HSK 3), English (CEFR B1)"
    assert zh.languages(run(instruction_languages=["zh"], entry_levels={"zh": "HSK 3"})) == "中文（HSK 3）"


def _root():
    from conftest import REPO

    return REPO


def _labels(catalog, lang):
    from site_builder.labels import labels

    return labels(catalog.site_languages)[lang]


# ---------------------------------------------------------------------------
# Validation, located like every other error
# ---------------------------------------------------------------------------

def write(project, offerings_yaml: str, **changes) -> str:
    """The fixture course with ``offerings_yaml`` as its offerings block; returns the file's text."""
    data = base_course()
    data.update(regions=["china"], partners=[])  # where GOOD runs
    data.update(changes)
    data.pop("offerings", None)
    text = course_yaml(data).replace("status: active\n", offerings_yaml + "status: active\n")
    (project / "courses" / "photonics-technology.yml").write_text(text, encoding="utf-8")
    return text


GOOD = """\
  - id: a
    status: open
    start: 2027-04-05
    end: 2027-04-09
    deadline: 2027-03-12
    delivery: onsite
    venue: cquet-chongqing
    instruction_languages: [en]
    entry_levels: {en: CEFR B1}
    interpretation: false
    seats: 20
    fee: {type: paid, amount: "3800", currency: CNY}
    apply: https://example.org/apply
"""


def problems_of(project, strict=False):
    _, problems = read_catalog(project, missing_translation="error" if strict else "warning")
    return [p.format() for p in problems if p.path.endswith("photonics-technology.yml")]


def at(text: str, needle: str, nth: int = 0) -> str:
    """"line:column" of the value after ``needle`` (its nth occurrence)."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    column = index - text.rfind("\n", 0, index) + len(needle)
    return f"{line}:{column}"


def test_a_good_offering_checks_clean(project):
    write(project, "offerings:\n" + GOOD)
    assert problems_of(project) == []


def test_each_offering_mistake_is_reported_at_its_field(project):
    bad = (GOOD.replace("end: 2027-04-09", "end: 2027-04-01")           # end before start
           .replace("deadline: 2027-03-12", "deadline: 2027-04-06")     # deadline after start
           + GOOD.replace("venue: cquet-chongqing", "venue: atlantis")  # unknown venue
           .replace("currency: CNY", "currency: XYZ")                    # not ISO 4217
           .replace("apply: https://example.org/apply", "apply: javascript:alert(1)")
           .replace("seats: 20", "seats: -3")
           + GOOD.replace("start: 2027-04-05", "start: 2027-02-30")       # no such date
           .replace("apply: https://example.org/apply", "apply: http://example.org/apply")
           + GOOD.replace("delivery: onsite\n    venue: cquet-chongqing",
                          "delivery: online\n    timezone: Mars/Olympus_Mons")
           .replace("apply: https://example.org/apply", "apply: data:text/html,hi")
           + GOOD.replace("id: a", "id: a"))                                # duplicate id
    text = write(project, "offerings:\n" + bad)
    f = "courses/photonics-technology.yml"
    got = problems_of(project)
    expected = [
        f"{f}:{at(text, 'end: ')}: offerings[0].end: 2027-04-01, before the start 2027-04-05; "
        "expected an end date on or after the start date",
        f"{f}:{at(text, 'deadline: ')}: offerings[0].deadline: 2027-04-06, after the start 2027-04-05; "
        "expected a deadline on or before the start date",
        f"{f}:{at(text, 'seats: ', 1)}: offerings[1].seats: \"-3\"; expected a whole number of seats from 0 to 10000",
        f"{f}:{at(text, 'currency: ', 1)}: offerings[1].fee.currency: \"XYZ\"; "
        "expected an ISO 4217 currency code in capitals, e.g. USD, CNY, THB",
        f"{f}:{at(text, 'apply: ', 1)}: offerings[1].apply: \"javascript:alert(1)\", a link of the scheme "
        "'javascript'; expected an https:// link or a mailto: address, e.g. https://example.org/apply",
        f"{f}:{at(text, 'venue: ', 1)}: offerings[1].venue: \"atlantis\", which is not in "
        "courses/_shared/venues.yml; expected one of",
        f"{f}:{at(text, 'start: ', 2)}: offerings[2].start: \"2027-02-30\", a date that does not exist; "
        "expected a date written YYYY-MM-DD, e.g. 2027-04-05",
        f"{f}:{at(text, 'apply: ', 2)}: offerings[2].apply: \"http://example.org/apply\", a link of the "
        "scheme 'http'; expected an https:// link or a mailto: address",
        f"{f}:{at(text, 'timezone: ')}: offerings[3].timezone: \"Mars/Olympus_Mons\"; "
        "expected an IANA time zone name",
        f"{f}:{at(text, 'apply: ', 3)}: offerings[3].apply: \"data:text/html,hi\", a link of the scheme 'data'",
        f"{f}:{at(text, '- id: ', 4)}: offerings[4].id: "
        "\"a\" a second time (first as offering 1); expected an id used once",
    ]
    for line in expected:
        assert any(message.startswith(line) for message in got), (line, got)
    assert all(m.startswith(f + ":") for m in got)


@pytest.mark.parametrize("link, why", [
    ("JAVASCRIPT:alert(1)", "the scheme 'javascript'"),
    ("  javascript:alert(1)", "the scheme 'javascript'"),
    ("&#106;avascript:alert(1)", "the scheme '&#106;avascr'"),
    ("//evil.example/x", "without https: or mailto:"),
    ("https:\\\\evil.example", "backslashes"),
    ("https:/evil.example", "without a host"),
    ("https://user@evil.example/", "a user name"),
    ("https://exa mple.org/", "spaces"),
    ("mailto:", "without one valid address"),
    ("mailto:someone@", "without one valid address"),
    ("vbscript:msgbox", "the scheme 'vbscript'"),
    ("https://localhost/", "not a domain name"),
])
def test_apply_links_refuse_every_other_scheme(project, link, why):
    write(project, "offerings:\n" + GOOD.replace("apply: https://example.org/apply", f"apply: '{link}'"))
    got = [m for m in problems_of(project) if "offerings[0].apply" in m]
    assert len(got) == 1 and why in got[0], got


def test_apply_links_are_kept_as_written_but_normalised(project):
    write(project, "offerings:\n" + GOOD.replace("apply: https://example.org/apply",
                                                 "apply: HTTPS://Example.ORG/Apply?a=1&b=2"))
    assert problems_of(project) == []
    catalog, _ = read_catalog(project)
    assert catalog.courses["photonics-technology"].offerings[0].apply == "https://example.org/Apply?a=1&b=2"


def test_rules_that_span_an_offering(project):
    text = write(project, "offerings:\n"
                 + GOOD.replace("status: open", "status: waitlist").replace("    apply: https://example.org/apply\n", "")
                 + GOOD.replace("id: a", "id: b").replace("venue: cquet-chongqing", "venue: almaty-training-center")
                 + GOOD.replace("id: a", "id: c").replace("entry_levels: {en: CEFR B1}", "entry_levels: {en: HSK 3, zh: HSK 3}")
                 + GOOD.replace("id: a", "id: d").replace("fee: {type: paid, amount: \"3800\", currency: CNY}",
                                                          "fee: {type: funded}")
                 + GOOD.replace("id: a", "id: e").replace("delivery: onsite\n    venue: cquet-chongqing",
                                                          "delivery: online"))
    got = problems_of(project)
    assert any("offerings[0]: an offering marked waitlist without \"apply\"" in m for m in got), got
    assert any("offerings[1].venue: \"almaty-training-center\", in kazakhstan, which is not in the course's regions"
               in m for m in got), got
    assert any("offerings[2].entry_levels.en: \"HSK 3\"; expected one of CEFR A1, CEFR A2" in m for m in got), got
    assert any("offerings[2].entry_levels.zh: a level for \"zh\", which this offering is not taught in" in m
               for m in got), got
    assert any("offerings[3].fee: a funded place without a note" in m for m in got), got
    assert any("offerings[4]: no field \"timezone\"" in m for m in got), got
    assert all(re.match(r"courses/photonics-technology\.yml:\d+:\d+: ", m) for m in got)


def test_a_past_offering_still_open_is_a_warning_even_when_strict(project):
    """The date alone made it past: the daily rebuild must not stop on it."""
    write(project, "offerings:\n" + GOOD.replace("start: 2027-04-05", "start: 2026-04-06")
          .replace("end: 2027-04-09", "end: 2026-04-10").replace("deadline: 2027-03-12", "deadline: 2026-03-12"))
    relaxed = problems_of(project)
    assert len(relaxed) == 1 and "warning: offerings[0].status: open, but the offering ended on 2026-04-10" \
        in relaxed[0]
    assert problems_of(project, strict=True) == relaxed


def test_contact_is_a_role_address(project):
    data = base_course()
    data["contact"] = {"name": {"en": "Office", "zh": "办公室"}, "email": "wang.xin@example.org"}
    (project / "courses" / "photonics-technology.yml").write_text(course_yaml(data), encoding="utf-8")
    got = problems_of(project)
    assert any("warning: contact.email: \"wang.xin@example.org\", which looks like a person's address" in m
               for m in got), got


def test_the_checked_model_refuses_a_misspelt_field(project):
    catalog, _ = read_catalog(project)
    course = catalog.courses["photonics-technology"]
    assert course.offerings[0].seats == 20
    with pytest.raises(AttributeError):
        course.offerings[0].seat  # noqa: B018 - the typo must fail loudly
    with pytest.raises(AttributeError):
        course.titel  # noqa: B018


# ---------------------------------------------------------------------------
# What a build shows
# ---------------------------------------------------------------------------

def text_of(html: str) -> str:
    import html as _html

    return re.sub(r"\s+", " ", _html.unescape(re.sub(r"<[^>]+>", " ", html)))


def section(html: str, start: str, end: str) -> str:
    return html[html.index(start):html.index(end, html.index(start))]


#: Where the list of upcoming runs ends (each run's "how to apply" holds lists of its own).
RUNS_END = "</ul>\n<p class=\"cc-course-ics\">"


def run_item(html: str, run_id: str) -> str:
    """The HTML of one run's item on a course page."""
    start = html.index(f'id="offering-{run_id}"')
    ends = [i for i in (html.find('<li class="cc-offering ', start), html.find(RUNS_END, start)) if i != -1]
    return html[start:min(ends)]


def test_course_page_dates_and_places_in_both_languages(built_site):
    # Attribute values are read as a browser reads them (character references decoded).
    en = unescape((built_site / "courses/photonics-technology/index.html").read_text(encoding="utf-8"))
    zh = unescape((built_site / "zh/courses/photonics-technology/index.html").read_text(encoding="utf-8"))
    # Right under the summary: the next open offering and its Apply button.
    for html, next_line, apply in (
            (en, "8 Mar – 16 Apr 2027 · CQUET main campus, Chongqing, China", "Apply by 5 Feb 2027"),
            (zh, "2027年3月8日至4月16日 · 中国 重庆 重庆电子科技职业大学校本部", "2027年2月5日前报名")):
        assert html.index('class="cc-summary"') < html.index('class="cc-next"') < html.index('class="cc-facts"')
        box = text_of(section(html, 'class="cc-next"', "</div>"))
        assert next_line in box and apply in box
        assert 'href="https://example.org/apply/photonics-technology/2027-03-chongqing"' in html
    upcoming = text_of(section(en, 'class="cc-offerings"', RUNS_END))
    # Every upcoming run, with place, languages, fee, seats, deadline and status.
    for fact in ("8 Mar – 16 Apr 2027", "Chinese (HSK 3), English (CEFR B1)", "5,200 Chinese yuan", "30",
                 "5 Feb 2027", "Open", "7 – 25 Jun 2027", "18,500 Thai baht", "Interpretation provided",
                 "Waiting list", "Free", "Scholarship places for the first cohort.", "Cancelled",
                 "Online (Atlantic Standard Time, UTC\u22124)"):
        assert fact in upcoming, fact
    zh_upcoming = text_of(section(zh, 'class="cc-offerings"', RUNS_END))
    for fact in ("2027年6月7日至25日", "英语（CEFR A2）", "候补登记中", "免费", "已取消", "报名截止"):
        assert fact in zh_upcoming, fact
    # The cancelled run has no Apply button; the waitlist one says so.
    cancelled = run_item(en, "2027-10-online")
    assert "cc-apply" not in cancelled
    assert "Join the waiting list" in run_item(en, "2027-06-nakhon-pathom")
    # Past runs are folded away.
    past = section(en, '<details class="cc-past">', "</details>")
    assert "Past offerings (1)" in past and "10 Feb – 21 Mar 2025" in text_of(past)
    assert "cc-apply" not in past
    assert "Photonics training office" in en and 'href="mailto:photonics-training@example.org"' in en


def test_no_offering_says_no_dates_and_gives_the_contact(tmp_path):
    from conftest import make_project
    from site_builder.pipeline import build

    data = base_course()
    data["offerings"] = []
    root = make_project(tmp_path / "p", {"photonics-technology.yml": course_yaml(data)})
    assert build(root) == 0
    for prefix, words in (("", ("No dates announced yet.", "Contact: Photonics training office")),
                          ("zh/", ("暂未公布开课时间。", "联系方式：光电培训办公室"))):
        html = (root / "site" / prefix / "courses/photonics-technology/index.html").read_text(encoding="utf-8")
        dates = text_of(section(html, 'class="cc-dates"', "</section>"))
        for word in words:
            assert word in dates
        assert "cc-apply" not in html and "cc-next" not in html


def test_catalog_cards_and_filters_know_the_offerings(built_site):
    html = unescape((built_site / "catalog/index.html").read_text(encoding="utf-8"))
    card = re.search(r'<article class="cc-card"[^>]*>', html).group(0)
    assert 'data-open="yes"' in card and 'data-countries="china thailand jamaica"' in card
    for name in ("open", "within", "countries"):
        assert f'id="filter-{name}"' in html
    assert "Next start" in text_of(html) and "8 Mar 2027 · Chongqing" in text_of(html)
    home = text_of((built_site / "index.html").read_text(encoding="utf-8"))
    assert "Next intakes" in home and "8 Mar – 16 Apr 2027 · CQUET main campus, Chongqing, China" in home
