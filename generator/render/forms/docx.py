"""Forms as Word documents (python-docx): real tables an office can open in Word or WPS and adapt.

The header row repeats on every page, no row splits across pages, Chinese is the East
Asian language, pages are numbered with PAGE/NUMPAGES fields and the boxes are Word 2010
(w14) check-box content controls, so they can be ticked on screen too.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from xml.sax.saxutils import quoteattr

import docx
import segno
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from generator.render.adapters.docx import element
from generator.render.forms.html import form_url
from generator.render.forms.repro import normalize_zip
from generator.render.forms.views import RENDERER_VERSION, Form, source_date, xml_safe

PAGE_W, PAGE_H = 210, 297
MARGIN_X, MARGIN_Y = 13, 16
CONTENT_W = PAGE_W - 2 * MARGIN_X  # mm
EAST_ASIA_FONT = "宋体"  # present in every Windows Word and in WPS
LATIN_FONT = "Arial"
BOX_FONT = "MS Gothic"  # the font Word itself uses for check-box content controls
GRAY = "EEEEEE"

# Column widths in percent, matching forms.css.
CHECKLIST_COLS = (5, 25, 12.5, 9.5, 13, 7.5, 7.5, 7.5, 12.5)
SCORING_COLS = (6, 17, 45, 8, 9, 15)


def render_docx(form: Form, site_url: str = "") -> bytes:
    """The form as a .docx; byte-identical for the same form and site_url."""
    document = docx.Document()
    _set_up(document, form)
    writer = _Writer(document, form, site_url)
    writer.head()
    if form.checklist is not None:
        writer.checklist()
    elif form.scoring is not None:
        writer.scoring()
    elif form.record is not None:
        writer.record()
    if form.doc.disclaimer:
        writer.note(form.doc.disclaimer, size=7.5, before=4)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue(), source_date(form.doc.effective))


def _set_up(document: docx.document.Document, form: Form) -> None:
    when = source_date(form.doc.effective)
    props = document.core_properties
    # python-docx refuses core properties over 255 characters; a long title must not stop the form.
    props.title = _clip(form.title)
    props.subject = _clip(f"{form.code} · {form.doc.edition_label}")
    props.author = _clip(form.doc.issuer)
    props.last_modified_by = _clip(form.doc.issuer)
    props.keywords = _clip(f"{form.code} {form.fingerprint}")
    props.comments = _clip(f"{form.doc.title} · {form.doc.edition_label} · {form.fingerprint}")
    props.category = form.kind
    props.content_status = _clip(form.doc.edition_label)
    props.identifier = form.fingerprint
    props.language = form.doc.lang
    props.version = RENDERER_VERSION
    props.revision = 1
    props.created = props.modified = props.last_printed = when

    _set_defaults(document, form.doc.lang)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.left_margin = section.right_margin = Mm(MARGIN_X)
    section.top_margin = section.bottom_margin = Mm(MARGIN_Y)
    section.header_distance = section.footer_distance = Mm(7)

    labels, doc = form.labels, form.doc
    header = section.header.paragraphs[0]
    _tabbed(header, doc.title, f"{doc.edition_label} · {labels.code} {form.code}")
    footer = section.footer.paragraphs[0]
    _tabbed(footer, f"{labels.effective} {doc.effective} · {labels.fingerprint} {form.fingerprint}", "")
    _page_numbers(footer, labels.page_of)


def _set_defaults(document: docx.document.Document, lang: str) -> None:
    """Fonts, size, spacing and language for every run; a Chinese font and zh-CN only in a Chinese handbook."""
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    chinese = lang.startswith("zh")
    for attr, value in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT),
                        ("w:eastAsia", EAST_ASIA_FONT if chinese else LATIN_FONT), ("w:cs", LATIN_FONT)):
        fonts.set(qn(attr), value)
    rpr.find(qn("w:sz")).set(qn("w:val"), "19")
    rpr.find(qn("w:szCs")).set(qn("w:val"), "19")
    language = rpr.find(qn("w:lang"))
    language.set(qn("w:val"), "zh-CN" if chinese else lang)
    language.set(qn("w:eastAsia"), "zh-CN" if chinese else lang)
    spacing = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "264")


def _tabbed(paragraph, left: str, right: str) -> None:
    tabs = paragraph.paragraph_format.tab_stops
    # The Header and Footer styles bring centre and right tabs for US Letter: clear them.
    for inherited in paragraph.style.paragraph_format.tab_stops:
        tabs.add_tab_stop(inherited.position, WD_TAB_ALIGNMENT.CLEAR)
    tabs.add_tab_stop(Mm(CONTENT_W), WD_TAB_ALIGNMENT.RIGHT)
    _run(paragraph, left + "\t" + right, size=7.5, color="444444")


def _page_numbers(paragraph, label: str) -> None:
    """第 {page} 页 / 共 {pages} 页 with live PAGE and NUMPAGES fields."""
    for piece in re.split(r"(\{pages?\})", label):
        if piece in ("{page}", "{pages}"):
            instr = "PAGE" if piece == "{page}" else "NUMPAGES"
            field = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" {instr} \\* MERGEFORMAT ">'
                              f'<w:r><w:rPr><w:sz w:val="15"/><w:color w:val="444444"/></w:rPr>'
                              f'<w:t>1</w:t></w:r></w:fldSimple>')
            if (p := element(paragraph)) is not None:
                p.append(field)
        elif piece:
            _run(paragraph, piece, size=7.5, color="444444")


def _run(paragraph, text: str, *, size: float | None = None, bold: bool = False, color: str = ""):
    run = paragraph.add_run(xml_safe(text))
    if size:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return run


class _Writer:
    def __init__(self, document: docx.document.Document, form: Form, site_url: str):
        self.document = document
        self.form = form
        self.labels = form.labels
        self.url = form_url(form, site_url)
        self.next_id = 1000

    # --- blocks shared by all forms ------------------------------------------------------------

    def head(self) -> None:
        form, labels, doc = self.form, self.labels, self.form.doc
        has_qr = bool(self.url)
        widths = (CONTENT_W - 78, 56, 22) if has_qr else (CONTENT_W - 56, 56)
        table = self._table(1, len(widths), widths, grid=False)
        left, meta = table.rows[0].cells[0], table.rows[0].cells[1]
        source = left.paragraphs[0]
        _run(source, f"{doc.issuer} · {doc.title}", size=8, color="333333")
        title = left.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_before = Pt(6)
        _run(title, form.title, size=16, bold=True)
        lines = ((labels.code, form.code), (labels.edition, doc.edition_label),
                 (labels.effective, doc.effective), (labels.fingerprint, form.fingerprint))
        for i, (key, value) in enumerate(lines):
            paragraph = meta.paragraphs[0] if i == 0 else meta.add_paragraph()
            _run(paragraph, f"{key}  ", size=7.5, color="444444")
            _run(paragraph, value, size=7.5)
        if has_qr:
            cell = table.rows[0].cells[2]
            picture = cell.paragraphs[0]
            picture.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            picture.add_run().add_picture(io.BytesIO(_qr_png(self.url)), width=Mm(18))
            hint = cell.add_paragraph()
            hint.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(hint, labels.scan_hint, size=6, color="444444")
        else:
            _run(meta.add_paragraph(), labels.where_in_force, size=6, color="444444")
        if form.kind != "record":
            self.blanks((labels.branch, labels.date, labels.inspector), before=4)

    def blanks(self, labels: Sequence[str], *, before: float = 0) -> None:
        """Label ____ label ____: a borderless table whose writing cells are underlined."""
        # A CJK character is 1 em wide (9.5 pt = 3.35 mm); cells add 1.9 mm of padding on each side.
        # Each label and its blank share an equal part of the line; a long label wraps.
        share = CONTENT_W / len(labels)
        label_w = [min(max(len(label) * 3.5 + 5, 12), share * 0.6) for label in labels]
        widths = [w for lw in label_w for w in (lw, share - lw)]
        if before:
            self._spacer(before)
        table = self._table(1, len(widths), widths, grid=False)
        for i, label in enumerate(labels):
            cells = table.rows[0].cells
            _run(cells[2 * i].paragraphs[0], label, size=9.5)
            _borders(cells[2 * i + 1], bottom=True)
        _row_props(table.rows[0], height=8)

    def note(self, text: str, *, size: float = 8.5, before: float = 2) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(before)
        paragraph.paragraph_format.space_after = Pt(2)
        _run(paragraph, text, size=size, color="222222")

    def heading(self, text: str) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(10)
        paragraph.paragraph_format.space_after = Pt(4)
        paragraph.paragraph_format.keep_with_next = True
        _run(paragraph, text, size=11, bold=True)

    # --- the three kinds -------------------------------------------------------------------------

    def checklist(self) -> None:
        labels, view = self.labels, self.form.checklist
        assert view is not None
        self.note(labels.instructions_checklist)
        heads = (labels.col_no, labels.col_check, labels.col_standard, labels.col_method, labels.col_evidence,
                 labels.met, labels.not_met, labels.na, labels.notes)
        table = self._table(1 + len(view.rows), len(heads), _mm(CHECKLIST_COLS))
        self._header_row(table.rows[0], heads)
        for row, item in zip(table.rows[1:], view.rows, strict=True):
            _row_props(row, height=10)
            cells = row.cells
            self._text(cells[0], str(item.number), center=True)
            self._text(cells[1], item.text)
            if item.veto:
                _run(cells[1].paragraphs[0], f" [{labels.veto_mark}]", size=7, bold=True)
            self._standard(cells[2], item.standard_id, item.standard_title)
            self._text(cells[3], item.methods)
            self._text(cells[4], item.evidence)
            for cell, label in zip(cells[5:8], (labels.met, labels.not_met, labels.na), strict=True):
                self._checkbox(cell, f"{item.number} {label}")
        self._signatures((labels.sign_inspector, labels.sign_secretary, labels.sign_date))

    def scoring(self) -> None:
        labels, view = self.labels, self.form.scoring
        assert view is not None
        self.note(labels.instructions_scoring + (f" {view.groups_note}" if view.groups_note else ""))
        heads = (labels.col_no, labels.col_standard, labels.col_check, labels.col_points, labels.col_score,
                 labels.notes)
        count = 1 + sum(len(g.rows) + 2 for g in view.groups) + 1
        table = self._table(count, len(heads), _mm(SCORING_COLS))
        self._header_row(table.rows[0], heads)
        rows = iter(table.rows[1:])
        for group in view.groups:
            head = next(rows)
            _row_props(head, height=7)
            merged = head.cells[0].merge(head.cells[-1])
            self._text(merged, group.title, bold=True)
            merged.paragraphs[0].paragraph_format.keep_with_next = True  # never alone at a page foot
            _shade(merged, "F3F3F3")
            for item in group.rows:
                row = next(rows)
                _row_props(row, height=8)
                cells = row.cells
                self._text(cells[0], str(item.number), center=True)
                self._standard(cells[1], item.standard_id, item.standard_title)
                self._text(cells[2], item.text)
                if item.veto:
                    _run(cells[2].paragraphs[0], f" [{labels.veto_mark}]", size=7, bold=True)
                self._text(cells[3], str(item.points), center=True)
            self._sum_row(next(rows), labels.subtotal, group.subtotal)
        self._sum_row(next(rows), labels.total, view.total)

        self.heading(labels.levels)
        levels = self._table(len(view.levels), 3, (40, 40, 40))
        for row, level in zip(levels.rows, view.levels, strict=True):
            _row_props(row, height=7)
            for cell, text in zip(row.cells, (level.stars_text, level.label, level.range_text), strict=True):
                self._text(cell, text)
        if view.vetoes:
            self.heading(labels.veto_items)
            self.note(view.veto_note, before=0)
            vetoes = self._table(1 + len(view.vetoes), 3, _mm((18, 66, 16)))
            self._header_row(vetoes.rows[0], (labels.col_standard, labels.col_title, labels.not_met))
            for row, veto in zip(vetoes.rows[1:], view.vetoes, strict=True):
                _row_props(row, height=8)
                self._text(row.cells[0], veto.standard_id, bold=True)
                self._text(row.cells[1], veto.title)
                self._checkbox(row.cells[2], f"{veto.standard_id} {labels.not_met}")
        self.heading(labels.result)
        self.blanks((labels.result_score, labels.result_level))
        self._signatures((labels.sign_scorer, labels.sign_date))

    def record(self) -> None:
        labels, view = self.labels, self.form.record
        assert view is not None
        about = [(labels.purpose, view.purpose)] if view.purpose else []
        if view.used_by:
            about.append((labels.used_by, "    ".join(view.used_by)))
        if view.keeping:
            about.append((labels.keeping, view.keeping))
        if about:
            table = self._table(len(about), 2, (22, CONTENT_W - 22), grid=False)
            for row, (key, value) in zip(table.rows, about, strict=True):
                self._text(row.cells[0], key, bold=True, size=8.5)
                self._text(row.cells[1], value, size=8.5)
            self._spacer(3)
        if view.fields:
            table = self._table(len(view.fields), 2, _mm((24, 76)))
            for row, field in zip(table.rows, view.fields, strict=True):
                _row_props(row, height=9 * field.lines)
                self._text(row.cells[0], field.label, bold=True, center=False, vcenter=False)
                _shade(row.cells[0], "F7F7F7")
                if field.hint:
                    hint = row.cells[0].add_paragraph()
                    _run(hint, field.hint, size=7.5, color="444444")
        if view.number_column is not None:
            if view.fields:
                self._spacer(4)
            columns = (view.number_column, *view.columns)
            table = self._table(1 + len(view.rows), len(columns), _mm([c.width for c in columns]))
            self._header_row(table.rows[0], [c.label for c in columns])
            for row, number in zip(table.rows[1:], view.rows, strict=True):
                _row_props(row, height=9)
                self._text(row.cells[0], str(number), center=True)

    # --- tables and cells ------------------------------------------------------------------------

    def _table(self, rows: int, cols: int, widths: Sequence[float], *, grid: bool = True):
        table = self.document.add_table(rows=rows, cols=cols)
        table.style = self.document.styles["Table Grid" if grid else "Normal Table"]
        table.autofit = False
        for i, width in enumerate(widths):
            table.columns[i].width = Mm(width)
            for cell in table.columns[i].cells:
                cell.width = Mm(width)
        return table

    def _header_row(self, row, heads: Sequence[str]) -> None:
        _row_props(row, header=True, height=8)
        for cell, text in zip(row.cells, heads, strict=True):
            self._text(cell, text, bold=True, center=True)
            _shade(cell, GRAY)

    def _sum_row(self, row, label: str, points: int) -> None:
        _row_props(row, height=8)
        merged = row.cells[0].merge(row.cells[2])
        self._text(merged, label, bold=True)
        merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self._text(row.cells[3], str(points), bold=True, center=True)

    def _signatures(self, labels: Sequence[str]) -> None:
        self._spacer(8)
        self.blanks(labels)

    def _spacer(self, points: float) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(points)
        _run(paragraph, "", size=2)

    def _text(self, cell, text: str, *, bold: bool = False, center: bool = False, vcenter: bool = True,
              size: float = 9) -> None:
        paragraph = cell.paragraphs[0]
        _run(paragraph, text, size=size, bold=bold)
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if vcenter:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    def _standard(self, cell, standard_id: str, title: str) -> None:
        self._text(cell, standard_id, bold=True)
        _run(cell.add_paragraph(), title, size=7.5, color="333333")

    def _checkbox(self, cell, title: str) -> None:
        """A w14 check-box content control: clickable in Word 2010+ and WPS, ☐ on paper."""
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        self.next_id += 1
        title = xml_safe(title)
        fonts = f'<w:rFonts w:ascii="{BOX_FONT}" w:eastAsia="{BOX_FONT}" w:hAnsi="{BOX_FONT}" w:hint="eastAsia"/>'
        sdt = parse_xml(
            f'<w:sdt {nsdecls("w", "w14")}>'
            f'<w:sdtPr><w:rPr>{fonts}<w:sz w:val="24"/></w:rPr>'
            f"<w:alias w:val={quoteattr(title)}/><w:tag w:val={quoteattr(title)}/>"
            f'<w:id w:val="{self.next_id}"/>'
            f'<w14:checkbox><w14:checked w14:val="0"/>'
            f'<w14:checkedState w14:val="2612" w14:font="{BOX_FONT}"/>'
            f'<w14:uncheckedState w14:val="2610" w14:font="{BOX_FONT}"/></w14:checkbox>'
            f"</w:sdtPr>"
            f'<w:sdtContent><w:r><w:rPr>{fonts}<w:sz w:val="24"/></w:rPr><w:t>\u2610</w:t></w:r></w:sdtContent>'
            f"</w:sdt>"
        )
        if (p := element(paragraph)) is not None:
            p.append(sdt)


def _clip(text: str, limit: int = 255) -> str:
    text = xml_safe(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mm(percents: Sequence[float]) -> tuple[float, ...]:
    return tuple(CONTENT_W * p / 100 for p in percents)


def _row_props(row, *, header: bool = False, height: float | None = None) -> None:
    """Row properties in schema order: never split across pages; repeat as header if asked."""
    tr = element(row)
    if tr is None:
        return
    old = tr.find(qn("w:trPr"))
    if old is not None:
        tr.remove(old)
    trpr = OxmlElement("w:trPr")
    trpr.append(OxmlElement("w:cantSplit"))
    if height:
        size = OxmlElement("w:trHeight")
        size.set(qn("w:val"), str(round(Mm(height).twips)))
        size.set(qn("w:hRule"), "atLeast")
        trpr.append(size)
    if header:
        trpr.append(OxmlElement("w:tblHeader"))
    tblpr_ex = tr.find(qn("w:tblPrEx"))
    tr.insert(1 if tblpr_ex is not None else 0, trpr)


def _shade(cell, fill: str) -> None:
    if (tc := element(cell)) is None:
        return
    tcpr = tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.insert_element_before(shd, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
                               "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge",
                               "w:tcPrChange")


def _borders(cell, *, bottom: bool) -> None:
    if (tc := element(cell)) is None:
        return
    tcpr = tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    if bottom:
        edge = OxmlElement("w:bottom")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "6")
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    tcpr.insert_element_before(borders, "w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText",
                               "w:vAlign", "w:hideMark", "w:headers", "w:cellIns", "w:cellDel",
                               "w:cellMerge", "w:tcPrChange")


def _qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()
