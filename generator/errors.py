"""Problems found in the handbook source, with the place they were found."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclasses.dataclass(frozen=True, kw_only=True, order=True)
class Problem:
    """One thing wrong in the source, located at path:line:col (1-based)."""

    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


@dataclasses.dataclass(frozen=True, kw_only=True, order=True)
class CellProblem(Problem):
    """A problem in a workbook, at book.xlsx!“sheet”!C12: path names the book and sheet, line the row and
    col the column (1-based); line 0 means the sheet (or the book) as a whole."""

    def format(self) -> str:
        place = self.path + (f"!{column_letter(self.col)}{self.line}" if self.line else "")
        text = f"{place}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


def column_letter(number: int) -> str:
    """Spreadsheet column name of a 1-based column number: 1 → A, 27 → AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class HandbookError(Exception):
    """Raised with every problem found, never only the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=_sort_key)
        super().__init__("\n".join(p.format() for p in self.problems))

    def format(self) -> str:
        return str(self)


def _sort_key(problem: Problem) -> tuple:
    return (problem.path, problem.line, problem.col, problem.message)


class ToolError(Exception):
    """A failure that is not in the YAML (a refused publish, a failed build); exit 1 with its message."""

    def __init__(self, message: str, hint: str = ""):
        self.message, self.hint = message, hint
        super().__init__(message + (f"\n  hint: {hint}" if hint else ""))
