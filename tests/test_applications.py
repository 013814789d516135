"""How to apply for a run (site_builder/applications.py): the application a run
follows (its own, its venue's, its venue partner's, the default), its changes
field by field, the located checks, and what a build shows of it: the page's
numbered list (in each language), catalog.json and the printed sheet."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape

import pytest
import yaml

from conftest import base_course, course_yaml

from site_builder import applications
from site_builder.readers import read_catalog

#: Its outcome depends on a date: run again with the clock moved (.ci/run).
pytestmark = pytest.mark.dates

FILE = "courses/photonics-technology.yml"
SHARED = "courses/_shared/applications.yml"


def write_runs(project, runs: list[dict]) -> str:
    """The fixture course with ``runs`` as its offerings; returns the file's text."""
    data = base_course()
    venues = yaml.safe_load((project / "courses/_shared/venues.yml").read_text(encoding="utf-8"))["venues"]
    region = {v["id"]: v["region"] for v in venues}
    data["regions"] = sorted({region[r["venue"]] for r in runs if r.get("venue") in region}) or ["china"]
    data["offerings"] = runs
    text = course_yaml(data)
    (project / FILE).write_text(text, encoding="utf-8")
    return text


def a_run(**changes) -> dict:
    """An open run at the home campus, eight weeks between deadline and start."""
    run = {"id": "a", "status": "open", "start": "2027-04-05", "end": "2027-04-09", "deadline": "2027-02-08",
           "delivery": "onsite", "venue": "cquet-chongqing", "instruction_languages": ["en"],
           "entry_levels": {"en": "CEFR B1"}, "interpretation": "false", "seats": "20",
           "fee": {"type": "paid", "amount": "3800", "currency": "CNY"}, "apply": "https://example.org/apply"}
    run.update(changes)
    return run


def an_online_run(**changes) -> dict:
    run = a_run(id="o", delivery="online", timezone="Asia/Shanghai")
    del run["venue"]
    run.update(changes)
    return run


def shared(project) -> dict:
    return yaml.safe_load((project / SHARED).read_text(encoding="utf-8"))


def write_shared(project, data: dict) -> str:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (project / SHARED).write_text(text, encoding="utf-8")
    return text


def problems(project, path: str = FILE) -> list[str]:
    _, found = read_catalog(project)
    return [p.format() for p in found if p.path == path]


def line_of(text: str, needle: str, nth: int = 0) -> int:
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1


# ---------------------------------------------------------------------------
# Which application a run follows, and its changes
# ---------------------------------------------------------------------------

def test_a_run_follows_its_venue_its_partner_or_the_default(project):
    write_runs(project, [a_run(), a_run(id="b", venue="rmutr-nakhon-pathom"), an_online_run()])
    catalog, found = read_catalog(project)
    assert [p.format() for p in found if p.severity == "error"] == []
    home, partner, online = catalog.courses["photonics-technology"].offerings
    # The venue names one; a venue without one takes its partner's (rmutr); online runs the default.
    assert applications.followed(catalog, home) == "home-campus"
    assert catalog.venues["rmutr-nakhon-pathom"].application is None
    assert applications.followed(catalog, partner) == catalog.partners["rmutr"].application == "partner-center"
    assert applications.followed(catalog, online) == "online"
    app = applications.resolve(catalog, home)
    assert app == catalog.applications["home-campus"].__class__(
        {name: catalog.applications["home-campus"][name] for name in applications.FIELDS})
    assert applications.answer_by(home, app) == dt.date(2027, 2, 8) + dt.timedelta(weeks=app.decision_weeks)


def test_a_run_changes_its_application_field_by_field(project):
    own = {"use": "partner-center", "decision_weeks": "1", "visa_letter": "true", "visa_weeks": "2",
           "steps": [{"en": "Write to us.", "zh": "给我们写信。"}]}
    write_runs(project, [a_run(application=own)])
    catalog, found = read_catalog(project)
    assert [p.format() for p in found if p.path == FILE] == []
    run = catalog.courses["photonics-technology"].offerings[0]
    app = applications.resolve(catalog, run)
    base = catalog.applications["partner-center"]
    assert applications.followed(catalog, run) == "partner-center"   # not the venue's home-campus
    assert [s.en for s in app.steps] == ["Write to us."]               # a list given replaces the list
    assert app.documents == base.documents and app.selection == base.selection  # the rest is the base's
    assert (app.decision_weeks, app.visa_letter, app.visa_weeks) == (1, True, 2)
    assert applications.answer_by(run, app) == dt.date(2027, 2, 15)


def test_a_catalog_without_applications_shows_none_and_asks_for_none(project):
    (project / SHARED).unlink()
    for table in ("venues", "partners"):
        path = project / "courses" / "_shared" / f"{table}.yml"
        path.write_text(re.sub(r"\n +application: [a-z-]+", "", path.read_text(encoding="utf-8")),
                        encoding="utf-8")
    write_runs(project, [a_run()])
    catalog, found = read_catalog(project)
    assert [p.format() for p in found] == []
    assert applications.resolve(catalog, catalog.courses["photonics-technology"].offerings[0]) is None


# ---------------------------------------------------------------------------
# Located checks
# ---------------------------------------------------------------------------

def test_each_application_mistake_is_reported_at_its_line(project):
    text = write_runs(project, [
        a_run(application={"use": "home-campos"}),                                  # unknown id
        a_run(id="b", application={"decison_weeks": "2"}),                           # misspelt field
        a_run(id="c", deadline="2027-03-29"),                                        # answer after the start
        a_run(id="d", application={"visa_letter": "maybe"}),                         # not a boolean
    ])
    got = problems(project)
    expected = [
        (line_of(text, "use: home-campos"), "offerings[0].application.use: \"home-campos\", which is not in "
         "courses/_shared/applications.yml; expected \"home-campus\" (did you mean it?)", "error"),
        (line_of(text, "decison_weeks"), "offerings[1].application.decison_weeks: the unknown field "
         "\"decison_weeks\"; expected \"decision_weeks\" (did you mean it?)", "error"),
        (line_of(text, "2027-03-29"), "offerings[2].deadline: an answer by 2027-04-19 (3 weeks after "
         "the deadline), after the start 2027-04-05; expected a deadline that leaves time for the answer "
         "before the start", "warning"),
        (line_of(text, "visa_letter: maybe"), "offerings[3].application.visa_letter: \"maybe\"; expected true "
         "or false", "error"),
    ]
    for line, message, severity in expected:
        hits = [g for g in got if f"{FILE}:{line}:" in g and message in g]
        assert hits, (line, message, got)
        assert (severity == "warning") == ("warning" in hits[0]), hits
    assert len(got) == len(expected), got


def test_the_shared_applications_are_checked_where_they_are_written(project):
    data = shared(project)
    data["applications"][0].pop("visa_weeks")                 # a visa letter without its weeks
    data["applications"][1]["default"] = "true"               # a second default
    data["applications"][2]["funding"][0]["route"] = "grant"  # not a route
    text = write_shared(project, data)
    venues = project / "courses" / "_shared" / "venues.yml"
    venues.write_text(venues.read_text(encoding="utf-8").replace("application: home-campus",
                                                                 "application: home"), encoding="utf-8")
    write_runs(project, [an_online_run()])
    got = problems(project, SHARED)
    first = data["applications"][0]["id"]
    assert any(f"{SHARED}:{line_of(text, '- id: ' + first)}:" in g and 'a visa letter without "visa_weeks"' in g
               for g in got), got
    assert any(f"{SHARED}:{line_of(text, 'default: ', 1)}:" in g
               and 'a second default (the first is "partner-center")' in g for g in got), got
    assert any(f"{SHARED}:{line_of(text, 'route: grant')}:" in g and 'funding[0].route: "grant"' in g
               and "expected one of scholarship, sponsor, free" in g for g in got), got
    venue_problems = problems(project, "courses/_shared/venues.yml")
    assert any('venues[0].application: "home", which is not in courses/_shared/applications.yml' in g
               for g in venue_problems), venue_problems


def test_the_messages_speak_chinese_to_a_chinese_author(project):
    from site_builder.messages import Translator

    text = write_runs(project, [a_run(deadline="2027-03-29")])
    _, found = read_catalog(project)
    message = next(p for p in found if p.path == FILE).format(Translator("zh"))
    assert f"{FILE}:{line_of(text, '2027-03-29')}:" in message
    assert "告知录取结果的日期 2027-04-19（报名截止后 3 周）晚于开课日期 2027-04-05" in message


# ---------------------------------------------------------------------------
# What a build shows
# ---------------------------------------------------------------------------

def howto_items(html: str, scope: str, part: str = "steps") -> list[str]:
    """The items of the first "how to apply" list inside ``scope`` (a class):
    its numbered steps, or (``part="facts"``) the visa and accommodation."""
    block = html[html.index(f'class="{scope}'):]
    tag = "ol" if part == "steps" else "ul"
    found = re.search(rf'<{tag} class="cc-howto__{part}">(.*?)</{tag}>\n', block, re.S).group(1)
    items = re.findall(r"<li[^>]*>(.*?)</li>\n", found, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", item)).split()) for item in items]


def test_the_next_intake_lists_how_to_apply_and_each_run_folds_it(built_site):
    html = (built_site / "courses/photonics-technology/index.html").read_text(encoding="utf-8")
    items = howto_items(html, "cc-next")
    assert items[0].startswith("Documents to prepare: A copy of your passport")
    assert items[1] == "Fill in the application form at the Apply link and upload your documents."
    # Deadline 5 Feb 2027, an answer three weeks later; then, offered a place, accept it.
    assert items[3].startswith("Selection: ") and items[3].endswith("You will have an answer by 26 Feb 2027.")
    assert items[4] == "Accept the place by e-mail within 10 days of the offer."
    assert len(items) == 5
    facts = howto_items(html, "cc-next", "facts")
    assert facts[0] == ("Visa: If you are offered a place, you will receive an invitation letter for your visa "
                        "application; allow at least 5 weeks for the visa.")
    assert facts[1].startswith("Accommodation: Sample data: a twin room")
    # In the next intake it is open; under each upcoming run, folded in a <details>.
    next_block = html[html.index('class="cc-next'):html.index("</div>", html.index('class="cc-howto"'))]
    assert "<details" not in next_block
    folded = re.findall(r'<details class="cc-howto">\s*<summary>How to apply</summary>', html)
    upcoming = re.findall(r'<li class="cc-offering cc-offering--(?:open|waitlist|closed|deadline_passed)"', html)
    assert len(folded) == len(upcoming) >= 2
    # The partner's run: no visa letter, a room not provided.
    partner = html[html.index('id="offering-2027-06-nakhon-pathom"'):]
    assert "No visa invitation letter is provided for this run." in partner[:partner.index("</details>")]
    assert "The venue can send a list of places to stay." in partner[:partner.index("</details>")]


def test_the_chinese_page_says_it_in_chinese(built_site):
    html = (built_site / "zh/courses/photonics-technology/index.html").read_text(encoding="utf-8")
    items = howto_items(html, "cc-next")
    assert items[1] == "通过“报名”链接填写报名表，并上传所需材料。"
    assert items[3].endswith("2027年2月26日前告知录取结果。")
    assert items[4] == "收到录取通知后10天内，通过电子邮件确认接受录取。"
    assert howto_items(html, "cc-next", "facts")[0] == "签证：获得录取后，将为你提供签证邀请函；办理签证请至少预留5周。"
    assert "<summary>如何报名</summary>" in html


def test_an_online_run_says_nothing_of_visas_or_rooms(project):
    from site_builder.pipeline import build

    write_runs(project, [an_online_run()])
    assert build(project) == 0
    html = (project / "site/courses/photonics-technology/index.html").read_text(encoding="utf-8")
    items = howto_items(html, "cc-next")
    assert items[2].startswith("Test your connection, camera and microphone")
    assert 'class="cc-howto__facts"' not in html[html.index('class="cc-next'):html.index('class="cc-dates__title"')]


def test_catalog_json_carries_each_runs_application(built_site):
    data = json.loads((built_site / "catalog.json").read_text(encoding="utf-8"))
    assert data["version"] == "1.1"
    course = next(c for c in data["courses"] if c["id"] == "photonics-technology")
    runs = {o["id"]: o for o in course["offerings"]}
    home = runs["2027-03-chongqing"]["application"]
    assert home["follows"] == "home-campus" and home["answer_by"] == "2027-02-26"
    assert home["visa_letter"] is True and home["visa_weeks"] == 5
    assert home["steps"][0] == {"en": "Fill in the application form at the Apply link and upload your documents.",
                                "zh": "通过“报名”链接填写报名表，并上传所需材料。"}
    assert [r["route"] for r in home["funding"]] == ["sponsor", "scholarship"]
    partner = runs["2027-06-nakhon-pathom"]["application"]
    assert partner["follows"] == "partner-center" and partner["visa_letter"] is False
    assert partner["visa_weeks"] is None
