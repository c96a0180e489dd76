"""The book as a Word document: Title, Heading 1 per chapter, Heading 2 per standard, so Word's and
WPS's navigation pane list the handbook; a contents field Word fills in on opening; page numbers."""

from __future__ import annotations

import functools
import io

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

# The forms' Word set-up: fonts and language, header tabs, PAGE/NUMPAGES fields.
from generator.render.adapters.docx import element
from generator.render.book.views import Book
from generator.render.forms.docx import PAGE_H, PAGE_W, _page_numbers, _set_defaults, _tabbed
from generator.render.forms.repro import normalize_zip
from generator.render.forms.views import RENDERER_VERSION, html_lang, source_date, xml_safe

MARGIN = 20  # mm


def book_docx(view: Book) -> bytes:
    """The whole handbook as a .docx; byte-identical for the same view."""
    document = docx.Document()
    # python-docx looks a style's name up among all styles on every use; the book uses a handful.
    part = document.part
    part.get_style_id = functools.cache(part.get_style_id)  # type: ignore[method-assign]
    _set_up(document, view)
    add = _Adder(document, view.labels["colon"])
    parked = _Parked(document)
    document.add_paragraph(xml_safe(view.issuer))
    document.add_paragraph(xml_safe(view.title), style="Title")
    for name, value in ((view.labels["edition"], view.edition), (view.labels["effective"], view.effective),
                        (view.labels["issuer"], view.issuer)):
        add.fact(name, value)
    add.para(view.disclaimer.plain)
    add.page_break()
    document.add_paragraph(xml_safe(view.labels["contents"]), style="TOC Heading")
    element(document.add_paragraph()).append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=\' TOC \\o "1-2" \\h \\z \\u \'><w:r><w:t>'
        f'{xml_safe(view.labels["contents"])}</w:t></w:r></w:fldSimple>'))
    for chapter in view.chapters:
        add.page_break()
        document.add_heading(xml_safe(chapter.heading), level=1)
        add.para(chapter.summary.plain)
        for std in chapter.standards:
            document.add_heading(xml_safe(std.heading), level=2)
            add.para(std.text.plain)
            for name, value in std.facts:
                add.fact(name, value)
            add.table([view.labels["number"], view.labels["checks"], view.labels["points"]],
                      [(str(n), text, str(points)) for n, text, points in std.checks])
            if std.inspection.plain:
                add.fact(view.labels["inspection"], std.inspection.plain)
            parked.park()
    add.page_break()
    document.add_heading(xml_safe(view.rating_heading), level=1)
    add.table([view.labels["rating_levels"], view.labels["rating_min_score"]],
              [(name, str(score)) for name, score in view.levels])
    for note in view.rating_notes:
        add.para(note.plain)
    if view.veto_standards:
        document.add_heading(xml_safe(view.labels["veto_items"]), level=2)
        for item in view.veto_standards:
            document.add_paragraph(xml_safe(item), style="List Bullet")
    add.page_break()
    document.add_heading(xml_safe(view.glossary_heading), level=1)
    for _, term, definition in view.glossary:
        add.fact(term, definition.plain)
    for appendix in view.appendices:
        add.page_break()
        document.add_heading(xml_safe(appendix.heading), level=1)
        for form in appendix.forms:
            document.add_heading(xml_safe(form.heading), level=2)
            add.fact(view.labels["form_code"], form.code)
            if form.rows:
                add.table(list(form.heads), list(form.rows))
    parked.restore()
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue(), source_date(view.effective))


def _set_up(document: docx.document.Document, view: Book) -> None:
    props = document.core_properties
    props.title = view.title[:255]
    props.subject = view.edition[:255]
    props.author = props.last_modified_by = view.issuer[:255]
    props.language = html_lang(view.lang)
    props.version = RENDERER_VERSION
    props.revision = 1
    props.created = props.modified = props.last_printed = source_date(view.effective)
    _set_defaults(document, html_lang(view.lang))
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(MARGIN)
    header = section.header.paragraphs[0]
    _tabbed(header, view.running_header, "")
    _page_numbers(section.footer.paragraphs[0], view.page_of)
    # Word and WPS fill in the contents (and page numbers) when the file is opened.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)


class _Parked:
    """Keeps the document's body short while the book is written, for speed.

    python-docx finds the place of each new paragraph or table (before the body's closing
    section properties) by scanning the body, which makes a long book quadratic: 1,000 standards
    took two minutes. What is written is moved aside as it goes and put back, in order, at the end.
    """

    def __init__(self, document: docx.document.Document):
        self.body = document.element.body
        self.held: list = []

    def park(self) -> None:
        for child in list(self.body):
            if child.tag != _SECT_PR:
                self.body.remove(child)
                self.held.append(child)

    def restore(self) -> None:
        self.park()
        end = self.body.sectPr
        for child in self.held:
            if end is None:
                self.body.append(child)
            else:
                end.addprevious(child)
        self.held = []


_SECT_PR = qn("w:sectPr")


class _Adder:
    def __init__(self, document: docx.document.Document, colon: str):
        self.document = document
        self.colon = colon

    def para(self, text: str) -> None:
        if text:
            self.document.add_paragraph(xml_safe(text))

    def fact(self, name: str, value: str) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.add_run(xml_safe(name) + self.colon).bold = True
        paragraph.add_run(xml_safe(value))

    def table(self, heads: list[str], rows: list[tuple[str, ...]]) -> None:
        """A grid; heads may be empty (a form's labelled fields)."""
        table = self.document.add_table(rows=(1 if heads else 0) + len(rows), cols=len(heads or rows[0]))
        table.style = "Table Grid"
        if heads:
            for cell, text in zip(table.rows[0].cells, heads, strict=True):
                cell.paragraphs[0].add_run(xml_safe(text)).bold = True
        for row, values in zip(table.rows[1 if heads else 0:], rows, strict=True):
            for cell, text in zip(row.cells, values, strict=True):
                cell.text = xml_safe(text)

    def page_break(self) -> None:
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
