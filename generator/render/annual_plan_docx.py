"""The 年度工作安排 as a Word document, laid out like the forms' Word files (A4, 宋体, repeated header rows)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from generator.model import Handbook
from generator.render.annual_plan import PlanView, plan_view
from generator.render.forms.docx import (
    CONTENT_W,
    GRAY,
    MARGIN_X,
    MARGIN_Y,
    PAGE_H,
    PAGE_W,
    _page_numbers,
    _row_props,
    _run,
    _set_defaults,
    _shade,
    _tabbed,
)
from generator.render.forms.repro import normalize_zip
from generator.render.forms.views import plain_text, source_date

MONTH_COLS = (36, CONTENT_W - 36 - 30, 30)  # mm: role, what to do, done
APART_COLS = (CONTENT_W - 28 - 50, 28, 50)  # mm: standard, frequency, responsible


def plan_docx(handbook: Handbook, year: int) -> bytes:
    """The printable plan as a .docx; byte-identical for the same handbook and year."""
    view = plan_view(handbook, year)
    document = docx.Document()
    _set_up(document, view, page_of=handbook.label("forms.page_of"))
    L = view.labels
    _paragraph(document, view.title, size=15, bold=True, center=True, after=3)
    _paragraph(document, view.intro, after=2)
    for month in view.months:
        _paragraph(document, month.name, size=11, bold=True, before=5, after=1.5, keep=True)
        if not month.rows:
            _paragraph(document, L["nothing"])
            continue
        table = _table(document, len(month.rows) + 1, MONTH_COLS)
        _header(table.rows[0], (L["col_role"], L["col_items"], L["col_done"]))
        for row, role in zip(table.rows[1:], month.rows, strict=True):
            _row_props(row)
            _run(row.cells[0].paragraphs[0], role.role, size=9, bold=True)
            for i, item in enumerate(role.items):
                paragraph = row.cells[1].paragraphs[0] if i == 0 else row.cells[1].add_paragraph()
                _run(paragraph, f"{item.id} {item.title}{L['paren_open']}{item.frequency}{L['paren_close']}", size=9)
    if view.apart:
        _paragraph(document, L["apart_title"], size=11, bold=True, before=5, after=1.5, keep=True)
        _paragraph(document, L["apart_intro"], after=1.5, keep=True)
        table = _table(document, len(view.apart) + 1, APART_COLS)
        _header(table.rows[0], (L["col_standard"], L["frequency"], L["responsible"]))
        for row, item in zip(table.rows[1:], view.apart, strict=True):
            _row_props(row)
            for cell, text in zip(row.cells, (f"{item.id} {item.title}", item.frequency, item.responsible),
                                  strict=True):
                _run(cell.paragraphs[0], text, size=9)
    disclaimer = plain_text(handbook.meta.disclaimer)
    if disclaimer:
        _paragraph(document, disclaimer, size=7.5, before=4)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue(), source_date(view.effective))


def _set_up(document: docx.document.Document, view: PlanView, *, page_of: str) -> None:
    props = document.core_properties
    props.title = view.title[:255]
    props.author = props.last_modified_by = ""
    props.language = view.lang
    props.revision = 1
    props.created = props.modified = props.last_printed = source_date(view.effective)
    _set_defaults(document, view.lang)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.left_margin = section.right_margin = Mm(MARGIN_X)
    section.top_margin = section.bottom_margin = Mm(MARGIN_Y)
    section.header_distance = section.footer_distance = Mm(7)
    _tabbed(section.header.paragraphs[0], view.handbook_title, view.title)
    footer = section.footer.paragraphs[0]
    _tabbed(footer, view.edition_line, "")
    _page_numbers(footer, page_of)


def _paragraph(document, text: str, *, size: float = 9.5, bold: bool = False, center: bool = False,
               before: float = 0, after: float = 0, keep: bool = False) -> None:
    paragraph = document.add_paragraph()
    _run(paragraph, text, size=size, bold=bold)
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(before), Pt(after), keep
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _table(document, rows: int, widths: Sequence[float]):
    table = document.add_table(rows=rows, cols=len(widths))
    table.style = document.styles["Table Grid"]
    table.autofit = False
    for i, width in enumerate(widths):
        table.columns[i].width = Mm(width)
        for cell in table.columns[i].cells:
            cell.width = Mm(width)
    return table


def _header(row, heads: Sequence[str]) -> None:
    _row_props(row, header=True, height=7)
    for cell, text in zip(row.cells, heads, strict=True):
        _run(cell.paragraphs[0], text, size=9, bold=True)
        _shade(cell, GRAY)
