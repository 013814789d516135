"""One problem found in the input, and the collection that gathers them all."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .messages import ENGLISH, M, shown

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    """A located problem: ``path:line:col: field: found; expected``.

    ``found`` and ``expected`` are plain text or messages (:class:`~.messages.M`),
    shown in the language of whoever reads them (:meth:`format`)."""

    path: str
    line: int
    column: int
    field: str
    found: object
    expected: object
    severity: str = "error"

    def format(self, translator=None) -> str:
        translator = translator or ENGLISH
        where = f"{self.path}:{self.line}:{self.column}"
        return f"{where}: {self.text(translator)}"

    def text(self, translator=None) -> str:
        """The message without its place (the preview's panel shows the place apart)."""
        translator = translator or ENGLISH
        label = f"{self.field}: " if self.field else ""
        found, expected = shown(self.found, translator), shown(self.expected, translator)
        if self.severity == "warning":
            return M("warning: {label}{found}; expected {expected}", label=label, found=found,
                     expected=expected).translated(translator)
        return M("{label}{found}; expected {expected}", label=label, found=found,
                 expected=expected).translated(translator)

    def translated(self, translator) -> str:
        return self.format(translator)

    def __str__(self) -> str:
        return self.format()

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.field, str(self.found), str(self.expected),
                self.severity)

    def __lt__(self, other) -> bool:
        return self.sort_key() < other.sort_key()


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
            (log.warning if problem.severity == "warning" else log.error)(problem)


class CatalogError(Exception):
    """Raised once, after every problem has been collected and logged."""

    def __init__(self, problems: Problems):
        self.problems = problems
        n = len(problems.errors)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in the course files")
