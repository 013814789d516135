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
        if course.id != path.stem:
            ck.problem(("id",), f'"{course.id}"', f'"{path.stem}", the file name without .yml')

        # Codes are unique across the catalog.
        if course.code in codes:
            ck.problem(("code",), f'"{course.code}", already used by {codes[course.code]}',
                       "a code no other course uses")
        else:
            codes[course.code] = doc.path

        # References into the shared tables.
        _ref(ck, catalog.categories, course.category, ("category",), "categories")
        _ref(ck, catalog.levels, course.level, ("level",), "levels")
        for field, table in (("instruction_languages", "languages"), ("regions", "regions"),
                             ("partners", "partners")):
            for i, value in enumerate(course[field]):
                _ref(ck, getattr(catalog, table), value, (field, i), table)

        # Hours and weights add up.
        module_hours = sum(m.hours for m in course.modules)
        if module_hours != course.hours:
            ck.problem(("hours",), f"{course.hours} hours, but the modules add up to {module_hours}",
                       "hours equal to the sum of the module hours")
        weights = sum(a.weight for a in course.assessment)
        if weights != 100:
            ck.problem(("assessment",), f"weights adding up to {weights}", "weights adding up to 100")

        # Prerequisites name other existing courses.
        for i, pre in enumerate(course.prerequisites):
            if pre == course.id:
                ck.problem(("prerequisites", i), f'"{pre}", the course itself', "other courses")
            elif pre not in catalog.courses and not _exists(path, pre):
                ck.problem(("prerequisites", i), f'"{pre}", which is not a course',
                           "the id of a course in courses/")

        # Glossary terms agree with the shared term base.
        for i, term in enumerate(course.glossary):
            standard = term_base.get(term.en.lower())
            if standard and standard != term.zh:
                ck.problem(("glossary", i, "zh"), f'"{term.zh}" for "{term.en}"',
                           f'"{standard}", the term base translation (courses/_shared/terms.yml)',
                           severity="warning")

    _check_cycles(catalog, docs, problems)


def _exists(path, course_id: str) -> bool:
    # A prerequisite whose own file failed to load is reported there, not here.
    return (path.parent / f"{course_id}.yml").is_file()


def _ref(ck, table: dict, value: str, path: tuple, name: str) -> None:
    if value not in table:
        known = ", ".join(sorted(table)) if len(table) <= 12 else f"{len(table)} ids"
        ck.problem(path, f'"{value}", which is not in courses/_shared/{name}.yml',
                   f"one of {known}")


def _check_cycles(catalog, docs, problems) -> None:
    """Report each prerequisite cycle once, at the course that closes it."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    reported: set[frozenset] = set()

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for i, pre in enumerate(catalog.courses[node].prerequisites):
            if pre not in catalog.courses or pre == node:
                continue
            if state.get(pre) == 1:
                cycle = stack[stack.index(pre):] + [pre]
                key = frozenset(cycle)
                if key not in reported and node in docs:
                    reported.add(key)
                    ck = Checker(docs[node][1], problems)
                    ck.problem(("prerequisites", i), "a cycle " + " -> ".join(cycle),
                               "prerequisites that do not lead back to the course")
            elif state.get(pre) is None:
                visit(pre, stack)
        stack.pop()
        state[node] = 2

    for course_id in sorted(catalog.courses):
        if state.get(course_id) is None:
            visit(course_id, [])
