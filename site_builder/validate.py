"""Rules that span fields and files: references, sums, uniqueness, cycles."""

from __future__ import annotations

from .schema import Checker


def cross_check(catalog, docs: dict, problems) -> None:
    """Check every course against the others and the shared tables."""
    codes: dict[str, str] = {}
    term_base = {t.en.lower(): t.zh for t in catalog.terms}
    for course_id in sorted(docs):
        path, doc = docs[course_id]
        course = catalog.courses[course_id]
        ck = Checker(doc, problems)

        # The id is the URL key and must be the file name.
        if course.id and course.id != path.stem:
            ck.problem(("id",), f'"{course.id}"', f'"{path.stem}", the file name without .yml')

        # Codes are unique across the catalog.
        if course.code is None:
            pass
        elif course.code in codes:
            ck.problem(("code",), f'"{course.code}", already used by {codes[course.code]}',
                       "a code no other course uses")
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
                ck.problem(("hours",), f"{course.hours} hours, but the modules add up to {module_hours}",
                           "hours equal to the sum of the module hours")
        items = course.get("assessment") or []
        raw_items = doc.data.get("assessment")
        if items and isinstance(raw_items, list) and len(items) == len(raw_items) \
                and all(a.weight for a in items):
            weights = sum(a.weight for a in items)
            if weights != 100:
                ck.problem(("assessment",), f"weights adding up to {weights}", "weights adding up to 100")

        # Prerequisites name other existing courses.
        for i, pre in enumerate(course.get("prerequisites") or []):
            if pre == course.id:
                ck.problem(("prerequisites", i), f'"{pre}", the course itself', "other courses")
            elif pre not in catalog.courses and not _exists(path, pre):
                ck.problem(("prerequisites", i), f'"{pre}", which is not a course',
                           "the id of a course in courses/")

        # Glossary terms agree with the shared term base.
        for i, term in enumerate(course.get("glossary") or []):
            if not term.get("en") or not term.get("zh"):
                continue
            standard = term_base.get(term.en.lower())
            if standard and standard != term.zh:
                ck.problem(("glossary", i, "zh"), f'"{term.zh}" for "{term.en}"',
                           f'"{standard}", the term base translation (courses/_shared/terms.yml)',
                           severity="warning")

    _check_cycles(catalog, docs, problems)


def _exists(path, course_id: str) -> bool:
    # A prerequisite whose own file failed to load is reported there, not here.
    return (path.parent / f"{course_id}.yml").is_file()


def _ref(ck, table: dict, value: str | None, path: tuple, name: str) -> None:
    if value is not None and value not in table:
        known = ", ".join(sorted(table)) if len(table) <= 12 else f"{len(table)} ids"
        ck.problem(path, f'"{value}", which is not in courses/_shared/{name}.yml',
                   f"one of {known}")


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
                        ("prerequisites", i), "a cycle " + " -> ".join(cycle),
                        "prerequisites that do not lead back to the course")
            elif pre not in state:
                state[pre] = 1
                path.append(pre)
                stack.append(iter(edges(pre)))
