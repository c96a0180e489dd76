"""Reading an editing workbook back: its rows as standards and checks, every bad cell as a CellProblem."""

from __future__ import annotations

import dataclasses
import datetime
import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from generator.errors import CellProblem, HandbookError, Problem, ToolError
from generator.load.files import display_path
from generator.messages import say
from generator.model import Handbook, Standard
from generator.model.types import ID_HINT, ID_PATTERN
from generator.render.workbook import (
    COLUMNS,
    FORMAT,
    META_SHEET,
    PART_SEP,
    content_fingerprint,
    headings,
    vocabularies,
)

FIELDS = [column.field for column in COLUMNS]
REQUIRED = ("title", "text", "frequency", "responsible", "methods", "points")
_LIST_SPLIT = re.compile(r"\s*[、,，;；\n]\s*")
_VOCABULARY_OF = {"frequency": "frequencies", "responsible": "roles", "methods": "methods", "veto": "veto"}
_KIND_OF = {"frequency": "frequency", "responsible": "role", "methods": "method", "veto": "veto_value"}


@dataclasses.dataclass(frozen=True, kw_only=True)
class CheckRow:
    text: str
    points: int
    row: int


@dataclasses.dataclass(kw_only=True)
class StandardRow:
    """One standard as the workbook gives it, each field in the shape `model_values` returns."""

    row: int
    values: dict[str, Any]
    checks: list[CheckRow]


@dataclasses.dataclass(kw_only=True)
class ChapterSheet:
    name: str
    chapter: str
    standards: list[StandardRow]


def model_values(std: Standard) -> dict[str, Any]:
    """A standard's fields in the shapes the workbook's cells are read into, for comparing the two."""
    return {
        "id": std.id, "title": std.title, "text": std.text.rstrip(), "frequency": std.frequency,
        "responsible": list(std.responsible), "points": std.points, "methods": list(std.methods),
        "veto": std.veto, "inspection": std.inspection.rstrip(), "related": list(std.related), "tags": list(std.tags),
        "basis": [_parts(document=b.document, article=b.article, note=b.note) for b in std.basis],
        "evidence": [_parts(text=e.text, template=e.template) for e in std.evidence],
        "checks": [(item.text, item.points) for item in std.checks],
    }


def _parts(**parts: str) -> dict[str, str]:
    return {key: value for key, value in parts.items() if value}


def read_workbook(path: Path, handbook: Handbook) -> list[ChapterSheet]:
    """The workbook's chapters, or HandbookError with every bad cell, or ToolError for a refused workbook."""
    shown = display_path(path)
    try:
        book = load_workbook(path, data_only=False)
    except FileNotFoundError:
        raise ToolError.of("sheets.no_file", file=shown) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ToolError.of("sheets.unreadable", file=shown, error=error) from None
    meta = _meta(book, shown)
    if meta.get("edition", [""])[0] != handbook.edition.id:
        raise ToolError(say("sheets.other_edition", file=shown, edition=repr(meta.get("edition", ["?"])[0]),
                            current=repr(handbook.edition.id)), say("sheets.other_edition.hint"))
    if meta.get("columns") != FIELDS:
        raise ToolError.of("sheets.other_version", file=shown)
    if meta.get("fingerprint", [""])[0] != content_fingerprint(handbook):
        raise ToolError.of("sheets.yaml_changed", file=shown)
    reader = _Reader(shown, handbook)
    for name, _ in meta["sheets"]:
        reader.check_layout(book, name)
    if reader.problems:  # cells read against the wrong columns would only add noise
        raise HandbookError(reader.problems)
    sheets = [reader.sheet(book[name], name, chapter) for name, chapter in meta["sheets"]]
    reader.check_across(sheets)
    if reader.problems:
        raise HandbookError(reader.problems)
    return sheets


def _meta(book, shown: str) -> dict[str, Any]:
    not_ours = ToolError.of("sheets.not_ours", file=shown)
    if META_SHEET not in book.sheetnames:
        raise not_ours
    meta: dict[str, Any] = {"sheets": []}
    for row in book[META_SHEET].iter_rows(values_only=True):
        key, *rest = row
        values = [str(v) for v in rest if v is not None]
        if key == "sheet":
            if len(values) < 2:
                raise not_ours
            meta["sheets"].append((values[0], values[1]))
        elif isinstance(key, str):
            meta[key] = values
    if meta.get("format") != [FORMAT]:
        raise not_ours
    return meta


class _Reader:
    def __init__(self, shown: str, handbook: Handbook):
        self.shown = shown
        self.handbook = handbook
        self.problems: list[Problem] = []
        self.labels = vocabularies(handbook)
        self.seen: dict[str, tuple[str, int]] = {}  # ID (folded) -> sheet, row of its first row
        self.bad_points: set[tuple[str, int]] = set()  # cells already reported: no sums over them

    def problem(self, sheet: str, row: int, field: str | None, message: str, hint: str = "") -> None:
        col = FIELDS.index(field) + 1 if field else 0
        if field == "points":
            self.bad_points.add((sheet, row))
        self.problems.append(CellProblem.in_cell(f"{self.shown}!{_quoted(sheet)}", row, col, message, hint))

    def check_layout(self, book, name: str) -> None:
        """The sheet is there, under its name, with the headings of the export."""
        if name not in book.sheetnames:
            self.problems.append(CellProblem.in_cell(f"{self.shown}!{_quoted(name)}", 0, 0,
                                                     say("sheets.missing_sheet", sheet=_quoted(name)),
                                                     say("sheets.missing_sheet.hint")))
            return
        expected = headings(self.handbook)
        found = [_text(cell.value).strip() for cell in next(book[name].iter_rows(max_row=1), ())]
        found += [""] * (len(expected) - len(found))
        wrong = next((i for i, head in enumerate(found) if head != (expected[i] if i < len(expected) else "")), None)
        if wrong is not None:
            self.problems.append(CellProblem.in_cell(
                f"{self.shown}!{_quoted(name)}", 1, wrong + 1,
                say("sheets.heading", found=found[wrong], expected=expected[wrong] if wrong < len(expected) else ""),
                say("sheets.heading.hint", headings=" | ".join(expected))))

    def sheet(self, ws, name: str, chapter: str) -> ChapterSheet:
        result = ChapterSheet(name=name, chapter=chapter, standards=[])
        for cells in ws.iter_rows(min_row=2, max_col=len(FIELDS)):
            self._row(name, cells, result)
        return result

    def _row(self, sheet: str, cells, result: ChapterSheet) -> None:
        row = cells[0].row
        raw: dict[str, Any] = {}
        for field, cell in zip(FIELDS, cells, strict=True):
            if cell.data_type == "f":
                self.problem(sheet, row, field, say("sheets.formula"), say("sheets.formula.hint"))
                raw[field] = ""
            else:
                raw[field] = cell.value
        filled = {field for field, value in raw.items() if _text(value)}
        if not filled:
            return
        if "id" not in filled:
            if filled <= {"check", "points"}:
                self._check_row(sheet, row, raw, result)
            else:
                self.problem(sheet, row, "id", say("sheets.empty_id"),
                             say("sheets.empty_id.hint", checks=self.handbook.label("checks"),
                                 points=self.handbook.label("forms.col_points")))
            return
        if "check" in filled:
            self.problem(sheet, row, "check", say("sheets.check_in_standard_row"),
                         say("sheets.check_in_standard_row.hint"))
        values: dict[str, Any] = {"checks": []}
        for field in FIELDS:
            if field != "check":
                values[field] = self._value(sheet, row, field, raw[field])
        std_id = values["id"]
        if std_id and not re.match(ID_PATTERN, std_id):
            self.problem(sheet, row, "id", say("sheets.invalid_id", id=std_id), say(ID_HINT))
        elif std_id:
            first = self.seen.get(std_id.casefold())
            if first:
                self.problem(sheet, row, "id", say("sheets.duplicate_id", id=std_id, other=f"{_quoted(first[0])}!A{first[1]}"),
                             say("sheets.duplicate_id.hint"))
            else:
                self.seen[std_id.casefold()] = (sheet, row)
        for field in REQUIRED:
            if field not in filled:
                self.problem(sheet, row, field, say("sheets.empty_field", field=self.handbook.label(_label_key(field)),
                                                    id=std_id), say("sheets.empty_field.hint"))
        result.standards.append(StandardRow(row=row, values=values, checks=[]))

    def _check_row(self, sheet: str, row: int, raw: dict[str, Any], result: ChapterSheet) -> None:
        if not result.standards:
            self.problem(sheet, row, "check", say("sheets.orphan_check"), say("sheets.orphan_check.hint"))
            return
        text = _text(raw["check"]).strip()
        if not text:
            self.problem(sheet, row, "check", say("sheets.empty_check"), say("sheets.empty_check.hint"))
        points = self._value(sheet, row, "points", raw["points"])
        if _text(raw["points"]) == "":
            self.problem(sheet, row, "points", say("sheets.empty_points"), say("sheets.empty_points.hint"))
        std = result.standards[-1]
        std.checks.append(CheckRow(text=text, points=points, row=row))
        std.values["checks"].append((text, points))

    def _value(self, sheet: str, row: int, field: str, value: Any) -> Any:
        text = _text(value)
        if field == "points":
            return self._points(sheet, row, value, text)
        if field in _VOCABULARY_OF:
            return self._terms(sheet, row, field, text)
        if field in ("related", "tags"):
            return [part for part in _LIST_SPLIT.split(text.strip()) if part]
        if field == "basis":
            return [_parts(**dict(zip(("document", "article", "note"), _split_parts(line, 3), strict=False)))
                    for line in text.splitlines() if line.strip()]
        if field == "evidence":
            return [_parts(**dict(zip(("text", "template"), _split_parts(line, 2), strict=False)))
                    for line in text.splitlines() if line.strip()]
        if field in ("text", "inspection"):
            return text.rstrip()
        return text.strip()

    def _points(self, sheet: str, row: int, value: Any, text: str) -> int:
        if text == "":
            return 0
        number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        if number is None and re.fullmatch(r"\s*\d+(\.0*)?\s*", text):
            number = float(text)
        if number is None or number != int(number) or number < 0:
            self.problem(sheet, row, "points", say("sheets.bad_points", text=text), say("sheets.bad_points.hint"))
            return 0
        return int(number)

    def _terms(self, sheet: str, row: int, field: str, text: str) -> Any:
        terms = self.labels[_VOCABULARY_OF[field]]
        by_label = {label: term_id for term_id, label in terms}
        by_id = {term_id: term_id for term_id, _ in terms}
        sep = "、" if self.handbook.meta.language.startswith("zh") else ", "
        hint = say("sheets.choose.hint", choices=sep.join(label for _, label in terms))
        if field == "veto":
            choice = by_label.get(text.strip(), "no" if not text.strip() else None)
            if choice is None:
                self.problem(sheet, row, field, say("sheets.unknown_term", kind=say("kind." + _KIND_OF[field]),
                                                    value=text.strip()), say("sheets.choose_veto.hint", hint=hint))
            return choice == "yes"
        parts = [p for p in _LIST_SPLIT.split(text.strip()) if p]
        ids = []
        for part in parts:
            term_id = by_label.get(part) or by_id.get(part)
            if term_id is None:
                self.problem(sheet, row, field, say("sheets.unknown_term", kind=say("kind." + _KIND_OF[field]),
                                                    value=part), hint)
            else:
                ids.append(term_id)
        if field == "frequency":
            if len(ids) > 1:
                self.problem(sheet, row, field, say("sheets.one_frequency"), hint)
            return ids[0] if ids else ""
        return ids

    def check_across(self, sheets: list[ChapterSheet]) -> None:
        """What needs every sheet: points that add up, references that resolve."""
        rows = [(sheet.name, std) for sheet in sheets for std in sheet.standards]
        known = {std.values["id"] for _, std in rows}
        templates = {t.id for t in self.handbook.templates}
        for name, std in rows:
            values = std.values
            total = sum(check.points for check in std.checks)
            rows_read = {(name, std.row), *((name, check.row) for check in std.checks)}
            if total != values["points"] and not rows_read & self.bad_points:
                self.problem(name, std.row, "points",
                             say("sheets.check_points", id=values["id"], total=total, points=values["points"]),
                             say("sheets.check_points.hint"))
            for ref in values["related"]:
                if ref not in known:
                    self.problem(name, std.row, "related", say("sheets.unknown_related", id=ref),
                                 say("sheets.unknown_related.hint"))
            for item in values["evidence"]:
                if item.get("template") and item["template"] not in templates:
                    self.problem(name, std.row, "evidence", say("sheets.unknown_template", id=item["template"]),
                                 say("sheets.unknown_template.hint", ids=", ".join(sorted(templates)) or say("cli.none")))
        grand = sum(std.values["points"] for _, std in rows)
        if grand != self.handbook.rating.total and not self.bad_points:
            self.problems.append(CellProblem.in_cell(self.shown, 0, 0,
                                                     say("sheets.total", sum=grand, total=self.handbook.rating.total),
                                                     say("sheets.total.hint")))


def _quoted(sheet: str) -> str:
    """A sheet's name in a place: “三会一课”; a name that already carries the quotes is shown as it is."""
    return sheet if sheet.startswith("“") and sheet.endswith("”") else f"“{sheet}”"


def _label_key(field: str) -> str:
    return next(column.label for column in COLUMNS if column.field == field)


def _split_parts(line: str, count: int) -> list[str]:
    return [part.strip() for part in line.split(PART_SEP.strip(), count - 1)]


def _text(value: Any) -> str:
    """A cell's value as the text it shows (numbers without a trailing .0, Windows line ends unified)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n")
