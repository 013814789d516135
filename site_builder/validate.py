"""Rules that span fields and files: references, sums, uniqueness, cycles."""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import replace
from functools import lru_cache

from .messages import LanguageName, M, Plural, did_you_mean
from .offerings import APPLICABLE
from .schema import Checker
from . import applications, wording
from .problems import Problems


def cross_check(catalog, docs: dict, problems, memo: dict | None = None, *, build_date=None) -> None:
    """Check every course against the others and the shared tables.

    ``build_date`` is the site's date, against which offerings are past or
    upcoming (an offering past but still open is a warning).

    ``memo`` (kept by the caller across checks, as the preview does) holds each
    course's wording warnings while the course, its document and the term
    vocabulary are the same objects and values as last time."""
    codes: dict[str, str] = {}
    term_base = {t.en.lower(): t.zh for t in catalog.terms}
    glossaries = [g for c in catalog.courses.values() for g in c.get("glossary") or []]
    terms = wording.TermIndex.build(catalog.terms, glossaries)
    languages = catalog.site_languages
    vocabulary = hashlib.sha256(repr((catalog.terms, glossaries, [(lang, languages.script(lang))
                                                                  for lang in languages])).encode("utf-8")).digest()
    if memo is not None:
        for stale in set(memo) - {id(c) for c in catalog.courses.values()}:
            del memo[stale]
    for course_id in sorted(docs):
        path, doc = docs[course_id]
        course = catalog.courses[course_id]
        ck = Checker(doc, problems)

        # The id is the URL key and must be the file name.
        if course.id and course.id != path.stem:
            ck.problem(("id",), f'"{course.id}"',
                       M('"{name}", the file name without .yml', name=path.stem))

        # Codes are unique across the catalog.
        if course.code is None:
            pass
        elif course.code in codes:
            ck.problem(("code",), M('"{code}", already used by {path}', code=course.code,
                                    path=codes[course.code]),
                       M("a code no other course uses"))
        else:
            codes[course.code] = doc.path

        # References into the shared tables.
        _ref(ck, catalog.categories, course.category, ("category",), "categories")
        _ref(ck, catalog.levels, course.level, ("level",), "levels")
        for field, table in (("instruction_languages", "languages"), ("regions", "regions"),
                             ("partners", "partners")):
            for i, value in enumerate(course.get(field) or []):
                _ref(ck, getattr(catalog, table), value, (field, i), table)

        # Hours and weights add up (checked only when every part is readable).
        modules = course.get("modules") or []
        raw_modules = doc.data.get("modules")
        if (course.hours is not None and modules and isinstance(raw_modules, list)
                and len(modules) == len(raw_modules) and all(m.hours for m in modules)):
            module_hours = sum(m.hours for m in modules)
            if module_hours != course.hours:
                ck.problem(("hours",), M("{hours} hours, but the modules add up to {total}",
                                         hours=course.hours, total=module_hours),
                           M("hours equal to the sum of the module hours"))
        items = course.get("assessment") or []
        raw_items = doc.data.get("assessment")
        if items and isinstance(raw_items, list) and len(items) == len(raw_items) \
                and all(a.weight for a in items):
            weights = sum(a.weight for a in items)
            if weights != 100:
                ck.problem(("assessment",), M("weights adding up to {total}", total=weights),
                           M("weights adding up to 100"))

        # Prerequisites name other existing courses.
        for i, pre in enumerate(course.get("prerequisites") or []):
            if pre == course.id:
                ck.problem(("prerequisites", i), M('"{value}", the course itself', value=pre),
                           M("other courses"))
            elif pre not in catalog.courses and not _exists(path, pre):
                ck.problem(("prerequisites", i), M('"{value}", which is not a course', value=pre),
                           did_you_mean(pre, catalog.courses, M("the id of a course in courses/")))

        # Offerings: dates in order, places and languages known, a way to apply.
        check_offerings(catalog, course, doc, ck, build_date)

        # Glossary terms agree with the shared term base.
        for i, term in enumerate(course.get("glossary") or []):
            if not term.get("en") or not term.get("zh"):
                continue
            standard = term_base.get(term.en.lower())
            if standard and standard != term.zh:
                ck.problem(("glossary", i, "zh"), M('"{zh}" for "{en}"', zh=term.zh, en=term.en),
                           M('"{standard}", the term base translation (courses/_shared/terms.yml)',
                             standard=standard),
                           severity="warning")

        # Every text uses the term base's wording in both languages, and each
        # language's texts are written in its script (both kept in ``memo``).
        known = memo.get(id(course)) if memo is not None else None
        if known is not None and known[0] is course and known[1] is doc and known[2] == vocabulary:
            problems.extend(known[3])
        else:
            found = Problems()
            wording.check_scripts(Checker(doc, found), course, doc, languages)
            wording.check_course(Checker(doc, found), course, doc, terms, glossary_checked=term_base)
            problems.extend(found)
            if memo is not None:
                memo[id(course)] = (course, doc, vocabulary, list(found))

    _check_cycles(catalog, docs, problems)
    editorial_check(catalog, docs, problems)


def _rows(docs: dict, table: str, problems) -> tuple[Checker | None, dict]:
    """(a checker of a shared table's file, id -> row index), or (None, {}) when it was not read."""
    doc = docs.get(table)
    if doc is None:
        return None, {}
    rows = doc.data.get(table) if isinstance(doc.data, dict) else None
    return Checker(doc, problems), {row.get("id"): i for i, row in enumerate(rows or []) if isinstance(row, dict)}


def check_shared(catalog, docs: dict, problems) -> None:
    """References between the shared tables: a venue's region, partner and
    application, a partner's application; and each application's own rules."""
    check_applications(catalog, docs, problems)
    ck, where = _rows(docs, "partners", problems)
    if ck is not None:
        for pid, partner in catalog.partners.items():
            if partner.get("application") and "applications" in docs:
                _ref(ck, catalog.applications, partner.application,
                     ("partners", where.get(pid, 0), "application"), "applications")
    ck, where = _rows(docs, "venues", problems)
    if ck is None:
        return
    for vid, venue in catalog.venues.items():
        i = where.get(vid, 0)
        # (A table that could not be read is reported itself, not at each reference.)
        if "regions" in docs:
            _ref(ck, catalog.regions, venue.region, ("venues", i, "region"), "regions")
        if "partners" in docs:
            _ref(ck, catalog.partners, venue.partner, ("venues", i, "partner"), "partners")
        if venue.get("application") and "applications" in docs:
            _ref(ck, catalog.applications, venue.application, ("venues", i, "application"), "applications")
        partner = catalog.partners.get(venue.partner) if venue.partner else None
        if partner is not None and partner.region and venue.region and partner.region != venue.region:
            ck.problem(("venues", i, "region"),
                       M('"{region}", but its partner {partner} is based in {home}', region=venue.region,
                         partner=venue.partner, home=partner.region),
                       M("the region of the venue's partner"), severity="warning")


def check_applications(catalog, docs: dict, problems) -> None:
    """Each application of courses/_shared/applications.yml: a visa letter with
    the weeks it takes; one default at most."""
    ck, where = _rows(docs, "applications", problems)
    if ck is None:
        return
    default = None
    for aid, app in catalog.applications.items():
        at = ("applications", where.get(aid, 0))
        if app.visa_letter and app.visa_weeks is None and "visa_weeks" not in doc_field(ck.doc, at):
            ck.problem(at, M('a visa letter without "visa_weeks"'),
                       M("visa_weeks: the weeks a visa takes, allowed between the answer and the start"))
        if app.get("default"):
            if default is not None:
                ck.problem(at + ("default",), M('a second default (the first is "{id}")', id=default),
                           M("default: true on one application only"))
            default = default or aid


def check_application(catalog, offering, doc, ck, at: tuple, build_date) -> None:
    """A run's application: the one it names exists, every required field comes
    from somewhere, and its answer comes before the start.  (Time for a visa
    after the answer is a house rule: editorial.yml, international_deadline.)"""
    own = offering.application or {}
    if own.get("use"):
        _ref(ck, catalog.applications, own.use, at + ("application", "use"), "applications")
        if own.use not in catalog.applications:
            return
    app = applications.resolve(catalog, offering)
    if app is None:
        if catalog.applications:
            ck.problem(at, M("no application for this run"),
                       M("application: use: (an id of courses/_shared/applications.yml), "
                         "a venue or partner with one, or a default application"), severity="warning")
        return
    for name in applications.missing(app):
        ck.problem(at + (("application",) if "application" in doc_field(doc, at) else ()),
                   M('an application without "{name}"', name=name),
                   M("{name}: in the run's application: or in the application it follows ({followed})",
                     name=name, followed=applications.followed(catalog, offering) or "-"))
    answer = applications.answer_by(offering, app)
    if answer is None or offering.start is None or offering.status == "cancelled" \
            or offering.deadline > offering.start \
            or (build_date and offering.end and offering.end < build_date):  # past runs are left alone
        return
    if answer > offering.start:
        ck.problem(at + ("deadline",), M("an answer by {answer} ({weeks} weeks after the deadline), "
                                         "after the start {start}", answer=answer.isoformat(),
                                         weeks=app.decision_weeks, start=offering.start.isoformat()),
                   M("a deadline that leaves time for the answer before the start"), severity="warning")


#: The local part of an address that names a person (first.last, first_last).
_PERSONAL = re.compile(r"^[a-z]+[._][a-z]+$", re.I)


def check_offerings(catalog, course, doc, ck, build_date) -> None:
    """The rules of a course's offerings and contact that span fields."""
    contact = course.contact
    if contact and contact.email and _PERSONAL.match(contact.email.split("@")[0]):
        ck.problem(("contact", "email"), M('"{email}", which looks like a person\'s address',
                                           email=contact.email),
                   M("a role address that stays when people change, e.g. admissions@example.org"),
                   severity="warning")
    seen: dict[str, int] = {}
    offered_in: set[str] = set()
    onsite = False
    for i, offering in _located(course, doc, "offerings"):
        at = ("offerings", i)
        if offering.id in seen:
            ck.problem(at + ("id",), M('"{id}" a second time (first as offering {first})', id=offering.id,
                                       first=seen[offering.id] + 1),
                       M("an id used once in the course's offerings"))
        elif offering.id:
            seen[offering.id] = i
        start, end, deadline = offering.start, offering.end, offering.deadline
        if start and end and end < start:
            ck.problem(at + ("end",), M("{end}, before the start {start}", end=end.isoformat(),
                                        start=start.isoformat()),
                       M("an end date on or after the start date"))
        if start and deadline and deadline > start:
            ck.problem(at + ("deadline",), M("{deadline}, after the start {start}",
                                             deadline=deadline.isoformat(), start=start.isoformat()),
                       M("a deadline on or before the start date"))
        # Where: a venue for onsite and blended runs, a time zone for online ones.
        if offering.delivery in ("onsite", "blended"):
            onsite = True
            if offering.venue is None and "venue" not in doc_field(doc, at):
                ck.problem(at, M('no field "venue"'),
                           M("venue: the id of a venue in courses/_shared/venues.yml "
                             "(a {delivery} offering runs somewhere)", delivery=offering.delivery))
        elif offering.delivery == "online":
            if "venue" in doc_field(doc, at):
                ck.problem(at + ("venue",), M("a venue for an online offering"),
                           M("no venue, and the time zone of its sessions in timezone:"), key=True)
            if offering.timezone is None and "timezone" not in doc_field(doc, at):
                ck.problem(at, M('no field "timezone"'), M("timezone: the IANA time zone of an online "
                                                           "offering's sessions, e.g. Asia/Shanghai"))
        if offering.venue is not None:
            _ref(ck, catalog.venues, offering.venue, at + ("venue",), "venues")
            venue = catalog.venues.get(offering.venue)
            if venue is not None and course.regions is not None:
                offered_in.add(venue.region)
                if venue.region not in course.regions and "regions" in doc.data:
                    ck.problem(at + ("venue",), M('"{venue}", in {region}, which is not in the course\'s '
                                                  "regions", venue=offering.venue, region=venue.region),
                               M("a venue in one of its regions, or {region} added to regions",
                                 region=venue.region))
        # Languages: known, and an entry level of each one's scale.
        languages = offering.instruction_languages or []
        for j, lang in enumerate(languages):
            _ref(ck, catalog.languages, lang, at + ("instruction_languages", j), "languages")
        levels = offering.entry_levels
        if levels is not None:
            for lang, level in levels.items():
                if lang not in languages:
                    ck.problem(at + ("entry_levels", lang),
                               M('a level for "{language}", which this offering is not taught in',
                                 language=lang),
                               M("levels for its instruction languages only: {languages}",
                                 languages=tuple(languages)), key=True)
                    continue
                scale = (catalog.languages.get(lang) or {}).get("entry_levels") or []
                if level not in scale:
                    ck.problem(at + ("entry_levels", lang), f'"{level}"',
                               did_you_mean(level, scale, M("one of {choices}", choices=tuple(scale)))
                               if scale else M("a language with levels in courses/_shared/languages.yml"))
            for lang in languages:
                if lang not in levels and lang in catalog.languages:
                    ck.problem(at + ("entry_levels",), M('no level for "{language}"', language=lang),
                               M("the level of {language} a learner needs to follow, e.g. {examples}",
                                 language=lang,
                                 examples=tuple((catalog.languages[lang].get("entry_levels") or ["?"])[:2])))
        # Fee: an amount in a currency, or free/funded with a note.
        fee = offering.fee
        if fee and fee.type == "paid":
            for name in ("amount", "currency"):
                if fee[name] is None and name not in doc_field(doc, at + ("fee",)):
                    ck.problem(at + ("fee",), M('a paid fee without "{name}"', name=name),
                               M("amount: and currency: (e.g. amount: 350, currency: USD)"))
        elif fee and fee.type in ("free", "funded"):
            if "amount" in doc_field(doc, at + ("fee",)):
                ck.problem(at + ("fee", "amount"), M("an amount for a {type} place", type=fee.type),
                           M("no amount (or type: paid)"), key=True)
            if fee.note is None and "note" not in doc_field(doc, at + ("fee",)):
                ck.problem(at + ("fee",), M("a {type} place without a note", type=fee.type),
                           M("note: who pays, or what the place includes, in every language"))
        # A fee a learner can see in their own currency: its currency has a rate.
        if fee and fee.type == "paid" and fee.currency and catalog.rates is not None \
                and fee.currency not in {r.currency for r in catalog.rates.currencies or []}:
            ck.problem(at + ("fee", "currency"), M('"{currency}", which courses/_shared/rates.yml has no rate for',
                                                   currency=fee.currency),
                       M("a currency with a rate in courses/_shared/rates.yml (else learners see no "
                         "approximate amount in their currency)"), severity="warning")
        # How to apply: the steps, documents and answer, from the shared application.
        check_application(catalog, offering, doc, ck, at, build_date)
        # Status: open means a way to apply; a past run is not open.
        if offering.status in APPLICABLE and offering.apply is None \
                and "apply" not in doc_field(doc, at):
            ck.problem(at, M('an offering marked {status} without "apply"', status=offering.status),
                       M("apply: an https:// link or mailto: address where learners apply"))
        # The build date alone turns an open run into a past one: a warning, also
        # under --strict, so that the daily rebuild never stops on it (the site
        # shows the run as past whatever its status says).
        if offering.status == "open" and build_date and end and end < build_date:
            ck.problem(at + ("status",), M("open, but the offering ended on {end}", end=end.isoformat()),
                       M("closed (or cancelled) for a past offering"), severity="warning")
    if onsite and course.regions:
        for j, region in _located(course, doc, "regions"):
            if region not in offered_in and region in catalog.regions:
                ck.problem(("regions", j), M('"{region}", where none of its offerings runs', region=region),
                           M("the regions of its offerings' venues"), severity="warning")


def doc_field(doc, path: tuple) -> dict:
    """The raw mapping at ``path`` of a document ({} when it is not one)."""
    node = doc.data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return {}
    return node if isinstance(node, dict) else {}


def _exists(path, course_id: str) -> bool:
    # A prerequisite whose own file failed to load is reported there, not here.
    return (path.parent / f"{course_id}.yml").is_file()


def _ref(ck, table: dict, value: str | None, path: tuple, name: str) -> None:
    if value is not None and value not in table:
        known = (M("one of {choices}", choices=tuple(sorted(table))) if len(table) <= 12
                 else M("one of {count} ids", count=len(table)))
        ck.problem(path, M('"{value}", which is not in courses/_shared/{name}.yml', value=value, name=name),
                   did_you_mean(value, table, known))


def _check_cycles(catalog, docs, problems) -> None:
    """Report each prerequisite cycle once, at the course that closes it.

    Iterative depth-first search, so a long chain cannot exhaust the stack.
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    reported: set[frozenset] = set()

    def edges(node):
        return [(i, pre) for i, pre in enumerate(catalog.courses[node].get("prerequisites") or [])
                if pre in catalog.courses and pre != node]

    for start in sorted(catalog.courses):
        if start in state:
            continue
        path = [start]
        stack = [iter(edges(start))]
        state[start] = 1
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            i, pre = step
            node = path[-1]
            if state.get(pre) == 1:
                cycle = path[path.index(pre):] + [pre]
                key = frozenset(cycle)
                if key not in reported and node in docs:
                    reported.add(key)
                    Checker(docs[node][1], problems).problem(
                        ("prerequisites", i), M("a cycle {courses}", courses=" -> ".join(cycle)),
                        M("prerequisites that do not lead back to the course"))
            elif pre not in state:
                state[pre] = 1
                path.append(pre)
                stack.append(iter(edges(pre)))


# --------------------------------------------------------------------------
# Editorial rules: the catalog's house style, as warnings
# --------------------------------------------------------------------------

#: The catalog's editorial rules, at the project root (beside mkdocs.yml).  ``check``
#: warns, and never fails, where a course departs from one: a faculty change may have a
#: good reason to.  A project without the file (a test fixture, a new catalog) has none.
EDITORIAL_FILE = "editorial.yml"

#: Rule name -> kind of value: "range" ([low, high]), "minimum" (a number) or "flag" (yes/no).
EDITORIAL_RULES = {
    "every_category_has_a_course": "flag",
    "glossary_terms": "range",
    "outcomes": "range",
    "modules": "range",
    "course_hours": "range",
    "module_hours_at_least": "minimum",
    "code_scheme": "flag",
    "codes_in_text_exist": "flag",
    "learning_paths": "flag",
    "partner_regions_listed": "flag",
    "one_translation_per_glossary_term": "flag",
    "teaching_languages_in_notes": "phrases",
    "entry_level_minimum": "levels",
    "hazard_courses": "groups",
    "language_course_categories": "ids",
    "international_deadline": "deadline",
    "seats_within_venue_capacity": "flag",
}

#: What a value of each kind of rule looks like, for the warning about one that cannot be read.
RULE_FORMS = {
    "range": M("[lowest, highest], two whole numbers"),
    "minimum": M("a whole number"),
    "flag": M("yes or no"),
    "phrases": M("a mapping of language id to a list of phrases, each with {{languages}} where the "
                 "language names stand, e.g. [\"in {{languages}}\"]"),
    "levels": M("a mapping of course level id (or hazard) to a mapping of language id to an entry level "
                "of that language's scale"),
    "groups": M("a mapping of hazard name to a list of course ids, e.g. {{laser: [laser-processing]}}"),
    "ids": M("a list of ids, e.g. [chinese-culture]"),
    "deadline": M("{{weeks: a whole number, regions: [region ids]}}, e.g. {{weeks: 8, regions: [china]}}"),
}

#: The row of entry_level_minimum that applies to the safety-critical theory of the hazard courses.
HAZARD_ROW = "hazard"

#: Where a phrase of teaching_languages_in_notes has the names of the languages.
LANGUAGES_SLOT = "{languages}"
#: The rules about each run of a course (its offerings).
OFFERING_RULES = ("teaching_languages_in_notes", "entry_level_minimum", "international_deadline",
                  "seats_within_venue_capacity")

#: Course codes under the code scheme: <prefix>-<level digit><two-digit number>, e.g. OPT-201.
CODE_SCHEME = re.compile(r"^(?P<prefix>[A-Z]{3})-(?P<level>[1-9])(?P<number>\d\d)$")
#: A course code named in a text.
CODE_IN_TEXT = re.compile(r"\b[A-Z]{2,6}-\d{3,4}\b")


def read_editorial_rules(root, problems, catalog=None) -> dict:
    """The rules of ``root/editorial.yml`` ({} when there is none); a rule that cannot be
    read is reported (as a warning) and left out.  With the ``catalog``, the ids, languages
    and levels a rule names are checked against the shared tables too: an unknown one is
    reported and left out of the rule."""
    from .loader import LoadError, load_file

    path = root / EDITORIAL_FILE
    if not path.is_file():
        return {}
    try:
        doc = load_file(path, EDITORIAL_FILE)
    except LoadError as exc:
        problems.extend(replace(problem, severity="warning") for problem in exc.problems)
        return {}
    ck = Checker(doc, problems)
    if not isinstance(doc.data, dict):
        ck.problem((), M("a file that is not a mapping"), M("rule: value lines, e.g. outcomes: [4, 8]"),
                   severity="warning")
        return {}
    rules = {}
    for name, value in doc.data.items():
        kind = EDITORIAL_RULES.get(name)
        if kind is None:
            ck.problem((name,), M('the unknown rule "{name}"', name=name),
                       M("one of {choices}", choices=tuple(EDITORIAL_RULES)), key=True, severity="warning")
            continue
        got = _rule_value(kind, value)
        if got is None:
            ck.problem((name,), f"{value!r}", RULE_FORMS[kind], severity="warning")
        elif got is not False:
            rules[name] = got
    if catalog is not None:
        _known_in_rules(rules, catalog, ck)
    return rules


_NUMBER = re.compile(r"\s*\d{1,6}\s*")


def _strings(value) -> tuple | None:
    """A list of non-empty strings as a tuple (None when it is not one)."""
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    return None


def _rule_value(kind: str, value):
    """The value of a rule of ``kind`` as the checks use it; None when it cannot be read,
    False for a flag set to no."""
    number = _NUMBER
    if kind == "flag":
        flag = value.strip().lower() if isinstance(value, str) else None
        return True if flag in ("yes", "true", "on") else False if flag in ("no", "false", "off") else None
    if kind == "minimum":
        return int(value) if isinstance(value, str) and number.fullmatch(value) else None
    if kind == "range":
        if (isinstance(value, list) and len(value) == 2
                and all(isinstance(v, str) and number.fullmatch(v) for v in value)
                and int(value[0]) <= int(value[1])):
            return int(value[0]), int(value[1])
        return None
    if kind == "ids":
        return _strings(value) or None
    if not isinstance(value, dict) or not value:
        return None
    if kind == "phrases":   # {language: [phrase with {languages}, ...]}
        out = {}
        for lang, phrases in value.items():
            phrases = [phrases] if isinstance(phrases, str) else phrases
            got = _strings(phrases)
            if not got or not all(LANGUAGES_SLOT in p for p in got):
                return None
            out[lang] = got
        return out
    if kind == "levels":    # {level: {language: entry level}}
        if not all(isinstance(row, dict) and row and all(isinstance(v, str) and v.strip()
                                                         for v in row.values())
                   for row in value.values()):
            return None
        return {key: {lang: level.strip() for lang, level in row.items()} for key, row in value.items()}
    if kind == "groups":    # {name: [course id, ...]}
        out = {name: _strings(ids) for name, ids in value.items()}
        return out if all(out.values()) else None
    if kind == "deadline":  # {weeks: N, regions: [region id, ...]}
        weeks, regions = value.get("weeks"), _strings(value.get("regions"))
        if set(value) != {"weeks", "regions"} or not isinstance(weeks, str) \
                or not number.fullmatch(weeks) or not regions:
            return None
        return int(weeks), regions
    return None


def _known_in_rules(rules: dict, catalog, ck) -> None:
    """Warn about (and leave out) what a rule names that the shared tables do not have."""
    def unknown(path, found, expected, key=False):
        ck.problem(path, found, expected, key=key, severity="warning")

    languages = catalog.site_languages or ()
    for lang in list(rules.get("teaching_languages_in_notes", {})):
        if lang not in languages:
            unknown(("teaching_languages_in_notes", lang),
                    M('phrases for "{language}", which is not a language of the site', language=lang),
                    did_you_mean(lang, languages, M("the site's languages (mkdocs.yml): {languages}",
                                                    languages=tuple(languages))), key=True)
            del rules["teaching_languages_in_notes"][lang]
    for key, row in rules.get("entry_level_minimum", {}).items():
        if key != HAZARD_ROW and key not in catalog.levels:
            unknown(("entry_level_minimum", key),
                    M('"{value}", which is not in courses/_shared/{name}.yml', value=key, name="levels"),
                    did_you_mean(key, list(catalog.levels) + [HAZARD_ROW],
                                 M("a level id ({levels}) or {hazard}", levels=tuple(catalog.levels),
                                   hazard=HAZARD_ROW)), key=True)
            row.clear()
            continue
        for lang, level in list(row.items()):
            scale = (catalog.languages.get(lang) or {}).get("entry_levels") or []
            if level not in scale:
                unknown(("entry_level_minimum", key, lang),
                        M('"{level}" for "{language}"', level=level, language=lang),
                        did_you_mean(level, scale, M("one of {choices}", choices=tuple(scale))) if scale else
                        M("a language of courses/_shared/languages.yml with entry levels"))
                del row[lang]
    for name, ids in rules.get("hazard_courses", {}).items():
        for i, cid in enumerate(ids):
            if cid not in catalog.courses:
                unknown(("hazard_courses", name, i), M('"{value}", which is not a course', value=cid),
                        did_you_mean(cid, catalog.courses, M("the id of a course in courses/")))
    for i, cid in enumerate(rules.get("language_course_categories", ())):
        if cid not in catalog.categories:
            unknown(("language_course_categories", i),
                    M('"{value}", which is not in courses/_shared/{name}.yml', value=cid, name="categories"),
                    did_you_mean(cid, catalog.categories,
                                 M("one of {choices}", choices=tuple(catalog.categories))))
    if "international_deadline" in rules:
        weeks, regions = rules["international_deadline"]
        for i, region in enumerate(regions):
            if region not in catalog.regions:
                unknown(("international_deadline", "regions", i),
                        M('"{value}", which is not in courses/_shared/{name}.yml', value=region, name="regions"),
                        did_you_mean(region, catalog.regions,
                                     M("one of {choices}", choices=tuple(catalog.regions))))


def editorial_check(catalog, docs: dict, problems) -> None:
    """Warn where a course departs from the catalog's editorial rules (editorial.yml)."""
    if not docs:
        return
    root = next(iter(docs.values()))[0].parent.parent
    rules = read_editorial_rules(root, problems, catalog)
    if not rules:
        return

    def warn(course_id, path, found, expected, key=False):
        Checker(docs[course_id][1], problems).problem(
            path, found, M("{expected} ({file})", expected=expected, file=EDITORIAL_FILE),
            key=key, severity="warning")

    ids = sorted(docs)
    if rules.get("every_category_has_a_course"):
        _every_category_used(catalog, root, problems)
    counted = (
        ("glossary_terms", lambda n: M("{count} terms", count=n),
         lambda low, high: M("{low} to {high} terms", low=low, high=high)),
        ("outcomes", lambda n: M("{count} outcomes", count=n),
         lambda low, high: M("{low} to {high} outcomes", low=low, high=high)),
        ("modules", lambda n: M("{count} modules", count=n),
         lambda low, high: M("{low} to {high} modules", low=low, high=high)),
    )
    for field, found, wanted in counted:
        if field in rules:
            low, high = rules[field]
            name = "glossary" if field == "glossary_terms" else field
            for cid in ids:
                n = len(catalog.courses[cid].get(name) or [])
                if not low <= n <= high and (name in docs[cid][1].data or low > 0):
                    warn(cid, (name,), found(n), wanted(low, high), key=True)
    if "course_hours" in rules:
        low, high = rules["course_hours"]
        for cid in ids:
            hours = catalog.courses[cid].hours
            if hours is not None and not low <= hours <= high:
                warn(cid, ("hours",), M("{count} hours", count=hours),
                     M("{low} to {high} hours", low=low, high=high))
    if "module_hours_at_least" in rules:
        least = rules["module_hours_at_least"]
        for cid in ids:
            for i, module in _located(catalog.courses[cid], docs[cid][1], "modules"):
                if module.hours is not None and module.hours < least:
                    warn(cid, ("modules", i, "hours"), M("{count} hours", count=module.hours),
                         M("a module of at least {least} hours", least=least))
    if rules.get("code_scheme"):
        _code_scheme(catalog, ids, warn)
    if rules.get("codes_in_text_exist"):
        codes = {c.code for c in catalog.courses.values() if c.code}
        prefixes = {code.split("-")[0] for code in codes}
        for cid in ids:
            for path, text in wording._texts(catalog.courses[cid], docs[cid][1]):
                for lang in catalog.site_languages:
                    stale = [code for code in CODE_IN_TEXT.findall(text.get(lang) or "")
                             if code.split("-")[0] in prefixes and code not in codes]
                    for code in dict.fromkeys(stale):
                        warn(cid, path + (lang,), M("the course code {code}, which no course has", code=code),
                             M("the code of a course in courses/"))
    if rules.get("learning_paths"):
        _learning_paths(catalog, docs, ids, warn)
    if rules.get("partner_regions_listed"):
        for cid in ids:
            course = catalog.courses[cid]
            for i, partner in _located(course, docs[cid][1], "partners"):
                region = (catalog.partners.get(partner) or {}).get("region")
                if region and region not in (course.regions or []):
                    warn(cid, ("partners", i), M('"{partner}", based in {region}, which is not in regions',
                                                 partner=partner, region=region),
                         M("regions that include {region}, the partner's home region", region=region))
    if rules.get("one_translation_per_glossary_term"):
        _one_translation(catalog, docs, ids, warn)
    if any(name in rules for name in OFFERING_RULES):
        for cid in ids:
            _offering_rules(catalog, catalog.courses[cid], docs[cid][1], rules,
                            lambda *args, cid=cid, **kw: warn(cid, *args, **kw))


def _located(course, doc, name):
    """(index in the file, item) of a checked list, when its indexes are those of the file."""
    items = course.get(name) or []
    raw = doc.data.get(name) if isinstance(doc.data, dict) else None
    return list(enumerate(items)) if isinstance(raw, list) and len(raw) == len(items) else []


def _every_category_used(catalog, root, problems) -> None:
    from .loader import LoadError, load_file
    from .settings import COURSES_DIR, SHARED_DIR

    used = {c.category for c in catalog.courses.values()}
    empty = [cid for cid in catalog.categories if cid not in used]
    if not empty:
        return
    display = f"{COURSES_DIR}/{SHARED_DIR}/categories.yml"
    try:
        doc = load_file(root / display, display)
    except LoadError:
        return
    rows = doc.data.get("categories") if isinstance(doc.data, dict) else None
    where = {row.get("id"): i for i, row in enumerate(rows or []) if isinstance(row, dict)}
    for cid in empty:
        Checker(doc, problems).problem(("categories", where.get(cid, 0), "id"),
                                       M('the category "{category}", which no course is in', category=cid),
                                       M("at least one course in each category ({file})", file=EDITORIAL_FILE),
                                       severity="warning")


def _code_scheme(catalog, ids, warn) -> None:
    rank = {level: i + 1 for i, level in enumerate(catalog.levels)}
    prefixes: dict[str, Counter] = defaultdict(Counter)
    for cid in ids:
        course = catalog.courses[cid]
        match = CODE_SCHEME.match(course.code or "")
        if not course.code:
            continue
        if not match:
            warn(cid, ("code",), f'"{course.code}"',
                 M("a code PREFIX-LNN: three capitals, the level digit and a two-digit number, e.g. OPT-201"))
            continue
        if course.level in rank and int(match["level"]) != rank[course.level]:
            warn(cid, ("code",), M('"{code}" for a course at level {level}', code=course.code, level=course.level),
                 M("level digit {digit} ({level}), e.g. {example}", digit=rank[course.level], level=course.level,
                   example=match["prefix"] + "-" + str(rank[course.level]) + match["number"]))
        if match["number"] == "00":
            warn(cid, ("code",), f'"{course.code}"', M("a number from 01 to 99 after the level digit"))
        if course.category:
            prefixes[course.category][match["prefix"]] += 1
    # One prefix per category (the one most of its courses use), and no prefix for two categories.
    own = {cat: sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for cat, counts in prefixes.items()}
    owner = {}
    for cat in [c for c in catalog.categories if c in own] + sorted(set(own) - set(catalog.categories)):
        owner.setdefault(own[cat], cat)
    for cid in ids:
        course = catalog.courses[cid]
        match = CODE_SCHEME.match(course.code or "")
        if not match or course.category not in own:
            continue
        if match["prefix"] != own[course.category]:
            warn(cid, ("code",), f'"{course.code}"',
                 M("the prefix {prefix}, which the other {category} courses use", prefix=own[course.category],
                   category=course.category))
        elif owner[match["prefix"]] != course.category:
            warn(cid, ("code",), M('"{code}", a prefix the {owner} courses use', code=course.code,
                                   owner=owner[match["prefix"]]),
                 M("a prefix of the {category} category's own", category=course.category))


def _learning_paths(catalog, docs, ids, warn) -> None:
    rank = {level: i for i, level in enumerate(catalog.levels)}
    for cid in ids:
        course = catalog.courses[cid]
        for i, pre in _located(course, docs[cid][1], "prerequisites"):
            other = catalog.courses.get(pre)
            if other is None or pre == cid:
                continue  # reported as an error
            if course.level == "foundation":
                warn(cid, ("prerequisites", i), M('"{value}" for a foundation course', value=pre),
                     M("no prerequisites: a foundation course is a starting point"))
            elif rank.get(other.level, -1) > rank.get(course.level, len(rank)):
                warn(cid, ("prerequisites", i), M('"{value}", a course of the higher level {level}', value=pre,
                                                  level=other.level),
                     M("prerequisites at level {level} or below", level=course.level))
            if course.status == "active" and other.status != "active":
                warn(cid, ("prerequisites", i), M('"{value}", which is {status}', value=pre, status=other.status),
                     M("prerequisites of an active course that are active too"))


def _one_translation(catalog, docs, ids, warn) -> None:
    in_term_base = {wording.wording(t.en).lower() for t in catalog.terms} | {t.en.lower() for t in catalog.terms}
    seen: dict[str, Counter] = defaultdict(Counter)
    for cid in ids:
        for _, term in _located(catalog.courses[cid], docs[cid][1], "glossary"):
            if term.get("en") and term.get("zh"):
                seen[term.en.lower()][term.zh] += 1
    for cid in ids:
        for i, term in _located(catalog.courses[cid], docs[cid][1], "glossary"):
            key = (term.get("en") or "").lower()
            if key in in_term_base or len(seen.get(key, ())) < 2:
                continue  # the term base decides (warned above), or one translation only
            usual = sorted(seen[key].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            if term.zh != usual:
                warn(cid, ("glossary", i, "zh"), M('"{zh}" for "{en}"', zh=term.zh, en=term.en),
                     M('"{usual}", its translation in the other courses\' glossaries', usual=usual))


# --------------------------------------------------------------------------
# Editorial rules of each run (offerings): what a run says of itself agrees
# --------------------------------------------------------------------------

def _offering_rules(catalog, course, doc, rules, warn) -> None:
    """The house rules of a course's runs: its note and its languages, its entry levels
    and the course's level and hazard, its deadline and its venue."""
    from .offerings import is_past

    names = LanguageName
    phrases = rules.get("teaching_languages_in_notes") or {}
    minimum = rules.get("entry_level_minimum") or {}
    hazard = next((name for name, ids in (rules.get("hazard_courses") or {}).items()
                   if course.id in ids), None)
    language_course = course.category in (rules.get("language_course_categories") or ())
    for i, offering in _located(course, doc, "offerings"):
        at = ("offerings", i)
        taught = list(offering.instruction_languages or [])
        levels = offering.entry_levels or {}

        # 1. A note that says which languages the lessons are in names the run's languages.
        note = offering.note
        for lang, lang_phrases in phrases.items():
            text = note.get(lang) if note is not None and lang not in note.gaps else None
            if not text or not taught:
                continue
            named = languages_named(text, lang, lang_phrases, catalog.languages)
            if not named:
                continue
            said = "; ".join(f'"{quote}"' for quote in dict.fromkeys(named.values()))
            strange = [l for l in named if l not in taught]
            left_out = [l for l in taught if l not in named]
            if strange:
                found = Plural("{said}, but {languages} is not among its instruction languages ({taught})",
                               "{said}, but {languages} are not among its instruction languages ({taught})",
                               count=len(strange), said=said, languages=_names(strange, names),
                               taught=_names(taught, names))
                warn(at + ("note", lang), found,
                     M("a note that names its instruction languages, or {languages} in "
                       "instruction_languages with an entry level", languages=_names(strange, names)))
            elif left_out:
                listed = _and([M("{language} (entry level {level})", language=names(l), level=levels[l])
                               if l in levels else names(l) for l in left_out])
                warn(at + ("note", lang), M("{said}, but instruction_languages also lists {listed}",
                                            said=said, listed=listed),
                     M("a note that names every instruction language, or instruction_languages and "
                       "entry_levels without {languages}", languages=_names(left_out, names)))

        # 2. and 3. Entry levels: the least for the course's level; for the safety-critical
        # theory of a hazard course, the hazard row's, unless the run provides interpretation.
        if minimum and not language_course:
            for lang, level in levels.items():
                scale = list((catalog.languages.get(lang) or {}).get("entry_levels") or [])
                if lang not in taught or level not in scale:
                    continue  # reported as an error
                need = (minimum.get(course.level) or {}).get(lang)
                if need in scale and scale.index(level) < scale.index(need):
                    if _a(course.level) == "an":
                        found = M('"{level}" for {language} in an {course_level} course', level=level,
                                  language=names(lang), course_level=course.level)
                    else:
                        found = M('"{level}" for {language} in a {course_level} course', level=level,
                                  language=names(lang), course_level=course.level)
                    warn(at + ("entry_levels", lang), found,
                         M("{need} or higher, the least for {course_level} courses", need=need,
                           course_level=course.level))
                    continue
                need = (minimum.get(HAZARD_ROW) or {}).get(lang) if hazard else None
                if need in scale and scale.index(level) < scale.index(need) and not offering.interpretation:
                    warn(at + ("entry_levels", lang),
                         M('"{level}" for {language}, the language of the safety-critical theory of a '
                           "{hazard} course, with no interpretation", level=level, language=names(lang),
                           hazard=hazard),
                         M("{need} or higher for {hazard} safety, or interpretation: true with the "
                           "safety theory interpreted", need=need, hazard=hazard))

        # 4. A run at a venue learners come to from abroad closes in time for a visa.
        venue = catalog.venues.get(offering.venue) if offering.venue else None
        if "international_deadline" in rules and venue is not None and offering.status != "cancelled" \
                and offering.start and offering.deadline and offering.end \
                and not (catalog.build_date and is_past(offering, catalog.build_date)):
            weeks, regions = rules["international_deadline"]
            days = (offering.start - offering.deadline).days
            if venue.region in regions and days < weeks * 7:
                latest = offering.start - _dt.timedelta(weeks=weeks)
                warn(at + ("deadline",),
                     M("{deadline}, {days} days before the start {start} at {venue} ({region}), where "
                       "learners come from abroad", deadline=offering.deadline.isoformat(), days=days,
                       start=offering.start.isoformat(), venue=offering.venue, region=venue.region),
                     M("a deadline at least {weeks} weeks before the start ({latest} or earlier): time for "
                       "an admission letter and a visa", weeks=weeks, latest=latest.isoformat()))

        # 5. No more seats than the venue holds.
        capacity = venue.get("capacity") if venue is not None else None
        if rules.get("seats_within_venue_capacity") and capacity is not None \
                and offering.seats is not None and offering.seats > capacity:
            warn(at + ("seats",), M("{seats} seats, but {venue} holds {capacity}", seats=offering.seats,
                                    venue=offering.venue, capacity=capacity),
                 M("at most {capacity} seats, the venue's capacity (courses/_shared/venues.yml)",
                   capacity=capacity))


def languages_named(text: str, lang: str, phrases, languages: dict) -> dict[str, str]:
    """The languages a text written in ``lang`` says its lessons are in: language id ->
    the phrase as written.  ``phrases`` are in ``lang``, each with {languages} where the
    names stand ("in {languages}", "{languages}授课"); the names are those of the shared
    table ``languages`` in ``lang``, alone or listed ("in Chinese and English": both)."""
    names = {}
    for lid, row in languages.items():
        name = (row.get("name") or {}).get(lang)
        if name:
            names[name.casefold()] = lid
    if not names:
        return {}
    patterns, one = _phrase_patterns(tuple(phrases), tuple(sorted(names, key=len, reverse=True)), lang)
    found: dict[str, str] = {}
    for pattern in patterns:
        for match in pattern.finditer(text):
            for name in one.findall(match.group("names")):
                found.setdefault(names[name.casefold()], match.group(0).strip())
    return found


#: Not inside a word written in Latin letters ("in" is not the end of "within").
_NOT_AFTER_LETTER, _NOT_BEFORE_LETTER = r"(?<![A-Za-z])", r"(?![A-Za-z])"


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


@lru_cache(maxsize=64)
def _phrase_patterns(phrases: tuple, names: tuple, lang: str) -> tuple[tuple[re.Pattern, ...], re.Pattern]:
    """One pattern per phrase (the names it states in the group "names"), and the pattern
    of one name.  Names are listed as ``lang`` lists things (CLDR's list patterns through
    Babel: "Chinese and English", "中文和英语")."""
    def literal(text: str) -> str:
        return r"\s+".join(re.escape(word) for word in text.split())

    name = "|".join(re.escape(n) for n in names)
    joiners = "|".join(re.escape(j) for j in _list_joiners(lang)) or ","
    listed = rf"(?:{name})(?:\s*,?\s*(?:{joiners})\s*(?:{name}))*"
    patterns = []
    for phrase in phrases:
        before, _, after = phrase.partition(LANGUAGES_SLOT)
        head, tail = before.strip(), after.strip()
        pattern = ""
        if head:
            pattern += (_NOT_AFTER_LETTER if _latin(head[0]) else "") + literal(head)
            pattern += r"\s+" if before != before.rstrip() else ""
        pattern += _NOT_AFTER_LETTER + f"(?P<names>{listed})" + _NOT_BEFORE_LETTER
        if tail:
            pattern += (r"\s+" if after != after.lstrip() else "") + literal(tail)
            pattern += _NOT_BEFORE_LETTER if _latin(tail[-1]) else ""
        patterns.append(re.compile(pattern, re.IGNORECASE))
    return tuple(patterns), re.compile(name, re.IGNORECASE)


@lru_cache(maxsize=16)
def _list_joiners(lang: str) -> tuple[str, ...]:
    """The words and marks that join the items of a list in ``lang`` ("and", "or", ",";
    "和", "或", "、"), from CLDR's list patterns through Babel ((), for a language it lacks)."""
    try:
        from babel.lists import format_list
    except ImportError:  # pragma: no cover - Babel is pinned
        return ()
    found = set()
    for style in ("standard", "or"):
        for n in (2, 3):
            try:
                text = format_list([f"\x00{k}\x00" for k in range(n)], style=style,
                                   locale=lang.replace("-", "_"))
            except Exception:  # an unknown locale or style
                continue
            found.update(part.strip() or part for part in re.split(r"\x00\d\x00", text)[1:-1])
    return tuple(sorted((j for j in found if j), key=len, reverse=True))


def _names(langs, names):
    """The languages' names, "Chinese and English" (a message)."""
    return _and([names(l) for l in langs])


def _and(items):
    """Items as one message, "A and B and C" (each joined by a translated "and")."""
    if not items:
        return ""
    joined = items[0]
    for item in items[1:]:
        joined = M("{first} and {second}", first=joined, second=item)
    return joined


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
