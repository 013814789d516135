"""One problem found in the input, and the collection that gathers them all."""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True, order=True)
class Problem:
    """A located problem: ``path:line:col: field: found; expected``."""

    path: str
    line: int
    column: int
    field: str
    found: str
    expected: str
    severity: str = "error"

    def format(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        label = f"{self.field}: " if self.field else ""
        warn = "warning: " if self.severity == "warning" else ""
        return f"{where}: {warn}{label}{self.found}; expected {self.expected}"


class Problems(list):
    """All problems of one run, sorted by file and position when reported."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity == "warning"]

    def report(self) -> None:
        for problem in sorted(set(self)):
            (log.warning if problem.severity == "warning" else log.error)(problem.format())


class CatalogError(Exception):
    """Raised once, after every problem has been collected and logged."""

    def __init__(self, problems: Problems):
        self.problems = problems
        n = len(problems.errors)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in the course files")
