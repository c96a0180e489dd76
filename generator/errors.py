"""Problems found in the handbook source, with the place they were found: the tool's one error vocabulary.

A problem is made by a named constructor for its kind (`Problem.unknown_key(…)`, `Problem.in_file(…)`),
as StrictDoc's `error_handling.py` does, so that every message of a kind is worded once. The words come
from the message catalogues (`generator.messages.say`); `did_you_mean()` is the one way to suggest a name.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
from collections.abc import Iterable
from typing import Protocol

from generator.messages import say


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class _Marked(Protocol):
    """Anything with a 1-based line and column: a located YAML node, say."""

    @property
    def line(self) -> int: ...

    @property
    def col(self) -> int: ...


@dataclasses.dataclass(frozen=True, kw_only=True)
class Place:
    """Where something is: a file, and a line and column in it (1-based; 0 when not known)."""

    path: str
    line: int = 0
    col: int = 0

    @classmethod
    def of(cls, path: str, node: _Marked) -> Place:
        """The place of a located node in the file `path`."""
        return cls(path=path, line=node.line, col=node.col)

    def __str__(self) -> str:
        text = self.path
        if self.line:
            text += f":{self.line}"
            if self.col:
                text += f":{self.col}"
        return text


def closest(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The choice nearest to a misspelt `word`, or None when none is near enough."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return found[0] if found else None


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = 0.6, otherwise: str = "",
                 shown: str = "{}") -> str:
    """The hint "did you mean 'x'?" for the choice nearest to `word`, else `otherwise`.

    `shown` writes the suggestion as the reader should type it (`"{}:"` for a key at the left margin).
    """
    near = closest(word, choices, cutoff=cutoff)
    return say("hint.did_you_mean", name=shown.format(near)) if near is not None else otherwise


@dataclasses.dataclass(frozen=True, kw_only=True, order=True)
class Problem:
    """One thing wrong in the source, located at path:line:col (1-based)."""

    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    @property
    def place(self) -> Place:
        return Place(path=self.path, line=self.line, col=self.col)

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    # Named constructors, one per kind of problem. Each takes the place first.

    @classmethod
    def at(cls, place: Place, message: str, hint: str = "", *, severity: Severity = Severity.ERROR) -> Problem:
        """A problem at `place` worded by the caller (from the catalogue); line and column default to 1."""
        return cls(path=place.path, line=place.line or 1, col=place.col or 1, message=message, hint=hint,
                   severity=severity)

    @classmethod
    def in_file(cls, path: str, message_id: str, /, **args: object) -> Problem:
        """A problem with a file as a whole (missing, unreadable, of the wrong kind), at its first line.

        The message is `message_id` of the catalogue and the hint `message_id.hint`, both given `args`.
        """
        return cls.at(Place(path=path), say(message_id, **args), say(message_id + ".hint", **args))

    @classmethod
    def unknown_key(cls, place: Place, *, key: str, owner: str, known: Iterable[str], hint: str = "") -> Problem:
        """A key the model does not have; the hint names the nearest known key, else lists them all."""
        known = list(known)
        return cls.at(place, say("convert.unknown_key", key=key, owner=owner),
                      hint or did_you_mean(key, known, otherwise=say("convert.known_keys", keys=", ".join(known))))

    @classmethod
    def missing_key(cls, place: Place, *, key: str, owner: str, doc: str) -> Problem:
        """A required key that is not there; `doc` says what it holds."""
        return cls.at(place, say("convert.missing_key", key=key, owner=owner),
                      say("convert.missing_key.hint", key=key, doc=doc))

    @classmethod
    def wrong_type(cls, place: Place, *, where: str, expected: str, got: str, hint: str) -> Problem:
        """A value of the wrong type: `where` must be `expected`, got `got`."""
        return cls.at(place, say("convert.must_be", where=where, expected=expected, got=got), hint)

    @classmethod
    def unknown_reference(cls, place: Place, *, kind: str, value: str, owner: str, hint: str) -> Problem:
        """A reference to an ID of `kind` (a catalogue noun: 'standard', 'role'…) that nothing defines."""
        return cls.at(place, say("integrity.unknown_ref", kind=say("kind." + kind), value=value, owner=owner), hint)

    @classmethod
    def duplicate_id(cls, place: Place, *, kind: str, value: str, other: str, case_only: bool = False) -> Problem:
        """A second object of `kind` with an ID already taken at `other` (path:line:col)."""
        message = "integrity.duplicate_case" if case_only else "integrity.duplicate"
        noun = say("kind." + kind)
        return cls.at(place, say(message, kind=noun, value=value, other=other),
                      say("integrity.duplicate.hint", kind=noun))

    @classmethod
    def yaml(cls, place: Place, message_id: str, /, hint: str | None = None, **args: object) -> Problem:
        """A problem in the YAML itself (syntax, tags, aliases, keys); the hint is `message_id.hint` unless given."""
        return cls.at(place, say(message_id, **args), say(message_id + ".hint", **args) if hint is None else hint)


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

    @classmethod
    def in_cell(cls, sheet: str, row: int, col: int, message: str, hint: str = "") -> CellProblem:
        """A problem in one cell (row 0: the sheet as a whole) of the sheet named `sheet` (book!“sheet”)."""
        return cls(path=sheet, line=row, col=col, message=message, hint=hint)


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
    """A failure that is not in the YAML (a refused publish, a failed build); exit 1 with its message.

    `place`, when given, is written before the message as a problem's is: `mkdocs.yml:3:1: …`.
    """

    def __init__(self, message: str, hint: str = "", *, place: Place | None = None):
        self.message, self.hint, self.place = message, hint, place
        super().__init__(self.format())

    @classmethod
    def of(cls, message_id: str, /, *, place: Place | None = None, **args: object) -> ToolError:
        """The failure worded by `message_id` of the catalogue, with `message_id.hint` as its hint."""
        return cls(say(message_id, **args), say(message_id + ".hint", **args), place=place)

    def format(self) -> str:
        text = f"{self.place}: {self.message}" if self.place else self.message
        return text + (f"\n  hint: {self.hint}" if self.hint else "")
