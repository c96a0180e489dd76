"""standards.xlsx: one row per standard and one per checklist item, for offices that plan in spreadsheets."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from generator.render.forms.repro import normalize_zip
from generator.render.forms.views import RENDERER_VERSION, StandardsTable, source_date, xml_safe

# Column widths in characters (a CJK character counts about two).
STANDARD_WIDTHS = (14, 10, 24, 48, 10, 18, 32, 28, 16, 40, 8, 10, 16)
CHECK_WIDTHS = (14, 10, 24, 6, 56, 8)


def render_xlsx(table: StandardsTable) -> bytes:
    """The workbook as bytes; byte-identical for the same handbook."""
    labels = table.labels
    when = source_date(table.doc.effective)
    workbook = Workbook()
    props = workbook.properties
    props.title = xml_safe(f"{table.doc.title} · {table.doc.edition_label}")
    props.creator = props.lastModifiedBy = xml_safe(table.doc.issuer)
    props.keywords = table.fingerprint
    props.identifier = table.fingerprint
    props.version = RENDERER_VERSION
    props.created = props.modified = when

    standards = workbook.active
    standards.title = labels.sheet_standards
    _fill(standards, (labels.col_chapter, labels.col_id, labels.col_title, labels.col_text, labels.col_frequency,
                      labels.col_responsible, labels.col_basis, labels.col_evidence, labels.col_method,
                      labels.col_inspection, labels.col_points, labels.col_veto, labels.col_tags),
          table.standards, STANDARD_WIDTHS)
    checks = workbook.create_sheet(labels.sheet_checks)
    _fill(checks, (labels.col_chapter, labels.col_id, labels.col_title, labels.col_no, labels.col_check,
                   labels.col_points), table.checks, CHECK_WIDTHS)

    buffer = io.BytesIO()
    # ExcelWriter directly: save_workbook() would stamp the current time as modified.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return normalize_zip(buffer.getvalue(), when)


def _fill(sheet, heads, rows, widths) -> None:
    sheet.append([xml_safe(head) for head in heads])
    for row in rows:
        sheet.append([xml_safe(value) if isinstance(value, str) else value for value in row])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEEEEE")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
            if cell.data_type == "f":  # openpyxl reads text starting with '=' as a formula: content is text
                cell.data_type = "s"
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{max(len(rows) + 1, 1)}"
