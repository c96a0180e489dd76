"""The editing workbook (`handbook export-xlsx`): the standards as a spreadsheet made to be edited and read back.

Layout: one sheet per chapter, named by the chapter's title, in chapter order. Each standard takes one
row; the rows under it with an empty ID cell are its checks (text and points). This is the layout of the
printed checklist, so the person editing sees a standard with its checks, and whether their points add up,
without looking across sheets or copying IDs onto check rows; a chapter is also a YAML file, so a sheet
maps to one file. A hidden sheet holds the edition, a fingerprint of the content it was made from, the
chapter of each sheet, the field of each column, and the vocabulary labels behind the drop-down lists.

How a value is shown in a cell (`standard_cells`) is defined here once: the importer compares a cell
with it to tell an edited value from an unchanged one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from generator.model import Handbook, Standard
from generator.render.export import export_data
from generator.render.forms.repro import normalize_zip
from generator.render.forms.views import source_date, xml_safe

FORMAT = "handbook-workbook/1"
META_SHEET = "_handbook"
LISTS_SHEET = "_lists"  # the vocabulary labels the drop-down lists offer, a column per list
MAX_ROWS_VALIDATED = 2000  # drop-down lists cover the rows an editor may add below the last standard


@dataclasses.dataclass(frozen=True, kw_only=True)
class Column:
    field: str  # the Standard field ("check" for the check rows' text)
    label: str  # label key of its heading
    width: int  # in characters; a CJK character counts about two
    note: str = ""  # label key of the heading's comment: how to fill the cell in
    vocabulary: str = ""  # frequencies, roles, methods or veto: the cell has a drop-down list
    multiple: bool = False  # several values in one cell, separated by the list separator


COLUMNS = (
    Column(field="id", label="forms.col_id", width=12, note="workbook.note_rows"),
    Column(field="title", label="forms.col_title", width=22),
    Column(field="check", label="checks", width=36, note="workbook.note_check"),
    Column(field="points", label="forms.col_points", width=7),
    Column(field="text", label="forms.col_text", width=50),
    Column(field="frequency", label="forms.col_frequency", width=10, vocabulary="frequencies"),
    Column(field="responsible", label="forms.col_responsible", width=18, vocabulary="roles", multiple=True,
           note="workbook.note_multiple"),
    Column(field="methods", label="forms.col_method", width=14, vocabulary="methods", multiple=True,
           note="workbook.note_multiple"),
    Column(field="veto", label="forms.col_veto", width=9, vocabulary="veto"),
    Column(field="basis", label="forms.col_basis", width=40, note="workbook.note_basis"),
    Column(field="evidence", label="forms.col_evidence", width=34, note="workbook.note_evidence"),
    Column(field="inspection", label="forms.col_inspection", width=40),
    Column(field="related", label="related", width=16, multiple=True, note="workbook.note_multiple"),
    Column(field="tags", label="forms.col_tags", width=16, multiple=True, note="workbook.note_multiple"),
)
PART_SEP = " | "  # between a basis's document, article and note; an evidence's text and template


def headings(handbook: Handbook) -> list[str]:
    return [handbook.label(column.label) for column in COLUMNS]


def vocabularies(handbook: Handbook) -> dict[str, list[tuple[str, str]]]:
    """(ID, label) pairs behind each drop-down list; veto is a yes/no choice."""
    vocab = handbook.vocabulary
    return {
        "frequencies": [(t.id, t.label) for t in vocab.frequencies],
        "roles": [(t.id, t.label) for t in vocab.roles],
        "methods": [(t.id, t.label) for t in vocab.methods],
        "veto": [("yes", handbook.label("forms.yes")), ("no", handbook.label("workbook.no"))],
    }


def sheet_names(handbook: Handbook) -> list[str]:
    """One name per chapter: its title, made valid (at most 31 characters, none of []:*?/\\) and unique."""
    names: list[str] = []
    for chapter in handbook.chapters:
        base = re.sub(r"[\[\]:*?/\\]", "_", chapter.title).strip("' ")[:31] or chapter.id[:31]
        name, n = base, 2
        while name.casefold() in {m.casefold() for m in names} or name in (META_SHEET, LISTS_SHEET):
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        names.append(name)
    return names


def content_fingerprint(handbook: Handbook) -> str:
    """Hash of the handbook's content: an import refuses a workbook made from different YAML."""
    text = json.dumps(export_data(handbook), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def join_list(handbook: Handbook, values: Any) -> str:
    return handbook.label("forms.list_sep").join(values)


def standard_cells(handbook: Handbook, std: Standard) -> dict[str, str | int]:
    """What each column of a standard's row shows (Markdown as written, without its final line break)."""
    return {
        "id": std.id,
        "title": std.title,
        "check": "",
        "points": std.points,
        "text": std.text.rstrip("\n"),
        "frequency": handbook.term("frequency", std.frequency),
        "responsible": join_list(handbook, (handbook.term("role", r) for r in std.responsible)),
        "methods": join_list(handbook, (handbook.term("method", m) for m in std.methods)),
        "veto": handbook.label("forms.yes") if std.veto else "",
        "basis": "\n".join(PART_SEP.join(_trim([b.document, b.article, b.note])) for b in std.basis),
        "evidence": "\n".join(PART_SEP.join(_trim([e.text, e.template])) for e in std.evidence),
        "inspection": std.inspection.rstrip("\n"),
        "related": join_list(handbook, std.related),
        "tags": join_list(handbook, std.tags),
    }


def _trim(parts: list[str]) -> list[str]:
    while parts and not parts[-1]:
        parts.pop()
    return parts


def render_workbook(handbook: Handbook) -> bytes:
    """The editing workbook as bytes; byte-identical for the same handbook."""
    when = source_date(handbook.edition.effective.isoformat())
    workbook = Workbook()
    props = workbook.properties
    props.title = xml_safe(f"{handbook.meta.title} · {handbook.edition.label}")
    props.creator = props.lastModifiedBy = xml_safe(handbook.meta.issuer)
    props.created = props.modified = when
    workbook.remove(workbook.active)

    lists = vocabularies(handbook)
    names = sheet_names(handbook)
    list_refs = {kind: f"'{LISTS_SHEET}'!${get_column_letter(number)}$2:${get_column_letter(number)}"
                       f"${max(len(terms) + 1, 2)}" for number, (kind, terms) in enumerate(lists.items(), start=1)}
    for name, chapter in zip(names, handbook.chapters, strict=True):
        _fill_sheet(workbook.create_sheet(name), handbook, chapter.standards, list_refs)

    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    meta.append(["format", FORMAT])
    meta.append(["edition", handbook.edition.id])
    meta.append(["fingerprint", content_fingerprint(handbook)])
    meta.append(["columns", *(column.field for column in COLUMNS)])
    for name, chapter in zip(names, handbook.chapters, strict=True):
        meta.append(["sheet", name, chapter.id])
    choices = workbook.create_sheet(LISTS_SHEET)
    choices.sheet_state = "hidden"
    for number, (kind, terms) in enumerate(lists.items(), start=1):
        choices.cell(1, number, kind)
        for row, (_, label) in enumerate(terms, start=2):
            choices.cell(row, number, xml_safe(label))

    buffer = io.BytesIO()
    # ExcelWriter directly: save_workbook() would stamp the current time as modified.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return normalize_zip(buffer.getvalue(), when)


def _row(cells: dict[str, str | int]) -> list[str | int]:
    return [xml_safe(v) if isinstance(v, str) else v for v in (cells.get(c.field, "") for c in COLUMNS)]


def _fill_sheet(sheet, handbook: Handbook, standards: tuple[Standard, ...], list_refs: dict[str, str]) -> None:
    sheet.append([xml_safe(head) for head in headings(handbook)])
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDDDDD")
    standard_fill = PatternFill("solid", fgColor="F2F2F2")
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, cell in zip(COLUMNS, sheet[1], strict=True):
        cell.font, cell.fill, cell.alignment = bold, head_fill, Alignment(vertical="center", wrap_text=True)
        if column.note:
            note = Comment(xml_safe(handbook.label(column.note)), "handbook")
            note.width, note.height = 240, 90
            cell.comment = note
    for std in standards:
        sheet.append(_row(standard_cells(handbook, std)))
        for cell in sheet[sheet.max_row]:
            cell.fill = standard_fill
        for item in std.checks:
            sheet.append(_row({"check": item.text, "points": item.points}))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
            if cell.data_type == "f":  # openpyxl reads text starting with '=' as a formula: content is text
                cell.data_type = "s"
    for i, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = column.width
        if column.vocabulary:
            # Several labels in one cell cannot pass a list check: those lists only offer, never refuse.
            choice = DataValidation(type="list", formula1=list_refs[column.vocabulary], allow_blank=True,
                                   showErrorMessage=not column.multiple)
            choice.add(f"{letter}2:{letter}{MAX_ROWS_VALIDATED}")
            sheet.add_data_validation(choice)
    sheet.freeze_panes = "C2"  # the heading row and the ID and title columns stay in view
